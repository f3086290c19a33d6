"""HTTP API for websites: chat (plain and streaming), feedback, profile, health; FastAPI with OpenAPI docs."""

from __future__ import annotations

import json
import logging
import secrets
import threading
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Iterator, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from fastapi.security import APIKeyHeader
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from chatbot.engine import MAX_MESSAGE_CHARS, InputError

if TYPE_CHECKING:
    from chatbot.config import Settings
    from chatbot.engine import Engine
    from chatbot.types import ProfileFacet, Recommendation, TurnResult

log = logging.getLogger(__name__)

SESSION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,128}$"
SESSION_ID_HINT = "use 1-128 characters of letters, digits, '_' or '-' (e.g. a uuid4 hex), or leave it out"
MAX_BODY_BYTES = 64 * 1024  # a 2,000-character message is at most ~8 KB as JSON; anything far bigger is abuse
MAX_ITEM_ID_CHARS = 256
MAX_FACET_CHARS = 300
RETRY_AFTER_S = 5

# --- the engine, possibly still being built ---------------------------------------------------------------------

State = Literal["starting", "indexing", "loading", "ok", "error"]


@dataclass(frozen=True)
class Readiness:
    """How far the engine build has got; `message` is what a person should read."""

    status: State
    done: int = 0
    total: int = 0
    message: str = ""


class NotReady(RuntimeError):
    """The engine is not built yet (or failed to build)."""

    def __init__(self, readiness: Readiness) -> None:
        super().__init__(readiness.message)
        self.readiness = readiness


class EngineSlot:
    """Holds the engine once built and reports build progress, so the server can answer before it is ready."""

    def __init__(self, engine: Engine | None = None) -> None:
        self._lock = threading.Lock()
        self._engine = engine
        self._readiness = Readiness("ok", message="ready") if engine else Readiness("starting", message="Starting…")

    @property
    def engine(self) -> Engine | None:
        """The engine, or None while it is being built."""
        return self._engine

    def readiness(self) -> Readiness:
        """The current build state."""
        with self._lock:
            return self._readiness

    def require(self) -> Engine:
        """The engine, or NotReady saying what is still happening."""
        engine = self._engine
        if engine is None:
            raise NotReady(self.readiness())
        return engine

    def progress(self, done: int, total: int) -> None:
        """Progress callback for indexing (components.Progress)."""
        with self._lock:
            if done >= total:
                self._readiness = Readiness("loading", done, total, "Catalog indexed; loading the models…")
            else:
                self._readiness = Readiness("indexing", done, total, f"Preparing the catalog… {done:,}/{total:,}")

    def set_engine(self, engine: Engine) -> None:
        """Publish the built engine."""
        with self._lock:
            self._engine = engine
            self._readiness = Readiness("ok", message="ready")

    def fail(self, message: str) -> None:
        """Record that building failed; surfaces show the message instead of waiting forever."""
        with self._lock:
            self._readiness = Readiness("error", message=message)

    def build_in_background(self, build: Callable[[Callable[[int, int], None]], Engine]) -> threading.Thread:
        """Run build(progress) in a daemon thread and publish its engine (or its error)."""

        def run() -> None:
            with self._lock:
                self._readiness = Readiness("loading", message="Loading the catalog and the models…")
            try:
                self.set_engine(build(self.progress))
            except Exception as exc:  # the server keeps running so /api/health and the UI can say what broke
                log.exception("building the engine failed")
                self.fail(f"The recommender failed to start: {exc}")

        thread = threading.Thread(target=run, name="engine-build", daemon=True)
        thread.start()
        return thread


# --- request and response shapes --------------------------------------------------------------------------------

SessionIdField = Annotated[str, Field(pattern=SESSION_ID_PATTERN, description="1-128 chars of [A-Za-z0-9_-].")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChatRequest(_Strict):
    """One user message; leave session_id out to start a new session."""

    session_id: SessionIdField | None = None
    message: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS, description="What the person typed.")

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message is blank; send some text")
        return value

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"message": "Something like Alien but less gory"}]},
    )


class FeedbackRequest(_Strict):
    """A like (liked=true) or dislike (liked=false) of a recommended item."""

    session_id: SessionIdField
    item_id: str = Field(min_length=1, max_length=MAX_ITEM_ID_CHARS, description="An item_id from a recommendation.")
    liked: StrictBool


class FacetRequest(_Strict):
    """A facet to remove, as a body (for facets awkward to put in a URL)."""

    facet: str = Field(min_length=3, max_length=MAX_FACET_CHARS, description="e.g. 'genre:horror'.")


class ItemOut(BaseModel):
    """A recommended catalog item with the reasons it was chosen."""

    item_id: str
    title: str
    year: int | None
    description: str
    image_url: str | None
    url: str | None
    score: float
    reasons: list[str]
    long_tail: bool


class FacetOut(BaseModel):
    """One profile facet; weight > 0 is a like, < 0 a dislike, decayed to now."""

    facet: str
    label: str
    weight: float
    updated_at: float


class ChatResponse(BaseModel):
    """The whole reply with its items and the updated profile."""

    session_id: str
    reply: str
    items: list[ItemOut]
    profile: list[FacetOut]
    clarifying: bool


class ProfileResponse(BaseModel):
    """What the recommender currently believes about a session."""

    session_id: str
    profile: list[FacetOut]


class ForgetResponse(BaseModel):
    """How many stored events were deleted."""

    session_id: str
    deleted: int


class HealthResponse(BaseModel):
    """'ok' once the engine is ready; otherwise what it is doing (indexing: done/total items)."""

    status: State
    done: int
    total: int
    message: str


class ErrorResponse(BaseModel):
    """Every 4xx/5xx body: what was wrong and how to fix it."""

    detail: str


def items_out(items: list[Recommendation]) -> list[dict[str, Any]]:
    """Recommendations as JSON-able dicts."""
    return [asdict(r) for r in items]


def profile_out(profile: list[ProfileFacet]) -> list[dict[str, Any]]:
    """Profile facets as JSON-able dicts."""
    return [asdict(f) for f in profile]


def new_session_id() -> str:
    """A fresh, unguessable session id."""
    return uuid.uuid4().hex


# --- middleware -------------------------------------------------------------------------------------------------


class BodySizeLimit:
    """ASGI middleware: 413 for request bodies over max_bytes under `prefix`, declared or streamed (chunked)."""

    def __init__(self, app: Any, max_bytes: int = MAX_BODY_BYTES, prefix: str = "/api/") -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and not declared.isdigit():
            bad = JSONResponse({"detail": "Content-Length header must be a number of bytes"}, status_code=400)
            await bad(scope, receive, send)
            return
        if declared is not None and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        # API bodies are small, so buffering up to the limit costs nothing and also catches chunked uploads.
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self._reject(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()  # later calls wait for the client to disconnect (streaming responses)

        await self.app(scope, replay, send)

    async def _reject(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        detail = f"request body is larger than {self.max_bytes:,} bytes; send a shorter message"
        await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)


def cors_origins(setting: str) -> list[str]:
    """The comma-separated RECBOT_CORS_ORIGINS value as a list ("*" allows any origin)."""
    return [origin.strip().rstrip("/") for origin in setting.split(",") if origin.strip()]


# --- errors -----------------------------------------------------------------------------------------------------


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "path", "query"))
    kind, msg = error.get("type", ""), error.get("msg", "invalid value")
    if kind == "missing" and not where:
        return "request body is required: send JSON such as {\"message\": \"...\"}"
    if kind == "json_invalid":
        return f"request body is not valid JSON ({error.get('ctx', {}).get('error', msg)})"
    if kind == "string_pattern_mismatch" and where.endswith("session_id"):
        return f"{where}: invalid session id; {SESSION_ID_HINT}"
    if kind == "extra_forbidden":
        return f"{where}: unknown field; remove it"
    if kind == "value_error":
        msg = str(error.get("ctx", {}).get("error", msg))
    if kind == "model_attributes_type" or (kind == "dict_type" and not where):
        return "request body must be a JSON object, sent with Content-Type: application/json"
    return f"{where}: {msg}" if where else msg


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    detail = "; ".join(_describe(e) for e in errors) or "invalid request"
    # Only loc/msg/type go back: the rejected input itself may be huge or not JSON-able (bytes).
    compact = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors]
    return JSONResponse({"detail": detail, "errors": compact}, status_code=422)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail
    if exc.status_code == 400 and detail == "There was an error parsing the body":
        # FastAPI's words for a body it could not decode (e.g. not UTF-8); say what to send instead.
        detail = "request body could not be read as JSON; send UTF-8 encoded JSON such as {\"message\": \"...\"}"
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


async def _not_ready(request: Request, exc: NotReady) -> JSONResponse:
    r = exc.readiness
    detail = f"the recommender is not ready yet ({r.message}); retry in a few seconds"
    if r.status == "error":
        return JSONResponse({"detail": r.message}, status_code=503)
    return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})


async def _input_error(request: Request, exc: InputError) -> JSONResponse:
    # Only InputError: its message is written for the caller. Any other ValueError is a bug and stays a 500.
    return JSONResponse({"detail": str(exc)}, status_code=400)


# --- routes -----------------------------------------------------------------------------------------------------

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The engine rejected the input."},
    401: {"model": ErrorResponse, "description": "Missing or wrong X-API-Key (only when an API key is configured)."},
    413: {"model": ErrorResponse, "description": "Request body too large."},
    422: {"model": ErrorResponse, "description": "The request does not match the schema."},
    503: {"model": ErrorResponse, "description": "Still indexing the catalog; retry after Retry-After seconds."},
}

PathSessionId = Annotated[str, PathParam(pattern=SESSION_ID_PATTERN, description="1-128 chars of [A-Za-z0-9_-].")]


API_KEY_HEADER = APIKeyHeader(name="X-API-Key", auto_error=False, description="Required when RECBOT_API_KEY is set.")
ApiKey = Annotated["str | None", Depends(API_KEY_HEADER)]


def _api_key_check(expected: str | None) -> Callable[..., None]:
    def check(key: ApiKey) -> None:
        if expected and not (key and secrets.compare_digest(key.encode(), expected.encode())):
            raise HTTPException(401, "missing or wrong X-API-Key header; send the key configured in RECBOT_API_KEY")

    return check


def _stream_events(result: TurnResult) -> Iterator[bytes]:
    """NDJSON: one {"type":"delta"} line per reply chunk, then {"type":"done"} with items and profile."""

    def line(event: dict[str, Any]) -> bytes:
        return (json.dumps(event, ensure_ascii=False) + "\n").encode()

    said: list[str] = []
    try:
        for chunk in result.stream:
            said.append(chunk)
            yield line({"type": "delta", "text": chunk})
    except Exception:  # headers are already sent, so the failure is reported in-band
        log.exception("reply stream failed for session %s", result.session_id)
        yield line({"type": "error", "detail": "the reply failed part-way; the items below are still valid"})
    yield line({
        "type": "done", "session_id": result.session_id, "reply": "".join(said),
        "items": items_out(result.items), "profile": profile_out(result.profile), "clarifying": result.clarifying,
    })


def build_router(slot: EngineSlot, settings: Settings) -> APIRouter:
    """The /api routes, bound to an engine slot."""
    router = APIRouter(prefix="/api", responses=ERRORS)
    guarded = [Depends(_api_key_check(settings.api_key))]

    @router.get("/health", response_model=HealthResponse, tags=["service"])
    def health() -> JSONResponse:
        """Readiness: 200 {"status": "ok"} when ready; 503 with progress while indexing or loading."""
        r = slot.readiness()
        return JSONResponse(asdict(r), status_code=200 if r.status == "ok" else 503)

    @router.post("/chat", response_model=ChatResponse, dependencies=guarded, tags=["chat"])
    def chat(body: ChatRequest) -> dict[str, Any]:
        """Send a message and get the whole reply, the recommended items and the updated profile."""
        result = slot.require().turn(body.session_id or new_session_id(), body.message)
        reply = "".join(result.stream)
        return {
            "session_id": result.session_id, "reply": reply, "items": items_out(result.items),
            "profile": profile_out(result.profile), "clarifying": result.clarifying,
        }

    @router.post(
        "/chat/stream", dependencies=guarded, tags=["chat"], response_class=StreamingResponse,
        responses={200: {"content": {"application/x-ndjson": {}}, "description": "NDJSON events, one per line."}},
    )
    def chat_stream(body: ChatRequest) -> StreamingResponse:
        """Like /api/chat, streamed as NDJSON: {"type":"delta","text"}… then {"type":"done", reply, items, profile}."""
        result = slot.require().turn(body.session_id or new_session_id(), body.message)
        return StreamingResponse(
            _stream_events(result), media_type="application/x-ndjson",
            # no-transform / X-Accel-Buffering: proxies must pass chunks through as they come.
            headers={"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no",
                     "X-Session-Id": result.session_id},
        )

    @router.post("/feedback", response_model=ProfileResponse, dependencies=guarded, tags=["profile"])
    def feedback(body: FeedbackRequest) -> dict[str, Any]:
        """Like or dislike a recommended item; returns the updated profile."""
        engine = slot.require()
        if engine.catalog.get(body.item_id) is None:
            raise HTTPException(404, f"unknown item id {body.item_id!r}; use an item_id from a recommendation")
        profile = engine.feedback(body.session_id, body.item_id, body.liked)
        return {"session_id": body.session_id, "profile": profile_out(profile)}

    @router.get("/profile/{session_id}", response_model=ProfileResponse, dependencies=guarded, tags=["profile"])
    def profile(session_id: PathSessionId) -> dict[str, Any]:
        """The current decayed interest profile (empty for an unknown session)."""
        return {"session_id": session_id, "profile": profile_out(slot.require().profile(session_id))}

    @router.get("/profile/{session_id}/export", dependencies=guarded, tags=["profile"])
    def export(session_id: PathSessionId) -> JSONResponse:
        """Everything stored about the session: every event and the full profile, as a JSON download."""
        data = slot.require().export(session_id)
        return JSONResponse(data, headers={"Content-Disposition": f'attachment; filename="recbot-{session_id}.json"'})

    def remove(session_id: str, facet: str) -> dict[str, Any]:
        if len(facet) > MAX_FACET_CHARS:
            raise HTTPException(422, f"facet is longer than {MAX_FACET_CHARS} characters")
        return {"session_id": session_id, "profile": profile_out(slot.require().remove_facet(session_id, facet))}

    @router.delete(
        "/profile/{session_id}/facets/{facet:path}", response_model=ProfileResponse, dependencies=guarded,
        tags=["profile"],
    )
    def remove_facet(session_id: PathSessionId, facet: str) -> dict[str, Any]:
        """Remove one facet (e.g. genre:horror, URL-encoded) from the profile; returns the updated profile."""
        return remove(session_id, facet)

    @router.delete("/profile/{session_id}/facets", response_model=ProfileResponse, dependencies=guarded,
                   tags=["profile"])
    def remove_facet_body(session_id: PathSessionId, body: FacetRequest) -> dict[str, Any]:
        """Remove one facet given as a JSON body {"facet": "..."}."""
        return remove(session_id, body.facet)

    @router.delete("/profile/{session_id}", response_model=ForgetResponse, dependencies=guarded, tags=["profile"])
    def forget(session_id: PathSessionId) -> dict[str, Any]:
        """Forget me: delete every stored event of the session (dialogue, profile, feedback)."""
        return {"session_id": session_id, "deleted": slot.require().forget(session_id)}

    return router


def create_api(slot: EngineSlot, settings: Settings, *, max_body_bytes: int = MAX_BODY_BYTES) -> FastAPI:
    """The FastAPI app with the /api routes, error handlers, body limit, CORS and OpenAPI docs at /docs."""
    app = FastAPI(
        title="recbot API",
        description="Conversational recommendations for websites. Every route but /api/health needs X-API-Key "
        "when the server sets RECBOT_API_KEY. Errors are JSON {\"detail\": \"...\"}.",
        version="1",
        docs_url="/docs",
        redoc_url=None,
    )
    app.include_router(build_router(slot, settings))
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(NotReady, _not_ready)  # type: ignore[arg-type]
    app.add_exception_handler(InputError, _input_error)  # type: ignore[arg-type]
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    origins = cors_origins(settings.cors_origins)
    if origins:  # added last = outermost, so even 413/401 answers carry CORS headers the browser can read
        app.add_middleware(
            CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Content-Type", "X-API-Key"], expose_headers=["X-Session-Id", "Retry-After"],
            max_age=600,
        )
    return app


def mount_examples(app: FastAPI, directory: Path, page: str = "customer-service.html") -> None:
    """Serve the static example site at /examples/ (and redirect /examples to its page)."""

    @app.get("/examples", include_in_schema=False)
    @app.get("/examples/", include_in_schema=False)
    def examples_index() -> RedirectResponse:
        return RedirectResponse(f"/examples/{page}")

    app.mount("/examples", StaticFiles(directory=directory), name="examples")


def create_app(
    settings: Settings, slot: EngineSlot, blocks: Any | None = None, examples_dir: Path | None = None
) -> FastAPI:
    """The whole server: API at /api, docs at /docs, examples at /examples, the Gradio Blocks at / (mounted last)."""
    app = create_api(slot, settings)
    if examples_dir is not None:
        mount_examples(app, examples_dir)
    if blocks is not None:
        import gradio as gr

        # Mounted last: "/" would otherwise swallow /api, /docs and /examples.
        # No footer: its "Use via API" link points at Gradio's event API, not this documented one (/docs).
        app = gr.mount_gradio_app(app, blocks, path="/", footer_links=[])
    return app


def listen_address(settings: Settings, environ: dict[str, str]) -> tuple[str, int]:
    """Host and port: RECBOT_HOST/RECBOT_PORT if set, else Spaces' GRADIO_SERVER_NAME and PORT/GRADIO_SERVER_PORT."""
    explicit = settings.model_fields_set
    host = settings.host if "host" in explicit else environ.get("GRADIO_SERVER_NAME") or settings.host
    if "port" in explicit:
        return host, settings.port
    port = environ.get("PORT") or environ.get("GRADIO_SERVER_PORT")
    if port is not None and not port.isdigit():
        raise ValueError(f"PORT / GRADIO_SERVER_PORT must be a port number, got {port!r}")
    return host, int(port) if port else settings.port

"""HTTP API for websites: chat (plain and streaming), feedback, profile, health; FastAPI with OpenAPI docs."""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Iterator

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from fastapi.security import APIKeyHeader
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from chatbot.web.admission import Busy, TurnGate
from chatbot.web.api_schemas import (
    MAX_FACET_CHARS,
    SESSION_ID_HINT,
    SESSION_ID_PATTERN,
    ChatRequest,
    ChatResponse,
    ErrorResponse,
    ExportResponse,
    FacetRequest,
    FeedbackRequest,
    ForgetResponse,
    HealthResponse,
    ProfileResponse,
    items_out,
    new_session_id,
    profile_out,
)
from chatbot.engine import InputError, check_facet
from chatbot.web.http_guards import MAX_BODY_BYTES, BodySizeLimit, ClientRateLimit, SlotHeldStreamingResponse
from chatbot.web.rate_limit import make_rate_limiter
from chatbot.web.readiness import EngineSlot, NotReady

if TYPE_CHECKING:
    from chatbot.config import Settings
    from chatbot.engine import Engine
    from chatbot.types import TurnResult

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5
MAX_ECHO_CHARS = 80  # errors name the field or route at fault; a 60 KB field name is not worth echoing in full


def cors_origins(setting: str) -> list[str]:
    """The comma-separated RECBOT_CORS_ORIGINS value as a list ("*" allows any origin)."""
    return [origin.strip().rstrip("/") for origin in setting.split(",") if origin.strip()]


# --- errors -----------------------------------------------------------------------------------------------------


def _echo(part: object) -> str:
    """A client-sent name as it may appear in an error: at most MAX_ECHO_CHARS of it."""
    name = str(part)
    return name if len(name) <= MAX_ECHO_CHARS else name[:MAX_ECHO_CHARS] + "…"


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(_echo(p) for p in error.get("loc", ()) if p not in ("body", "path", "query"))
    kind, msg = error.get("type", ""), error.get("msg", "invalid value")
    if kind == "missing" and not where:
        return "request body is required: send JSON such as {\"message\": \"...\"}"
    if kind == "json_invalid":
        return f"request body is not valid JSON ({error.get('ctx', {}).get('error', msg)})"
    if kind == "string_pattern_mismatch" and where.endswith("session_id"):
        return f"{where}: invalid session id; {SESSION_ID_HINT}"
    if kind == "string_unicode":
        return f"{where or 'request body'}: not valid Unicode text (a lone surrogate escape such as \\ud800)"
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
    compact = [{"loc": [p if isinstance(p, int) else _echo(p) for p in e.get("loc", ())],
                "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors]
    return JSONResponse({"detail": detail, "errors": compact}, status_code=422)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail
    if exc.status_code == 400 and detail == "There was an error parsing the body":
        # FastAPI's words for a body it could not decode (e.g. not UTF-8); say what to send instead.
        detail = "request body could not be read as JSON; send UTF-8 encoded JSON such as {\"message\": \"...\"}"
    elif exc.status_code in (404, 405) and detail in ("Not Found", "Method Not Allowed") and \
            request.url.path.startswith("/api/"):
        # Starlette's words when no route matches (e.g. an empty session id in the path); name the route tried.
        what = "no such route" if exc.status_code == 404 else "this route does not take"
        where = _echo(f"{request.method} {request.url.path}")
        detail = f"{what}: {where}; the API's routes are listed at /docs"
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


async def _not_ready(request: Request, exc: NotReady) -> JSONResponse:
    r = exc.readiness
    detail = f"the recommender is not ready yet ({r.message}); retry in a few seconds"
    if r.status == "error":
        return JSONResponse({"detail": r.message}, status_code=503)
    return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})


async def _busy(request: Request, exc: Busy) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": str(exc.retry_after_s)})


async def _input_error(request: Request, exc: InputError) -> JSONResponse:
    # Only InputError: its message is written for the caller. Any other ValueError is a bug and stays a 500.
    return JSONResponse({"detail": str(exc)}, status_code=400)


# --- routes -----------------------------------------------------------------------------------------------------

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The input cannot be used as sent (e.g. no visible text)."},
    401: {"model": ErrorResponse, "description": "Missing or wrong X-API-Key (only when an API key is configured)."},
    404: {"model": ErrorResponse, "description": "Unknown session id (POST /api/chat starts one) or item id."},
    413: {"model": ErrorResponse, "description": "Request body too large."},
    422: {"model": ErrorResponse, "description": "The request does not match the schema."},
    429: {"model": ErrorResponse, "description": "Rate limit hit (per session or per client address); retry after "
          "Retry-After seconds."},
    503: {"model": ErrorResponse, "description": "Not ready yet (indexing), or busy: every chat turn slot and "
          "waiting place is taken; retry after Retry-After seconds."},
}

PathSessionId = Annotated[str, PathParam(pattern=SESSION_ID_PATTERN, description="1-128 chars of [A-Za-z0-9_-].")]


API_KEY_HEADER = APIKeyHeader(name="X-API-Key", auto_error=False, description="Required when RECBOT_API_KEY is set.")
ApiKey = Annotated["str | None", Depends(API_KEY_HEADER)]


def _api_key_check(expected: str | None) -> Callable[..., None]:
    def check(key: ApiKey) -> None:
        if expected and not (key and secrets.compare_digest(key.encode(), expected.encode())):
            raise HTTPException(401, "missing or wrong X-API-Key header; send the key configured in RECBOT_API_KEY")

    return check


def _turn_body(result: TurnResult, reply: str) -> dict[str, Any]:
    return {
        "session_id": result.session_id, "reply": reply, "items": items_out(result.items),
        "profile": profile_out(result.profile), "clarifying": result.clarifying,
    }


def _whole_turn(engine: Engine, session_id: str, message: str) -> dict[str, Any]:
    """Run a turn and wait for the whole reply (in a worker thread: retrieval and the model block)."""
    result = engine.turn(session_id, message)
    return _turn_body(result, "".join(result.stream))


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
    yield line({"type": "done", **_turn_body(result, "".join(said))})


def _require_session(engine: Engine, session_id: str) -> None:
    if not engine.has_session(session_id):
        raise HTTPException(404, f"unknown session id {session_id!r}; start a conversation with POST /api/chat, "
                                 "which returns a session_id")


def build_router(slot: EngineSlot, settings: Settings, gate: TurnGate) -> APIRouter:
    """The /api routes, bound to an engine slot; chat turns pass the per-session rate limit and the turn gate."""
    router = APIRouter(prefix="/api", responses=ERRORS)
    guarded = [Depends(_api_key_check(settings.api_key))]
    session_turns = make_rate_limiter(settings.session_turns_per_minute, settings.database_url, "session")

    def start_turn(body: ChatRequest) -> tuple[Engine, str]:
        engine = slot.require()
        if body.session_id is None:  # a new session: only the per-client limit applies
            return engine, new_session_id()
        wait = session_turns.hit(body.session_id)
        if wait:
            raise HTTPException(
                429, f"rate limit: at most {session_turns.per_minute} chat turns a minute per session; "
                f"retry in {wait} s", headers={"Retry-After": str(wait)},
            )
        return engine, body.session_id

    async def turn_start(body: ChatRequest) -> tuple[Engine, str]:
        if session_turns.blocking:  # keep the event loop free while the shared bucket is read
            return await run_in_threadpool(start_turn, body)
        return start_turn(body)

    @router.get("/health", response_model=HealthResponse, tags=["service"])
    def health() -> JSONResponse:
        """Readiness: 200 {"status": "ok"} when ready; 503 with progress while indexing or loading."""
        r = slot.readiness()
        return JSONResponse(asdict(r), status_code=200 if r.status == "ok" else 503)

    @router.post("/chat", response_model=ChatResponse, dependencies=guarded, tags=["chat"])
    async def chat(body: ChatRequest) -> dict[str, Any]:
        """Send a message and get the whole reply, the recommended items and the updated profile."""
        engine, session_id = await turn_start(body)
        async with gate.admit():
            return await run_in_threadpool(_whole_turn, engine, session_id, body.message)

    @router.post(
        "/chat/stream", dependencies=guarded, tags=["chat"], response_class=StreamingResponse,
        responses={200: {"content": {"application/x-ndjson": {}}, "description": "NDJSON events, one per line."}},
    )
    async def chat_stream(body: ChatRequest) -> StreamingResponse:
        """Like /api/chat, streamed as NDJSON: {"type":"delta","text"}… then {"type":"done", reply, items, …}."""
        engine, session_id = await turn_start(body)
        release = await gate.enter()  # held until the stream ends or the client leaves
        try:
            result = await run_in_threadpool(engine.turn, session_id, body.message)
        except BaseException:
            release()
            raise
        return SlotHeldStreamingResponse(
            _stream_events(result), release, media_type="application/x-ndjson",
            # no-transform / X-Accel-Buffering: proxies must pass chunks through as they come.
            headers={"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no",
                     "X-Session-Id": result.session_id},
        )

    @router.post("/feedback", response_model=ProfileResponse, dependencies=guarded, tags=["profile"])
    def feedback(body: FeedbackRequest) -> dict[str, Any]:
        """Like or dislike a recommended item; returns the updated profile."""
        engine = slot.require()
        _require_session(engine, body.session_id)
        if engine.catalog.get(body.item_id) is None:
            raise HTTPException(404, f"unknown item id {body.item_id!r}; use an item_id from a recommendation")
        profile = engine.feedback(body.session_id, body.item_id, body.liked)
        return {"session_id": body.session_id, "profile": profile_out(profile)}

    @router.get("/profile/{session_id}", response_model=ProfileResponse, dependencies=guarded, tags=["profile"])
    def profile(session_id: PathSessionId) -> dict[str, Any]:
        """The current decayed interest profile of a session (404 for a session with nothing stored)."""
        engine = slot.require()
        _require_session(engine, session_id)
        return {"session_id": session_id, "profile": profile_out(engine.profile(session_id))}

    @router.get("/profile/{session_id}/export", dependencies=guarded, tags=["profile"],
                responses={200: {"model": ExportResponse, "description": "A JSON download."}})
    def export(session_id: PathSessionId) -> JSONResponse:
        """Everything stored about the session: every event and the full profile, as a JSON download."""
        engine = slot.require()
        _require_session(engine, session_id)
        return JSONResponse(engine.export(session_id),
                            headers={"Content-Disposition": f'attachment; filename="recbot-{session_id}.json"'})

    def remove(session_id: str, facet: str) -> dict[str, Any]:
        if len(facet) > MAX_FACET_CHARS:
            raise HTTPException(422, f"facet is longer than {MAX_FACET_CHARS} characters")
        check_facet(facet)
        engine = slot.require()
        _require_session(engine, session_id)
        return {"session_id": session_id, "profile": profile_out(engine.remove_facet(session_id, facet))}

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
        """Forget me: delete every stored event of the session. Idempotent: an unknown session gives deleted 0."""
        return {"session_id": session_id, "deleted": slot.require().forget(session_id)}

    return router


def create_api(slot: EngineSlot, settings: Settings, *, max_body_bytes: int = MAX_BODY_BYTES) -> FastAPI:
    """The FastAPI app: /api routes, error handlers, body and rate limits, the turn gate, CORS, docs at /docs.

    The turn gate is app.state.turn_gate (tests and health checks can read how many turns run and wait).
    """
    app = FastAPI(
        title="recbot API",
        description="Conversational recommendations for websites. Every route but /api/health needs X-API-Key "
        "when the server sets RECBOT_API_KEY. Errors are JSON {\"detail\": \"...\"}; 429 and 503 come with "
        "Retry-After.",
        version="1",
        docs_url="/docs",
        redoc_url=None,
    )
    gate = TurnGate(settings.max_active_turns, settings.max_queued_turns)
    app.state.turn_gate = gate
    app.include_router(build_router(slot, settings, gate))
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(NotReady, _not_ready)  # type: ignore[arg-type]
    app.add_exception_handler(Busy, _busy)  # type: ignore[arg-type]
    app.add_exception_handler(InputError, _input_error)  # type: ignore[arg-type]
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    # Outside the body limit: a client over its rate is turned away before its body is read.
    app.add_middleware(ClientRateLimit, limiter=make_rate_limiter(settings.client_requests_per_minute,
                                                                   settings.database_url, "client"))
    origins = cors_origins(settings.cors_origins)
    if origins:  # added last = outermost, so even 413/429/401 answers carry CORS headers the browser can read
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
    if port is not None and not port.isdecimal():
        raise ValueError(f"PORT / GRADIO_SERVER_PORT must be a port number, got {port!r}")
    return host, int(port) if port else settings.port

"""ASGI guards of the HTTP API: request body size, per-client rate limit, and turn slots held while streaming."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, StreamingResponse

from chatbot.web.admission import Release
from chatbot.web.rate_limit import RateLimiter, SharedRateLimiter

MAX_BODY_BYTES = 64 * 1024  # a 2,000-character message is at most ~8 KB as JSON; anything far bigger is abuse
UNLIMITED_PATHS = ("/api/health",)  # probes must always get through


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


def client_address(scope: dict[str, Any]) -> str:
    """The client's host as the server reports it (behind a proxy, uvicorn's --forwarded-allow-ips decides it)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def too_many(detail: str, retry_after_s: int) -> JSONResponse:
    """A 429 answer saying which limit was hit and when to retry."""
    return JSONResponse({"detail": detail}, status_code=429, headers={"Retry-After": str(retry_after_s)})


class ClientRateLimit:
    """ASGI middleware: 429 once one client address sends more than the limiter allows to `prefix` (health exempt)."""

    def __init__(self, app: Any, limiter: RateLimiter | SharedRateLimiter, prefix: str = "/api/") -> None:
        self.app = app
        self.limiter = limiter
        self.prefix = prefix

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        path = scope.get("path", "")
        if (scope["type"] != "http" or not self.limiter.enabled or not path.startswith(self.prefix)
                or path in UNLIMITED_PATHS or scope.get("method") == "OPTIONS"):
            await self.app(scope, receive, send)
            return
        key = client_address(scope)
        wait = await run_in_threadpool(self.limiter.hit, key) if self.limiter.blocking else self.limiter.hit(key)
        if wait:
            detail = (f"rate limit: at most {self.limiter.per_minute} API requests a minute from one client address; "
                      f"retry in {wait} s")
            await too_many(detail, wait)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SlotHeldStreamingResponse(StreamingResponse):
    """A streaming response that gives its turn slot back when the stream ends, fails, or the client leaves."""

    def __init__(self, content: Iterator[bytes], release: Release, **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self._source = content
        self._release = release

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            try:
                # A stream abandoned part-way is closed here, so its cleanup (logging the reply so far) runs now.
                close = getattr(self._source, "close", None)
                if close is not None:
                    await run_in_threadpool(close)
            finally:
                self._release()

"""Serve the API at once and mount the Gradio UI at / once it is built: importing Gradio alone takes ~4.7 s here.

Until then / answers with a small page that reloads itself, so a browser lands in the chat as soon as it exists,
while /api, /docs and /examples (the website widget) work from the first second.
"""

from __future__ import annotations

import asyncio
import html
import logging
import threading
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, AsyncIterator, Callable

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.routing import Route

log = logging.getLogger(__name__)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">{refresh}<title>recbot</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem">
<p>{message}</p><p>The <a href="/docs">HTTP API</a> and the <a href="/examples">example site</a> already work.</p>
</body></html>
"""


class LateUI:
    """Builds the UI in a thread after the server starts, mounts it at /, and runs its start-up in the server's loop."""

    def __init__(self, app: FastAPI, build: Callable[[], Any]) -> None:
        """build returns the gr.Blocks (it imports Gradio, so call nothing of Gradio before it runs)."""
        self.app = app
        self.build = build
        self.mounted = threading.Event()
        self.error: str | None = None
        self._stack = AsyncExitStack()
        self._placeholder = Route("/", self._starting_page, methods=["GET", "HEAD"], include_in_schema=False)
        app.router.routes.append(self._placeholder)
        outer = app.router.lifespan_context

        @asynccontextmanager
        async def lifespan(served: Any) -> AsyncIterator[Any]:
            async with outer(served) as state:
                loop = asyncio.get_running_loop()
                threading.Thread(target=self._build_and_mount, args=(loop,), name="ui-build", daemon=True).start()
                try:
                    yield state
                finally:
                    await self._stack.aclose()  # the UI's own shutdown (its queue), if it got that far

        app.router.lifespan_context = lifespan

    async def _starting_page(self, request: Any) -> HTMLResponse:
        if self.error:  # it stays broken: no reload loop
            message = f"The chat page could not be built ({html.escape(self.error)}); see the server log."
            return HTMLResponse(PAGE.format(refresh="", message=message), status_code=500)
        message = "Starting the chat… this page reloads by itself."
        return HTMLResponse(PAGE.format(refresh='<meta http-equiv="refresh" content="1">', message=message),
                            status_code=503, headers={"Retry-After": "1"})

    def _build_and_mount(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            blocks = self.build()
            import gradio as gr

            # mount_gradio_app chains the UI's start-up onto the app's lifespan, which the server already ran;
            # mounting onto an empty one gives the UI's start-up alone, to run in the server's loop now.
            served_lifespan = self.app.router.lifespan_context
            self.app.router.lifespan_context = _no_lifespan
            try:
                # No footer: its "Use via API" link points at Gradio's event API, not this documented one (/docs).
                gr.mount_gradio_app(self.app, blocks, path="/", footer_links=[])
                ui_lifespan = self.app.router.lifespan_context
            finally:
                self.app.router.lifespan_context = served_lifespan
            asyncio.run_coroutine_threadsafe(self._stack.enter_async_context(ui_lifespan(self.app)), loop).result()
            self.app.router.routes.remove(self._placeholder)  # the mount at / now answers
            log.info("chat UI mounted at /")
        except Exception as exc:  # noqa: BLE001 - the API keeps serving; the page says what went wrong
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("building the chat UI failed; the API still serves")
        finally:
            self.mounted.set()


@asynccontextmanager
async def _no_lifespan(app: Any) -> AsyncIterator[None]:
    yield None

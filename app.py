"""Run the recommender: chat UI at /, HTTP API at /api (docs at /docs), example site at /examples.

`python app.py` is also the Hugging Face Spaces entry point. The server answers at once; the engine (catalog
index, models) is built in a background thread while the page shows progress, and the chat page itself is mounted
as soon as Gradio is imported (about 5 s here), so the HTTP API does not wait for it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import uvicorn

from chatbot.web.api import create_app, listen_address
from chatbot.components import build_engine
from chatbot.config import ConfigError, load_settings
from chatbot.data_lock import DataDirBusy, lock_data_dir
from chatbot.web.late_ui import LateUI
from chatbot.web.readiness import EngineSlot

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
ENGINE_FIRST_S = 10.0  # how long the chat page waits for the engine before it is built anyway


def main() -> None:
    """Build settings, start building the engine in the background, and serve everything on one port."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
        lock_data_dir(settings.data_dir)  # here, not in the background build: a second server must not start
    except (ConfigError, DataDirBusy) as exc:
        raise SystemExit(f"error: {exc}") from None
    slot = EngineSlot()
    engine_build = slot.build_in_background(lambda progress: build_engine(settings, progress=progress).engine)
    app = create_app(settings, slot, None, EXAMPLES_DIR)

    def build_chat_page() -> object:
        # Importing Gradio (~4.7 s) and loading the engine are both mostly Python, so on two cores they share one
        # interpreter lock: side by side, each took about the sum (/api/health 200 after ~7 s). The engine goes
        # first; a long build (indexing a new catalog) lets the page come up meanwhile to show its progress.
        engine_build.join(timeout=ENGINE_FIRST_S)
        from chatbot.web.ui import build_ui

        return build_ui(slot, concurrency=settings.max_active_turns, max_queued=settings.max_queued_turns,
                        session_turns_per_minute=settings.session_turns_per_minute)

    LateUI(app, build_chat_page)
    host, port = listen_address(settings, dict(os.environ))
    uvicorn.run(app, host=host, port=port)


if __name__ == "__main__":
    main()

"""Run the recommender: chat UI at /, HTTP API at /api (docs at /docs), example site at /examples.

`python app.py` is also the Hugging Face Spaces entry point. The server answers at once; the engine (catalog
index, models) is built in a background thread while the page shows progress.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import uvicorn

from chatbot.api import create_app, listen_address
from chatbot.components import build_engine
from chatbot.config import ConfigError, load_settings
from chatbot.data_lock import DataDirBusy, lock_data_dir
from chatbot.readiness import EngineSlot
from chatbot.ui import build_ui

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"


def main() -> None:
    """Build settings, start building the engine in the background, and serve everything on one port."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
        lock_data_dir(settings.data_dir)  # here, not in the background build: a second server must not start
    except (ConfigError, DataDirBusy) as exc:
        raise SystemExit(f"error: {exc}") from None
    slot = EngineSlot()
    slot.build_in_background(lambda progress: build_engine(settings, progress=progress).engine)
    blocks = build_ui(slot, concurrency=settings.max_active_turns, max_queued=settings.max_queued_turns)
    app = create_app(settings, slot, blocks, EXAMPLES_DIR)
    host, port = listen_address(settings, dict(os.environ))
    uvicorn.run(app, host=host, port=port)


if __name__ == "__main__":
    main()

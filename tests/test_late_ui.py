"""The chat page mounted after the server starts: the API answers first, then / becomes the real Gradio UI."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx

from live_server import serve

REPO = Path(__file__).resolve().parent.parent


def late_app(make_small_engine, tmp_path: Path, build):  # noqa: ANN001
    """The app as app.py serves it: API and examples at once, the UI from build() later."""
    from chatbot.web.api import create_app
    from chatbot.config import load_settings
    from chatbot.web.late_ui import LateUI
    from chatbot.llm.fake import FakeChatModel
    from chatbot.web.readiness import EngineSlot

    slot = EngineSlot(make_small_engine(FakeChatModel(default="Here you go.")))
    settings = load_settings(data_dir=tmp_path, chat_backend="fake", llm_signals=False, api_key=None,
                             cors_origins="")
    app = create_app(settings, slot, None, REPO / "examples")
    return slot, LateUI(app, lambda: build(slot))


def test_api_serves_while_the_page_is_built_then_the_page_is_gradio(make_small_engine, tmp_path: Path) -> None:
    release = threading.Event()

    def build(slot):  # noqa: ANN001, ANN202
        assert release.wait(60)
        from chatbot.web.ui import build_ui

        return build_ui(slot)

    _, late = late_app(make_small_engine, tmp_path, build)
    with serve(late.app) as url:
        starting = httpx.get(url + "/")
        assert starting.status_code == 503 and "reloads by itself" in starting.text
        assert starting.headers["retry-after"] == "1" and 'http-equiv="refresh"' in starting.text
        assert httpx.get(url + "/api/health").status_code == 200
        reply = httpx.post(url + "/api/chat", json={"message": "a space comedy"}, timeout=60)
        assert reply.status_code == 200 and reply.json()["items"]
        assert httpx.get(url + "/examples/", follow_redirects=True).status_code == 200
        release.set()
        assert late.mounted.wait(60) and late.error is None
        page = httpx.get(url + "/")
        assert page.status_code == 200 and "gradio" in page.text.lower() and "reloads by itself" not in page.text
        assert httpx.get(url + "/gradio_api/info").status_code == 200  # the UI's own routes, after its start-up
        assert httpx.get(url + "/api/health").status_code == 200  # the API still comes first


def test_a_page_that_cannot_be_built_is_reported_and_the_api_keeps_serving(make_small_engine,
                                                                          tmp_path: Path) -> None:
    def build(slot):  # noqa: ANN001, ANN202
        raise RuntimeError("no display today")

    _, late = late_app(make_small_engine, tmp_path, build)
    with serve(late.app) as url:
        assert late.mounted.wait(60)
        page = httpx.get(url + "/")
        assert page.status_code == 500 and "RuntimeError: no display today" in page.text
        assert "http-equiv" not in page.text  # no reload loop on an error that stays
        assert httpx.get(url + "/api/health").status_code == 200


def test_the_error_on_the_page_is_escaped(make_small_engine, tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"

    def build(slot):  # noqa: ANN001, ANN202
        raise ValueError(hostile)

    _, late = late_app(make_small_engine, tmp_path, build)
    with serve(late.app) as url:
        assert late.mounted.wait(60)
        text = httpx.get(url + "/").text
        assert hostile not in text and "&lt;script&gt;" in text

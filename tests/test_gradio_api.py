"""The Gradio API a Space's users call: the README's gradio_client example run against the app as app.py serves it.

Only /chat, /feedback and /profile are listed and callable; the page's own events are private. The server runs
in-process on loopback with a fixed fake reply on the sample catalog; every connection made during a test must
go to the loopback address (gradio_client must not reach out to the Hub or anywhere else).
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any, Iterator

import pytest

from live_server import serve

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
REPLY = "Here are some picks for you."
README_URL = 'Client("http://127.0.0.1:7860/")'
ENDPOINTS = {"/chat", "/feedback", "/profile"}


def readme_example() -> str:
    """The python block that follows the gradio-client-example marker in the README."""
    readme = (REPO / "README.md").read_text()
    found = re.search(r"<!-- gradio-client-example[^>]*-->\n```python\n(.*?)\n```", readme, re.S)
    assert found, "README.md lost its gradio_client example (the block after <!-- gradio-client-example -->)"
    return found.group(1)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, sample_catalog, sample_store) -> Iterator[str]:
    from conftest import build_app

    from chatbot.config import load_settings
    from chatbot.web.api import create_app
    from chatbot.web.late_ui import LateUI
    from chatbot.web.readiness import EngineSlot
    from chatbot.web.ui import build_ui

    folder = tmp_path_factory.mktemp("gradio-api")
    engine = build_app(folder / "data", sample_catalog, sample_store).engine
    slot = EngineSlot(engine)
    settings = load_settings(data_dir=folder / "app", chat_backend="fake", llm_signals=False, api_key=None,
                             cors_origins="")
    # As app.py does: the HTTP API at once, the Gradio app mounted at / once built.
    late = LateUI(create_app(settings, slot, None, REPO / "examples"), lambda: build_ui(slot))
    with serve(late.app) as url:
        assert late.mounted.wait(120) and late.error is None, late.error
        yield url


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Record (and refuse) every connection this process opens to anything but the loopback address."""
    outside: list[Any] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        host = address if isinstance(address, (str, bytes)) else str(address[0])
        if not isinstance(address, (str, bytes)) and not (host.startswith("127.") or host == "::1"):
            outside.append(address)
            raise OSError(101, "test_gradio_api: only loopback connections are allowed")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield outside
    assert outside == [], f"connections outside loopback: {outside}"


@pytest.fixture(scope="module")
def client(base_url: str):  # noqa: ANN201
    from gradio_client import Client

    return Client(base_url + "/", verbose=False)


def test_the_readme_example_runs_as_written(base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    source = readme_example()
    assert source.count(README_URL) == 1  # the only change made to it: where the server is
    namespace: dict[str, Any] = {}
    exec(compile(source.replace(README_URL, f'Client("{base_url}/", verbose=False)'), "README", "exec"), namespace)
    turn, liked, profile = namespace["turn"], namespace["liked"], namespace["profile"]
    assert turn["reply"].startswith(REPLY) and re.fullmatch(r"[0-9a-f]{32}", turn["session_id"])
    assert turn["items"] and all(item["reasons"] and item["item_id"] and item["title"] for item in turn["items"])
    assert set(turn["items"][0]) >= {"item_id", "title", "year", "description", "score", "reasons", "long_tail"}
    assert isinstance(turn["clarifying"], bool) and isinstance(turn["profile"], list)
    first = turn["items"][0]
    liked_facets = {f["facet"]: f["weight"] for f in liked["profile"]}
    assert liked_facets.get(f"item:{first['item_id']}", 0) > 0  # the like is in the profile the call returns
    assert profile["session_id"] == turn["session_id"]
    assert [f["facet"] for f in profile["profile"]] == [f["facet"] for f in liked["profile"]]  # weights decay
    printed = capsys.readouterr().out
    assert REPLY in printed and first["title"] in printed and first["reasons"][0] in printed


def test_view_api_lists_only_the_documented_endpoints(client) -> None:  # noqa: ANN001
    info = client.view_api(print_info=False, return_format="dict")
    assert set(info["named_endpoints"]) == ENDPOINTS and not info["unnamed_endpoints"]
    chat = info["named_endpoints"]["/chat"]
    assert [p["parameter_name"] for p in chat["parameters"]] == ["message", "session_id"]
    shape = chat["returns"][0]["type"]
    assert set(shape["properties"]) == {"session_id", "reply", "items", "profile", "clarifying"}
    assert "reasons" in shape["properties"]["items"]["items"]["properties"]
    feedback = info["named_endpoints"]["/feedback"]
    assert [p["parameter_name"] for p in feedback["parameters"]] == ["session_id", "item_id", "liked"]
    assert set(feedback["returns"][0]["type"]["properties"]) == {"session_id", "profile"}


def test_the_pages_own_events_cannot_be_called(client) -> None:  # noqa: ANN001
    for hidden in ("/respond", "/card_clicked", "/load", "/forget"):
        with pytest.raises(ValueError, match="Cannot find a function"):
            client.predict("x", api_name=hidden)


def test_two_sessions_do_not_see_each_others_profile(client) -> None:  # noqa: ANN001
    horror = client.predict(message="I love horror films", session_id="", api_name="/chat")
    romance = client.predict(message="a romantic comedy please", session_id="", api_name="/chat")
    a, b = horror["session_id"], romance["session_id"]
    assert a != b
    before_b = client.predict(session_id=b, api_name="/profile")["profile"]
    item = horror["items"][0]
    client.predict(session_id=a, item_id=item["item_id"], liked=True, api_name="/feedback")
    again = client.predict(message="more like that", session_id=a, api_name="/chat")  # same session continues
    assert again["session_id"] == a
    profile_a = client.predict(session_id=a, api_name="/profile")["profile"]
    profile_b = client.predict(session_id=b, api_name="/profile")["profile"]
    liked_facet = f"item:{item['item_id']}"
    assert liked_facet in {f["facet"] for f in profile_a}
    assert [f["facet"] for f in profile_b] == [f["facet"] for f in before_b]  # nothing of a's leaked into b
    assert liked_facet not in {f["facet"] for f in profile_b}
    assert {f["facet"] for f in profile_a} != {f["facet"] for f in profile_b}


def test_errors_say_what_to_fix(client) -> None:  # noqa: ANN001
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="unknown session id"):
        client.predict(session_id="never-used", api_name="/profile")
    with pytest.raises(AppError, match="invalid session id"):
        client.predict(message="hi", session_id="bad id!", api_name="/chat")
    with pytest.raises(AppError, match="blank"):
        client.predict(message="   ", session_id="", api_name="/chat")
    turn = client.predict(message="a space adventure", session_id="", api_name="/chat")
    with pytest.raises(AppError, match="unknown item id"):
        client.predict(session_id=turn["session_id"], item_id="no-such-item", liked=True, api_name="/feedback")


def test_chat_keeps_the_per_session_turn_limit(make_small_engine) -> None:  # noqa: ANN001
    import gradio as gr

    from chatbot.web.gradio_api import ClientAPI
    from chatbot.web.readiness import EngineSlot

    api = ClientAPI(EngineSlot(make_small_engine()), session_turns_per_minute=2)
    session_id = api.chat("a space comedy")["session_id"]  # a new session: not counted, as in POST /api/chat
    api.chat("older films", session_id)
    api.chat("with robots", session_id)
    with pytest.raises(gr.Error, match="rate limit: at most 2 chat turns a minute per session"):
        api.chat("one more", session_id)
    assert api.chat("hello", "")["session_id"] != session_id  # other sessions are not held up


def test_not_ready_yet_says_so() -> None:
    import gradio as gr

    from chatbot.web.gradio_api import ClientAPI
    from chatbot.web.readiness import EngineSlot

    with pytest.raises(gr.Error, match="Not ready yet"):
        ClientAPI(EngineSlot()).chat("hi")

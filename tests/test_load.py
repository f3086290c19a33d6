"""Load through a real uvicorn server: 32 concurrent sessions x 10 turns stay apart; past the bound, 503 busy at once.

The engine is real (small catalog in real Chroma, MiniLM); the chat model is a fake whose reply echoes the marker
it finds in the prompt it was given, so a reply that reached the wrong session would show it.
"""

from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from live_server import serve

pytestmark = pytest.mark.slow

SESSIONS = 32
TURNS = 10
GENRES = ["drama", "comedy", "thriller", "action", "romance", "adventure", "science fiction", "crime", "horror",
          "fantasy", "mystery"]
MARKER_RE = re.compile(r"zx\d\dq")
PICKS_RE = re.compile(r"Picks: ([^;\n]+?)(?:;|\.\n|\.$)")
TIMEOUT_S = 120.0  # per request, generous for a loaded CI machine; not a speed assertion


def marker(n: int) -> str:
    return f"zx{n:02d}q"


def first_pick(messages: list[dict[str, str]]) -> str:
    """The first title the reply prompt offers: a lead-in that names no pick is not shown (reply.sense_guard)."""
    found = PICKS_RE.search(messages[-1]["content"])
    return found.group(1).strip() if found else "nothing"


def echo_marker(messages: list[dict[str, str]]) -> str:
    """The fake model's reply: names the marker of the message it was asked about (or says it found none)."""
    found = MARKER_RE.findall(messages[-1]["content"])
    pick = first_pick(messages)
    # Not "session marker X": a lead-in that repeats the request's words back is not shown either.
    return f"{pick} suits marker {found[0]}." if found else f"No marker here, only {pick}."


def api_settings(data_dir, **overrides):
    from chatbot.config import load_settings

    values = dict(data_dir=data_dir, chat_backend="fake", llm_signals=False, api_key=None, cors_origins="")
    return load_settings(**(values | overrides))


def read_stream(response: httpx.Response) -> dict:
    events = [json.loads(line) for line in response.iter_lines() if line]
    assert events and events[-1]["type"] == "done", events
    assert not [e for e in events if e["type"] == "error"], events
    return events[-1]


def converse(base_url: str, n: int, start: threading.Barrier) -> dict:
    """One session: TURNS turns (alternating plain and streamed), then its profile and export."""
    genre, mark = GENRES[n % len(GENRES)], marker(n)
    replies, items_per_turn, session_id = [], [], None
    with httpx.Client(base_url=base_url, timeout=TIMEOUT_S) as client:
        start.wait()
        for turn in range(TURNS):
            body = {"message": f"I love {genre} films, session marker {mark}, turn {turn}"}
            if session_id:
                body["session_id"] = session_id
            if turn % 2:
                with client.stream("POST", "/api/chat/stream", json=body) as response:
                    assert response.status_code == 200, response.read()
                    data = read_stream(response)
            else:
                response = client.post("/api/chat", json=body)
                assert response.status_code == 200, response.text
                data = response.json()
            assert session_id in (None, data["session_id"])
            session_id = data["session_id"]
            replies.append(data["reply"])
            items_per_turn.append([item["item_id"] for item in data["items"]])
        profile = client.get(f"/api/profile/{session_id}")
        export = client.get(f"/api/profile/{session_id}/export")
    assert profile.status_code == 200 and export.status_code == 200
    return {"n": n, "genre": genre, "marker": mark, "session_id": session_id, "replies": replies,
            "items": items_per_turn, "profile": profile.json(), "export": export.json()}


def test_32_concurrent_sessions_of_10_turns_each_stay_apart(make_small_engine, database_url, tmp_path) -> None:
    from chatbot.web.api import create_api
    from chatbot.llm.fake import FakeChatModel
    from chatbot.web.readiness import EngineSlot

    # Against both session backends: SQLite in the data dir, and PostgreSQL through its connection pool.
    engine = make_small_engine(FakeChatModel(echo_marker), database_url=database_url)
    # Room for every session's turn at once; all clients share 127.0.0.1, so the per-client limit is off.
    settings = api_settings(tmp_path, max_active_turns=4, max_queued_turns=SESSIONS, client_requests_per_minute=0,
                            database_url=database_url)
    app = create_api(EngineSlot(engine), settings)
    start = threading.Barrier(SESSIONS)
    with serve(app) as base_url, ThreadPoolExecutor(SESSIONS) as pool:
        results = list(pool.map(lambda n: converse(base_url, n, start), range(SESSIONS)))

    assert len({r["session_id"] for r in results}) == SESSIONS
    for r in results:
        others = {marker(n) for n in range(SESSIONS)} - {r["marker"]}
        # Every reply answers this session's own message ...
        assert len(r["replies"]) == TURNS
        for reply in r["replies"]:
            assert f" suits marker {r['marker']}." in reply
            assert set(MARKER_RE.findall(reply)) == {r["marker"]}
        # ... everything stored under the session is its own ...
        events = r["export"]["events"]
        said = [e["payload"]["text"] for e in events if e["kind"] == "user_message"]
        assert said == [f"I love {r['genre']} films, session marker {r['marker']}, turn {t}" for t in range(TURNS)]
        assert not set(MARKER_RE.findall(json.dumps(r["export"]))) & others
        # ... the items each reply carried are the ones logged as shown to this session, in order ...
        shown = [e["payload"]["item_ids"] for e in events if e["kind"] == "shown"]
        assert shown == r["items"]
        # ... and the profile learned this session's genre.
        weights = {f["facet"]: f["weight"] for f in r["profile"]["profile"]}
        assert weights.get(f"genre:{r['genre']}", 0) > 0
    assert app.state.turn_gate.active == 0 and app.state.turn_gate.waiting == 0


def wait_until(condition, what: str, limit_s: float = 60.0) -> None:
    """Poll until condition() holds; fails (never passes) if it does not within limit_s."""
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.01)


def test_past_the_bound_a_turn_gets_503_busy_at_once_then_works_after_release(make_small_engine, tmp_path) -> None:
    from chatbot.web.api import create_api
    from chatbot.llm.fake import FakeChatModel
    from chatbot.web.readiness import EngineSlot

    entered, release = threading.Event(), threading.Event()

    def blocking_model(messages: list[dict[str, str]]) -> str:
        entered.set()
        release.wait(timeout=TIMEOUT_S)
        return f"Released now, {first_pick(messages)} is first."

    engine = make_small_engine(FakeChatModel(blocking_model))
    settings = api_settings(tmp_path, max_active_turns=1, max_queued_turns=1, client_requests_per_minute=0)
    app = create_api(EngineSlot(engine), settings)
    gate = app.state.turn_gate
    body = {"message": "I love horror films with a haunted house"}
    with serve(app) as base_url, httpx.Client(base_url=base_url, timeout=TIMEOUT_S) as client, \
            ThreadPoolExecutor(2) as pool:
        running = pool.submit(client.post, "/api/chat", json=body)
        assert entered.wait(timeout=TIMEOUT_S), "the first turn never reached the model"
        queued = pool.submit(client.post, "/api/chat/stream", json=body)
        wait_until(lambda: gate.waiting == 1, "the second turn waits for the slot")

        for path in ("/api/chat", "/api/chat/stream"):
            busy = client.post(path, json=body)
            assert busy.status_code == 503
            wait = int(busy.headers["retry-after"])
            assert busy.json()["detail"] == (
                f"busy: 1 chat turn running and 1 waiting, the most this server takes; retry in {wait} s"
            )
        assert not running.done() and not queued.done()  # the 503s came while the blocker still blocked
        assert client.get("/api/health").status_code == 200  # only chat turns are bounded

        release.set()
        first, second = running.result(timeout=TIMEOUT_S), queued.result(timeout=TIMEOUT_S)
        assert first.status_code == 200 and "Released now" in first.json()["reply"]
        assert second.status_code == 200 and '"type": "done"' in second.text
        again = client.post("/api/chat", json=body | {"session_id": first.json()["session_id"]})
        assert again.status_code == 200
    assert gate.active == 0 and gate.waiting == 0


class SpyOnDisconnect:
    """ASGI wrapper that sets `gone` once the server has been told a client hung up."""

    def __init__(self, app) -> None:
        self.app = app
        self.gone = threading.Event()

    async def __call__(self, scope, receive, send) -> None:
        async def spied_receive():
            message = await receive()
            if message["type"] == "http.disconnect":
                self.gone.set()
            return message

        await self.app(scope, spied_receive, send)


class PausingModel:
    """A chat model that says one sentence, then waits for `resume` before the second."""

    def __init__(self) -> None:
        self.resume = threading.Event()

    def stream(self, messages, **options):
        yield f"First sentence names {first_pick(messages)}. "
        self.resume.wait(timeout=TIMEOUT_S)
        yield f"Second sentence names {first_pick(messages)}. "

    def generate(self, messages, **options) -> str:
        return "".join(self.stream(messages))


def test_a_client_that_leaves_mid_stream_gives_its_slot_back(make_small_engine, tmp_path) -> None:
    from chatbot.web.api import create_api
    from chatbot.web.readiness import EngineSlot

    model = PausingModel()
    settings = api_settings(tmp_path, max_active_turns=1, max_queued_turns=0, client_requests_per_minute=0)
    api = create_api(EngineSlot(make_small_engine(model)), settings)
    gate, spy = api.state.turn_gate, SpyOnDisconnect(api)
    body = {"message": "a science fiction film about space travel"}
    with serve(spy) as base_url, httpx.Client(base_url=base_url, timeout=TIMEOUT_S) as client:
        with client.stream("POST", "/api/chat/stream", json=body) as response:
            assert response.status_code == 200
            session_id = response.headers["x-session-id"]
            assert json.loads(next(response.iter_lines()))["text"].startswith("First sentence names ")
        # Hung up while the model is paused: once the server knows, let the model go on.
        assert spy.gone.wait(timeout=TIMEOUT_S), "the server never saw the client leave"
        assert gate.active == 1
        model.resume.set()
        wait_until(lambda: gate.active == 0, "the abandoned stream's slot is free again")
        events = client.get(f"/api/profile/{session_id}/export").json()["events"]
    abandoned = [e["payload"]["text"] for e in events if e["kind"] == "assistant_message"]
    # The reply so far was logged, but the stream stopped there: no item lines were produced after the hang-up.
    assert len(abandoned) == 1 and abandoned[0].startswith("First sentence names ") and "**" not in abandoned[0]

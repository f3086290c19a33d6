"""HTTP API against the real engine (sample catalog in real Chroma, a scripted chat model)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chatbot.web.api import cors_origins, create_api, create_app, listen_address
from chatbot.web.readiness import EngineSlot

REPO = Path(__file__).resolve().parent.parent
REPLY = "Here are some picks for you."
SESSION_RE = re.compile(r"[0-9a-f]{32}")


def settings_for(data_dir: Path, **overrides: object):
    """Settings that ignore the developer's RECBOT_* variables for everything these tests depend on."""
    from chatbot.config import load_settings

    values: dict[str, object] = dict(data_dir=data_dir, chat_backend="fake", llm_signals=False, api_key=None,
                                     cors_origins="")
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture(scope="module")
def engine(tmp_path_factory, sample_catalog, sample_store):
    """One real engine for the module: sessions are independent by id, so tests share it."""
    from chatbot.components import Retrieval, build_engine
    from chatbot.llm.fake import FakeChatModel

    settings = settings_for(tmp_path_factory.mktemp("api-data"))
    retrieval = Retrieval(settings, sample_catalog, sample_store, sample_store.reindex(sample_catalog))
    return build_engine(settings, retrieval=retrieval, chat_model=FakeChatModel(default=REPLY)).engine


@pytest.fixture(scope="module")
def client(engine, tmp_path_factory):
    settings = settings_for(tmp_path_factory.mktemp("api-settings"))
    return TestClient(create_api(EngineSlot(engine), settings))


@pytest.fixture(scope="module")
def known_session(client: TestClient) -> str:
    """A session with stored events, for requests whose point is not the session id."""
    return chat(client, "a western with a train robbery")["session_id"]


def chat(client: TestClient, message: str, session_id: str | None = None) -> dict:
    body = {"message": message} | ({"session_id": session_id} if session_id else {})
    response = client.post("/api/chat", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def facets(profile: list[dict]) -> dict[str, float]:
    return {f["facet"]: f["weight"] for f in profile}


# --- the happy paths --------------------------------------------------------------------------------------------


def test_health_is_ok_when_the_engine_is_ready(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_chat_creates_a_session_and_returns_reply_items_and_profile(client: TestClient, engine) -> None:
    data = chat(client, "I love space adventure films with robots")
    assert SESSION_RE.fullmatch(data["session_id"])
    assert data["reply"].startswith(REPLY)
    assert 1 <= len(data["items"]) <= 5
    for item in data["items"]:
        assert engine.catalog.get(item["item_id"]) is not None
        assert item["title"] and item["reasons"]
        assert set(item) == {"item_id", "title", "year", "description", "image_url", "url", "score", "reasons",
                             "long_tail", "explanations", "explore"}  # explanations: the reasons with their
        # sources (issue 16); explore: a pick chosen to learn from (issue 19), false with exploration off
        assert item["explore"] is False
        assert item["title"] in data["reply"]  # the reply lists the chosen items
    assert any(w > 0 for w in facets(data["profile"]).values())
    # The same session continues: the history has both turns' user messages and new items are offered.
    again = chat(client, "more like that please", data["session_id"])
    assert again["session_id"] == data["session_id"]
    assert not {i["item_id"] for i in again["items"]} & {i["item_id"] for i in data["items"]}
    assert [m["role"] for m in engine.history(data["session_id"])] == ["user", "assistant"] * 2


def test_streaming_chat_sends_deltas_then_a_final_event(client: TestClient) -> None:
    with client.stream("POST", "/api/chat/stream", json={"message": "a funny animated film for kids"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        session_id = response.headers["x-session-id"]
        events = [json.loads(line) for line in response.iter_lines() if line]
    deltas = [e for e in events if e["type"] == "delta"]
    assert len(deltas) > 1, "the reply should arrive in several chunks"
    done = events[-1]
    assert done["type"] == "done" and [e["type"] for e in events[:-1]] == ["delta"] * (len(events) - 1)
    assert done["session_id"] == session_id
    assert done["reply"] == "".join(e["text"] for e in deltas)
    assert done["items"] and done["profile"]


def test_feedback_changes_the_profile(client: TestClient) -> None:
    data = chat(client, "crime thrillers with a heist")
    sid, first, second = data["session_id"], data["items"][0]["item_id"], data["items"][1]["item_id"]
    liked = client.post("/api/feedback", json={"session_id": sid, "item_id": first, "liked": True})
    assert liked.status_code == 200
    assert facets(liked.json()["profile"])[f"item:{first}"] > 0
    disliked = client.post("/api/feedback", json={"session_id": sid, "item_id": second, "liked": False})
    assert facets(disliked.json()["profile"])[f"item:{second}"] < 0
    # The profile endpoint agrees (weights decay a little between the two calls).
    assert facets(client.get(f"/api/profile/{sid}").json()["profile"]) == pytest.approx(
        facets(disliked.json()["profile"]), rel=1e-3
    )


def test_remove_facet_by_path_and_by_body(client: TestClient) -> None:
    data = chat(client, "I love horror and comedy films")
    sid = data["session_id"]
    item = data["items"][0]["item_id"]
    client.post("/api/feedback", json={"session_id": sid, "item_id": item, "liked": True})
    before = facets(client.get(f"/api/profile/{sid}").json()["profile"])
    assert f"item:{item}" in before and "genre:horror" in before

    by_path = client.delete(f"/api/profile/{sid}/facets/item:{item}")
    assert by_path.status_code == 200
    assert f"item:{item}" not in facets(by_path.json()["profile"])
    by_body = client.request("DELETE", f"/api/profile/{sid}/facets", json={"facet": "genre:horror"})
    assert by_body.status_code == 200
    after = facets(by_body.json()["profile"])
    assert "genre:horror" not in after and set(after) < set(before)


def test_export_has_every_event_and_forget_empties_the_session(client: TestClient) -> None:
    data = chat(client, "films about chess")
    sid = data["session_id"]
    client.post("/api/feedback", json={"session_id": sid, "item_id": data["items"][0]["item_id"], "liked": True})
    export = client.get(f"/api/profile/{sid}/export")
    assert export.status_code == 200
    assert "attachment" in export.headers["content-disposition"]
    kinds = {e["kind"] for e in export.json()["events"]}
    assert {"user_message", "assistant_message", "shown", "feedback"} <= kinds

    forgotten = client.delete(f"/api/profile/{sid}")
    assert forgotten.status_code == 200 and forgotten.json()["deleted"] >= 5
    # Nothing is left: the session is unknown now, and forgetting again is harmless.
    assert client.get(f"/api/profile/{sid}").status_code == 404
    assert client.get(f"/api/profile/{sid}/export").status_code == 404
    assert client.delete(f"/api/profile/{sid}").json() == {"session_id": sid, "deleted": 0}


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/api/profile/never-seen-before", None),
    ("GET", "/api/profile/never-seen-before/export", None),
    ("DELETE", "/api/profile/never-seen-before/facets/genre:horror", None),
    ("DELETE", "/api/profile/never-seen-before/facets", {"facet": "genre:horror"}),
    ("POST", "/api/feedback", {"session_id": "never-seen-before", "item_id": "tmdb:775", "liked": True}),
])
def test_unknown_session_is_a_404_that_says_how_to_start_one(
    client: TestClient, method: str, path: str, body: dict | None
) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "unknown session id 'never-seen-before'" in detail and "POST /api/chat" in detail


def test_forgetting_an_unknown_session_deletes_nothing_and_succeeds(client: TestClient) -> None:
    response = client.delete("/api/profile/never-seen-before")
    assert response.status_code == 200 and response.json() == {"session_id": "never-seen-before", "deleted": 0}


def test_openapi_docs_list_every_route(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/chat", "/api/chat/stream", "/api/feedback", "/api/profile/{session_id}",
            "/api/profile/{session_id}/export", "/api/profile/{session_id}/facets/{facet}", "/api/health"} <= set(paths)
    chat_body = paths["/api/chat"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert chat_body["$ref"].endswith("ChatRequest")


# --- bad input: always a 4xx with a message that says what was wrong ----------------------------------------------

BAD_REQUESTS = [
    # (method, path, raw body or None, status, words the detail must contain); KNOWN stands for a stored session
    ("POST", "/api/chat", None, 422, "body is required"),
    ("POST", "/api/chat", "{", 422, "not valid JSON"),
    ("POST", "/api/chat", "[]", 422, "JSON object"),
    ("POST", "/api/chat", '"hello"', 422, "JSON object"),
    ("POST", "/api/chat", b'{"message": "\xff\xfe"}', 400, "UTF-8"),
    ("POST", "/api/chat", '{"message": 5}', 422, "message"),
    ("POST", "/api/chat", '{"message": ["a", "b"]}', 422, "message"),
    ("POST", "/api/chat", '{"message": null}', 422, "message"),
    ("POST", "/api/chat", '{"message": ""}', 422, "message"),
    ("POST", "/api/chat", '{"message": "  \\n "}', 422, "blank"),
    ("POST", "/api/chat", json.dumps({"message": "x" * 2001}), 422, "2000"),
    ("POST", "/api/chat", '{"message": "hi", "session_id": "no spaces allowed"}', 422, "session id"),
    ("POST", "/api/chat", json.dumps({"message": "hi", "session_id": "a" * 129}), 422, "session id"),
    ("POST", "/api/chat", '{"message": "hi", "session_id": 7}', 422, "session_id"),
    ("POST", "/api/chat", '{"message": "hi", "colour": "red"}', 422, "unknown field"),
    ("POST", "/api/chat/stream", '{"message": 5}', 422, "message"),
    ("POST", "/api/feedback", '{"session_id": "KNOWN", "item_id": "no-such-item", "liked": true}', 404, "unknown item"),
    ("POST", "/api/feedback", '{"session_id": "s1", "item_id": "tmdb:775", "liked": "yes"}', 422, "liked"),
    ("POST", "/api/feedback", '{"session_id": "s1", "item_id": "tmdb:775"}', 422, "liked"),
    ("POST", "/api/feedback", '{"item_id": "tmdb:775", "liked": true}', 422, "session_id"),
    ("POST", "/api/feedback", '{"session_id": "s1", "item_id": "", "liked": true}', 422, "item_id"),
    ("GET", "/api/profile/bad!id", None, 422, "session id"),
    ("GET", "/api/profile/" + "a" * 129, None, 422, "session id"),
    ("GET", "/api/profile/bad!id/export", None, 422, "session id"),
    ("DELETE", "/api/profile/bad!id", None, 422, "session id"),
    ("DELETE", "/api/profile/KNOWN/facets/no-colon", None, 400, "facet"),
    ("DELETE", "/api/profile/KNOWN/facets/genre%3A%09tab", None, 400, "printable"),
    ("POST", "/api/chat", '{"message": "\\u0000\\u200f\\u0007"}', 400, "no visible text"),
    ("POST", "/api/chat", '{"message": "hi \\ud800"}', 422, "lone surrogate"),
    ("POST", "/api/chat", '{"message": "hi", "\\ud800x": 1}', 422, "request body: not valid Unicode"),
    ("POST", "/api/chat", json.dumps({"message": "hi", "k" * 5000: 1}), 422, "k" * 80 + "…: unknown field"),
    ("GET", "/api/profile/", None, 404, "no such route: GET /api/profile/"),
    ("DELETE", "/api/profile/s1/facets/" + "genre:" + "x" * 400, None, 422, "facet"),
    ("DELETE", "/api/profile/s1/facets", '{"facet": 3}', 422, "facet"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "words"), BAD_REQUESTS,
                         ids=[f"{m} {p[:40]} {b[:30] if b else ''}" for m, p, b, _, _ in BAD_REQUESTS])  # type: ignore[index]
def test_bad_input_gets_a_4xx_with_a_clear_message(
    client: TestClient, known_session: str, method: str, path: str, body: str | bytes | None, status: int,
    words: str,
) -> None:
    headers = {"content-type": "application/json"} if body is not None else {}
    if isinstance(body, str):
        body = body.replace("KNOWN", known_session)
    response = client.request(method, path.replace("KNOWN", known_session), content=body, headers=headers)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and words.lower() in detail.lower()


def test_body_that_is_not_json_says_which_content_type_to_send(client: TestClient) -> None:
    response = client.post("/api/chat", content=b'{"message": "hi"}', headers={"content-type": "text/plain"})
    assert response.status_code == 422 and "application/json" in response.json()["detail"]


def test_non_numeric_content_length_is_a_400(client: TestClient) -> None:
    response = client.post("/api/chat", content=b'{"message": "hi"}', headers={"content-length": "abc"})
    assert response.status_code == 400 and "Content-Length" in response.json()["detail"]


def test_huge_body_gets_413_whether_declared_or_chunked(client: TestClient) -> None:
    huge = json.dumps({"message": "x" * 200_000})
    declared = client.post("/api/chat", content=huge, headers={"content-type": "application/json"})
    assert declared.status_code == 413
    assert "larger than" in declared.json()["detail"]

    def chunks():
        for start in range(0, len(huge), 8192):
            yield huge[start : start + 8192].encode()

    chunked = client.post("/api/chat", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413


def test_small_body_limit_is_configurable(engine, tmp_path) -> None:
    small = TestClient(create_api(EngineSlot(engine), settings_for(tmp_path), max_body_bytes=100))
    assert small.post("/api/chat", json={"message": "x" * 200}).status_code == 413
    assert small.post("/api/chat", json={"message": "a horror film"}).status_code == 200


# --- not ready yet ----------------------------------------------------------------------------------------------


def test_health_reports_indexing_progress_and_chat_says_retry(tmp_path) -> None:
    slot = EngineSlot()
    slot.progress(1200, 3000)
    starting = TestClient(create_api(slot, settings_for(tmp_path)))
    health = starting.get("/api/health")
    assert health.status_code == 503
    assert health.json() == {"status": "indexing", "done": 1200, "total": 3000,
                             "message": "Preparing the catalog… 1,200/3,000"}
    busy = starting.post("/api/chat", json={"message": "hello"})
    assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
    assert "1,200/3,000" in busy.json()["detail"]
    slot.progress(3000, 3000)
    assert starting.get("/api/health").json()["status"] == "loading"
    slot.fail("The recommender failed to start: catalog is broken")
    failed = starting.get("/api/health").json()
    assert failed["status"] == "error" and "catalog is broken" in failed["message"]


def test_build_in_background_publishes_the_engine_or_the_error(engine, tmp_path) -> None:
    slot = EngineSlot()

    def build(progress):
        progress(1, 2)
        return engine

    slot.build_in_background(build).join(timeout=30)
    assert slot.engine is engine and slot.readiness().status == "ok"

    broken = EngineSlot()

    def fail(progress):
        raise RuntimeError("no catalog at /nowhere")

    broken.build_in_background(fail).join(timeout=30)
    assert broken.engine is None
    assert broken.readiness().status == "error" and "no catalog at /nowhere" in broken.readiness().message


# --- rate limits ------------------------------------------------------------------------------------------------


def test_per_session_turn_limit_answers_429_with_retry_after(engine, tmp_path) -> None:
    api = TestClient(create_api(EngineSlot(engine), settings_for(tmp_path, session_turns_per_minute=2)))
    sid = chat(api, "a quiet drama about a family")["session_id"]  # a new session's first turn is not counted
    chat(api, "something older", sid)
    chat(api, "something funnier", sid)
    limited = api.post("/api/chat/stream", json={"session_id": sid, "message": "and another"})
    assert limited.status_code == 429
    wait = int(limited.headers["retry-after"])
    assert 1 <= wait <= 60
    assert limited.json()["detail"] == (
        f"rate limit: at most 2 chat turns a minute per session; retry in {wait} s"
    )
    chat(api, "a quiet drama about a family")  # other sessions are not affected
    assert api.get(f"/api/profile/{sid}").status_code == 200  # only turns count per session


def test_per_client_request_limit_answers_429_but_spares_health_and_other_clients(engine, tmp_path) -> None:
    app = create_api(EngineSlot(engine), settings_for(tmp_path, client_requests_per_minute=3))
    first = TestClient(app, client=("203.0.113.7", 40000))
    sid = chat(first, "space adventure")["session_id"]
    assert first.get(f"/api/profile/{sid}").status_code == 200
    assert first.get(f"/api/profile/{sid}/export").status_code == 200
    limited = first.get(f"/api/profile/{sid}")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert "at most 3 API requests a minute from one client address" in limited.json()["detail"]
    assert first.get("/api/health").status_code == 200  # probes are never limited
    other = TestClient(app, client=("198.51.100.2", 40000))
    assert other.get(f"/api/profile/{sid}").status_code == 200


# --- API key and CORS -------------------------------------------------------------------------------------------


def test_api_key_is_required_when_configured(engine, tmp_path) -> None:
    keyed = TestClient(create_api(EngineSlot(engine), settings_for(tmp_path, api_key="s3cret")))
    body = {"message": "a western"}
    missing = keyed.post("/api/chat", json=body)
    assert missing.status_code == 401 and "X-API-Key" in missing.json()["detail"]
    assert keyed.post("/api/chat", json=body, headers={"X-API-Key": "wrong"}).status_code == 401
    assert keyed.get("/api/profile/s1").status_code == 401
    assert keyed.post("/api/chat", json=body, headers={"X-API-Key": "s3cret"}).status_code == 200
    assert keyed.get("/api/health").status_code == 200  # probes need no key


def test_cors_allows_only_configured_origins(engine, tmp_path) -> None:
    settings = settings_for(tmp_path, cors_origins="https://shop.example, https://help.shop.example/")
    api = TestClient(create_api(EngineSlot(engine), settings))
    preflight = api.options("/api/chat/stream", headers={
        "Origin": "https://shop.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-api-key",
    })
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://shop.example"
    simple = api.get("/api/health", headers={"Origin": "https://help.shop.example"})
    assert simple.headers["access-control-allow-origin"] == "https://help.shop.example"
    other = api.get("/api/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    # Error answers carry the header too, so a browser page can read the message.
    too_big = api.post("/api/chat", content=b"x" * 100_000, headers={"Origin": "https://shop.example"})
    assert too_big.status_code == 413 and too_big.headers["access-control-allow-origin"] == "https://shop.example"


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("", []), ("*", ["*"]), ("https://a.example, https://b.example/", ["https://a.example", "https://b.example"])],
)
def test_cors_origins_parsing(setting: str, expected: list[str]) -> None:
    assert cors_origins(setting) == expected


# --- serving ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("explicit", "environ", "expected"),
    [
        ({}, {}, ("127.0.0.1", 7860)),
        ({}, {"GRADIO_SERVER_NAME": "0.0.0.0", "PORT": "8080"}, ("0.0.0.0", 8080)),
        ({}, {"GRADIO_SERVER_PORT": "7000"}, ("127.0.0.1", 7000)),
        ({"host": "127.0.0.2", "port": 9000}, {"GRADIO_SERVER_NAME": "0.0.0.0", "PORT": "8080"}, ("127.0.0.2", 9000)),
    ],
)
def test_listen_address_honours_spaces_variables(clean_env, tmp_path, explicit, environ, expected) -> None:
    assert listen_address(settings_for(tmp_path, **explicit), environ) == expected


def test_listen_address_rejects_a_bad_port(clean_env, tmp_path) -> None:
    with pytest.raises(ValueError, match="PORT"):
        listen_address(settings_for(tmp_path), {"PORT": "http"})


def test_app_serves_the_example_site(engine, tmp_path) -> None:
    app = TestClient(create_app(settings_for(tmp_path), EngineSlot(engine), None, REPO / "examples"))
    redirect = app.get("/examples", follow_redirects=False)
    assert redirect.status_code == 307 and redirect.headers["location"] == "/examples/customer-service.html"
    page = app.get("/examples/customer-service.html")
    assert page.status_code == 200 and '<script src="widget.js"' in page.text
    widget = app.get("/examples/widget.js")
    assert widget.status_code == 200 and "javascript" in widget.headers["content-type"]
    # The widget writes untrusted text with textContent only.
    assert not re.search(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write", widget.text)
    assert "/api/chat/stream" in widget.text and "/api/feedback" in widget.text

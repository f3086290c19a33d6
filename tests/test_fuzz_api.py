"""Property-based fuzzing of the HTTP API: whatever a client sends, never a 5xx; 4xx bodies say what was wrong.

The engine is real (small catalog in real Chroma, MiniLM embeddings); the chat model is a fake. Limits are off
so every example reaches validation and the engine. Each endpoint family gets 2,000 examples.
"""

from __future__ import annotations

import json
from typing import Any, Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from chatbot.web.api_schemas import ChatResponse, ExportResponse, ForgetResponse, ProfileResponse
from hostile import deeply_nested, hostile_text, json_bytes, json_values, unicode_text, weighted

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=2000, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
KNOWN_SESSIONS = [f"fuzz-known-{n}" for n in range(6)]
REPLY = "Here are some picks for you."

session_ids = weighted(
    (2, st.sampled_from(KNOWN_SESSIONS)),
    (2, st.from_regex(r"[A-Za-z0-9_-]{1,128}", fullmatch=True)),  # well-formed but (almost always) unknown
    (1, hostile_text),
)
content_types = weighted(
    (6, st.just("application/json")),
    (1, st.just("application/json; charset=utf-8")),
    (3, st.sampled_from(["text/plain", None, "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])),
)


@pytest.fixture(scope="module")
def client(make_small_engine, tmp_path_factory) -> Iterator[TestClient]:
    from chatbot.web.api import create_api
    from chatbot.config import load_settings
    from chatbot.llm.fake import FakeChatModel
    from chatbot.web.readiness import EngineSlot

    engine = make_small_engine(FakeChatModel(default=REPLY), in_memory=True)
    settings = load_settings(data_dir=tmp_path_factory.mktemp("fuzz-api"), chat_backend="fake", llm_signals=False,
                             api_key=None, cors_origins="", session_turns_per_minute=0, client_requests_per_minute=0)
    with TestClient(create_api(EngineSlot(engine), settings)) as api:  # one event loop for every request
        for session_id in KNOWN_SESSIONS:
            assert api.post("/api/chat", json={"session_id": session_id, "message": "a funny film"}).status_code == 200
        yield api


def bodies(valid_looking: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[bytes | None]:
    """Request bodies: mostly well-formed JSON objects with hostile values, also wrong shapes and non-JSON bytes."""
    return weighted(
        (6, valid_looking.map(json_bytes)),
        (1, st.dictionaries(hostile_text, json_values, max_size=4).map(json_bytes)),  # unknown and missing fields
        (1, json_values.map(json_bytes)),  # not an object at all
        (1, st.binary(max_size=200)),  # not JSON, maybe not UTF-8
        (1, st.integers(900, 5000).map(deeply_nested) | st.none()),
    )


def send(client: TestClient, method: str, path: str, body: bytes | None, content_type: str | None):
    headers = {"content-type": content_type} if content_type and body is not None else {}
    return client.request(method, path, content=body, headers=headers)


MAX_PATH_PART_CHARS = 2000  # HTTP clients and servers refuse far longer URLs before the app sees them


def path_part(value: object) -> str:
    """A value as one URL path segment, percent-encoded (lone surrogates survive as their escaped UTF-8 bytes)."""
    return quote(str(value)[:MAX_PATH_PART_CHARS].encode("utf-8", "surrogatepass"), safe="")


def assert_well_answered(response, model: type[BaseModel] | None) -> None:
    """Never a 5xx; a 4xx says what was wrong; a 200 has exactly the documented shape."""
    event(f"HTTP {response.status_code}")  # --hypothesis-show-statistics shows how the examples were answered
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body.get("detail"), str) and len(body["detail"]) >= 10, body
        return
    assert response.status_code == 200
    if model is not None:
        data = response.json()
        model.model_validate(data)
        assert set(data) == set(model.model_fields), data


def assert_well_streamed(response) -> None:
    event(f"HTTP {response.status_code} (stream)")
    if response.status_code != 200:
        assert_well_answered(response, None)
        return
    events = [json.loads(line) for line in response.text.splitlines() if line]
    *deltas, done = events
    assert all(set(e) == {"type", "text"} and e["type"] == "delta" and isinstance(e["text"], str) for e in deltas)
    assert done["type"] == "done"
    ChatResponse.model_validate(done)
    assert set(done) == {"type", *ChatResponse.model_fields}
    assert done["reply"] == "".join(e["text"] for e in deltas)


messages = weighted((3, unicode_text.filter(str.strip)), (1, hostile_text))  # mostly text that gets a turn
chat_bodies = bodies(st.fixed_dictionaries({"message": messages}, optional={"session_id": session_ids}))


@FUZZ
@given(stream=st.booleans(), body=chat_bodies, content_type=content_types)
def test_chat_never_fails(client: TestClient, stream: bool, body: bytes | None, content_type: str | None) -> None:
    response = send(client, "POST", "/api/chat/stream" if stream else "/api/chat", body, content_type)
    if stream:
        assert_well_streamed(response)
    else:
        assert_well_answered(response, ChatResponse)


@pytest.fixture(scope="module")
def feedback_bodies(small_catalog) -> st.SearchStrategy[bytes | None]:
    """Built once: hypothesis caches a strategy's analysis per object, so a fresh one per example is slow."""
    item_ids = weighted((3, st.sampled_from([item.id for item in small_catalog.items])), (1, hostile_text),
                        (1, json_values))
    liked = weighted((4, st.booleans()), (1, json_values))
    return bodies(st.fixed_dictionaries({"session_id": session_ids, "item_id": item_ids, "liked": liked}))


@FUZZ
@given(data=st.data(), content_type=content_types)
def test_feedback_never_fails(client: TestClient, feedback_bodies, data, content_type: str | None) -> None:
    body = data.draw(feedback_bodies, label="body")
    assert_well_answered(send(client, "POST", "/api/feedback", body, content_type), ProfileResponse)


facets = st.one_of(
    st.sampled_from(["genre:comedy", "genre:horror", "item:tmdb:775", "phrase:funny film"]),
    st.builds(lambda kind, value: f"{kind}:{value}", st.sampled_from(["genre", "item", "tag", "x"]), hostile_text),
    hostile_text,
)


@FUZZ
@given(
    action=st.sampled_from(["profile", "export", "facet-path", "facet-body", "forget"]),
    session_id=session_ids, facet=facets, body=bodies(st.fixed_dictionaries({"facet": facets})),
    content_type=content_types,
)
def test_profile_endpoints_never_fail(
    client: TestClient, action: str, session_id: object, facet: str, body: bytes | None, content_type: str | None
) -> None:
    base = f"/api/profile/{path_part(session_id)}"
    if action == "profile":
        assert_well_answered(client.get(base), ProfileResponse)
    elif action == "export":
        assert_well_answered(client.get(f"{base}/export"), ExportResponse)
    elif action == "facet-path":
        assert_well_answered(client.delete(f"{base}/facets/{path_part(facet)}"), ProfileResponse)
    elif action == "facet-body":
        assert_well_answered(send(client, "DELETE", f"{base}/facets", body, content_type), ProfileResponse)
    else:
        assert_well_answered(client.delete(base), ForgetResponse)
        if session_id in KNOWN_SESSIONS:  # keep some sessions known for the other examples
            client.post("/api/chat", json={"session_id": session_id, "message": "a funny film"})

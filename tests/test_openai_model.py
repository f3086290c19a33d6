"""OpenAI-compatible backend against a tiny streaming server that the tests start themselves on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chatbot.llm.base import ChatModelError
from chatbot.llm.openai_model import OpenAIChatModel

MESSAGES = [{"role": "system", "content": "You recommend films."}, {"role": "user", "content": "Something tense?"}]


@dataclass
class FakeServer:
    """What the server will answer, and every request it got."""

    base_url: str = ""
    chunks: list[str] = field(default_factory=list)
    status: int = 200
    error_body: str = ""
    delay_s: float = 0.0
    requests: list[dict] = field(default_factory=list)


def _handler(state: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            if state.status != 200:
                payload = state.error_body.encode()
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b": keep-alive comment the client must skip\n\n")
            for piece in state.chunks:
                time.sleep(state.delay_s)
                event = {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                self.wfile.flush()
            done = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())

        def log_message(self, *args: object) -> None:
            pass  # keep test output clean

    return Handler


@pytest.fixture
def server() -> Iterator[FakeServer]:
    state = FakeServer(chunks=["Try", " Heat", " (1995)", "."])
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.slow
def test_streams_the_reply_and_sends_an_openai_request(server: FakeServer) -> None:
    model = OpenAIChatModel(server.base_url, "tiny-chat", api_key="sekret", timeout_s=10)
    chunks = list(model.stream(MESSAGES, max_new_tokens=42, stop=["\nUser:"]))
    assert chunks == ["Try", " Heat", " (1995)", "."]
    (request,) = server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sekret"
    body = request["body"]
    assert body["messages"] == MESSAGES
    assert body["model"] == "tiny-chat"
    assert body["max_tokens"] == 42
    assert body["stop"] == ["\nUser:"]
    assert body["stream"] is True
    assert body["temperature"] == 0.0


@pytest.mark.slow
def test_no_key_means_no_authorization_header_and_defaults_apply(server: FakeServer) -> None:
    model = OpenAIChatModel(server.base_url + "/", "m", max_new_tokens=7)
    assert model.generate(MESSAGES) == "Try Heat (1995)."
    body = server.requests[0]["body"]
    assert "Authorization" not in server.requests[0]["headers"]
    assert body["max_tokens"] == 7
    assert "stop" not in body


@pytest.mark.slow
def test_stop_strings_also_cut_locally_and_at_most_four_go_to_the_server(server: FakeServer) -> None:
    server.chunks = ["Heat is great.", " User", ": more"]
    model = OpenAIChatModel(server.base_url, "m")
    text = model.generate(MESSAGES, stop=[" User:", "a1", "a2", "a3", "a4"])
    assert text == "Heat is great."  # the fake server ignores stop, so this is the local cut
    assert server.requests[0]["body"]["stop"] == [" User:", "a1", "a2", "a3"]


@pytest.mark.slow
def test_reply_time_limit_ends_the_stream(server: FakeServer) -> None:
    server.chunks = [f" w{i}" for i in range(40)]
    server.delay_s = 0.05
    model = OpenAIChatModel(server.base_url, "m")
    started = time.monotonic()
    text = model.generate(MESSAGES, timeout_s=0.4)
    assert 0 < len(text.split()) < 40
    assert time.monotonic() - started < 1.5


@pytest.mark.slow
@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, '{"error": {"message": "bad key"}}', r"HTTP 401: bad key; check RECBOT_OPENAI_API_KEY"),
        (404, '{"detail": "Not Found"}', r"HTTP 404: Not Found; check RECBOT_OPENAI_BASE_URL"),
        (500, "boom", r"HTTP 500: boom"),
    ],
)
def test_http_errors_name_the_url_and_what_to_check(server: FakeServer, status: int, body: str, expected: str) -> None:
    server.status, server.error_body = status, body
    model = OpenAIChatModel(server.base_url, "m", api_key="k")
    with pytest.raises(ChatModelError, match=expected) as info:
        model.generate(MESSAGES)
    assert f"{server.base_url}/chat/completions" in str(info.value)


def test_connection_refused_says_which_url_and_what_to_check() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago, with nothing listening now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    model = OpenAIChatModel(f"http://127.0.0.1:{port}/v1", "m", timeout_s=5)
    with pytest.raises(ChatModelError, match="cannot reach") as info:
        model.generate(MESSAGES)
    assert f"http://127.0.0.1:{port}/v1/chat/completions" in str(info.value)
    assert "RECBOT_OPENAI_BASE_URL" in str(info.value)


@pytest.mark.slow
def test_signal_extraction_sends_the_same_prompt_and_parses_the_same_way(server: FakeServer) -> None:
    """A bigger model behind the OpenAI API gets the llama.cpp path's prompt (no grammar) and the same parsing."""
    from chatbot.understanding.signals import SignalExtractor
    from retrieval.catalog import load_catalog
    from tests.conftest import SAMPLE_CATALOG

    heat, asked = "wp:Heat_(1995_film)", "Have you seen Heat (1995)?"
    answer = {"likes": ["westerns"], "dislikes": [], "liked_titles": [], "disliked_titles": ["Heat (1995)"],
              "year_min": None, "year_max": None}
    server.chunks = ["Sure: ", json.dumps(answer)[:30], json.dumps(answer)[30:], " Anything else?"]
    extractor = SignalExtractor(load_catalog(SAMPLE_CATALOG),
                                model=OpenAIChatModel(server.base_url, "big-chat", timeout_s=10))
    text = "Yes, it was too long for me. I would rather have a western"
    result = extractor.extract(text, last_shown=[heat], previous=asked)
    (request,) = server.requests
    assert request["body"]["messages"] == extractor.prompt(text, asked)
    assert "grammar" not in request["body"]  # a grammar is llama.cpp's; other servers get the plain prompt
    assert f"The recommender just said: {asked}" in request["body"]["messages"][1]["content"]
    strengths = {s.facet: s.strength for s in result.signals}
    assert strengths[f"item:{heat}"] == -2.0 and strengths["genre:western"] > 0
    assert result.found_by[f"item:{heat}"] == "model"

"""OpenAI-compatible chat backend (vLLM, TGI, Ollama, llama.cpp server, OpenAI): streamed over HTTP with SSE."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

from chatbot.llm.base import BaseChatModel, ChatModelError, DEFAULT_MAX_NEW_TOKENS, Message

# The OpenAI API accepts at most 4 stop strings; the rest are still applied locally by BaseChatModel.
MAX_SERVER_STOPS = 4
CONNECT_TIMEOUT_S = 5.0


class OpenAIChatModel(BaseChatModel):
    """POSTs to {base_url}/chat/completions with stream=true and yields the content deltas."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout_s: float | None = 60.0,
        *,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
    ) -> None:
        super().__init__(max_new_tokens=max_new_tokens, timeout_s=timeout_s)
        import httpx

        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        headers = {"Accept": "text/event-stream"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        # One pooled client, shared by all server threads (httpx.Client is thread-safe).
        self._client = httpx.Client(headers=headers)

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()

    def _stream(
        self,
        messages: list[Message],
        *,
        max_new_tokens: int,
        stop: list[str],
        deadline: float | None,
        temperature: float,
    ) -> Iterator[str]:
        import httpx

        body: dict = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "max_tokens": max_new_tokens,
            "temperature": temperature,
        }
        if stop:
            body["stop"] = stop[:MAX_SERVER_STOPS]
        remaining = None if deadline is None else max(0.1, deadline - time.monotonic())
        timeout = httpx.Timeout(remaining, connect=min(CONNECT_TIMEOUT_S, remaining or CONNECT_TIMEOUT_S))
        try:
            with self._client.stream("POST", self.url, json=body, timeout=timeout) as response:
                if response.status_code >= 400:
                    response.read()
                    raise ChatModelError(self._http_error(response.status_code, response.text))
                yield from self._parse_sse(response.iter_lines(), deadline)
        except httpx.ConnectError as exc:
            raise ChatModelError(
                f"cannot reach the OpenAI-compatible server at {self.url} ({exc}); "
                "is it running, and is RECBOT_OPENAI_BASE_URL right (usually ending in /v1)?"
            ) from exc
        except httpx.TimeoutException as exc:
            if deadline is not None and time.monotonic() >= deadline - 0.05:
                return  # the reply time limit hit: the stream just ends
            raise ChatModelError(f"{self.url} did not answer in time ({exc}); check the server's load") from exc
        except httpx.HTTPError as exc:
            raise ChatModelError(f"request to {self.url} failed: {exc}") from exc

    def _http_error(self, status: int, text: str) -> str:
        detail = _error_detail(text)
        hint = {
            401: "check RECBOT_OPENAI_API_KEY",
            403: "check RECBOT_OPENAI_API_KEY and that it may use this model",
            404: f"check RECBOT_OPENAI_BASE_URL (usually ends in /v1) and RECBOT_OPENAI_MODEL ({self.model!r})",
            400: f"check RECBOT_OPENAI_MODEL ({self.model!r}) and the server's limits (context length, max_tokens)",
        }.get(status, "check the server's logs")
        return f"{self.url} answered HTTP {status}: {detail}; {hint}"

    def _parse_sse(self, lines: Iterator[str], deadline: float | None) -> Iterator[str]:
        for line in lines:
            if not line.startswith("data:"):
                continue  # blank separators, comments (": ping"), event:/id: fields
            data = line[5:].strip()
            if data == "[DONE]":
                return
            try:
                event = json.loads(data)
            except json.JSONDecodeError as exc:
                raise ChatModelError(f"{self.url} sent a stream line that is not JSON: {data[:200]!r}") from exc
            if "error" in event:
                raise ChatModelError(f"{self.url} reported an error mid-stream: {_error_detail(json.dumps(event))}")
            for choice in event.get("choices") or []:
                text = (choice.get("delta") or {}).get("content")
                if text:
                    yield text
            if deadline is not None and time.monotonic() >= deadline:
                return


def _error_detail(text: str) -> str:
    # OpenAI-style bodies are {"error": {"message": ...}}; others send plain text or {"detail": ...}.
    try:
        body = json.loads(text)
    except (json.JSONDecodeError, ValueError):
        return text.strip()[:300] or "(empty body)"
    if isinstance(body, dict):
        err = body.get("error", body.get("detail", body))
        if isinstance(err, dict):
            err = err.get("message", err)
        return str(err)[:300]
    return str(body)[:300]

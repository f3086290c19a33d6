"""ChatModel basics: stop-string cutting, the fake model, and the backend factory (no real model loaded)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from chatbot.config import ConfigError, load_settings
from chatbot.llm.base import BaseChatModel, ChatModel, ChatModelError, cut_at_stop
from chatbot.llm.factory import build_chat_model
from chatbot.llm.fake import FAKE_REPLY, FakeChatModel

REPO = Path(__file__).resolve().parent.parent
USER = [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize(
    ("chunks", "stop", "expected"),
    [
        (["Hello", " world"], None, ["Hello", " world"]),
        (["Hello", " world"], [], ["Hello", " world"]),
        (["Hello END more"], ["END"], ["Hello "]),
        (["Hel", "lo E", "N", "D tail"], ["END"], ["Hel", "lo "]),  # the stop spans three chunks
        (["ab", "cEN"], ["END"], ["ab", "c", "EN"]),  # a prefix that turns out not to be a stop is released
        (["END rest"], ["END"], []),  # stop at the very start: nothing at all
        (["one two three"], ["three", "two"], ["one "]),  # the earliest stop wins, whatever the list order
        (["x\nUser:", " y"], ["\nUser:"], ["x"]),
        (["aaa"], ["aab"], ["a", "aa"]),  # held-back "aa" is released at the end
    ],
)
def test_cut_at_stop_table(chunks: list[str], stop: list[str] | None, expected: list[str]) -> None:
    out = list(cut_at_stop(iter(chunks), stop))
    full = "".join(chunks)
    cut = min([full.find(s) for s in (stop or []) if s in full], default=len(full))
    assert "".join(out) == full[:cut]
    assert out == expected


def test_cut_at_stop_holds_back_a_partial_stop_across_chunks() -> None:
    out = list(cut_at_stop(iter(["The film", " is <", "|en", "d|> and more"]), ["<|end|>"]))
    assert out == ["The film", " is "]
    assert "".join(out) == "The film is "
    assert all("<" not in piece for piece in out)  # no piece of the stop string ever reaches the caller


def test_cut_at_stop_closes_the_source_so_a_backend_can_stop_generating() -> None:
    closed = []

    def source():
        try:
            yield "a STOP"
            yield "never"
        finally:
            closed.append(True)

    assert list(cut_at_stop(source(), ["STOP"])) == ["a "]
    assert closed == [True]


def test_fake_streams_word_by_word_and_records_history() -> None:
    model = FakeChatModel(["Alien is a great pick.  "])
    msgs = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "space horror?"}]
    chunks = list(model.stream(msgs))
    assert chunks == ["Alien", " is", " a", " great", " pick.  "]
    assert model.history == [msgs]
    msgs[1]["content"] = "changed later"
    assert model.history[0][1]["content"] == "space horror?"  # a copy: later edits do not rewrite history


def test_fake_enqueue_order_then_default_then_error() -> None:
    model = FakeChatModel()
    model.enqueue("first")
    model.enqueue("second")
    assert [model.generate(USER), model.generate(USER)] == ["first", "second"]
    with pytest.raises(ChatModelError, match="enqueue"):
        model.generate(USER)
    model.default = "fallback"
    assert model.generate(USER) == "fallback"
    assert len(model.history) == 4  # the failed call still recorded its prompt


def test_fake_callable_sees_the_messages() -> None:
    model = FakeChatModel(lambda msgs: f"you said {msgs[-1]['content']}")
    assert model.generate([{"role": "user", "content": "noir"}]) == "you said noir"


@pytest.mark.parametrize(("limit", "expected"), [(1, "one"), (3, "one two three"), (10, "one two three four")])
def test_fake_max_new_tokens_counts_words(limit: int, expected: str) -> None:
    model = FakeChatModel(default="one two three four")
    assert model.generate(USER, max_new_tokens=limit) == expected


def test_default_max_new_tokens_comes_from_the_constructor() -> None:
    model = FakeChatModel(default="a b c d e", max_new_tokens=2)
    assert model.generate(USER) == "a b"
    assert model.generate(USER, max_new_tokens=4) == "a b c d"


def test_fake_stop_string_cuts_the_reply() -> None:
    model = FakeChatModel(default="Try Heat. User: and also")
    assert model.generate(USER, stop=["User:"]) == "Try Heat. "
    assert model.generate(USER, stop=["Heat", "Try"]) == ""


def test_timeout_ends_the_stream_early() -> None:
    model = FakeChatModel(default=" ".join(["word"] * 50), delay_s=0.02)
    started = time.monotonic()
    text = model.generate(USER, timeout_s=0.15)
    elapsed = time.monotonic() - started
    assert 0 < len(text.split()) < 50
    assert elapsed < 0.5


def test_constructor_timeout_is_the_default() -> None:
    model = FakeChatModel(default=" ".join(["w"] * 50), delay_s=0.02, timeout_s=0.1)
    assert len(model.generate(USER).split()) < 50
    assert len(model.generate(USER, timeout_s=5).split()) == 50


@pytest.mark.parametrize(
    "messages",
    [[], [{"role": "user"}], [{"role": "user", "content": 3}], ["hello"], "hello"],
)
def test_bad_messages_raise_a_clear_error(messages: object) -> None:
    with pytest.raises(ChatModelError, match="role"):
        FakeChatModel(default="x").generate(messages)  # type: ignore[arg-type]


def test_max_new_tokens_below_one_is_rejected() -> None:
    with pytest.raises(ChatModelError, match="max_new_tokens"):
        FakeChatModel(default="x").generate(USER, max_new_tokens=0)


def test_base_class_generate_joins_stream_of_a_minimal_backend() -> None:
    class Echo(BaseChatModel):
        def _stream(self, messages, *, max_new_tokens, stop, deadline, temperature):
            self.seen = (max_new_tokens, stop, temperature)
            yield from ["ec", "ho", " STOP", " x"]

    model = Echo(max_new_tokens=7)
    assert isinstance(model, ChatModel)
    assert model.generate(USER, stop=["STOP", ""], temperature=0.5) == "echo "
    assert model.seen == (7, ["STOP"], 0.5)  # empty stop strings are dropped before the backend sees them


def test_factory_builds_the_fake_backend() -> None:
    model = build_chat_model(load_settings(chat_backend="fake", max_new_tokens=3))
    assert isinstance(model, FakeChatModel)
    assert model.generate(USER) == " ".join(FAKE_REPLY.split()[:3])


def test_factory_builds_openai_from_settings_without_connecting() -> None:
    settings = load_settings(
        chat_backend="openai", openai_base_url="http://127.0.0.1:9/v1/", openai_model="m", openai_api_key="k"
    )
    model = build_chat_model(settings)
    assert type(model).__name__ == "OpenAIChatModel"
    assert model.url == "http://127.0.0.1:9/v1/chat/completions"
    assert model.timeout_s == settings.reply_timeout_s


def test_factory_passes_the_onnx_precision_and_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    import chatbot.llm.onnx_model

    built = {}
    monkeypatch.setattr(chatbot.llm.onnx_model, "OnnxChatModel",
                        lambda *args, **kwargs: built.update(args=args, kwargs=kwargs) or "model")
    settings = load_settings(chat_backend="onnx", chat_precision="int8", chat_threads=3)
    assert build_chat_model(settings) == "model"
    assert built["args"][2] == 3 and built["kwargs"]["precision"] == "int8"
    with pytest.raises(ConfigError, match="RECBOT_CHAT_PRECISION.*int4.*int8"):
        load_settings(chat_precision="int2")


def test_factory_rejects_unknown_backends_with_the_variable_name() -> None:
    with pytest.raises(ChatModelError, match="RECBOT_CHAT_BACKEND"):
        build_chat_model(SimpleNamespace(chat_backend="llamafile", max_new_tokens=5, reply_timeout_s=1.0))


def test_importing_models_and_building_the_fake_loads_no_heavy_library() -> None:
    code = (
        "import sys; from chatbot.config import load_settings; from chatbot.llm.factory import build_chat_model; "
        "build_chat_model(load_settings(chat_backend='fake')).generate([{'role': 'user', 'content': 'x'}]); "
        "heavy = [m for m in ('torch', 'transformers', 'onnxruntime_genai', 'httpx', 'chatbot.llm.transformers_model') "
        "if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr

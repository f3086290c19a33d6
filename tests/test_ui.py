"""Unit tests of the chat UI: card, chart and status HTML (escaping, placeholders) and the event handlers."""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Iterator

import gradio as gr
import pytest

from chatbot.web import ui, ui_render
from chatbot.web.readiness import EngineSlot, Readiness
from chatbot.engine import InputError
from chatbot.types import ProfileFacet, Recommendation, TurnResult

SCRIPT = "<script>alert('x')</script>"


def rec(**overrides: object) -> Recommendation:
    base = dict(
        item_id="tmdb:603", title="The Matrix", year=1999, description="A hacker learns the truth.",
        image_url="https://img.example/matrix.jpg", url="https://en.wikipedia.org/wiki/The_Matrix", score=0.9,
        reasons=["you like science fiction"], long_tail=False,
    )
    base.update(overrides)
    return Recommendation(**base)  # type: ignore[arg-type]


def facet(key: str, weight: float, label: str | None = None) -> ProfileFacet:
    return ProfileFacet(facet=key, label=label or key.split(":", 1)[1], weight=weight, updated_at=0.0)


# --- cards ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field_name", ["title", "description"])
def test_card_escapes_script_in_catalog_text(field_name: str) -> None:
    html = ui_render.render_card(rec(**{field_name: f"Evil {SCRIPT} film"}), 1)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_card_escapes_reasons_and_item_id_in_attributes() -> None:
    item_id = 'x" onmouseover="alert(1)'
    html = ui_render.render_card(rec(item_id=item_id, reasons=[SCRIPT]), 1)
    assert "<script>" not in html
    assert 'onmouseover="alert(1)"' not in html
    assert 'data-item-id="x&quot; onmouseover=&quot;alert(1)"' in html


def test_card_has_image_with_onerror_fallback_to_placeholder() -> None:
    html = ui_render.render_card(rec(), 1)
    assert '<img class="rb-img" src="https://img.example/matrix.jpg"' in html
    assert 'onerror="this.hidden=true;this.nextElementSibling.hidden=false"' in html
    # The placeholder follows the image directly (nextElementSibling) and starts hidden.
    assert re.search(r'onerror="[^"]*"><div class="rb-placeholder" aria-hidden="true" hidden>', html)


@pytest.mark.parametrize("image_url", [None, "", "javascript:alert(1)", "data:image/svg+xml,<svg onload=alert(1)>",
                                       "//evil.example/x.png", "relative/poster.jpg"])
def test_card_uses_visible_placeholder_without_a_usable_image(image_url: str | None) -> None:
    html = ui_render.render_card(rec(image_url=image_url), 1)
    assert "<img" not in html
    assert '<div class="rb-placeholder" aria-hidden="true">' in html
    assert "javascript:" not in html and "data:image" not in html


def test_card_links_title_only_to_http_urls() -> None:
    assert 'href="https://en.wikipedia.org/wiki/The_Matrix"' in ui_render.render_card(rec(), 1)
    html = ui_render.render_card(rec(url="javascript:alert(1)"), 1)
    assert "<a " not in html and "javascript:" not in html


def test_card_shows_number_year_reasons_buttons_and_gem_badge() -> None:
    html = ui_render.render_card(rec(long_tail=True, reasons=["one reason", "another"]), 3)
    assert '<span class="rb-num">3.</span>' in html
    assert '<span class="rb-year">(1999)</span>' in html
    assert "<li>one reason</li><li>another</li>" in html
    assert 'data-liked="true"' in html and 'data-liked="false"' in html
    assert "hidden gem" in html
    assert "rb-year" not in ui_render.render_card(rec(year=None), 1)
    assert "hidden gem" not in ui_render.render_card(rec(), 1)


def test_cards_are_numbered_in_order_and_empty_list_shows_hint() -> None:
    html = ui_render.render_cards([rec(item_id="a", title="First"), rec(item_id="b", title="Second")])
    assert html.index("First") < html.index("Second")
    assert html.count('class="rb-card"') == 2
    assert ui_render.render_cards([]) == ui_render.NO_CARDS


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short text", 50, "short text"),
        ("one two three four five", 12, "one two…"),
        ("  spaced\n\nout   words ", 50, "spaced out words"),
        ("", 10, ""),
    ],
)
def test_short_cuts_at_word_boundary(text: str, limit: int, expected: str) -> None:
    assert ui_render.short(text, limit) == expected
    assert len(ui_render.short(text, limit)) <= limit


# --- profile chart ----------------------------------------------------------------------------------------------


def test_chart_bars_are_signed_and_scaled_to_the_largest_weight() -> None:
    html = ui_render.render_chart([facet("genre:horror", -1.0), facet("genre:comedy", 2.0), facet("tag:heist", 0.5)])
    rows = re.findall(r'<div class="rb-row rb-(pos|neg)"[^>]*data-facet="([^"]+)" data-weight="([^"]+)"', html)
    assert rows == [("pos", "genre:comedy", "2.000"), ("pos", "tag:heist", "0.500"), ("neg", "genre:horror", "-1.000")]
    widths = re.findall(r'width:([\d.]+)%', html)
    assert widths == ["100.0", "25.0", "50.0"]
    assert "+2.00" in html and "-1.00" in html


def test_chart_escapes_labels_and_skips_zero_or_non_finite_weights() -> None:
    html = ui_render.render_chart([facet("item:x", 1.0, label=SCRIPT), facet("genre:a", 0.0), facet("genre:b", float("nan"))])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "genre:a" not in html and "genre:b" not in html


def test_chart_without_facets_says_so() -> None:
    assert ui_render.render_chart([]) == ui_render.NO_PROFILE
    assert ui_render.render_chart([facet("genre:a", 0.0)]) == ui_render.NO_PROFILE


def test_chart_shows_at_most_the_limit() -> None:
    html = ui_render.render_chart([facet(f"tag:t{i}", float(i + 1)) for i in range(20)], limit=5)
    assert html.count('role="listitem"') == 5


# --- status, export, chat text -----------------------------------------------------------------------------------


def test_status_shows_indexing_progress_and_disappears_when_ready() -> None:
    slot = EngineSlot()
    slot.progress(1200, 3000)
    html = ui_render.render_status(slot.readiness())
    assert '<progress max="3000" value="1200">' in html
    assert "Preparing the catalog… 1,200/3,000" in html
    assert ui_render.render_status(Readiness("ok")) == ""
    error = ui_render.render_status(Readiness("error", message=f"broken {SCRIPT}"))
    assert 'role="alert"' in error and "<script>" not in error


def test_export_link_round_trips_the_data_without_raw_markup() -> None:
    data = {"session_id": "abc", "events": [{"payload": {"text": SCRIPT + ' "quoted" & more'}}]}
    html = ui_render.render_export_link(data, "abc")
    href = re.search(r'href="data:application/json;charset=utf-8,([^"]*)"', html)
    assert href is not None
    assert json.loads(urllib.parse.unquote(href.group(1))) == data
    assert "<script>" not in html


def test_chat_text_shows_html_as_text() -> None:
    assert ui_render.chat_text("<b>hi</b> & <img src=x onerror=alert(1)>") == (
        "&lt;b&gt;hi&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"
    )
    assert ui_render.display_history([{"role": "user", "content": "<i>x</i>"}, {"role": "system", "content": "hidden"}]) == [
        {"role": "user", "content": "&lt;i&gt;x&lt;/i&gt;"}
    ]


def test_a_persons_message_shows_as_typed_while_replies_keep_their_markdown() -> None:
    assert ui_render.user_chat_text("[x](javascript:alert(1)) *hi* <b>") == "\\[x\\](javascript:alert(1)) \\*hi\\* &lt;b&gt;"
    dialogue = [{"role": "user", "content": "**mine**"}, {"role": "assistant", "content": "**Alien** <i>"}]
    assert ui_render.display_history(dialogue) == [
        {"role": "user", "content": "\\*\\*mine\\*\\*"}, {"role": "assistant", "content": "**Alien** &lt;i&gt;"}
    ]


@pytest.mark.parametrize("value", [None, "", "bad id!", "x" * 129, 42, ["a"]])
def test_untrusted_browser_session_ids_are_replaced(value: object) -> None:
    new = ui.valid_session(value)
    assert re.fullmatch(r"[0-9a-f]{32}", new)
    assert ui.valid_session("keep_me-1") == "keep_me-1"


# --- handlers, with a stub engine ---------------------------------------------------------------------------------


@dataclass
class StubEngine:
    """Just enough of Engine for the handlers: records calls, streams a fixed reply."""

    reply: list[str] = field(default_factory=lambda: ["Try ", "<b>these</b>."])
    calls: list[tuple] = field(default_factory=list)
    dialogue: list[dict[str, str]] = field(default_factory=list)

    def history(self, session_id: str) -> list[dict[str, str]]:
        return list(self.dialogue)

    def profile(self, session_id: str) -> list[ProfileFacet]:
        return [facet("genre:comedy", 1.0)]

    def turn(self, session_id: str, text: str) -> TurnResult:
        self.calls.append(("turn", session_id, text))
        if text == "bad":
            raise InputError("message is not allowed")

        def stream() -> Iterator[str]:
            yield from self.reply

        return TurnResult(session_id, stream(), [rec()], [facet("genre:comedy", 1.0)])

    def feedback(self, session_id: str, item_id: str, liked: bool) -> list[ProfileFacet]:
        self.calls.append(("feedback", session_id, item_id, liked))
        return [facet(f"item:{item_id}", 2.0 if liked else -2.0)]


def handlers(engine: StubEngine) -> ui.ChatUI:
    slot = EngineSlot()
    slot.set_engine(engine)  # type: ignore[arg-type]
    return ui.ChatUI(slot)


def test_respond_shows_the_message_at_once_then_cards_then_the_streamed_reply() -> None:
    engine = StubEngine()
    steps = list(handlers(engine).respond("<i>funny</i> films", "sess1"))
    textbox, chat, cards, chart, _, session = steps[0]
    assert textbox == "" and session == "sess1"
    assert chat[-2] == {"role": "user", "content": "&lt;i&gt;funny&lt;/i&gt; films"}
    assert chat[-1]["content"] == ui_render.THINKING
    assert 'class="rb-card"' in steps[1][2] and "rb-row" in steps[1][3]
    assert steps[-1][1][-1] == {"role": "assistant", "content": "Try &lt;b&gt;these&lt;/b&gt;."}
    assert engine.calls == [("turn", "sess1", "<i>funny</i> films")]


def test_respond_ignores_blank_input_and_reports_engine_errors() -> None:
    engine = StubEngine()
    assert len(list(handlers(engine).respond("   ", "s"))) == 1 and engine.calls == []
    with pytest.raises(gr.Error, match="message is not allowed"):
        list(handlers(engine).respond("bad", "s"))


def test_respond_before_the_engine_is_ready_says_so() -> None:
    slot = EngineSlot()
    slot.progress(10, 3000)
    with pytest.raises(gr.Error, match="Preparing the catalog"):
        list(ui.ChatUI(slot).respond("hello", "s"))


def test_card_click_records_feedback_and_ignores_clicks_outside_buttons() -> None:
    engine = StubEngine()
    h = handlers(engine)
    chart, dropdown = h.card_clicked("s", gr.EventData(None, {"item_id": "tmdb:603", "liked": True}))
    assert 'data-facet="item:tmdb:603"' in chart
    assert engine.calls == [("feedback", "s", "tmdb:603", True)]
    skipped = h.card_clicked("s", gr.EventData(None, {}))
    assert len(skipped) == 2 and engine.calls == [("feedback", "s", "tmdb:603", True)]
    h.card_clicked("s", gr.EventData(None, {"item_id": "tmdb:603", "liked": "yes"}))
    assert len(engine.calls) == 1


def test_load_before_ready_starts_polling_and_poll_stops_when_ready() -> None:
    slot = EngineSlot()
    slot.progress(5, 3000)
    h = ui.ChatUI(slot)
    session, history, _, _, status, timer = h.load(None)
    assert re.fullmatch(r"[0-9a-f]{32}", session) and history == []
    assert "5/3,000" in status and timer.active is True
    engine = StubEngine(dialogue=[{"role": "user", "content": "earlier"}])
    slot.set_engine(engine)  # type: ignore[arg-type]
    status, timer, history, chart, _ = h.poll(session)
    assert status == "" and timer.active is False
    assert history == [{"role": "user", "content": "earlier"}] and "genre:comedy" in chart


def test_build_ui_builds_blocks_with_the_expected_elements() -> None:
    demo = ui.build_ui(EngineSlot())
    ids = {getattr(block, "elem_id", None) for block in demo.blocks.values()}
    assert {"rb-chat", "rb-input", "rb-send", "rb-cards", "rb-profile", "rb-facet", "rb-remove", "rb-export",
            "rb-forget", "rb-new", "rb-status"} <= ids


def test_build_ui_bounds_the_queue_and_the_turns_running_at_once() -> None:
    demo = ui.build_ui(EngineSlot(), concurrency=3, max_queued=5)
    assert demo._queue.max_size == 5  # past it Gradio tells the browser the queue is full instead of waiting
    turns = {fn.concurrency_limit for fn in demo.fns.values() if fn.concurrency_id == "turn"}
    assert turns == {3}

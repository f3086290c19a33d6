"""The real app in Chromium: chat, cards, likes, profile chart, remove, forget, isolation, progress, widget.

The server (API + Gradio UI + example site) runs in-process on loopback on the indexed sample store, with a
scripted chat model; Playwright drives Debian's Chromium. Screenshots go to test-output/browser/.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from attack_suite import PWNED_FLAG, build_hostile_engine, load_attacks

from live_server import serve

from chatbot.reply.quotes import stem

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SHOTS = REPO / "test-output" / "browser"
REPLY = "Here are some picks for you."
TIMEOUT_MS = 60_000  # generous: CI machines are slow and a turn embeds the query
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing: install it with `apt-get install chromium` (scripts/setup.sh --test does)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
expect = sync_api.expect
expect.set_options(timeout=TIMEOUT_MS)


# --- the server -------------------------------------------------------------------------------------------------


def full_app(slot, data_dir: Path):
    from chatbot.web.api import create_app
    from chatbot.config import load_settings
    from chatbot.web.ui import build_ui

    settings = load_settings(data_dir=data_dir, chat_backend="fake", llm_signals=False, api_key=None,
                             cors_origins="")
    return create_app(settings, slot, build_ui(slot), REPO / "examples")


@pytest.fixture(scope="module")
def engine(tmp_path_factory, sample_catalog, sample_store):
    from chatbot.components import Retrieval, build_engine
    from chatbot.config import load_settings
    from chatbot.llm.fake import FakeChatModel

    settings = load_settings(data_dir=tmp_path_factory.mktemp("browser-data"), chat_backend="fake",
                             llm_signals=False)
    retrieval = Retrieval(settings, sample_catalog, sample_store, sample_store.reindex(sample_catalog))
    return build_engine(settings, retrieval=retrieval, chat_model=FakeChatModel(default=REPLY)).engine


@pytest.fixture(scope="module")
def base_url(engine, tmp_path_factory) -> Iterator[str]:
    from chatbot.web.readiness import EngineSlot

    with serve(full_app(EngineSlot(engine), tmp_path_factory.mktemp("browser-app"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    shutil.rmtree(SHOTS, ignore_errors=True)  # only this run's screenshots
    SHOTS.mkdir(parents=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


# --- helpers ----------------------------------------------------------------------------------------------------


def open_app(page, base_url: str) -> None:
    page.goto(base_url + "/")
    expect(page.locator("#rb-send")).to_be_visible()
    expect(page.locator("#rb-status .rb-status")).to_have_count(0)  # ready: no progress banner


def send(page, text: str) -> None:
    """Type a message, send it, and wait until the reply has streamed in and the cards are shown."""
    replies = page.locator('#rb-chat [data-testid="bot"]')
    before = replies.count()
    page.locator("#rb-input textarea").fill(text)
    page.locator("#rb-input textarea").press("Enter")
    expect(replies).to_have_count(before + 1)
    expect(replies.last).to_contain_text(REPLY)
    cards = page.locator("#rb-cards .rb-card")
    expect(cards.first).to_be_visible()
    # The reply lists every card's item; when all list entries are there, streaming has ended.
    expect(replies.last.locator("li")).to_have_count(cards.count())


def chart_weights(page) -> dict[str, float]:
    rows = page.locator("#rb-profile .rb-row")
    return {
        rows.nth(i).get_attribute("data-facet"): float(rows.nth(i).get_attribute("data-weight"))
        for i in range(rows.count())
    }


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


# --- tests ------------------------------------------------------------------------------------------------------


def test_chat_cards_like_remove_and_forget(page, base_url, engine) -> None:
    open_app(page, base_url)
    send(page, "space adventures with robots")
    cards = page.locator("#rb-cards .rb-card")
    assert 1 <= cards.count() <= 5
    first = cards.nth(0)
    expect(first.locator(".rb-title")).not_to_be_empty()
    expect(first.locator(".rb-reasons li").first).to_be_visible()
    # No network here, so every poster fails to load and its placeholder must show instead.
    expect(page.locator("#rb-cards .rb-placeholder:visible")).to_have_count(cards.count())
    before = chart_weights(page)
    assert before and any(w > 0 for w in before.values())
    shot(page, "1-reply-and-cards")

    liked_id = first.get_attribute("data-item-id")
    disliked_id = cards.nth(1).get_attribute("data-item-id")
    first.locator(".rb-like").click()
    expect(page.locator(f'#rb-profile .rb-row.rb-pos[data-facet="item:{liked_id}"]')).to_be_visible()
    cards.nth(1).locator(".rb-dislike").click()
    expect(page.locator(f'#rb-profile .rb-row.rb-neg[data-facet="item:{disliked_id}"]')).to_be_visible()
    expect(first).to_have_attribute("data-feedback", "liked")
    after = chart_weights(page)
    assert after[f"item:{liked_id}"] > 0 > after[f"item:{disliked_id}"]
    shot(page, "2-after-like-and-dislike")

    # Remove the liked item from the profile with the dropdown.
    page.locator("#rb-facet input").click()
    page.locator('[data-testid="dropdown-option"]', has_text=first.locator(".rb-title a").inner_text()).first.click()
    page.locator("#rb-remove").click()
    expect(page.locator(f'#rb-profile .rb-row[data-facet="item:{liked_id}"]')).to_have_count(0)
    expect(page.locator(f'#rb-profile .rb-row[data-facet="item:{disliked_id}"]')).to_have_count(1)

    # Export shows what is stored, including the session id used for the check below.
    page.locator("#rb-export").click()
    exported = page.locator("#rb-export-json")
    expect(exported).to_contain_text("feedback")
    expect(page.locator("#rb-export-link a[download]")).to_be_visible()
    session_id = re.search(r"[0-9a-f]{32}", exported.inner_text()).group(0)
    assert engine.profile(session_id)
    shot(page, "3-removed-and-exported")

    page.locator("#rb-forget").click()
    expect(page.locator('#rb-chat [data-testid="bot"]')).to_have_count(0)
    expect(page.locator("#rb-profile .rb-row")).to_have_count(0)
    expect(page.locator("#rb-cards .rb-card")).to_have_count(0)
    assert engine.profile(session_id) == [] and engine.history(session_id) == []
    assert session_id not in engine.sessions.session_ids()
    shot(page, "4-forgotten")


QUOTED_REQUEST = "a heist comedy with a casino robbery"  # the sample's Lock, Stock... says "pull a heist"


def test_cards_mark_the_quoted_words_and_show_each_reasons_source(page, base_url) -> None:
    open_app(page, base_url)
    send(page, QUOTED_REQUEST)
    cards = page.locator("#rb-cards .rb-card")
    marked = cards.locator(".rb-reasons li mark")
    expect(marked.first).to_be_visible()
    # the person's words as they stand in the quote ("bank heists" for "heist"), as the reasons match them
    assert {stem(m.lower()) for m in marked.all_inner_texts()} <= {"heist", "comedy", "casino", "robbery"}
    quoted = cards.locator(".rb-reasons li", has=page.locator("mark")).first
    expect(quoted.locator("small.rb-src")).to_have_text("from description")
    expect(quoted).to_have_attribute("title", "from description")
    # The chat reply lists the same reasons as the cards.
    reply = page.locator('#rb-chat [data-testid="bot"]').last
    quote = quoted.inner_text().removesuffix("from description").strip()
    expect(reply).to_contain_text(quote)
    shot(page, "9-marked-reasons")


def test_widget_marks_the_quoted_words_and_shows_the_sources(page, base_url) -> None:
    page.goto(base_url + "/examples")
    page.locator("#recbot-widget .launcher").click()
    widget = page.locator("#recbot-widget")
    widget.locator("input").fill(QUOTED_REQUEST)
    widget.locator("button.send").click()
    expect(widget.locator(".card .why li mark").first).to_be_visible()
    expect(widget.locator(".card .why li", has=page.locator("mark")).first.locator("small")).to_have_text(
        "from description")
    assert widget.locator(".card .why li").count() >= widget.locator(".card").count()  # every reason, not the first
    shot(page, "10-widget-marked-reasons")


def test_two_browsers_stay_isolated_and_a_reload_restores_the_chat(browser, base_url) -> None:
    contexts = [browser.new_context(viewport={"width": 1200, "height": 900}) for _ in range(2)]
    try:
        alice, bob = (c.new_page() for c in contexts)
        for p in (alice, bob):
            p.set_default_timeout(TIMEOUT_MS)
            open_app(p, base_url)
        send(alice, "scary horror films")
        send(bob, "an animated family comedy")
        for me, mine, theirs in ((alice, "scary horror films", "an animated family comedy"),
                                 (bob, "an animated family comedy", "scary horror films")):
            assert me.locator('#rb-chat [data-testid="user"]').all_inner_texts() == [mine]
            expect(me.locator("#rb-chat")).not_to_contain_text(theirs)
        assert chart_weights(alice).get("genre:horror", 0) > 0
        assert chart_weights(bob).get("genre:horror", 0) <= 0
        shot(alice, "5-isolated-alice")
        shot(bob, "5-isolated-bob")

        alice.reload()
        expect(alice.locator('#rb-chat [data-testid="user"]')).to_have_count(1)
        expect(alice.locator("#rb-chat")).to_contain_text("scary horror films")
        assert chart_weights(alice).get("genre:horror", 0) > 0

        # New conversation: a fresh session with an empty chat and profile.
        alice.locator("#rb-new").click()
        expect(alice.locator('#rb-chat [data-testid="user"]')).to_have_count(0)
        expect(alice.locator("#rb-profile .rb-row")).to_have_count(0)
    finally:
        for c in contexts:
            c.close()


def test_example_prompt_and_html_in_messages_shows_as_text(page, base_url) -> None:
    open_app(page, base_url)
    page.get_by_text("Animated films for a family evening").click()
    expect(page.locator('#rb-chat [data-testid="user"]')).to_contain_text("Animated films for a family evening")
    expect(page.locator("#rb-cards .rb-card").first).to_be_visible()

    attack = '<img src=x onerror="window.__pwned=1"><b>bold</b> heist films'
    send(page, attack)
    expect(page.locator('#rb-chat [data-testid="user"]').last).to_contain_text('<b>bold</b> heist films')
    assert page.locator("#rb-chat b", has_text="bold").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_progress_is_shown_while_indexing_then_the_chat_works(browser, engine, tmp_path) -> None:
    from chatbot.web.readiness import EngineSlot

    slot = EngineSlot()
    slot.progress(1200, 3000)
    with serve(full_app(slot, tmp_path)) as url:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            page.goto(url + "/")
            status = page.locator("#rb-status")
            expect(status).to_contain_text("Preparing the catalog… 1,200/3,000")
            shot(page, "0-indexing")
            slot.progress(2400, 3000)
            expect(status).to_contain_text("2,400/3,000")  # the page polls
            slot.set_engine(engine)
            expect(page.locator("#rb-status .rb-status")).to_have_count(0)
            send(page, "a courtroom drama")
        finally:
            context.close()


def test_the_start_page_turns_into_the_chat_when_the_ui_is_mounted(browser, engine, tmp_path) -> None:
    """app.py's order: API first, the Gradio page when built; an open start page reloads itself into the chat."""
    import threading

    from chatbot.web.api import create_app
    from chatbot.config import load_settings
    from chatbot.web.late_ui import LateUI
    from chatbot.web.readiness import EngineSlot
    from chatbot.web.ui import build_ui

    release = threading.Event()
    slot = EngineSlot(engine)
    settings = load_settings(data_dir=tmp_path, chat_backend="fake", llm_signals=False, api_key=None,
                             cors_origins="")
    late = LateUI(create_app(settings, slot, None, REPO / "examples"), lambda: release.wait(60) and build_ui(slot))
    with serve(late.app) as url:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            page.goto(url + "/")
            expect(page.locator("body")).to_contain_text("Starting the chat")
            release.set()
            expect(page.locator("#rb-send")).to_be_visible()  # reloaded by itself
            send(page, "a courtroom drama")  # the UI's queue runs: its start-up ran in the live server
        finally:
            context.close()


def test_example_site_widget_chats_and_likes(page, base_url, engine) -> None:
    page.goto(base_url + "/examples")
    expect(page).to_have_title(re.compile("Reel Corner"))
    page.locator("#recbot-widget .launcher").click()
    widget = page.locator("#recbot-widget")
    widget.locator("input").fill("<i>a</i> pirate adventure")
    widget.locator("button.send").click()
    expect(widget.locator(".msg.user")).to_have_text("<i>a</i> pirate adventure")  # textContent, not markup
    expect(widget.locator(".msg.bot").last).to_contain_text(REPLY)
    cards = widget.locator(".card")
    expect(cards.first).to_be_visible()
    item_id = cards.first.get_attribute("data-item-id")
    cards.first.locator("button.like").click()
    expect(cards.first.locator("button.like")).to_have_attribute("aria-pressed", "true")
    session_id = page.evaluate("localStorage.getItem('recbot.session')")
    assert any(f.facet == f"item:{item_id}" and f.weight > 0 for f in engine.profile(session_id))
    shot(page, "6-widget")

    widget.locator("button.forget").click()
    expect(widget.locator(".msg.bot").last).to_contain_text("deleted")
    assert engine.profile(session_id) == []
    assert page.evaluate("localStorage.getItem('recbot.session')") is None


# --- hostile content: user messages and catalog fields carrying HTML, script and javascript: links -----------------

# Typed by the person: a script, an image whose error handler runs code, a markdown javascript: link, an iframe.
HOSTILE_MESSAGE = (
    f"<script>window.{PWNED_FLAG}=1;alert(1)</script> <img src=x onerror=\"window.{PWNED_FLAG}=1;alert(1)\"> "
    f"[click me](javascript:window.{PWNED_FLAG}=1) <iframe src=\"javascript:alert(1)\"></iframe> "
    "films about a night train heist, rival origami artists or a clockmaker in old Prague"
)
# The scripted model tries it too; the reply guard drops that sentence, the page must not run it either way.
HOSTILE_REPLY = f'{REPLY} Also <img src=x onerror="window.{PWNED_FLAG}=1"> [free](javascript:alert(1)).'
PAYLOAD_TITLES = {a.id: a.text for a in load_attacks() if a.id in ("title-img", "title-markdown")}
CAST_PAYLOAD = next(a for a in load_attacks() if a.id == "cast-script")


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory, embeddings, small_catalog) -> Iterator[str]:
    from chatbot.llm.fake import FakeChatModel
    from chatbot.web.readiness import EngineSlot

    folder = tmp_path_factory.mktemp("browser-hostile")
    engine = build_hostile_engine(folder, embeddings, small_catalog, FakeChatModel(default=HOSTILE_REPLY))
    with serve(full_app(EngineSlot(engine), folder / "app")) as url:
        yield url


def watch_for_payloads(page) -> list[str]:
    """Dialogs the page opened (a payload that ran would alert); the list fills as they happen."""
    opened: list[str] = []
    page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))
    return opened


def assert_nothing_ran(page, root: str, opened: list[str]) -> None:
    """No dialog, no flag set by a payload, and none of the payloads' elements in the DOM under root."""
    assert opened == []
    assert page.evaluate(f"window.{PWNED_FLAG}") is None
    injected = f'{root} img[src="x"], {root} iframe, {root} a[href^="javascript"], {root} svg[onload]'
    assert page.locator(injected).count() == 0
    assert not page.evaluate(f"[...document.scripts].some(s => s.textContent.includes('{PWNED_FLAG}=1'))")


def test_hostile_messages_and_catalog_fields_show_as_text_in_the_chat_and_cards(page, hostile_url) -> None:
    opened = watch_for_payloads(page)
    open_app(page, hostile_url)
    send(page, HOSTILE_MESSAGE)
    chat, cards = page.locator("#rb-chat"), page.locator("#rb-cards")
    mine = page.locator('#rb-chat [data-testid="user"]').last
    for shown in ("<script>window.__pwned=1;alert(1)</script>", '<img src=x onerror="window.__pwned=1;alert(1)">',
                  "[click me](javascript:window.__pwned=1)", '<iframe src="javascript:alert(1)"></iframe>'):
        expect(mine).to_contain_text(shown)
    for title in PAYLOAD_TITLES.values():  # in the reply's list and on a card, as typed in the catalog
        expect(chat).to_contain_text(title)
        expect(cards.locator(".rb-title", has_text=title)).to_have_count(1)
    expect(cards.locator(".rb-desc", has_text="<script>window.__pwned=1;alert(1)</script>")).to_have_count(1)
    expect(page.locator('#rb-chat [data-testid="bot"]').last).not_to_contain_text("[free]")  # guard dropped it
    shot(page, "7-hostile-chat-and-cards")

    # A reason quoting a hostile cast field: like one film, and its sequel is recommended for the shared "actor".
    send(page, CAST_PAYLOAD.message)
    # (Issue 16 reworded the reason: "also with <cast>, like <film>", the field named by its own phrase.)
    expect(cards.locator(".rb-reasons li", has_text=f"also with {CAST_PAYLOAD.text}")).to_have_count(1)
    expect(chat).to_contain_text(f"also with {CAST_PAYLOAD.text}")
    assert_nothing_ran(page, "body", opened)

    page.reload()  # the restored chat shows the same text, still inert
    expect(page.locator('#rb-chat [data-testid="user"]').first).to_contain_text("[click me](javascript:")
    assert_nothing_ran(page, "body", opened)


def test_hostile_messages_and_catalog_fields_show_as_text_in_the_widget(page, hostile_url) -> None:
    opened = watch_for_payloads(page)
    page.goto(hostile_url + "/examples")
    page.locator("#recbot-widget .launcher").click()
    widget = page.locator("#recbot-widget")
    widget.locator("input").fill(HOSTILE_MESSAGE)
    widget.locator("button.send").click()
    expect(widget.locator(".msg.user")).to_have_text(HOSTILE_MESSAGE)
    expect(widget.locator(".card").first).to_be_visible()
    for title in PAYLOAD_TITLES.values():
        expect(widget.locator(".msg.bot").last).to_contain_text(title)  # markdown escapes undone, nothing rendered
        expect(widget.locator(".card .t", has_text=title)).to_have_count(1)
    widget.locator("input").fill(CAST_PAYLOAD.message)
    widget.locator("button.send").click()
    expect(widget.locator(".card .why", has_text=f"also with {CAST_PAYLOAD.text}")).to_have_count(1)
    shot(page, "8-hostile-widget")
    assert_nothing_ran(page, "#recbot-widget", opened)


def test_widget_shows_the_busy_answer_and_keeps_the_message_to_resend(page, base_url) -> None:
    # The server's 503 busy answer is covered in test_load.py; here the point is what the widget does with it.
    detail = "busy: 2 chat turns running and 8 waiting, the most this server takes; retry in 7 s"
    page.route("**/api/chat/stream", lambda route: route.fulfill(
        status=503, headers={"Retry-After": "7", "Content-Type": "application/json"},
        body=json.dumps({"detail": detail}),
    ))
    page.goto(base_url + "/examples")
    page.locator("#recbot-widget .launcher").click()
    widget = page.locator("#recbot-widget")
    widget.locator("input").fill("a heist film")
    widget.locator("button.send").click()
    expect(widget.locator(".msg.error")).to_have_text(detail)
    expect(widget.locator("input")).to_have_value("a heist film")
    expect(widget.locator("button.send")).to_be_enabled()

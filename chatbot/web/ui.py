"""Gradio 6 chat app: the page's layout and event handlers (streamed replies, like/dislike, profile, progress)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Iterator

import gradio as gr

from chatbot.engine import MAX_MESSAGE_CHARS, InputError
from chatbot.sessions import SESSION_ID_RE
from chatbot.web.gradio_api import add_client_api
from chatbot.web.ui_render import (
    CARD_JS, CARDS_CSS, CHART_CSS, EXAMPLE_PROMPTS, HEADER, HEADER_CSS, NO_CARDS, NO_PROFILE, POLL_SECONDS,
    STATUS_CSS, THINKING, chat_text, display_history, facet_choices, render_cards, render_chart,
    render_export_link, render_status, user_chat_text,
)

if TYPE_CHECKING:
    from chatbot.engine import Engine
    from chatbot.types import ProfileFacet
    from chatbot.web.readiness import EngineSlot


def new_session_id() -> str:
    """A fresh, unguessable session id."""
    return uuid.uuid4().hex


def valid_session(session_id: object) -> str:
    """The id if well-formed, else a new one (the browser's stored value is untrusted)."""
    return session_id if isinstance(session_id, str) and SESSION_ID_RE.fullmatch(session_id) else new_session_id()


# --- event handlers ---------------------------------------------------------------------------------------------


def _skip(n: int) -> tuple[Any, ...]:
    return tuple(gr.skip() for _ in range(n))


class ChatUI:
    """Event handlers bound to an engine slot; only the session id lives in the browser."""

    def __init__(self, slot: EngineSlot) -> None:
        self.slot = slot

    def _engine(self) -> Engine:
        engine = self.slot.engine
        if engine is None:
            raise gr.Error(f"Not ready yet: {self.slot.readiness().message} Please try again in a moment.")
        return engine

    def _profile_outputs(self, profile: list[ProfileFacet]) -> tuple[str, Any]:
        return render_chart(profile), gr.Dropdown(choices=facet_choices(profile), value=None)

    def load(self, session_id: str | None) -> tuple[Any, ...]:
        """Page load: keep (or create) this browser's session and restore its chat and profile."""
        session_id = valid_session(session_id)
        readiness = self.slot.readiness()
        engine = self.slot.engine
        if engine is None:
            return (session_id, [], NO_PROFILE, gr.Dropdown(choices=[], value=None), render_status(readiness),
                    gr.Timer(active=True))
        chart, dropdown = self._profile_outputs(engine.profile(session_id))
        history = display_history(engine.history(session_id))
        return session_id, history, chart, dropdown, "", gr.Timer(active=False)

    def poll(self, session_id: str | None) -> tuple[Any, ...]:
        """Timer tick while starting: show progress; once ready, stop polling and restore the session."""
        readiness = self.slot.readiness()
        if self.slot.engine is None:
            active = readiness.status != "error"
            return (render_status(readiness), gr.Timer(active=active)) + _skip(3)
        session_id = valid_session(session_id)
        chart, dropdown = self._profile_outputs(self.slot.engine.profile(session_id))
        return "", gr.Timer(active=False), display_history(self.slot.engine.history(session_id)), chart, dropdown

    def respond(self, message: str, session_id: str | None) -> Iterator[tuple[Any, ...]]:
        """Send a message: show it at once, then stream the reply; cards and profile update when items are known."""
        # outputs: textbox, chatbot, cards, chart, dropdown, session
        text = (message or "").strip()
        if not text:
            yield _skip(6)
            return
        engine = self._engine()
        session_id = valid_session(session_id)
        before = display_history(engine.history(session_id))
        pending = [*before, {"role": "user", "content": user_chat_text(text)},
                   {"role": "assistant", "content": THINKING}]
        yield "", list(pending), gr.skip(), gr.skip(), gr.skip(), session_id
        try:
            result = engine.turn(session_id, text)
        except (InputError, ValueError) as exc:
            # Put the text back so the person can fix it.
            yield text, before, gr.skip(), gr.skip(), gr.skip(), session_id
            raise gr.Error(str(exc)) from None
        chart, dropdown = self._profile_outputs(result.profile)
        reply = ""
        yield "", list(pending), render_cards(result.items), chart, dropdown, session_id
        for chunk in result.stream:
            reply += chunk
            # A fresh list per step: each yielded value is a snapshot, never changed afterwards.
            pending = [*pending[:-1], {"role": "assistant", "content": chat_text(reply)}]
            yield "", pending, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if not reply:
            yield "", [*pending[:-1], {"role": "assistant", "content": "(no reply)"}], *_skip(4)

    def card_clicked(self, session_id: str | None, evt: gr.EventData) -> tuple[Any, ...]:
        """A like/dislike button on a card: record it and redraw the profile."""
        data = getattr(evt, "_data", None) or {}
        item_id, liked = data.get("item_id"), data.get("liked")
        if not isinstance(item_id, str) or not isinstance(liked, bool):
            return _skip(2)  # a click on the card outside the buttons
        try:
            profile = self._engine().feedback(valid_session(session_id), item_id, liked)
        except (InputError, ValueError) as exc:
            raise gr.Error(str(exc)) from None
        return self._profile_outputs(profile)

    def remove_facet(self, session_id: str | None, facet: str | None) -> tuple[Any, ...]:
        """Drop the chosen facet from the profile."""
        if not facet:
            gr.Warning("Choose something to remove first.")
            return _skip(2)
        try:
            profile = self._engine().remove_facet(valid_session(session_id), facet)
        except (InputError, ValueError) as exc:
            raise gr.Error(str(exc)) from None
        return self._profile_outputs(profile)

    def export(self, session_id: str | None) -> tuple[Any, ...]:
        """Show everything stored about this session, with a download link."""
        session_id = valid_session(session_id)
        data = self._engine().export(session_id)
        return gr.JSON(value=data, visible=True), gr.HTML(render_export_link(data, session_id), visible=True)

    def forget(self, session_id: str | None) -> tuple[Any, ...]:
        """Delete everything about this session and start a fresh one."""
        deleted = self._engine().forget(valid_session(session_id))
        gr.Info(f"Forgotten: {deleted} stored events deleted. You are starting afresh.")
        return self._cleared()

    def new_conversation(self, session_id: str | None) -> tuple[Any, ...]:
        """Start a new session (the old one stays stored until forgotten)."""
        return self._cleared()

    def _cleared(self) -> tuple[Any, ...]:
        # outputs: session, chatbot, cards, chart, dropdown, export json, export link, textbox
        return (new_session_id(), [], NO_CARDS, NO_PROFILE, gr.Dropdown(choices=[], value=None),
                gr.JSON(value=None, visible=False), gr.HTML("", visible=False), "")


def example_text(evt: gr.SelectData) -> str:
    """The prompt of the example the person clicked."""
    value = evt.value
    return value.get("text", "") if isinstance(value, dict) else str(value or "")


def build_ui(
    slot: EngineSlot, title: str = "Film finder", browser_secret: str | None = None, concurrency: int = 2,
    max_queued: int | None = 8, session_turns_per_minute: int = 0,
) -> gr.Blocks:
    """The Blocks app; it renders at once and polls readiness while the engine is still being built.

    browser_secret encrypts the session id kept in the browser; a fixed one keeps sessions across restarts
    (Gradio's default is random per process). concurrency is how many chat turns run at once; past max_queued
    waiting events Gradio tells the browser the queue is full instead of letting it wait (None: unbounded).
    The page's events are private (not in view_api(), not callable by gradio_client); clients get /chat,
    /feedback and /profile (web/gradio_api.py), /chat limited to session_turns_per_minute per session (0: off).
    """
    ui = ChatUI(slot)
    with gr.Blocks(title=title, fill_width=True) as demo:
        session = gr.BrowserState("", storage_key="recbot_session_id", secret=browser_secret)
        timer = gr.Timer(POLL_SECONDS, active=False)
        gr.HTML(HEADER, css_template=HEADER_CSS, js_on_load=None)
        status = gr.HTML(render_status(slot.readiness()), css_template=STATUS_CSS, js_on_load=None,
                         elem_id="rb-status")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=380):
                chatbot = gr.Chatbot(
                    elem_id="rb-chat", label="Chat", height=440, feedback_options=None, buttons=["copy"],
                    placeholder="**Hi!** Tell me a film you loved, a mood, or what you are in the mood for.",
                    examples=[{"text": p} for p in EXAMPLE_PROMPTS],
                )
                with gr.Row(equal_height=True):
                    textbox = gr.Textbox(
                        placeholder="e.g. a heist film with a twist, not too violent", show_label=False,
                        scale=5, max_length=MAX_MESSAGE_CHARS, elem_id="rb-input", autofocus=True, lines=1,
                    )
                    send = gr.Button("Send", variant="primary", scale=1, min_width=90, elem_id="rb-send")
                new_chat = gr.Button("🆕 New conversation", size="sm", elem_id="rb-new")
                gr.Markdown("### Recommendations")
                cards = gr.HTML(NO_CARDS, css_template=CARDS_CSS, js_on_load=CARD_JS, elem_id="rb-cards")
            with gr.Column(scale=2, min_width=300):
                gr.Markdown("### What I think you like")
                chart = gr.HTML(NO_PROFILE, css_template=CHART_CSS, js_on_load=None, elem_id="rb-profile")
                facet = gr.Dropdown(choices=[], value=None, label="Not right? Remove it from my profile",
                                    elem_id="rb-facet", interactive=True)
                with gr.Row():
                    remove = gr.Button("Remove", size="sm", elem_id="rb-remove")
                    export_btn = gr.Button("Export my data", size="sm", elem_id="rb-export")
                    forget_btn = gr.Button("Forget me", size="sm", variant="stop", elem_id="rb-forget")
                export_link = gr.HTML("", visible=False, js_on_load=None, elem_id="rb-export-link")
                export_json = gr.JSON(visible=False, label="Everything stored about this session",
                                      elem_id="rb-export-json")
                gr.Markdown(
                    "Your chat, likes and profile are stored under an id kept in this browser. "
                    "**Forget me** deletes all of it.", elem_classes=["rb-privacy"],
                )

        chat_outputs = [textbox, chatbot, cards, chart, facet, session]
        cleared = [session, chatbot, cards, chart, facet, export_json, export_link, textbox]
        # The page's own events carry its HTML and widget updates, not an API: private, so view_api() shows only
        # the endpoints of add_client_api below (the browser still calls them by their index, as always).
        page: dict[str, Any] = {"api_visibility": "private"}
        quiet: dict[str, Any] = {"show_progress": "hidden", **page}  # background refreshes: no spinners over the page
        small: dict[str, Any] = {"show_progress": "minimal", **page}
        demo.load(ui.load, inputs=[session], outputs=[session, chatbot, chart, facet, status, timer], **quiet)
        timer.tick(ui.poll, inputs=[session], outputs=[status, timer, chatbot, chart, facet], **quiet)
        # One shared queue for every way of sending, so the concurrency limit counts turns, not buttons.
        turn: dict[str, Any] = {"concurrency_id": "turn", "concurrency_limit": concurrency, **page}
        textbox.submit(ui.respond, inputs=[textbox, session], outputs=chat_outputs, **turn)
        send.click(ui.respond, inputs=[textbox, session], outputs=chat_outputs, **turn)
        chatbot.example_select(example_text, inputs=None, outputs=textbox, **page).then(
            ui.respond, inputs=[textbox, session], outputs=chat_outputs, **turn
        )
        cards.click(ui.card_clicked, inputs=[session], outputs=[chart, facet], **small)
        remove.click(ui.remove_facet, inputs=[session, facet], outputs=[chart, facet], **small)
        export_btn.click(ui.export, inputs=[session], outputs=[export_json, export_link], **small)
        forget_btn.click(ui.forget, inputs=[session], outputs=cleared, **page)
        new_chat.click(ui.new_conversation, inputs=[session], outputs=cleared, **page)
        # the bin icon means "start over"
        chatbot.clear(ui.new_conversation, inputs=[session], outputs=cleared, **page)
        add_client_api(slot, concurrency, session_turns_per_minute)
    return demo.queue(max_size=max_queued)

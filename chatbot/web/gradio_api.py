"""The Gradio API a Space's users call with gradio_client: /chat, /feedback and /profile, with JSON shapes.

The chat page's own events are hidden from the API (see ui.build_ui); these three are the documented ones. They
answer with the same JSON as POST /api/chat, /api/feedback and GET /api/profile/{id} of the HTTP API.
"""

# No `from __future__ import annotations`: gr.api reads the return annotation as a type, not as a string.
from typing import TYPE_CHECKING, TypedDict, get_type_hints

import gradio as gr

from chatbot.engine import InputError
from chatbot.sessions import SESSION_ID_RE
from chatbot.types import ProfileFacet, Recommendation
from chatbot.web.api_schemas import SESSION_ID_HINT, items_out, new_session_id, profile_out
from chatbot.web.rate_limit import RateLimiter

if TYPE_CHECKING:
    from chatbot.engine import Engine
    from chatbot.web.readiness import EngineSlot

# Built from the dataclasses the JSON comes from (asdict), so a field added there shows in view_api() too.
Item = TypedDict("Item", get_type_hints(Recommendation))  # type: ignore[misc]
Facet = TypedDict("Facet", get_type_hints(ProfileFacet))  # type: ignore[misc]


class ChatTurn(TypedDict):
    """One turn: the whole reply, the recommended items with their reasons, and the updated profile."""

    session_id: str
    reply: str
    items: list[Item]  # type: ignore[valid-type]
    profile: list[Facet]  # type: ignore[valid-type]
    clarifying: bool


class Profile(TypedDict):
    """What the recommender believes about a session: facets, weight > 0 a like, < 0 a dislike."""

    session_id: str
    profile: list[Facet]  # type: ignore[valid-type]


class ClientAPI:
    """The endpoint functions, bound to an engine slot; errors reach the client as gr.Error with how to fix them."""

    def __init__(self, slot: "EngineSlot", session_turns_per_minute: int = 0) -> None:
        self.slot = slot
        self.session_turns = RateLimiter(session_turns_per_minute)

    def _engine(self) -> "Engine":
        engine = self.slot.engine
        if engine is None:
            raise gr.Error(f"Not ready yet: {self.slot.readiness().message} Try again in a moment.")
        return engine

    def _known_session(self, engine: "Engine", session_id: str) -> str:
        session_id = _checked(session_id)
        if not engine.has_session(session_id):
            raise gr.Error(f"unknown session id {session_id!r}; start a conversation with /chat, which returns a "
                           "session_id")
        return session_id

    def chat(self, message: str, session_id: str = "") -> ChatTurn:
        """Send a message (session_id "" starts a new session; send the returned one back to continue).

        Returns {session_id, reply, items, profile, clarifying}: the same JSON as POST /api/chat.
        """
        engine = self._engine()
        if session_id:
            session_id = _checked(session_id)
            wait = self.session_turns.hit(session_id)
            if wait:
                raise gr.Error(f"rate limit: at most {self.session_turns.per_minute} chat turns a minute per "
                               f"session; retry in {wait} s")
        else:
            session_id = new_session_id()
        if not isinstance(message, str) or not message.strip():
            raise gr.Error("message is blank; send some text")
        try:
            result = engine.turn(session_id, message)
        except (InputError, ValueError) as exc:
            raise gr.Error(str(exc)) from None
        return {"session_id": result.session_id, "reply": "".join(result.stream), "items": items_out(result.items),
                "profile": profile_out(result.profile), "clarifying": result.clarifying}

    def feedback(self, session_id: str, item_id: str, liked: bool) -> Profile:
        """Like (liked=True) or dislike an item recommended to the session; returns the updated profile."""
        engine = self._engine()
        session_id = self._known_session(engine, session_id)
        if not isinstance(liked, bool):
            raise gr.Error("liked must be true or false")
        try:
            profile = engine.feedback(session_id, item_id, liked)
        except (InputError, ValueError) as exc:
            raise gr.Error(str(exc)) from None
        return {"session_id": session_id, "profile": profile_out(profile)}

    def profile(self, session_id: str) -> Profile:
        """What the recommender currently believes about the session, strongest facets first."""
        engine = self._engine()
        session_id = self._known_session(engine, session_id)
        return {"session_id": session_id, "profile": profile_out(engine.profile(session_id))}


def _checked(session_id: object) -> str:
    if not isinstance(session_id, str) or not SESSION_ID_RE.fullmatch(session_id):
        raise gr.Error(f"invalid session id {session_id!r}: {SESSION_ID_HINT}")
    return session_id


def add_client_api(slot: "EngineSlot", concurrency: int, session_turns_per_minute: int = 0) -> ClientAPI:
    """Register /chat, /feedback and /profile on the Blocks being built; /chat shares the page's turn queue."""
    api = ClientAPI(slot, session_turns_per_minute)
    gr.api(api.chat, api_name="chat", concurrency_id="turn", concurrency_limit=concurrency)
    gr.api(api.feedback, api_name="feedback")
    gr.api(api.profile, api_name="profile")
    return api

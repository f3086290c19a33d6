"""Request and response shapes of the HTTP API (pydantic models, so /docs shows them) and their limits."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from chatbot.engine import MAX_MESSAGE_CHARS
from chatbot.web.readiness import State

if TYPE_CHECKING:
    from chatbot.types import ProfileFacet, Recommendation

SESSION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,128}$"
SESSION_ID_HINT = "use 1-128 characters of letters, digits, '_' or '-' (e.g. a uuid4 hex), or leave it out"
MAX_ITEM_ID_CHARS = 256
MAX_FACET_CHARS = 300

SessionIdField = Annotated[str, Field(pattern=SESSION_ID_PATTERN, description="1-128 chars of [A-Za-z0-9_-].")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChatRequest(_Strict):
    """One user message; leave session_id out to start a new session."""

    session_id: SessionIdField | None = None
    message: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS, description="What the person typed.")

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message is blank; send some text")
        return value

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"message": "Something like Alien but less gory"}]},
    )


class FeedbackRequest(_Strict):
    """A like (liked=true) or dislike (liked=false) of a recommended item."""

    session_id: SessionIdField
    item_id: str = Field(min_length=1, max_length=MAX_ITEM_ID_CHARS, description="An item_id from a recommendation.")
    liked: StrictBool


class FacetRequest(_Strict):
    """A facet to remove, as a body (for facets awkward to put in a URL)."""

    facet: str = Field(min_length=3, max_length=MAX_FACET_CHARS, description="e.g. 'genre:horror'.")


class ExplanationOut(BaseModel):
    """One reason and where it came from: a catalog field, "log" (with its count) or "your words"."""

    text: str
    source: str = Field(description='Catalog field(s) it is built from, "log", "embedding" or "ranking".')
    kind: str = Field(description="plot, shared, person, log, standing, era, similar, facet, about or fallback.")
    quote: str | None = Field(None, description="The source field's text quoted verbatim (plot reasons).")
    marked: list[str] = Field(default_factory=list, description="Words of the quote (or names) the reason rests on.")
    other_id: str | None = Field(None, description="The item the reason names (shared, log, similar).")
    also_ids: list[str] = Field(default_factory=list, description='More items a shared reason names ("like X and Y").')
    count: int | None = Field(None, description="The interaction-log count behind a log reason.")


class ItemOut(BaseModel):
    """A recommended catalog item with the reasons it was chosen (`reasons`: the texts of `explanations`)."""

    item_id: str
    title: str
    year: int | None
    description: str
    image_url: str | None
    url: str | None
    score: float
    reasons: list[str]
    long_tail: bool
    explanations: list[ExplanationOut] = Field(default_factory=list)
    explore: bool = Field(False, description="Chosen to learn from (RECBOT_EXPLORATION): something different to "
                                             "try, with its own reason; a like or dislike on it teaches the most.")


class FacetOut(BaseModel):
    """One profile facet; weight > 0 is a like, < 0 a dislike, decayed to now."""

    facet: str
    label: str
    weight: float
    updated_at: float
    turn: int | None = Field(None, description="The user turn (1-based) that last set this facet.")
    found_by: str | None = Field(None, description="rules, model, rules+model, or feedback (a like/dislike click).")


class ChatResponse(BaseModel):
    """The whole reply with its items and the updated profile."""

    session_id: str
    reply: str
    items: list[ItemOut]
    profile: list[FacetOut]
    clarifying: bool


class ProfileResponse(BaseModel):
    """What the recommender currently believes about a session."""

    session_id: str
    profile: list[FacetOut]


class ForgetResponse(BaseModel):
    """How many stored events were deleted."""

    session_id: str
    deleted: int


class EventOut(BaseModel):
    """One stored event of a session, as kept in the log."""

    seq: int
    ts: float
    kind: str
    payload: dict[str, Any]


class ExportResponse(BaseModel):
    """Everything stored about a session: every event and the full profile at `now`."""

    session_id: str
    now: float
    events: list[EventOut]
    profile: list[FacetOut]


class HealthResponse(BaseModel):
    """'ok' once the engine is ready; otherwise what it is doing (indexing: done/total items)."""

    status: State
    done: int
    total: int
    message: str


class ErrorResponse(BaseModel):
    """Every 4xx/5xx body: what was wrong and how to fix it."""

    detail: str


def items_out(items: list[Recommendation]) -> list[dict[str, Any]]:
    """Recommendations as JSON-able dicts."""
    return [asdict(r) for r in items]


def profile_out(profile: list[ProfileFacet]) -> list[dict[str, Any]]:
    """Profile facets as JSON-able dicts."""
    return [asdict(f) for f in profile]


def new_session_id() -> str:
    """A fresh, unguessable session id."""
    return uuid.uuid4().hex

"""What the chat page shows, as HTML and markdown strings: cards, the profile chart, status, and the page's CSS/JS."""

from __future__ import annotations

import html
import json
import math
import re
import urllib.parse
from typing import TYPE_CHECKING, Any

from chatbot.reply.writer import escape_markdown

if TYPE_CHECKING:
    from chatbot.types import Explanation, ProfileFacet, Recommendation
    from chatbot.web.readiness import Readiness


EXAMPLE_PROMPTS = [
    "Something like Alien but less gory",
    "A feel-good comedy from the 90s",
    "Space adventures with robots, nothing scary",
    "Animated films for a family evening",
]
DESCRIPTION_CHARS = 180
CHART_FACETS = 12
POLL_SECONDS = 1.0
THINKING = "_Thinking…_"
NO_CARDS = '<p class="rb-empty">Recommendations will appear here, each with the reasons it was picked.</p>'
NO_PROFILE = '<p class="rb-empty">Nothing yet: tell me what you like, or like a card.</p>'

# --- pure rendering (every catalog or user string goes through html.escape) --------------------------------------


def esc(value: object) -> str:
    """Text safe inside HTML elements and quoted attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: object) -> str | None:
    """The URL if it is absolute http(s), else None (no javascript:, data: or relative tricks)."""
    if not isinstance(url, str) or not url.strip():
        return None
    parsed = urllib.parse.urlsplit(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return None
    return url.strip()


def short(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """The text cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:- ")
    return cut + "…"


def render_image(item: Recommendation) -> str:
    """The poster, or a placeholder when there is none or it fails to load (onerror swaps them)."""
    placeholder = '<div class="rb-placeholder" aria-hidden="true"{hidden}><span>🎬</span></div>'
    src = safe_url(item.image_url)
    if src is None:
        return placeholder.format(hidden="")
    return (
        f'<img class="rb-img" src="{esc(src)}" alt="Poster of {esc(item.title)}" loading="lazy" '
        'referrerpolicy="no-referrer" onerror="this.hidden=true;this.nextElementSibling.hidden=false">'
        + placeholder.format(hidden=" hidden")
    )


SOURCE_LABELS = {"log": "interaction log", "embedding": "similar item vectors", "ranking": "ranking score",
                 "your words": "your words"}


def source_label(explanation: Explanation) -> str:
    """Where a reason comes from, in words: "from plot_overview", "from the interaction log (12)"."""
    label = SOURCE_LABELS.get(explanation.source, explanation.source.replace(",", ", "))
    count = f" ({explanation.count:,})" if explanation.count is not None else ""
    return f"from {label}{count}"


def marked_text(text: str, marked: list[str]) -> str:
    """Escaped text with each marked word (whole words, any case) in <mark>."""
    words = sorted({w for w in marked if w and w.strip()}, key=len, reverse=True)
    if not words:
        return esc(text)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [esc(text[last : match.start()]), f"<mark>{esc(match.group())}</mark>"]
        last = match.end()
    return "".join(out) + esc(text[last:])


def render_reasons(item: Recommendation) -> str:
    """The reasons list: quoted words marked, each reason's source in small print (and on hover)."""
    if not item.explanations:
        return "".join(f"<li>{esc(r)}</li>" for r in item.reasons)
    rows = []
    for e in item.explanations:
        source = source_label(e)
        rows.append(f'<li class="rb-reason rb-{esc(e.kind)}" title="{esc(source)}">{marked_text(e.text, e.marked)} '
                    f'<small class="rb-src">{esc(source)}</small></li>')
    return "".join(rows)


def render_card(item: Recommendation, position: int) -> str:
    """One item card: image, numbered title and year, short description, reasons, like/dislike buttons."""
    title = esc(item.title)
    link = safe_url(item.url)
    if link:
        title = f'<a href="{esc(link)}" target="_blank" rel="noopener noreferrer nofollow">{title}</a>'
    year = f' <span class="rb-year">({item.year})</span>' if isinstance(item.year, int) else ""
    reasons = render_reasons(item)
    gem = '<span class="rb-badge" title="Less well known, but a good match">hidden gem</span>' if item.long_tail else ""
    if item.explore:
        gem += ('<span class="rb-badge rb-explore" title="Not what you asked for exactly: a direction we have not '
                'tried yet, so your like or dislike teaches me the most">something different to try</span>')
    item_id = esc(item.item_id)
    return (
        f'<article class="rb-card" data-item-id="{item_id}">'
        f'<div class="rb-media">{render_image(item)}</div>'
        '<div class="rb-body">'
        f'<h4 class="rb-title"><span class="rb-num">{position}.</span> {title}{year} {gem}</h4>'
        f'<p class="rb-desc">{esc(short(item.description))}</p>'
        + (f'<ul class="rb-reasons">{reasons}</ul>' if reasons else "")
        + '<div class="rb-actions">'
        f'<button type="button" class="rb-like" data-item-id="{item_id}" data-liked="true" aria-pressed="false" '
        f'aria-label="Like {esc(item.title)}">👍 Like</button>'
        f'<button type="button" class="rb-dislike" data-item-id="{item_id}" data-liked="false" aria-pressed="false" '
        f'aria-label="Dislike {esc(item.title)}">👎 Dislike</button>'
        "</div></div></article>"
    )


def render_cards(items: list[Recommendation]) -> str:
    """All cards of a turn, numbered like the reply's list."""
    if not items:
        return NO_CARDS
    return '<div class="rb-cards">' + "".join(render_card(it, i) for i, it in enumerate(items, 1)) + "</div>"


def origin_text(facet: ProfileFacet, prefix: str = "") -> str:
    """"turn 3 · rules": where a facet came from, or "" when unknown."""
    parts = [f"turn {facet.turn}" if facet.turn else "", facet.found_by or ""]
    text = " · ".join(p for p in parts if p)
    return prefix + text if text else ""


def origin_html(facet: ProfileFacet) -> str:
    """The origin as a small caption under the facet's label."""
    text = origin_text(facet)
    return f'<small class="rb-origin" data-turn="{facet.turn or ""}" data-found-by="{esc(facet.found_by or "")}">' \
           f"{esc(text)}</small>" if text else ""


def render_chart(profile: list[ProfileFacet], limit: int = CHART_FACETS) -> str:
    """A diverging bar chart of current decayed weights: likes to the right (green), dislikes to the left (red)."""
    facets = [f for f in profile if isinstance(f.weight, (int, float)) and math.isfinite(f.weight) and f.weight][:limit]
    if not facets:
        return NO_PROFILE
    scale = max(abs(f.weight) for f in facets)
    rows = []
    for f in sorted(facets, key=lambda f: -f.weight):
        pct = round(100 * abs(f.weight) / scale, 1)
        sign = "pos" if f.weight > 0 else "neg"
        left = f'<span class="rb-bar" style="width:{pct}%"></span>' if sign == "neg" else ""
        right = f'<span class="rb-bar" style="width:{pct}%"></span>' if sign == "pos" else ""
        rows.append(
            f'<div class="rb-row rb-{sign}" role="listitem" data-facet="{esc(f.facet)}" data-weight="{f.weight:.3f}">'
            f'<span class="rb-label" title="{esc(f.facet)}{esc(origin_text(f, " · "))}">{esc(f.label)}'
            f'{origin_html(f)}</span>'
            f'<span class="rb-track"><span class="rb-half rb-left">{left}</span>'
            f'<span class="rb-half rb-right">{right}</span></span>'
            f'<span class="rb-val">{f.weight:+.2f}</span></div>'
        )
    return (
        '<div class="rb-chart" role="list" aria-label="What I think you like">'
        '<div class="rb-axis"><span></span><span class="rb-axis-mid"><span>◀ dislike</span><span>like ▶</span></span>'
        "<span></span></div>" + "".join(rows) + "</div>"
    )


def render_status(readiness: Readiness) -> str:
    """The banner shown while the catalog is indexed or the models load; empty once ready."""
    if readiness.status == "ok":
        return ""
    if readiness.status == "error":
        return f'<div class="rb-status rb-error" role="alert">{esc(readiness.message)}</div>'
    bar = (
        f'<progress max="{readiness.total}" value="{readiness.done}"></progress>'
        if readiness.total
        else "<progress></progress>"
    )
    return f'<div class="rb-status" role="status">{bar} <span>{esc(readiness.message)}</span></div>'


def render_export_link(data: dict[str, Any], session_id: str) -> str:
    """A download link for the exported JSON, as a data: URL (no file is written on the server)."""
    payload = urllib.parse.quote(json.dumps(data, ensure_ascii=False, indent=2))
    name = f"recbot-profile-{esc(session_id[:12])}.json"
    return (
        f'<a class="rb-download" download="{name}" href="data:application/json;charset=utf-8,{payload}">'
        "⬇ Download my data (JSON)</a>"
    )


def chat_text(text: str) -> str:
    """Reply text for the Chatbot: HTML is escaped so it shows as text; markdown still renders."""
    return html.escape(text, quote=False)


def user_chat_text(text: str) -> str:
    """A person's message for the Chatbot, shown exactly as typed: no HTML, and no markdown links or images."""
    return chat_text(escape_markdown(text))


def display_history(dialogue: list[dict[str, str]]) -> list[dict[str, str]]:
    """The engine's dialogue as Chatbot messages."""
    shown = {"user": user_chat_text, "assistant": chat_text}
    return [{"role": m["role"], "content": shown[m["role"]](m["content"])} for m in dialogue if m.get("role") in shown]


def facet_choices(profile: list[ProfileFacet]) -> list[tuple[str, str]]:
    """(label shown, facet key) pairs for the remove-facet dropdown."""
    return [(f"{f.label} ({f.weight:+.2f})", f.facet) for f in profile]


# --- browser-side behaviour and looks ---------------------------------------------------------------------------

# One delegated listener on the component root survives every re-render of the cards.
CARD_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-item-id]');
  if (!button || !element.contains(button)) return;
  const card = button.closest('.rb-card');
  const liked = button.dataset.liked === 'true';
  if (card) {
    card.dataset.feedback = liked ? 'liked' : 'disliked';
    card.querySelectorAll('button[data-item-id]').forEach((b) => b.setAttribute('aria-pressed', String(b === button)));
  }
  trigger('click', {item_id: button.dataset.itemId, liked: liked});
});
"""

CARDS_CSS = """
.rb-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 12px; }
.rb-card { display: flex; flex-direction: column; border: 1px solid var(--border-color-primary);
  border-radius: 10px; overflow: hidden; background: var(--background-fill-primary); }
.rb-card[data-feedback=liked] { border-color: #16a34a; box-shadow: 0 0 0 2px #16a34a33; }
.rb-card[data-feedback=disliked] { opacity: .6; }
.rb-media { height: 130px; background: var(--background-fill-secondary); display: flex; justify-content: center; }
.rb-img { height: 130px; width: 100%; object-fit: cover; }
.rb-img[hidden], .rb-placeholder[hidden] { display: none; }
.rb-placeholder { width: 100%; display: flex; align-items: center; justify-content: center; font-size: 42px;
  background: linear-gradient(135deg, #e0e7ff, #fce7f3); }
.rb-body { padding: 10px 12px; display: flex; flex-direction: column; gap: 6px; flex: 1; }
.rb-title { margin: 0; font-size: 1rem; line-height: 1.3; }
.rb-title a { color: inherit; }
.rb-num, .rb-year { color: var(--body-text-color-subdued); font-weight: normal; }
.rb-badge { font-size: .7rem; background: #fef3c7; color: #92400e; border-radius: 6px; padding: 1px 6px;
  white-space: nowrap; font-weight: normal; }
.rb-desc { margin: 0; font-size: .85rem; color: var(--body-text-color-subdued); }
.rb-reasons { margin: 0; padding-left: 18px; font-size: .82rem; }
.rb-reasons mark { background: #fff3b0; color: inherit; padding: 0 1px; border-radius: 2px; }
.rb-src { color: #777; font-size: .7rem; }
.rb-actions { display: flex; gap: 8px; margin-top: auto; padding-top: 4px; }
.rb-actions button { flex: 1; border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 5px 8px;
  background: var(--button-secondary-background-fill); cursor: pointer; font-size: .85rem; }
.rb-actions button:hover { filter: brightness(.95); }
.rb-like[aria-pressed=true] { background: #dcfce7; border-color: #16a34a; }
.rb-dislike[aria-pressed=true] { background: #fee2e2; border-color: #dc2626; }
.rb-empty { color: var(--body-text-color-subdued); font-size: .9rem; }
"""

CHART_CSS = """
.rb-chart { display: flex; flex-direction: column; gap: 5px; font-size: .85rem; }
.rb-axis { display: grid; grid-template-columns: 38% 1fr 3.5em; gap: 6px; color: var(--body-text-color-subdued);
  font-size: .72rem; }
.rb-axis-mid { display: flex; justify-content: space-between; }
.rb-row { display: grid; grid-template-columns: 38% 1fr 3.5em; align-items: center; gap: 6px; }
.rb-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.rb-origin { display: block; font-size: 0.75em; opacity: 0.7; }
.rb-track { display: flex; height: 14px; background: var(--background-fill-secondary); border-radius: 4px; }
.rb-half { flex: 1; display: flex; }
.rb-left { justify-content: flex-end; border-right: 1px solid var(--body-text-color-subdued); }
.rb-bar { display: block; height: 100%; }
.rb-pos .rb-bar { background: #16a34a; border-radius: 0 4px 4px 0; }
.rb-neg .rb-bar { background: #dc2626; border-radius: 4px 0 0 4px; }
.rb-val { text-align: right; font-variant-numeric: tabular-nums; }
.rb-empty { color: var(--body-text-color-subdued); font-size: .9rem; }
"""

STATUS_CSS = """
.rb-status { display: flex; align-items: center; gap: 10px; padding: 10px 14px; border-radius: 8px;
  background: #eff6ff; color: #1e3a8a; border: 1px solid #bfdbfe; }
.rb-status progress { width: 220px; }
.rb-error { background: #fef2f2; color: #991b1b; border-color: #fecaca; }
"""

HEADER = (
    '<div class="rb-header"><h1>🎬 Film finder</h1><p>Tell me what you like; I learn as we chat and recommend '
    "real films from the catalog, each with the reason it was picked. Like or dislike a card to teach me more.</p>"
    "</div>"
)
HEADER_CSS = ".rb-header h1 { margin: 0 0 4px; font-size: 1.6rem; } .rb-header p { margin: 0; opacity: .8; }"

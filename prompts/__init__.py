"""Prompt files shipped with the package, loaded by name and rendered with strict undefined variables."""

from __future__ import annotations

import re
from functools import lru_cache

import jinja2

# Chat-template control tokens of the common model families (ChatML, Llama, Gemma, Mistral). Typed into a message or
# a catalog field they would otherwise be read as a real turn boundary: "<|im_start|>system ..." becomes a system turn.
TEMPLATE_TOKEN = re.compile(
    r"<\|[^|<>\n]{0,40}\|>|</?s>|\[/?INST\]|<</?SYS>>|<(?:start|end)_of_turn>|<[be]os>", re.IGNORECASE
)


def as_data(value: object) -> str:
    """A value as it goes into a prompt: one line, control characters and chat-template tokens removed.

    Every {{ ... }} goes through this (jinja's finalize), so text from people or the catalog stays data: it cannot
    open a new line that reads like another instruction, list entry or role turn, whatever the template does.
    """
    text = TEMPLATE_TOKEN.sub(" ", "" if value is None else str(value))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # StrictUndefined: a missing variable is a bug in the caller, never a silently empty prompt.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("prompts", "."),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        finalize=as_data,
    )


def render(name: str, **variables: object) -> str:
    """Render prompts/<name>.j2 with the given variables; raises jinja2.UndefinedError if one is missing."""
    return _environment().get_template(f"{name}.j2").render(**variables).strip()

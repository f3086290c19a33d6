"""Prompt files shipped with the package, loaded by name and rendered with strict undefined variables."""

from __future__ import annotations

from functools import lru_cache

import jinja2


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
    )


def render(name: str, **variables: object) -> str:
    """Render prompts/<name>.j2 with the given variables; raises jinja2.UndefinedError if one is missing."""
    return _environment().get_template(f"{name}.j2").render(**variables).strip()

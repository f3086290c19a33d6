"""Messages the models cannot read: text mostly in a script other than Latin (Chinese, Cyrillic, Arabic...)."""

from __future__ import annotations

import unicodedata
from collections import Counter

MIN_LETTERS = 2  # "ok" or a lone emoji says nothing either way
FOREIGN_SHARE = 0.5  # more than half the letters outside Latin: the rules and the English models see noise
_NAMES = {"CJK": "Chinese", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean",
          "CYRILLIC": "Cyrillic (Russian, Ukrainian...)", "ARABIC": "Arabic", "HEBREW": "Hebrew", "GREEK": "Greek",
          "DEVANAGARI": "Devanagari (Hindi...)", "THAI": "Thai", "BENGALI": "Bengali", "TAMIL": "Tamil",
          "ARMENIAN": "Armenian", "GEORGIAN": "Georgian", "ETHIOPIC": "Ethiopic"}


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def unreadable_script(text: str) -> str | None:
    """The name of the script a message is mostly written in when that is not Latin, else None."""
    scripts = Counter(_script(ch) for ch in text if ch.isalpha())
    letters = sum(scripts.values())
    if letters < MIN_LETTERS or scripts["LATIN"] / letters >= 1 - FOREIGN_SHARE:
        return None
    script = next(s for s, _ in scripts.most_common() if s != "LATIN")
    return _NAMES.get(script, script.title())


def unreadable_reply(script: str) -> str:
    """The answer to such a message: what happened and what to do instead."""
    return (f"Sorry, I can only read English, and your message looks like {script} script, so I could not "
            "understand it. I have left your profile exactly as it was. Could you tell me in English what you "
            "would like to watch?")

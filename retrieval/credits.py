"""Who directed an item, and whose work it was adapted from, read from its summary when the catalog has no field for
it: "written and directed by ...", "based on the 1996 novel by ..."."""

from __future__ import annotations

import re

# Fields a catalog may already name its directors in; then nothing is read from the text.
DIRECTOR_FIELDS = ("director", "directors")
DERIVED_FIELD = "directors"
SOURCE_FIELD = "adapted_from"  # whose novel, play or comic an item is based on: a link, as a director is
# Name particles that stay lower-case inside a name: "Guillermo del Toro", "Lars von Trier".
_PARTICLE = r"(?:de|del|della|da|di|du|dos|van|von|der|den|le|la|bin|al|y)"
_WORD = r"[A-Z][\w'’.\-]*"
_NAME = rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{0,3}}"
_ABBREVIATIONS = frozenset({"Jr.", "Sr.", "St.", "Dr.", "Mr."})
# "directed by", and the credits said with it: "written, directed and produced by", "directed and co-written by".
_CREDIT = r"(?:co-)?(?:written|produced|edited|scored|shot|animated)"
# "directed by The Omen writer David Seltzer", "by New York actor Edward Burns": a description, then the name.
_ROLES = ("actor|actress|director|writer|filmmaker|producer|star|veteran|comedian|editor|cinematographer"
          "|author|novelist|playwright|cartoonist|journalist")
_ROLE = rf"(?![\w’'.\-])(?!\s+(?:{_ROLES})\b)"
_DIRECTED_BY = re.compile(rf"\bdirected(?:(?:,|,?\s+and|\s*&)\s+{_CREDIT})*\s+by\s+(?!The\s)({_NAME}){_ROLE}"
                          rf"(?:\s*(?:,|and|&)\s*({_NAME}){_ROLE})?")


# "American author", "New York playwright": where the writer is from is no name
_WRITER = r"(?:(?:[A-Z][a-z]+\s+){0,2}(?:author|writer|novelist|playwright|cartoonist|journalist)\s+)?"
# "based on the 1996 novel by Nicholas Sparks", "adapted from the play of the same name by ...": up to "by", within
# the clause (not "based on the 2004 documentary The Conscientious Objector directed by Terry Benedict").
_SOURCE_BY = re.compile(r"\b(?:based on|adapted from|adaptation of)\b(?:(?!\b(?:directed|produced|starring|"
                        r"written and)\b)[^;.(])" rf"{{0,100}}?\bby\s+{_WRITER}(?!The\s)({_NAME}){_ROLE}"
                        rf"(?:\s*(?:,|and|&)\s*({_NAME}){_ROLE})?")
_SOURCE_OF = re.compile(rf"\b(?:based on|adapted from)\s+(?!The\s)({_NAME})")  # "based on Stephen King's novel"
# A source credited to a company is no one's work: "based on the comic series by Marvel Comics".
_COMPANY_WORDS = frozenset("Pictures Comics Entertainment Group Studios Studio Company Press Publishing Productions "
                           "Books Magazine Records Games Network Television Corporation Inc. Bros Bros. Dynamics "
                           "Interactive Software Films Media".split())


def directors_in(text: str) -> tuple[str, ...]:
    """Names after "directed by" in text: "directed by Joel and Ethan Coen" -> ("Joel Coen", "Ethan Coen").

    A single word is no name ("directed by Nolan" says too little to link films by) unless a full name after
    "and" gives it a surname.
    """
    match = _DIRECTED_BY.search(text)
    if not match:
        return ()
    names = [_clean(n) for n in match.groups() if n]
    if len(names) == 2 and " " not in names[0] and " " in names[1]:
        names[0] += " " + names[1].rsplit(" ", 1)[1]  # "Joel and Ethan Coen"
    return tuple(n for n in names if " " in n)


def sources_in(text: str) -> tuple[str, ...]:
    """Whose work text says an item is based on: "based on the 1996 novel by Nicholas Sparks" -> ("Nicholas
    Sparks",); full names only, as for directors, and no companies."""
    match = _SOURCE_BY.search(text)
    names = [_clean(n) for n in match.groups() if n] if match else []
    if not names and (owner := _SOURCE_OF.search(text)) and owner.group(1)[-2:] in ("'s", "’s"):
        names = [_clean(owner.group(1)[:-2])]
    return tuple(n for n in names if " " in n and n.rsplit(" ", 1)[1] not in _COMPANY_WORDS)


def _clean(name: str) -> str:
    # A full stop after a word longer than an initial ends the sentence and the name: "by John Singleton. The film".
    words = name.split()
    for k, word in enumerate(words):
        if word.endswith(".") and len(word) > 2 and word not in _ABBREVIATIONS:
            return " ".join([*words[:k], word[:-1]])
    return " ".join(words)

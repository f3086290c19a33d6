"""A message in a script the models cannot read gets a clear answer and leaves the profile as it was."""

from __future__ import annotations

import pytest

from chatbot.understanding.script_check import unreadable_script


@pytest.mark.parametrize(("text", "script"), [
    ("我喜欢恐怖电影", "Chinese"),
    ("Мне нравятся фильмы ужасов, например Чужой", "Cyrillic (Russian, Ukrainian...)"),
    ("أحب أفلام الرعب", "Arabic"),
    ("ホラー映画が好きです", "Japanese"),
    ("I loved Amélie and Léon", None),  # accents are Latin
    ("I want a film like 千と千尋の神隠し (Spirited Away), something magical", None),  # mostly English
    ("ok 👍", None),
])
def test_the_script_of_a_message(text, script) -> None:
    assert unreadable_script(text) == script


@pytest.mark.parametrize("text", ["我喜欢恐怖电影，不要喜剧", "Я люблю ужасы, но не комедии"])
def test_an_unreadable_message_is_answered_and_changes_nothing(make_app, text) -> None:
    engine = make_app().engine
    first = engine.turn("s1", "I love horror movies")
    "".join(first.stream)
    before = engine.sessions.state("s1", engine.clock(), engine.half_lives)
    result = engine.turn("s1", text)
    reply = "".join(result.stream)
    assert "only read English" in reply and "left your profile exactly as it was" in reply
    assert result.items == [], "no random picks"
    after = engine.sessions.state("s1", engine.clock(), engine.half_lives)
    assert after.profile.to_dict() == before.profile.to_dict()
    assert after.shown == before.shown and after.constraints == before.constraints and after.seen == before.seen
    assert after.dialogue[-2:] == [{"role": "user", "content": text}, {"role": "assistant", "content": reply}]
    engine.observe("s1", "user", text)  # an imported message is read the same way: nothing learned
    assert engine.sessions.state("s1", engine.clock(), engine.half_lives).profile.to_dict() == \
        before.profile.to_dict()

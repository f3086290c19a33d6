"""When a title of everyday words names a film: a well-known one by its words, a little-known one only with a cue."""

from __future__ import annotations

from chatbot.understanding.title_match import TitleMatcher
from chatbot.understanding.vocabulary import Vocabulary, tokenize
from retrieval.catalog import Catalog, Item


KNOWN = [Item(f"f{n}", f"Film {n}", "A drama.", 2000, popularity=5_000 + n) for n in range(3_000)]


def test_a_little_known_title_of_everyday_words_needs_a_cue() -> None:
    # Stop 49: "a story from a dog's point of view" liked The Point of View (1989), a film few know.
    known = KNOWN
    told = [Item(f"t{n}", f"Told {n}", "The view from the point where empire records end.", 2000) for n in range(3)]
    catalog = Catalog([*known, *told, Item("pov", "The Point of View", "A drama.", 1989, popularity=3),
                       Item("empire", "Empire Records", "A record store's staff.", 1995, popularity=9_000)])
    matcher = TitleMatcher(catalog, Vocabulary.from_catalog(catalog))

    def named(text: str) -> list[str]:
        return [match.item_id for match in matcher.find(text)]

    assert named("a story from a dog's point of view") == []
    assert named("I loved The Point of View") == ["pov"]  # capitals are a cue
    assert named("empire records is great") == ["empire"]  # well known: its words name it


def test_the_films_of_a_well_known_title_are_its_series() -> None:
    # Stop 50: "I love the Harry Potter movies" read the words "harry potter" (Tramp, Tramp, Tramp; The Potters at
    # 38k), and "I like the Fast and Furious movies", "fast and furious is my fave" read nothing at all.
    catalog = Catalog([*KNOWN, Item("hp1", "Harry Potter and the Philosopher's Stone", "A wizard.", 2001,
                                    popularity=20_000),
                       Item("hp2", "Harry Potter and the Chamber of Secrets", "A wizard.", 2002, popularity=18_000),
                       Item("ff", "Fast & Furious", "Street racers.", 2009, popularity=9_000),
                       Item("ny", "New York", "A silent drama.", 1916, popularity=5)])
    matcher = TitleMatcher(catalog, Vocabulary.from_catalog(catalog))

    def named(text: str) -> list[str]:
        return [match.item_id for match in matcher.find(text)]

    assert named("I love the Harry Potter movies") == ["hp1"]  # the best known of the series
    assert named("I like the Fast and Furious movies") == ["ff"]
    assert named("fast and furious is my fave") == ["ff"]
    assert named("I like the New York movies") == []  # a little-known film's words are a kind of film


def test_a_chat_idiom_is_no_film_of_its_words() -> None:
    # Stop 50 (a seeker, train half): "Ha ha ha. Fair enough. My fear with that movie ..." liked Fair Enough (1918).
    catalog = Catalog([*KNOWN, Item("fair", "Fair Enough", "A silent comedy.", 1918)])
    matcher = TitleMatcher(catalog, Vocabulary.from_catalog(catalog))
    assert [m.item_id for m in matcher.find("Ha ha ha. Fair enough. My fear with that movie")] == []
    assert [m.item_id for m in matcher.find("I loved Fair Enough (1918)")] == ["fair"]


def test_a_persons_name_opening_a_title_is_the_person() -> None:
    # Stop 50: "I love Kevin Hart" liked his stand-up film Kevin Hart: What Now? (and "I didn't like Kevin Hart"
    # disliked it), not him.
    hart = [Item(f"h{n}", f"Comedy {n}", "A comedy.", 2010 + n, extra={"cast": ["Kevin Hart"]}) for n in range(3)]
    catalog = Catalog([*KNOWN, *hart, Item("now", "Kevin Hart: What Now?", "Stand-up.", 2016, popularity=9_000),
                       Item("me", "Kevin Hart: Let Me Explain", "Stand-up.", 2013, popularity=8_000)])
    matcher = TitleMatcher(catalog, Vocabulary.from_catalog(catalog))
    assert [m.item_id for m in matcher.find("I love Kevin Hart")] == []
    assert [m.item_id for m in matcher.find("I loved Kevin Hart: What Now? (2016)")] == ["now"]


def test_a_title_after_its_owners_name_goes_by_the_rest() -> None:
    # Stop 50 (a seeker, train half): "I also enjoyed Super Troopers (2001) and Van Wilder (2002)" named Super
    # Troopers alone, and "I love Christmas Vacation" searched stories for "christmas vacation".
    catalog = Catalog([*KNOWN, Item("xmas", "National Lampoon's Christmas Vacation", "A family Christmas.", 1989,
                                    popularity=9_000),
                       Item("wilder", "National Lampoon's Van Wilder", "A college party animal.", 2002, popularity=900),
                       Item("list", "Schindler's List", "A factory owner saves lives.", 1993, popularity=9_500)])
    matcher = TitleMatcher(catalog, Vocabulary.from_catalog(catalog))

    def named(text: str) -> list[str]:
        return [match.item_id for match in matcher.find(text)]

    assert named("I love Christmas Vacation") == ["xmas"]
    assert named("I also enjoyed Van Wilder (2002)") == ["wilder"]
    assert named("I made a list") == []  # a word too common to name a film alone


def test_a_first_name_standing_for_a_far_better_known_holder_is_no_film_of_that_title() -> None:
    # Stop 51: "not another Keanu movie" after The Matrix disliked the film Keanu (2016), and Keanu Reeves's came on.
    reeves = [Item(f"k{n}", f"Action {n}", "An action film.", 1999 + n, popularity=20_000,
                   extra={"cast": ["Keanu Reeves"]}) for n in range(6)]
    catalog = Catalog([*KNOWN, *reeves, Item("keanu", "Keanu", "A kitten is stolen.", 2016, popularity=900)])
    vocabulary = Vocabulary.from_catalog(catalog)
    matcher = TitleMatcher(catalog, vocabulary)
    assert [m.item_id for m in matcher.find("not another Keanu movie")] == []
    assert [t.facets for t in vocabulary.find_terms(tokenize("not another Keanu movie"))] == [("person:keanu reeves",)]
    assert [m.item_id for m in matcher.find("I loved Keanu, the one with the kitten")] == ["keanu"]  # not said of him


def test_a_greeting_that_is_also_a_title_greets_when_said_alone() -> None:
    # Stop 52: "Greetings" opening a chat liked Greetings (1968) and answered The King of Comedy (38k); "Aloha" liked
    # Aloha (2015), "Howdy" and "Bonjour" were topics to search.
    catalog = Catalog([*KNOWN, Item("greetings", "Greetings", "A comedy.", 1968, popularity=300),
                       Item("aloha", "Aloha", "A romantic comedy.", 2015, popularity=4_000)])
    matcher = TitleMatcher(catalog, Vocabulary.from_catalog(catalog))

    def named(text: str) -> list[str]:
        return [match.item_id for match in matcher.find(text)]

    assert named("Greetings") == [] and named("Greetings!") == [] and named("Aloha") == []
    assert named("Greetings, I like comedies") == []
    assert named("I loved Greetings") == ["greetings"] and named("I liked Aloha") == ["aloha"]  # a capital cue


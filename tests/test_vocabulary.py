"""The vocabulary's people: a surname alone names the person people mean by it, or no one when it is unclear."""

from __future__ import annotations

from chatbot.understanding.vocabulary import Vocabulary, tokenize
from retrieval.catalog import Catalog, Item


def films(person: str, count: int, popularity: float | None, start: int = 0) -> list[Item]:
    """count films with person in the cast, each of this popularity."""
    return [Item(f"{person}-{n}", f"Film {start + n}", "A film.", 1950 + n, ("Drama",), popularity=popularity,
                 extra={"cast": [person]}) for n in range(count)]


def named(vocabulary: Vocabulary, text: str) -> list[str]:
    return [f for term in vocabulary.find_terms(tokenize(text)) for f in term.facets]


def test_a_surname_names_the_person_whose_films_people_know() -> None:
    # Lloyd Nolan has more credits (old, little-known films); people saying "Nolan" mean Christopher.
    catalog = Catalog([*films("Lloyd Nolan", 12, 5.0), *films("Christopher Nolan", 6, 10_000.0, 100),
                       *films("Tom Hanks", 6, 8_000.0, 200), *films("Colin Hanks", 1, 500.0, 300),
                       *films("James Cameron", 6, 9_000.0, 400), *films("Cameron Diaz", 6, 6_000.0, 500)])
    vocabulary = Vocabulary.from_catalog(catalog)
    assert named(vocabulary, "anything by Nolan") == ["person:christopher nolan"]
    assert named(vocabulary, "I'm a Hanks fan") == ["person:tom hanks"]
    assert named(vocabulary, "something by Cameron") == []  # a famous first name too: unclear
    assert named(vocabulary, "a nolan movie") == []  # without its capital it may be any word
    assert named(vocabulary, "I like Colin Hanks") == ["person:colin hanks"]
    assert named(vocabulary, "I like Rita Hanks") == []  # a first name before it: someone else, for fuzzy matching
    # ... unless it opens the person's own (stop 47: "Chris Nolan" was a phrase searched in stories)
    assert named(vocabulary, "something by Chris Nolan") == ["person:christopher nolan"]
    assert named(vocabulary, "something by Christine Nolan") == []


def test_without_popularity_a_rival_of_as_many_credits_makes_a_surname_unclear() -> None:
    catalog = Catalog([*films("Lloyd Nolan", 12, None), *films("Christopher Nolan", 6, None, 100),
                       *films("Tom Hanks", 6, None, 200)])
    vocabulary = Vocabulary.from_catalog(catalog)
    assert named(vocabulary, "anything by Nolan") == []
    assert named(vocabulary, "I'm a Hanks fan") == ["person:tom hanks"]


def test_a_misspelled_full_name_is_found_by_either_name() -> None:
    """"Sygourney Weaver": a typo in the first letters of the first name still finds her by the surname's (the
    name was only looked up among people whose first name opened alike)."""
    catalog = Catalog([*films("Sigourney Weaver", 3, 9_000.0), *films("Tom Hanks", 3, 8_000.0, 100)])
    vocabulary = Vocabulary.from_catalog(catalog)
    assert vocabulary.fuzzy_person("Sygourney Weaver") == "person:sigourney weaver"
    assert vocabulary.fuzzy_person("Tom Hnaks") == "person:tom hanks"
    assert vocabulary.fuzzy_person("Sy Weaving") is None


def test_a_studio_is_no_ones_surname() -> None:
    """"the DC or Marvel universe" is no film of Elizabeth Marvel's (it was: her surname named her)."""
    catalog = Catalog([*films("Elizabeth Marvel", 6, 9_000.0), *films("Quentin Tarantino", 6, 9_000.0, 100)])
    vocabulary = Vocabulary.from_catalog(catalog)
    assert named(vocabulary, "I love Marvel movies") == []
    assert named(vocabulary, "anything by Tarantino") == ["person:quentin tarantino"]


def test_a_first_name_few_people_have_names_its_best_known_holder_where_it_stands_for_them() -> None:
    # Stop 50: "What are Denzel's best movies?" read nothing, and the cold-start list answered.
    matts = [film for n in range(9) for film in films(f"Matt Person{n}", 5, 100.0, 100 + 10 * n)]
    catalog = Catalog([*films("Denzel Washington", 6, 9_000.0), *matts, *films("Matt Damon", 6, 9_000.0, 300)])
    vocabulary = Vocabulary.from_catalog(catalog)
    assert named(vocabulary, "What are Denzel's best movies?") == ["person:denzel washington"]
    assert named(vocabulary, "anything with Denzel") == named(vocabulary, "Denzel movies") == [
        "person:denzel washington"]
    assert named(vocabulary, "I told Denzel about it") == []  # not where it stands for the actor
    assert named(vocabulary, "Denzel Smith movies") == []  # someone else's first name
    assert named(vocabulary, "my friend Matt's favourite movie") == []  # many people's name

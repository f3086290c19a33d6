"""Title matching: typos, case, articles, years, ReDial "Title (Year)", and no false hits on everyday words."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from chatbot.understanding.title_match import TitleMatcher, title_key
from chatbot.understanding.vocabulary import Vocabulary
from retrieval.catalog import Catalog, Item, load_catalog

REPO = Path(__file__).resolve().parent.parent
FULL_CATALOG = Path("/work/shared/data/movies/catalog.jsonl")


@pytest.fixture(scope="module")
def matcher():
    catalog = load_catalog(REPO / "data" / "movies_sample.jsonl")
    return TitleMatcher(catalog, Vocabulary.from_catalog(catalog))


def ids(matcher: TitleMatcher, text: str) -> list[str]:
    return [m.item_id for m in matcher.find(text)]


def matcher_over(*items: Item) -> TitleMatcher:
    """A matcher over a catalog of just these items."""
    catalog = Catalog(list(items))
    return TitleMatcher(catalog, Vocabulary.from_catalog(catalog))


@pytest.mark.parametrize(("text", "expected"), [
    # typos, case, articles
    ("I loved the dark knigt", ["wp:The_Dark_Knight"]),
    # a word in lower case after a verb of liking names a film people know, not any film of that word (stop 40:
    # "I hate violence" disliked Violence, 1947, at 38k)
    ("I hate bats", []), ("I loved earth", []), ("I loved Bats", ["wp:Bats_(film)"]),
    ("i loved heat", ["wp:Heat_(1995_film)"]),
    ("dark knight", ["wp:The_Dark_Knight"]),
    ("jurassic park", ["wp:Jurassic_Park_(film)"]),
    ("JURASSIC PARK!!", ["wp:Jurassic_Park_(film)"]),
    ("jurasic park was fun", ["wp:Jurassic_Park_(film)"]),
    ("the godfater", ["wp:The_Godfather"]),
    ("something like Inceptoin", ["wp:Inception"]),
    ("movies like interstelar", ["wp:Interstellar_(film)"]),  # an everyday word misspelt (stop 46: nothing found)
    ("I liked spiderman", ["wp:Spider-Man_(2002_film)"]),
    ("schindlers list", ["wp:Schindler%27s_List"]),
    ("Amelie", ["tmdb:194"]),
    ("se7en", ["tmdb:807"]),
    # years: extra, missing, and ReDial's "Title (Year)"
    ("Alien 1979", ["wp:Alien_(film)"]),
    ("Alien (1979) and Aliens (1986)", ["wp:Alien_(film)", "wp:Aliens_(film)"]),
    ("It (2017)", ["wp:It_(2017_film)"]),
    ("Halloween (2018) was better than Halloween (2007)", ["wp:Halloween_(2018_film)", "wp:Halloween_(2007_film)"]),
    ("Scarface (1932)", ["wp:Scarface_(1932_film)"]),
    ("Scarface", ["wp:Scarface_(1983_film)"]),  # no year: the better-known one
    ("The Thing (2011)", ["wp:The_Thing_(2011_film)"]),
    ("Blade Runner 2049", ["wp:Blade_Runner_2049"]),
    ("Blade Runner and Blade Runner 2049", ["wp:Blade_Runner", "wp:Blade_Runner_2049"]),
    # numbers in titles are identity, not typos
    ("Toy Story 3", ["wp:Toy_Story_3"]),
    ("toy story 2", ["wp:Toy_Story_2"]),
    # a sequel's number written the other way (each was the first film, or nothing)
    ("I didn't like Frozen 2", ["wp:Frozen_II"]),
    ("Rocky 2 was the best", ["wp:Rocky_II"]),
    ("Godfather 2 is a masterpiece", ["wp:The_Godfather_Part_II"]),
    ("the Godfather part 2", ["wp:The_Godfather_Part_II"]),
    # a title's own closing mark before ReDial's year (at a message's start "Mother! (2017)" named nothing, and
    # on the 38k catalog "Airplane! (1980)" was the word "airplane")
    ("Airplane! (1980) was great", ["wp:Airplane!"]),
    ("Mother! (2017) was way too disturbing", ["wp:Mother!"]),
    ("When Harry Met Sally... (1989) and Monsters, Inc. (2001)", ["wp:When_Harry_Met_Sally...", "wp:Monsters,_Inc."]),
    # subtitles: either half names the film
    ("Endgame", ["wp:Avengers:_Endgame"]),
    ("lord of the rings", ["wp:The_Lord_of_the_Rings:_The_Fellowship_of_the_Ring"]),
    ("Mad Max: Fury Road", ["wp:Mad_Max:_Fury_Road"]),
    # everyday-word titles with a cue
    ("I loved Up", ["wp:Up_(2009_film)"]),
    ("I loved 'Her'", ["wp:Her_(film)"]),
    ('my favorite is "It Follows"', ["wp:It_Follows"]),
    ("Heat was great", ["wp:Heat_(1995_film)"]),
    ("Up (2009)", ["wp:Up_(2009_film)"]),
    ("1917 (2019)", ["wp:1917_(2019_film)"]),
    ("We watched Home Alone again", ["wp:Home_Alone"]),
    ("we loved Big Fish", ["wp:Big_Fish"]),
])
def test_finds_titles(matcher, text, expected):
    assert ids(matcher, text) == expected


@pytest.mark.parametrize("text", [
    "it was up to her to decide",
    "I watched it yesterday",
    "It was great",  # sentence-initial "It" is the pronoun
    "Her acting was great",
    "I want a scary movie",
    "turn up the heat",
    "1917",
    "I need 300 dollars",
    "get out of here",
    "the others were bad",
    "I want to stay home alone tonight",
    "a big fish story",
    "I like to drive",
    "I saw it in theaters",
    "click the button",
    "I'm in the mood for a western",
    "horror movies",
    "something for kids",
    "Us too",
    "They are great",
    "I like Westerns",  # a genre word, capitalized, is still the genre
    "Death on Everest (1997)",  # the year rules out Everest (2015)
    # a person's full name holds no title (each named the film of the surname)
    "Charles Bronson is great", "Barbara Rush was great", "James Coco is great",
    "I love all movies, what are your suggestions?",
    # a topic in lower case (stop 44: "a thriller about hackers" liked Hackers)
    "a thriller about psychos", "a documentary about titanic", "a film about gladiators",
])
def test_everyday_words_are_not_titles(matcher, text):
    assert ids(matcher, text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("I love Game of Thrones", []),  # not "The Game"
    ("I loved Stranger Things", []),  # not "The Stranger"
    ("we watched Fargo Season 2", []),  # the series, not the film
    ("I saw The Game and Fargo", ["wp:The_Game_(1997_film)", "wp:Fargo_(1996_film)"]),  # a list still names both
    ("I loved Fargo (1996) Season", ["wp:Fargo_(1996_film)"]),  # a year says it is the film
    ("I loved Sex and Fury", []),  # a capitalized word and "and" run into the title (a 1973 film not here)
    ("Sex and Fury is a cult classic", []),  # sentence-initial too
    ("I loved Alien and Fury", ["wp:Alien_(film)", "wp:Fury_(2014_film)"]),  # the word before is a title
    ("I liked Star Wars and Fury", ["wp:Star_Wars_(film)", "wp:Fury_(2014_film)"]),
    ("Yes and Fury too", ["wp:Fury_(2014_film)"]),
    ("I loved Sex and the Fury", []),  # an article after "and"
    ("I loved Jaws and The Shawshank Redemption", ["wp:Jaws_(film)", "wp:The_Shawshank_Redemption"]),  # longer first
    ("Speaking of Fury, it was great", ["wp:Fury_(2014_film)"]),  # a sentence opening on "X of" names nothing
])
def test_a_title_inside_a_longer_name_is_not_that_title(matcher, text, expected):
    assert ids(matcher, text) == expected


def test_spans_point_into_the_text(matcher):
    text = "I loved the dark knigt and Alien (1979), not Titanic"
    matches = matcher.find(text)
    assert [text[m.start:m.end] for m in matches] == ["the dark knigt", "Alien (1979)", "Titanic"]
    assert [m.text for m in matches] == ["the dark knigt", "Alien (1979)", "Titanic"]
    assert [m.exact for m in matches] == [False, True, True]
    assert matches[1].year == 1979 and matches[0].score < 100


def test_longest_match_wins(matcher):
    matches = matcher.find("Guardians of the Galaxy Vol. 2 was fun")
    assert [m.item_id for m in matches] == ["wp:Guardians_of_the_Galaxy_Vol._2"]


def test_lookup_for_llm_output(matcher):
    assert matcher.lookup("The Dark Knight (2008)") == "wp:The_Dark_Knight"
    assert matcher.lookup("Halloween (2018)") == "wp:Halloween_(2018_film)"
    assert matcher.lookup("Jurasic Park") == "wp:Jurassic_Park_(film)"
    assert matcher.lookup("Not A Real Film Title At All") is None
    assert matcher.lookup("Up") is None  # an everyday word needs the user's own words to back it
    assert matcher.lookup("Up", context="we loved up last week") == "wp:Up_(2009_film)"
    assert matcher.lookup("") is None


def test_title_key():
    assert title_key("The Dark Knight") == "dark knight"
    assert title_key("A Quiet Place") == "quiet place"
    assert title_key("The") == "the"
    assert title_key("Schindler’s List") == "schindlers list"


@pytest.mark.skipif(not FULL_CATALOG.is_file(), reason="full movie catalog not present")
def test_speed_on_full_catalog_is_printed(capsys):
    catalog = load_catalog(FULL_CATALOG)
    start = time.perf_counter()
    matcher = TitleMatcher(catalog, Vocabulary.from_catalog(catalog))
    build_s = time.perf_counter() - start
    texts = ["I loved the dark knigt and jurassic park but not Titanic (1997)",
             "something like Inceptoin, or maybe Alien 1979, I'm not sure what else to say here honestly",
             "hi", "I love crime movies like Goodfellas (1990), Casino (1995) and Scarface (1983)"] * 25
    start = time.perf_counter()
    found = [matcher.find(text) for text in texts]
    per_message_ms = (time.perf_counter() - start) * 1000 / len(texts)
    with capsys.disabled():
        print(f"\n[title_match] {len(catalog):,} titles: build {build_s:.2f} s, {per_message_ms:.2f} ms/message")
    assert [m.item_id for m in found[0]] == ["wp:The_Dark_Knight", "wp:Jurassic_Park_(film)",
                                             "wp:Titanic_(1997_film)"]


def test_a_title_without_a_year_names_the_far_better_known_film_that_opens_with_it() -> None:
    matcher = matcher_over(
        Item("lotr-1978", "The Lord of the Rings", "An animated film.", 1978, popularity=500),
        Item("fellowship", "The Lord of the Rings: The Fellowship of the Ring", "A hobbit sets out.", 2001,
             popularity=25_000),
        Item("alien", "Alien", "In space.", 1979, popularity=12_000),
        Item("covenant", "Alien: Covenant", "Back in space.", 2017, popularity=8_000),
    )
    assert ids(matcher, "I loved The Lord of the Rings") == ["fellowship"]
    assert ids(matcher, "I loved The Lord of the Rings (1978)") == ["lotr-1978"]  # a year says which
    assert ids(matcher, "I loved Alien") == ["alien"]  # the film of that name is the better known one


def test_the_opening_titles_share_before_and_the_names_their_series() -> None:
    # Before: "Harry Potter" named no film, so "movies like Harry Potter" searched the words and found The Potters.
    matcher = matcher_over(
        Item("stone", "Harry Potter and the Philosopher's Stone", "A boy wizard.", 2001, popularity=22_000),
        Item("azkaban", "Harry Potter and the Prisoner of Azkaban", "A prisoner escapes.", 2004, popularity=18_000),
        Item("potters", "The Potters", "A family comedy.", 1927, popularity=10),
        Item("ali-1", "Ali Baba and the Forty Thieves", "Thieves.", 1944, popularity=50),
        Item("ali-2", "Ali Baba and the Forty Thieves", "Thieves again.", 1954, popularity=40),
    )
    assert ids(matcher, "movies like Harry Potter") == ["stone"]  # the best known of the series
    assert ids(matcher, "I loved Ali Baba") == []  # one title made twice is no series


def test_a_title_before_movies_is_a_kind_of_film_unless_it_heads_a_series() -> None:
    # Before: "I like New York movies" liked New York (1916), and "Bond movies" The Bond (1918).
    matcher = matcher_over(
        Item("ny", "New York", "A silent drama.", 1916, popularity=5),
        Item("ny-stories", "New York Stories", "Three short films.", 1989, popularity=300),
        Item("rocky", "Rocky", "A boxer.", 1976, popularity=8_000),
        Item("rocky-2", "Rocky II", "A rematch.", 1979, popularity=4_000),
        Item("rocky-3", "Rocky III", "A new rival.", 1982, popularity=3_000),
    )
    assert ids(matcher, "I like New York movies") == []
    assert ids(matcher, "I love the Rocky movies") == ["rocky"]  # numbered sequels: the films of its series
    assert ids(matcher, "I liked New York (1916) films") == ["ny"]  # a year says it is the film


def test_a_title_after_my_is_the_writers_own_person() -> None:
    # Before: "a comedy to watch with my Grandma" liked the film Grandma (2015).
    matcher = matcher_over(Item("grandma", "Grandma", "A poet helps her granddaughter.", 2015, popularity=400))
    assert ids(matcher, "a comedy to watch with my Grandma") == []
    assert ids(matcher, "I loved Grandma") == ["grandma"]


def test_of_films_alike_unknown_the_one_with_more_said_of_it_is_named() -> None:
    # Before (stop 46): with no popularity to go on, "I enjoyed Batman & Robin" named the 1949 serial (first in file).
    matcher = matcher_over(Item("serial", "Batman and Robin", "A 1949 serial in fifteen chapters.", 1949),
                           Item("film", "Batman & Robin", "A 1997 superhero film directed by Joel Schumacher, the "
                                "fourth of Warner Bros.' Batman series, with George Clooney, Chris O'Donnell...", 1997))
    assert ids(matcher, "I know people hate Batman & Robin but I enjoyed it") == ["film"]


def test_chat_spellings_are_no_films() -> None:
    # Before (stop 46): "gimme a good action flick" liked Gimme (1923), and its neighbours answered.
    matcher = matcher_over(Item("gimme", "Gimme", "A silent comedy.", 1923, popularity=20))
    assert ids(matcher, "gimme a good action flick") == []


def test_an_underdog_story_is_a_kind_of_story_not_the_film_underdog() -> None:
    # Before: "like a sports underdog story" liked Underdog (2007), and a pick's reason read "also with Amy Adams,
    # like Underdog".
    matcher = matcher_over(Item("underdog", "Underdog", "A beagle gains superpowers.", 2007, popularity=900))
    assert ids(matcher, "like a sports underdog story") == []
    assert ids(matcher, "I loved Underdog") == ["underdog"]


def test_a_title_of_everyday_words_is_no_title_in_talk_of_villains() -> None:
    # Before: "movies where the bad guy wins" liked Bad Guy (1937) and answered with films "close in content" to it.
    sample = load_catalog(REPO / "data" / "movies_sample.jsonl")
    matcher = matcher_over(*sample.items, Item("bad", "Bad Guy", "A 1937 crime drama.", 1937, ("Crime",)))
    assert ids(matcher, "movies where the bad guy wins") == []
    assert ids(matcher, "I loved Bad Guy (1937)") == ["bad"]


def test_days_months_and_answers_are_no_titles_for_their_capitals() -> None:
    # Before: "a movie for a lazy Sunday afternoon" liked Sunday (1915); (stop 47, a ReDial seeker) "No! and No!
    # Not my kind of movie at all!" disliked No (2012).
    matcher = matcher_over(Item("sunday", "Sunday", "A silent short.", 1915, popularity=3),
                           Item("no", "No", "A Chilean referendum campaign.", 2012, popularity=400))
    assert ids(matcher, "a movie for a lazy Sunday afternoon") == []
    assert ids(matcher, "No! and No! Not my kind of movie at all!") == []
    assert ids(matcher, "I loved Sunday (1915)") == ["sunday"]  # a year still says it is the film
    assert ids(matcher, 'I loved "No"') == ["no"]  # and so do quotes


def test_a_title_of_everyday_words_about_the_writer_needs_a_cue() -> None:
    # Before: "my wife and I loved Pride and Prejudice" liked My Wife and I (1933) too.
    sample = load_catalog(REPO / "data" / "movies_sample.jsonl")
    wife = Item("wife", "My Wife and I", "A 1933 comedy about a married couple.", 1933, ("Comedy",))
    matcher = matcher_over(*sample.items, wife)
    assert "wife" not in ids(matcher, "my wife and I loved Pride and Prejudice")
    assert "wife" in ids(matcher, "we loved My Wife and I") and "wife" in ids(matcher, "my wife and I (1933)")


@pytest.mark.parametrize(("text", "expected"), [
    ("Star Wars is my favorite", ["wp:Star_Wars_(film)"]),  # before: the genre war
    ("star wars is my favorite, anything similar?", ["wp:Star_Wars_(film)"]),
    ("home alone was one of my favourites", ["wp:Home_Alone"]),
    ("Toy Story was great", ["wp:Toy_Story"]),
])
def test_a_title_opening_the_sentence_about_it_is_named(matcher, text, expected):
    assert ids(matcher, text) == expected


@pytest.mark.parametrize(("text", "titled"), [
    ("movies like Harry Potter", "Harry Potter and the"), ("something like Lord of the Rings", "The Lord of the Rings"),
    ("movies like Star Wars", None), ("I loved Jurassic Park", None),
    ("I loved Harry Potter and the Goblet of Fire", None),
])
def test_a_series_name_says_which_films_carry_it(matcher, text: str, titled: str | None) -> None:
    [match] = matcher.find(text)
    films = [matcher.catalog.by_id[i].title for i in matcher.titled_alike(match)]
    assert (len(films) >= 2 and all(t.startswith(titled) for t in films)) if titled else films == [], films


@pytest.mark.parametrize(("text", "expected"), [
    ("I loved E.T. as a kid", ["wp:E.T._the_Extra-Terrestrial"]),
    ("something like E.T.", ["wp:E.T._the_Extra-Terrestrial"]),
    ("E.T. is my favorite movie", ["wp:E.T._the_Extra-Terrestrial"]),
    ("what time is it, 9pm ET?", []), ("we met at 5 pm et", []),
])
def test_the_initials_a_title_spells_out_name_the_film(matcher, text: str, expected: list[str]) -> None:
    # Before: "I loved E.T. as a kid" named no film and answered with Instant Family (a family film).
    assert ids(matcher, text) == expected


def test_initials_the_title_does_not_spell_name_nothing_alone() -> None:
    confidential = Item("la", "L.A. Confidential", "Corrupt police in 1950s Los Angeles.", 1997, popularity=3920)
    intelligence = Item("ai", "A.I. Artificial Intelligence", "A robot boy longs to be real.", 2001, popularity=5228)
    matcher = matcher_over(confidential, intelligence)
    assert ids(matcher, "I loved L.A. and San Francisco") == []  # "L.A." is the city, not L.A. Confidential
    assert ids(matcher, "I loved L.A. Confidential") == ["la"]
    assert ids(matcher, "and I loved it") == []  # "A.I." would key as "i": never the pronoun


def test_a_film_titled_after_the_person_it_is_about_leaves_the_surname_to_the_person() -> None:
    # Before: "I love Hitchcock" liked Hitchcock (2012), and picks were "also with Anthony Hopkins, like Hitchcock".
    films = [Item(f"h{n}", f"Thriller {n}", "A suspense film.", 1950 + n, extra={"director": ["Alfred Hitchcock"]},
                  popularity=5000) for n in range(6)]
    biopic = Item("bio", "Hitchcock", "Hitchcock is a 2012 film about Alfred Hitchcock making Psycho.", 2012,
                  popularity=1282, extra={"cast": ["Anthony Hopkins"]})
    locke = Item("locke", "Locke", "Ivan Locke drives to London.", 2014, popularity=2269)
    lockes = [Item(f"l{n}", f"Drama {n}", "A drama.", 2000 + n, extra={"cast": ["Spencer Locke"]}) for n in range(6)]
    matcher = matcher_over(*films, biopic, locke, *lockes)
    assert ids(matcher, "I love Hitchcock, what should I watch?") == []
    assert ids(matcher, "I liked the movie Hitchcock with Anthony Hopkins") == ["bio"]
    assert ids(matcher, "I loved Hitchcock (2012)") == ["bio"]
    assert ids(matcher, "I loved Locke") == ["locke"]  # a film of that surname not about that person stays a film


def test_a_typo_never_spans_a_comma_or_a_sentence_end() -> None:
    # Before: "I loved Titanic, I'd love to go back to the 90s" liked Titanic II (2010): "titanic id" read as a typo;
    # (stop 47) "I liked Titanic. I've seen all of them" liked it too: "titanic ive" for "titanic iv".
    titanic = Item("t", "Titanic", "A ship sinks.", 1997, popularity=20000)
    sequel = Item("t2", "Titanic II", "Another ship.", 2010, popularity=150)
    fourth = Item("t4", "Titanic IV", "A fourth ship.", 2019, popularity=150)
    doctor = Item("d", "Dr. Strangelove", "A general goes mad.", 1964, popularity=3000)
    matcher = matcher_over(titanic, sequel, fourth, doctor)
    assert ids(matcher, "I loved Titanic, I'd love to go back to the 90s") == ["t"]
    assert ids(matcher, "I liked Titanic. I've seen all of them") == ["t"]
    assert ids(matcher, "I liked Dr. Strangelov") == ["d"]  # an abbreviation's period ends no sentence
    assert ids(matcher, "I loved Titanic II") == ["t2"] and ids(matcher, "I loved Titanic 2") == ["t2"]


@pytest.mark.parametrize(("text", "named"), [
    ("Love Story is about a doomed love, girl gets sick", ["ls"]), ("a story of first love, heat of summer", []),
    ("i loved girl", ["g"]), ("I loved girl, and heat", ["g"]),
])
def test_a_verb_of_liking_across_a_pause_is_no_cue_for_everyday_words(text: str, named: list[str]) -> None:
    # Before (stop 47, a ReDial seeker): "Love Story is about a doomed love, girl gets sick" liked Girl (2018).
    girl = Item("g", "Girl", "A girl moves to a new town.", 2018, popularity=900)
    matcher = matcher_over(girl, Item("ls", "Love Story", "A doomed romance.", 1970, popularity=800),
                           Item("x", "Heat", "A heist.", 1995, popularity=5000))
    assert ids(matcher, text) == named


@pytest.mark.parametrize(("text", "named"), [
    ("a scary movie for Halloween that my teens will like", False), ("something to watch on Halloween", False),
    ("a good Halloween movie", False), ("a movie for Christmas eve", False),
    ("I loved Halloween", True), ("Halloween (1978) was great", True), ('I want "Halloween"', True),
])
def test_a_holiday_by_for_on_or_movie_is_the_occasion_not_the_film(text: str, named: bool) -> None:
    # Before: "a scary movie for Halloween" liked Halloween (1978) and answered with its sequels.
    matcher = matcher_over(Item("h", "Halloween", "Michael Myers returns.", 1978, ("Horror",), popularity=4000),
                           Item("x", "Christmas Eve", "A 1947 drama.", 1947, popularity=40))
    assert ids(matcher, text) == (["h"] if named else [])


def test_a_family_word_in_lower_case_is_the_person_not_the_film() -> None:
    # Before: "something for the whole family, including grandma" liked Grandma (2015).
    matcher = matcher_over(Item("g", "Grandma", "A poet helps her granddaughter.", 2015, ("Comedy",), popularity=500))
    assert ids(matcher, "something for the whole family, including grandma") == []
    assert ids(matcher, "I loved Grandma") == ["g"] and ids(matcher, "Grandma (2015) was sweet") == ["g"]


def test_one_rare_word_of_a_well_known_title_names_that_film() -> None:
    # Before (stop 47): "I loved Shawshank" named nothing and got the cold-start list; "I loved Totoro and Spirited
    # Away" lost Spirited Away too ("Totoro and Spirited" read as one longer name).
    matcher = matcher_over(
        Item("shawshank", "The Shawshank Redemption", "Two imprisoned men bond.", 1994, popularity=21_000),
        Item("totoro", "My Neighbor Totoro", "Two sisters meet forest spirits.", 1988, popularity=6_000),
        Item("spirited", "Spirited Away", "A girl in a world of spirits.", 2001, popularity=15_000),
        Item("gatsby-2013", "The Great Gatsby", "A millionaire's parties.", 2013, popularity=10_000),
        Item("gatsby-1974", "The Great Gatsby", "A millionaire's parties.", 1974, popularity=400),
        Item("identity", "The Bourne Identity", "An amnesiac agent.", 2002, popularity=8_000),
        Item("ultimatum", "The Bourne Ultimatum", "The agent again.", 2007, popularity=6_500),
        Item("manchester", "Manchester by the Sea", "A janitor goes home.", 2016, popularity=5_000),
        Item("fellowship", "The Lord of the Rings: The Fellowship of the Ring", "A quest.", 2001, popularity=25_000),
        Item("vietnam", "Good Morning, Vietnam", "A radio DJ in Vietnam.", 1987, popularity=2_000),
        *(Item(f"war-{n}", f"War Story {n}", "A soldier's tour of Vietnam.", 1980 + n, popularity=10) for n in range(4)),
    )
    assert ids(matcher, "I loved Shawshank") == ["shawshank"]
    assert ids(matcher, "i loved shawshank") == ["shawshank"]  # after a verb of liking, in a writer's lower case
    assert ids(matcher, "I loved Totoro and Spirited Away") == ["totoro", "spirited"]
    assert ids(matcher, "I love LOTR") == ["fellowship"]  # a long title's initials
    assert ids(matcher, "the LOTR trilogy is my favourite") == ["fellowship"]  # in capitals, wherever they stand
    assert ids(matcher, "Gatsby was great") == ["gatsby-2013"]  # the film of that title people know
    assert ids(matcher, "I loved Gatsby (1974)") == ["gatsby-1974"]  # a year says which
    assert ids(matcher, "I loved Bourne") == []  # two films known alike: the word names neither
    assert ids(matcher, "I loved Vietnam") == []  # a word told in other stories is a name or place of its own
    assert ids(matcher, "I live in Manchester, any comedies?") == []  # a place
    assert ids(matcher, "something with shawshank vibes") == []  # no cue: a lower-case word is just a word


def test_without_popularity_no_film_goes_by_one_word() -> None:
    matcher = matcher_over(Item("shawshank", "The Shawshank Redemption", "Two imprisoned men bond.", 1994))
    assert ids(matcher, "I loved Shawshank") == []


def test_a_number_in_a_title_is_the_same_title_in_words_or_digits() -> None:
    # Before (stop 47): "I loved Oceans 11" named the 1960 Ocean's 11, not the Ocean's Eleven people know.
    matcher = matcher_over(Item("oceans-1960", "Ocean's 11", "Rat Pack heist.", 1960, popularity=300),
                           Item("oceans-2001", "Ocean's Eleven", "Danny Ocean's heist.", 2001, popularity=12_000),
                           Item("angry", "12 Angry Men", "A jury deliberates.", 1957, popularity=8_000))
    assert ids(matcher, "I loved Oceans 11") == ["oceans-2001"]
    assert ids(matcher, "I loved Ocean's 11 (1960)") == ["oceans-1960"]  # a year says which
    assert ids(matcher, "Twelve Angry Men is a classic") == ["angry"]


def test_a_title_spelled_as_one_twin_entry_names_that_entry() -> None:
    # The catalog may hold one film twice; the entry spelled as the person spelled it is the one they named.
    matcher = matcher_over(Item("eight-a", "Ocean's 8", "An all-female heist.", 2018, popularity=100),
                           Item("eight-b", "Ocean's Eight", "An all-female heist.", 2018, popularity=9_000),
                           Item("sisters", "Two Sisters", "A family drama.", 1990, popularity=2_000),
                           *(Item(f"drama-{n}", f"Drama {n}", "Two sisters on a trip.", 1990) for n in range(3)))
    assert ids(matcher, "Yes, Ocean's 8 (2018) I heard of it") == ["eight-a"]
    assert ids(matcher, "I loved Ocean's Eight") == ["eight-b"]
    assert ids(matcher, "it's about 2 sisters on a trip") == []  # everyday words respelled need a cue, as words do

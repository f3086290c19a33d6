"""Requests as people write them in a chat, read by the rules (stop 32): moods and makers, degrees ("too old",
"not too scary"), talk about the talk, and the words around a request. Rows as in tests/test_signals.py: TABLE."""

from __future__ import annotations

from typing import Any

import pytest

from chatbot.understanding.lexicon import LANGUAGE_WORDS
from tests.conftest import check_reading

FOREIGN = LANGUAGE_WORDS["foreign"]
DARK = ("horror", "war", "crime", "thriller", "slasher")  # a light mood's soft no
VIOLENT = (*DARK, "action", "western", "martial arts")  # violence said no to
# A sad mood's soft no (stop 44: Fight Club and Scarface led "make me cry")
SAD_PUSHES = dict.fromkeys(("genre:crime", "genre:thriller", "genre:horror", "genre:slasher"), -0.4)

TABLE: list[tuple[str, dict[str, Any]]] = [
    # talk about the talk is no topic ("meant" brought films "meant to keep them down" and "meant to die")
    ("I meant music documentaries", {"signals": {"genre:music": 1.0, "genre:documentary": 1.0},
                                     "c": {"include_genres": ["music", "documentary"], "together": True}}),
    ("I said comedies", {"signals": {"genre:comedy": 1.0}, "c": {"include_genres": ["comedy"]}}),
    # ... nor are the words around what is asked for ("of all sorts" read as sports films, "finding" as a topic)
    ("family oriented movies of all sorts", {"signals": {"genre:family": 1.0}, "c": {"include_genres": ["family"]}}),
    ("I'm interested in finding a body swap type of movie", {"signals": {"phrase:body swap": 1.0}}),
    # what a message asks for is not kept out by what else it says (no animated film was left at 38k); "any ...?"
    # asks for it (stop 42: "any good documentaries about food?" answered Seven Samurai and Dallas Buyers Club)
    ("Any good animated movies for adults?", {"signals": {"genre:animated": 1.0, "genre:animation": 1.0}, "c": {
        "include_genres": ["animated", "animation"], "exclude_genres": ["family", "children", "kids", "childrens"]}}),
    ("any good documentaries about food?", {"signals": {"genre:documentary": 1.0, "phrase:food": 1.0},
                                            "c": {"include_genres": ["documentary"]}}),
    # ... and so does "what's a good ...?" (stop 47: "What's a good documentary about nature?" answered Rashomon,
    # "the nature of truth"), while "do you like horror?" asks nothing
    ("I like Scorsese but not the mob ones", {"signals": {"person:martin scorsese": 1.0, "genre:crime": -1.0},
                                              "c": {"exclude_genres": ["crime"]}}),  # stop 47: "mob" read nothing
    ("What's a good documentary about nature?", {"signals": {"genre:documentary": 1.0, "phrase:nature": 1.0},
                                                 "c": {"include_genres": ["documentary"]}}),
    ("what are some great westerns?", {"signals": {"genre:western": 1.0}, "c": {"include_genres": ["western"]}}),
    ("Is there a good horror movie?", {"signals": {"genre:horror": 1.0}, "c": {"include_genres": ["horror"]}}),
    ("Do you like horror?", {"signals": {"genre:horror": 1.0}}),
    ("a thriller with a twist", {"signals": {"genre:thriller": 1.5, "genre:mystery": 1.0},  # said twice: 1.5
                                 "c": {"include_genres": ["thriller", "mystery"]}}),
    # moods and makers people name (each read as nothing, or as a topic "studio")
    # a sad mood keeps comedy out (stop 36)
    ("I want to cry tonight", {"signals": {"genre:drama": 1.0, "genre:comedy": -0.5, **SAD_PUSHES},
                               "c": {"include_genres": ["drama"], "exclude_genres": ["comedy"]}}),
    ("something like The Notebook but sadder", {
        "signals": {"item:wp:The_Notebook": 2.0, "genre:drama": 1.0, "genre:comedy": -0.5, **SAD_PUSHES},
        "c": {"include_genres": ["drama"], "exclude_genres": ["comedy"]}}),
    ("I love Studio Ghibli", {"signals": {"genre:animation": 1.5, "genre:animated": 1.5}, "c": {"languages": ["ja"]}}),
    # a degree of age said of the films shown ("these" describes them, which read as nothing before)
    ("these are too old", {"signals": {}, "newer": True}),
    ("those are too recent", {"signals": {}, "older": True}),
    ("not so old please", {"signals": {}, "newer": True}),  # stop 44: read as nothing (and its words found Old)
    # stop 52: "new" turning from the classics asks for newer films (classics answered); alone it means unseen
    ("I like the classics but I want something new", {"signals": {}, "newer": True}),
    ("I want something new", {"signals": {}, "vague": True}),
    # boredom of a kind is a no to it (stop 44: "I'm bored of superhero movies" got six superhero films)
    ("I'm bored of superhero movies", {"signals": {"genre:superhero": -1.0}, "c": {"exclude_genres": ["superhero"]}}),
    ("I never get bored of Heat (1995)", {"signals": {"item:wp:Heat_(1995_film)": 2.0}}),
    ("I want a western but not an old one", {"signals": {"genre:western": 1.0}, "c": {"include_genres": ["western"]},
                                             "newer": True}),
    # ... and asked for after a film named (the film made the sentence a description: each read no age)
    ("I loved Heat, something newer", {"signals": {"item:wp:Heat_(1995_film)": 2.0}, "newer": True}),
    ("I liked Alien, any older ones?", {"signals": {"item:wp:Alien_(film)": 2.0}, "older": True}),
    ("Superbad is a newer movie", {"signals": {"item:wp:Superbad_(film)": 2.0}}),
    # ... and a mood for the films of one's youth (stop 43: "I'm feeling nostalgic" was Tarkovsky's Nostalgia, liked)
    ("I'm feeling nostalgic", {"signals": {}, "older": True}),
    # what a film is about is no filter beside the kind asked for (music dramas answered "a documentary about music")
    # ... and it is a story's topic too (stop 39: "a good movie about space" answered The Matrix and Inception, any
    # science fiction, and "a movie about love" nothing but the cold-start list)
    ("a good documentary about music", {"signals": {"genre:documentary": 1.0, "genre:music": 1.0,
                                                    "phrase:music": 1.0}, "c": {"include_genres": ["documentary"]}}),
    ("a movie about war", {"signals": {"genre:war": 1.0, "phrase:war": 1.0}, "c": {"include_genres": ["war"]}}),
    ("What's a good movie about space?", {"signals": {"genre:science fiction": 1.0, "phrase:space": 1.0},
                                          "c": {"include_genres": ["science fiction"]}}),  # as "I want a movie ..."
    ("a movie about love", {"signals": {"genre:romance": 1.0}, "c": {"include_genres": ["romance"]}}),
    # ... but "what about X?" asks for X (stop 43: after horror, "what about comedies?" lifted stories that named
    # comedies: a silent short of 1915)
    ("what about comedies?", {"signals": {"genre:comedy": 1.0}}),
    # ... and "not about X" alone asks for none of it (stop 43: after "a documentary about music", "not about rock"
    # asked for rock: It Might Get Loud, Anvil!)
    ("not about rock", {"signals": {"phrase:rock": -1.0}}),
    # ... and so does "that isn't about X" of a film asked for (stop 44: "something by Scorsese that isn't about
    # gangsters" asked for gangsters: Goodfellas, The Departed)
    ("movies that aren't about superheroes", {"signals": {"genre:superhero": -1.0},
                                              "c": {"exclude_genres": ["superhero"]}}),
    # ... and where a kind named by its setting is set (stop 43: after "space movies", "that are realistic" kept
    # science fiction only: True Love, Multiverse)
    ("space movies", {"signals": {"genre:science fiction": 1.0, "phrase:space": 1.0},
                      "c": {"include_genres": ["science fiction"]}}),
    # ... after a kind named, as after "movie" ("any good comedies about dogs?" read the comedies only)
    ("any good comedies about dogs?", {"signals": {"genre:comedy": 1.0, "phrase:dogs": 1.0},
                                       "c": {"include_genres": ["comedy"]}}),
    ("do you have any horror about vampires?", {"signals": {"genre:horror": 1.0, "phrase:vampires": 1.0},
                                                "c": {"include_genres": ["horror"]}}),
    # stop 39: a question about the film shown asks what it is, not for films of that year or kind ("Is it from
    # 2018?" set a 2018-only filter); a question about what there is still asks
    ("Is it from 2018?", {"signals": {}, "vague": True}),
    # ... and asked of a pick, it is answered with the pick's kinds (stop 43: it was a like of comedy)
    ("Was that a comedy?", {"signals": {}, "vague": True}),
    ("Is there anything from 2018?", {"signals": {}, "c": {"year_min": 2018, "year_max": 2018}}),
    # stop 39: "Oscar" of "an Oscar winning drama" read as the film Oscar (1967), and "winning" as a topic
    ("an Oscar winning drama", {"signals": {"genre:drama": 1.0}, "c": {"include_genres": ["drama"]}}),
    ("something that won an Oscar", {"signals": {}}),  # the best regarded (stop 46: was vague: the cold start)
    # stop 40: "jump scares" read as horror ("scares"), so a horror fan's no to them was a no to horror (-0.5), or
    # cancelled it ("don't like jump scares": nothing read at all); a word is no film of that word unless known
    ("I like horror but I hate jump scares", {"signals": {"genre:horror": 1.0, "phrase:jump scares": -1.5}}),
    ("I like horror but I don't like jump scares", {"signals": {"genre:horror": 1.0, "phrase:jump scares": -1.0}}),
    ("I love a good scare", {"signals": {"genre:horror": 1.5}}),
    # stop 42: a world war is when a story is set, not the kind ("not World War 2 please" said no to war films)
    ("not World War 2 please", {"signals": {"phrase:world war ii": -1.0}}),
    ("a war movie but not WWII", {"signals": {"genre:war": 1.0, "phrase:world war ii": -1.0}}),
    ("a film about the first world war", {"signals": {"phrase:world war i": 1.0}}),
    ("academy award winners", {"signals": {}}),
    # stop 33: short things people ask about ("a movie about a dog" read as nothing and got the cold-start list)
    # ... and a world as Marvel's is a kind too (stop 44: "I've seen all the Marvel movies, what next?" got the
    # cold-start list, no superhero film; "I love Pixar" got Raya and the Last Dragon third); a no to it is to its
    # stories, not to every superhero ("no space movies" kept all science fiction out)
    ("I love Marvel movies", {"signals": {"genre:superhero": 1.5, "phrase:marvel": 1.5}}),
    ("I love Pixar", {"signals": {"genre:animated": 1.5, "genre:animation": 1.5, "phrase:pixar": 1.5}}),
    ("I've seen all the Marvel movies, what next?", {"signals": {"genre:superhero": 1.0, "phrase:marvel": -1.0}}),
    ("no space movies please", {"signals": {"phrase:space": -1.0}}),
    # a young child is given animated films (stop 44: "a movie for my 4 year old" answered Harry Potter and the
    # Goblet of Fire, Back to the Future); an older one family films as before
    ("a movie for my 4 year old", {"signals": {}, "c": {"kids": True, "include_genres": ["animated", "animation"]}}),
    ("a movie for my 10 year old", {"signals": {}, "c": {"kids": True}}),
    # ... and so are toddlers (stop 50: Goblet of Fire and Back to the Future again)
    ("a movie for toddlers", {"signals": {}, "c": {"kids": True, "include_genres": ["animated", "animation"]}}),
    # ... and so is an age given alone (stop 47: "something for kids, age 6" answered Harry Potter and the Goblet
    # of Fire) or as "yr old"
    ("something for kids, age 6", {"signals": {}, "c": {"kids": True, "include_genres": ["animated", "animation"]}}),
    ("for my 5 yr old", {"signals": {}, "c": {"kids": True, "include_genres": ["animated", "animation"]}}),
    # a sleepover is what teenagers watch at, not the film Sleepover (stop 44)
    ("something scary but not too gory, for a sleepover", {
        "signals": {"genre:horror": 1.0, "genre:teen": 1.0, "genre:slasher": -1.0},
        "c": {"include_genres": ["horror", "teen"], "exclude_genres": ["slasher"]}}),
    # a hyphenated phrase is one phrase (stop 47: "not post-apocalyptic" said no to "post" and to "apocalyptic")
    ("more action but not post-apocalyptic", {"signals": {"genre:action": 1.0, "phrase:post apocalyptic": -1.0}}),
    ("a movie about a dog", {"signals": {"phrase:dog": 1.0}}),
    ("a dog movie", {"signals": {"phrase:dog": 1.0}}),
    ("movies about AI", {"signals": {"phrase:ai": 1.0}}),
    ("a superhero movie that's not Marvel or DC", {"signals": {"genre:superhero": 1.0, "phrase:marvel": -1.0,
                                                               "phrase:dc": -1.0}}),
    # ... and a studio's films said no to are its films, not its kind (stop 47: "anything not by Ghibli?" kept all
    # animation out; "a non-Disney animated movie" read no "non"); "non-stop action" asks for action (was a no)
    ("anything not by Ghibli?", {"signals": {"phrase:ghibli": -1.0}}),
    ("a non-Disney animated movie", {"signals": {"genre:animated": 1.0, "genre:animation": 1.0,
                                                 "phrase:disney": -1.0}}),
    ("non-stop action please", {"signals": {"genre:action": 1.0}, "c": {"include_genres": ["action"]}}),
    ("LOL that's a good one", {"signals": {}, "vague": True}),  # chat capitals name nothing
    ("show me something completely different", {"signals": {}, "vague": True}),  # a new start, no topic
    # ... who watches is no topic ("parents" brought films about birth parents)
    ("a movie for my girlfriend", {"signals": {}, "vague": True}),
    # ... a child's own age ("I'm 12" got Scream and The Exorcist)
    ("I'm 12 and I want something scary", {"signals": {"genre:horror": 1.0},
                                           "c": {"include_genres": ["horror"], "kids": True}}),
    ("I'm 30 and I like horror", {"signals": {"genre:horror": 1.0}}),
    # ... the age of a kind of film ("old westerns" read no age; black and white got Shutter Island)
    ("some old westerns", {"signals": {"genre:western": 1.0}, "c": {"include_genres": ["western"]}, "older": True}),
    ("old school action", {"signals": {"genre:action": 1.0}, "c": {"include_genres": ["action"]}, "older": True}),
    ("an old black and white film noir", {"signals": {"genre:noir": 1.0},
                                          "c": {"include_genres": ["noir"], "year_max": 1965}}),
    # ... an occasion in more words, and violence said no to
    ("something for a rainy sunday afternoon", {
        "signals": {"genre:comedy": 1.0, **{f"genre:{g}": -0.4 for g in DARK}}, "c": {"include_genres": ["comedy"]}}),
    # ... and a hard day, a reason to unwind ("rough week" was a topic: Necessary Roughness, Weekend for Three)
    ("a feel-good movie after a rough week", {"signals": {"genre:comedy": 1.5, **{f"genre:{g}": -0.4 for g in DARK}},
                                             "c": {"include_genres": ["comedy"]}}),
    # ... and a low mood (stop 45: "I'm in a bad mood" and "I'm feeling down" read as nothing: the cold-start list)
    ("what should I watch tonight? I'm in a bad mood", {"signals": {"genre:comedy": 1.0, **{
        f"genre:{g}": -0.4 for g in DARK}}, "c": {"include_genres": ["comedy"]}}),
    ("I'm feeling down", {"signals": {"genre:comedy": 1.0, **{f"genre:{g}": -0.4 for g in DARK}},
                          "c": {"include_genres": ["comedy"]}}),
    # ... and so is a sad mood said no to (stop 47: "no sad movies" kept every drama out; "not in the mood for anything
    # sad" and "nothing sad" read as nothing: the cold-start list)
    *((text, {"signals": {"genre:comedy": 1.0, **{f"genre:{g}": -0.4 for g in DARK}}, "c": {"include_genres": [
        "comedy"]}}) for text in ("not in the mood for anything sad", "nothing sad tonight")),
    ("no sad movies", {"signals": {"genre:comedy": 1.0, **{f"genre:{g}": -0.4 for g in DARK}}}),  # a lean, no filter
    # ... however negated (stop 47: "nothing too sad please" said no to comedy)
    ("nothing too sad please", {"signals": {"genre:comedy": 1.0, **{f"genre:{g}": -0.4 for g in DARK}},
                                "c": {"include_genres": ["comedy"]}}),
    ("no, I meant something less sad", {"signals": {"genre:comedy": 1.0, **{f"genre:{g}": -0.4 for g in DARK}},
                                        "c": {"include_genres": ["comedy"]}}),
    # ... and nothing to think about (stop 46: "mindless" was a topic: Mind Your Own Business)
    ("I've had a long day, I need something mindless", {"signals": {
        "genre:comedy": 1.5, **{f"genre:{g}": -0.4 for g in DARK}}, "c": {"include_genres": ["comedy"]}}),
    ("I want to turn my brain off", {"signals": {"genre:comedy": 1.0, **{f"genre:{g}": -0.4 for g in DARK}},
                                     "c": {"include_genres": ["comedy"]}}),
    # ... and a life's story that lifts one (stop 46: "inspiring" was a topic: stories "inspired by" anything)
    ("I want something inspiring, based on a true story", {"signals": {"genre:drama": 1.0, "genre:biography": 1.0},
                                                           "c": {"include_genres": ["drama", "biography"]}}),
    # ... whose occasion is no topic (stop 45: "for my dad's birthday" searched for birthdays: Toy Story for westerns)
    ("not too violent please, it's for my dad's birthday", {
        "signals": {"phrase:violent": -1.0, **{f"genre:{g}": -0.4 for g in VIOLENT}},
        "c": {"exclude_genres": ["horror", "erotic", "slasher", "adult", "crime", "thriller"]}}),  # a parent's film
    ("something less violent", {"signals": {"phrase:violent": -1.0, **{f"genre:{g}": -0.4 for g in VIOLENT}}}),
    # ... or a degree complained of (stop 44: "not the third, too violent" liked violence: RoboCop, Mad Max 2)
    ("not the third, too violent", {"signals": {"phrase:violent": -1.0, **{f"genre:{g}": -0.4 for g in VIOLENT}},
                                    "reject": [3]}),
    # a pick named without "one" (stop 44: "the third sounds good" read as nothing; "the third one ..." did not)
    ("the third sounds good", {"signals": {}, "more": [3]}),
    ("the second was boring", {"signals": {}, "reject": [2]}),
    ("I want a war movie but not too graphic", {"signals": {"genre:war": 1.0, "phrase:graphic": -1.0, **{  # no violence
        f"genre:{g}": -0.4 for g in VIOLENT if g != "war"}}, "c": {"include_genres": ["war"]}}),
    # ... and no fight films either (John Wick and The Hateful Eight answered)
    ("recommend a thriller that isn't too violent", {"signals": {
        "genre:thriller": 1.0, "phrase:violent": -1.0, **{f"genre:{g}": -0.4 for g in VIOLENT if g != "thriller"}},
        "c": {"include_genres": ["thriller"]}}),
    # ... a maker by surname (nothing was read: the cold-start list answered a Tarantino fan)
    ("I'm a huge Tarantino fan", {"signals": {"person:quentin tarantino": 1.0}}),
    ("anything by Nolan", {"signals": {"person:christopher nolan": 1.0}}),
    ("what about cage", {"signals": {"phrase:cage": 1.0}}),  # no capital, no surname
    # ... English asked for (Korean films answered "like Parasite but in English"), a first date (the cold-start list)
    ("English movies please", {"signals": {}, "c": {"exclude_languages": list(FOREIGN)}}),
    ("nothing in English", {"signals": {}, "c": {"languages": list(FOREIGN)}}),
    ("I need a movie for a first date", {"signals": {"genre:romance": 1.0, "genre:comedy": 1.0},
                                         "c": {"include_genres": ["romance", "comedy"]}}),
    # ... "too much" of a kind (it asked for that kind: six action films answered), and the pace of a drama
    ("too much action, I want something slower and more thoughtful", {
        "signals": {"genre:action": -1.0, "genre:drama": 1.5},  # "slower" and "thoughtful" both
        "c": {"include_genres": ["drama"], "exclude_genres": ["action"]}}),
    ("there's too many explosions", {"signals": {"genre:action": -1.0}, "c": {"exclude_genres": ["action"]}}),
    # ... silliness said no to: a soft push from comedy to drama, never a filter (Yes Man and Sonic answered)
    ("something with Jim Carrey, but not one of his silly ones", {
        "signals": {"person:jim carrey": 1.0, "genre:comedy": -0.4, "genre:drama": 0.4}}),
    ("I don't want anything goofy", {"signals": {"genre:comedy": -0.4, "genre:drama": 0.4}}),  # not Goofy, the dog
    # ... a film after "than" is what is compared with, no film said no to (John Wick was disliked)
    ("something less violent than John Wick", {"signals": {
        "item:wp:John_Wick_(film)": 2.0, "phrase:violent": -1.0, **{f"genre:{g}": -0.4 for g in VIOLENT}}}),
    # "not for me" after a kind or a person says no to it (horror was asked for, Tom Cruise liked)
    ("Horror movies are not for me", {"signals": {"genre:horror": -1.0}, "c": {"exclude_genres": ["horror"]}}),
    ("Tom Cruise movies aren't my thing", {"signals": {"person:tom cruise": -1.0}}),
    # ... but one that runs into the next thing named is about that, not about comedy
    ("I like comedies, not so much romance", {"signals": {"genre:comedy": 1.0, "genre:romance": -1.0},
                                              "c": {"exclude_genres": ["romance"]}}),
    # something fun is a light comedy (read as nothing: the cold-start list, Kill Bill among it)
    ("I'm bored, something fun", {"signals": {"genre:comedy": 1.0, **{f"genre:{g}": -0.4 for g in DARK}},
                                  "c": {"include_genres": ["comedy"]}}),
    # ... asked anew after a kind said no to, which no longer reaches it (stop 43: "actually, forget horror, something
    # light and funny instead" said no to comedy too, and the cold-start list answered)
    ("forget horror, something light and funny instead", {"signals": {
        "genre:horror": -1.0, "genre:comedy": 1.5, **{f"genre:{g}": -0.4 for g in DARK if g != "horror"}},
        "c": {"include_genres": ["comedy"], "exclude_genres": ["horror"]}}),
    # how a film is made is no topic ("acting" brought films for an actor's "acting debut")
    ("I prefer dramas with good acting", {"signals": {"genre:drama": 1.0}}),
    ("movies with a lot of dialogue", {"signals": {}, "vague": True}),
    # ... nor how it is watched (stop 43: "without commercials" said no to every story of a commercial, Alien's)
    ("I'll buy it so I can watch it without commercials", {"signals": {}, "vague": True}),
    ("anything new on streaming?", {"signals": {}, "vague": True}),  # stop 45: found The Streaming Wars
    # going to the cinema asks for what is new (the theatre was a topic: Cinema Paradiso, Burlesque)
    ("I want to go to the theater this weekend, what's new?", {"signals": {}, "newer": True}),
    ("anything good in cinemas?", {"signals": {}, "newer": True}),
    ("a movie set in a theater", {"signals": {"phrase:theater": 1.0}}),
    ("I saw it in theaters", {"signals": {}, "vague": True}),  # a viewing told of, no ask for what is new
    # being over a kind, done with it, is a no to it (each was asked for)
    ("I'm over superhero movies", {"signals": {"genre:superhero": -1.0}, "c": {"exclude_genres": ["superhero"]}}),
    ("enough with the superheroes", {"signals": {"genre:superhero": -1.0}, "c": {"exclude_genres": ["superhero"]}}),
    ("I'm done with zombies", {"signals": {"phrase:zombies": -1.0}}),
    ("horror is not really my genre", {"signals": {"genre:horror": -1.0}, "c": {"exclude_genres": ["horror"]}}),
    ("I'm over the moon about Heat (1995)", {"signals": {"item:wp:Heat_(1995_film)": 2.0}, "seen": []}),
    # a negation that praises (each was a no, and a filter)
    ("I can't get enough of horror movies", {"signals": {"genre:horror": 1.0}}),
    ("I never get tired of westerns", {"signals": {"genre:western": 1.0}}),
    ("I wouldn't say no to a good thriller", {"signals": {"genre:thriller": 1.0}}),
    # saying what a film is asks for nothing (each was kids mode)
    ("Shrek is a kids movie", {"signals": {"item:wp:Shrek": 2.0}, "seen": []}),
    ("Shrek is for kids", {"signals": {"item:wp:Shrek": 2.0}, "seen": []}),
    # "ugh" judges a film right after it ("Ugh, Titanic"), nothing else
    ("ugh, show me comedies", {"signals": {"genre:comedy": 1.0}, "c": {"include_genres": ["comedy"]}}),
    # two genres side by side, or one word for both, are one kind: each pick has both (each was either)
    ("romantic comedies from the 90s please", {"signals": {"genre:romance": 1.0, "genre:comedy": 1.0}, "c": {
        "include_genres": ["romance", "comedy"], "year_min": 1990, "year_max": 1999, "together": True}}),
    ("rom coms please", {"signals": {"genre:comedy": 1.0, "genre:romance": 1.0},
                         "c": {"include_genres": ["comedy", "romance"], "together": True}}),
    # ... and two viewers' tastes ask for one film for both (romance, and no action film, answered the first)
    ("my wife and I want a movie, she likes romance and I like action", {
        "signals": {"genre:romance": 1.0, "genre:action": 1.0},
        "c": {"include_genres": ["romance", "action"], "together": True}}),
    ("my boyfriend wants horror, I want a comedy", {"signals": {"genre:horror": 1.0, "genre:comedy": 1.0},
                                                    "c": {"include_genres": ["horror", "comedy"], "together": True}}),
    # ... not when listed, nor what couples pick ("date night": either), nor one viewer's two tastes
    ("I want a horror or a comedy, she likes anything", {"signals": {"genre:horror": 1.0, "genre:comedy": 1.0},
                                                         "c": {"include_genres": ["horror", "comedy"]}}),
    ("action and comedy please", {"signals": {"genre:action": 1.0, "genre:comedy": 1.0},
                                  "c": {"include_genres": ["action", "comedy"]}}),
    ("I want horror, comedy or drama", {"signals": {"genre:horror": 1.0, "genre:comedy": 1.0, "genre:drama": 1.0},
                                        "c": {"include_genres": ["horror", "comedy", "drama"]}}),
    # ... and a no to such a kind is a push from each, no filter: not every comedy is out (each was kept out)
    ("skip the rom-coms", {"signals": {"genre:comedy": -0.4, "genre:romance": -0.4}}),
    ("I hate rom coms, I want a comedy", {"signals": {"genre:comedy": 0.6, "genre:romance": -0.4},
                                          "c": {"include_genres": ["comedy"]}}),
    ("a date night movie", {"signals": {"genre:romance": 1.0, "genre:comedy": 1.0},
                            "c": {"include_genres": ["romance", "comedy"]}}),
    # ... and so is a girls' night (read as nothing: the cold-start list, Kill Bill among it)
    ("I need a movie for a girls night", {"signals": {"genre:romance": 1.0, "genre:comedy": 1.0},
                                          "c": {"include_genres": ["romance", "comedy"]}}),
    ("I don't hate horror", {"signals": {"genre:horror": 1.0}}),
    # telling when it was watched is no topic (a phrase to search stories for)
    ("I just finished watching Heat (1995)", {"signals": {"item:wp:Heat_(1995_film)": 2.0}}),
    # stop 36, each read otherwise before (said after each)
    ("I like a good who-dun-it", {"signals": {"genre:mystery": 1.0}}),  # nothing
    ("We really love Will Ferrill here.", {"signals": {"person:will ferrell": 1.5}}),  # nothing
    ("do you know some great new moveis", {"signals": {}, "newer": True}),  # nothing
    ("a tearjerker please", {"signals": {"genre:drama": 1.0, "genre:comedy": -0.5, **SAD_PUSHES},  # comedy let in
                             "c": {"include_genres": ["drama"], "exclude_genres": ["comedy"]}}),
    ("a movie that makes me cry", {"signals": {"genre:drama": 1.0, "genre:comedy": -0.5, **SAD_PUSHES},  # stop 52:
                                   "c": {"include_genres": ["drama"], "exclude_genres": ["comedy"]}}),  # nothing
    ("Heat (1995) makes me cry every time", {"signals": {"item:wp:Heat_(1995_film)": 2.0}}),  # said of it: no ask
    ("a comedy with a great cast", {"signals": {"genre:comedy": 1.0, "phrase:ensemble cast": 1.0},  # comedy alone
                                    "c": {"include_genres": ["comedy"]}}),
    ("I'm not crazy about horror", {"signals": {"genre:horror": -1.0},  # the same: a guard for "crazy about"
                                    "c": {"exclude_genres": ["horror"]}}),
    ("i would like your recommendation on a romantic comedy", {  # a like of either, no request
        "signals": {"genre:romance": 1.0, "genre:comedy": 1.0},
        "c": {"include_genres": ["romance", "comedy"], "together": True}}),
    # a turn within the message: the habit weighs as a change of mind weighs earlier turns (both 1.0, both asked)
    ("I usually go for westerns, but lately I've been into sci-fi",
     {"signals": {"genre:western": 0.3, "genre:science fiction": 1.0}}),
    ("I like horror but tonight I want a comedy", {"signals": {"genre:horror": 0.3, "genre:comedy": 1.0},
                                                   "c": {"include_genres": ["comedy"]}}),
    # the age of one film named asks for nothing (older films; biographies)
    ("I enjoy the old movie, Heat (1995)", {"signals": {"item:wp:Heat_(1995_film)": 2.0}}),
    ("what really happened to the boy on Heat (1995)?", {"signals": {}, "mentioned": ["wp:Heat_(1995_film)"]}),
    # small talk is no topic either (stop 36: each searched stories for its word)
    ("Glad it's Friday.", {"signals": {}, "vague": True}),
    ("Good to know that we share something in common!", {"signals": {}, "vague": True}),
    # a length is no short film, nor a runtime a story word (1918 shorts answered); parents watch too (Kill Bill did)
    ("something short, under 90 minutes", {"signals": {}, "vague": True}),
    ("I like short films", {"signals": {"genre:short": 1.0}}),
    ("a strong independent woman", {"signals": {"phrase:strong independent woman": 1.0}}),  # no indie film
    ("something to watch with my parents", {"signals": {}, "c": {"exclude_genres": [
        "horror", "erotic", "slasher", "adult", "crime", "thriller"]}}),
    # "a big X fan" likes X though no cue comes before it (nothing was read: the cold-start list answered)
    ("I'm a big Marvel fan", {"signals": {"genre:superhero": 1.0, "phrase:marvel": 1.0}}),
    ("I'm not a big Marvel fan", {"signals": {"phrase:marvel": -1.0}}),
    # what many watch now asks for newer films, not for stories of popularity ("How to Be Very, Very Popular")
    ("what's popular right now?", {"signals": {}, "newer": True}),
    # acclaim is no story to search (stop 44: "top rated movies" and "some acclaimed films" searched stories for it)
    ("top rated movies", {"signals": {}}),
    ("some acclaimed films", {"signals": {}}),
    ("something critically acclaimed", {"signals": {}}),  # stop 46: "critically" was a topic
    ("a smart comedy", {"signals": {"genre:comedy": 1.0}, "c": {"include_genres": ["comedy"]}}),
    # a dark comedy is what its summary calls a black comedy (stop 44: read as any comedy, Midnight in Paris first)
    ("a dark comedy", {"signals": {"phrase:black comedy": 1.0}}),
    ("something witty", {"signals": {"genre:comedy": 1.0}, "c": {"include_genres": ["comedy"]}}),
    ("what's trending", {"signals": {}, "newer": True}),
    # creatures said no to are no film of their name (stop 46: "I hate aliens" was a strong no to Aliens)
    ("I hate aliens, give me a sci-fi movie", {"signals": {"phrase:aliens": -1.5, "genre:science fiction": 1.0},
                                               "c": {"include_genres": ["science fiction"]}}),
    ("I love robots", {"signals": {"phrase:robots": 1.5}}),  # was a like of Robots (2005)
    ("Twilight was embarrassing", {"signals": {"item:wp:Twilight_(2008_film)": -2.0}}),  # stop 46: a like
    ("Titanic, eh. Something better?", {"signals": {"item:wp:Titanic_(1997_film)": -2.0}}),  # stop 46: a like
    # a judgement after "but now", "but honestly", "but I think" is of the film before (stop 46: the like before won)
    ("I loved Twilight but now I think it's cringe", {"signals": {"item:wp:Twilight_(2008_film)": -2.0}}),
    ("I liked Heat but honestly it was too long", {"signals": {"item:wp:Heat_(1995_film)": 2.0},  # a fault, no no
                                                   "seen": ["wp:Heat_(1995_film)"]}),
    # a film enjoyed for its badness is liked (stop 46: each was a strong no)
    ("I watched Catwoman, so bad it's good", {"signals": {"item:wp:Catwoman_(film)": 2.0},
                                              "seen": ["wp:Catwoman_(film)"]}),
    ("Batman & Robin is so bad it's hilarious", {"signals": {"item:wp:Batman_%26_Robin_(film)": 2.0,
                                                             "genre:comedy": 1.0}}),
    # when the person was young is no one who will watch (stop 46: "as a kid" asked for family films: Jumanji and
    # Jingle All the Way for adults)
    ("I loved Toy Story as a kid, what's similar for adults?", {"signals": {"item:wp:Toy_Story": 2.0}, "c": {
        "exclude_genres": ["family", "children", "kids", "childrens", "animation", "animated"]}}),
    ("I loved horror as a kid", {"signals": {"genre:horror": 1.5}}),
    # "what about" as chat writes it asks for the kind (stop 46: "wat about horor" searched stories for "horor")
    ("wat about horor", {"signals": {"genre:horror": 1.0}, "c": {"include_genres": ["horror"]}}),
    # the person's own name is no topic (stop 46: "Sarah" answered Terminator 2 for "his mother Sarah"), unless the
    # words are a title
    ("hi, I'm Sarah", {"signals": {}, "vague": True}),
    ("I am Sam, what a film", {"signals": {"item:wp:I_Am_Sam": 2.0}}),
    # a degree is no topic (stop 46: "milder" found Submergence and More Dead Than Alive)
    # ... and leans to suspense without the fright (stop 47: the cold-start list answered)
    ("too scary for me, something milder", {"signals": {
        "genre:horror": -1.0, "genre:mystery": 0.5, "genre:thriller": -0.4, "genre:slasher": -0.4},
        "c": {"exclude_genres": ["horror"]}}),
    # the twist a film ends on is what mysteries and thrillers have (stop 46: "twist blows" was a topic)
    ("a movie where the twist blows your mind", {"signals": {"genre:mystery": 1.0, "genre:thriller": 1.0},
                                                 "c": {"include_genres": ["mystery", "thriller"]}}),
    # stop 49: "loud", "overcoming adversity", "visually stunning" were topics to search (Laughter, Repulsion, titles
    # with "Beautiful"), and a sick day read as nothing
    ("a movie that will make me laugh out loud", {"signals": {"genre:comedy": 1.0},
                                                  "c": {"include_genres": ["comedy"]}}),
    ("a movie about overcoming adversity", {"signals": {"genre:drama": 1.0}, "c": {"include_genres": ["drama"]}}),
    ("a visually stunning movie", {"signals": {}}),
    ("Heat (1995) holds up", {"signals": {"item:wp:Heat_(1995_film)": 2.0}}),  # "holds" was a topic
    ("Heat (1995) is fire", {"signals": {"item:wp:Heat_(1995_film)": 2.0}}),  # ... and "fire"
    ("i luvd heat", {"signals": {"item:wp:Heat_(1995_film)": 2.0}}),  # "luv" was no verb of liking
    # everyday nouns that are a story's setting (stop 49: read as nothing, the cold-start list answered)
    ("a film about a small town with a dark secret", {"signals": {"phrase:small town": 1.0}}),
    ("a movie about twins", {"signals": {"phrase:twins": 1.0}}),
    ("something similar but with a happier ending", {"signals": {"genre:comedy": 1.0, **dict.fromkeys(
        ("genre:crime", "genre:horror", "genre:slasher", "genre:thriller", "genre:war"), -0.4)},
        "c": {"include_genres": ["comedy"]}}),  # stop 49: "happier ending" was a topic; "not as sad" read nothing
    ("a movie to watch while I'm sick in bed", {"signals": {"genre:comedy": 1.0, **dict.fromkeys(
        ("genre:crime", "genre:horror", "genre:slasher", "genre:thriller", "genre:war"), -0.4)},
        "c": {"include_genres": ["comedy"]}}),
    ("a movie for a long flight", {"signals": {"genre:comedy": 1.0, **dict.fromkeys(  # stop 50: Passenger 57, Plane
        ("genre:crime", "genre:horror", "genre:slasher", "genre:thriller", "genre:war"), -0.4)},
        "c": {"include_genres": ["comedy"]}}),
    # stop 50: "scare" and "keeps" were topics (Zombieland, The Wizard of Oz)
    ("a movie that will scare the crap out of me", {"signals": {"genre:horror": 1.0},
                                                    "c": {"include_genres": ["horror"]}}),
    ("a mystery that keeps me guessing", {"signals": {"genre:mystery": 1.5, "genre:thriller": 1.0},
                                          "c": {"include_genres": ["mystery", "thriller"]}}),
    # stop 50: "picture" and "pleasure" were topics (Up, WALL-E; It's a Pleasure, 1945), "based on a book" nothing
    ("best picture winners", {"signals": {}}), ("a guilty pleasure movie", {"signals": {}, "vague": True}),
    ("my guilty pleasure is Twilight", {"signals": {"item:wp:Twilight_(2008_film)": 2.0}}),
    ("a movie based on a book", {"signals": {"phrase:novel": 1.0}}),
    ("a movie about the end of the world", {"signals": {"phrase:apocalypse": 1.0}}),  # all everyday words: nothing
    ("a thriller based on a novel", {"signals": {"genre:thriller": 1.0, "phrase:novel": 1.0},
                                     "c": {"include_genres": ["thriller"]}}),
    # stop 51: a word of praise put the topic out of a film word's reach (nothing read), and "a good twist" was a topic
    ("a movie with a great villain", {"signals": {"phrase:villain": 1.0}}),
    ("a movie with a good twist", {"signals": {"genre:mystery": 1.0, "genre:thriller": 1.0},
                                   "c": {"include_genres": ["mystery", "thriller"]}}),
]


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_chat_request_table(rules, text: str, expected: dict[str, Any]) -> None:
    check_reading(rules.extract(text), expected)


def test_the_persons_own_name_is_no_film() -> None:
    # Before (stop 46): "I'm Jack, I love action movies" liked Jack (1996), and a pick's quote was "targets Jack".
    from chatbot.understanding.signals import SignalExtractor
    from retrieval.catalog import Catalog, Item

    catalog = Catalog([Item("jack", "Jack", "A boy ages four times as fast.", 1996, genres=("Comedy",), popularity=900),
                       Item("heat", "Heat", "A thief and a detective.", 1995, genres=("Action",), popularity=9000)])
    reading = SignalExtractor(catalog, use_llm=False).extract("I'm Jack, I love action movies")
    assert [(s.facet, s.strength) for s in reading.signals] == [("genre:action", 1.5)]


def test_a_pronoun_with_its_verb_run_together_is_no_topic() -> None:
    # Stop 49: "Know any other good movies she's been in?" searched for "shes" once a summary used the word.
    from chatbot.understanding.signals import SignalExtractor
    from retrieval.catalog import Catalog, Item

    catalog = Catalog([Item("a", "Ada", "Shes a chess player whos never lost; hes her coach.", 2001, popularity=10),
                       Item("b", "Ben", "A chess player and his coach.", 2002, popularity=10)])
    reading = SignalExtractor(catalog, use_llm=False).extract("Know any other good movies she's been in? who's he")
    assert reading.signals == []

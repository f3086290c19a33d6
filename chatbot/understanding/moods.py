"""Moods and occasions a person states and the kinds they ask for or keep away: "something light", "a good cry"."""

from __future__ import annotations

LIGHT_MOODS = ("lighthearted", "light hearted", "something lighter", "something light", "feel good", "feelgood",
               "uplifting", "cheer me up", "cheerful", "something fun", "anything fun", "upbeat", "something happy",
               "happy movie", "feeling down", "feeling blue", "feeling low",
               "too dark", "less dark", "too depressing", "less depressing", "too sad", "less sad",  # after a dark list
               "nothing sad", "nothing depressing", "nothing heavy", "nothing too heavy", "not too heavy",
               # ... and after a film: "something similar but not as sad", "with a happier ending" (stop 49)
               "not as sad", "not so sad", "not as depressing", "not as heavy", "less heavy", "happy ending",
               "happy endings", "happier ending", "happier endings",
               # nothing to think about: "I need something mindless" (Mind Your Own Business answered)
               "mindless", "something easy", "easy watch", "easy to watch", "turn my brain off", "switch my brain off",
               "brain off")
# A hard day asks for something to unwind with, not a story about it ("after a rough week" brought Necessary Roughness).
HARD_DAYS = tuple(f"{hard} {when}" for hard in ("rough", "long", "hard", "tough", "bad", "stressful", "exhausting",
                                                "crappy", "busy") for when in ("day", "days", "week"))
COSY_OCCASIONS = ("rainy day", "rainy days", "rainy afternoon", "rainy night", "rainy sunday", "rainy evening",
                  "rainy weekend", "sunday afternoon", "lazy sunday", "lazy weekend", "lazy day", "bad mood",
                  "lazy afternoon", "sick day", "cozy", "cosy", "comfort movie", "comfort film", "comfort watch",
                  "sick in bed", "stuck in bed", "home sick", "under the weather",  # "while I'm sick in bed"
                  "watch on a plane", "watch on the plane", "for a long flight", "for a flight", "for the flight",
                  "for my flight",  # stop 50: Passenger 57 and Plane answered "a movie for a long flight"
                  *HARD_DAYS)
LIGHT_WORDS = frozenset(LIGHT_MOODS + COSY_OCCASIONS)
LIGHT_AVOID = -0.4  # a soft no (a push): what a mood keeps away from
# A sad mood asks for drama, and keeps comedy out (a filter): "a movie that will make me cry" answered The Grand
# Budapest Hotel, and a push as light as LIGHT_AVOID still let it in.
SAD_AVOID = -0.5
# ... and pushes a crime story or a fright down: Fight Club and Scarface led "make me cry" (drama, most known).
SAD_AVOIDS = {"comedy": SAD_AVOID, **dict.fromkeys(("crime", "thriller", "horror", "slasher"), LIGHT_AVOID)}
# A fright said to be too much ("too scary") leans to suspense without it: after "horror", then "too scary", the
# person still wants tension, and nothing left to go on answered the cold-start list (Bohemian Rhapsody, Kill Bill);
# a mystery alone led with Se7en and The Hateful Eight, so the grim kinds get a light mood's push too.
MILDER_KINDS = {"genre:horror": {"genre:mystery": 0.5, "genre:thriller": LIGHT_AVOID, "genre:slasher": LIGHT_AVOID}}
# Sad moods: "a movie that makes me cry" asks for one, while "Up makes me cry every time" praises a film (no ask).
SAD_MOODS = ("tearjerker", "tear jerker", "tearjerkers", "weepy", "weepies", "make me cry", "sad movie", "sad movies",
             "sad film", "sad films", "something sad", "heartbreaking", "want to cry", "a good cry", "sadder",
             "saddest", "anything sad", "anything depressing",
             *(f"{what} that makes me cry" for what in ("something", "movie", "film", "one")))
# What lifts a person by a life's story, a drama's: "something inspiring" (found stories "inspired by"), "a movie
# about overcoming adversity"
INSPIRING = ("inspiring", "inspirational", "motivational", "motivating", "overcoming adversity", "against all odds",
             "overcoming the odds", "triumph over adversity")
# Said of oneself, a fright is too much, as "too scary" is: "I scare easily", "I'm a scaredy cat" (stop 53: each read
# as a like of horror, Freddy vs. Jason first).
FRIGHTENED = ("scare easily", "scared easily", "easily scared", "get scared easily", "easily frightened",
              "frighten easily", "frightened easily", "scaredy cat", "im a wimp", "such a wimp", "a big wimp")

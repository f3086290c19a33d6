"""What people say of a film they have named, after it: a no ("isn't my style", "I want my money back"), no fan of
it ("not a fan", unless "of" names something else) or seen again and again ("a million times")."""

from __future__ import annotations

# "X isn't my style", "no, not really my thing": a no to that film, seen or not.
NOT_FOR_ME = ("isnt my style", "not my style", "isnt my thing", "not my thing", "not for me", "out for me",
              "arent my thing", "arent my style", "arent for me", "arent really my thing", "never again",
              "sick of it", "confused me", "lost me", "please no", "hell no", "god no", "too long for me",
              "too slow for me", "dont get the hype", "didnt get the hype", "dont see the hype", "didnt see the hype",
              "dont understand the hype", "not worth the hype", "wasnt worth the hype", "didnt live up to the hype",
              "not my cup of tea", "isnt my cup of tea", "wasnt for me", "wasnt my thing", "wasnt my style",
              "not really my thing", "not really my style", "not my kind of", "not my type", "not really my type",
              "not really my kind", "not my genre", "not really my genre", "isnt my genre", "arent my genre",
              "didnt do it for me", "did not do it for me", "put me to sleep", "was too long",
              "was too slow", "was way too long", "was way too slow", "too violent for me", "too scary for me",
              "too gory for me", "too dark for me", "too much for me", "not so much", "hard to watch",
              "a let down", "fell flat", "could have been better", "couldve been better", "just ok", "just okay",
              "only ok", "only okay", "nothing special", "grossed me out", "couldnt get into it",
              "could not get into it", "couldnt really get into it", "didnt get into it", "couldnt finish it",
              "could not finish it", "didnt finish it", "did not finish it", "turned it off", "gave up on it",
              "stopped halfway", "wasnt my cup of tea", "didnt do much for me", "did nothing for me",
              "didnt do anything for me", "left me cold", "ok but not great", "okay but not great", "made no sense",
              "didnt make sense", "didnt make any sense", "hard to follow", "cant stand it", "couldnt stand it",
              "could not stand it", "was a miss", "a miss for me", "missed the mark", "was a bit much", "a little much",
              "isnt really my style", "isnt really my thing", "wasnt really my thing", "wasnt really my style",
              "isnt really for me", "wasnt really for me", "let me down", "really let me down",
              "i regret it", "regretted it", "regret watching it", "my money back", "my time back", "my two hours back",
              "my 2 hours back",
              # a no to a suggestion, seen or not: "Nah, I'll pass", "doesn't sound like my kind of movie"
              "no thanks", "no thank you", "ill pass", "i will pass", "id rather not", "i would rather not",
              "not interested in that", "not interested in it", "not interested in this", "not into that",
              "not really into that", "not into it", "not really into it", "doesnt sound like my",
              "does not sound like my", "doesnt appeal to me", "doesnt interest me", "does not interest me",
              "not one id watch again", "wouldnt watch it again", "would not watch it again", "fell asleep",
              # a shrug, and the bottom of their list: "X was ok I guess", "X is my least favorite"
              "ok i guess", "okay i guess", "alright i guess", "my least favorite", "my least favourite",
              # what it did to them, and having outgrown it: "X got on my nerves", "X is for kids, I'm past that"
              "got on my nerves", "gets on my nerves", "drove me crazy", "drove me nuts", "drove me up the wall",
              "drives me crazy", "drives me nuts", "annoyed me", "irritated me", "bored me", "im past that",
              "im past those", "grew out of", "outgrew", "outgrown",
              # not wanted, seen or not: "Not really interested", "I haven't and don't plan to", "doesn't look good"
              "dont plan to", "do not plan to", "no plans to",
              "doesnt look good", "doesnt sound good", "does not look good", "does not sound good",
              "doesnt look interesting", "doesnt sound interesting",
              # odd or spoilt, said of the film: "X was just weird", "the ending ruined it for me"
              "just weird", "too weird", "so weird", "really weird", "pretty weird", "kinda weird", "kind of weird",
              "ruined it", "wasnt crazy about it", "not crazy about it", "wasnt too crazy about it",
              "not too crazy about it", "wasnt wild about it", "not wild about it",
              # not understood, not finished, not to their taste: "I didn't really get it", "I never finished it"
              "didnt get it", "didnt really get it", "dont get it", "never finished", "not my taste",
              "not really my taste", "not to my taste",
              # shrugs, a film past its time, and a pass (stop 45: each read as a like, or as nothing)
              "nothing to write home about", "fine i guess", "fine not great", "fine but not great", "was whatever",
              "its whatever", "aged badly", "hasnt aged well", "didnt age well", "has not aged well",
              "did not age well", "hard pass", "a pass for me", "not really my cup of tea", "not one id rewatch",
              "not one i would rewatch", "not something id rewatch", "seen better", "ive seen better",
              # it never took, or fell short (stop 49: "X was never my thing", "X didn't click with me", "X didn't
              # work for me" each read as a like)
              "never my thing", "never really my thing", "never been my thing", "never my cup of tea",
              "never really my cup of tea", "never my style", "never really my style", "never my kind of",
              "didnt click", "didnt really click", "never clicked", "never really clicked", "didnt grab me",
              "didnt really grab me", "never grabbed me", "didnt hook me", "didnt work for me",
              "did not work for me", "didnt really work for me", "doesnt work for me", "didnt hold my attention",
              "couldnt hold my attention", "didnt keep my attention", "lost my interest", "lost interest",
              "worse than i expected", "worse than expected", "worse than i thought", "worse than i remembered",
              "was mid", "is mid", "so mid", "kinda mid", "pretty mid", "mid at best",
              "a bit dated", "is dated", "so dated", "pretty dated", "really dated", "very dated", "feels dated",
              # what it did to them, and how hard it was to sit through (stop 50: each read as a like)
              "gave me a headache", "gives me a headache", "went over my head", "goes over my head",
              "was a trainwreck", "was a train wreck", "is a trainwreck", "is a train wreck",
              "could barely finish", "barely finished", "barely got through", "barely made it through",
              "fell short", "fell far short", "falls short", "fell way short",
              # stop 52 (each read as a like): "X was weird", "X felt too long", "X is not something I would watch"
              "was weird", "was kind of weird", "felt too long", "felt too slow", "felt way too long",
              "not something i would watch", "not something id watch", "not something i would see",
              "not something id see", "not something i want to watch", "not one i would watch", "not one id watch",
              # stop 53, said of a kind (each read as a like): "musicals get on my nerves", "westerns bore me"
              "get on my nerves", "bore me", "bores me", "annoy me", "annoys me", "irritate me", "irritates me",
              # ... and of a film (each read as a like or nothing): "yes, not one of my favorites", "I wish I hadn't"
              *(f"{no} {fav}" for no in ("not", "not one of", "wasnt", "isnt", "wasnt one of", "not really")
                for fav in ("my favorite", "my favourite", "my favorites", "my favourites")),
              "wish i hadnt", "wish i had not", "wish i never",
              # ... and no wish to see it (stop 53: "No, and I don't want to see it" read as a wish to see it)
              *(f"{no} {see} it" for no in ("dont want to", "do not want to", "never gonna", "not gonna",
                                           "never going to", "not going to", "no interest in", "wont")
                for see in ("watch", "see")),
              "no interest in watching", "no interest in seeing")
# Not seen, said of a film: "not yet", "I haven't seen it" (answers read more ways; a wish to see it said after these
# is no wish turned down: "Not yet, I'll add it to my list").
UNSEEN_SAID = ("not yet", "havent seen", "have not seen", "havent watched", "never seen", "not seen", "didnt see")
# Not seen, but wanted: "I haven't, but it looks good", "not yet, I'll add it to my list", "Never seen X, I'll check
# that one out" (a like of what it is; stop 50: the last read as nothing).
WANTED = ("add it to my list", "on my list", "check it out", "want to see it", "want to watch it", "ill watch it",
          "will watch it", "have to watch it", "have to see it", "need to watch it", "need to see it",
          "meaning to watch", "meaning to see", "on my watchlist", "on my watch list", "check that out",
          "check that one out", "check those out", "give it a chance", "give it a try", "add it to my movie list",
          "putting it on my list", "put it on my list",
          # stop 53, answers to a film offered (each read as nothing): "No, but I should!", "I'll try that one"
          "but i should", "i should watch it", "i should see it", "i really want to", "but i want to", "try that one",
          "try it", "ill try that", "i will try that", "plan on it", "plan on watching it", "plan to watch it",
          "plan to see it", "will see it", "maybe i will", "ok i will", "okay i will", "but i will", "rent it",
          "take your recommendation", "take your word for it", "google it", "look it up", "look into it",
          "meant to see", "meant to watch", "check them out", "add that to my list", "adding it to my list",
          "going to watch it", "gonna watch it", *(f"{good} {it}" for good in ("good", "great") for it in (
              "suggestion", "recommendation", "pick", "choice")))  # "I haven't seen X. That is a great suggestion."
# Seen again and again, or kept, said after the film: a like, whatever came before ("not Pulp Fiction, I've seen it a
# million times", "I've watched Titanic so many times", "yes, I own it on DVD").
SEEN_OFTEN = ("a million times", "a hundred times", "a thousand times", "a dozen times", "so many times",
              "countless times", "over and over", "ten times", "20 times", "10 times", "100 times", "many times",
              "multiple times", "a bunch of times", "a ton of times", "too many times to count", "on repeat",
              "several times", "a few times", "lots of times",  # stop 53: "yes i have seen it several times"
              "i own it", "we own it", "i own that one", "i have it on dvd", "we have it on dvd", "i have the dvd",
              "i have it on blu ray")  # not "I don't own it"
# Enjoyed for being bad, said after the film: a like ("The Room, so bad it's good", the "bad" a word of praise).
SO_BAD_ITS_GOOD = ("so bad its good", "so bad that its good", "so bad its great", "so bad its funny",
                   "so bad its hilarious", "so bad theyre good", "so bad that theyre good", "guilty pleasure")
# "Not a fan", "not interested": a no to the film before it, unless "of" or "in" names what they are no fan of ("not a
# fan of Alien", "not interested in horror").
NOT_A_FAN = ("not a fan", "not a big fan", "not really a fan", "not much of a fan", "not a huge fan", "wasnt a fan",
             "wasnt a big fan", "wasnt a huge fan", "wasnt really a fan", "wasnt much of a fan", "never been a fan",
             "never was a fan", "not interested", "not really interested", "not that interested")

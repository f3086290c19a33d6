"""Word lists for grounding and rules: stopwords, everyday words, kind synonyms, sentiment cues (normalized forms)."""

from __future__ import annotations

# The moods are a module of their own; the rules read them here, with every other word list (lx.SAD_MOODS).
from chatbot.understanding.moods import (COSY_OCCASIONS, FRIGHTENED, INSPIRING, LIGHT_AVOID, LIGHT_MOODS, LIGHT_WORDS,
                                         SAD_AVOIDS, SAD_MOODS)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ASKS_ABOUT = frozenset({"how", "what", "wat", "wut"})  # "what about comedies?" asks for them, as chat writes it too
# Words that never carry a preference on their own: function words, chat filler, request verbs, media nouns.
STOPWORDS = _words("""
a about above after again against all almost also although always am an and another any anybody anyone anything
anyway anywhere are arent around as at away be because been before being below best better between both but by
can cant could couldnt did didnt do does doesnt doing done dont down during each either else enough etc even ever
every everybody everyone everything exactly few for from further get gets getting give given go goes going gone
got gotta had hadnt has hasnt have havent having he hed hell hello her here hers herself hey hi him himself his how
however i id ill im ive if in instead into is isnt it its itself just kind kinda least less let lets like liked
likes lol lot lots made make makes many may maybe me might mine more most much must my myself neither never no nobody
none nor not nothing now of off often oh ok okay on once one ones only or other others otherwise our ours ourselves
out over own perhaps please pretty quite rather really same say says see seen shall she should shouldnt show shows
since so some somebody someone something sometimes somewhat soon sort still such sure than thank thanks that thats
the their theirs them themselves then there theres these they theyre thing things think this those though through
thx to today together tonight too toward towards u um uh under until up upon us very via wanna want wanted wants
halfway fell asleep said meant means saying mentioned finding sorts various oriented plots including greetings howdy
guessing potential closer original picky invested considering decided example current appreciate greatly
fashioned relly realy rly ideas additional habe kidding combination sensational wath whit awhile
gimme lemme gonna wat wut smth sth plz pls twice thrice liking remember remembered understood
shes hes heres wheres whos theyve theyd theyll aint yall told tells telling
was wasnt watch watched watching way we well were werent weve what whatever whats when whenever where whether which
while who whoever whole whom whose why will with within without wont would wouldnt yeah yep yes yet you youd youll
your youre yours yourself yourselves youve aloha bonjour hola salutations
movie movies film films flick flicks cinema title titles item items option options pick picks choice choices
learn learning study studying course courses class classes lesson lessons tutorial tutorials
recommend recommendation recommendations suggest suggestion suggestions recommended suggested need needs looking
look find show tell know knew heard hear thought feel felt seem seems seemed try tried trying mind ask asked
good great nice cool fine awesome amazing excellent fantastic wonderful brilliant perfect fun enjoy enjoyed enjoying
love loved loves loving hate hated hates dislike disliked favorite favourite favorites fave faves fav favs fan fans
big huge bad awful terrible horrible boring dull worst meh stupid lame overrated
genre genres type types style stuff lot also again else new old older recent classic classics
weekend year years ago last first second third fourth fifth next previous
yes no yess nope hmm haha hahaha lmao omg wow ooh ah yay sorry guess suppose
sounds sound looks seems seeing matter similar thinking wondering wonder familiar couple bit coming going
moments honestly honest especially actually definitely probably absolutely totally super truly basically overly
foreign subtitles subtitled
kept literally mostly usually generally particularly anyway seriously kinda sorta lately recently times joke
doesn don didn isn wasn aren weren haven hasn couldn wouldn shouldn
""")

# Everyday content words that are also film titles ("Heat", "Up", "Big", "Halloween"): such a title matches only
# when quoted, capitalized mid-sentence, or followed by a year. Frequent description words are added per catalog.
COMMON_WORDS = _words("""
days nowadays lately actually anymore date based guy guys reminded reminds variation ripoff knockoff goofy zany
underdog underdogs hype trilogy saga franchise acting dialogue dialog cinematography soundtrack performances writing
beats sucker speechless hoped expected blew past outgrown outgrew nerves finally finished finish finishing
certainly hearing common issue visited wrote hurry feeling nostalgic used came talking glad role preferred personally
forever unless intrigued works chance accept actresses actors believe minutes minute hours hour runtime length
heat up it her us them big home speed drive taken signs seven arrival gravity click cars friday fury onward onwards
ghost twins hook rush blink contact ransom blade bats blow blows traffic evolution perfect score pulse posse
milder tamer gentler critically fair aloha bonjour hola salutations birthday birthdays anniversary gift
christmas halloween thanksgiving easter valentine holiday holidays summer winter spring fall autumn
monday tuesday wednesday thursday saturday sunday january february march april june july august
september october november december
man woman men women boy girl boys girls kid kids child children baby family friend friends people person
grandma grandpa granny grandmother grandfather grandparents grandkids grandchildren nana
mother father mom dad son daughter brother sister wife husband life love death world war city town house
school game games story stories book books music song songs dance money power fire water light dark
night day life road run war crash brave wild frozen cold hot fast furious free lost found home alone mood
together split us her him she he it up out in on off over under inside outside completely totally entirely
action drama comedy horror romance thriller mystery crime western fantasy history family war sport sports
short documentary animation musical music
yesterday tomorrow tonight today morning evening afternoon weekend later earlier soon early late recently lately
always never sometimes again ago still already just maybe really actually probably definitely honestly
yes no okay sure thanks please hello goodbye bye sorry welcome wait stop start finish end begin beginning greetings
go come get make take give keep let put run walk talk say tell ask call turn move play work live die kill
look watch see hear feel think know believe want need try help leave stay fall rise fly jump fight win lose
find lost found show hide hold break change open close read write sing dance eat drink sleep wake dream cry
laugh smile love hate miss meet hope wish trust ready sick tired happy sad angry crazy funny serious scared
good bad best worst better worse great little small large long short high low young old new first last
next real true false right wrong left hard easy free full empty whole half only same different other
nice fine cool sweet pretty beautiful ugly strange weird normal simple clear rich poor dead alive safe
something anything nothing everything someone anyone everyone nobody somewhere anywhere nowhere everywhere
thing stuff way place time year month week hour minute moment point part side end top bottom back front
head face eye eyes hand hands heart mind body blood bone soul spirit voice name word words number case
car bus train plane ship boat bike road street room door window wall floor table bed kitchen office
food dinner lunch breakfast party job work business company team club group class job boss
country state land sea sky sun moon star stars earth world space air wind rain snow storm ice
dog cat horse bird fish animal animals tree trees flower garden river lake mountain island beach forest
king queen prince princess lord lady sir master doctor teacher student police cop cops soldier
gold silver red blue green black white yellow pink grey gray brown orange color
one two three four five six seven eight nine ten eleven twelve hundred thousand million
mine yours ours theirs this that these those here there where when why how what who which
remember forget believe wonder understand imagine hope guess suppose mean care happen seem appear become bring buy
send spend pay sell serve build stand sit lie hang reach pass follow lead carry catch choose decide explain describe
mention notice realize recognize remind support teach touch visit answer agree allow apply argue arrive avoid cause
check compare complete consider continue create deal depend develop discover enter exist expect experience fail fill
force form handle hit improve include increase involve join kick kiss knock land laugh listen manage mark marry match
measure offer order own plan point prepare present prevent produce promise protect prove provide pull push raise
receive record reduce refuse release relax remain remove repeat replace report require rest return ride ring save
search share shoot shout sign sing smell solve speak spread step stick suffer suit surprise survive swim taste test
throw tie train treat trust vote wash waste wear wrap taken signs prisoners sleepers arrival gravity trailer review
reviews ending plot scene scenes actor actors actress cast character characters episode season series sequel sequels
""")

# Capitals of chat, not names of things ("LOL", "TV"): no word to search with (see rule_patterns.short_topic).
CHAT_ABBREVIATIONS = _words("lol lmao omg btw imo imho tbh idk ok tv dvd pm am fyi asap")

# Creatures stories are about, in the plural: after "I hate" or "I love" the creatures, not a film of that name
# ("I hate aliens" is no dislike of Aliens, "I hate zombies" none of Z-O-M-B-I-E-S).
CREATURES = _words("""aliens zombies vampires monsters sharks dinosaurs clowns robots ghosts spiders snakes werewolves
witches pirates dragons""")
# Everyday nouns that still make a good theme on their own: "christmas movies", "something with dogs".
THEME_WORDS = _words("""
christmas halloween thanksgiving easter valentine holiday holidays summer winter dog dogs cat cats horse horses
animal animals bird birds fish sea island beach mountain forest king queen prince princess soldier police cop cops
doctor teacher school money music dance food car cars train plane ship boat fire ice snow storm space earth moon
star stars war baby family friends wedding party island underdog underdogs town city village ghost river lake twins""")

# A kind named by where its stories are set, or the world they share, is their story too: after "space movies",
# "realistic ones" keeps space (only science fiction was kept: True Love, Multiverse); "I love Marvel" asks for
# superheroes, Marvel's first, "I love Pixar" for animation, Pixar's first (Raya and the Last Dragon came third).
STORY_KINDS = frozenset({"space", "outer space", "marvel", "pixar"})
# A light mood is no crime story or war film: these count against a pick (a soft no: a filter takes -0.5 or less).
DARK_GENRES = ("horror", "war", "crime", "thriller", "slasher")
# "it's like X", "looks like X": "like" after these compares, it does not judge.
COMPARING = frozenset("its is was thats be looks look sounds sound seems seem feels feel".split())
# "it's not about X", "it isn't about X" tell what a story is; "not about rock" alone asks for none of it.
DESCRIBES_STORY = COMPARING | frozenset("isnt wasnt arent werent".split())
# ... nor is a film that is "less violent" than one named: the same push away, and the word's own story penalty.
VIOLENT_WORDS = frozenset(("violent", "violence", "bloody", "brutal", "graphic", "gruesome"))
# ... and pushes away the kinds made of fights too: "a thriller that isn't too violent" got John Wick.
VIOLENT_GENRES = DARK_GENRES + ("action", "western", "martial arts")
# Said no to, these push broad comedy away the same way: "something with Jim Carrey, but not one of his silly ones".
SILLY_WORDS = frozenset(("silly", "goofy", "slapstick", "stupid", "dumb", "zany"))

# Words for a kind of film that is two genres at once: each pick must be both (a "date night" film is either).
BOTH_KINDS = frozenset(("rom com", "rom coms", "romcom", "romcoms", "dramedy", "dramedies"))
# Mood words and synonyms -> catalog genre/tag values; a target is used only if the catalog has it.
SYNONYM_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("horror",), ("scary", "scarier", "spooky", "creepy", "frightening", "terrifying", "horrifying", "scare me",
                   "scares", "good scare", "good scares", "horror flick", "horror flicks", "scare", "scare the hell",
                   "scare the crap", "scare the shit")),  # stop 50: "scare" was a topic (Zombieland, The Wizard of Oz)
    (("horror",), FRIGHTENED),  # said of oneself: less of it, as "too scary" says (rules)
    (("comedy",), ("funny", "funnier", "funniest", "hilarious", "laugh", "laughs", "laughing", "comedic",
                   "comedies", "humor", "humour", "humorous", "make me laugh", "rom com", "romcom", "rom coms",
                   "romcoms", "dramedy", "dramedies", "witty", "laugh out loud", "make me laugh out loud",
                   "crack me up", "cracks me up")),
    (("science fiction", "sci-fi"), ("sci fi", "scifi", "sci fis", "space", "outer space", "futuristic")),
    (("animation", "animated"), ("animated", "animation", "cartoon", "cartoons", "anime", "pixar", "ghibli",
                                "studio ghibli")),
    (("romance", "romantic"), ("romantic", "romance", "love story", "love stories", "rom com", "romcom",
                               "rom coms", "romcoms", "about love", "falling in love")),
    (("family", "children", "kids"), ("kids", "kid", "children", "childrens", "family friendly",
                                      "kid friendly", "for the whole family")),
    # The catalog's genre for gore: "nothing too gory" keeps slashers out, "I love gore" asks for them.
    (("slasher", "splatter"), ("gory", "gorey", "gore", "gruesome", "slashers", "splatter")),
    (("thriller",), ("thrilling", "thrillers", "suspenseful", "edge of my seat")),
    # A twist is what mysteries and thrillers end on ("a movie with a twist ending"; "twist" alone is Oliver Twist).
    (("mystery", "thriller"), ("twist ending", "twist endings", "plot twist", "plot twists", "twists", "twisty",
                               "a twist", "the twist", "big twist", "keeps me guessing", "keep me guessing",
                               "good twist", "great twist", "twist at the end")),
    # What makes people think is ideas and puzzles: science fiction and mysteries ("a thought-provoking film"); a
    # mind-bending one is Inception or Memento, not Gone Girl.
    (("science fiction", "mystery"), ("thought provoking", "make me think", "makes me think", "make you think",
                                      "makes you think", "cerebral", "philosophical", "food for thought",
                                      "smart movie", "smart movies", "smart film", "smart films", "something smart",
                                      "intelligent movies", "intelligent films", "something intelligent",
                                      "mind bending", "mindbending", "mind twisting", "mind blowing", "mindblowing",
                                      "mind fuck", "mindfuck", "trippy")),
    (("action",), ("action packed", "explosions", "shootouts")),
    (("drama",), ("dramatic", "dramas", "dramedy", "dramedies", *SAD_MOODS,
                  # the pace and weight of a drama: "something slower and more thoughtful"
                  "thoughtful", "something slower", "slower paced", "slow burn", "slow paced",
                  *INSPIRING)),
    # What couples pick for an evening together: "a date night movie" (the film "Date Night" needs capitals now).
    (("romance", "comedy"), ("date night", "date movie", "date movies", "for a date", "on a date", "first date",
                             "girls night", "girls night in", "chick flick", "chick flicks", "anniversary",
                             "valentines day", "valentines")),  # stop 53: "something for our anniversary": nothing
    # A light mood is what comedies are for: "something lighter", "a feel-good movie", "cheer me up".
    (("comedy",), LIGHT_MOODS),
    # A cosy occasion asks for something light, not a story about it: "for a rainy day", "a lazy Sunday".
    (("comedy",), COSY_OCCASIONS),
    # A dark mood is what thrillers and crime films keep: "something darker", "gritty" ("dark" alone is in titles).
    (("thriller", "crime"), ("darker", "something dark", "gritty", "grittier", "bleak")),
    (("documentary",), ("documentaries", "docs", "documentary film", "nonfiction")),
    (("independent",), ("indie", "indies", "indie film", "indie films", "indie movie", "indie movies", "arthouse",
                        "art house")),
    (("musical",), ("musicals", "sing along", "singalong")),
    (("western",), ("westerns", "cowboy", "cowboys", "wild west")),
    (("crime",), ("gangster", "gangsters", "mafia", "mobster", "mobsters", "mob")),
    (("mystery",), ("mysteries", "whodunit", "whodunnit", "who dun it", "who done it", "who dunnit", "detective",
                    "detectives")),
    (("fantasy",), ("magic", "magical", "wizards", "dragons", "sword and sorcery")),
    (("superhero",), ("superheroes", "super hero", "super heroes", "dc comics", "comic book", "marvel")),
    (("biography",), ("biopic", "biopics", "biographical", "true story", "true stories", "based on a true story",
                      "based on true events", "real events", "real life story", "that really happened")),
    (("history", "historical"), ("historical", "history", "period piece", "period pieces")),
    (("sports", "sport"), ("sports", "sport", "sporty")),
    (("spy",), ("spies", "espionage", "secret agent", "secret agents")),
    # ... and what teenagers watch at a sleepover ("for a sleepover" named the film Sleepover)
    (("teen",), ("teens", "teenage", "teenager", "teenagers", "high school", "coming of age", "sleepover",
                 "sleepovers", "slumber party")),
    (("martial arts",), ("kung fu", "karate", "martial arts")),
    (("supernatural",), ("ghosts", "paranormal", "haunted", "haunting")),
    (("noir",), ("film noir", "noir")),
    (("adventure",), ("adventures", "adventurous")),
    (("war",), ("wartime", "war movies", "war films")),
    (("political",), ("politics",)),
    (("satire",), ("satirical", "parody", "parodies", "spoof")),
    (("legal",), ("courtroom", "lawyers", "legal drama")),
    (("erotic",), ("erotica", "steamy")),
)

# ... and is said of no story: "a movie about overcoming adversity" searched stories for those words (Repulsion)
MOOD_WORDS = frozenset(LIGHT_MOODS + COSY_OCCASIONS + SAD_MOODS + INSPIRING + FRIGHTENED)

# Things in a story, not kinds of story, though a word of them is one: "I like horror but I hate jump scares" says
# no to jump scares, not to horror ("scares" alone asks for horror). Each is a phrase of its own: surface -> phrase.
NOT_KINDS = {"jump scare": "jump scares", "jump scares": "jump scares", "jumpscare": "jump scares",
             "jumpscares": "jump scares",  # ... and a kind a story's summary names it by ("a 1996 black comedy")
             **dict.fromkeys(("dark comedy", "dark comedies", "black comedy", "black comedies"), "black comedy"),
             # ... or the source it tells of: "based on the novel by ..." ("a movie based on a book" read nothing)
             **dict.fromkeys(("based on a book", "based on a novel", "based on books", "based on novels",
                              "book adaptation", "book adaptations", "adapted from a book", "adapted from a novel"),
                             "novel"),
             **dict.fromkeys(("end of the world", "the world ends", "world ending"), "apocalypse"),  # all everyday
             # ... or how it was made, as summaries say it: "a movie with a great cast" read nothing ("X had a great
             # cast" praises X, no ask)
             **{f"with {cast}": "ensemble cast" for cast in ("a great cast", "a good cast", "an amazing cast",
                                                              "an all star cast", "a star studded cast", "a big cast",
                                                              "a stacked cast", "an ensemble cast")},
             # ... or who leads it: "a strong female lead" searched those words (Winning a Woman, Womanpower)
             **dict.fromkeys(("female lead", "female leads", "strong female lead", "strong female leads", "heroines",
                              "female protagonist", "female protagonists", "female hero", "female main character",
                              "strong female character", "strong female characters", "woman lead", "led by a woman",
                              "led by women", "strong woman", "strong women", "girl power", "badass women"), "heroine")}
# ... and a war is a story's time, not the kind: "a war movie", then "not World War 2 please" said no to war films.
for _war, (_numbers, _order) in {"ii": (("2", "ii", "two"), "second"), "i": (("1", "i", "one"), "first")}.items():
    NOT_KINDS |= {f"world war {n}": f"world war {_war}" for n in _numbers} | {
        f"ww{n}": f"world war {_war}" for n in _numbers[:2]} | {f"{_order} world war": f"world war {_war}"}

# Sentiment cues for the rule extractor (normalized: apostrophes removed).
POSITIVE = _words("like likes liked love loves loved enjoy enjoys enjoyed want wanna prefer into fan adore adored "
                  "dig digging craving crave interested fond keen favorite favourite favorites favourites fave "
                  "luv luvd luved fav favs")  # "i luv the notebook" liked LUV (2012)
STRONG_POSITIVE = _words("love loves loved luv luvd luved adore adored favorite favourite favorites favourites fave "
                         "obsessed amazing awesome masterpiece best fav favs")  # stop 53: "one of my all time favs"
NEGATIVE = _words("not no never dont doesnt didnt isnt wasnt arent werent cant cannot wont havent hasnt hadnt "
                  "wouldnt couldnt "
                  "doesn don didn isn wasn aren weren haven hasn "
                  "without avoid avoiding "
                  "except hate hates hated dislike dislikes disliked nothing none skip nor neither instead "
                  "stop detest despise despised loathe loathed less fewer forget")
# Said right before a film, these judge it ("Ugh, Titanic"); before anything else they judge nothing ("ugh, fine").
DISGUST = _words("ugh yuck eww ew blah meh")
STRONG_NEGATIVE = _words("hate hates hated detest despise despised loathe loathed")
POSITIVE_EVAL = _words("good great amazing awesome excellent fantastic wonderful brilliant perfect fun enjoyable "
                       "best favorite favourite masterpiece incredible loved liked enjoyed superb solid fine nice cool "
                       "interesting beautiful hilarious")
NEGATIVE_EVAL = _words("bad awful terrible horrible boring dull worst meh stupid lame overrated sucked sucks "
                       "disappointing annoying hated disliked trash garbage mediocre slow disappointed disappointment "
                       "letdown unwatchable pointless overhyped forgettable underwhelming cheesy corny predictable "
                       "bored unfunny cringe cringey cringy confusing waste ridiculous tedious crap crappy bland "
                       "generic cliche cliched dreadful atrocious horrendous pathetic lackluster uninspired subpar "
                       "repetitive pretentious stale sappy dragged drags painful depressing rubbish uninteresting "
                       "snooze snoozefest snoozer chore ugh nonsensical unbearable insufferable overlong flop dud "
                       "stinker average overdone embarrassing eh bore bores annoy annoys irritate irritates irritating")
# Words people also ask for ("a silly comedy") that, said of a film just named, complain about it: "X was silly".
# Only read after a named film or in an answer about one, never as a cue or a phrase.
FILM_COMPLAINTS = _words("silly dumb mess messy weak gross")
# Praise that only judges once negated: "X wasn't funny", "not worth it", "wasn't impressed", "didn't care for it".
NEGATABLE_PRAISE = _words("funny worth impress impressed impressive entertaining exciting memorable special favorites "
                          "favourites faves favs care")
# "set in New York", "takes place in Paris": after these and "in" comes a place, not a film, and a place is a topic.
PLACE_LEADS = _words("set place takes located filmed shot based lives living life happens happen")
# Written with capitals wherever they stand, so capitals do not make them a title ("a lazy Sunday afternoon"), and
# answers, capitalized as they are shouted ("No! and No! Not my kind of movie" disliked No, 2012).
CAPITALIZED_ANYWAY = _words("monday tuesday wednesday thursday friday saturday sunday january february march april "
                            "may june july august september october november december no yes yeah nope yep okay ok")
# Studios and franchises people name as a kind of film ("the DC or Marvel universe"): never the surname of someone in
# a cast (Elizabeth Marvel).
STUDIO_WORDS = _words("marvel disney pixar dreamworks netflix lucasfilm ghibli")
# What people call film stars, where the catalog credits them (stop 53: "action movies with The Rock" liked the 1996
# film The Rock, "anything with Arnie" searched the word): nickname -> the credited name, normalized. A film of that
# title goes by its year then ("The Rock (1996)"); "the duke" is left out, as The Duke (2020) is a film people name.
PERSON_NICKNAMES = {"the rock": "dwayne johnson", "arnie": "arnold schwarzenegger", "j lo": "jennifer lopez",
                    "jlo": "jennifer lopez", "sly stallone": "sylvester stallone", "scarjo": "scarlett johansson",
                    "rdj": "robert downey jr", "bogie": "humphrey bogart", "j law": "jennifer lawrence",
                    "jlaw": "jennifer lawrence"}
# Words that say who made or is in a film ("movies directed by X", "starring Y"): the name after them is the interest.
CREDIT_WORDS = _words("directed director directors starring starred featuring")
# Words of prizes and of regard ("an Oscar winning drama", "top rated", "a smart comedy", "a visually stunning film",
# "best picture winners", "a guilty pleasure movie", "Kevin Smith is a genius"): no topic to search ("top rated
# movies" searched stories for "rated", "a smart comedy" found Get Smart, "guilty pleasure" It's a Pleasure).
AWARD_WORDS = _words("oscar oscars academy award awards winning winner winners nominated nominee nominees won "
                     "acclaimed rated masterpiece masterpieces smart clever witty intelligent essential timeless "
                     "cinematography visually visuals stunning picture guilty pleasure pleasures trainwreck genius")
# How a film is watched, not what it tells of ("I'll buy it to watch without commercials", "anything new on
# streaming?" found The Streaming Wars): never a free phrase.
VIEWING_WORDS = _words("commercials commercial ads adverts advertisements interruptions buffering streaming netflix "
                       "hulu shorter longer lengthy runtime")  # and how long it runs: "something shorter" found shorts
# Words that ask for the less known ("an underrated thriller", "hidden gems", "smaller films", "anything less known"):
# never a free phrase.
HIDDEN_WORDS = _words("underrated underappreciated obscure overlooked lesser hidden gem gems mainstream radar smaller "
                      "known")
# The languages films are asked for in ("Korean thrillers", "something in French", "anime"): ISO 639-1 codes as
# TMDB's original_language gives them ("cn" is Cantonese there). English is left out: in a catalog where only
# some items carry a language, keeping to it would drop every item without one.
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "korean": ("ko",), "japanese": ("ja",), "anime": ("ja",), "french": ("fr",), "spanish": ("es",),
    "mexican": ("es",), "argentinian": ("es",), "italian": ("it",), "german": ("de",), "hindi": ("hi",),
    "bollywood": ("hi",), "indian": ("hi", "ta", "te", "ml", "kn", "bn"), "tamil": ("ta",), "telugu": ("te",),
    "chinese": ("zh", "cn"), "mandarin": ("zh",), "cantonese": ("cn",), "hong kong": ("cn", "zh"),
    "swedish": ("sv",), "danish": ("da",), "norwegian": ("no",), "finnish": ("fi",), "russian": ("ru",),
    "turkish": ("tr",), "thai": ("th",), "iranian": ("fa",), "persian": ("fa",), "brazilian": ("pt",),
    "portuguese": ("pt",), "polish": ("pl",), "dutch": ("nl",), "greek": ("el",), "hungarian": ("hu",),
    "czech": ("cs",), "indonesian": ("id",), "arabic": ("ar",), "hebrew": ("he",), "israeli": ("he",),
    "vietnamese": ("vi",), "filipino": ("tl",), "ghibli": ("ja",),  # Studio Ghibli: Japanese animation
}
# "foreign films", "something with subtitles" (and "no subtitles"): any of those languages, not English.
LANGUAGE_WORDS.update(dict.fromkeys(("foreign", "subtitles", "subtitled"),
                                    tuple(sorted({c for codes in LANGUAGE_WORDS.values() for c in codes}))))
# "in English", "English-language films": every language above kept out (English is no filter of its own, above).
ENGLISH_WORDS = frozenset({"english"})
# Said alone they already name films of the language ("I love anime"); the others need a film word or a genre.
LANGUAGE_ALONE = frozenset({"anime", "bollywood", "subtitles", "subtitled", "ghibli"})
ANIMATION_LANGUAGES = frozenset({"anime", "ghibli"})  # a kind of animation too: said no to, the animation is
# Multi-word cues checked before single words.
NEGATIVE_PHRASES = ("anything but", "everything but", "anything except", "everything except", "all but",
                    "sick of", "tired of", "fed up with", "bored by", "bored with", "bored to tears by", "done with",
                    "bored watching", "bored during", "bored of", "burned out on", "burnt out on",
                    "enough with", "enough of", "im over", "so over", "not a fan of", "not a big fan of", "not into",
                    "rather not", "no more", "instead of", "other than", "cant stand", "can not stand",
                    "could not stand", "couldnt stand", "not really into", "not my thing", "least favorite",
                    "least favourite", "less like",  # "less like the first one": not "like" it
                    # Said before the title: "I regret watching X", "I fell asleep during X", "I turned off X".
                    "regret watching", "regret seeing", "fell asleep during", "fell asleep watching",
                    "fell asleep to", "turned off", "walked out of", "gave up on", "lost interest in",
                    "barely finish", "barely finished", "barely got through", "barely made it through",  # stop 50
                    "stay away from", "stray away from", "steer clear of", "keep away from", "spare me",
                    "that isnt about", "that arent about",  # "something by Scorsese that isn't about gangsters"
                    # A refusal or a letdown: "I wouldn't watch X again", "I was disappointed by X".
                    "wouldnt watch", "would not watch", "would never watch", "will never watch", "wouldnt recommend",
                    "would not recommend", "wouldnt rewatch", "disappointed by", "disappointed with",
                    "disappointed in", "underwhelmed by", "not impressed by",
                    "not impressed with", "let down by", "couldnt sit through", "could not sit through",
                    # Refusing a film not seen: "I'd rather not watch X", "I'd pass on X", "I have no desire to see X".
                    "rather not watch", "rather not see", "no desire to see", "no desire to watch", "no interest in",
                    "pass on", "allergic to", "rather die than watch", "rather die than see",  # stop 53: each a like
                    # Liking that did not take: "I tried to like X but couldn't", "I never understood the appeal of X".
                    *(f"{didnt} {what}" for didnt in ("never understood", "dont understand", "dont get", "never got")
                      for what in ("the appeal of", "the hype", "what people like about", "what people see in")),
                    "tried to like", "wanted to like", "dont see what people like about", "dont see what people see in",
                    # A negated opinion turns the judgement that follows: "I didn't think X was very good".
                    "dont think", "didnt think", "do not think", "did not think", "dont feel", "didnt feel",
                    "didnt find", "dont find", "did not find", "do not find")
NEGATED_OPINIONS = frozenset(p for p in NEGATIVE_PHRASES if p.endswith(("think", "feel", "find")))
STRONG_NEGATIVE_PHRASES = ("cant stand", "can not stand", "could not stand", "couldnt stand")
POSITIVE_PHRASES = ("nothing but", "big fan of", "huge fan of", "fan of", "in the mood for", "looking for",
                    "something like", "similar to", "along the lines of", "such as", "more like", "dont mind",
                    "do not mind", "wouldnt mind", "didnt mind", "did not mind", "not bad", "cant wait", "can not wait",
                    "cannot wait", "cant stop", "cannot stop", "couldnt wait", "could not wait", "couldnt stop",
                    "wouldnt miss", "non stop",  # "non-stop action" (a no to action)
                    "im over the moon", "so over the moon",  # not "I'm over superhero movies"
                    # a negation that praises: "I can't get enough of horror", "I wouldn't say no to a thriller"
                    "cant get enough of", "cannot get enough of", "never get tired of", "never get sick of",
                    "never get bored of",
                    "never gets old", "holds up", "still holds up", "is fire", "was fire", "so fire", "straight fire",
                    "wouldnt say no to", "would not say no to", "nothing beats", "sucker for",
                    "dont hate", "do not hate", "dont dislike", "cant believe how good", "cant believe how great",
                    "crazy about", "wild about")  # "I'm crazy about horror"; "not crazy about it" is a no
STRONG_POSITIVE_PHRASES = ("big fan of", "huge fan of", "all time favorite", "all time favourite", "cant wait",
                           "can not wait", "cannot wait")
# The cues above by first word, longest first: (words, sign, strong).
CUE_PHRASES: dict[str, list[tuple[list[str], int, bool]]] = {}
for _cue in sorted([(p.split(), -1, p in STRONG_NEGATIVE_PHRASES) for p in NEGATIVE_PHRASES]
                   + [(p.split(), 1, p in STRONG_POSITIVE_PHRASES) for p in POSITIVE_PHRASES],
                   key=lambda cue: -len(cue[0])):
    CUE_PHRASES.setdefault(_cue[0][0], []).append(_cue)
# Words that end a clause: polarity does not carry over them.
BOUNDARIES = _words("but though although however yet whereas while otherwise also")
# Request framing: a positive genre in such a clause is a hard include ("I want a comedy").
REQUEST_CUES = _words("want wanna looking need find show give recommend suggest something anything any only just "
                      "mood craving get play recommendation recommendations suggestion suggestions")
# A sentence-initial one-word title right before these is named ("Heat was great", "Frozen got on my nerves").
SAID_OF_A_TITLE = frozenset("was is got gets made makes bored sucked sucks blew rocks rocked holds".split())
# A list item opened by these asks anew: "no horror, something light" wants the light film.
NEW_ASK = _words("something anything")
AGE_ASKED = REQUEST_CUES | {"too"}  # "I loved Heat, something newer", "these are too old": an age asked for
SEEN_CUES = _words("seen watched saw rewatched")
TRIED = (["tried", "watching"], ["tried", "to"])  # "I tried watching X": seen, with no praise said
# After a negation these are about having seen something, not about liking it: "didn't see X", "never heard of X".
SEE_VERBS = _words("see seen watch watched saw heard hear tried try rewatched")
# Every cue word: never part of a title that should match without a cue, never a free phrase.
CUE_WORDS = (POSITIVE | STRONG_POSITIVE | NEGATIVE | POSITIVE_EVAL | NEGATIVE_EVAL | BOUNDARIES | REQUEST_CUES
             | SEEN_CUES | SEE_VERBS)
# A negation that takes back what follows: "forget that I like horror" is no like of horror.
RETRACTS = frozenset({"forget"})
# Words that flip the polarity of an evaluation that follows ("wasn't good", "not boring").
NEGATORS = _words("not no never dont doesnt didnt isnt wasnt arent werent cant cannot wont havent hasnt hadnt "
                  "wouldnt couldnt "
                  "doesn don didn isn wasn aren weren haven hasn nothing hardly barely")
# Verbs that judge what their object names: "loved it", "didn't like that one" (after a film: they judge the film).
JUDGING_VERBS = _words("like likes liked love loves loved luv luvd luved enjoy enjoys enjoyed adore adored hate hates "
                       "hated dislike dislikes disliked detest detested despise despised loathe loathed")
# Objects that point back at the film just named.
OBJECT_PRONOUNS = _words("it that this them those these both either")
# A sentence that opens with one of these is a question even without "?": "have you seen X", "what about X".
QUESTION_STARTS = _words("have has did do does is are was were what whats how hows which who where why could can "
                         "would should will any")
# A capital opening one of these mid-message starts a new sentence typed without a stop ("... Did you watch X").
RUN_ON_STARTS = frozenset("did have has do does what whats how hows can could would should which".split())
# "no"/"not" right before these is an answer ("No, I haven't"), not a negation of what follows.
NOT_NEGATED = _words("i we thanks thank problem worries idea way sure")
KNOWING = _words("know knew knwo realize realise realized realised")  # after a no: news, no judgement
# Who else may have watched with the person: "she loved it", "my kids really liked it" is their view, not theirs.
OTHER_VIEWERS = _words("she he wife husband kids son daughter boyfriend girlfriend friend friends mom dad mother "
                       "father brother sister partner everyone everybody")

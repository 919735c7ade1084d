"""Word lists the extraction rules consult: cue verbs, titles, outlets and page furniture.

Kept as plain data so that a newsroom can extend them without touching the rules.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word list written as running text, one entry per whitespace-separated word."""
    return frozenset(text.split())


# Verbs (lemmas) that introduce what somebody said, wrote or reported. A verb only yields a
# claim when the rules also find its content (a clause, a quotation or a verb-specific object),
# so the list can be broad without flooding the queue.
SPEECH_VERBS: frozenset[str] = words(
    """
    say tell add state declare announce explain note remark comment reply respond answer
    mention write tweet post report claim insist assert argue contend maintain suggest warn
    caution urge demand ask confirm deny admit acknowledge concede reveal disclose predict
    promise pledge vow threaten allege charge stress emphasize emphasise emphasis
    point chant shout scream yell cry testify conclude agree disagree indicate signal
    boast complain joke quip muse observe recount estimate propose recommend advise question
    wonder speculate hint affirm reiterate counter retort protest lament concur
    brief inform assure tell recall show find reckon guarantee swear confess interject
    announce order instruct caution insist proclaim profess object whisper mutter
    describe accuse condemn criticize criticise denounce blame praise dismiss reject call
    decry slam blast cite quote dispute
    """
)

# Verbs of saying proper: when the parse hides their content, the rest of the sentence is it.
SAYING_VERBS: frozenset[str] = words(
    "say tell add state declare announce explain note write tweet report claim insist assert "
    "argue contend maintain warn confirm deny admit acknowledge reveal predict stress "
    "emphasize emphasise testify conclude recall"
)

# Verbs of stance: what somebody supports, wants or criticises. PARC-style corpora count them
# as attributions; for a fact-checker they are weaker claims, so they score lower.
STANCE_VERBS: frozenset[str] = words(
    """
    support back endorse oppose want prefer like dislike thank mock ridicule refer discuss
    talk comment defend refuse offer tout ignore consider seek favor favour
    congratulate encourage remind promote pitch push demand applaud dismiss
    reject embrace highlight question challenge blast slam hail express advocate intend
    plan cast convince decline view portray paint label brand mention cite respond agree
    point echo address request press credit deride assail champion attribute list identify
    nominate rail vote speak focus deem decide remember imply reprimand discount urge
    """
)

# Separators that announce a quotation or a headline's claim: "Trump: Cruz has a long way".
COLON_CUE_EXCLUDED_LEADS: frozenset[str] = words(
    "watch note update updated photo photos video editor's editors note: read more related "
    "p.m. a.m. pm am q a"
)

# Verbs that report speech only when a quotation follows ("He continued: “…”").
QUOTE_ONLY_VERBS: frozenset[str] = words("continue read repeat begin go exclaim recapitulate")

# Pronoun objects that are a whole content for verbs of saying ("half said so").
PRONOUN_CONTENTS: frozenset[str] = words(
    "so yes no that this it nothing something anything everything much little otherwise"
)

# Subjects that report findings rather than speech ("the poll shows Clinton ahead").
EVIDENCE_NOUNS: frozenset[str] = words(
    """
    poll polls survey surveys study studies data figures numbers results result records
    report reports analysis research count tally estimates review investigation audit
    documents emails records filings
    """
)
EVIDENCE_VERBS: frozenset[str] = words("show find suggest indicate reveal put give")

# Verbs and adjectives with a that-clause that is not somebody's speech or belief ("it is
# likely that", "the result was that", "it means that").
NOT_ATTITUDE_VERBS: frozenset[str] = words(
    """
    be mean ensure see likely possible clear true unlikely probable certain
    evident obvious apparent so such seem appear happen matter follow result
    """
)

# Nouns that report what their owner said or thinks: "his criticism of X", "her claim that Y".
ATTRIBUTION_NOUNS: frozenset[str] = words(
    """
    statement claim claims remark remarks comment comments criticism criticisms attack attacks
    accusation accusations allegation allegations complaint complaints warning warnings
    promise promises pledge pledges call calls demand demands plea appeal announcement
    assertion argument arguments suggestion suggestions insistence denial admission
    assessment view views opinion opinions belief position stance support endorsement
    opposition praise defense defence description characterization prediction proposal
    plan plans vow threat threats insult insults question questions message tweet tweets
    testimony account explanation response reply decision rejection condemnation
    assurance concern concerns fear fears hope hopes doubts skepticism
    """
)
NOUN_CONTENT_PREPOSITIONS: frozenset[str] = words("of on about for against to over that")

# Verbs whose prepositional "to" names the addressee, not the content ("spoke to reporters").
ADDRESSEE_VERBS: frozenset[str] = words("speak talk write tweet post testify urge explain")

# Verbs whose content is "X as Y" only: "voters see him as a liar", "named her as a suspect".
AS_VERBS: frozenset[str] = words("see regard name identify characterize characterise")

# Verbs of seeming: an anonymous impression about their subject ("he appears to be winning").
SEEMING_VERBS: frozenset[str] = words("seem appear look sound")

# Cognition verbs: PARC-style attribution of beliefs. They need a clausal complement.
BELIEF_VERBS: frozenset[str] = words(
    "believe think feel hope hop fear expect doubt worry know suspect assume guess figure "
    "understand learn realize realise recognize recognise imagine"
)

# Verbs whose content is their object rather than a clause ("accused X of Y", "condemned X
# for Y", "described X as Y", "urged X to Y", "denied X", "confirmed X", "announced X").
OBJECT_CONTENT_VERBS: frozenset[str] = words(
    """
    accuse condemn criticize criticise denounce blame praise describe urge deny confirm
    announce dismiss reject call decry slam blast warn promise pledge vow
    threaten demand propose recommend ask predict reveal disclose acknowledge admit
    question dispute defend endorse support oppose order instruct allege chant declare
    mention cite respond agree point echo address request press credit deride assail
    champion attribute list identify nominate rail vote speak focus deem accept
    """
)

# Verbs that take a clausal or gerund complement as their content ("reported seeing flames").
XCOMP_CONTENT_VERBS: frozenset[str] = words(
    "report urge ask promise pledge vow threaten order instruct call warn advise claim "
    "decline refuse want plan seek intend hope expect decide agree press hop "
    "deny admit acknowledge recall"
)

# Single tokens or phrases that act as cues without a reporting verb.
ACCORDING_TO = ("according", "to")
CITING_LEMMAS: frozenset[str] = frozenset({"cite", "quote"})
STATEMENT_NOUNS: frozenset[str] = words(
    "statement interview tweet post letter speech release briefing remarks comments "
    "conference testimony memo report op-ed"
)

# Verbs that mark opinion or forecast: their claims are harder to check.
FORECAST_OR_OPINION_CUES: frozenset[str] = words(
    "warn urge predict hope fear expect believe think feel suggest promise pledge vow "
    "threaten chant shout call demand wonder speculate propose recommend advise "
    "support back endorse oppose want prefer like dislike thank mock ridicule praise "
    "criticize criticise"
)

PERSONAL_PRONOUNS_SINGULAR: frozenset[str] = frozenset({"he", "she", "him", "her"})
PERSONAL_PRONOUNS_PLURAL: frozenset[str] = frozenset({"they", "them"})
NEUTER_PRONOUNS: frozenset[str] = frozenset({"it"})
FIRST_SECOND_PERSON: frozenset[str] = frozenset(
    {"i", "we", "you", "me", "us", "my", "our", "your", "myself", "ourselves"}
)

# Plural nouns for groups of people: the antecedents a "they" can point back to.
HUMAN_GROUP_NOUNS: frozenset[str] = words(
    """
    protesters protestors demonstrators crowds crowd people officials leaders militiamen
    fighters soldiers troops forces residents witnesses activists students workers voters
    supporters critics analysts experts lawmakers legislators senators democrats republicans
    members police policemen authorities investigators prosecutors doctors medics rebels
    militants citizens iraqis americans iranians diplomats spokesmen spokespeople aides
    advisers advisors candidates journalists reporters observers organizers organisers
    campaigners delegates donors americans residents families parents teachers
    """
)

# Nouns that name a person by role when no name is given ("a spokesman", "the journalist").
PERSON_ROLE_NOUNS: frozenset[str] = words(
    """
    man woman person spokesman spokeswoman spokesperson journalist reporter correspondent
    editor official minister secretary president chairman chairwoman chair director leader
    commander general colonel officer senator congressman congresswoman representative
    governor mayor ambassador envoy diplomat adviser advisor aide analyst expert witness
    resident candidate nominee lawyer attorney prosecutor judge doctor professor researcher
    author strategist consultant pollster manager chief boss founder owner businessman
    activist protester protestor source insider member speaker host anchor pastor priest
    king queen prince premier chancellor
    """
)

# Heads of organisation descriptions that a definite description ("the ministry") can name.
ORGANISATION_NOUNS: frozenset[str] = words(
    """
    ministry government department council committee campaign office agency company party
    administration embassy army military militia group coalition commission court
    parliament congress senate house police bureau service organisation organization
    union association foundation institute board team firm bank network newspaper
    """
)

# Words in an organisation's name that make it a government body.
GOVERNMENT_WORDS: frozenset[str] = words(
    """
    ministry government department council administration embassy pentagon kremlin
    parliament congress senate house army military police state command forces
    commission presidency cabinet
    """
)
GOVERNMENT_PLURALS: frozenset[str] = words(
    "officials authorities diplomats ministers lawmakers legislators"
)

# News organisations and agencies (lower case, as matched against a speaker's name).
MEDIA_OUTLETS: frozenset[str] = frozenset(
    (
        "reuters",
        "ap",
        "associated press",
        "afp",
        "agence france-presse",
        "sky news",
        "sky",
        "bbc",
        "bbc news",
        "cnn",
        "fox news",
        "msnbc",
        "nbc",
        "nbc news",
        "abc",
        "abc news",
        "cbs",
        "cbs news",
        "npr",
        "the new york times",
        "new york times",
        "the washington post",
        "washington post",
        "the guardian",
        "guardian",
        "the times",
        "the wall street journal",
        "wall street journal",
        "bloomberg",
        "politico",
        "the hill",
        "axios",
        "al jazeera",
        "al-jazeera",
        "the telegraph",
        "the independent",
        "the economist",
        "usa today",
        "los angeles times",
        "the atlantic",
        "buzzfeed news",
        "huffington post",
        "the daily beast",
        "breitbart",
        "vox",
        "time",
        "newsweek",
        "yahoo news",
        "dpa",
        "xinhua",
        "tass",
        "irna",
        "isna",
        "fars",
        "tasnim",
        "press tv",
        "al arabiya",
        "al-arabiya",
        "kyodo",
        "yonhap",
        "efe",
        "ansa",
        "msn",
        "the new yorker",
        "slate",
        "mother jones",
        "national review",
        "des moines register",
        "the boston globe",
        "boston globe",
        "chicago tribune",
        "daily mail",
        "the sun",
        "the mirror",
        "financial times",
        "the ft",
        "ft",
    )
)
MEDIA_ROLE_WORDS: frozenset[str] = words(
    "newspaper agency broadcaster channel network outlet magazine website tv"
)

# Titles that precede a name: "Prime Minister Adel Abdul Mehdi". Multi-word ones are matched
# token by token, so only their words are needed here.
TITLE_WORDS: frozenset[str] = words(
    """
    president vice prime minister secretary assistant deputy under state foreign defense
    defence interior chief general senator sen. rep. representative gov. governor mayor
    ambassador king queen prince sheikh ayatollah supreme leader chairman chairwoman
    speaker spokesman spokeswoman commander col. colonel lt. gen. maj. major admiral
    adm. sgt. dr. mr. mrs. ms. judge justice attorney director editor correspondent
    """
)

# Whole lines of page furniture (matched case-insensitively against a stripped line).
FURNITURE_LINE_PATTERNS: tuple[str, ...] = (
    r"you are using an older browser version.*",
    r"please (use|upgrade to) a supported (version|browser).*",
    r"up next",
    r"ad ?choices",
    r"advertisement",
    r"sponsored( content)?",
    r"more from .{1,60}",
    r"(image beacon\s*)+",
    r"watch:.{0,150}",
    r"more follows.*",
    r"read more.{0,100}",
    r"related:.{0,150}",
    r"(related|recommended) (stories|articles|content)",
    r"share (this|on) .{0,60}",
    r"click here .{0,100}",
    r"sign up .{0,120}",
    r"subscribe .{0,100}",
    r"follow (us|@).{0,100}",
    r"skip to (main )?content",
    r"(image|photo|picture) (copyright|caption|credit).{0,200}",
    r"(photo|image|picture|video|credit)s?:.{0,120}",
    r"(©|\(c\)|copyright) .{0,120}",
    r"(getty images|afp|reuters|ap photo|epa)(/.{0,40})?",
    r"-{3,}",
    r"(title|publisher|original url|publication date|licence|license|retrieval note|"
    r"source|url|byline|author|date):.*",
    r"(previous|next) (article|story|slide)",
    r"loading\W*",
    r"(comments?|\d+ comments?)",
    r"(this|the) (story|article) (has been|was|is being) (updated|corrected|amended).{0,160}",
    # Graphic and link labels: "(Graphic: Global assets in 2019 - here)".
    r"\(?(graphic|graphics|interactive|factbox|fact box|explainer|chart|map|gallery)s?"
    r"\s*:.{0,200}",
    # Credit lines: "Alex Isenstadt contributed to this report.", "Reporting by …; Editing by …".
    r".{2,200} contributed( reporting)? to this (report|story|article)\.?",
    r"\(?(additional )?(reporting|writing|editing|compiled) by .{2,300}",
    # Related-story links: "SEE MORE", "Also on rt.com …", a headline tagged "[VIDEO]".
    r"see (more|also).{0,150}",
    r"also on [\w-]+(\.[\w-]+)+\b.{0,200}",
    r"(more|also read|read also|related coverage)\s*:.{0,150}",
    r".{0,150}\[(video|videos|photos?|watch|gallery|poll|listen)\]",
    # Newsroom boilerplate under letters and opinion pieces.
    r".{0,100} is committed to publishing a diversity of .{0,300}",
    r".{0,60}we(.d| would) like to hear what you think.{0,300}",
    r"follow .{1,80} on (facebook|twitter|instagram|linkedin|youtube)\b.{0,120}",
    # A caption that ends with its credit: "… in Pierre on Monday. Photo: AP".
    r".{0,400}[\s(]photo(graph)?s?\s*:\s*(?-i:[A-Z])[\w.&'/ -]{0,60}\)?",
    # Broadcast and page date lines: "Written: 2019-10-12 15:30", "Updated: …".
    r"(written|updated|posted|published|modified)\s*(on)?\s*:.{0,80}",
    r"\[(anchor|anchor lead|lead|pkg|report|reporter|sot|vo)\]",
)

# Labels of a broadcast transcript's lines ("Anchor: …", "[Anchor Lead]"): they say who reads
# the line on air; the words are the outlet's own.
BROADCAST_LABELS: tuple[str, ...] = (
    "anchor lead",
    "anchor",
    "pkg",
    "sot",
    "narration",
    "voice-over",
    "vo",
)
# "Report: …" is a broadcast label only in a transcript that has an anchor; above a news
# story it is a headline's source ("Report: Walker to speak at convention").
BROADCAST_REPORT_LABELS: tuple[str, ...] = ("report", "reporter")

# Beginnings of machine-written image descriptions ("a group of people standing in front of a
# crowd:"). They are lower case, short and end in a colon before the caption.
ALT_TEXT_OPENINGS: tuple[str, ...] = (
    "a",
    "an",
    "the",
    "two",
    "three",
    "four",
    "several",
    "some",
    "close up",
    "people",
    "man",
    "woman",
)

# Marks that open and close quotations. Straight marks open and close alike.
OPENING_QUOTES = "\u201c\u00ab\u201e"  # “ « „
CLOSING_QUOTES = "\u201d\u00bb"  # ” »
STRAIGHT_QUOTE = '"'
DOUBLED_APOSTROPHE = "''"
ALL_DOUBLE_QUOTES = '"\u201c\u201d\u00ab\u00bb\u201e'
SINGLE_OPENING = "\u2018"  # ‘
SINGLE_CLOSING = "\u2019"  # ’

# Words that mark opinion, emotion or evaluation rather than checkable fact.
OPINION_WORDS: frozenset[str] = words(
    """
    absolute absolutely hatred hate love terrible horrible awful great wonderful disgrace
    disgraceful shameful outrageous unacceptable vicious ridiculous stupid best worst
    amazing incredible tremendous beautiful sad evil wrong right should must believe
    think feel hope wish fear deserve deserves disastrous catastrophic dangerous
    """
)
MODAL_WORDS: frozenset[str] = words("will would could may might should shall must can 'll")

# English function words for the cheap language guess.
ENGLISH_STOPWORDS: frozenset[str] = words(
    """
    the of and to in a is that for it was on with as he she they be by at this have from
    or an are his her not but were had has which their been we i you said will would who
    there its our if more than about after when also into over
    """
)

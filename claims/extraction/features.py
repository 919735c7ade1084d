"""Check-worthiness features: what in a sentence or claim makes fact-checkers pick it.

Each feature is a number in [0, 1] with a plain meaning, so that a reviewer can read why a claim
ranks where it does (``ranker.explain``). They are computed on the spaCy tokens of the whole
claim — speaker, cue and content, or the whole sentence — and on the speaker's role, never on a
fragment alone. The linear model in ``ranker.py`` weighs them; the weights were fitted on
fact-checkers' picks (see there).

The word lists below are data, kept apart from the rules that read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from . import lexicon

# --- Roles ------------------------------------------------------------------------------------
# What a speaker is in the text: a transcript's turn labels and header, or an article's
# attributed speaker, are mapped to one of these (``transcripts.guess_roles``,
# ``scoring.role_of_speaker``).
ROLE_CANDIDATE = "candidate"
ROLE_OFFICIAL = "official"
ROLE_MODERATOR = "moderator"
ROLE_HOST = "host"
ROLE_AUDIENCE = "audience"  # the audience, a questioner from the floor, stage directions
ROLES = (ROLE_CANDIDATE, ROLE_OFFICIAL, ROLE_MODERATOR, ROLE_HOST, ROLE_AUDIENCE)

# --- Vocabulary -------------------------------------------------------------------------------
NUMBER_LABELS = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY"})
CHECKABLE_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "DATE", "EVENT", "FAC", "LOC", "LAW", "PRODUCT"}
)
PLACE_OR_ORGANISATION_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})
TIME_LABELS = frozenset({"DATE", "TIME"})
LARGE_NUMBER_WORDS = lexicon.words("hundred hundreds thousand thousands million millions billion")
LARGE_NUMBER_WORDS |= lexicon.words("billions trillion trillions dozens")
PERCENT_OR_MONEY_WORDS = lexicon.words("percent per cent % $ £ € dollars pounds euros")
# Quantities set against each other: "more than", "doubled", "the highest since".
COMPARISON_WORDS = lexicon.words(
    """
    more less fewer than double doubled triple tripled half twice times increase increased
    increases decrease decreased rise rose risen fall fell fallen drop dropped grow grew grown
    cut cuts highest lowest largest biggest smallest record most least majority minority
    average compared since
    """
)
COMPARISON_TAGS = frozenset({"JJR", "JJS", "RBR", "RBS"})
# Words of measured things: statistics, rates and the figures that public debate is made of.
STATISTICS_WORDS = lexicon.words(
    """
    percent percentage rate rates number numbers statistics statistic figures data survey poll
    polls average total tally count population deficit debt budget gdp growth unemployment
    unemployed employment jobs job wages wage income incomes poverty inflation revenue
    spending cost costs price prices deaths killed died casualties injured wounded arrested
    victims troops personnel soldiers forces
    """
)
# Policy and public life: what governments do and are held to.
POLICY_WORDS = lexicon.words(
    """
    tax taxes taxpayer taxpayers law laws bill bills legislation act regulation regulations
    vote voted votes voting policy policies program programs programme programmes plan
    healthcare health medicare medicaid obamacare insurance social security pension pensions
    immigration immigrants immigrant illegal border refugees visa deport deported trade
    tariffs tariff nafta deal treaty agreement sanctions nuclear military war army navy
    defense defence weapons isis terrorism terrorist terrorists police crime crimes murder
    murders gun guns violence prison court courts judge supreme education schools school
    college tuition student students energy oil gas coal climate emissions environment
    economy economic manufacturing industry companies company banks wall street government
    federal administration congress senate parliament minister ministry embassy ambassador
    strikes airstrikes militia attack attacks
    """
)
# Words that hedge or signal a belief rather than a fact.
HEDGE_WORDS = lexicon.words(
    """
    think thinks thought believe believes maybe perhaps probably possibly likely seem seems
    seemed guess suppose hope hopes hoped feel feels felt wish expect expects might could
    should would apparently allegedly sort kind
    """
)
# Evaluation, emotion and exhortation: opinion and rhetoric, not facts.
OPINION_WORDS = (lexicon.OPINION_WORDS | lexicon.FORECAST_OR_OPINION_CUES) - HEDGE_WORDS
# Courtesy and stage business in transcripts: greetings, thanks, applause.
COURTESY_WORDS = lexicon.words(
    """
    thank thanks welcome hello goodnight evening morning applause laughter crosstalk
    booing cheers cheering congratulations pleasure honored honoured ladies gentlemen
    """
)
FIRST_PERSON = lexicon.words("i we me us my our myself ourselves")
SECOND_PERSON = lexicon.words("you your yours yourself yourselves")
NEGATIONS = lexicon.words("not n't never no nobody nothing none neither nor")
PAST_TAGS = frozenset({"VBD"})
PRESENT_TAGS = frozenset({"VBZ", "VBP"})
MAX_ENTITIES = 4
MAX_WORDS = 40
SHORT_WORDS = 5

FEATURE_NAMES: tuple[str, ...] = (
    "number",
    "large_number",
    "percent_or_money",
    "comparison",
    "entities",
    "person",
    "place_or_organisation",
    "date_or_time",
    "statistics_vocabulary",
    "policy_vocabulary",
    "past_tense",
    "perfect_aspect",
    "present_tense",
    "future_or_modal",
    "first_person_past_action",
    "first_person",
    "second_person",
    "negation",
    "hedge",
    "opinion",
    "courtesy",
    "question",
    "exclamation",
    "length",
    "short",
    "role_moderator_or_host",
    "role_audience",
)


def claim_features(
    tokens: Iterable, *, role: str | None = None, proposition: Iterable | None = None
) -> list[float]:
    """The feature vector (in ``FEATURE_NAMES`` order) of a claim or sentence.

    ``tokens`` are spaCy tokens: a Span, a Doc, or the tokens of a claim's speaker, cue and
    content together. ``proposition`` are the tokens of what is claimed (an attributed claim's
    content): tense, aspect and modality are read there when it has a verb, since "said" is the
    time of the saying, not of what was said. ``role`` is one of ``ROLES``, or None for the
    outlet's own voice and for speakers of no known role. Candidates, officials and None share
    the baseline: the training transcripts cannot tell them apart, while moderators, hosts and
    the audience rank lower.
    """
    tokens = [t for t in tokens if not t.is_space]
    words = [t for t in tokens if not t.is_punct]
    verbs = [t for t in (proposition or ()) if not t.is_punct and not t.is_space]
    if not any(t.pos_ in ("VERB", "AUX") for t in verbs):
        verbs = words
    lower_set = {t.lower_ for t in words}
    entities = [
        t.ent_type_ for t in tokens if t.ent_iob_ == "B" and t.ent_type_ in CHECKABLE_LABELS
    ]
    entity_types = {t.ent_type_ for t in tokens}
    number = any(t.like_num or t.ent_type_ in NUMBER_LABELS for t in tokens)
    values = {
        "number": number,
        "large_number": bool(lower_set & LARGE_NUMBER_WORDS) or any(_is_large(t) for t in tokens),
        "percent_or_money": bool(entity_types & {"PERCENT", "MONEY"})
        or bool({t.lower_ for t in tokens} & PERCENT_OR_MONEY_WORDS),
        "comparison": any(t.tag_ in COMPARISON_TAGS for t in words)
        or bool(lower_set & COMPARISON_WORDS),
        "entities": min(len(entities), MAX_ENTITIES) / MAX_ENTITIES,
        "person": "PERSON" in entity_types,
        "place_or_organisation": bool(entity_types & PLACE_OR_ORGANISATION_LABELS),
        "date_or_time": bool(entity_types & TIME_LABELS),
        "statistics_vocabulary": min(2, _count_in(words, STATISTICS_WORDS)) / 2,
        "policy_vocabulary": min(2, _count_in(words, POLICY_WORDS)) / 2,
        "past_tense": any(t.tag_ in PAST_TAGS for t in verbs),
        "perfect_aspect": any(_is_perfect(t) for t in verbs),
        "present_tense": any(t.tag_ in PRESENT_TAGS for t in verbs),
        "future_or_modal": any(t.tag_ == "MD" for t in verbs) or _going_to(verbs),
        "first_person_past_action": any(_first_person_past(t) for t in verbs),
        "first_person": any(_is_first_person(t) for t in words),
        "second_person": bool(lower_set & SECOND_PERSON),
        "negation": bool(lower_set & NEGATIONS),
        "hedge": bool(lower_set & HEDGE_WORDS),
        "opinion": min(2, _count_in(words, OPINION_WORDS)) / 2,
        "courtesy": bool(lower_set & COURTESY_WORDS),
        "question": any(t.text == "?" for t in tokens),
        "exclamation": any(t.text == "!" for t in tokens),
        "length": min(len(words), MAX_WORDS) / MAX_WORDS,
        "short": len(words) < SHORT_WORDS,
        "role_moderator_or_host": role in (ROLE_MODERATOR, ROLE_HOST),
        "role_audience": role == ROLE_AUDIENCE,
    }
    return [float(values[name]) for name in FEATURE_NAMES]


def as_dict(vector: Sequence[float]) -> dict[str, float]:
    """A feature vector by name, for tests and explanations."""
    return dict(zip(FEATURE_NAMES, vector, strict=True))


def _count_in(words: list, vocabulary: frozenset[str]) -> int:
    """Words in ``vocabulary`` as written or by lemma ("taxes", "urged")."""
    return sum(1 for t in words if t.lower_ in vocabulary or t.lemma_ in vocabulary)


def _is_large(token) -> bool:
    text = token.text.replace(",", "")
    # isdecimal, not isdigit: "¹" is a digit that int() refuses.
    if not text.isdecimal():
        return False
    # A four-digit number from 1900 to 2099 is most likely a year, not a count.
    return int(text) >= 1000 and not (len(text) == 4 and text[:2] in ("19", "20"))


def _is_perfect(token) -> bool:
    """'have broken', 'has been deployed', 'had voted'."""
    return token.tag_ == "VBN" and any(
        child.dep_ == "aux" and child.lemma_ == "have" for child in token.children
    )


def _going_to(words: list) -> bool:
    """'We are going to end …': a promise, like 'will'."""
    for index in range(len(words) - 2):
        if words[index].lower_ == "going" and words[index + 1].lower_ == "to":
            return words[index + 2].tag_ == "VB"
    return any(t.lower_ == "gon" for t in words)


def _is_first_person(token) -> bool:
    # "US" the country is not "us".
    return token.lower_ in FIRST_PERSON and token.text != "US"


def _first_person_past(token) -> bool:
    """'I voted against', 'we have cut': a speaker's own record, which can be checked."""
    if token.lower_ not in ("i", "we") or not token.dep_.startswith("nsubj"):
        return False
    verb = token.head
    return verb.tag_ in PAST_TAGS or _is_perfect(verb) or _is_perfect_passive(verb)


def _is_perfect_passive(token) -> bool:
    return token.tag_ == "VBN" and any(child.dep_ == "auxpass" for child in token.children)

"""Check-worthiness: how much a claim is worth a fact-checker's time, as a score in [0, 1].

The score is a transparent sum of features, so that a reviewer can see why a claim sits high
or low in the queue (weights were set by hand on the reference article and the corpus texts).
What counts is how checkable the content is — a concrete event or state, with names, numbers
and a past or present tense — not who says it: a wire agency or an official reporting a fact
scores like the outlet stating it, and a little higher when somebody can be asked.

- numbers (cardinals, percentages, money, quantities, digits): +0.25 — counts can be checked;
- named entities (people, organisations, places, dates, events): +0.07 each, at most +0.21;
- a finite verb in the past or present tense ("hit", "have broken", "are not in the building"):
  +0.10 — events and states can be checked, forecasts and exhortations ("to desist") not;
- a named speaker: +0.05 — somebody can be asked;
- a report that cites its own sources ("…, citing Iraqi officials"): +0.05;
- a modal or future ("will", "could", "may"): -0.15 — a forecast;
- opinion and emotion words ("unacceptable", "hatred", "believe"): -0.10 each, at most -0.20;
- a cue of opinion, exhortation or forecast ("urged", "warned", "hoped", "chanted"): -0.10;
- an exclamation or a question: -0.25 — chants and rhetoric;
- first or second person ("we", "you") in the content: -0.05;
- very short content (fewer than five words): -0.15.
The sum starts from 0.40 and is clipped to [0, 1].
"""

from __future__ import annotations

from . import lexicon

BASE_SCORE = 0.40
NUMBER_WEIGHT = 0.25
ENTITY_WEIGHT = 0.07
MAX_ENTITY_BONUS = 0.21
TENSE_WEIGHT = 0.10
NAMED_SPEAKER_WEIGHT = 0.05
CITED_SOURCE_WEIGHT = 0.05
MODAL_PENALTY = 0.15
OPINION_PENALTY = 0.10
MAX_OPINION_PENALTY = 0.20
OPINION_CUE_PENALTY = 0.10
EXCLAMATION_PENALTY = 0.25
PERSONAL_PENALTY = 0.05
SHORT_PENALTY = 0.15
# Past (VBD), perfect or passive participle (VBN) and present (VBZ, VBP) verbs.
FINITE_OR_PERFECT_TAGS = frozenset({"VBD", "VBN", "VBZ", "VBP"})
NUMBER_LABELS = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY"})
CHECKABLE_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "DATE", "EVENT", "FAC", "LOC", "LAW", "PRODUCT"}
)


def score(
    tokens, *, cue_lemma: str = "", named_speaker: bool = False, cites_sources: bool = False
) -> float:
    """Check-worthiness of a claim whose content is ``tokens`` (a spaCy Span or token list)."""
    tokens = [t for t in tokens if not t.is_space]
    words = [t for t in tokens if not t.is_punct]
    value = BASE_SCORE
    if any(t.like_num or t.ent_type_ in NUMBER_LABELS for t in tokens):
        value += NUMBER_WEIGHT
    entity_starts = sum(1 for t in tokens if t.ent_iob_ == "B" and t.ent_type_ in CHECKABLE_LABELS)
    value += min(MAX_ENTITY_BONUS, ENTITY_WEIGHT * entity_starts)
    if any(t.tag_ in FINITE_OR_PERFECT_TAGS for t in tokens):
        value += TENSE_WEIGHT
    if named_speaker:
        value += NAMED_SPEAKER_WEIGHT
    if cites_sources:
        value += CITED_SOURCE_WEIGHT
    if any(t.lower_ in lexicon.MODAL_WORDS and t.tag_ == "MD" for t in tokens):
        value -= MODAL_PENALTY
    opinions = sum(1 for t in words if t.lower_ in lexicon.OPINION_WORDS)
    value -= min(MAX_OPINION_PENALTY, OPINION_PENALTY * opinions)
    if cue_lemma in lexicon.FORECAST_OR_OPINION_CUES:
        value -= OPINION_CUE_PENALTY
    if any(t.text in ("!", "?") for t in tokens):
        value -= EXCLAMATION_PENALTY
    if any(is_first_or_second_person(t) for t in words):
        value -= PERSONAL_PENALTY
    if len(words) < 5:
        value -= SHORT_PENALTY
    return round(min(1.0, max(0.0, value)), 3)


def is_first_or_second_person(token) -> bool:
    """'we', 'you', 'us' — but not 'US', the country."""
    return token.lower_ in lexicon.FIRST_SECOND_PERSON and token.text != "US"

"""A suggested stance for a candidate passage, with the reason a reviewer can check at a glance.

Never a decision: the evidence's stance stays "not reviewed" until a person sets it. The rules
are few and explainable: figures that count the same thing and disagree ("numbers disagree: 25
in the claim, 19 here"), a fact-checker's own rating, or a passage that carries the claim's
names, figures and most of its key terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.corroboration.queries import (
    ClaimQuery,
    Quantity,
    content_words,
    entities,
    quantities,
    word_set,
)

SUPPORTS = "supports"
REFUTES = "refutes"
CONTEXT = "context"

# Share of the claim's key terms a passage must carry to be suggested as support.
SUPPORT_COVERAGE = 0.5

# How fact-checkers' textual ratings read; matched on whole words, lower-case.
FALSE_RATINGS = word_set(
    "false incorrect wrong fake fabricated misleading inaccurate untrue unsupported baseless "
    "pants-on-fire pants hoax debunked distorted exaggerated mostly-false"
)
TRUE_RATINGS = word_set("true correct accurate mostly-true verified")

_DOTTED_ACRONYM = re.compile(r"\b(?:[A-Za-z]\.){2,}")


@dataclass(frozen=True)
class Suggestion:
    stance: str
    reason: str


def normalise(text: str) -> str:
    """Spell acronyms one way ("U.S." → "US") so that passages and claims compare."""
    return _DOTTED_ACRONYM.sub(lambda m: m.group().replace(".", "").upper() + " ", text)


def stem(word: str) -> str:
    """A crude English stem, enough to match "strikes"/"strike" and "attacked"/"attack"."""
    word = word.lower()
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


def coverage(query: ClaimQuery, passage: str) -> tuple[float, list[str]]:
    """Share of the claim's key terms that the passage carries, and those terms."""
    wanted = {stem(t): t for t in content_words(normalise(query.text))}
    if not wanted:
        return 0.0, []
    present = {stem(w) for w in content_words(normalise(passage))}
    shared = [term for key, term in wanted.items() if key in present]
    return len(shared) / len(wanted), shared


def suggest_stance(
    query: ClaimQuery, passage: str, *, rating: str = "", match: float | None = None
) -> Suggestion | None:
    """The stance the passage seems to take towards the claim, or None when it is unclear.

    `match` is the passage's score against the claim when the caller has it (names weighing
    more than other words); otherwise the plain share of the claim's key terms is used."""
    if rating:
        verdict = _rating_stance(rating)
        if verdict is not None:
            return verdict
    passage = normalise(passage)
    if not passage.strip():
        return None
    conflict, agreement = _compare_numbers(query.quantities, quantities(passage))
    if conflict:
        return Suggestion(REFUTES, conflict)
    share, shared = coverage(query, passage)
    if match is not None:
        share = match
    if share < SUPPORT_COVERAGE:
        return None
    passage_lower = passage.lower()
    missing = [e for e in query.entities if not _mentions(passage_lower, e)]
    if len(missing) > max(0, len(query.entities) // 3):
        return None  # the same words about other people or places
    if agreement:
        return Suggestion(SUPPORTS, agreement)
    terms = ", ".join(shared[:5])
    return Suggestion(SUPPORTS, f"the passage says the same about {terms}")


def _mentions(passage_lower: str, entity: str) -> bool:
    key = entity.lower()
    if key in passage_lower:
        return True
    # "US Assistant Secretary of State David Schenker" is mentioned as "Schenker".
    names = [w for w in entities(entity) for w in w.split() if len(w) > 3]
    return bool(names) and names[-1].lower() in passage_lower


def _rating_stance(rating: str) -> Suggestion | None:
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)*", rating.lower()))
    joined = "-".join(rating.lower().split())
    if words & FALSE_RATINGS or joined in FALSE_RATINGS:
        return Suggestion(REFUTES, f"a fact-checker rated a similar claim “{rating}”")
    if words & TRUE_RATINGS or joined in TRUE_RATINGS:
        return Suggestion(SUPPORTS, f"a fact-checker rated a similar claim “{rating}”")
    return Suggestion(CONTEXT, f"a fact-checker rated a similar claim “{rating}”")


def _compare_numbers(claimed: tuple[Quantity, ...], found: list[Quantity]) -> tuple[str, str]:
    """(a disagreement, an agreement), each a reason or empty; a disagreement wins."""
    agreement = ""
    for wanted in claimed:
        if not wanted.unit_words:
            continue
        same_measure = [q for q in found if q.unit_words and wanted.same_measure(q)]
        if not same_measure:
            continue
        if any(_agrees(wanted, q) for q in same_measure):
            agreement = agreement or f"the same figure: {wanted.text} {_unit(wanted)}".strip()
            continue
        other = same_measure[0]
        return f"numbers disagree: {wanted.text} in the claim, {other.text} here", ""
    return "", agreement


def _agrees(claimed: Quantity, found: Quantity) -> bool:
    return claimed.agrees_with(found)


def _unit(quantity: Quantity) -> str:
    return " ".join(quantity.unit)

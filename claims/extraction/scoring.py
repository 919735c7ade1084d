"""Check-worthiness: how much a claim or sentence is worth a fact-checker's time, in [0, 1].

Every sentence of a text is a candidate with a score, whether or not extraction made a claim of
it: the rules that decide what becomes a claim (no first person in the outlet's voice, no
modal…) do not decide what can rank. A claim is scored as a whole — its speaker, cue and
content together, with the speaker's role — never as the fragment that is its content:
"Senator Sanders voted against the Brady Bill" is scored, not "against the Brady Bill".

The features are in ``features.py`` and the fitted linear model in ``ranker.py``;
``rank_sentences`` is the measuring contract of ``python -m claims.extraction
--rank-sentences`` and runs exactly the code that scores claims in the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import lexicon, ranker
from .features import (
    CHECKABLE_LABELS,
    NUMBER_LABELS,
    ROLE_OFFICIAL,
    claim_features,
)
from .segmenting import parse
from .speakers import Speaker
from .transcripts import guess_roles

__all__ = [
    "CHECKABLE_LABELS",
    "NUMBER_LABELS",
    "is_first_or_second_person",
    "rank_sentences",
    "role_of_speaker",
    "score",
    "sentence_features",
]

# Words in an attributed speaker's role that make them an office holder, whose claims
# fact-checkers pick like a candidate's.
OFFICE_WORDS = lexicon.words(
    """
    president vice secretary minister senator sen. governor gov. mayor congressman
    congresswoman representative rep. ambassador spokesman spokeswoman spokesperson
    chancellor chairman chairwoman chair commissioner general admiral official officials
    premier prime leader candidate nominee mp mep speaker attorney sheriff chief
    """
)


def score(
    tokens: Iterable, *, role: str | None = None, proposition: Iterable | None = None
) -> float:
    """Check-worthiness of a claim or sentence: ``tokens`` are its spaCy tokens (speaker, cue
    and content together for a claim), ``proposition`` the content's tokens, ``role`` the
    speaker's role (``features.ROLES``)."""
    return ranker.score(claim_features(tokens, role=role, proposition=proposition))


def role_of_speaker(speaker: Speaker | None) -> str | None:
    """An article's attributed speaker as a role: governments and people with an office are
    officials; journalists, outlets, other people and unnamed sources have no role weight."""
    if speaker is None or not speaker.name:
        return None
    if speaker.kind == "government":
        return ROLE_OFFICIAL
    role_words = set((speaker.role or "").lower().replace(",", " ").split())
    if speaker.kind in ("person", "organisation") and role_words & OFFICE_WORDS:
        return ROLE_OFFICIAL
    return None


def rank_sentences(documents: Iterable[dict], *, n_process: int = 1) -> Iterator[dict]:
    """Scores for transcripts given as sentences: the contract of ``--rank-sentences``.

    Each document is ``{"id", "sentences": [{"i", "speaker", "text"}]}``; each result is
    ``{"id", "scores": [{"i", "score"}]}``, in the same order.
    """
    documents = list(documents)
    for document, vectors in zip(
        documents, sentence_features(documents, n_process=n_process), strict=True
    ):
        sentences = document.get("sentences") or []
        yield {
            "id": document.get("id"),
            "scores": [
                {"i": sentence.get("i"), "score": ranker.score(vector)}
                for sentence, vector in zip(sentences, vectors, strict=True)
            ],
        }


def sentence_features(documents: list[dict], *, n_process: int = 1) -> Iterator[list[list[float]]]:
    """The feature vectors of each document's sentences (see ``rank_sentences``).

    Speakers' roles are guessed from their labels and what they say, as for an ingested
    transcript (``transcripts.guess_roles``). The fitting script reads the same vectors.
    """
    for parsed in parsed_sentences(documents, n_process=n_process):
        roles = guess_roles((label, doc.text) for label, doc in parsed)
        yield [claim_features(doc, role=roles.get(label)) for label, doc in parsed]


def parsed_sentences(documents: list[dict], *, n_process: int = 1) -> Iterator[list[tuple]]:
    """Each document's sentences as ``(speaker label, spaCy doc)``, parsed in one stream."""
    texts = (
        str(sentence.get("text") or "")
        for document in documents
        for sentence in document.get("sentences") or []
    )
    docs = iter(parse(texts, n_process=n_process))
    for document in documents:
        yield [(str(s.get("speaker") or ""), next(docs)) for s in document.get("sentences") or []]


def is_first_or_second_person(token) -> bool:
    """'we', 'you', 'us' — but not 'US', the country."""
    return token.lower_ in lexicon.FIRST_SECOND_PERSON and token.text != "US"

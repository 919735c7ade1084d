""" "Already fact-checked": a claim matched against imported fact-checks and our own verdicts.

One function, `match_fact_checks`, serves the claim page (through `claims.services.matches`),
the queue, and `python manage.py match_claims`, so that what the benchmark measures is what
reviewers see.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from claims.corroboration.archive import archive_search
from claims.corroboration.passages import ClaimQuery, RankedHit, rerank
from claims.models import ArchiveDocument

MATCH_KINDS = (ArchiveDocument.Kind.FACT_CHECK, ArchiveDocument.Kind.VERDICT)
# Keyword search proposes this many; re-ranking orders them. More costs time, not accuracy:
# the right fact-check is almost always among the first fifty.
CANDIDATES = 50


@dataclass
class FactCheckMatch:
    document: ArchiveDocument
    score: float  # 0 to 1, comparable across claims
    reasons: list[str]

    @property
    def url(self) -> str:
        return self.document.url

    @property
    def claim_reviewed(self) -> str:
        return self.document.reviewed_claim

    @property
    def rating(self) -> str:
        return self.document.rating_name

    @property
    def publisher(self) -> str:
        return self.document.outlet_name

    def as_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "claim_reviewed": self.claim_reviewed,
            "rating": self.rating,
            "publisher": self.publisher,
            "score": round(self.score, 4),
        }


def match_fact_checks(
    text: str,
    *,
    speaker: str = "",
    top: int = 5,
    exclude_verdict_ids: Collection[int] = (),
    candidates: int = CANDIDATES,
    use_semantic: bool | None = None,
) -> list[FactCheckMatch]:
    """The fact-checks (theirs and ours) that best match the claim, best first."""
    if top <= 0:
        return []
    hits = archive_search(text, limit=max(candidates, top), kinds=MATCH_KINDS)
    if exclude_verdict_ids:
        excluded = set(exclude_verdict_ids)
        hits = [hit for hit in hits if hit.document.verdict_id not in excluded]
    ranked: list[RankedHit] = rerank(
        ClaimQuery(text=text, speaker=speaker), hits, use_semantic=use_semantic
    )
    return [FactCheckMatch(item.document, item.score, item.reasons) for item in ranked[:top]]

"""Scoring extracted attributions against gold ones, the way our evaluation data is scored.

Gold documents are `{"id", "text", "attributions": [{"source": {"start", "end", "text"} | None,
"cue": {...} | None, "content": {"start", "end", "text"}, "kind"}]}`; predictions are the
`python -m claims.extraction --jsonl` lines, `{"id", "claims": [{"kind", "speaker",
"speaker_span", "cue_span", "content_span"}]}`.

The metric is the usual partial-match one for attribution (PARC-style): a predicted claim
matches a gold attribution when their content spans overlap by at least half of the shorter
one, each used once. The source is right when the predicted speaker's span overlaps the gold
source's span, or the speaker's name ends in the same word as the gold source's text ("Mr
Trump" for "Donald Trump"). Claims in the outlet's own voice are not attributions and are left
out of the predictions. Pure Python: the export of reviewers' corrections and the benchmarks
both use it.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Span = Sequence[int] | None

# Words that end a name without being the name ("the Pentagon's" → "pentagon").
_NOT_NAMES = frozenset({"the", "a", "an", "'s"})


def overlap(first: Span, second: Span) -> int:
    """Characters two spans share (0 when either is missing)."""
    if not first or not second:
        return 0
    return max(0, min(first[1], second[1]) - max(first[0], second[0]))


def half_match(predicted: Span, gold: Span) -> bool:
    """Whether the spans overlap by at least half of the shorter one."""
    shared = overlap(predicted, gold)
    if shared <= 0 or predicted is None or gold is None:
        return False
    return shared >= 0.5 * min(predicted[1] - predicted[0], gold[1] - gold[0])


def last_word(name: str | None) -> str | None:
    words = [word.strip(".,'\"’").lower() for word in (name or "").split()]
    words = [word for word in words if word and word not in _NOT_NAMES]
    return words[-1] if words else None


def source_right(predicted: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    source = gold.get("source")
    if not source:
        return predicted.get("speaker") in (None, "")
    if overlap(predicted.get("speaker_span"), (source["start"], source["end"])) > 0:
        return True
    word = last_word(predicted.get("speaker"))
    return word is not None and word == last_word(source.get("text"))


@dataclass(frozen=True)
class AttributionScore:
    documents: int
    gold: int
    predicted: int
    matched: int
    source_right: int

    @property
    def content_precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def content_recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def content_f1(self) -> float:
        return _f1(self.content_precision, self.content_recall)

    @property
    def attribution_f1(self) -> float:
        """Content matched and source right, against everything predicted and all gold."""
        precision = self.source_right / self.predicted if self.predicted else 0.0
        recall = self.source_right / self.gold if self.gold else 0.0
        return _f1(precision, recall)

    def summary(self) -> str:
        return (
            f"docs={self.documents} gold={self.gold} predicted={self.predicted}\n"
            f"content P={self.content_precision:.3f} R={self.content_recall:.3f} "
            f"F1={self.content_f1:.3f}; "
            f"source right on matched={self.source_right}/{self.matched}\n"
            f"attribution F1={self.attribution_f1:.3f} (content and source right)"
        )


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_attributions(
    gold_documents: Iterable[Mapping[str, Any]], predictions: Iterable[Mapping[str, Any]]
) -> AttributionScore:
    """Score predictions against gold, document by document (matched by `id`)."""
    predicted_by_id = {str(document["id"]): document for document in predictions}
    documents = gold = predicted = matched = right = 0
    for document in gold_documents:
        documents += 1
        claims = [
            claim
            for claim in predicted_by_id.get(str(document["id"]), {}).get("claims", [])
            if claim.get("kind") != "unattributed"
        ]
        used: set[int] = set()
        for attribution in document["attributions"]:
            gold += 1
            content = (attribution["content"]["start"], attribution["content"]["end"])
            hit = next(
                (
                    index
                    for index, claim in enumerate(claims)
                    if index not in used and half_match(claim.get("content_span"), content)
                ),
                None,
            )
            if hit is None:
                continue
            used.add(hit)
            matched += 1
            right += source_right(claims[hit], attribution)
        predicted += len(claims)
    return AttributionScore(
        documents=documents, gold=gold, predicted=predicted, matched=matched, source_right=right
    )


def gold_as_prediction(document: Mapping[str, Any]) -> dict[str, Any]:
    """A gold document's attributions written as the extractor's predictions: what a perfect
    extractor would say. Scoring gold against this must give 1.0 on every measure."""
    claims = []
    for attribution in document["attributions"]:
        source, cue, content = (
            attribution.get("source"),
            attribution.get("cue"),
            attribution["content"],
        )
        claims.append(
            {
                "kind": attribution.get("kind") or "indirect",
                "speaker": source["text"] if source else None,
                "speaker_span": [source["start"], source["end"]] if source else None,
                "cue_span": [cue["start"], cue["end"]] if cue else None,
                "content_span": [content["start"], content["end"]],
            }
        )
    return {"id": document["id"], "claims": claims}


def _read_jsonl(path: str) -> list[dict[str, Any]]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """`python -m claims.extraction.evaluation GOLD.jsonl PRED.jsonl`: print the scores."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.stderr.write("usage: python -m claims.extraction.evaluation GOLD.jsonl PRED.jsonl\n")
        return 2
    print(score_attributions(_read_jsonl(args[0]), _read_jsonl(args[1])).summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())

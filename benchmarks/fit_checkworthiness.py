"""Fit the check-worthiness ranker's weights on CheckThat! 2019 task 1 training debates.

usage: python benchmarks/fit_checkworthiness.py PATH/ct2019_train.jsonl [--l2 X]

Reads the debates by path (lines ``{"id", "sentences": [{"i", "speaker", "text", "label"}]}``;
the data is free for research use and never copied into the repository), computes every
sentence's features with the code the app uses (``claims.extraction.scoring``), fits an
L2-regularised logistic regression with the two classes weighted equally, and prints the
``BIAS`` and ``WEIGHTS`` constants to paste into ``claims/extraction/ranker.py``.

The model has some thirty features, so the fit is a few Newton steps in numpy (already a
dependency through spaCy) rather than a machine-learning library in the install.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claims.extraction.features import FEATURE_NAMES
from claims.extraction.scoring import sentence_features

DEFAULT_L2 = 1.0
NEWTON_STEPS = 25


def load_debates(path: str | Path) -> list[dict]:
    """The debates of a CheckThat! jsonl file, one dict per line."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def debate_matrices(debates: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each debate's feature matrix (sentences × features) and its labels."""
    matrices = []
    for debate, vectors in zip(debates, sentence_features(debates), strict=True):
        labels = [int(sentence.get("label") or 0) for sentence in debate["sentences"]]
        features = np.asarray(vectors, dtype=float).reshape(-1, len(FEATURE_NAMES))
        matrices.append((features, np.asarray(labels, dtype=float)))
    return matrices


def fit(features: np.ndarray, labels: np.ndarray, *, l2: float = DEFAULT_L2) -> np.ndarray:
    """Logistic regression by Newton's method: ``[bias, w_1 … w_n]``.

    Each class carries half of the total weight, so that the few picked sentences count as
    much as the many others; the bias is not penalised.
    """
    rows = np.hstack([np.ones((features.shape[0], 1)), features])
    positives = max(labels.sum(), 1.0)
    negatives = max(len(labels) - labels.sum(), 1.0)
    sample_weight = np.where(labels > 0, 0.5 / positives, 0.5 / negatives) * len(labels)
    penalty = np.full(rows.shape[1], l2)
    penalty[0] = 0.0
    theta = np.zeros(rows.shape[1])
    for _ in range(NEWTON_STEPS):
        predicted = 1.0 / (1.0 + np.exp(-(rows @ theta)))
        gradient = rows.T @ (sample_weight * (predicted - labels)) + penalty * theta
        curvature = sample_weight * predicted * (1.0 - predicted)
        hessian = (rows * curvature[:, None]).T @ rows + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta


def ranking_metrics(labels_by_rank: list[int]) -> tuple[float, float, float]:
    """AP, R-precision and P@10 of one ranked debate, as the CheckThat! scorer counts them."""
    total = sum(labels_by_rank)
    hits, precisions, cumulative = 0, [], []
    for rank, label in enumerate(labels_by_rank, 1):
        if label:
            hits += 1
            precisions.append(hits / rank)
        cumulative.append(hits)
    average_precision = sum(precisions) / total if total else 0.0
    r_precision = cumulative[total - 1] / total if total else 0.0
    p_at_10 = cumulative[min(10, len(labels_by_rank)) - 1] / 10
    return average_precision, r_precision, p_at_10


def evaluate(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """Metrics of one debate ranked by ``scores`` (ties keep line order, a stable sort)."""
    order = np.argsort(-scores, kind="stable")
    return ranking_metrics([int(label) for label in labels[order]])


def constants(theta: np.ndarray) -> str:
    """The Python constants for ranker.py."""
    lines = [f"BIAS = {theta[0]:.4f}", "WEIGHTS: dict[str, float] = {"]
    for name, weight in zip(FEATURE_NAMES, theta[1:], strict=True):
        lines.append(f'    "{name}": {weight:.4f},')
    lines.append("}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="ct2019_train.jsonl")
    parser.add_argument("--l2", type=float, default=DEFAULT_L2)
    args = parser.parse_args(argv)
    debates = load_debates(args.data)
    matrices = debate_matrices(debates)
    features = np.vstack([m[0] for m in matrices])
    labels = np.concatenate([m[1] for m in matrices])
    theta = fit(features, labels, l2=args.l2)
    sentences = len(labels)
    print(
        f"# Fitted on {len(debates)} debates, {sentences:,} sentences, "
        f"{int(labels.sum())} picked; L2 = {args.l2}"
    )
    print(constants(theta))
    return 0


if __name__ == "__main__":
    sys.exit(main())

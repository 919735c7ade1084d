"""Check-worthiness ranking: leave-one-debate-out quality and sentences scored per second.

usage: EVAL_DIR=PATH python benchmarks/bench_checkworthiness.py [--data FILE] [--rounds N]

With the CheckThat! 2019 task 1 training debates (``$EVAL_DIR/checkworthiness/ct2019_train
.jsonl``, or ``--data``), prints MAP, R-precision and P@10 over the 19 debates for:
- the ranker fitted leave-one-debate-out (each debate scored by weights fitted on the other 18:
  the honest figure);
- the shipped weights (fitted on all 19, so in-sample: an upper bound, not a result);
- the count of numbers and named entities per sentence, the baseline of the issue.
Then how many sentences a transcript's ``MIN_CLAIM_SCORE`` turns into claims, and the
throughput of ``rank_sentences`` (the code behind ``--rank-sentences`` and the app's scores)
against the bare spaCy pipeline on the same sentences, interleaved, median and spread.
Without the data the quality part is skipped with a line saying why; throughput is then
measured on the demo article's sentences.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_checkworthiness import evaluate, fit, load_debates  # noqa: E402
from summary import median_spread, record  # noqa: E402

from claims.extraction import ranker  # noqa: E402
from claims.extraction.features import FEATURE_NAMES, claim_features  # noqa: E402
from claims.extraction.scoring import parsed_sentences, rank_sentences  # noqa: E402
from claims.extraction.segmenting import load_nlp  # noqa: E402
from claims.extraction.transcript_claims import MIN_CLAIM_SCORE  # noqa: E402
from claims.extraction.transcripts import ROLE_CANDIDATE, ROLE_OFFICIAL, guess_roles  # noqa: E402

DATA_NAME = Path("checkworthiness") / "ct2019_train.jsonl"
THROUGHPUT_SENTENCES = 2000


def baseline_count(doc) -> float:
    """Numbers and named entities in a sentence: the issue's baseline."""
    loose_numbers = sum(1 for token in doc if token.like_num and not token.ent_type_)
    return float(len(doc.ents) + loose_numbers)


def _row(name: str, rows: list[tuple[float, float, float]]) -> str:
    means = np.asarray(rows).mean(axis=0)
    return f"  {name:<44} MAP {means[0]:.3f}   R-prec {means[1]:.3f}   P@10 {means[2]:.3f}"


def quality(debates: list[dict], scorer: Path | None) -> list[dict]:
    """Print the quality table; returns the debates' sentences for the throughput run."""
    started = time.perf_counter()
    parsed = list(parsed_sentences(debates))
    matrices, baselines, roles_of = [], [], []
    for debate, sentences in zip(debates, parsed, strict=True):
        roles = guess_roles((label, doc.text) for label, doc in sentences)
        roles_of.append([roles.get(label) for label, _doc in sentences])
        features = np.asarray(
            [claim_features(doc, role=roles.get(label)) for label, doc in sentences]
        ).reshape(-1, len(FEATURE_NAMES))
        labels = np.asarray([s.get("label", 0) for s in debate["sentences"]], dtype=float)
        matrices.append((features, labels))
        baselines.append(np.asarray([baseline_count(doc) for _label, doc in sentences]))
    print(f"  parsed and featurised in {time.perf_counter() - started:.0f} s")

    loo_rows, loo_scores = [], []
    for held_out in range(len(matrices)):
        features = np.vstack([m[0] for i, m in enumerate(matrices) if i != held_out])
        labels = np.concatenate([m[1] for i, m in enumerate(matrices) if i != held_out])
        theta = fit(features, labels)
        scores = 1.0 / (1.0 + np.exp(-(theta[0] + matrices[held_out][0] @ theta[1:])))
        loo_scores.append(scores)
        loo_rows.append(evaluate(scores, matrices[held_out][1]))
    shipped = np.asarray([ranker.WEIGHTS[name] for name in FEATURE_NAMES])
    shipped_rows = [evaluate(ranker.BIAS + m[0] @ shipped, m[1]) for m in matrices]
    baseline_rows = [evaluate(b, m[1]) for b, m in zip(baselines, matrices, strict=True)]
    print(_row("ranker, leave-one-debate-out", loo_rows))
    print(_row("count of numbers and named entities", baseline_rows))
    print(_row("shipped weights (in-sample, upper bound)", shipped_rows))
    if scorer is not None and scorer.exists():
        _official_check(debates, loo_scores, scorer)

    speaking = picked = claimed = picked_claimed = 0
    for (_features, labels), scores, roles in zip(matrices, loo_scores, roles_of, strict=True):
        for label, value, role in zip(labels, scores, roles, strict=True):
            if role not in (ROLE_CANDIDATE, ROLE_OFFICIAL):
                continue
            speaking += 1
            picked += int(label)
            if value >= MIN_CLAIM_SCORE:
                claimed += 1
                picked_claimed += int(label)
    print(
        f"  transcripts: a score of {MIN_CLAIM_SCORE} or more (leave-one-out) makes "
        f"{claimed / max(speaking, 1):.0%} of the speakers' sentences claims, with "
        f"{picked_claimed / max(picked, 1):.0%} of the picked ones among them"
    )
    return debates


def _official_check(debates: list[dict], scores: list[np.ndarray], scorer: Path) -> None:
    """The leave-one-out scores through the evaluation's own scorer, as a cross-check."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for debate, values in zip(debates, scores, strict=True):
            line = {
                "id": debate["id"],
                "scores": [
                    {"i": s["i"], "score": float(v)}
                    for s, v in zip(debate["sentences"], values, strict=True)
                ],
            }
            handle.write(json.dumps(line) + "\n")
    gold = scorer.parent / DATA_NAME.name
    completed = subprocess.run(  # noqa: S603 - the evaluation's scorer, by the caller's path
        [sys.executable, str(scorer), str(gold), handle.name],
        capture_output=True,
        text=True,
        check=False,
    )
    os.unlink(handle.name)
    print(f"  the evaluation's score.py on the leave-one-out scores: {completed.stdout.strip()}")


def throughput(documents: list[dict], rounds: int) -> None:
    """Sentences per second of rank_sentences against bare nlp.pipe, interleaved."""
    nlp = load_nlp()
    texts = [s["text"] for d in documents for s in d["sentences"]]
    list(rank_sentences(documents[:1]))  # warm up
    list(nlp.pipe(texts[:50]))

    def time_ranked() -> float:
        started = time.perf_counter()
        for _result in rank_sentences(documents):
            pass
        return len(texts) / (time.perf_counter() - started)

    def time_bare() -> float:
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        return len(texts) / (time.perf_counter() - started)

    ranked, bare = [], []
    for round_number in range(rounds):
        # A B, then B A: neither side always runs second on a warm, busy machine.
        if round_number % 2:
            bare.append(time_bare())
            ranked.append(time_ranked())
        else:
            ranked.append(time_ranked())
            bare.append(time_bare())
    ratios = [r / b for r, b in zip(ranked, bare, strict=True)]
    print(
        f"  rank_sentences: {statistics.median(ranked):,.0f} sentences/s "
        f"(spread {min(ranked):,.0f}–{max(ranked):,.0f}, {len(texts):,} sentences, "
        f"{rounds} rounds, alternating which runs first); "
        f"bare spaCy {statistics.median(bare):,.0f}/s; "
        f"ratio {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"
    )
    record(
        "check-worthiness",
        "rank_sentences / bare spaCy",
        median_spread(ratios, 2),
        f"{statistics.median(ranked):,.0f} sentences/s; {rounds} alternating rounds",
    )


def _subset(debates: list[dict], limit: int) -> list[dict]:
    """The first ``limit`` sentences across debates, whole debates cut at the end."""
    chosen, total = [], 0
    for debate in debates:
        sentences = debate["sentences"][: max(0, limit - total)]
        if not sentences:
            break
        chosen.append({"id": debate["id"], "sentences": sentences})
        total += len(sentences)
    return chosen


def _demo_documents() -> list[dict]:
    nlp = load_nlp()
    text = (ROOT / "claims" / "demo_data" / "sky-baghdad-embassy-2019-12-31.txt").read_text()
    sentences = [s.text for paragraph in text.split("\n\n") for s in nlp(paragraph).sents]
    items = [{"i": i, "speaker": "", "text": t} for i, t in enumerate(sentences, 1)]
    return [{"id": "demo", "sentences": items}] * 20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="ct2019_train.jsonl (default: $EVAL_DIR/…)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print("Check-worthiness ranking")
    eval_dir = os.environ.get("EVAL_DIR")
    data = Path(args.data) if args.data else (Path(eval_dir) / DATA_NAME if eval_dir else None)
    if data is None or not data.exists():
        why = "EVAL_DIR is not set" if data is None else f"{data} does not exist"
        print(f"  quality on CheckThat! 2019 debates skipped: {why}")
        throughput(_demo_documents(), args.rounds)
        return 0
    debates = load_debates(data)
    sentences = sum(len(d["sentences"]) for d in debates)
    picked = sum(s.get("label", 0) for d in debates for s in d["sentences"])
    print(
        f"  CheckThat! 2019 task 1 train: {len(debates)} debates, {sentences:,} sentences, "
        f"{picked} picked"
    )
    scorer = data.parent / "score.py"
    quality(debates, scorer)
    throughput(_subset(debates, THROUGHPUT_SENTENCES), args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

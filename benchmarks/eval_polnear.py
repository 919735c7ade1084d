"""Evaluate the claim extractor on PolNeAR-style gold data (jsonl or jsonl.gz).

usage: python benchmarks/eval_polnear.py GOLD.jsonl[.gz] [--scorer SCORE.py] [--out PRED.jsonl]
                                          [--limit N] [--skip N] [--n-process N]

Runs the extractor over every document, writes predictions in the format of
``python -m claims.extraction --jsonl`` and, when given the scorer's path, runs it on them.
The gold data is never copied into the repository: pass its path on the command line.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claims.extraction import extract_many


def _open(path: str):
    return gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold")
    parser.add_argument("--scorer", help="path of score.py; prints how to run it when absent")
    parser.add_argument("--out", help="where to write predictions (default: a temporary file)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--skip", type=int, default=0, help="skip the first N documents")
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args(argv)

    with _open(args.gold) as handle:
        documents = [json.loads(line) for line in handle if line.strip()]
    documents = documents[args.skip :]
    if args.limit:
        documents = documents[: args.limit]
    out_dir = Path(tempfile.mkdtemp(prefix="claims-eval-"))
    gold_path = out_dir / "gold.jsonl"
    pred_path = Path(args.out) if args.out else out_dir / "pred.jsonl"
    started = time.perf_counter()
    results = extract_many([d["text"] for d in documents], n_process=args.n_process)
    elapsed = time.perf_counter() - started
    characters = sum(len(d["text"]) for d in documents)
    with open(gold_path, "w", encoding="utf-8") as gold, open(pred_path, "w") as pred:
        for document, result in zip(documents, results, strict=True):
            gold.write(json.dumps(document) + "\n")
            pred.write(json.dumps({"id": document["id"], **result.to_dict()}) + "\n")
    print(
        f"{len(documents)} documents, {characters} characters in {elapsed:.1f} s "
        f"({characters / max(elapsed, 1e-9):,.0f} chars/s); predictions: {pred_path}"
    )
    if args.scorer:
        completed = subprocess.run(  # noqa: S603 - the scorer path is the caller's own
            [sys.executable, args.scorer, str(gold_path), str(pred_path)], check=False
        )
        return completed.returncode
    print(f"score with: python SCORE.py {gold_path} {pred_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

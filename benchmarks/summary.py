"""The one table `make bench` ends with: each benchmark adds its headline numbers here.

A benchmark calls `record(part, measure, value, note)`; when `BENCH_SUMMARY` names a file
(run_all.py sets it), the row is appended to it as a JSON line, and run_all.py prints them all
as one table at the end. Run on its own, a benchmark prints its own detail and nothing else.
"""

from __future__ import annotations

import json
import os
import statistics
from pathlib import Path


def record(part: str, measure: str, value: str, note: str = "") -> None:
    path = os.environ.get("BENCH_SUMMARY")
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"part": part, "measure": measure, "value": value, "note": note}))
        handle.write("\n")


def median_spread(values: list[float], digits: int = 1) -> str:
    """`median [lowest–highest]`: the middle run and the range the runs fell in."""
    if not values:
        return "–"
    return (
        f"{statistics.median(values):.{digits}f} "
        f"[{min(values):.{digits}f}–{max(values):.{digits}f}]"
    )


def print_table(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if not rows:
        print("(no benchmark recorded a result)")
        return
    widths = [
        max(len(header), *(len(str(row[key])) for row in rows))
        for header, key in (
            ("part", "part"),
            ("measure", "measure"),
            ("value", "value"),
            ("note", "note"),
        )
    ]
    headers = ["part", "measure", "value", "note"]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        cells = [str(row[key]) for key in ("part", "measure", "value", "note")]
        print("| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |")

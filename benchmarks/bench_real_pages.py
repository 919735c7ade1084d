"""Extraction quality on pages shaped like real outlets' markup (tests/pages/, with gold).

usage: python benchmarks/bench_real_pages.py

Each page is read as ingestion reads it (page furniture out, trafilatura, metadata) and its
claims extracted. Printed: the share of claims whose content is not in the article body as the
gold gives it, the share of attributed claims whose speaker names nobody (an unresolved
pronoun, "you", a broadcast label), and the share of statements without a finite verb; then
the pages whose metadata differs from the gold.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from summary import record  # noqa: E402

from tests.page_fixtures import gold, measure, read_page  # noqa: E402


def main() -> int:
    figures = measure()
    print(
        f"real-shaped pages: {figures['pages']} pages, {figures['claims']} claims "
        f"({figures['attributed']} attributed)"
    )
    print(f"  claims outside the article body: {figures['outside_body']:.1%}")
    print(f"  generic speakers (of attributed claims): {figures['generic_speakers']:.1%}")
    print(f"  statements without a finite verb: {figures['verbless_statements']:.1%}")
    wrong = []
    for name, expected in sorted(gold().items()):
        article = read_page(name).article
        found = {
            "headline": article.title,
            "outlet": article.site_name,
            "published": article.published,
            "byline": article.byline,
        }
        wanted = dict(expected, published=dt.date.fromisoformat(expected["published"]))
        wrong += [f"{name}: {key} {found[key]!r}" for key in found if found[key] != wanted[key]]
    print(f"  metadata fields wrong: {len(wrong)} of {4 * len(gold())}")
    record(
        "extraction quality",
        f"real-shaped pages ({figures['pages']}, {figures['claims']} claims)",
        f"{figures['outside_body']:.1%} outside the body",
        f"generic speakers {figures['generic_speakers']:.1%}; verbless statements "
        f"{figures['verbless_statements']:.1%}; metadata wrong {len(wrong)}/{4 * len(gold())}",
    )
    for line in wrong:
        print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

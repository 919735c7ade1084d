"""Wire copies: candidates that carry the same text (an agency story run by several outlets,
a statement reposted) are grouped, so that "found in N independent outlets" counts them once.

Texts are compared by word shingles (runs of five words). A claim has tens of candidates, not
millions, so every pair is compared exactly rather than estimated with MinHash: the sets are
small, the answer is exact and does not depend on a random seed. The measure is containment
(shared shingles over the smaller set), because a copy is often trimmed or has a paragraph of
the outlet's own added; plain Jaccard similarity would call those different.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Hashable, Iterable, Mapping

SHINGLE_WORDS = 5
# Share of the shorter text's shingles found in the other for the two to be one story.
COPY_CONTAINMENT = 0.6
# Texts shorter than this many shingles (about 30 words) are too short to call copies unless
# they are the same words.
MIN_SHINGLES = 25

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[int]:
    """Hashes of every run of `size` words, lower-case, punctuation and spacing ignored."""
    tokens = _WORD.findall(text.lower())
    if len(tokens) < size:
        return frozenset({zlib.crc32(" ".join(tokens).encode())}) if tokens else frozenset()
    return frozenset(
        zlib.crc32(" ".join(tokens[i : i + size]).encode()) for i in range(len(tokens) - size + 1)
    )


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def are_copies(a: frozenset[int], b: frozenset[int]) -> bool:
    if min(len(a), len(b)) < MIN_SHINGLES:
        return bool(a) and a == b
    return containment(a, b) >= COPY_CONTAINMENT


def group_copies(texts: Mapping[int, str]) -> dict[int, int]:
    """Each key's group: the smallest key among the texts it is a copy of (itself if none).

    Keys are evidence ids, so the group is named by the piece found first.
    """
    sets = {key: shingles(text) for key, text in texts.items()}
    parent = {key: key for key in sets}
    keys = sorted(sets)
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            if _root(parent, first) != _root(parent, second) and are_copies(
                sets[first], sets[second]
            ):
                _join(parent, first, second, order=int)
    return {key: _root(parent, key) for key in keys}


def independent_count(items: Iterable[tuple[Hashable, Hashable]]) -> int:
    """How many independent origins a set of evidence has.

    Each item is (copy group, outlet). Two pieces are one origin when they are copies of each
    other, or when they come from the same outlet: an outlet reporting twice is still one
    outlet, and a wire story run by three outlets is still one story.
    """
    parent: dict[Hashable, Hashable] = {}
    for group, outlet in items:
        group_node, outlet_node = ("group", group), ("outlet", outlet)
        parent.setdefault(group_node, group_node)
        parent.setdefault(outlet_node, outlet_node)
        _join(parent, group_node, outlet_node)
    return len({_root(parent, node) for node in parent})


def _root(parent: dict, key):
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def _join(parent: dict, a, b, order=repr) -> None:
    root_a, root_b = _root(parent, a), _root(parent, b)
    if root_a != root_b:
        # The smaller root names the group, so names do not depend on the order of joins.
        low, high = sorted((root_a, root_b), key=order)
        parent[high] = low

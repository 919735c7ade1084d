"""Memory of a process and its children, from Linux's /proc (RSS, PSS, USS in MB).

RSS counts every page a process maps, shared ones in full (what `ps` shows); PSS divides each
shared page among the processes sharing it (their fair share: the PSS of all processes adds up
to the memory they use together); USS counts the pages only that process has (what stopping it
would free).
"""

from __future__ import annotations

from pathlib import Path


def memory_of(pid: int) -> dict[str, float]:
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[-1] == "kB":
            values[name.strip()] = int(parts[0]) / 1024
    return {
        "rss": values.get("Rss", 0.0),
        "pss": values.get("Pss", 0.0),
        "uss": values.get("Private_Clean", 0.0) + values.get("Private_Dirty", 0.0),
    }


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found

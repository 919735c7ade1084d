"""The command line: files, standard input and JSON lines, one JSON object per input."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

from claims.extraction.__main__ import main

ARTICLE = (
    Path(__file__).resolve().parent.parent
    / "claims"
    / "demo_data"
    / "sky-baghdad-embassy-2019-12-31.txt"
)
CLAIM_KEYS = {
    "kind",
    "speaker",
    "speaker_name",
    "speaker_role",
    "speaker_kind",
    "speaker_span",
    "via",
    "cue",
    "cue_span",
    "content",
    "content_span",
    "sentence_span",
    "checkworthiness",
    "statement",
}


def run(argv, capsys, stdin=""):
    original = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        assert main(argv) == 0
    finally:
        sys.stdin = original
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_a_file(capsys):
    [output] = run([str(ARTICLE)], capsys)
    assert output["headline"] == "Gunfire heard as protesters storm US embassy in Baghdad"
    assert output["outlet"] == "Sky News"
    assert output["published"] == "2019-12-31"
    text = ARTICLE.read_text(encoding="utf-8")
    for claim in output["claims"]:
        assert set(claim) == CLAIM_KEYS
        start, end = claim["content_span"]
        assert text[start:end] == claim["content"]


def test_standard_input(capsys):
    [output] = run(["-"], capsys, stdin="The mayor said the bridge was closed.")
    assert output["claims"][0]["speaker"] == "The mayor"
    assert output["claims"][0]["statement"].startswith("The mayor said")


def test_jsonl(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": "The mayor said the bridge was closed."})
        + "\n"
        + json.dumps({"id": 2, "text": ""})
        + "\n"
    )
    outputs = run(["--jsonl", str(path)], capsys)
    assert [o["id"] for o in outputs] == ["a", 2]
    assert outputs[1]["claims"] == []
    assert outputs[0]["claims"][0]["cue_span"] == [10, 14]


def test_two_processes_give_the_same_results_in_the_same_order(monkeypatch):
    from claims.extraction import extract_many

    texts = [ARTICLE.read_text(encoding="utf-8"), "", "The mayor said the bridge was closed."] * 3
    parallel = [result.to_dict() for result in extract_many(texts, n_process=2)]
    serial = [result.to_dict() for result in extract_many(texts)]
    assert parallel == serial


PID_LOG: list = []  # a file path, set by the test below; forked workers append to it


def _chunk_noting_the_process(texts):
    """Module level so that the pool can send it to the workers."""
    from claims.extraction import pipeline

    with open(PID_LOG[0], "a") as log:
        log.write(f"{os.getpid()}\n")
    return pipeline.extract_many(texts, n_process=1)


def test_two_processes_asked_for_are_used_even_for_a_small_batch(monkeypatch, tmp_path):
    """The benchmark compares the extractor with spaCy at the same number of processes; a
    silent fall-back to one process for small batches made that comparison lie."""
    from claims.extraction import extract_many, pipeline

    log = tmp_path / "pids"
    log.touch()
    PID_LOG[:] = [str(log)]
    monkeypatch.setattr(pipeline, "_extract_chunk", _chunk_noting_the_process)
    texts = ["The mayor said the bridge was closed.", "Police said two people were hurt."]
    results = extract_many(texts, n_process=2)
    assert [len(result.claims) for result in results] == [1, 1]
    pids = set(log.read_text().split())
    assert pids and str(os.getpid()) not in pids
    log.write_text("")
    extract_many(texts[:1], n_process=2)
    assert log.read_text() == ""  # one text: nothing to share out

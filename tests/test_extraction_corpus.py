"""The public-domain statements shipped in claims/demo_data/corpus: headers, speakers, quotes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from claims.extraction import extract, extract_many

CORPUS = Path(__file__).resolve().parent.parent / "claims" / "demo_data" / "corpus"


def read(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def test_a_statement_introduced_by_a_colon_is_its_authors_over_several_paragraphs():
    result = extract(read("reed-statement-embassy-attack-2019-12-31.txt"))
    assert result.headline == "Reed Statement on U.S. Embassy Attack in Iraq"
    assert result.published == dt.date(2019, 12, 31)
    quotes = [c for c in result.claims if c.kind == "direct"]
    assert len(quotes) >= 4
    for claim in quotes:
        assert claim.speaker_name == "Jack Reed"
        assert claim.speaker_kind == "person"
        assert "Senator" in claim.speaker_role
    assert "Licence" not in result.cleaned_text
    assert "Original URL" not in result.cleaned_text


def test_a_dateline_is_not_part_of_the_speaker():
    result = extract(read("feinstein-statement-us-embassy-baghdad.txt"))
    speakers = {c.speaker for c in result.claims if c.speaker}
    assert "Senator Dianne Feinstein (D-Calif.)" in speakers
    assert not any(speaker.startswith("Washington") for speaker in speakers)


def test_every_corpus_text_goes_through_in_one_batch():
    names = sorted(path.name for path in CORPUS.glob("*.txt"))
    results = extract_many([read(name) for name in names])
    assert len(results) == len(names) == 8
    for name, result in zip(names, results, strict=True):
        text = read(name)
        assert result.language == "en", name
        for claim in result.claims:
            assert text[slice(*claim.content_span)] == claim.content


@pytest.mark.parametrize("name", ["dod-statement-soleimani-strike-2020-01-02.txt"])
def test_facts_in_an_official_statement_are_unattributed_claims(name):
    result = extract(read(name))
    facts = [c for c in result.claims if c.kind == "unattributed"]
    assert any("responsible for the deaths of hundreds" in c.content for c in facts)

"""`manage.py export_corrections`: reviewers' corrections as gold attributions in the format of
the extraction evaluation data, and the round trip: the export loads back as gold and scores
1.0 against itself with the project's scorer, while the extractor's original output for the
same claims scores what its reviewers' corrections say it should."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.extraction.evaluation import (
    gold_as_prediction,
    half_match,
    score_attributions,
    source_right,
)
from claims.services import claims as claim_services
from tests import factories
from tests.extraction_feedback_helpers import TEXT, article, extracted_claim, span

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(reviewer_user):
    """One article on which reviewers kept, dismissed, corrected, split, merged and added."""
    page = article(outlet=factories.SourceFactory(name="Daily Planet"))
    by = reviewer_user
    bridge = extracted_claim(
        page, "the bridge will open in May", speaker="The Minister", mention="The minister"
    )
    claim_services.claim_accept(claim=bridge, by=by)
    critics = extracted_claim(page, "the date is unrealistic", speaker="Critics", mention="Critics")
    claim_services.claim_dismiss(claim=critics, by=by, reason="not_a_claim")
    taxes = extracted_claim(
        page, "taxes fell by three percent last year", speaker="Critics", cue="claimed"
    )
    claim_services.claim_set_speaker(
        claim=taxes,
        by=by,
        speaker=claim_services.speaker_get_or_create(name="Ada Brown"),
        expected_version=1,
    )
    road = extracted_claim(
        page,
        "the road is closed and the rail line is open",
        speaker="Officials",
        mention="Officials",
    )
    claim_services.claim_split(
        claim=road, by=by, expected_version=1, second_starts_with="the rail line"
    )
    arrested = extracted_claim(page, "two men were arrested", speaker="Police", mention="Police")
    questioned = extracted_claim(page, "they were questioned", speaker="Police")
    claim_services.claim_merge(claim=arrested, other=questioned, by=by, expected_version=1)
    jobs = extracted_claim(page, "Unemployment rose to 5 percent in June", speaker=None, cue="")
    claim_services.claim_accept(claim=jobs, by=by)
    start, end = span("prices will rise")
    claim_services.claim_create_manual(
        article=page,
        by=by,
        start=start,
        end=end,
        speaker=claim_services.speaker_get_or_create(name="Jane Doe"),
    )
    # Nobody has looked at these: not exported.
    extracted_claim(page, "they were questioned. Unemployment", speaker="Police")
    factories.ClaimFactory(article=factories.ArticleFactory())
    return page


def _export(tmp_path, *args: str) -> list[dict]:
    path = tmp_path / "gold.jsonl"
    call_command("export_corrections", "--format", "jsonl", "--output", str(path), *args)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_writes_gold_attributions_with_offsets(reviewed, tmp_path):
    (document,) = _export(tmp_path)
    assert document["id"] == f"factcheck/article/{reviewed.pk}"
    assert document["text"] == TEXT
    for item in (
        *[a[part] for a in document["attributions"] for part in ("source", "cue", "content")],
        *document["unattributed"],
        *document["noise"],
    ):
        if item is not None:
            assert TEXT[item["start"] : item["end"]] == item["text"]
    found = {(a["source"]["text"], a["content"]["text"]) for a in document["attributions"]}
    assert found == {
        ("The minister", "the bridge will open in May"),
        ("Ada Brown", "taxes fell by three percent last year"),
        ("Officials", "the road is closed and"),
        ("Officials", "the rail line is open"),
        ("Police", "two men were arrested. Police said they were questioned"),
        ("Jane Doe", "prices will rise"),
    }
    cues = {a["content"]["text"]: (a["cue"] or {}).get("text") for a in document["attributions"]}
    assert cues["the bridge will open in May"] == "said"
    assert cues["taxes fell by three percent last year"] == "claimed"
    assert [u["text"] for u in document["unattributed"]] == [
        "Unemployment rose to 5 percent in June"
    ]
    assert [n["text"] for n in document["noise"]] == ["the date is unrealistic"]
    assert {a["kind"] for a in document["attributions"]} == {"indirect"}


def test_round_trip_scores_one_against_itself(reviewed, tmp_path):
    gold = _export(tmp_path)
    score = score_attributions(gold, [gold_as_prediction(document) for document in gold])
    assert score.gold == 6
    assert score.content_precision == score.content_recall == score.content_f1 == 1.0
    assert score.attribution_f1 == 1.0
    assert score.source_right == score.matched == 6


def test_the_extractors_original_output_scores_as_its_reviewers_judged(reviewed, tmp_path):
    gold = _export(tmp_path, "--predictions", str(tmp_path / "pred.jsonl"))
    predictions = [json.loads(line) for line in (tmp_path / "pred.jsonl").read_text().splitlines()]
    assert [p["id"] for p in predictions] == [g["id"] for g in gold]
    score = score_attributions(gold, predictions)
    # Predicted: bridge, "not a claim", taxes (wrong speaker), the unsplit road, and the two
    # halves of the merged claim; missed: the road's second half and the claim added by hand.
    assert (score.predicted, score.gold, score.matched, score.source_right) == (6, 6, 4, 3)
    assert score.content_f1 == pytest.approx(4 / 6)
    assert score.attribution_f1 == pytest.approx(0.5)


def test_export_to_standard_output_and_since(reviewed, capsys):
    out = io.StringIO()
    call_command("export_corrections", "--format", "jsonl", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["attributions"]
    assert "1 articles, 6 attributions" in capsys.readouterr().err
    later = io.StringIO()
    call_command("export_corrections", "--since", "2999-01-01", stdout=later)
    assert later.getvalue() == ""
    with pytest.raises(CommandError):
        call_command("export_corrections", "--since", "yesterday")


def test_a_speaker_the_text_never_names_is_left_out_and_reported(reviewer_user, capsys, tmp_path):
    claim = extracted_claim(
        article(), "the bridge will open in May", speaker="The Minister", mention="The minister"
    )
    claim_services.claim_set_speaker(
        claim=claim,
        by=reviewer_user,
        speaker=claim_services.speaker_get_or_create(name="Zbigniew Nobody"),
        expected_version=1,
    )
    (document,) = _export(tmp_path)
    assert document["attributions"] == []
    assert f"#{claim.pk}" in capsys.readouterr().err


# The scorer itself, on spans we can check by eye.


def test_half_match_needs_half_of_the_shorter_span():
    assert half_match((0, 10), (5, 30))
    assert not half_match((0, 10), (6, 30))
    assert not half_match(None, (0, 5))


def test_source_is_right_by_span_or_by_last_word():
    gold = {"source": {"start": 0, "end": 12, "text": "Donald Trump"}}
    assert source_right({"speaker": "Mr Trump", "speaker_span": None}, gold)
    assert source_right({"speaker": "he", "speaker_span": [5, 8]}, gold)
    assert not source_right({"speaker": "Clinton", "speaker_span": [20, 27]}, gold)
    assert source_right({"speaker": None}, {"source": None})

""" "Already fact-checked": claims matched against imported fact-checks and our own verdicts, on
creation and acceptance, shown on the claim page and in the queue above the admin's threshold,
and `match_claims`, which runs the very same code."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.corroboration.claimreviews import read_claimreviews
from claims.corroboration.matching import match_fact_checks
from claims.models import ArchiveDocument, Article, ClaimMatch, MatchingSettings
from claims.services.articles import article_submit_text
from claims.services.claims import claim_accept
from claims.services.fact_checks import fact_checks_import
from claims.services.matches import claim_match_fact_checks
from tests import factories
from tests.ingest_pages import PARAGRAPHS

pytestmark = pytest.mark.django_db

REVIEWS = [
    (
        "embassy-staff",
        "US embassy staff and the ambassador were not in the building when protesters stormed "
        "the embassy in Baghdad.",
        "True",
    ),
    ("strikes-iran", "The US strikes on Kataib Hezbollah were a message to Iran.", "Mixed"),
    ("vaccine-chips", "Vaccines contain microchips that track people.", "False"),
    ("moon-cheese", "The Moon is made of green cheese, NASA admitted.", "Pants on fire"),
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _import(reviews=REVIEWS) -> None:
    lines = [
        {
            "@type": "ClaimReview",
            "url": f"https://checker.example/{slug}/",
            "claimReviewed": claim,
            "author": {"@type": "Organization", "name": "Checker"},
            "reviewRating": {"@type": "Rating", "alternateName": rating},
        }
        for slug, claim, rating in reviews
    ]
    content = "\n".join(json.dumps(line) for line in lines).encode()
    fact_checks_import(records=read_claimreviews(content))


def _claim(content: str, **extra):
    return factories.ClaimFactory(content=content, **extra)


def test_the_matching_fact_check_comes_first_with_its_publisher_and_rating():
    _import()
    (best, *rest) = match_fact_checks(
        "Reuters reports that US embassy staff and the ambassador were not in the building"
    )
    assert best.url == "https://checker.example/embassy-staff/"
    assert best.publisher == "Checker"
    assert best.rating == "True"
    assert best.claim_reviewed.startswith("US embassy staff")
    assert all(best.score > other.score for other in rest)
    assert best.as_dict() == {
        "url": best.url,
        "claim_reviewed": best.claim_reviewed,
        "rating": "True",
        "publisher": "Checker",
        "score": round(best.score, 4),
    }


def test_an_unrelated_claim_scores_low():
    _import()
    matches = match_fact_checks("The strikes in Syria hit two weapons depots near the border")
    assert all(match.score < MatchingSettings.current().threshold for match in matches)


def test_our_published_verdicts_are_matched_too(published_verdict, settings):
    (best, *_) = match_fact_checks("Did the strikes hit three targets in Iraq?")
    assert best.url == settings.SITE_URL + published_verdict.get_absolute_url()
    assert best.rating == "True"
    assert best.publisher == settings.SITE_NAME


def test_a_claim_is_not_matched_with_its_own_verdict(published_verdict):
    assert claim_match_fact_checks(claim=published_verdict.claim) == []


def test_matching_stores_the_best_matches_and_a_rerun_replaces_them():
    _import()
    claim = _claim("Embassy staff and the ambassador were not in the building, officials said")
    first = claim_match_fact_checks(claim=claim)
    assert first[0].document.fact_check.url == "https://checker.example/embassy-staff/"
    assert [match.rank for match in first] == list(range(1, len(first) + 1))
    claim_match_fact_checks(claim=claim)
    assert ClaimMatch.objects.filter(claim=claim).count() == len(first)


def test_claims_are_matched_when_an_article_is_ingested(django_capture_on_commit_callbacks):
    _import()
    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit_text(text="\n\n".join(PARAGRAPHS), by=None)
    article.refresh_from_db()
    assert article.status == Article.Status.READY
    matched = ClaimMatch.objects.filter(
        claim__article=article, rank=1, document__fact_check__url__contains="embassy-staff"
    )
    assert matched.exists()


def test_accepting_a_claim_matches_it_against_fact_checks_imported_since(
    reviewer_user, django_capture_on_commit_callbacks
):
    claim = _claim("Vaccines contain microchips to track people, the post claimed")
    assert not ClaimMatch.objects.filter(claim=claim).exists()
    _import()
    with django_capture_on_commit_callbacks(execute=True):
        claim_accept(claim=claim, by=reviewer_user)
    assert ClaimMatch.objects.get(claim=claim, rank=1).document.url.endswith("/vaccine-chips/")


# --- shown to reviewers ------------------------------------------------------------------------


def _matched_claim():
    _import()
    claim = _claim("US embassy staff and the ambassador were not in the building")
    claim_match_fact_checks(claim=claim)
    return claim


def test_the_claim_page_shows_already_fact_checked(reviewer_client):
    claim = _matched_claim()
    page = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Already fact-checked" in page
    assert 'href="https://checker.example/embassy-staff/"' in page
    assert "Checker" in page and "True" in page
    assert "vaccine-chips" not in page  # below the threshold


def test_the_threshold_set_by_an_admin_decides_what_is_shown(reviewer_client):
    claim = _matched_claim()
    settings_row = MatchingSettings.current()
    settings_row.threshold = 1.0
    settings_row.save()
    page = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Already fact-checked" not in page
    weak = ArchiveDocument.objects.get(fact_check__url__contains="moon-cheese")
    ClaimMatch.objects.update_or_create(
        claim=claim, document=weak, defaults={"score": 0.3, "rank": 5}
    )
    settings_row.threshold = 0.25
    settings_row.save()
    page = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    shown = ClaimMatch.objects.filter(claim=claim, score__gte=0.25).select_related("document")
    assert all(f'href="{match.document.url}"' in page for match in shown)
    assert 'href="https://checker.example/moon-cheese/"' in page


def test_the_queue_shows_the_badge_without_a_query_per_row(reviewer_client):
    claim = _matched_claim()
    page = reviewer_client.get("/review/").content.decode()
    assert "Already fact-checked: Checker — True" in page
    with CaptureQueriesContext(connection) as few:
        reviewer_client.get("/review/")
    for n in range(10):
        other = _claim(f"US embassy staff were not in the building, report {n}")
        claim_match_fact_checks(claim=other)
    with CaptureQueriesContext(connection) as many:
        reviewer_client.get("/review/")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert claim.pk


def test_fact_check_text_is_escaped(reviewer_client):
    _import([("xss", "Embassy staff <script>alert(1)</script> were not in the building", "False")])
    claim = _claim("Embassy staff were not in the building")
    claim_match_fact_checks(claim=claim)
    MatchingSettings.objects.update_or_create(pk=1, defaults={"threshold": 0.0})
    page = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_admin_edits_the_threshold(admin_user_with_role, client):
    client.force_login(admin_user_with_role)
    assert client.get(reverse("admin:claims_matchingsettings_changelist")).status_code == 200
    response = client.post(
        reverse("admin:claims_matchingsettings_change", args=[1]), {"threshold": "0.45"}
    )
    assert response.status_code == 302
    assert MatchingSettings.current().threshold == 0.45
    bad = client.post(reverse("admin:claims_matchingsettings_change", args=[1]), {"threshold": "2"})
    assert bad.status_code == 200 and MatchingSettings.current().threshold == 0.45


# --- match_claims -------------------------------------------------------------------------------


def _match_claims(tmp_path, lines: list[str], *args: str) -> list[dict]:
    path = tmp_path / "claims.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("match_claims", "--jsonl", str(path), *args, stdout=out, verbosity=0)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_match_claims_writes_one_line_per_claim_as_the_claim_page_ranks_them(tmp_path):
    _import()
    texts = {
        "a": "US embassy staff and the ambassador were not in the building",
        "b": "Microchips in vaccines track people",
        "c": "",
    }
    lines = [json.dumps({"id": key, "text": text}) for key, text in texts.items()]
    results = _match_claims(tmp_path, lines, "--top", "2")
    assert [result["id"] for result in results] == ["a", "b", "c"]
    assert results[0]["matches"][0]["url"] == "https://checker.example/embassy-staff/"
    assert set(results[0]["matches"][0]) == {
        "url",
        "claim_reviewed",
        "rating",
        "publisher",
        "score",
    }
    assert results[1]["matches"][0]["rating"] == "False"
    assert all(len(result["matches"]) <= 2 for result in results)
    assert results[2]["matches"] == []
    for result in results:
        expected = [m.as_dict() for m in match_fact_checks(texts[result["id"]], top=2)]
        assert result["matches"] == expected


def test_match_claims_refuses_a_bad_line(tmp_path):
    with pytest.raises(CommandError, match="Line 2"):
        _match_claims(tmp_path, [json.dumps({"id": 1, "text": "x"}), "not json"])
    with pytest.raises(CommandError, match="Line 1"):
        _match_claims(tmp_path, [json.dumps({"text": "no id"})])

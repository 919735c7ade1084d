"""`import_claimreviews`: every format fact-checkers publish, idempotent by url, archived."""

from __future__ import annotations

import datetime
import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.claimreview import claim_review
from claims.corroboration.archive import archive_search
from claims.corroboration.claimreviews import Rejected, read_claimreviews
from claims.models import ArchiveDocument, FactCheck
from tests import factories

pytestmark = pytest.mark.django_db


def _review(slug: str, claim: str, **extra) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checker.example/fact-check/{slug}/",
        "claimReviewed": claim,
        "name": f"Fact check: {claim[:40]}",
        "description": "What we found.",
        "author": {"@type": "Organization", "name": "Checker", "url": "https://checker.example/"},
        "datePublished": "2020-01-03",
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "False",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A. Politician"},
            "datePublished": "2019-12-30",
            "appearance": [{"@type": "CreativeWork", "url": "https://social.example/post/1"}],
        },
    }
    data.update(extra)
    return data


EMBASSY = _review("embassy-staff", "US embassy staff in Baghdad were taken hostage by protesters.")
STRIKES = _review("strikes-25", "US strikes in Iraq killed 250 fighters.", inLanguage="en")


def _import(tmp_path, content: bytes | str, name: str = "reviews.jsonl") -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = StringIO()
    call_command("import_claimreviews", str(path), stdout=out, stderr=out, verbosity=0)
    return out.getvalue()


def _jsonl(*records: dict) -> str:
    return "\n".join(json.dumps(record) for record in records) + "\n"


def test_it_imports_json_lines_with_every_field(tmp_path):
    output = _import(tmp_path, _jsonl(EMBASSY, STRIKES))
    assert "2 new, 0 updated, 0 unchanged, 0 skipped" in output
    fact_check = FactCheck.objects.get(url="https://checker.example/fact-check/embassy-staff/")
    assert fact_check.claim_reviewed == EMBASSY["claimReviewed"]
    assert fact_check.rating == "False"
    assert (fact_check.rating_value, fact_check.rating_best, fact_check.rating_worst) == (1, 5, 1)
    assert fact_check.publisher_name == "Checker"
    assert fact_check.publisher_url == "https://checker.example/"
    assert fact_check.claimant == "A. Politician"
    assert fact_check.item_reviewed["appearance"][0]["url"] == "https://social.example/post/1"
    assert fact_check.name.startswith("Fact check: US embassy")
    assert fact_check.description == "What we found."
    assert fact_check.date_published == datetime.date(2020, 1, 3)
    assert fact_check.claim_date == datetime.date(2019, 12, 30)
    assert FactCheck.objects.get(url__contains="strikes-25").language == "en"


def test_each_record_is_in_the_archive(tmp_path):
    _import(tmp_path, _jsonl(EMBASSY, STRIKES))
    document = ArchiveDocument.objects.get(fact_check__url__contains="embassy-staff")
    assert document.kind == ArchiveDocument.Kind.FACT_CHECK
    assert document.title == EMBASSY["claimReviewed"]
    assert document.outlet_name == "Checker"
    hits = archive_search("Were embassy staff taken hostage in Baghdad?")
    assert hits[0].document == document


def test_importing_again_changes_nothing_and_a_changed_record_is_updated(tmp_path):
    _import(tmp_path, _jsonl(EMBASSY, STRIKES))
    before = FactCheck.objects.get(url__contains="embassy-staff").updated_at
    assert "0 new, 0 updated, 2 unchanged" in _import(tmp_path, _jsonl(EMBASSY, STRIKES))
    assert FactCheck.objects.get(url__contains="embassy-staff").updated_at == before
    changed = {**EMBASSY, "claimReviewed": "Protesters set fire to a reception area."}
    changed["reviewRating"] = {**EMBASSY["reviewRating"], "alternateName": "True"}
    assert "0 new, 1 updated, 1 unchanged" in _import(tmp_path, _jsonl(changed, STRIKES))
    assert FactCheck.objects.count() == 2
    assert ArchiveDocument.objects.count() == 2
    fact_check = FactCheck.objects.get(url__contains="embassy-staff")
    assert fact_check.rating == "True"
    assert archive_search("hostage") == []
    assert archive_search("reception area fire")[0].document.fact_check == fact_check


def test_the_url_is_normalised_so_tracking_parameters_do_not_duplicate(tmp_path):
    tracked = {**EMBASSY, "url": EMBASSY["url"] + "?utm_source=feed#top"}
    _import(tmp_path, _jsonl(EMBASSY))
    _import(tmp_path, _jsonl(tracked))
    assert FactCheck.objects.count() == 1


def test_bad_records_are_reported_and_the_rest_imported(tmp_path):
    no_url = {k: v for k, v in EMBASSY.items() if k != "url"}
    no_claim = {**STRIKES, "claimReviewed": "  "}
    not_web = {**STRIKES, "url": "ftp://checker.example/x"}
    content = _jsonl(no_url, no_claim, not_web, STRIKES) + "{not json\n"
    output = _import(tmp_path, content)
    assert "1 new, 0 updated, 0 unchanged, 4 skipped" in output
    assert "line 1: no url" in output
    assert "line 2: no claimReviewed" in output
    assert "line 3: url is not a web address" in output
    assert "line 5: not JSON" in output


def test_a_json_array_and_a_single_object(tmp_path):
    _import(tmp_path, json.dumps([EMBASSY, STRIKES]), "reviews.json")
    assert FactCheck.objects.count() == 2
    other = _review("other", "Another claim about Baghdad.")
    _import(tmp_path, json.dumps(other), "one.json")
    assert FactCheck.objects.count() == 3


def test_a_data_feed_with_items_wrapping_reviews(tmp_path):
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [EMBASSY]},
            {"@type": "DataFeedItem", "item": STRIKES},
        ],
    }
    _import(tmp_path, json.dumps(feed), "feed.json")
    assert FactCheck.objects.count() == 2


def test_an_html_page_with_json_ld(tmp_path):
    page = f"""<!doctype html><html><head><title>Fact check</title>
    <script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "headline": "x"})}
    </script>
    <script type='application/ld+json'>
    {json.dumps({"@context": "https://schema.org", "@graph": [EMBASSY, {"@type": "WebPage"}]})}
    </script></head><body><p>Text</p></body></html>"""
    _import(tmp_path, page, "page.html")
    assert list(FactCheck.objects.values_list("url", flat=True)) == [EMBASSY["url"]]


def test_a_page_without_claimreview_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Nothing could be imported"):
        _import(tmp_path, "<html><body>No data</body></html>", "page.html")


def test_gzipped_json_lines(tmp_path):
    _import(tmp_path, gzip.compress(_jsonl(EMBASSY, STRIKES).encode()), "reviews.jsonl.gz")
    assert FactCheck.objects.count() == 2


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_claimreviews", str(tmp_path / "nope.jsonl"), verbosity=0)


def test_it_imports_from_a_web_address(allow_private, httpserver):
    httpserver.expect_request("/claimreviews.jsonl").respond_with_data(
        _jsonl(EMBASSY, STRIKES), content_type="application/x-ndjson"
    )
    out = StringIO()
    call_command(
        "import_claimreviews", httpserver.url_for("/claimreviews.jsonl"), stdout=out, verbosity=0
    )
    assert "2 new" in out.getvalue()
    assert FactCheck.objects.filter(imported_from__startswith="http://").count() == 2


def test_the_publisher_is_matched_to_a_source_by_domain(tmp_path):
    source = factories.SourceFactory(name="Checker")
    factories.SourceDomainFactory(source=source, domain="checker.example")
    _import(tmp_path, _jsonl(EMBASSY))
    fact_check = FactCheck.objects.get()
    assert fact_check.publisher == source
    assert fact_check.archive_document.source == source


def test_our_own_claimreview_reads_back(published_verdict):
    records = list(read_claimreviews(json.dumps(claim_review(published_verdict)).encode()))
    assert len(records) == 1 and not isinstance(records[0], Rejected)
    record = records[0]
    assert record.claim_reviewed == published_verdict.claim.display_statement
    assert record.rating == published_verdict.rating.name
    assert record.date_published == published_verdict.published_at.date()


def test_names_given_as_lists_or_strings_are_read():
    data = _review(
        "lists", "A claim.", author=[{"name": ["Checker One"]}], reviewRating=[{"name": "Wrong"}]
    )
    data["itemReviewed"] = {"author": "Someone", "datePublished": "not a date"}
    (record,) = read_claimreviews(json.dumps(data).encode())
    assert (record.publisher_name, record.rating, record.claimant) == (
        "Checker One",
        "Wrong",
        "Someone",
    )
    assert record.claim_date is None

"""Search providers against local endpoints: SearxNG, a generic JSON API, Fact Check Tools.

Each one is off until configured, has a timeout and a rate limit, and one that fails or
answers garbage is reported and skipped while the others' candidates are kept."""

from __future__ import annotations

import datetime
import time

import pytest

from claims.corroboration.providers import configured_providers, search_providers
from claims.corroboration.providers.base import ProviderError, wait_for_rate_limit
from claims.corroboration.providers.factcheck_tools import FactCheckToolsProvider
from claims.corroboration.providers.json_endpoint import JsonSearchProvider
from claims.corroboration.providers.searxng import SearxngProvider
from claims.corroboration.queries import build_query

QUERY = build_query(
    'the strikes, carried out by F-15 planes, were a message to Iran after months of "restraint"',
    speaker="David Schenker",
)

SEARX_ANSWER = {
    "query": "Schenker F-15 Iran",
    "number_of_results": 2,
    "results": [
        {
            "url": "https://news.example/schenker",
            "title": "Schenker: strikes were a message",
            "content": "The F-15 strikes were a message to Iran, Schenker said.",
            "publishedDate": "2019-12-30T18:00:00",
            "engine": "bing news",
            "score": 2.5,
        },
        {"title": "a result without an address is skipped"},
        {"url": "https://other.example/a", "title": "Other", "content": "", "publishedDate": None},
    ],
}


def searxng(web, **kwargs) -> SearxngProvider:
    return SearxngProvider(
        base_url=web.url("searx.test", ""),
        timeout=kwargs.pop("timeout", 2),
        rate_limit=kwargs.pop("rate_limit", ""),
        **kwargs,
    )


def test_searxng_sends_the_keywords_and_reads_its_results(web):
    web.json(
        "/search",
        SEARX_ANSWER,
        query_string={"q": QUERY.keywords(), "format": "json", "categories": "news"},
    )
    found = searxng(web, categories="news").search(QUERY, limit=10)
    assert [c.url for c in found] == ["https://news.example/schenker", "https://other.example/a"]
    first = found[0]
    assert first.title == "Schenker: strikes were a message"
    assert first.snippet.startswith("The F-15 strikes")
    assert first.published_on == datetime.date(2019, 12, 30)
    assert first.provider == "searxng"
    assert first.provider_score == 2.5
    assert [c.rank for c in found] == [0, 1]


def test_searxng_stops_at_the_limit(web):
    web.json("/search", SEARX_ANSWER)
    assert len(searxng(web).search(QUERY, limit=1)) == 1


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ("<html><body>Rate limited</body></html>", "text/html", "not JSON (text/html)"),
        ("{not json", "application/json", "not JSON (application/json)"),
        ('{"answers": []}', "application/json", 'no "results" list'),
        ('["a", "list"]', "application/json", 'no "results" list'),
    ],
)
def test_searxng_garbage_is_a_clear_error(web, body, content_type, message):
    web.server.expect_request("/search").respond_with_data(body, content_type=content_type)
    with pytest.raises(ProviderError) as error:
        searxng(web).search(QUERY, limit=5)
    assert message in error.value.reason


def test_generic_json_endpoint_reads_nested_fields_and_sends_its_header(web):
    web.json(
        "/api/v1/find",
        {
            "data": {
                "hits": [
                    {
                        "link": {"href": "https://wire.example/story"},
                        "headline": "Strikes were a message to Iran",
                        "meta": {"date": "2019-12-30"},
                        "summary": "F-15 jets struck five sites.",
                    },
                    {"link": {"href": ""}, "headline": "no address"},
                ]
            }
        },
        headers={"X-Api-Key": "secret-key"},
        query_string={"q": QUERY.keywords(), "n": "5"},
    )
    provider = JsonSearchProvider(
        url_template=web.url("api.test", "/api/v1/find?q={query}&n={limit}"),
        results_path="data.hits",
        url_field="link.href",
        title_field="headline",
        date_field="meta.date",
        snippet_field="summary",
        header="X-Api-Key: secret-key",
        timeout=2,
        rate_limit="",
    )
    [found] = provider.search(QUERY, limit=5)
    assert found.url == "https://wire.example/story"
    assert found.title == "Strikes were a message to Iran"
    assert found.published_on == datetime.date(2019, 12, 30)
    assert found.snippet == "F-15 jets struck five sites."


def test_generic_json_endpoint_with_the_results_elsewhere_is_an_error(web):
    web.json("/find", {"items": []})
    provider = JsonSearchProvider(
        url_template=web.url("api.test", "/find?q={query}"),
        results_path="results",
        url_field="url",
        title_field="title",
        date_field="",
        snippet_field="",
        timeout=2,
        rate_limit="",
    )
    with pytest.raises(ProviderError, match='no list at "results"'):
        provider.search(QUERY, limit=5)


FACT_CHECKS = {
    "claims": [
        {
            "text": "US strikes in Iraq killed 25 militia fighters",
            "claimant": "Pentagon",
            "claimDate": "2019-12-29T00:00:00Z",
            "claimReview": [
                {
                    "publisher": {"name": "Check Desk", "site": "checkdesk.example"},
                    "url": "https://checkdesk.example/fact-check/strikes",
                    "title": "Did US strikes kill 25 fighters?",
                    "reviewDate": "2020-01-02T10:00:00Z",
                    "textualRating": "Mostly true",
                    "languageCode": "en",
                }
            ],
        },
        {"text": "no reviews", "claimReview": "not a list"},
    ]
}


def factcheck_tools(web, **kwargs) -> FactCheckToolsProvider:
    return FactCheckToolsProvider(
        endpoint=web.url("factchecktools.test", "/v1alpha1/claims:search"),
        api_key="test-key",
        language="en",
        timeout=kwargs.pop("timeout", 2),
        rate_limit="",
    )


def test_fact_check_tools_gives_each_review_with_its_rating(web):
    web.json(
        "/v1alpha1/claims:search",
        FACT_CHECKS,
        query_string={
            "query": QUERY.keywords(max_terms=8),
            "pageSize": "5",
            "key": "test-key",
            "languageCode": "en",
        },
    )
    [found] = factcheck_tools(web).search(QUERY, limit=5)
    assert found.url == "https://checkdesk.example/fact-check/strikes"
    assert found.rating == "Mostly true"
    assert found.outlet_name == "Check Desk"
    assert found.published_on == datetime.date(2020, 1, 2)
    assert found.snippet == (
        "Pentagon: US strikes in Iraq killed 25 militia fighters — rated “Mostly true” by "
        "Check Desk"
    )


def test_fact_check_tools_with_nothing_found_answers_an_empty_object(web):
    web.json("/v1alpha1/claims:search", {})
    assert factcheck_tools(web).search(QUERY, limit=5) == []


def test_an_error_status_is_reported_without_the_key(web):
    web.server.expect_request("/v1alpha1/claims:search").respond_with_data(
        '{"error": {"code": 403}}', status=403, content_type="application/json"
    )
    with pytest.raises(ProviderError) as error:
        factcheck_tools(web).search(QUERY, limit=5)
    assert "403" in error.value.reason
    assert "test-key" not in error.value.reason
    assert not error.value.retryable


def test_a_provider_that_times_out_or_answers_garbage_does_not_stop_the_others(web):
    web.slow("/slow/search", seconds=3)
    web.server.expect_request("/garbage/search").respond_with_data(
        "<<<>>>", content_type="application/json"
    )
    web.json("/search", SEARX_ANSWER)

    class Broken:
        name = "broken"
        uses_database = False

        def search(self, query, *, limit):
            raise RuntimeError("a bug in a provider")

    slow = SearxngProvider(
        base_url=web.url("slow.test", "/slow"), timeout=1, rate_limit="", categories=""
    )
    slow.name = "slow"
    garbage = SearxngProvider(
        base_url=web.url("garbage.test", "/garbage"), timeout=1, rate_limit="", categories=""
    )
    garbage.name = "garbage"
    started = time.monotonic()
    candidates, reports = search_providers(QUERY, [slow, garbage, Broken(), searxng(web)], limit=10)
    assert time.monotonic() - started < 3.5  # asked side by side, the slow one cut off
    assert [c.url for c in candidates] == [
        "https://news.example/schenker",
        "https://other.example/a",
    ]
    by_name = {r.name: r for r in reports}
    assert by_name["slow"].status == "failed"
    assert "did not answer within 1 seconds" in by_name["slow"].error
    assert by_name["slow"].retryable
    assert by_name["garbage"].status == "failed"
    assert "not JSON" in by_name["garbage"].error
    assert by_name["broken"].error == "broken failed unexpectedly (RuntimeError)."
    assert (by_name["searxng"].status, by_name["searxng"].found) == ("ok", 2)


def test_the_rate_limit_waits_for_room_or_gives_up(settings):
    settings.RATE_LIMIT_STORAGE_URL = "memory://"
    name = f"limited-{time.monotonic_ns()}"
    wait_for_rate_limit(name, "2/second", max_wait=0)
    wait_for_rate_limit(name, "2/second", max_wait=0)
    with pytest.raises(ProviderError, match="rate limit"):
        wait_for_rate_limit(name, "2/second", max_wait=0)
    started = time.monotonic()
    wait_for_rate_limit(name, "2/second", max_wait=2)  # room again within a second
    assert time.monotonic() - started <= 1.5


def test_providers_are_off_until_configured(settings):
    settings.CORROBORATION_ARCHIVE = True
    settings.SEARXNG_URL = ""
    settings.SEARCH_JSON_URL = ""
    settings.FACTCHECK_TOOLS_API_KEY = ""
    assert [p.name for p in configured_providers()] == ["archive"]
    settings.CORROBORATION_ARCHIVE = False
    settings.SEARXNG_URL = "http://searx.internal"
    settings.SEARCH_JSON_URL = "http://api.internal/?q={query}"
    settings.FACTCHECK_TOOLS_API_KEY = "key"
    assert [p.name for p in configured_providers()] == [
        "searxng",
        "web_search",
        "factcheck_tools",
    ]

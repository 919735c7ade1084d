"""Canonical links and ClaimReview addresses: SITE_URL when it is set (and always in production);
in development with none set, the address the page was asked on, so that the demo served on
another host or port (`make run HOST=… PORT=…`) points at itself."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')
HOST = "localhost:8123"


def _verdict_page(verdict) -> tuple[str, dict]:
    html = Client().get(verdict.get_absolute_url(), HTTP_HOST=HOST).content.decode()
    return CANONICAL.search(html).group(1), json.loads(LD_JSON.search(html).group(1))


@pytest.fixture
def development(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8000"  # the default
    settings.SITE_URL_SET = False
    return settings


def test_in_development_without_site_url_pages_name_the_address_they_were_asked_on(
    development, published_verdict
):
    canonical, claim_review = _verdict_page(published_verdict)
    expected = f"http://{HOST}{published_verdict.get_absolute_url()}"
    assert canonical == expected
    assert claim_review["url"] == expected
    assert claim_review["author"]["url"] == f"http://{HOST}"
    home = Client().get(reverse("public:home"), HTTP_HOST=HOST).content.decode()
    assert CANONICAL.search(home).group(1) == f"http://{HOST}/"
    robots = Client().get(reverse("public:robots"), HTTP_HOST=HOST).content.decode()
    assert f"Sitemap: http://{HOST}/sitemap.xml" in robots


def test_the_claimreview_feed_too(development, published_verdict):
    response = Client().get(reverse("public:claimreview_feed"), HTTP_HOST=HOST)
    feed = json.loads(b"".join(response.streaming_content))
    assert feed["url"] == f"http://{HOST}{reverse('public:claimreview_feed')}"
    [element] = feed["dataFeedElement"]
    assert element["url"] == f"http://{HOST}{published_verdict.get_absolute_url()}"


def test_a_site_url_that_is_set_wins_in_development(development, published_verdict):
    development.SITE_URL = "https://factcheck.example.org"
    development.SITE_URL_SET = True
    canonical, claim_review = _verdict_page(published_verdict)
    expected = "https://factcheck.example.org" + published_verdict.get_absolute_url()
    assert canonical == claim_review["url"] == expected


def test_production_always_uses_site_url(settings, published_verdict):
    settings.DEBUG = False
    settings.SITE_URL = "https://factcheck.example.org"
    settings.SITE_URL_SET = False
    settings.ALLOWED_HOSTS = ["localhost"]
    canonical, claim_review = _verdict_page(published_verdict)
    expected = "https://factcheck.example.org" + published_verdict.get_absolute_url()
    assert canonical == claim_review["url"] == expected


@pytest.mark.parametrize(("value", "is_set"), [("", "False"), ("https://fc.example", "True")])
def test_whether_site_url_is_set_comes_from_the_environment(value, is_set):
    from tests.test_settings import _run

    result = _run(
        {"SITE_URL": value},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL_SET, settings.SITE_URL)",
    )
    assert result.stdout.split()[-2:] == [is_set, value or "http://127.0.0.1:8000"], result.stderr


def test_the_public_page_cache_keeps_each_hosts_canonical_links(development, published_verdict):
    """Cached public pages are kept per host, so one host's links are not served to another."""
    url = published_verdict.get_absolute_url()
    for host in ("localhost:8123", "127.0.0.1:9000", "localhost:8123"):
        html = Client().get(url, HTTP_HOST=host).content.decode()
        assert CANONICAL.search(html).group(1) == f"http://{host}{url}"

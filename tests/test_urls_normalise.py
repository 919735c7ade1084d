"""URL normalising keeps the page's identity: only tracking parameters and credentials go."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from claims.urls_normalise import normalise_url


def test_an_address_in_a_parameter_stays_a_parameter():
    url = normalise_url("https://news.example.com/a?next=https://evil.example/x")
    parts = urlsplit(url)
    assert parts.hostname == "news.example.com"
    assert parts.path == "/a"
    assert parse_qs(parts.query) == {"next": ["https://evil.example/x"]}


def test_an_archive_address_keeps_its_slashes():
    url = "https://web.archive.org/web/2020/https://www.bbc.co.uk/news/world-50962932"
    assert normalise_url(url) == url


def test_credentials_are_dropped():
    url = normalise_url("http://user:pass@Host.example/story")
    assert url == "http://host.example/story"
    assert "pass" not in url


def test_only_known_tracking_parameters_are_dropped():
    url = normalise_url(
        "https://Example.com/story?utm_source=x&utm_medium=y&fbclid=1&gclid=2&mc_eid=3"
        "&id=5&ref=home&source=wire&page=2#comments"
    )
    assert url == "https://example.com/story?id=5&page=2&ref=home&source=wire"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("https://EXAMPLE.com", "https://example.com/"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
        ("https://café.example/a", "https://xn--caf-dma.example/a"),
        ("  https://example.com/a#top  ", "https://example.com/a"),
    ],
)
def test_one_spelling_per_page(given, stored):
    assert normalise_url(given) == stored


@pytest.mark.parametrize(
    "url",
    [
        "",
        "example.com/a",
        "ftp://example.com/a",
        "javascript:alert(1)",
        "https:///a",
        "https://exa mple.com/",
        "http://example.com:99999/",
        "https://example.com/\ud800",
        "https://example.com/?q=\udfff",
    ],
)
def test_anything_else_is_refused(url):
    with pytest.raises(ValueError, match="not an absolute"):
        normalise_url(url)

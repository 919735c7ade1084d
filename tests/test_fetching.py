"""The fetch wrapper against a local HTTP server: redirects, errors, limits, types, SSRF refusal."""

from __future__ import annotations

import socket
import time

import pytest
from werkzeug import Request, Response

from claims import fetching
from claims.fetching import FetchError, fetch_url
from claims.webtext import html_to_article

ARTICLE_HTML = """<!doctype html><html><head><title>Embassy stormed | Example News</title>
<meta property="og:site_name" content="Example News"><meta name="author" content="Jane Smith">
<meta property="article:published_time" content="2019-12-31T10:00:00Z"></head>
<body><nav>Home News Sport Weather</nav><article><h1>Embassy stormed</h1>
<p>Protesters stormed the US embassy compound in Baghdad on Tuesday, officials said.</p>
<p>US Assistant Secretary of State David Schenker said the strikes were a message to Iran.</p>
<p>More than 5,000 US military personnel are based in Iraq, according to the Pentagon.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def test_it_fetches_a_page(allow_private, httpserver):
    httpserver.expect_request("/story").respond_with_data(
        ARTICLE_HTML, content_type="text/html; charset=utf-8"
    )
    page = fetch_url(httpserver.url_for("/story"))
    assert page.status_code == 200
    assert page.content_type == "text/html"
    assert page.url == httpserver.url_for("/story")
    assert "David Schenker" in page.text
    assert page.content == ARTICLE_HTML.encode()


def test_it_sends_a_clear_user_agent(allow_private, httpserver):
    allow_private.FETCH_USER_AGENT = "FactcheckBot/test"
    httpserver.expect_request("/ua", headers={"User-Agent": "FactcheckBot/test"}).respond_with_data(
        ARTICLE_HTML, content_type="text/html"
    )
    fetch_url(httpserver.url_for("/ua"))


def test_it_follows_a_redirect_chain(allow_private, httpserver):
    httpserver.expect_request("/a").respond_with_response(
        Response(status=301, headers={"Location": "/b"})
    )
    httpserver.expect_request("/b").respond_with_response(
        Response(status=302, headers={"Location": httpserver.url_for("/c?x=1")})
    )
    httpserver.expect_request("/c").respond_with_data(ARTICLE_HTML, content_type="text/html")
    page = fetch_url(httpserver.url_for("/a"))
    assert page.url == httpserver.url_for("/c?x=1")
    assert "Embassy stormed" in page.text


def test_it_stops_an_endless_redirect(allow_private, httpserver):
    allow_private.FETCH_MAX_REDIRECTS = 3
    httpserver.expect_request("/loop").respond_with_response(
        Response(status=302, headers={"Location": "/loop"})
    )
    with pytest.raises(FetchError, match="redirected more than 3 times"):
        fetch_url(httpserver.url_for("/loop"))


def test_a_404_is_a_final_error(allow_private, httpserver):
    httpserver.expect_request("/gone").respond_with_data("nope", status=404)
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/gone"))
    assert info.value.reason == "The page returned 404 (Not Found)."
    assert not info.value.retryable


def test_a_500_may_be_retried(allow_private, httpserver):
    httpserver.expect_request("/busy").respond_with_data("oops", status=500)
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/busy"))
    assert "500" in info.value.reason
    assert info.value.retryable


def test_a_slow_page_times_out(allow_private, httpserver):
    allow_private.FETCH_READ_TIMEOUT = 0.3

    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response(ARTICLE_HTML, content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/slow"))
    assert time.monotonic() - started < 1.0
    assert "did not answer within 0.3 seconds" in info.value.reason
    assert info.value.retryable


def test_a_huge_page_is_refused_by_its_declared_length(allow_private, httpserver):
    httpserver.expect_request("/huge").respond_with_data("x" * 50_000, content_type="text/html")
    with pytest.raises(FetchError, match=r"larger than the 9\.8 KB limit"):
        fetch_url(httpserver.url_for("/huge"), max_bytes=10_000)


def test_a_huge_page_without_length_is_cut_off_while_streaming(allow_private, httpserver):
    allow_private.FETCH_MAX_BYTES = 20_000
    sent = []

    def endless(request: Request) -> Response:
        def body():
            for _ in range(100_000):
                sent.append(1)
                yield b"<p>" + b"x" * 1000 + b"</p>"

        return Response(body(), content_type="text/html")

    httpserver.expect_request("/stream").respond_with_handler(endless)
    with pytest.raises(FetchError, match=r"larger than the 19\.5 KB"):
        fetch_url(httpserver.url_for("/stream"))
    assert len(sent) < 100_000


@pytest.mark.parametrize(
    ("content_type", "body", "described"),
    [
        ("application/pdf", b"%PDF-1.7 binary", "a PDF document"),
        ("image/png", b"\x89PNG\r\n\x1a\n", "image (image/png)"),
    ],
)
def test_non_html_is_refused(allow_private, httpserver, content_type, body, described):
    httpserver.expect_request("/file").respond_with_data(body, content_type=content_type)
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/file"))
    assert f"serves {described}, not a web page" in info.value.reason
    assert not info.value.retryable


def test_accept_widens_the_allowed_types(allow_private, httpserver):
    httpserver.expect_request("/feed").respond_with_data(
        "<rss/>", content_type="application/rss+xml"
    )
    page = fetch_url(httpserver.url_for("/feed"), accept=fetching.FEED_TYPES)
    assert page.text == "<rss/>"


def test_it_decodes_the_declared_charset(allow_private, httpserver):
    body = "<html><body><p>Café crème à Bagdad</p></body></html>".encode("latin-1")
    httpserver.expect_request("/latin").respond_with_data(
        body, content_type="text/html; charset=ISO-8859-1"
    )
    assert "Café crème" in fetch_url(httpserver.url_for("/latin")).text


@pytest.mark.parametrize(
    ("content_type", "body", "text"),
    [
        # UTF-7 and the escape codecs would spell a lone surrogate; they are passed over.
        ("text/html; charset=utf-7", b"<p>Caf+AOk- +2AA-</p>", "<p>Caf+AOk- +2AA-</p>"),
        ("text/html; charset=unicode_escape", b"<p>\\ud800 x</p>", "<p>\\ud800 x</p>"),
        # Not text encodings at all: decoding with them raised LookupError.
        ("text/html; charset=base64", b"<p>caf\xc3\xa9</p>", "<p>caf\u00e9</p>"),
        ("text/html", b'<meta charset="rot13"><p>caf\xc3\xa9</p>', "caf\u00e9"),
        ("text/html; charset=idna", b"<p>caf\xc3\xa9</p>", "<p>caf\u00e9</p>"),
        # A lone surrogate in UTF-16 becomes U+FFFD like any other bad bytes.
        ("text/html; charset=utf-16", "<p>a</p>".encode("utf-16") + b"\x00\xd8", "\ufffd"),
    ],
)
def test_a_page_always_decodes_to_valid_text(allow_private, httpserver, content_type, body, text):
    httpserver.expect_request("/odd").respond_with_data(body, content_type=content_type)
    page = fetch_url(httpserver.url_for("/odd"))
    assert text in page.text
    page.text.encode("utf-8")  # no lone surrogate


def test_it_refuses_loopback_unless_allowed(settings, httpserver):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False
    httpserver.expect_request("/story").respond_with_data(ARTICLE_HTML, content_type="text/html")
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/story"))
    assert info.value.reason.startswith("The address points to a private network")
    assert not info.value.retryable
    assert len(httpserver.log) == 0


def test_it_refuses_a_redirect_to_a_private_address(settings, httpserver, fake_dns, monkeypatch):
    """The first hop passes as public; the redirect goes to a name that resolves privately."""
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False
    real_check = fetching.is_public_address
    # Let the test server stand in for the public internet; everything else is checked for real.
    monkeypatch.setattr(
        fetching, "is_public_address", lambda ip: ip == "127.0.0.1" or real_check(ip)
    )
    fake_dns["metadata.internal.test"] = "169.254.169.254"
    httpserver.expect_request("/jump").respond_with_response(
        Response(
            status=302, headers={"Location": "http://metadata.internal.test/latest/meta-data/"}
        )
    )
    with pytest.raises(FetchError) as info:
        fetch_url(httpserver.url_for("/jump"))
    assert info.value.reason == (
        "The address points to a private network (metadata.internal.test is 169.254.169.254); "
        "only public web pages can be fetched."
    )
    assert len(httpserver.log) == 1


def test_it_connects_to_the_address_it_checked(allow_private, httpserver, fake_dns):
    """The name is resolved once, by us; the request goes to that IP with the original Host."""
    fake_dns["news.pinned.test"] = "127.0.0.1"
    httpserver.expect_request(
        "/story", headers={"Host": f"news.pinned.test:{httpserver.port}"}
    ).respond_with_data(ARTICLE_HTML, content_type="text/html")
    page = fetch_url(f"http://news.pinned.test:{httpserver.port}/story")
    assert page.url == f"http://news.pinned.test:{httpserver.port}/story"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::6810:84e5", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("100.64.0.1", False),
        # IPv6 transition addresses are as public as the IPv4 address they wrap.
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("2002:a00:1::1", False),  # 6to4 of 10.0.0.1
        ("2002:a9fe:a9fe::", False),  # 6to4 of 169.254.169.254
        ("2002:5db8:d822::", True),  # 6to4 of 93.184.216.34
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("64:ff9b::5db8:d822", True),  # NAT64 of 93.184.216.34
        ("64:ff9b:1::5db8:d822", False),  # local-use NAT64: a private network's own
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo, client 127.0.0.1
        ("2001:0:c0a8:101::5db8:d822", False),  # Teredo, server 192.168.1.1
        ("2001:0:5db8:d822::a247:2dcb", True),  # Teredo, both ends public
        ("::ffff:10.0.0.1", False),  # IPv4-mapped
        ("::ffff:93.184.216.34", True),
        ("::127.0.0.1", False),  # IPv4-compatible (deprecated)
        ("::93.184.216.34", False),
        ("::", False),
    ],
)
def test_address_classes(address, public):
    assert fetching.is_public_address(address) is public


@pytest.mark.parametrize(
    "url",
    [
        "http://[2002:7f00:1::]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::127.0.0.1]/",
    ],
)
def test_transition_addresses_are_refused_before_connecting(settings, monkeypatch, url):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False

    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(fetching.httpx.Client, "send", no_connection)
    with pytest.raises(FetchError) as info:
        fetch_url(url)
    assert info.value.reason.startswith("The address points to a private network")


def test_an_unknown_host_is_a_clear_error(allow_private, fake_dns, monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetching.socket, "getaddrinfo", no_such_host)
    with pytest.raises(FetchError, match="could not be found; check the address"):
        fetch_url("http://no-such-host.invalid/")


@pytest.mark.parametrize("url", ["ftp://example.com/a", "file:///etc/passwd", "javascript:1"])
def test_only_web_addresses_are_fetched(url):
    with pytest.raises(FetchError, match="not a web address"):
        fetch_url(url)


def test_html_to_article_reads_text_and_metadata():
    article = html_to_article(ARTICLE_HTML, url="https://news.example.com/story")
    assert article is not None
    assert article.title == "Embassy stormed"
    assert article.byline == "Jane Smith"
    assert article.site_name == "Example News"
    assert str(article.published) == "2019-12-31"
    assert "David Schenker" in article.text
    assert "Home News Sport" not in article.text
    assert not article.text.startswith("Embassy stormed")


@pytest.mark.parametrize(
    "html",
    ["", "<html><body><nav>Home</nav></body></html>", "<html><body><p>Page not found</p>"],
)
def test_html_to_article_finds_no_article(html):
    assert html_to_article(html) is None

"""A small web on 127.0.0.1 for the corroboration tests: outlets' pages under test host names,
a SearxNG-style search endpoint, a Fact Check Tools-style endpoint and a generic JSON API."""

from __future__ import annotations

import html
import json
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


def article_page(title: str, paragraphs: list[str], *, site: str = "") -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    meta = f"<meta property='og:site_name' content='{html.escape(site)}'>" if site else ""
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"{meta}</head><body><nav>Home World Politics</nav><article><h1>{html.escape(title)}</h1>"
        f"{body}</article><footer>All rights reserved.</footer></body></html>"
    )


class LocalWeb:
    """Pages served under host names that resolve to the test server (see `fake_dns`)."""

    def __init__(self, server: HTTPServer, names: dict[str, str]) -> None:
        self.server = server
        self.names = names

    def url(self, host: str, path: str) -> str:
        self.names[host] = "127.0.0.1"
        return f"http://{host}:{self.server.port}{path}"

    def page(self, path: str, title: str, paragraphs: list[str], **kwargs) -> None:
        self.server.expect_request(path).respond_with_data(
            article_page(title, paragraphs, **kwargs), content_type="text/html; charset=utf-8"
        )

    def json(self, path: str, data: object, **kwargs) -> None:
        self.server.expect_request(path, **kwargs).respond_with_data(
            json.dumps(data), content_type="application/json"
        )

    def slow(self, path: str, seconds: float) -> None:
        def handler(request: Request) -> Response:
            time.sleep(seconds)
            return Response("{}", content_type="application/json")

        self.server.expect_request(path).respond_with_handler(handler)

    def hits(self, path: str) -> int:
        return sum(1 for request, _ in self.server.log if request.path == path)


@pytest.fixture
def web(allow_private, fake_dns):
    """A threaded local server (a slow endpoint must not hold up the others)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield LocalWeb(server, fake_dns)
    finally:
        server.clear()
        server.stop()

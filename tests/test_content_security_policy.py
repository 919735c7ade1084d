"""The Content-Security-Policy: on every response, strict (nothing inline), and the pages keep to
it: no inline script, no event-handler attribute, no style attribute. The browser test
(tests/browser/test_content_security_policy.py) checks that Chromium reports no violation."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import VerdictRating
from tests import factories

pytestmark = pytest.mark.django_db

# A data block (JSON, JSON-LD) is not run, so the policy does not apply to it.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I
)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def assert_nothing_inline(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group()
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group()
    assert not STYLE_ATTRIBUTE.search(html), STYLE_ATTRIBUTE.search(html).group()


@pytest.fixture
def pages(published_verdict, reviewer_user):
    """The main pages, public and staff, with data on them (a verdict, evidence, ratings)."""
    claim = published_verdict.claim
    factories.EvidenceFactory(claim=claim, outlet=factories.SourceFactory(reliability=4))
    return {
        "public": [
            reverse("public:home"),
            reverse("public:verdicts"),
            published_verdict.get_absolute_url(),
            reverse("public:speakers"),
            reverse("public:ratings"),
            reverse("login"),
            "/no-such-page/",
        ],
        "staff": [
            reverse("review:queue"),
            reverse("review:queue") + "?status=published",
            reverse("review:dashboard"),
            reverse("review:article_new"),
            reverse("review:article", args=[claim.article_id]),
            reverse("review:claim", args=[claim.pk]),
        ],
    }


def test_every_page_has_a_strict_policy(client, reviewer_client, pages):
    for page_client, urls in ((client, pages["public"]), (reviewer_client, pages["staff"])):
        for url in urls:
            directives = policy(page_client.get(url))
            assert directives["default-src"] == ["'self'"], url
            assert directives["script-src"] == ["'self'"], url
            assert directives["style-src"] == ["'self'"], url
            assert directives["object-src"] == ["'none'"], url
            assert directives["frame-ancestors"] == ["'none'"], url


def test_pages_have_no_inline_script_handler_or_style(client, reviewer_client, pages):
    for page_client, urls in ((client, pages["public"]), (reviewer_client, pages["staff"])):
        for url in urls:
            html = page_client.get(url).content.decode()
            assert_nothing_inline(html)


def test_refusal_and_error_pages_keep_to_it(reviewer_client, plain_user_client, published_verdict):
    claim = published_verdict.claim
    refused = reviewer_client.post(reverse("review:verdict_correct", args=[claim.pk]), {})
    assert refused.status_code == 403
    assert "Content-Security-Policy" in refused
    assert_nothing_inline(refused.content.decode())
    assert_nothing_inline(plain_user_client.get(reverse("review:queue")).content.decode())


def test_the_api_docs_keep_to_it(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'"]
    assert not INLINE_SCRIPT.search(response.content.decode())


def test_htmx_is_configured_for_the_policy(client):
    html = client.get(reverse("public:home")).content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'", html).group(1)
    assert '"allowEval":false' in config
    assert '"includeIndicatorStyles":false' in config
    assert '"allowScriptTags":false' in config
    assert '"attributesToSettle":["class","width","height"]' in config


def test_rating_colours_come_from_a_stylesheet(client, published_verdict):
    true = VerdictRating.objects.get(slug="true")
    html = client.get(published_verdict.get_absolute_url()).content.decode()
    assert f'class="rating rating-{true.pk}"' in html
    assert f'href="{reverse("public:rating_styles")}"' in html
    response = client.get(reverse("public:rating_styles"))
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert f".rating-{true.pk} {{ --rating-colour: {true.colour}; --rating-ink: " in css
    assert "max-age=300" in response["Cache-Control"]
    # Unchanged: the browser's copy is still good.
    again = client.get(reverse("public:rating_styles"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_colour_that_is_not_hex_never_reaches_the_stylesheet(client):
    rating = VerdictRating.objects.get(slug="false")
    VerdictRating.objects.filter(pk=rating.pk).update(colour="red}*{")
    css = Client().get(reverse("public:rating_styles")).content.decode()
    assert f".rating-{rating.pk} " not in css
    assert "}*{" not in css

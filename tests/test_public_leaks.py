"""Nothing unpublished ever reaches the public: one test walks every public page, feed, sitemap
entry and public API answer, following every link they give, and looks for a marker written
into everything that is not public (claims not yet published, draft and returned verdicts,
internal notes, comments, evidence nobody chose, a verdict taken back for rework)."""

from __future__ import annotations

import json
import re
from collections import deque

import pytest
from django.conf import settings
from django.test import Client

from claims.models import Claim, VerdictRating
from claims.services.claims import claim_accept, claim_comment, claim_dismiss
from claims.services.verdicts import verdict_return, verdict_submit, verdict_unpublish
from tests import factories
from tests.publishing import publish

pytestmark = pytest.mark.django_db

MARKER = "ZQXLEAKMARKER"
# Searches for words that sit beside the marker in unpublished text (searching for the marker
# itself would only find it echoed in the search box).
SEARCHES = ["draft explanation", "dismissed", "rework", "statement", "comment", "candidate"]
SEEDS = [
    "/",
    "/verdicts/",
    *(f"/verdicts/?q={words}" for words in SEARCHES),
    *(f"/api/verdicts?q={words}" for words in SEARCHES),
    "/speakers/",
    "/speakers/?q=Speaker",
    "/api/speakers?q=Speaker",
    "/ratings/",
    "/robots.txt",
    "/sitemap.xml",
    "/claimreview.json",
    "/verdicts/feed/",
    "/verdicts/feed/atom/",
    "/api/verdicts?limit=100",
    "/api/speakers?limit=100",
    "/api/ratings",
    "/api/claimreview?limit=100",
]
PRIVATE = ("/review/", "/admin/", "/accounts/", "/api/docs", "/static/", "/favicon")
LINK = re.compile(r'(?:href|src)="(/[^"#]*)"')
LOC = re.compile(r"<loc>" + re.escape(settings.SITE_URL) + r"(/[^<]*)</loc>")
ATOM_LINK = re.compile(r'<link[^>]+href="' + re.escape(settings.SITE_URL) + r'(/[^"]*)"')
RSS_LINK = re.compile(r"<link>" + re.escape(settings.SITE_URL) + r"(/[^<]*)</link>")


@pytest.fixture
def newsroom(reviewer_user, editor_user):
    """Two published verdicts, and the marker in everything around them that is not public."""
    rating = VerdictRating.objects.get(slug="false")
    ann = factories.SpeakerFactory(name="Ann Example", slug="ann-example", role="Minister")
    public = publish(
        author=reviewer_user,
        approver=editor_user,
        speaker=ann,
        content="the bridge cost four billion",
        evidence_urls=("https://audit.example/bridge",),
    )
    publish(author=reviewer_user, approver=editor_user, content="the tunnel opened in May")
    published_claim = public.claim

    # Around a published claim: staff comments, the chosen evidence's working text, candidates.
    claim_comment(claim=published_claim, by=reviewer_user, body=f"{MARKER} comment")
    chosen = public.evidence.get()
    chosen.passage = f"{MARKER} passage"
    chosen.snapshot = f"{MARKER} snapshot"
    chosen.save()
    factories.EvidenceFactory(
        claim=published_claim, url="https://candidate.example/x", title=f"{MARKER} candidate"
    )

    # Claims nobody published, one by a speaker with nothing published.
    hidden = factories.SpeakerFactory(name=f"{MARKER} Speaker", slug="hidden-speaker")
    factories.ClaimFactory(speaker=hidden, content=f"{MARKER} new claim")
    factories.ClaimFactory(speaker=ann, content=f"{MARKER} claim of a published speaker")

    # A draft verdict awaiting approval, with the author's note on its evidence.
    draft = claim_accept(claim=factories.ClaimFactory(speaker=ann), by=reviewer_user)
    draft.statement = f"{MARKER} statement"
    draft.save()
    verdict_submit(
        claim=draft, by=reviewer_user, rating=rating, explanation=f"{MARKER} draft explanation"
    )

    # A verdict returned to its author with the editor's comment.
    returned_claim = claim_accept(claim=factories.ClaimFactory(speaker=ann), by=reviewer_user)
    returned = verdict_submit(
        claim=returned_claim, by=reviewer_user, rating=rating, explanation="Almost there."
    )
    verdict_return(verdict=returned, by=editor_user, comment=f"{MARKER} return comment")

    # A dismissed claim with a note.
    claim_dismiss(
        claim=factories.ClaimFactory(content=f"{MARKER} dismissed claim"),
        by=reviewer_user,
        reason=Claim.DismissalReason.OTHER,
        note=f"{MARKER} dismissal note",
    )

    # A published verdict taken back for rework and rewritten: not public until approved.
    reworked = publish(
        author=reviewer_user,
        approver=editor_user,
        speaker=ann,
        content="the ferry carried a million people",
    )
    verdict_unpublish(verdict=reworked, by=editor_user, reason="The operator revised its count.")
    verdict_submit(
        claim=Claim.objects.get(pk=reworked.claim_id),
        by=reviewer_user,
        rating=rating,
        explanation=f"{MARKER} rework explanation",
    )
    return {"public": public, "reworked": reworked, "hidden": hidden}


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _links(url: str, body: str) -> set[str]:
    found = set(LINK.findall(body)) | set(LOC.findall(body))
    found |= set(ATOM_LINK.findall(body)) | set(RSS_LINK.findall(body))
    if url.startswith("/api/"):
        data = json.loads(body)
        items = data.get("items", data) if isinstance(data, dict) else data
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("url"), str) and item["url"].startswith("/"):
                found.add(item["url"])
            if url.startswith("/api/verdicts") and "slug" in item:
                found.add(f"/api/verdicts/{item['slug']}")
            if url.startswith("/api/speakers") and "slug" in item:
                found.add(f"/api/speakers/{item['slug']}")
    return {link.replace("&amp;", "&") for link in found}


def _walk(client: Client, headers: dict[str, str] | None = None) -> dict[str, str]:
    """Every public address reachable from the seeds, with its body."""
    seen: dict[str, str] = {}
    queue = deque(SEEDS)
    while queue and len(seen) < 400:
        url = queue.popleft()
        if url in seen or url.startswith(PRIVATE):
            continue
        response = client.get(url, **(headers or {}))
        assert response.status_code in (200, 301, 302), (url, response.status_code)
        body = _body(response)
        seen[url] = body
        queue.extend(link for link in _links(url, body) if link not in seen)
    return seen


def test_no_public_page_feed_sitemap_or_api_answer_shows_anything_unpublished(newsroom):
    pages = _walk(Client())
    leaks = [url for url, body in pages.items() if MARKER in body]
    assert leaks == []
    public, reworked, hidden = newsroom["public"], newsroom["reworked"], newsroom["hidden"]
    # The walk reached everything public: pages, feeds, sitemap entries and API answers.
    for expected in (
        public.get_absolute_url(),
        "/speakers/ann-example/",
        "/speakers/ann-example/feed/",
        "/sitemap-verdicts.xml",
        "/sitemap-speakers.xml",
        f"/api/verdicts/{public.slug}",
        "/api/speakers/ann-example",
    ):
        assert expected in pages, expected
    assert reworked.get_absolute_url() not in pages
    assert Client().get(reworked.get_absolute_url()).status_code == 404
    assert Client().get(f"/api/verdicts/{reworked.slug}").status_code == 404
    assert Client().get(hidden.get_absolute_url()).status_code == 404
    # The htmx fragments of the lists too.
    fragments = [
        Client().get(url, HTTP_HX_REQUEST="true")
        for url in ("/verdicts/", "/verdicts/?q=draft", "/speakers/", "/speakers/ann-example/")
    ]
    assert all(MARKER not in _body(response) for response in fragments)

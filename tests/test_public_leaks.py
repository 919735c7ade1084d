"""Nothing unpublished ever reaches the public: one test walks every public page, feed, sitemap
entry and public API answer, following every link they give, and looks for a marker written
into everything that is not public (claims not yet published, draft and returned verdicts,
internal notes, comments, evidence nobody chose, the draft of a published claim reopened for
rework, a page taken down). A reopened claim keeps showing its last published version everywhere
until an editor other than the rework's author approves it."""

from __future__ import annotations

import json
import re
from collections import deque

import pytest
from django.conf import settings
from django.test import Client

from claims import counters
from claims.models import (
    Claim,
    Evidence,
    PublishedRatingCount,
    Speaker,
    SpeakerRatingCount,
    VerdictRating,
)
from claims.services.claims import (
    claim_accept,
    claim_comment,
    claim_dismiss,
    claim_set_speaker,
    claim_update,
)
from claims.services.evidence import evidence_add, evidence_set_stance
from claims.services.verdicts import (
    verdict_approve,
    verdict_return,
    verdict_submit,
    verdict_unpublish,
)
from tests import factories
from tests.publishing import publish

pytestmark = pytest.mark.django_db

MARKER = "ZQXLEAKMARKER"
# Searches for words that sit beside the marker in unpublished text (searching for the marker
# itself would only find it echoed in the search box).
SEARCHES = [
    "draft explanation",
    "dismissed",
    "rework",
    "statement",
    "comment",
    "candidate",
    "reworded",
    "down",
]
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

    reworked = _reopened_and_reworked(reviewer_user, editor_user, ann)

    # A page an editor took down (a legal reason): nothing of it stays public.
    taken_down = publish(
        author=reviewer_user,
        approver=editor_user,
        speaker=ann,
        content="the harbour closed down",
        explanation=f"{MARKER} taken down explanation",
    )
    verdict_unpublish(verdict=taken_down, by=editor_user, reason="A court order.", take_down=True)
    return {"public": public, "reworked": reworked, "hidden": hidden, "taken_down": taken_down}


def _reopened_and_reworked(reviewer_user, editor_user, ann):
    """A published verdict reopened for rework, and the marker in everything the rework
    changed: the draft's rating (True, was Mostly false), explanation and evidence, the claim's
    statement, words and speaker, the sources' stances, and a comment; submitted for approval."""
    speaker_record = factories.SpeakerFactory(name="Ann Example Office", slug="ann-office")
    reworked = publish(
        author=reviewer_user,
        approver=editor_user,
        rating="mostly-false",
        explanation="The operator counted 800,000 passengers.",
        statement="Ann Example said the ferry carried a million people last year",
        speaker=ann,
        content="the ferry carried a million people",
        evidence_urls=("https://operator.example/annual",),
    )
    verdict_unpublish(verdict=reworked, by=editor_user, reason="The operator revised its count.")
    claim = Claim.objects.get(pk=reworked.claim_id)
    claim = claim_update(
        claim=claim,
        by=reviewer_user,
        expected_version=claim.version,
        statement=f"{MARKER} reworded statement",
        content=f"the ferry carried {MARKER} people",
    )
    claim = claim_set_speaker(
        claim=claim, by=reviewer_user, speaker=speaker_record, expected_version=claim.version
    )
    source = Evidence.objects.get(claim=claim, url="https://operator.example/annual")
    evidence_set_stance(evidence=source, stance=Evidence.Stance.SUPPORTS, by=reviewer_user)
    extra = evidence_add(
        claim=claim, by=reviewer_user, url="https://rework.example/new", title=f"{MARKER} source"
    )
    claim_comment(claim=claim, by=reviewer_user, body=f"{MARKER} rework comment")
    verdict_submit(
        claim=Claim.objects.get(pk=claim.pk),
        by=reviewer_user,
        rating=VerdictRating.objects.get(slug="true"),
        explanation=f"{MARKER} rework explanation",
        evidence=[source, extra],
    )
    return reworked


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
    # The reopened claim: still public everywhere, as last published, saying it is reviewed.
    assert reworked.get_absolute_url() in pages and f"/api/verdicts/{reworked.slug}" in pages
    page = pages[reworked.get_absolute_url()]
    assert "The operator counted 800,000 passengers." in page
    assert "the ferry carried a million people" in page.lower()
    assert "https://operator.example/annual" in page and "Supports" not in page
    assert "being reviewed again" in page
    assert '"alternateName": "Mostly false"' in page
    assert "/speakers/ann-office/" not in pages
    api = json.loads(pages[f"/api/verdicts/{reworked.slug}"])
    assert (api["rating"]["slug"], api["under_review"]) == ("mostly-false", True)
    assert api["speaker"]["slug"] == "ann-example"
    taken_down = newsroom["taken_down"]
    assert taken_down.get_absolute_url() not in pages
    assert Client().get(taken_down.get_absolute_url()).status_code == 404
    assert Client().get(f"/api/verdicts/{taken_down.slug}").status_code == 404
    assert Client().get(hidden.get_absolute_url()).status_code == 404
    # The htmx fragments of the lists too.
    fragments = [
        Client().get(url, HTTP_HX_REQUEST="true")
        for url in ("/verdicts/", "/verdicts/?q=draft", "/speakers/", "/speakers/ann-example/")
    ]
    assert all(MARKER not in _body(response) for response in fragments)


def _rating_counts() -> dict[str, int]:
    slugs = dict(VerdictRating.objects.values_list("pk", "slug"))
    rows = PublishedRatingCount.objects.exclude(count=0).values_list("rating_id", "count")
    return {slugs[rating_id]: count for rating_id, count in rows}


def test_a_reworked_claim_shows_its_new_version_once_a_second_editor_approves_it(
    newsroom, other_editor_user
):
    reworked = newsroom["reworked"]
    # Three public verdicts rated False, the reopened one as published (Mostly false).
    assert _rating_counts() == {"false": 2, "mostly-false": 1}
    assert counters.drift() == {}
    verdict_approve(verdict=reworked, by=other_editor_user)
    assert _rating_counts() == {"false": 2, "true": 1}
    assert counters.drift() == {}
    office = Speaker.objects.get(slug="ann-office")
    assert SpeakerRatingCount.objects.get(speaker_id=office.pk).count == 1
    # The walk finds the new version, with the correction it made.
    pages = _walk(Client())
    page = pages[reworked.get_absolute_url()]
    assert f"{MARKER} rework explanation" in page
    assert f"{MARKER} reworded statement" in page
    assert "being reviewed again" not in page
    log = re.search(r'<ol class="corrections-log">.*?</ol>', page, re.S).group(0)
    assert re.search(r"from <span[^>]*>Mostly false</span>\s*to <span[^>]*>True</span>", log)
    assert "The operator revised its count." in log
    assert "/speakers/ann-office/" in pages
    api = json.loads(pages[f"/api/verdicts/{reworked.slug}"])
    assert (api["rating"]["slug"], api["under_review"]) == ("true", False)
    # Comments and the page taken down stay private.
    assert [url for url, body in pages.items() if "rework comment" in body] == []
    assert [url for url, body in pages.items() if "taken down explanation" in body] == []

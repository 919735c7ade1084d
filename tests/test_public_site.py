"""The public site: home, the verdict list with search and filters, the verdict page, speakers,
ratings and robots.txt. Anonymous, read-only, and only published verdicts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim, VerdictRating
from claims.services.verdicts import verdict_submit
from tests import factories
from tests.publishing import correct, days_ago, publish

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def schenker(db):
    return factories.SpeakerFactory(
        name="David Schenker", slug="david-schenker", role="US Assistant Secretary of State"
    )


@pytest.fixture
def sky(db):
    return factories.SourceFactory(name="Sky News", slug="sky-news")


@pytest.fixture
def record(reviewer_user, editor_user, schenker, sky):
    """Four published verdicts (two by Schenker) and one that is only awaiting approval."""
    article = factories.ArticleFactory(
        outlet=sky,
        outlet_name="Sky News",
        url="https://news.sky.example/baghdad",
        headline="US embassy in Baghdad attacked",
        published_on=datetime.date(2019, 12, 31),
    )
    verdicts = {
        "message": publish(
            author=reviewer_user,
            approver=editor_user,
            rating="true",
            explanation="The State Department transcript records these words.",
            speaker=schenker,
            article=article,
            content="the strikes were a message to Iran",
            published_at=days_ago(3),
        ),
        "fighters": publish(
            author=reviewer_user,
            approver=editor_user,
            rating="false",
            explanation="Iraqi officials gave a lower figure.",
            speaker=schenker,
            content="fifty fighters died",
            published_at=days_ago(40),
        ),
        "embassy": publish(
            author=reviewer_user,
            approver=editor_user,
            rating="mostly-true",
            explanation="Staff had left before the protesters arrived.",
            speaker=factories.SpeakerFactory(name="Reuters", slug="reuters", kind="media"),
            content="embassy staff were not in the building",
            published_at=days_ago(10),
        ),
        "budget": publish(
            author=reviewer_user,
            approver=editor_user,
            rating="misleading",
            explanation="The budget papers show a delay, not a cut.",
            speaker=None,
            speaker_text="",
            kind=Claim.Kind.UNATTRIBUTED,
            content="the embassy budget was cut",
            published_at=days_ago(20),
        ),
    }
    draft = factories.ClaimFactory(speaker=schenker, content="a draft about Iran awaiting review")
    from claims.services.claims import claim_accept

    draft = claim_accept(claim=draft, by=reviewer_user)
    verdict_submit(
        claim=draft,
        by=reviewer_user,
        rating=VerdictRating.objects.get(slug="false"),
        explanation="Unpublished explanation.",
    )
    return verdicts


def _body(url: str, **extra) -> str:
    response = Client().get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _listed(body: str) -> list[str]:
    return re.findall(r'class="card-title" href="/verdicts/([^/]+)/"', body)


# Home


def test_home_shows_latest_counts_intro_and_links(record, settings):
    settings.SITE_INTRO = "We are the newsroom's checking desk.\n\nWrite to us."
    body = _body("/")
    assert "<p>We are the newsroom&#x27;s checking desk.</p>" in body
    assert _listed(body) == [
        record[key].slug for key in ("message", "embassy", "budget", "fighters")
    ]
    assert "draft about Iran" not in body
    true_count = re.search(
        r'\?rating=true">[^\n]*?</span>\s*</a> <span class="count-number">(\d+)</span>', body
    )
    assert true_count.group(1) == "1"
    for url in ("/verdicts/", "/speakers/", "/ratings/", "/api/docs"):
        assert f'href="{url}"' in body


def test_home_query_count_is_flat(record, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        Client().get("/")


# The verdict list


def test_verdict_list_newest_first_without_drafts(record):
    body = _body("/verdicts/")
    assert _listed(body) == [
        record[key].slug for key in ("message", "embassy", "budget", "fighters")
    ]
    assert "4 fact-checks." in body
    assert "draft about Iran" not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"rating": "false"}, ["fighters"]),
        ({"speaker": "david-schenker"}, ["message", "fighters"]),
        ({"outlet": "sky-news"}, ["message"]),
        ({"outlet": "Sky News"}, ["message"]),
        ({"q": "Iran"}, ["message"]),
        ({"q": "protesters"}, ["embassy"]),  # a word of the explanation
        ({"q": "Schenker"}, ["message", "fighters"]),  # the speaker's name
        ({"q": "budget cut"}, ["budget"]),  # every word must match
        ({"q": "embassy"}, ["embassy", "budget"]),
        ({"q": "embassy", "rating": "misleading"}, ["budget"]),  # search and filters combine
        ({"q": "nothing-like-this"}, []),
        ({"date_from": str((days_ago(15)).date())}, ["message", "embassy"]),
        ({"date_to": str((days_ago(15)).date())}, ["budget", "fighters"]),
        (
            {"date_from": str(days_ago(25).date()), "date_to": str(days_ago(5).date())},
            ["embassy", "budget"],
        ),
        ({"rating": "no-such-rating"}, ["message", "embassy", "budget", "fighters"]),
        ({"date_from": "not-a-date", "rating": "true"}, ["message"]),
        ({"q": "the"}, ["message", "embassy", "budget", "fighters"]),  # stop words only
    ],
)
def test_verdict_list_filters_and_search(record, query, expected):
    body = _body("/verdicts/", data=query)
    assert _listed(body) == [record[key].slug for key in expected]


def test_filters_stay_in_the_form_and_in_page_links(reviewer_user, editor_user, schenker):
    for n in range(23):
        publish(
            author=reviewer_user,
            approver=editor_user,
            speaker=schenker,
            content=f"claim number {n} about Iran",
            published_at=days_ago(n),
        )
    body = _body("/verdicts/", data={"q": "Iran", "speaker": "david-schenker"})
    assert 'value="Iran"' in body
    assert '<option value="david-schenker" selected>' in body
    assert "23 fact-checks match “Iran”, page 1 of 2." in body
    assert 'href="?q=Iran&amp;speaker=david-schenker&amp;page=2"' in body
    assert len(_listed(body)) == 20
    second = _body("/verdicts/", data={"q": "Iran", "speaker": "david-schenker", "page": 2})
    assert len(_listed(second)) == 3
    assert 'href="?q=Iran&amp;speaker=david-schenker&amp;page=1"' in second
    # A page past the end shows the last one rather than an error.
    assert len(_listed(_body("/verdicts/", data={"page": 99}))) == 3


def test_verdict_list_htmx_gets_only_the_results(record):
    response = Client().get("/verdicts/", {"rating": "true"}, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="verdict-results"')
    assert "<html" not in body and 'id="verdict-search"' not in body
    assert _listed(body) == [record["message"].slug]
    assert "HX-Request" in response["Vary"]
    full = Client().get("/verdicts/", {"rating": "true"})
    assert "HX-Request" in full["Vary"]
    assert "<html" in full.content.decode()


def test_verdict_list_form_works_without_javascript(record):
    body = _body("/verdicts/")
    form = re.search(r'<form id="verdict-search"[^>]*>', body).group(0)
    assert 'method="get"' in form and 'action="/verdicts/"' in form
    assert 'hx-get="/verdicts/"' in form and 'hx-push-url="true"' in form
    assert '<button type="submit">Search</button>' in body
    for name in ("q", "rating", "speaker", "outlet", "date_from", "date_to"):
        assert f'name="{name}"' in body
        assert re.search(rf'<label for="id_{name}">', body)


def test_verdict_list_query_count_is_flat(reviewer_user, editor_user, django_assert_num_queries):
    for n in range(3):
        publish(author=reviewer_user, approver=editor_user, content=f"first {n}")

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert Client().get("/verdicts/", {"q": "first"}).status_code == 200
        return len(context.captured_queries)

    few = count_queries()
    for n in range(12):
        publish(author=reviewer_user, approver=editor_user, content=f"first {n + 3}")
    assert count_queries() == few <= 7  # 6 and the public site's version


# The verdict page


def test_verdict_page_has_everything_a_reader_needs(record, schenker):
    verdict = record["message"]
    body = _body(verdict.get_absolute_url())
    assert (
        '<h1 id="verdict-title">David Schenker said the strikes were a message to Iran.</h1>'
        in body
    )
    assert '<blockquote class="quote">The strikes were a message to Iran</blockquote>' in body
    assert "David Schenker</a>, US Assistant Secretary of State" in body
    assert 'href="https://news.sky.example/baghdad"' in body
    assert "US embassy in Baghdad attacked</a>, Sky News" in body
    assert '<time datetime="2019-12-31">31 December 2019</time>' in body
    assert ">True</span>" in body
    assert "The State Department transcript records these words." in body
    assert "Published <time" in body
    # Other checks of this speaker, not this one again.
    other = re.search(r'<section class="other-checks".*?</section>', body, re.S).group(0)
    assert _listed(other) == [record["fighters"].slug]


def test_verdict_page_meta_tags(record, settings):
    verdict = record["message"]
    body = _body(verdict.get_absolute_url())
    canonical = settings.SITE_URL + verdict.get_absolute_url()
    assert f'<link rel="canonical" href="{canonical}">' in body
    assert f'<meta property="og:url" content="{canonical}">' in body
    assert '<meta property="og:type" content="article">' in body
    assert (
        '<meta property="og:title" content="True: David Schenker said the strikes were a '
        'message to Iran.">' in body
    )
    assert '<meta name="twitter:card" content="summary">' in body
    assert '<meta name="twitter:title" content="True: David Schenker said' in body
    assert "og:description" in body and "twitter:description" in body
    assert body.count('type="application/ld+json"') == 1


def test_verdict_page_evidence_with_outlet_and_stance(reviewer_user, editor_user, sky):
    from claims.services.claims import claim_accept
    from claims.services.evidence import evidence_set_stance

    claim = claim_accept(claim=factories.ClaimFactory(content="a claim"), by=reviewer_user)
    evidence = factories.EvidenceFactory(
        claim=claim, url="https://news.sky.example/x", title="Sky's report", outlet=sky
    )
    evidence = evidence_set_stance(
        evidence=evidence, stance="refutes", by=reviewer_user, expected_version=claim.version
    )
    claim.refresh_from_db()
    verdict = verdict_submit(
        claim=claim,
        by=reviewer_user,
        rating=VerdictRating.objects.get(slug="false"),
        explanation="Refuted.",
        evidence=[evidence],
    )
    from claims.services.verdicts import verdict_approve

    verdict_approve(verdict=verdict, by=editor_user)
    body = _body(verdict.get_absolute_url())
    assert '<a href="https://news.sky.example/x" rel="nofollow noopener noreferrer">' in body
    assert 'Sky&#x27;s report</a> <span class="meta">Sky News</span>' in body
    assert '<span class="stance stance-refutes">Refutes</span>' in body


def test_corrections_log_shows_previous_and_new_rating_when_and_why(
    record, editor_user, other_editor_user
):
    verdict = record["fighters"]
    correct(
        verdict,
        proposer=other_editor_user,
        approver=editor_user,
        reason="A later count confirmed fifty.",
        rating=VerdictRating.objects.get(slug="true"),
    )
    body = _body(verdict.get_absolute_url())
    log = re.search(r'<ol class="corrections-log">.*?</ol>', body, re.S).group(0)
    assert re.search(
        r"rating changed from <span[^>]*>False</span>\s*to <span[^>]*>True</span>", log
    )
    assert "A later count confirmed fifty." in log
    assert "<time datetime=" in log
    assert "· updated <time" in body


def test_verdict_page_query_count(record, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        Client().get(record["message"].get_absolute_url())


def test_unknown_and_unpublished_verdicts_are_404(record):
    draft = Claim.objects.get(content="a draft about Iran awaiting review").verdict
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert Client().get("/verdicts/no-such-verdict/").status_code == 404


# Speakers


def test_speaker_list_and_search(record):
    body = _body("/speakers/")
    names = re.findall(r'class="card-title" href="/speakers/([^/]+)/"', body)
    assert names == ["david-schenker", "reuters"]  # by name; nobody without a published verdict
    assert "2 fact-checks" in body
    searched = _body("/speakers/", data={"q": "schenk"})
    assert re.findall(r'class="card-title" href="/speakers/([^/]+)/"', searched) == [
        "david-schenker"
    ]
    fragment = Client().get("/speakers/", {"q": "reut"}, **HTMX).content.decode()
    assert fragment.lstrip().startswith('<section id="speaker-results"')
    assert "/speakers/reuters/" in fragment


def test_speaker_list_query_count_is_flat(record, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # 3 and the public site's version
        Client().get("/speakers/")


def test_speaker_page_record_and_chart(record, schenker):
    body = _body(schenker.get_absolute_url())
    assert "<h1>David Schenker</h1>" in body
    assert "US Assistant Secretary of State · Person" in body
    assert _listed(body) == [record["message"].slug, record["fighters"].slug]
    assert "draft about Iran" not in body
    chart = re.search(r'<figure class="rating-chart".*?</figure>', body, re.S).group(0)
    rows = re.findall(
        r'rating=([a-z-]+)">[^<]+</a></th>\s*<td class="chart-count">(\d+)</td>', chart
    )
    assert dict(rows) == {
        "true": "1",
        "mostly-true": "0",
        "mixed": "0",
        "mostly-false": "0",
        "false": "1",
        "misleading": "0",
        "unverifiable": "0",
    }
    assert 'width="100.0" height="10" fill="#15803d"' in chart
    assert "speaker=david-schenker&amp;rating=true" in chart


def test_speaker_without_published_verdicts_is_404(db):
    speaker = factories.SpeakerFactory()
    factories.ClaimFactory(speaker=speaker)
    assert Client().get(speaker.get_absolute_url()).status_code == 404


def test_speaker_page_query_count(record, schenker, django_assert_max_num_queries):
    # The public site's version, the speaker, the count, the page of verdicts, the counts by
    # rating, the scale.
    with django_assert_max_num_queries(6):
        Client().get(schenker.get_absolute_url())


# Ratings and robots.txt


def test_ratings_page_is_generated_from_the_scale(record):
    rating = VerdictRating.objects.get(slug="misleading")
    rating.description = "True facts arranged to give a false picture."
    rating.save()
    body = _body("/ratings/")
    for scale_rating in VerdictRating.objects.all():
        assert f'id="rating-{scale_rating.slug}"' in body
        assert f">{scale_rating.name}</span>" in body
    assert "True facts arranged to give a false picture." in body
    assert "1 fact-check rated misleading" in body


def test_robots_txt_points_to_the_sitemap(settings):
    settings.SITE_URL = "https://factcheck.example.org"
    response = Client().get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: https://factcheck.example.org/sitemap.xml" in body
    assert "Disallow: /review/" in body and "Disallow: /admin/" in body


@pytest.mark.parametrize(
    "url", ["/", "/verdicts/", "/speakers/", "/ratings/", "/robots.txt", "/speakers/x/"]
)
def test_public_pages_refuse_writes(url):
    assert Client().post(url).status_code == 405


def test_markup_in_public_fields_is_escaped(reviewer_user, editor_user):
    verdict = publish(
        author=reviewer_user,
        approver=editor_user,
        content="<img src=x onerror=alert(1)>",
        statement="<script>alert('statement')</script>",
        explanation="<b>bold</b>",
        speaker=factories.SpeakerFactory(name="<i>Speaker</i>", slug="evil"),
    )
    for url in (verdict.get_absolute_url(), "/", "/verdicts/", "/speakers/", "/speakers/evil/"):
        body = _body(url)
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert "<i>Speaker</i>" not in body and "<b>bold</b>" not in body


def test_rating_badges_have_readable_text():
    from claims.templatetags.public_tags import readable_ink

    assert readable_ink("#65a30d") == "#111827"  # lime: dark text
    assert readable_ink("#ca8a04") == "#111827"
    assert readable_ink("#b91c1c") == "#ffffff"
    assert readable_ink("#15803d") == "#ffffff"
    assert readable_ink("not a colour") == "#ffffff"


def test_staff_controls_never_on_public_pages(record):
    for url in ("/", "/verdicts/", record["message"].get_absolute_url(), "/speakers/"):
        body = _body(url)
        assert "/review/" not in body
        assert "csrfmiddlewaretoken" not in body


def test_review_claim_link_goes_to_public_page(editor_client, record):
    claim = record["message"].claim
    body = editor_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert record["message"].get_absolute_url() in body

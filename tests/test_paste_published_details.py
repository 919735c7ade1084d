"""Pasted text keeps where and when it was published: the byline and date lines it starts with,
and the optional original address, outlet and date a person gives (which win)."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import Article
from claims.services.articles import (
    DuplicateArticle,
    DuplicateUrl,
    article_submit_text,
    text_hash,
)
from claims.services.errors import ServiceError
from tests import factories
from tests.conftest import publish

pytestmark = pytest.mark.django_db

NEW = reverse("review:article_new")
STORY = (
    "The finance minister said on Tuesday that the new tax would raise 2 billion pounds a "
    "year.\n\nOpposition leader Jane Smith said the figure was wrong, and that 3,000 jobs "
    "would be lost in the north."
)
WITH_HEAD = "Minister defends tax plan\nBy Staff Reporter, 14 March 2024\n\n" + STORY


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """Run what the services enqueue on commit (inline Celery), as a request's end would."""

    def run(**kwargs) -> Article:
        with django_capture_on_commit_callbacks(execute=True):
            article = article_submit_text(by=None, **kwargs)
        article.refresh_from_db()
        return article

    return run


@pytest.fixture
def post_and_run(reviewer_client, django_capture_on_commit_callbacks):
    def post(data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reviewer_client.post(NEW, {"kind": "paste", **data}, **kwargs)

    return post


@pytest.fixture
def sky(db):
    source = factories.SourceFactory(name="Sky News")
    factories.SourceDomainFactory(source=source, domain="sky.com")
    return source


# --- The service ------------------------------------------------------------------------------


def test_the_byline_and_date_of_the_text_land_on_the_article(run_jobs):
    article = run_jobs(text=WITH_HEAD)
    assert article.status == Article.Status.READY, article.failure_reason
    assert article.byline == "Staff Reporter"
    assert article.published_on == dt.date(2024, 3, 14)
    assert article.headline == "Minister defends tax plan"
    assert "Staff Reporter" not in article.text
    assert not article.claims.filter(content__contains="Staff Reporter").exists()
    assert not article.claims.filter(content__contains="14 March").exists()
    assert article.claims.exists()


def test_an_outlet_named_in_the_byline_is_matched_to_its_source(run_jobs):
    reuters = factories.SourceFactory(name="Reuters")
    article = run_jobs(text="By Jane Doe and John Roe | Reuters\n\n" + STORY)
    assert article.byline == "Jane Doe, John Roe"
    assert article.outlet_name == "Reuters"
    assert article.outlet == reuters


def test_given_details_win_over_the_text(run_jobs, sky):
    article = run_jobs(
        text=WITH_HEAD,
        original_url="https://NEWS.sky.com/story/tax-plan?utm_source=twitter#comments",
        published_on=dt.date(2024, 3, 13),
    )
    assert article.url == "https://news.sky.com/story/tax-plan"
    assert article.origin == Article.Origin.PASTE  # the text is ingested; nothing is fetched
    assert article.outlet == sky  # by the address's domain
    assert article.outlet_name == "Sky News"
    assert article.published_on == dt.date(2024, 3, 13)
    assert article.byline == "Staff Reporter"  # not given: from the text


def test_an_outlet_given_by_name_is_the_source_of_that_name(run_jobs, sky):
    bbc = factories.SourceFactory(name="BBC News")
    article = run_jobs(
        text="By Jane Doe | Reuters\n\n" + STORY,
        outlet="  bbc   news ",
        original_url="https://news.sky.com/x",
    )
    assert article.outlet == bbc
    assert article.outlet_name == "bbc news"


def test_an_outlet_that_is_no_source_is_kept_by_name(run_jobs):
    article = run_jobs(text=STORY, outlet="The Lakeside Times")
    assert article.outlet is None
    assert article.outlet_name == "The Lakeside Times"


def test_an_address_already_here_is_a_duplicate(run_jobs):
    existing = factories.ArticleFactory(url="https://news.example.com/story")
    with pytest.raises(DuplicateUrl) as raised:
        article_submit_text(
            text=STORY, by=None, original_url="https://news.example.com/story?fbclid=1"
        )
    assert raised.value.article == existing
    assert isinstance(raised.value, DuplicateArticle)
    assert Article.objects.count() == 1


def test_a_failed_article_at_the_address_takes_the_text_and_is_tried_again(run_jobs):
    failed = factories.ArticleFactory(
        url="https://news.example.com/paywalled",
        origin=Article.Origin.URL,
        status=Article.Status.FAILED,
        failure_reason="The page returned 403 (Forbidden).",
        raw_text="",
        text="",
        content_hash=None,
        headline="",
    )
    article = run_jobs(
        text=WITH_HEAD, original_url="https://news.example.com/paywalled", outlet="Example"
    )
    assert article.pk == failed.pk
    assert Article.objects.count() == 1
    assert article.status == Article.Status.READY, article.failure_reason
    assert article.origin == Article.Origin.PASTE
    assert article.byline == "Staff Reporter"
    assert article.outlet_name == "Example"
    assert article.claims.exists()


def test_a_failed_text_given_again_takes_the_new_details(run_jobs):
    failed = factories.ArticleFactory(
        status=Article.Status.FAILED, raw_text=STORY, text="", content_hash=text_hash(STORY)
    )
    article = run_jobs(text=STORY, published_on=dt.date(2020, 1, 2), outlet="Example")
    assert article.pk == failed.pk
    assert article.status == Article.Status.READY
    assert article.published_on == dt.date(2020, 1, 2)
    assert article.outlet_name == "Example"


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"original_url": "ftp://example.com/a"}, "full web address"),
        ({"original_url": "not an address"}, "full web address"),
        ({"original_url": "https://example.com/" + "a" * 2100}, "full web address"),
        ({"outlet": "x" * 201}, "at most 200 characters"),
        ({"outlet": "Sky \ud800"}, "not valid Unicode"),
        ({"published_on": dt.date(2999, 1, 1)}, "is in the future"),
        ({"published_on": dt.date(1066, 10, 14)}, "too early"),
    ],
)
def test_bad_details_are_refused_with_a_message(details, message):
    with pytest.raises(ServiceError) as raised:
        article_submit_text(text=STORY, by=None, **details)
    assert message in raised.value.message
    assert not Article.objects.exists()


def test_today_is_not_in_the_future(run_jobs):
    article = run_jobs(text=STORY, published_on=timezone.localdate())
    assert article.published_on == timezone.localdate()


# --- The paste form ---------------------------------------------------------------------------


def test_the_paste_form_offers_the_optional_fields(reviewer_client):
    html = reviewer_client.get(NEW + "?tab=paste").content.decode()
    assert 'name="original_url"' in html
    assert 'name="outlet"' in html
    assert 'name="published_on"' in html and 'type="date"' in html


def test_the_outlet_field_suggests_the_active_sources(reviewer_client, sky):
    factories.SourceFactory(name="Old <Gazette>", active=False)
    factories.SourceFactory(name="Ann & Co News")
    html = reviewer_client.get(NEW + "?tab=paste").content.decode()
    assert 'list="outlet-names"' in html
    datalist = re.search(r'<datalist id="outlet-names">(.*?)</datalist>', html).group(1)
    assert datalist == '<option value="Ann &amp; Co News"><option value="Sky News">'


def test_a_paste_without_the_optional_fields_reads_them_from_the_text(post_and_run):
    response = post_and_run({"text": WITH_HEAD})
    article = Article.objects.get()
    assert response["Location"] == article.get_absolute_url()
    assert (article.byline, article.published_on) == ("Staff Reporter", dt.date(2024, 3, 14))
    assert article.url is None


def test_a_paste_with_the_optional_fields_keeps_them(post_and_run, reviewer_client, sky):
    response = post_and_run(
        {
            "text": WITH_HEAD,
            "original_url": "https://news.sky.com/story/tax?utm_medium=email",
            "outlet": "",
            "published_on": "2024-03-13",
        }
    )
    article = Article.objects.get()
    assert response["Location"] == article.get_absolute_url()
    assert article.url == "https://news.sky.com/story/tax"
    assert article.outlet == sky
    assert article.published_on == dt.date(2024, 3, 13)
    html = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert "Sky News · Staff Reporter · 13 Mar 2024" in html
    assert 'href="https://news.sky.com/story/tax"' in html


def test_a_date_may_be_typed_as_outlets_write_it(post_and_run):
    post_and_run({"text": STORY, "published_on": "14 March 2024"})
    assert Article.objects.get().published_on == dt.date(2024, 3, 14)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"original_url": "not an address"}, "Enter a valid URL."),
        ({"original_url": "ftp://example.com/a"}, "full web address"),
        ({"published_on": "someday"}, "Enter the date it was published, like 2024-03-14"),
        ({"published_on": "2024-02-30"}, "Enter the date it was published"),
        ({"published_on": "2999-01-01"}, "1 January 2999 is in the future"),
        ({"outlet": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_optional_fields_are_refused_with_a_message(reviewer_client, data, message):
    response = reviewer_client.post(NEW, {"kind": "paste", "text": STORY, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert '<section id="ingest-paste" >' in response.content.decode()
    assert not Article.objects.exists()


def test_an_address_already_here_is_shown_with_a_link(reviewer_client):
    existing = factories.ArticleFactory(
        url="https://news.example.com/story", headline="Tax <b>plan</b>"
    )
    response = reviewer_client.post(
        NEW,
        {"kind": "paste", "text": STORY, "original_url": "https://news.example.com/story"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "An article with this address is already here" in html
    assert f'<a href="{existing.get_absolute_url()}">Tax &lt;b&gt;plan&lt;/b&gt;</a>' in html
    assert Article.objects.count() == 1


def test_an_upload_takes_the_optional_fields_too(reviewer_client):
    reviewer_client.post(
        NEW,
        {
            "kind": "upload",
            "file": SimpleUploadedFile("story.txt", STORY.encode()),
            "outlet": "The Lakeside Times",
            "published_on": "2024-03-12",
        },
    )
    article = Article.objects.get()
    assert (article.outlet_name, article.published_on) == (
        "The Lakeside Times",
        dt.date(2024, 3, 12),
    )


# --- The API and the command ------------------------------------------------------------------


def test_the_api_takes_the_optional_fields(
    reviewer_client, sky, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            "/api/articles",
            {
                "text": WITH_HEAD,
                "original_url": "https://news.sky.com/story/api",
                "published_on": "2024-03-11",
            },
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
    body = reviewer_client.get(f"/api/articles/{response.json()['article']['id']}").json()
    assert body["url"] == "https://news.sky.com/story/api"
    assert body["outlet"] == "Sky News"
    assert body["published_on"] == "2024-03-11"
    again = reviewer_client.post(
        "/api/articles",
        {"text": STORY, "original_url": "https://news.sky.com/story/api"},
        content_type="application/json",
    )
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert again.json()["article"]["id"] == body["id"]


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        ({"text": STORY, "published_on": "2999-01-01"}, 400, "in the future"),
        ({"text": STORY, "original_url": "javascript:alert(1)"}, 400, "full web address"),
        ({"url": "https://x.example/a", "outlet": "X"}, 400, "go with the article's text"),
        ({"text": STORY, "published_on": "someday"}, 422, "date"),
    ],
)
def test_the_api_refuses_bad_optional_fields(reviewer_client, payload, status, words):
    response = reviewer_client.post("/api/articles", payload, content_type="application/json")
    assert response.status_code == status, response.content
    assert words in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_command_takes_the_optional_fields_for_one_file(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(WITH_HEAD)
    out = StringIO()
    call_command(
        "ingest",
        str(story),
        "--original-url",
        "https://news.example.com/cli",
        "--outlet",
        "Example Gazette",
        "--published",
        "2024-03-10",
        "--timeout",
        "10",
        stdout=out,
        stderr=StringIO(),
    )
    article = Article.objects.get()
    assert article.status == Article.Status.READY, article.failure_reason
    assert article.url == "https://news.example.com/cli"
    assert article.outlet_name == "Example Gazette"
    assert article.published_on == dt.date(2024, 3, 10)
    assert article.byline == "Staff Reporter"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--published", "someday"], "is not a date"),
        (["SECOND", "--outlet", "X"], "give exactly one file"),
    ],
)
def test_the_command_refuses_bad_optional_fields(tmp_path, args, words):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    (tmp_path / "other.txt").write_text(STORY + " Another.")
    args = [str(tmp_path / "other.txt") if a == "SECOND" else a for a in args]
    with pytest.raises(CommandError, match=words):
        call_command("ingest", str(story), *args, stdout=StringIO(), stderr=StringIO())
    assert not Article.objects.exists()


# --- What the public sees ---------------------------------------------------------------------


def test_a_published_verdict_on_pasted_text_names_where_it_was_published(
    run_jobs, reviewer_user, editor_user, sky
):
    article = run_jobs(text=WITH_HEAD, original_url="https://news.sky.com/story/tax")
    claim = article.claims.order_by("-checkworthiness").first()
    verdict = publish(claim, reviewer=reviewer_user, editor=editor_user, explanation="Checked.")
    html = Client().get(verdict.get_absolute_url()).content.decode()
    assert 'href="https://news.sky.com/story/tax"' in html
    assert "Sky News" in html
    assert '<time datetime="2024-03-14">14 March 2024</time>' in html
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    item = json.loads(script.group(1))["itemReviewed"]
    assert item["datePublished"] == "2024-03-14"
    assert item["appearance"]["url"] == "https://news.sky.com/story/tax"

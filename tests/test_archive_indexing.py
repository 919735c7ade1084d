"""What goes into the archive on its own: every ingested article and every published verdict,
kept in step when an article is re-ingested or a verdict corrected or unpublished."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from claims.corroboration.archive import archive_search
from claims.models import ArchiveDocument, Article, VerdictRating
from claims.services.articles import article_submit_text
from claims.services.verdicts import verdict_unpublish
from tests import factories
from tests.ingest_pages import PARAGRAPHS
from tests.publishing import correct

pytestmark = pytest.mark.django_db

Kind = ArchiveDocument.Kind


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _ingest(text: str, django_capture_on_commit_callbacks) -> Article:
    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit_text(text=text, by=None)
    article.refresh_from_db()
    assert article.status == Article.Status.READY, article.failure_reason
    return article


def test_an_ingested_article_is_in_the_archive(django_capture_on_commit_callbacks):
    source = factories.SourceFactory(name="Example News")
    article = _ingest("\n\n".join(PARAGRAPHS), django_capture_on_commit_callbacks)
    Article.objects.filter(pk=article.pk).update(outlet=source)
    document = ArchiveDocument.objects.get(kind=Kind.ARTICLE)
    assert document.key == f"article:{article.pk}"
    assert document.article == article
    assert document.text == article.text
    hits = archive_search("ambassador and embassy staff were not in the building")
    assert [hit.document for hit in hits] == [document]


def test_an_article_that_failed_is_not_in_the_archive(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit_text(
            text="Die Demonstranten sind in die Botschaft der Vereinigten Staaten in Bagdad "
            "eingedrungen. Der Minister sagte, dass die Angriffe nicht hingenommen werden, und die "
            "Regierung hat eine Untersuchung angekündigt.",
            by=None,
        )
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert not ArchiveDocument.objects.exists()


def test_re_ingesting_updates_the_one_document(django_capture_on_commit_callbacks):
    from claims.services.articles import article_retry

    article = _ingest("\n\n".join(PARAGRAPHS), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        article_retry(article=article, by=None)
    assert ArchiveDocument.objects.filter(kind=Kind.ARTICLE).count() == 1


def test_a_published_verdict_is_in_the_archive(published_verdict, settings):
    document = ArchiveDocument.objects.get(kind=Kind.VERDICT)
    assert document.verdict == published_verdict
    assert document.url == settings.SITE_URL + published_verdict.get_absolute_url()
    assert document.title == published_verdict.claim.display_statement
    assert "True." in document.text
    assert document.outlet_name == settings.SITE_NAME
    hits = archive_search("strikes hit three targets in Iraq", kinds=[Kind.VERDICT])
    assert [hit.document for hit in hits] == [document]


def test_a_verdict_awaiting_approval_is_not(reviewer_user):
    from claims.services.claims import claim_accept
    from claims.services.verdicts import verdict_submit

    claim = claim_accept(claim=factories.ClaimFactory(), by=reviewer_user)
    verdict_submit(
        claim=claim,
        by=reviewer_user,
        rating=VerdictRating.objects.get(slug="false"),
        explanation="No.",
    )
    assert not ArchiveDocument.objects.filter(kind=Kind.VERDICT).exists()


def test_a_correction_updates_the_verdict_document(
    published_verdict, editor_user, other_editor_user
):
    correct(
        published_verdict,
        proposer=other_editor_user,
        approver=editor_user,
        reason="A fourth target was confirmed.",
        rating=VerdictRating.objects.get(slug="mostly-true"),
    )
    document = ArchiveDocument.objects.get(kind=Kind.VERDICT)
    assert "Mostly true." in document.text


def test_reopening_keeps_the_published_version_in(published_verdict, other_editor_user):
    before = ArchiveDocument.objects.get(kind=Kind.VERDICT).text
    verdict_unpublish(verdict=published_verdict, by=other_editor_user, reason="Rework")
    assert ArchiveDocument.objects.get(kind=Kind.VERDICT).text == before


def test_taking_the_page_down_takes_the_verdict_out(published_verdict, other_editor_user):
    verdict_unpublish(
        verdict=published_verdict, by=other_editor_user, reason="Legal", take_down=True
    )
    assert not ArchiveDocument.objects.filter(kind=Kind.VERDICT).exists()
    assert archive_search("strikes hit three targets in Iraq", kinds=[Kind.VERDICT]) == []


def test_archive_reindex_puts_everything_back(
    published_verdict, django_capture_on_commit_callbacks
):
    ingested = _ingest("\n\n".join(PARAGRAPHS), django_capture_on_commit_callbacks)
    factories.ArticleFactory(status=Article.Status.FAILED, text="")
    ArchiveDocument.objects.all().delete()
    call_command("archive_reindex", verbosity=0)
    expected = {
        f"article:{ingested.pk}",
        f"article:{published_verdict.claim.article_id}",
        f"verdict:{published_verdict.pk}",
    }
    assert set(ArchiveDocument.objects.values_list("key", flat=True)) == expected
    call_command("archive_reindex", verbosity=0)
    assert ArchiveDocument.objects.count() == len(expected)

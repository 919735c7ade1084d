"""Database constraints hold even when a service is bypassed."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from claims.models import Article, Claim
from tests import factories

pytestmark = pytest.mark.django_db


def test_same_text_hash_is_refused():
    factories.ArticleFactory(content_hash="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ArticleFactory(content_hash="a" * 64)


def test_same_url_is_refused_but_many_articles_may_have_none():
    factories.ArticleFactory(url="https://news.example/a")
    factories.ArticleFactory(url=None)
    factories.ArticleFactory(url=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ArticleFactory(url="https://news.example/a")
    assert Article.objects.filter(url__isnull=True).count() == 2


def test_evidence_url_is_unique_per_claim_only():
    evidence = factories.EvidenceFactory(url="https://x.example/1")
    factories.EvidenceFactory(url="https://x.example/1")  # another claim: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.EvidenceFactory(claim=evidence.claim, url="https://x.example/1")


@pytest.mark.parametrize(("start", "end"), [(5, 5), (9, 3)])
def test_claim_offsets_must_be_ordered(start, end):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ClaimFactory(start=start, end=end)


def test_claim_offsets_cannot_be_negative():
    claim = factories.ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(start=-1)


def test_claim_span_is_unique_per_article():
    claim = factories.ClaimFactory(start=0, end=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ClaimFactory(article=claim.article, start=0, end=10)


@pytest.mark.parametrize("score", [-0.1, 1.5])
def test_checkworthiness_stays_between_0_and_1(score):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ClaimFactory(checkworthiness=score)


def test_approver_cannot_be_the_author():
    author = factories.editor()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.VerdictFactory(author=author, approver=author)


def test_speaker_normalised_name_is_unique():
    factories.SpeakerFactory(name="David Schenker")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SpeakerFactory(name="david  schenker".title())


def test_verdict_scale_is_seeded_in_order():
    from claims.models import VerdictRating

    names = list(VerdictRating.objects.values_list("name", flat=True))
    assert names == [
        "True",
        "Mostly true",
        "Mixed",
        "Mostly false",
        "False",
        "Misleading",
        "Unverifiable",
    ]

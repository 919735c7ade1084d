"""The demo, offline: with the corpus in the archive, the reference article's claims find real
corroboration in it, and claims it does not cover find nothing off-topic."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from claims.corroboration.corpus import read_corpus
from claims.models import Article, Claim, CorroborationRun, Evidence
from claims.services.claims import claim_accept
from tests import factories

pytestmark = pytest.mark.django_db

CORPUS_URLS = {text.url for text in read_corpus()}


@pytest.fixture
def demo(settings, django_capture_on_commit_callbacks):
    """`seed_demo` as `make run` runs it: sources, users, the corpus, the reference article."""
    settings.DEBUG = True
    settings.SEARXNG_URL = settings.SEARCH_JSON_URL = settings.FACTCHECK_TOOLS_API_KEY = ""
    settings.CORROBORATION_ARCHIVE = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    return Article.objects.get(original_filename="sky-baghdad-embassy-2019-12-31.txt")


def searched(claim: Claim, capture) -> list[Evidence]:
    """The claim's candidates once its evidence search has run (accepting it, if still new)."""
    if claim.status == Claim.Status.NEW:
        with capture(execute=True):
            claim_accept(claim=claim, by=factories.reviewer())
    assert CorroborationRun.objects.filter(claim=claim, status="done").exists()
    return list(claim.evidence.filter(origin__contains="archive").order_by("-score"))


def test_seed_demo_puts_the_corpus_in_the_archive(demo):
    from claims.models import ArchiveDocument

    documents = ArchiveDocument.objects.filter(kind="corpus")
    assert documents.count() == len(CORPUS_URLS) == 8
    reed = documents.get(key="corpus:reed-statement-embassy-attack-2019-12-31")
    assert reed.url == (
        "https://www.reed.senate.gov/news/releases/reed-statement-on-us-embassy-attack-in-iraq"
    )
    assert reed.source.name == "US Senate"
    assert str(reed.published_on) == "2019-12-31"
    assert reed.text.startswith("12/31/2019")
    # Running it again adds nothing.
    call_command("seed_demo", stdout=StringIO())
    assert documents.count() == 8


def test_the_embassy_gate_claim_is_supported_by_the_corpus(
    demo, django_capture_on_commit_callbacks
):
    claim = demo.claims.get(content__startswith="Hundreds of Iraqi protesters have broken down")
    found = searched(claim, django_capture_on_commit_callbacks)
    supporting = [
        e
        for e in found
        if e.url in CORPUS_URLS
        and e.suggested_stance == Evidence.Stance.SUPPORTS
        and "embassy" in e.passage.lower()
    ]
    assert supporting, [(e.url, e.score, e.suggested_stance, e.passage) for e in found]
    best = supporting[0]
    assert best.outlet is not None and best.outlet.get_reliability_display().startswith("Very")
    assert best.stance == Evidence.Stance.UNREVIEWED


def test_the_kirkuk_contractor_claim_finds_the_contractors_death(
    demo, django_capture_on_commit_callbacks
):
    claim = demo.claims.get(content__contains="Kirkuk")
    found = searched(claim, django_capture_on_commit_callbacks)
    about_it = [e for e in found if e.url in CORPUS_URLS and "contractor" in e.passage.lower()]
    assert about_it, [(e.url, e.score, e.passage) for e in found]


def test_the_schenker_claim_gets_nothing_off_topic(demo, django_capture_on_commit_callbacks):
    claim = demo.claims.get(speaker__name="David Schenker")
    found = searched(claim, django_capture_on_commit_callbacks)
    # The corpus has no text on the F-15s or the "message to Iran": anything proposed must at
    # least be about the strikes, never an embassy statement matched on common words.
    for evidence in found:
        passage = evidence.passage.lower()
        assert "strike" in passage and ("iran" in passage or "f-15" in passage), (
            evidence.url,
            evidence.passage,
        )

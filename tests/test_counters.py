"""The running counts (claims per status, public verdicts per rating, activity per hour) stay
equal to the tables through every service that changes them, and through the paths around the
services: bulk writes, cascades, the admin. `counters.drift()` counts the tables afresh."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from claims import counters
from claims.models import (
    ActivityHour,
    Article,
    Claim,
    ClaimStatusCount,
    PublishedRatingCount,
    SpeakerRatingCount,
    Verdict,
    VerdictRating,
)
from claims.services import claims as claim_services
from claims.services import verdicts as verdict_services
from claims.services.articles import article_submit_text
from tests import factories
from tests.publishing import correct

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def rating(slug: str) -> VerdictRating:
    return VerdictRating.objects.get(slug=slug)


def status_counts() -> dict[str, int]:
    counts = dict.fromkeys(Claim.Status.values, 0)
    counts.update(ClaimStatusCount.objects.values_list("status", "count"))
    return counts


def public_counts() -> dict[str, int]:
    slugs = dict(VerdictRating.objects.values_list("pk", "slug"))
    return {
        slugs[rating]: n
        for rating, n in PublishedRatingCount.objects.values_list("rating_id", "count")
        if n
    }


def assert_counts_right() -> None:
    assert counters.drift() == {}


def test_every_workflow_step_keeps_the_counts(reviewer_user, editor_user, other_editor_user):
    claim = factories.ClaimFactory()
    other = factories.ClaimFactory(article=claim.article)
    assert status_counts()["new"] == 2
    assert_counts_right()

    claim = claim_services.claim_accept(claim=claim, by=reviewer_user)
    assert status_counts()["in_review"] == 1
    assert_counts_right()
    other = claim_services.claim_dismiss(claim=other, by=reviewer_user, reason="opinion")
    assert_counts_right()
    other = claim_services.claim_restore(claim=other, by=reviewer_user)
    assert status_counts() == {**dict.fromkeys(Claim.Status.values, 0), "new": 1, "in_review": 1}

    verdict = verdict_services.verdict_submit(
        claim=claim, by=reviewer_user, rating=rating("false"), explanation="No."
    )
    assert_counts_right()
    verdict = verdict_services.verdict_return(verdict=verdict, by=editor_user, comment="More.")
    assert_counts_right()
    verdict = verdict_services.verdict_submit(
        claim=verdict.claim, by=reviewer_user, rating=rating("false"), explanation="No, see."
    )
    verdict = verdict_services.verdict_approve(verdict=verdict, by=editor_user)
    assert public_counts() == {"false": 1}
    assert_counts_right()

    correct(
        verdict,
        proposer=other_editor_user,
        approver=editor_user,
        reason="Misread.",
        rating=rating("mostly-false"),
    )
    assert public_counts() == {"mostly-false": 1}
    assert_counts_right()
    first_speaker = verdict.claim.speaker_id

    # Reopened for rework: counted as published (rating and speaker) until approved again,
    # while the draft takes another rating and the claim another speaker.
    verdict.refresh_from_db()
    verdict_services.verdict_unpublish(verdict=verdict, by=editor_user, reason="Rework.")
    assert public_counts() == {"mostly-false": 1}
    assert_counts_right()
    other_speaker = factories.SpeakerFactory()
    claim = Claim.objects.get(pk=verdict.claim_id)
    claim_services.claim_set_speaker(
        claim=claim, by=reviewer_user, speaker=other_speaker, expected_version=claim.version
    )
    verdict = verdict_services.verdict_submit(
        claim=Claim.objects.get(pk=verdict.claim_id),
        by=reviewer_user,
        rating=rating("false"),
        explanation="No.",
    )
    assert public_counts() == {"mostly-false": 1}
    assert not SpeakerRatingCount.objects.filter(speaker_id=other_speaker.pk).exclude(count=0)
    assert_counts_right()
    # Approved: counted once, with the new rating and speaker, under its first publication date.
    verdict_services.verdict_approve(verdict=verdict, by=other_editor_user)
    assert public_counts() == {"false": 1}
    assert SpeakerRatingCount.objects.get(speaker_id=other_speaker.pk).count == 1
    assert not SpeakerRatingCount.objects.filter(speaker_id=first_speaker).exclude(count=0)
    assert ActivityHour.objects.get().verdicts_published == 1
    assert_counts_right()

    # Taken down (a legal reason): not counted until approved again.
    verdict = Verdict.objects.get(pk=verdict.pk)
    verdict_services.verdict_unpublish(
        verdict=verdict, by=editor_user, reason="Court order.", take_down=True
    )
    assert public_counts() == {}
    assert_counts_right()


def test_split_merge_and_manual_claims_keep_the_counts(reviewer_user):
    article = factories.ArticleFactory(
        text="The minister said the strikes hit three bases. The army said nobody was hurt."
    )
    claim = factories.ClaimFactory(
        article=article, start=0, end=46, content=article.text[0:46], checkworthiness=0.4
    )
    first, second = claim_services.claim_split(
        claim=claim, by=reviewer_user, expected_version=claim.version, second_starts_with="the"
    )
    assert status_counts()["new"] == 2
    assert_counts_right()
    claim_services.claim_merge(
        claim=first, other=second, by=reviewer_user, expected_version=first.version
    )
    assert status_counts()["new"] == 1 and status_counts()["dismissed"] == 1
    assert_counts_right()
    claim_services.claim_create_manual(article=article, by=reviewer_user, quote="nobody was hurt")
    assert status_counts()["new"] == 2
    assert_counts_right()


def test_ingest_and_re_ingest_keep_the_counts(django_capture_on_commit_callbacks, reviewer_user):
    text = (
        "Iraqi officials said the embassy staff were safe. The ministry said it would "
        "investigate the attack. Protesters said they would stay outside the gate."
    )
    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit_text(text=text, by=reviewer_user)
    article.refresh_from_db()
    extracted = article.claims.count()
    assert extracted > 0
    assert status_counts()["new"] == extracted
    assert_counts_right()
    # A re-run replaces the untouched claims: deleted and created again, counted once.
    kept = article.claims.first()
    claim_services.claim_accept(claim=kept, by=reviewer_user)
    with django_capture_on_commit_callbacks(execute=True):
        from claims.services.articles import article_retry

        article_retry(article=article, by=reviewer_user)
    assert_counts_right()


def test_deleting_an_article_or_a_verdict_keeps_the_counts(published_verdict):
    factories.ClaimFactory(article=published_verdict.claim.article)
    assert public_counts() == {"true": 1}
    Verdict.objects.filter(pk=published_verdict.pk).delete()
    assert public_counts() == {}
    assert_counts_right()
    Article.objects.all().delete()
    assert sum(status_counts().values()) == 0
    assert_counts_right()


def test_bulk_writes_around_the_services_are_counted_too(reviewer_user):
    article = factories.ArticleFactory()
    Claim.objects.bulk_create(
        Claim(article=article, content=f"Claim {i}", start=i * 10, end=i * 10 + 5)
        for i in range(30)
    )
    Claim.objects.filter(start__lt=100).update(status=Claim.Status.DISMISSED)
    assert status_counts()["new"] == 20 and status_counts()["dismissed"] == 10
    # A changed creation time moves the claim to another hour of the chart.
    Claim.objects.filter(start=0).update(created_at=timezone.now() - datetime.timedelta(days=3))
    assert_counts_right()
    Claim.objects.filter(start__gte=200).delete()
    assert_counts_right()


def test_counts_are_per_hour_in_utc(reviewer_user):
    factories.ClaimFactory()
    old = factories.ClaimFactory()
    when = datetime.datetime(2024, 3, 5, 23, 59, 59, tzinfo=datetime.UTC)
    Claim.objects.filter(pk=old.pk).update(created_at=when)
    assert ActivityHour.objects.get(hour=when.replace(minute=0, second=0)).claims_added == 1
    assert_counts_right()


def test_drift_is_found_and_recount_repairs_it():
    factories.ClaimFactory.create_batch(3)
    ClaimStatusCount.objects.filter(status="new").update(count=7)
    assert counters.drift() == {"status": {"new": (7, 3)}}
    counters.recount()
    assert_counts_right()


def test_install_puts_back_missing_triggers_and_recounts():
    """SQLite drops a table's triggers when a migration rebuilds the table; the next migrate's
    install puts them back and recounts what happened meanwhile."""
    factories.ClaimFactory()
    with connection.cursor() as cursor:
        for name, definition in (
            counters.PG_COUNT_TRIGGERS
            if connection.vendor == "postgresql"
            else counters.SQLITE_COUNT_TRIGGERS
        ).items():
            table = definition.split(" ON ", 1)[1].split()[0]
            suffix = f" ON {table}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER {name}{suffix}")
    factories.ClaimFactory.create_batch(2)
    assert counters.drift()
    assert counters.install() is True
    assert_counts_right()
    assert counters.install() is False
    factories.ClaimFactory()
    assert status_counts()["new"] == 4


def test_recount_command(capsys):
    from django.core.management import CommandError, call_command

    factories.ClaimFactory.create_batch(2)
    ClaimStatusCount.objects.all().delete()
    with pytest.raises(CommandError, match="differ"):
        call_command("recount", "--check")
    assert "status new: counted 0, actually 2" in capsys.readouterr().out
    call_command("recount")
    assert_counts_right()
    call_command("recount", "--check")
    assert "agree" in capsys.readouterr().out


def test_dashboard_reads_the_counters(reviewer_client, published_verdict):
    factories.ClaimFactory.create_batch(2, status=Claim.Status.DISMISSED)
    response = reviewer_client.get(reverse("review:dashboard"))
    stats = response.context["stats"]
    assert dict((value, n) for value, _, n in stats.claims_by_status) == {
        **dict.fromkeys(Claim.Status.values, 0),
        "dismissed": 2,
        "published": 1,
    }
    assert {r.slug: n for r, n in stats.verdicts_by_rating if n} == {"true": 1}
    this_week = stats.weeks[-1]
    assert this_week[1:] == (3, 1)


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_counts_right():
    """Transactional tests end with a flush; on SQLite it deletes table by table, firing the
    triggers in between (once tripping over a rating already gone)."""
    from django.core.management import call_command

    from claims.roles import ensure_verdict_scale

    ensure_verdict_scale(VerdictRating)
    verdict = factories.VerdictFactory(
        claim=factories.ClaimFactory(status=Claim.Status.PUBLISHED), published_at=timezone.now()
    )
    assert public_counts() == {verdict.rating.slug: 1}
    call_command("flush", interactive=False, verbosity=0)
    assert_counts_right()
    assert not ClaimStatusCount.objects.exclude(count=0).exists()
    assert not PublishedRatingCount.objects.exclude(count=0).exists()


def _public(verdict: Verdict) -> bool:
    return Verdict.objects.values_list("public", flat=True).get(pk=verdict.pk)


def test_the_public_flag_follows_the_verdict(published_verdict, editor_user):
    """`Verdict.public`, which the public lists read, is kept by triggers through the services
    and around them, and survives a save of a stale copy. Reopening the claim for rework
    leaves it public (the page shows the published version); taking the page down does not."""
    assert _public(published_verdict) is True
    verdict_services.verdict_unpublish(verdict=published_verdict, by=editor_user, reason="Redo.")
    assert _public(published_verdict) is True
    stale = Verdict.objects.get(pk=published_verdict.pk)
    Verdict.objects.filter(pk=published_verdict.pk).update(taken_down_at=timezone.now())
    assert _public(published_verdict) is False
    # The copy read while it was public, saved whole: the flag is not the code's to set.
    stale.explanation = "Edited elsewhere."
    stale.save(update_fields=["explanation", "public"])
    assert _public(published_verdict) is False
    assert_counts_right()
    # Around the services, by bulk updates: the claim's status does not matter, the dates do.
    Verdict.objects.filter(pk=published_verdict.pk).update(taken_down_at=None)
    assert _public(published_verdict) is True
    Claim.objects.filter(pk=published_verdict.claim_id).update(status=Claim.Status.NEW)
    assert _public(published_verdict) is True
    Verdict.objects.filter(pk=published_verdict.pk).update(published_at=None)
    assert _public(published_verdict) is False
    Verdict.objects.filter(pk=published_verdict.pk).update(published_at=timezone.now())
    assert _public(published_verdict) is True
    # Verdicts written straight in: published and not.
    written = factories.VerdictFactory(published_at=timezone.now())
    draft = factories.VerdictFactory()
    assert (_public(written), _public(draft)) == (True, False)
    assert_counts_right()


def test_a_wrong_public_flag_is_found_and_repaired(published_verdict):
    """Set behind the triggers' back, the flag shows as drift; `recount` sets it again, and so
    does `install` when it finds the flag's triggers gone (SQLite drops them with a rebuilt
    table)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: ALTER may run
            cursor.execute("ALTER TABLE claims_verdict DISABLE TRIGGER claims_verdict_public")
            cursor.execute("UPDATE claims_verdict SET public = false")
            cursor.execute("ALTER TABLE claims_verdict ENABLE TRIGGER claims_verdict_public")
        else:
            cursor.execute("DROP TRIGGER claims_verdict_public_update")
            cursor.execute("UPDATE claims_verdict SET public = 0")
    assert counters.drift() == {"public": {published_verdict.pk: (False, True)}}
    if connection.vendor == "postgresql":
        counters.recount()
    else:
        assert counters.install() is False  # the counting triggers were all there
    assert_counts_right()
    assert _public(published_verdict) is True


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds tables to alter them")
def test_a_migration_rebuilding_the_verdict_table_upgrades_a_database_with_data():
    """A demo database with claims and verdicts could not be migrated: SQLite's rebuild of
    ``claims_verdict`` renamed it while the claim's triggers named it ("no such table"). The
    pre_migrate hook takes the triggers off; post_migrate puts them back and recounts."""
    from claims.roles import ensure_verdict_scale

    ensure_verdict_scale(VerdictRating)
    factories.VerdictFactory(
        claim=factories.ClaimFactory(status=Claim.Status.PUBLISHED), published_at=timezone.now()
    )
    plan = [("a migration", False)]
    counters.drop_before_migrate(sender=None, plan=plan)
    with connection.schema_editor() as editor:
        editor._remake_table(Verdict)
    factories.ClaimFactory.create_batch(2)
    counters.install_after_migrate(sender=None, plan=plan)
    assert_counts_right()
    factories.ClaimFactory()
    assert status_counts()["new"] == 3

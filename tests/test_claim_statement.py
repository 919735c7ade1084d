"""The claim's standalone statement: composed when empty, edited through claim_update with
version checks and the timeline, and used publicly as the title and claimReviewed."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimEvent
from claims.services.claims import (
    STATEMENT_TOO_LONG,
    claim_merge,
    claim_split,
    claim_update,
)
from claims.services.errors import ServiceError, StaleVersion
from claims.statements import compose_statement
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


# compose_statement: pure Python


@pytest.mark.parametrize(
    ("speaker", "cue", "content", "direct", "expected"),
    [
        (
            "David Schenker",
            "said",
            "the strikes were a message to Iran",
            False,
            "David Schenker said the strikes were a message to Iran.",
        ),
        (
            "Iraq",
            "condemned",
            "Washington for the strikes",
            False,
            "Iraq condemned Washington for the strikes.",
        ),
        ("", "", "five people died in the attack", False, "Five people died in the attack."),
        (
            "Reuters",
            "according to",
            "The staff were not in the building,",
            False,
            "According to Reuters, the staff were not in the building.",
        ),
        ("the ministry", "", "talks resumed", False, "According to the ministry, talks resumed."),
        (
            "Donald Trump",
            "tweeted",
            "Iran will be held fully responsible",
            True,
            "Donald Trump tweeted “Iran will be held fully responsible”",
        ),
        ("Pompeo", "said", "Iran backed the attack!", False, "Pompeo said Iran backed the attack!"),
        ("Pompeo", "said", "   ", False, ""),
        (
            "unnamed  sources",
            "say",
            "it  was\nplanned",
            False,
            "Unnamed sources say it was planned.",
        ),
    ],
)
def test_compose_statement(speaker, cue, content, direct, expected):
    assert (
        compose_statement(speaker=speaker, cue=cue, content=content, direct_quote=direct)
        == expected
    )


# The model: a written statement wins, otherwise the composed one


@pytest.mark.django_db
def test_display_statement_falls_back_to_speaker_cue_and_content():
    claim = factories.ClaimFactory(
        speaker=factories.SpeakerFactory(name="David Schenker"),
        cue="said",
        content="the strikes were a message to Iran",
    )
    assert claim.statement == ""
    assert claim.display_statement == "David Schenker said the strikes were a message to Iran."
    claim.statement = "Schenker said the US strikes in Iraq were a message to Iran."
    assert claim.display_statement == claim.statement


@pytest.mark.django_db
def test_outlets_own_statement_is_the_content_alone():
    claim = factories.ClaimFactory(
        speaker=None,
        speaker_text="",
        kind=Claim.Kind.UNATTRIBUTED,
        cue="",
        content="at least 25 fighters were killed",
    )
    assert claim.display_statement == "At least 25 fighters were killed."


# The service


@pytest.mark.django_db
def test_claim_update_sets_the_statement_on_the_timeline(reviewer_user):
    claim = factories.ClaimFactory()
    updated = claim_update(
        claim=claim,
        by=reviewer_user,
        expected_version=1,
        statement="  Iraq   condemned Washington for the strikes. ",
    )
    assert updated.statement == "Iraq condemned Washington for the strikes."
    assert updated.version == 2
    event = ClaimEvent.objects.get(claim=claim, field="statement")
    assert event.action == ClaimEvent.Action.EDITED
    assert (event.before, event.after) == ("", "Iraq condemned Washington for the strikes.")
    assert event.actor == reviewer_user


@pytest.mark.django_db
def test_an_empty_statement_goes_back_to_the_draft(reviewer_user):
    claim = factories.ClaimFactory(statement="Written by hand.")
    updated = claim_update(claim=claim, by=reviewer_user, expected_version=1, statement="")
    assert updated.statement == ""
    assert updated.display_statement == updated.drafted_statement


@pytest.mark.django_db
def test_statement_unchanged_or_not_given_records_nothing(reviewer_user):
    claim = factories.ClaimFactory(statement="Same.")
    claim_update(claim=claim, by=reviewer_user, expected_version=1, statement="Same.")
    claim_update(claim=claim, by=reviewer_user, expected_version=1, content=claim.content)
    claim.refresh_from_db()
    assert claim.version == 1
    assert not ClaimEvent.objects.filter(claim=claim).exists()


@pytest.mark.django_db
def test_statement_edit_against_an_old_version_is_refused(reviewer_user, editor_user):
    claim = factories.ClaimFactory()
    claim_update(claim=claim, by=editor_user, expected_version=1, statement="The editor's.")
    with pytest.raises(StaleVersion):
        claim_update(claim=claim, by=reviewer_user, expected_version=1, statement="Mine.")
    claim.refresh_from_db()
    assert claim.statement == "The editor's."


@pytest.mark.django_db
def test_overlong_statement_is_refused(reviewer_user):
    claim = factories.ClaimFactory()
    with pytest.raises(ServiceError) as error:
        claim_update(claim=claim, by=reviewer_user, expected_version=1, statement="x" * 1001)
    assert error.value.message == STATEMENT_TOO_LONG


@pytest.mark.django_db
def test_published_claims_statement_is_locked(published_verdict, reviewer_user):
    claim = published_verdict.claim
    with pytest.raises(ServiceError):
        claim_update(claim=claim, by=reviewer_user, expected_version=None, statement="Changed.")


@pytest.mark.django_db
def test_split_and_merge_fall_back_to_the_composed_statement(reviewer_user):
    text = "The minister said the bridge opens in May and it costs less than planned."
    article = factories.ArticleFactory(text=text)
    claim = factories.ClaimFactory(
        article=article,
        content="the bridge opens in May and it costs less than planned",
        start=18,
        end=72,
        statement="The minister said the bridge opens in May and costs less.",
    )
    first, second = claim_split(
        claim=claim, by=reviewer_user, expected_version=1, second_starts_with="it costs"
    )
    assert first.statement == "" and second.statement == ""
    event = ClaimEvent.objects.get(claim=claim, field="statement")
    assert event.before == "The minister said the bridge opens in May and costs less."
    first = claim_update(
        claim=first, by=reviewer_user, expected_version=first.version, statement="Opens in May."
    )
    merged = claim_merge(claim=first, other=second, by=reviewer_user, expected_version=None)
    assert merged.statement == ""


# The review workspace


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False])
def test_reviewer_edits_the_statement_in_the_panel(htmx, reviewer_client):
    claim = factories.ClaimFactory(content="Washington for the strikes", cue="condemned")
    url = reverse("review:claim_edit", args=[claim.pk])
    data = {
        "edit-version": 1,
        "edit-statement": "Iraq condemned Washington for the strikes.",
        "edit-content": claim.content,
        "edit-kind": claim.kind,
    }
    response = reviewer_client.post(url, data, **(HTMX if htmx else {}))
    assert response.status_code == 200 if htmx else 302
    claim.refresh_from_db()
    assert claim.statement == "Iraq condemned Washington for the strikes."
    body = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Iraq condemned Washington for the strikes." in body
    assert "drafted automatically" not in body


@pytest.mark.django_db
def test_panel_shows_the_draft_and_an_empty_field_when_none_is_written(reviewer_client):
    claim = factories.ClaimFactory(
        speaker=factories.SpeakerFactory(name="Mark Esper"), cue="said", content="troops left"
    )
    body = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Mark Esper said troops left." in body
    assert "drafted automatically" in body
    assert re.search(r'<textarea name="edit-statement"[^>]*>\s*</textarea>', body)


@pytest.mark.django_db
def test_a_form_without_the_statement_field_leaves_it_alone(reviewer_client):
    claim = factories.ClaimFactory(statement="Kept as written.")
    url = reverse("review:claim_edit", args=[claim.pk])
    data = {"edit-version": 1, "edit-content": "new words", "edit-kind": claim.kind}
    assert reviewer_client.post(url, data, **HTMX).status_code == 200
    claim.refresh_from_db()
    assert (claim.content, claim.statement) == ("new words", "Kept as written.")


@pytest.mark.django_db
def test_stale_statement_edit_shows_both_versions(reviewer_client, editor_user):
    claim = factories.ClaimFactory()
    claim_update(claim=claim, by=editor_user, expected_version=1, statement="Editor wrote this.")
    url = reverse("review:claim_edit", args=[claim.pk])
    data = {
        "edit-version": 1,
        "edit-statement": "Reviewer wrote that.",
        "edit-content": claim.content,
        "edit-kind": claim.kind,
    }
    response = reviewer_client.post(url, data, **HTMX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Reviewer wrote that." in body and "Editor wrote this." in body
    claim.refresh_from_db()
    assert claim.statement == "Editor wrote this."


@pytest.mark.django_db
def test_public_users_cannot_edit_statements(plain_user_client):
    claim = factories.ClaimFactory()
    url = reverse("review:claim_edit", args=[claim.pk])
    data = {"edit-version": 1, "edit-statement": "x", "edit-content": "y", "edit-kind": "direct"}
    assert plain_user_client.post(url, data).status_code == 403
    assert Client().post(url, data).status_code == 302
    assert Client().get(url).status_code in {302, 405}
    claim.refresh_from_db()
    assert claim.statement == ""


# Public use


LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _publish_with_statement(verdict, reviewer_user, editor_user, statement: str):
    """Unpublish, set the statement, publish again: the workflow a newsroom would follow."""
    from claims.models import VerdictRating
    from claims.services.claims import claim_accept
    from claims.services.verdicts import verdict_approve, verdict_submit

    claim = factories.ClaimFactory(content="Washington for the strikes", cue="condemned")
    claim = claim_accept(claim=claim, by=reviewer_user)
    claim = claim_update(
        claim=claim, by=reviewer_user, expected_version=claim.version, statement=statement
    )
    verdict = verdict_submit(
        claim=claim,
        by=reviewer_user,
        rating=VerdictRating.objects.get(slug="true"),
        explanation="Iraq's government said so in a statement.",
    )
    return verdict_approve(verdict=verdict, by=editor_user)


@pytest.mark.django_db
def test_public_page_title_and_claim_reviewed_use_the_statement(
    published_verdict, reviewer_user, editor_user
):
    verdict = _publish_with_statement(
        published_verdict, reviewer_user, editor_user, "Iraq condemned Washington for the strikes."
    )
    body = Client().get(verdict.get_absolute_url()).content.decode()
    assert ">Iraq condemned Washington for the strikes.</h1>" in body
    assert "<title>True: Iraq condemned Washington for the strikes." in body
    assert "Washington for the strikes</blockquote>" in body  # the original wording, quoted
    data = json.loads(LD_JSON.search(body).group(1))
    assert data["claimReviewed"] == "Iraq condemned Washington for the strikes."
    api = Client().get(f"/api/verdicts/{verdict.slug}").json()
    assert api["statement"] == "Iraq condemned Washington for the strikes."
    assert api["claim"] == "Washington for the strikes"


@pytest.mark.django_db
def test_public_side_uses_the_composed_statement_when_none_is_written(published_verdict):
    claim = published_verdict.claim
    expected = f"{claim.speaker.name} said the strikes hit three targets in Iraq."
    assert claim.display_statement == expected
    body = Client().get(published_verdict.get_absolute_url()).content.decode()
    assert json.loads(LD_JSON.search(body).group(1))["claimReviewed"] == expected
    assert expected in Client().get("/").content.decode()
    assert Client().get("/api/verdicts").json()["items"][0]["statement"] == expected


@pytest.mark.django_db
def test_staff_api_shows_the_stored_and_the_public_statement(reviewer_client):
    claim = factories.ClaimFactory(
        speaker=factories.SpeakerFactory(name="Mark Esper"), cue="said", content="troops left"
    )
    item = reviewer_client.get(f"/api/claims/{claim.pk}").json()
    assert item["statement"] == ""
    assert item["public_statement"] == "Mark Esper said troops left."

"""API tokens (made by a command or in the admin, only a hash kept, revocable, last-used time),
the staff endpoints they open with their user's roles, and the public endpoints' filters,
pagination, JSON errors and anonymous rate limit."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from claims.models import ApiToken, Claim, Verdict, VerdictRating
from claims.services.api_tokens import api_token_create, api_token_revoke, hash_token
from claims.services.claims import claim_accept
from tests import factories
from tests.publishing import days_ago, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def reviewer_token(reviewer_user) -> str:
    return api_token_create(user=reviewer_user, name="CMS")[1]


@pytest.fixture
def no_role_token(db) -> str:
    return api_token_create(user=factories.UserFactory(username="reader"))[1]


# --- the tokens themselves ---------------------------------------------------------------


def test_command_prints_a_token_and_stores_only_its_hash(reviewer_user):
    out = io.StringIO()
    call_command("create_api_token", "rita-reviewer", "--name", "Newsroom CMS", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("fct_") and len(token) > 40
    row = ApiToken.objects.get(user=reviewer_user)
    assert row.token_hash == hash_token(token) and token not in row.token_hash
    assert row.name == "Newsroom CMS" and token.startswith(row.prefix)
    stored = json.dumps(list(ApiToken.objects.values()), default=str)
    assert token not in stored
    assert Client().get("/api/claims", **_bearer(token)).status_code == 200


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="no active user called 'nobody'"):
        call_command("create_api_token", "nobody", stdout=io.StringIO())


def test_a_token_records_when_it_was_last_used(reviewer_user, reviewer_token):
    row = ApiToken.objects.get(user=reviewer_user)
    assert row.last_used_at is None
    Client().get("/api/claims", **_bearer(reviewer_token))
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_a_revoked_token_is_refused_with_401(reviewer_user, reviewer_token):
    assert Client().get("/api/claims", **_bearer(reviewer_token)).status_code == 200
    api_token_revoke(token=ApiToken.objects.get(user=reviewer_user))
    response = Client().get("/api/claims", **_bearer(reviewer_token))
    assert response.status_code == 401
    assert response.json() == {"detail": "This API token is not valid, or it was revoked."}


def test_a_deactivated_users_tokens_stop_working(reviewer_user, reviewer_token):
    reviewer_user.is_active = False
    reviewer_user.save()
    assert Client().get("/api/claims", **_bearer(reviewer_token)).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer fct_wrong", "Bearer not-even-ours", "Bearer ", "Bearer fct_" + "x" * 300],
)
def test_a_wrong_token_is_401_with_a_json_message(reviewer_token, header):
    response = Client().get("/api/claims", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_no_credentials_is_401_saying_how_to_authenticate(db):
    response = Client().get("/api/claims")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


def test_admin_makes_a_token_shows_it_once_and_revokes(reviewer_user):
    superuser = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(superuser)
    response = admin.post(
        "/admin/claims/apitoken/add/", {"user": reviewer_user.pk, "name": "Robot"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    token = next(word for m in shown for word in m.split() if word.startswith("fct_"))
    row = ApiToken.objects.get(user=reviewer_user)
    assert row.token_hash == hash_token(token) and row.created_by == superuser
    # Shown once: the list and the token's own page never show it again.
    assert token not in admin.get("/admin/claims/apitoken/").content.decode()
    assert token not in admin.get(f"/admin/claims/apitoken/{row.pk}/change/").content.decode()
    assert Client().get("/api/claims", **_bearer(token)).status_code == 200
    admin.post(
        "/admin/claims/apitoken/",
        {"action": "revoke", "_selected_action": [row.pk]},
        follow=True,
    )
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert Client().get("/api/claims", **_bearer(token)).status_code == 401


def test_only_superusers_manage_tokens_in_the_admin(admin_user_with_role):
    client = Client()
    client.force_login(admin_user_with_role)
    assert client.get("/admin/claims/apitoken/").status_code == 403


# --- roles ------------------------------------------------------------------------------------


def test_a_token_without_a_role_is_refused_with_403_everywhere(no_role_token):
    claim = factories.ClaimFactory()
    headers = _bearer(no_role_token)
    client = Client()
    for response in (
        client.get("/api/claims", **headers),
        client.get(f"/api/claims/{claim.pk}", **headers),
        client.get(f"/api/claims/{claim.pk}/evidence", **headers),
        client.get(f"/api/articles/{claim.article_id}", **headers),
        client.post(
            "/api/articles", {"text": "x " * 200}, content_type="application/json", **headers
        ),
        client.post(
            f"/api/claims/{claim.pk}/verdict",
            {"rating": "false", "explanation": "No."},
            content_type="application/json",
            **headers,
        ),
    ):
        assert response.status_code == 403
        assert response.json() == {"detail": "You need the reviewer or editor role."}
    assert not Verdict.objects.exists()


def test_reviewer_token_lists_and_reads_claims_and_evidence(reviewer_token):
    claim = factories.ClaimFactory(content="the bridge cost four billion", checkworthiness=0.9)
    factories.ClaimFactory(checkworthiness=0.2)
    evidence = factories.EvidenceFactory(claim=claim, url="https://audit.example/bridge")
    client = Client()
    listed = client.get("/api/claims", **_bearer(reviewer_token)).json()
    assert listed["count"] == 2 and listed["items"][0]["id"] == claim.pk
    one = client.get(f"/api/claims/{claim.pk}", **_bearer(reviewer_token)).json()
    assert one["content"] == "the bridge cost four billion"
    found = client.get(f"/api/claims/{claim.pk}/evidence", **_bearer(reviewer_token)).json()
    assert [item["id"] for item in found["items"]] == [evidence.pk]
    assert found["items"][0]["url"] == "https://audit.example/bridge"
    missing = client.get("/api/claims/999999/evidence", **_bearer(reviewer_token))
    assert missing.status_code == 404
    assert missing.json() == {"detail": "There is no claim number 999999."}


def test_reviewer_token_ingests_pasted_text(reviewer_token, reviewer_user):
    text = (
        "Officials said the bridge cost four billion dollars to build. "
        "The minister said the tunnel would open in May. "
    ) * 3
    response = Client().post(
        "/api/articles", {"text": text}, content_type="application/json", **_bearer(reviewer_token)
    )
    assert response.status_code == 202, response.content
    article = response.json()["article"]
    assert article["id"]
    from claims.models import Article

    assert Article.objects.get(pk=article["id"]).added_by == reviewer_user


def test_a_token_needs_no_csrf_token_but_a_session_does(reviewer_token, reviewer_user):
    """A bearer token cannot be sent by another site's page; a session cookie can."""
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post(
            "/api/articles",
            {"text": ""},
            content_type="application/json",
            **_bearer(reviewer_token),
        ).status_code
        == 400
    )
    client.force_login(reviewer_user)
    assert (
        client.post("/api/articles", {"text": ""}, content_type="application/json").status_code
        == 403
    )


def test_reviewer_token_proposes_a_verdict_through_the_workflow(
    reviewer_user, reviewer_token, editor_user
):
    claim = claim_accept(claim=factories.ClaimFactory(), by=reviewer_user)
    evidence = factories.EvidenceFactory(claim=claim)
    other_claims_evidence = factories.EvidenceFactory()
    response = Client().post(
        f"/api/claims/{claim.pk}/verdict",
        {
            "rating": "false",
            "explanation": "The audit gives one billion.",
            "evidence": [evidence.pk, other_claims_evidence.pk],
            "version": claim.version,
        },
        content_type="application/json",
        **_bearer(reviewer_token),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "awaiting_approval" and body["evidence"] == [evidence.pk]
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.author == reviewer_user and verdict.published_at is None
    assert claim.events.filter(action="verdict_changed").exists()  # on the timeline
    # Not public until an editor approves it.
    assert Client().get("/api/verdicts").json()["count"] == 0


def test_verdict_proposal_errors_are_json(reviewer_user, reviewer_token):
    claim = claim_accept(claim=factories.ClaimFactory(), by=reviewer_user)
    client = Client()

    def post(payload: dict, claim_id: int = claim.pk):
        return client.post(
            f"/api/claims/{claim_id}/verdict",
            payload,
            content_type="application/json",
            **_bearer(reviewer_token),
        )

    stale = post({"rating": "false", "explanation": "No.", "version": claim.version - 1})
    assert stale.status_code == 409 and "changed by" in stale.json()["detail"]
    unknown = post({"rating": "pants-on-fire-x", "explanation": "No."})
    assert unknown.status_code == 400 and "no rating called" in unknown.json()["detail"]
    assert post({"rating": "false"}).status_code == 422
    new_claim = factories.ClaimFactory()  # still in triage: not ready for a verdict
    refused = post({"rating": "false", "explanation": "No."}, claim_id=new_claim.pk)
    assert refused.status_code == 400 and refused.json()["detail"]
    assert post({"rating": "false", "explanation": "No."}, claim_id=10**9).status_code == 404


# --- public endpoints -------------------------------------------------------------------------


@pytest.fixture
def record(reviewer_user, editor_user):
    ann = factories.SpeakerFactory(name="Ann Example", slug="ann-example", role="Minister")
    sky = factories.SourceFactory(name="Sky News", slug="sky-news")
    article = factories.ArticleFactory(outlet=sky, outlet_name="Sky News")
    return {
        "bridge": publish(
            author=reviewer_user,
            approver=editor_user,
            rating="false",
            speaker=ann,
            article=article,
            content="the bridge cost four billion",
            published_at=days_ago(2),
        ),
        "tunnel": publish(
            author=reviewer_user,
            approver=editor_user,
            rating="true",
            speaker=ann,
            content="the tunnel opened in May",
            published_at=days_ago(30),
        ),
        "other": publish(
            author=reviewer_user,
            approver=editor_user,
            rating="false",
            content="unemployment fell by half",
            published_at=days_ago(60),
        ),
    }


def _slugs(body: dict) -> list[str]:
    return [item["slug"] for item in body["items"]]


def test_public_verdicts_take_the_filters_of_the_verdict_pages(record):
    client = Client()
    bridge, tunnel, other = (record[k].slug for k in ("bridge", "tunnel", "other"))
    assert _slugs(client.get("/api/verdicts").json()) == [bridge, tunnel, other]
    assert _slugs(client.get("/api/verdicts?rating=false").json()) == [bridge, other]
    assert _slugs(client.get("/api/verdicts?speaker=ann-example").json()) == [bridge, tunnel]
    assert _slugs(client.get("/api/verdicts?outlet=Sky News").json()) == [bridge]
    assert _slugs(client.get("/api/verdicts?q=tunnel").json()) == [tunnel]
    since = days_ago(10).date().isoformat()
    assert _slugs(client.get(f"/api/verdicts?date_from={since}").json()) == [bridge]
    until = days_ago(10).date().isoformat()
    assert _slugs(client.get(f"/api/verdicts?date_to={until}").json()) == [tunnel, other]
    both = client.get("/api/verdicts?rating=false&speaker=ann-example").json()
    assert _slugs(both) == [bridge] and both["count"] == 1
    assert client.get("/api/verdicts?date_from=not-a-date").status_code == 422


def test_public_lists_are_paginated(record):
    page = Client().get("/api/verdicts?limit=2&offset=1").json()
    assert page["count"] == 3 and page["count_is_capped"] is False
    assert _slugs(page) == [record["tunnel"].slug, record["other"].slug]
    assert Client().get("/api/verdicts?limit=101").status_code == 422
    assert Client().get("/api/verdicts?offset=1001").status_code == 422


def test_public_speakers_and_their_record(record):
    listed = Client().get("/api/speakers?q=ann").json()
    assert [(s["slug"], s["verdict_count"]) for s in listed["items"]] == [("ann-example", 2)]
    one = Client().get("/api/speakers/ann-example").json()
    counts = {r["slug"]: r["published"] for r in one["ratings"] if r["published"]}
    assert counts == {"true": 1, "false": 1}
    missing = Client().get("/api/speakers/nobody")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No speaker with published verdicts at this address."}


def test_public_ratings_list_the_scale(record):
    ratings = Client().get("/api/ratings").json()
    assert [r["slug"] for r in ratings] == list(
        VerdictRating.objects.order_by("order").values_list("slug", flat=True)
    )
    assert {r["slug"]: r["published"] for r in ratings}["false"] == 2


def test_public_claimreview_feed_is_paginated_claimreviews(record, settings):
    page = Client().get("/api/claimreview?limit=2").json()
    assert page["count"] == 3 and len(page["items"]) == 2
    first = page["items"][0]
    assert first["@type"] == "ClaimReview"
    assert first["url"] == settings.SITE_URL + record["bridge"].get_absolute_url()
    assert first["reviewRating"]["alternateName"] == "False"
    assert first["itemReviewed"]["@type"] == "Claim"


def test_the_public_api_never_shows_unpublished_work(record, reviewer_user):
    draft = claim_accept(
        claim=factories.ClaimFactory(content="SECRET-DRAFT-MARKER claim"), by=reviewer_user
    )
    from claims.services.verdicts import verdict_submit

    verdict_submit(
        claim=draft,
        by=reviewer_user,
        rating=VerdictRating.objects.get(slug="false"),
        explanation="SECRET-DRAFT-MARKER explanation",
    )
    for url in (
        "/api/verdicts",
        "/api/verdicts?q=SECRET-DRAFT-MARKER",
        "/api/claimreview",
        "/api/speakers",
    ):
        assert "SECRET-DRAFT-MARKER" not in Client().get(url).content.decode(), url
    slug = Verdict.objects.get(claim=draft).slug
    assert Client().get(f"/api/verdicts/{slug}").status_code == 404
    assert Claim.objects.filter(content__contains="SECRET-DRAFT-MARKER").exists()


def test_anonymous_callers_are_rate_limited_with_429_but_token_holders_are_not(
    record, settings, reviewer_token
):
    settings.API_ANON_RATE_LIMIT = "3/minute"
    settings.RATE_LIMIT_STORAGE_URL = "memory://"
    from claims import api

    api._limiter.cache_clear()
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [client.get("/api/verdicts").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/ratings")
    assert limited.status_code == 429
    assert "Too many requests" in limited.json()["detail"]
    assert int(limited.headers["Retry-After"]) >= 1
    # Another address, and a token holder at this one, are not held back.
    assert Client(REMOTE_ADDR="203.0.113.8").get("/api/verdicts").status_code == 200
    assert client.get("/api/verdicts", **_bearer(reviewer_token)).status_code == 200
    api._limiter.cache_clear()

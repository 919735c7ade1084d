"""Role permissions and who may reach which area."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from claims import roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_groups_carry_the_right_permissions():
    rev, ed, adm = (
        factories.UserFactory(role=roles.REVIEWER),
        factories.UserFactory(role=roles.EDITOR),
        factories.UserFactory(role=roles.ADMIN),
    )
    assert rev.has_perm("claims.review_claim") and not rev.has_perm("claims.approve_verdict")
    assert ed.has_perm("claims.review_claim") and ed.has_perm("claims.approve_verdict")
    assert not ed.has_perm("claims.change_source")
    assert adm.has_perm("claims.change_source") and adm.has_perm("claims.change_verdictrating")


def test_anonymous_is_sent_to_login_from_review():
    response = Client().get(reverse("review:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_a_role_is_forbidden(plain_user_client):
    assert plain_user_client.get(reverse("review:queue")).status_code == 403


def test_reviewer_and_editor_reach_review(reviewer_client, editor_client):
    assert reviewer_client.get(reverse("review:queue")).status_code == 200
    assert editor_client.get(reverse("review:queue")).status_code == 200


def test_admin_reaches_source_admin(admin_user_with_role):
    client = Client()
    client.force_login(admin_user_with_role)
    assert client.get(reverse("admin:claims_source_changelist")).status_code == 200
    assert client.get(reverse("admin:claims_source_add")).status_code == 200


def test_reviewer_cannot_reach_admin(reviewer_client):
    response = reviewer_client.get(reverse("admin:claims_source_changelist"))
    assert response.status_code == 302  # to the admin login


def test_anonymous_sees_nothing_unpublished(reviewer_user):
    from claims.models import VerdictRating
    from claims.services.claims import claim_accept
    from claims.services.verdicts import verdict_submit

    claim = claim_accept(
        claim=factories.ClaimFactory(content="Secret draft claim"), by=reviewer_user
    )
    verdict = verdict_submit(
        claim=claim,
        by=reviewer_user,
        rating=VerdictRating.objects.get(slug="false"),
        explanation="Draft explanation",
    )
    client = Client()
    assert "Secret draft claim" not in client.get("/").content.decode()
    assert client.get(verdict.get_absolute_url()).status_code == 404
    assert client.get(reverse("public:speaker", args=[claim.speaker.slug])).status_code == 404


def test_every_permission_a_role_lists_exists_after_the_migrations():
    """ensure_roles skips permissions that an early migration cannot see yet; once every
    migration has run, each listed permission must be on its group (a typo would vanish)."""
    from django.contrib.auth.models import Group

    for role, codes in roles.ROLE_PERMISSIONS.items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role).permissions.select_related("content_type")
        }
        assert set(codes) == granted, role

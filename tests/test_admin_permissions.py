"""The admin cannot go around the workflow or hand out power: every registered model's change
form is opened as the Admin role and as a superuser, and what it lets them edit is checked."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims import roles
from claims.models import (
    Claim,
    ClaimEvent,
    Comment,
    CorroborationRun,
    FactCheck,
    FeedItem,
    MatchingSettings,
    SourceFeed,
    Verdict,
    VerdictCorrection,
    VerdictRating,
)
from claims.services.api_tokens import api_token_create
from tests import factories
from tests.publishing import correct

pytestmark = pytest.mark.django_db

User = get_user_model()

SOURCE_FIELDS = {
    "name",
    "slug",
    "kind",
    "reliability",
    "active",
    "notes",
    "auto_ingest",
    "ingest_threshold",
    "sourcedomain.domain",
    "sourcefeed.url",
    "sourcefeed.title",
    "sourcefeed.active",
}
ARTICLE_FIELDS = {
    "url",
    "kind",
    "moderators",
    "outlet",
    "outlet_name",
    "headline",
    "byline",
    "published_on",
    "language",
}
SPEAKER_FIELDS = {"name", "normalised_name", "role", "kind", "aliases", "slug"}
USER_FIELDS_FOR_ADMIN_ROLE = {
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "groups",
}

# What each change form lets the Admin role edit; empty: nothing (a read-only view); None: the
# form is not open to the role at all (403).
EDITABLE_BY_ADMIN_ROLE: dict[str, set[str] | None] = {
    "claims.source": SOURCE_FIELDS,
    "claims.sourcefeed": {"source", "url", "title", "active"},
    "claims.feeditem": None,
    "claims.corroborationrun": None,
    "claims.verdictrating": {"name", "slug", "order", "colour", "description", "schema_rating"},
    "claims.article": ARTICLE_FIELDS,
    "claims.speaker": SPEAKER_FIELDS,
    # The workflow's records: read-only.
    "claims.claim": set(),
    "claims.verdict": set(),
    "claims.evidence": set(),
    "claims.comment": set(),
    "claims.claimevent": set(),
    "claims.factcheck": set(),
    "claims.matchingsettings": {"threshold"},
    "auth.user": USER_FIELDS_FOR_ADMIN_ROLE,
    "auth.group": set(),
    # A token acts as its user: only superusers make, see and revoke them.
    "claims.apitoken": None,
}

# A superuser may do more with users and groups, and nothing more with the workflow.
EDITABLE_BY_SUPERUSER: dict[str, set[str] | None] = {
    **EDITABLE_BY_ADMIN_ROLE,
    "claims.feeditem": set(),
    "claims.corroborationrun": set(),
    "auth.user": {
        *USER_FIELDS_FOR_ADMIN_ROLE,
        "is_staff",
        "is_superuser",
        "user_permissions",
        "last_login",
        "date_joined",
    },
    "auth.group": {"name", "permissions"},
    "claims.apitoken": set(),  # made on the add form, revoked by an action; never edited
}

WORKFLOW_MODELS = [
    "claims.claim",
    "claims.verdict",
    "claims.evidence",
    "claims.comment",
    "claims.claimevent",
]


def _one_of_each(published_verdict) -> dict[str, object]:
    """A row of every model the admin shows, keyed like the tables above."""
    claim = published_verdict.claim
    feed = SourceFeed.objects.create(
        source=factories.SourceFactory(), url="https://feeds.example/rss"
    )
    return {
        "claims.source": feed.source,
        "claims.sourcefeed": feed,
        "claims.feeditem": FeedItem.objects.create(
            feed=feed, guid="g1", url="https://feeds.example/a"
        ),
        "claims.corroborationrun": CorroborationRun.objects.create(claim=claim, status="done"),
        "claims.verdictrating": VerdictRating.objects.get(slug="true"),
        "claims.article": claim.article,
        "claims.speaker": claim.speaker,
        "claims.claim": claim,
        "claims.verdict": published_verdict,
        "claims.evidence": factories.EvidenceFactory(claim=claim),
        "claims.comment": Comment.objects.create(
            claim=claim, author=published_verdict.author, body="Check the date"
        ),
        "claims.claimevent": claim.events.first(),
        "claims.factcheck": FactCheck.objects.create(
            url="https://checker.example/1", claim_reviewed="A claim", record_sha256="0" * 64
        ),
        "claims.matchingsettings": MatchingSettings.current(),
        "auth.user": factories.reviewer(username="someone"),
        "auth.group": Group.objects.get(name=roles.REVIEWER),
        "claims.apitoken": api_token_create(user=published_verdict.author)[0],
    }


def _key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _editable_fields(response) -> set[str]:
    """The fields a change form would save: its own and its inlines' (as model.field)."""
    form = response.context["adminform"].form
    names = {name for name, field in form.fields.items() if not field.disabled}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.model._meta.model_name
        fk = getattr(formset, "fk", None)
        names |= {
            f"{prefix}.{name}"
            for name in formset.form.base_fields
            if not (fk is not None and name == fk.name)
        }
    return names


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "pw-root-123456")


@pytest.mark.parametrize("who", ["admin role", "superuser"])
def test_every_admin_change_form_edits_only_what_it_may(
    who, admin_user_with_role, superuser, published_verdict
):
    user, expected = (
        (admin_user_with_role, EDITABLE_BY_ADMIN_ROLE)
        if who == "admin role"
        else (superuser, EDITABLE_BY_SUPERUSER)
    )
    rows = _one_of_each(published_verdict)
    registered = {_key(model) for model in admin.site._registry}
    assert registered == set(expected), "a model was registered in the admin: add it above"
    client = Client()
    client.force_login(user)
    for key, obj in rows.items():
        app_label, model_name = key.split(".")
        url = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
        response = client.get(url)
        if expected[key] is None:
            assert response.status_code == 403, key
            continue
        assert response.status_code == 200, key
        assert _editable_fields(response) == expected[key], key


@pytest.mark.parametrize("key", WORKFLOW_MODELS)
def test_saving_a_workflow_record_in_the_admin_is_refused(
    key, admin_user_with_role, superuser, published_verdict
):
    rows = _one_of_each(published_verdict)
    obj = rows[key]
    app_label, model_name = key.split(".")
    for user in (admin_user_with_role, superuser):
        client = Client()
        client.force_login(user)
        change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
        delete = reverse(f"admin:{app_label}_{model_name}_delete", args=[obj.pk])
        assert client.post(change, {"status": "new"}).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 403
        assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_published_verdict_cannot_be_rewritten_from_the_admin(
    admin_user_with_role, published_verdict
):
    """The report's case: rating, explanation, approver and date changed with no trace."""
    staff = factories.UserFactory(username="raw-perms", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="claims"))
    before = (published_verdict.rating_id, published_verdict.explanation)
    events = ClaimEvent.objects.count()
    for user in (admin_user_with_role, staff):
        client = Client()
        client.force_login(user)
        response = client.post(
            reverse("admin:claims_verdict_change", args=[published_verdict.pk]),
            {
                "claim": published_verdict.claim_id,
                "rating": VerdictRating.objects.get(slug="false").pk,
                "explanation": "Rewritten",
                "slug": published_verdict.slug,
                "author": published_verdict.author_id,
                "approver": user.pk,
                "published_at_0": "2020-01-01",
                "published_at_1": "00:00:00",
                "corrections-TOTAL_FORMS": "0",
                "corrections-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 403
        response = client.post(
            reverse("admin:claims_claim_change", args=[published_verdict.claim_id]),
            {"status": Claim.Status.NEW},
        )
        assert response.status_code == 403
    published_verdict.refresh_from_db()
    assert (published_verdict.rating_id, published_verdict.explanation) == before
    assert published_verdict.claim.status == Claim.Status.PUBLISHED
    assert ClaimEvent.objects.count() == events


def test_corrections_show_read_only_on_the_verdict_form(
    admin_user_with_role, published_verdict, editor_user, other_editor_user
):
    correct(
        published_verdict,
        proposer=other_editor_user,
        approver=editor_user,
        reason="Wrong date cited",
        explanation="Five targets, three in Iraq, on 29 December.",
    )
    client = Client()
    client.force_login(admin_user_with_role)
    response = client.get(reverse("admin:claims_verdict_change", args=[published_verdict.pk]))
    assert "Wrong date cited" in response.content.decode()
    assert VerdictCorrection.objects.count() == 1


def test_an_article_with_claims_cannot_be_deleted_from_the_admin(
    admin_user_with_role, superuser, published_verdict
):
    """Deleting it would take the claims, verdicts and timeline with it, unrecorded."""
    article = published_verdict.claim.article
    for user in (admin_user_with_role, superuser):
        client = Client()
        client.force_login(user)
        response = client.post(
            reverse("admin:claims_article_delete", args=[article.pk]), {"post": "yes"}
        )
        assert response.status_code == 403
        assert Verdict.objects.filter(pk=published_verdict.pk).exists()


def test_a_speaker_that_claims_name_cannot_be_deleted(admin_user_with_role, published_verdict):
    client = Client()
    client.force_login(admin_user_with_role)
    speaker = published_verdict.claim.speaker
    response = client.post(
        reverse("admin:claims_speaker_delete", args=[speaker.pk]), {"post": "yes"}
    )
    assert response.status_code == 200  # the "cannot delete" page
    assert "claims name this speaker" in response.content.decode()
    assert type(speaker).objects.filter(pk=speaker.pk).exists()
    unused = factories.SpeakerFactory()
    response = client.post(
        reverse("admin:claims_speaker_delete", args=[unused.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not type(unused).objects.filter(pk=unused.pk).exists()


def test_article_status_is_not_editable_in_the_admin(admin_user_with_role):
    article = factories.ArticleFactory(status="failed", failure_reason="404")
    client = Client()
    client.force_login(admin_user_with_role)
    response = client.post(
        reverse("admin:claims_article_change", args=[article.pk]),
        {"status": "ready", "kind": "article", "headline": "Fixed headline", "language": "en"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.headline == "Fixed headline"
    assert article.status == "failed"


# Users and roles (item 2): nobody hands out power they do not have.


def _user_form_data(user, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": "",
        "email": "",
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": timezone.now().date().isoformat(),
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_admin_role_cannot_make_itself_superuser_or_grant_raw_permissions(admin_user_with_role):
    powerful = Group.objects.create(name="Everything")
    powerful.permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(admin_user_with_role)
    url = reverse("admin:auth_user_change", args=[admin_user_with_role.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
    assert "Everything" not in page  # not offered
    response = client.post(
        url,
        _user_form_data(
            admin_user_with_role,
            is_superuser="on",
            is_staff="on",
            user_permissions=[p.pk for p in Permission.objects.all()],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    admin_user_with_role.refresh_from_db()
    assert not admin_user_with_role.is_superuser
    assert not admin_user_with_role.user_permissions.exists()
    # Nor into a group with more power than its own.
    response = client.post(
        url,
        _user_form_data(
            admin_user_with_role,
            groups=[Group.objects.get(name=roles.ADMIN).pk, powerful.pk],
        ),
    )
    assert response.status_code == 200  # the form again, with the error
    assert not admin_user_with_role.groups.filter(pk=powerful.pk).exists()


def test_admin_role_manages_roles_and_active_flags(admin_user_with_role):
    user = factories.reviewer(username="newcomer")
    client = Client()
    client.force_login(admin_user_with_role)
    response = client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        _user_form_data(
            user, groups=[Group.objects.get(name=roles.EDITOR).pk], is_active=None, is_staff="on"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == [roles.EDITOR]
    assert not user.is_active
    assert not user.is_staff  # staff status is a superuser's grant


def test_admin_role_cannot_change_superusers_or_more_powerful_users(
    admin_user_with_role, superuser
):
    stronger = factories.UserFactory(username="stronger")
    stronger.user_permissions.add(Permission.objects.get(codename="delete_claim"))
    client = Client()
    client.force_login(admin_user_with_role)
    for target in (superuser, stronger):
        response = client.post(
            reverse("admin:auth_user_change", args=[target.pk]),
            _user_form_data(target, is_active=None),
        )
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.is_active
        response = client.post(
            reverse("admin:auth_user_password_change", args=[target.pk]),
            {"password1": "taken-over-987", "password2": "taken-over-987"},
        )
        assert response.status_code == 403
        target.refresh_from_db()
        assert not target.check_password("taken-over-987")


def test_admin_role_cannot_set_another_users_password(admin_user_with_role, editor_user):
    """Otherwise it could sign in as an editor and approve its own verdict."""
    client = Client()
    client.force_login(admin_user_with_role)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[editor_user.pk]),
        {
            "password1": "taken-over-987",
            "password2": "taken-over-987",
            "usable_password": "true",
        },
    )
    assert response.status_code == 403
    editor_user.refresh_from_db()
    assert not editor_user.check_password("taken-over-987")
    own = client.post(
        reverse("admin:auth_user_password_change", args=[admin_user_with_role.pk]),
        {"password1": "my-new-pass-987", "password2": "my-new-pass-987", "usable_password": "true"},
    )
    assert own.status_code == 302
    admin_user_with_role.refresh_from_db()
    assert admin_user_with_role.check_password("my-new-pass-987")


def test_a_superuser_still_grants_superuser_status(superuser):
    user = factories.reviewer(username="promoted")
    client = Client()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        _user_form_data(user, is_superuser="on", is_staff="on"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.is_superuser and user.is_staff


def test_staff_with_group_rights_cannot_give_a_group_power_it_lacks():
    staff = factories.UserFactory(username="group-keeper", is_staff=True, role=roles.REVIEWER)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_group", "view_group"])
    )
    client = Client()
    client.force_login(staff)
    reviewer_group = Group.objects.get(name=roles.REVIEWER)
    response = client.post(
        reverse("admin:auth_group_change", args=[reviewer_group.pk]),
        {
            "name": roles.REVIEWER,
            "permissions": [
                *reviewer_group.permissions.values_list("pk", flat=True),
                Permission.objects.get(codename="approve_verdict").pk,
            ],
        },
    )
    assert response.status_code == 200  # refused: not a choice it has
    assert not reviewer_group.permissions.filter(codename="approve_verdict").exists()
    editor_group = Group.objects.get(name=roles.EDITOR)
    assert (
        client.post(
            reverse("admin:auth_group_change", args=[editor_group.pk]), {"name": "Mine"}
        ).status_code
        == 403
    )

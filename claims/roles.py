"""The three staff roles, their permissions and the default verdict scale.

The data migration seeds them with its historical models; tests that flush the database put them
back with the real ones. Both call the functions below, passing the model classes to use.
"""

from __future__ import annotations

REVIEWER = "Reviewer"
EDITOR = "Editor"
ADMIN = "Admin"

_REVIEW_WORK = [
    "claims.review_claim",
    "claims.view_article",
    "claims.add_article",
    "claims.view_claim",
    "claims.add_claim",
    "claims.change_claim",
    "claims.view_speaker",
    "claims.add_speaker",
    "claims.change_speaker",
    "claims.view_evidence",
    "claims.add_evidence",
    "claims.change_evidence",
    "claims.view_verdict",
    "claims.add_verdict",
    "claims.change_verdict",
    "claims.add_comment",
    "claims.view_comment",
    "claims.view_claimevent",
    "claims.view_source",
    "claims.view_verdictrating",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    REVIEWER: _REVIEW_WORK,
    EDITOR: [*_REVIEW_WORK, "claims.approve_verdict"],
    # Admins run the Django admin: sources, the verdict scale, users and roles.
    ADMIN: [
        *_REVIEW_WORK,
        "claims.approve_verdict",
        *[
            f"claims.{action}_{model}"
            for model in ("source", "sourcedomain", "sourcefeed", "verdictrating", "speaker")
            for action in ("add", "change", "delete", "view")
        ],
        "claims.change_article",
        "claims.delete_article",
        "claims.view_factcheck",
        "claims.view_matchingsettings",
        "claims.change_matchingsettings",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    ],
}

DEFAULT_SCALE = [
    # name, slug, order, colour, ClaimReview value, description
    ("True", "true", 1, "#15803d", 5, "The claim is accurate and nothing significant is missing."),
    (
        "Mostly true",
        "mostly-true",
        2,
        "#65a30d",
        4,
        "Accurate, but needs clarification or context.",
    ),
    ("Mixed", "mixed", 3, "#ca8a04", 3, "Partly accurate and partly not."),
    (
        "Mostly false",
        "mostly-false",
        4,
        "#ea580c",
        2,
        "Contains some truth but leaves a false impression.",
    ),
    ("False", "false", 5, "#b91c1c", 1, "The claim is inaccurate."),
    ("Misleading", "misleading", 6, "#9333ea", 2, "Accurate facts presented to mislead."),
    (
        "Unverifiable",
        "unverifiable",
        7,
        "#6b7280",
        None,
        "The evidence available cannot settle it.",
    ),
]


def ensure_roles(group_model, permission_model) -> None:
    """Create the role groups and give each exactly its permissions.

    An early migration runs this before later migrations have created some models, whose
    permissions do not exist yet: those are left out then, and the migration that creates the
    models runs this again. Once all migrations have run every permission must exist
    (tests/test_roles.py checks it).
    """
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)


def ensure_verdict_scale(rating_model) -> None:
    """Add the default ratings that are missing; ratings admins changed are left alone."""
    for name, slug, order, colour, schema_rating, description in DEFAULT_SCALE:
        rating_model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "order": order,
                "colour": colour,
                "schema_rating": schema_rating,
                "description": description,
            },
        )

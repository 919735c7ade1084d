"""The three staff roles and their permissions; the data migration and tests both read this."""

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
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    ],
}

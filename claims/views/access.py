"""Who may use the staff pages, and the refusal that names the role a person lacks.

The site's 403 page (`factcheck.errors.permission_denied`) shows a `RoleRequired`'s message, so a
reviewer who reaches an editor's action learns which role it needs instead of a bare
"403 Forbidden".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from claims import roles


class RoleRequired(PermissionDenied):
    """The signed-in person lacks the role that a page or action needs."""

    def __init__(self, role: str, who: str) -> None:
        self.role = role
        self.who = who
        super().__init__(f"This needs the {role} role ({who}).")


def role_required(
    role: str, permissions: tuple[str, ...], *, who: str
) -> Callable[[Callable], Callable]:
    """Anonymous visitors go to the login page; signed-in people without `permissions` get the
    site's 403 page naming `role`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs):
            if not request.user.has_perms(permissions):
                raise RoleRequired(role, who)
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator


# The review area's pages and actions: reviewers, editors and admins.
staff_required = role_required(
    roles.REVIEWER,
    ("claims.review_claim",),
    who="reviewers, editors and admins work in the review area",
)

# Approving, returning and correcting verdicts, and exports: editors (and admins).
editor_required = role_required(
    roles.EDITOR,
    ("claims.review_claim", "claims.approve_verdict"),
    who="editors approve, return and correct verdicts and export the queue",
)

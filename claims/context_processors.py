"""Template context shared by every page."""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpRequest

from claims import selectors
from claims.site_url import site_url


def site(request: HttpRequest) -> dict[str, object]:
    user = request.user
    is_staff_reviewer = user.is_authenticated and user.has_perm("claims.review_claim")
    context: dict[str, object] = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": site_url(request),
        "is_staff_reviewer": is_staff_reviewer,
    }
    if is_staff_reviewer:
        # Counted only when a template shows the bell (one query), once per response.
        context["unread_notifications"] = functools.cache(
            lambda: selectors.unread_notification_count(user)
        )
        context["UNREAD_COUNT_CAP"] = selectors.UNREAD_COUNT_CAP
        context["NOTIFICATION_POLL_SECONDS"] = settings.NOTIFICATION_POLL_SECONDS
    return context

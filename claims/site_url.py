"""The site's public base address, as pages should name it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site_url(request: HttpRequest | None = None) -> str:
    """The base address (no trailing slash) for canonical links and ClaimReview `url`s.

    `SITE_URL` when it is set, and always in production. In development (DEBUG) with no
    `SITE_URL`, the address the page was asked on: the demo served on another host or port
    (`make run HOST=… PORT=…`) then points at itself, not at the default's port 8000. The
    request's host is one `ALLOWED_HOSTS` accepted.
    """
    if request is not None and settings.DEBUG and not settings.SITE_URL_SET:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.SITE_URL

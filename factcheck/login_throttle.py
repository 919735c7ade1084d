"""Sign-in throttling (django-axes): who is asking, and what a locked-out person is told.

Axes counts failed sign-ins per account and per address in the database, so every web process
shares the count. After `LOGIN_FAILURE_LIMIT` failures within `LOGIN_LOCKOUT_MINUTES` for one
account or from one address, sign-ins for it are answered 429 until that time has passed since
the last counted failure (attempts while locked out do not extend it).
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

LOCKED_OUT = (
    "Too many failed sign-in attempts for this account or from this address. "
    "Signing in is paused for {minutes} minutes; try again after that."
)


def client_ip(request: HttpRequest) -> str:
    """The address of the person signing in.

    Behind `TRUSTED_PROXY_COUNT` proxies (each appending to X-Forwarded-For) it is the address
    the outermost trusted proxy saw; the entries to its left are whatever the client sent and
    are never trusted. With no proxy it is the connection's own address. Without this, everyone
    behind one proxy would share one address and one person's typos would lock out all.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME / timedelta(minutes=1))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """429 with the site's sign-in page saying why and for how long (and `Retry-After`)."""
    minutes = lockout_minutes()
    response = TemplateResponse(
        request,
        "registration/locked_out.html",
        {"message": LOCKED_OUT.format(minutes=minutes), "minutes": minutes},
        status=429,
    )
    # An upper bound: the pause ends that long after the last counted failure, which is now or
    # earlier.
    response["Retry-After"] = str(minutes * 60)
    return response.render()

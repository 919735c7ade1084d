"""API tokens: made (shown once), checked on each API request, revoked.

The token itself is never stored: `token_hash` is its SHA-256. Whoever holds a token acts with
its owner's roles, exactly as on the web pages, so a token is only as strong as its user's
permissions, and deactivating the user stops their tokens too.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.models import ApiToken
from claims.services.errors import ServiceError

# Recognisable in logs and by secret scanners; the rest is 256 random bits.
TOKEN_PREFIX = "fct_"  # noqa: S105 - not a secret
# The last-used time is written at most this often per token: a busy client would otherwise
# turn every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)

NO_SUCH_USER = "There is no active user called {username!r}."
ALREADY_REVOKED = "This token was already revoked."


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: AbstractBaseUser, name: str = "", by: AbstractBaseUser | None = None
) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the row and the token, which is not kept anywhere."""
    if not user.is_active:
        raise ServiceError(NO_SUCH_USER.format(username=user.get_username()))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=token[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(token),
        created_by=by,
    )
    return row, token


def api_token_create_for_username(
    *, username: str, name: str = "", by: AbstractBaseUser | None = None
) -> tuple[ApiToken, str]:
    user = (
        get_user_model()
        .objects.filter(**{get_user_model().USERNAME_FIELD: username}, is_active=True)
        .first()
    )
    if user is None:
        raise ServiceError(NO_SUCH_USER.format(username=username))
    return api_token_create(user=user, name=name, by=by)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: AbstractBaseUser | None = None) -> ApiToken:
    """Stop the token working from now on; the row stays, to show when it was last used."""
    fresh = ApiToken.objects.select_for_update().get(pk=token.pk)
    if fresh.revoked_at is not None:
        raise ServiceError(ALREADY_REVOKED)
    fresh.revoked_at = timezone.now()
    fresh.save(update_fields=["revoked_at"])
    return fresh


def api_token_user(token: str) -> AbstractBaseUser | None:
    """The active user a live token belongs to, or None; notes when the token was used."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user

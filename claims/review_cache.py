"""The review queue's cache: rendered queue pages kept per person, filters and page, under a
version that the database moves on whenever anything the queue shows changes.

Why: the queue is the page reviewers keep open and reload all day, and rendering it (a dozen
queries, fifty rows of template) costs far more than serving it again. Why a version kept by
database triggers rather than calls in the services or Django signals: a queue row shows the
claim, its verdict and rating, speaker, article, feed, assignee and fact-check matches, and the
page shows the person's saved views, notifications and roles. Bulk actions update with
`QuerySet.update`, ingestion inserts with `bulk_create`, the admin and migrations write
directly: none of them sends a signal, and a list of calls is where a stale queue comes from.
A trigger on every table the page reads sees every write, whoever made it (the same reasoning
as claims/counters.py). Any change starts every queue page afresh: writes are rare next to
reads, so this costs little and is never wrong.

PostgreSQL moves the version at commit (a deferred constraint trigger), so the one-row lock is
held only while committing: a transaction that locked claims and then the version row could
otherwise deadlock with one that locked them the other way round. Readers see the new version
exactly when they see the change, because both commit together. A request reads the version
before anything else, so a page it renders is never older than the version it is stored under.
SQLite has one writer at a time and moves it with plain triggers.

What a cached page is keyed by, besides the version: the session cookie, the CSRF secret (the
page's forms carry tokens made from it), the address with its query, whether htmx asked for the
fragment, the host, and today's date (due dates turn overdue, "added today" moves on); signed
with SECRET_KEY, so that a new key starts afresh. A hit serves the bytes without reading the
session, loading the user or checking permissions: the entry exists only because that session
was signed in, and allowed, under this version, and while the version stands nothing has
changed the session (signing out deletes it, a stored message updates it), the user (a
password, a deactivation), their groups or the permissions. The session's expiry is kept with
the page and checked on every hit.

Not cached, rendered each time as before: a request inside a transaction (it may see its own
uncommitted writes), one with a message to show, one without a CSRF cookie, the "added in the
past seven days" filter (its window moves by the minute), and anything but a 200.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.crypto import salted_hmac

from claims.models import ReviewVersion

PAGE_KEY_PREFIX = "review-page"
# claims.models.ReviewVersion's table, named in the SQL below.
KEPT_HEADERS = ("Content-Type", "Vary", "Content-Language")
# Session engines that keep sessions in the table the triggers watch (django_session).
DATABASE_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)

# Every table the queue page reads, directly or through a row it shows, and what changes there
# move the version. Sessions too: a cached page stands for the session it was rendered for, so
# signing out (the row deleted) or anything stored in it (a message) must end it; a new session
# cannot be named by any cached page.
_ALL = ("INSERT", "UPDATE", "DELETE")
WATCHED_TABLES = {
    "claims_claim": _ALL,
    "claims_verdict": _ALL,
    "claims_verdictcorrection": _ALL,
    "claims_verdictrating": _ALL,
    "claims_article": _ALL,
    "claims_speaker": _ALL,
    "claims_source": _ALL,
    "claims_claimmatch": _ALL,
    "claims_factcheck": _ALL,
    "claims_archivedocument": _ALL,
    "claims_matchingsettings": _ALL,
    "claims_savedview": _ALL,
    "claims_notification": _ALL,
    "auth_user": _ALL,
    "auth_group": _ALL,
    "auth_user_groups": _ALL,
    "auth_group_permissions": _ALL,
    "auth_user_user_permissions": _ALL,
    "auth_permission": _ALL,
    "django_content_type": _ALL,
    "django_session": ("UPDATE", "DELETE"),
}


# --- PostgreSQL -------------------------------------------------------------------------------

# Runs at commit for every row changed. The first event of the statement that fires them (the
# COMMIT) moves the version; the others see the mark it left for that statement and return.
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION claims_review_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('claims.review_version_moved', true)
            IS DISTINCT FROM statement_timestamp()::text THEN
        INSERT INTO claims_reviewversion AS current (id, version, changed_at)
        VALUES (1, 1, clock_timestamp())
        ON CONFLICT (id) DO UPDATE
            SET version = current.version + 1, changed_at = clock_timestamp();
        PERFORM set_config('claims.review_version_moved', statement_timestamp()::text, true);
    END IF;
    RETURN NULL;
END
$$;
"""


def _pg_trigger_name(table: str) -> str:
    return f"{table}_review_changed"


PG_TRIGGERS = {
    _pg_trigger_name(table): (
        f"AFTER {' OR '.join(events)} ON {table} DEFERRABLE INITIALLY DEFERRED "
        "FOR EACH ROW EXECUTE FUNCTION claims_review_changed()"
    )
    for table, events in WATCHED_TABLES.items()
}

# --- SQLite -----------------------------------------------------------------------------------

_SQLITE_MOVE = (
    "INSERT INTO claims_reviewversion (id, version, changed_at) "
    "VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
    "ON CONFLICT (id) DO UPDATE SET version = version + 1, "
    "changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now');"
)

SQLITE_TRIGGERS = {
    f"{table}_review_changed_{event.lower()}": (
        f"AFTER {event} ON {table} FOR EACH ROW BEGIN {_SQLITE_MOVE} END"
    )
    for table, events in WATCHED_TABLES.items()
    for event in events
}


def install(using: str = "default") -> None:
    """Create or replace the triggers, and move the version on: whatever happened while they
    were off (a migration) shows on the next look."""
    conn = connections[using]
    with transaction.atomic(using=using), conn.cursor() as cursor:
        if ReviewVersion._meta.db_table not in conn.introspection.table_names(cursor):
            # Migrated back to before the version existed: no triggers (they would fail).
            _drop(conn, cursor)
            return
        if conn.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for name, definition in PG_TRIGGERS.items():
                table = definition.split(" ON ", 1)[1].split()[0]
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"CREATE CONSTRAINT TRIGGER {name} {definition}")
        elif conn.vendor == "sqlite":
            for name, definition in SQLITE_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(f"CREATE TRIGGER {name} {definition}")
        else:
            return
    move_version(using=using)


def move_version(using: str = "default") -> None:
    """Start a new version from Python (after a migrate); the triggers do it for writes."""
    now = timezone.now()
    versions = ReviewVersion.objects.using(using)
    with transaction.atomic(using=using):
        if not versions.filter(pk=1).update(version=F("version") + 1, changed_at=now):
            versions.create(pk=1, version=1, changed_at=now)


def drop_before_migrate(sender, using: str = "default", plan=None, **kwargs) -> None:
    """pre_migrate: the triggers come off while migrations run; install_after_migrate puts
    them back and moves the version on.

    SQLite's table rebuilds fail on triggers that name another table (see
    claims.counters.drop_before_migrate). On PostgreSQL the deferred events they leave would
    stop a migration that writes rows and then alters the table in one transaction ("pending
    trigger events").
    """
    conn = connections[using]
    if not plan:
        return
    with conn.cursor() as cursor:
        _drop(conn, cursor)


def _drop(conn, cursor) -> None:
    if conn.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif conn.vendor == "postgresql":
        tables = set(conn.introspection.table_names(cursor))
        for name, definition in PG_TRIGGERS.items():
            table = definition.split(" ON ", 1)[1].split()[0]
            if table in tables:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    install(using=using)


# --- the version and the cache ----------------------------------------------------------------


def current_version() -> str | None:
    """The version as a cache-key part, or None when pages must not be cached: inside a
    transaction (which may hold its own uncommitted writes) or with no version row (a database
    just emptied). The time is part of it, so that a count started again never meets pages
    cached under its earlier run."""
    if connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        # Plain SQL: it runs on every queue request.
        cursor.execute("SELECT version, changed_at FROM claims_reviewversion WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return None
    version, changed_at = row
    if not isinstance(changed_at, datetime.datetime):  # SQLite hands back text
        changed_at = connection.ops.convert_datetimefield_value(changed_at, None, connection)
    return f"{version}.{changed_at.timestamp():.6f}"


def _session_expiry(session_key: str) -> float | None:
    """When the stored session ends (a timestamp), read from its row; None when sessions are not
    kept in the database, whose table the triggers watch."""
    if settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES:
        return None
    expiry = (
        Session.objects.filter(session_key=session_key)
        .values_list("expire_date", flat=True)
        .first()
    )
    return expiry.timestamp() if expiry is not None else None


def _page_key(
    request: HttpRequest, version: str, session_key: str, csrf_secret: str, fragment: bool
) -> str:
    identity = "\n".join(
        (
            version,
            session_key,
            csrf_secret,
            "fragment" if fragment else "page",
            request.get_host(),
            request.get_full_path(),
            timezone.localdate().isoformat(),
        )
    )
    digest = salted_hmac(PAGE_KEY_PREFIX, identity, algorithm="sha256").hexdigest()
    return f"{PAGE_KEY_PREFIX}:{digest}"


def review_page(
    *, fragment: Callable[[HttpRequest], bool], uncached: Callable[[HttpRequest], bool]
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Serve a staff page through the cache. Goes outside the view's permission decorator:
    a miss runs the view (and its check); only its 200s are stored.

    `fragment(request)` says whether htmx asked for the partial; `uncached(request)` whether
    these filters must be rendered every time."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            csrf_secret = request.META.get("CSRF_COOKIE")
            if (
                request.method != "GET"
                or settings.REVIEW_CACHE_SECONDS <= 0
                or not session_key
                or not csrf_secret
                or "messages" in request.COOKIES
                or uncached(request)
            ):
                return view(request, *args, **kwargs)
            version = current_version()
            if version is None:
                return view(request, *args, **kwargs)
            key = _page_key(request, version, session_key, csrf_secret, fragment(request))
            cached = cache.get(key)
            if cached is not None:
                content, headers, user_id, expires = cached
                if time.time() < expires:
                    request.user_id_served_from_cache = user_id
                    response = HttpResponse(content)
                    for name, value in headers.items():
                        response.headers[name] = value
                    return response
            if "_messages" in request.session:  # shown once, by this render: never stored
                return view(request, *args, **kwargs)
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            # Only a page rendered for a signed-in person, whose session is the one the cookie
            # named and is not being changed by this request.
            session = request.session
            user = request.user
            if (
                not user.is_authenticated
                or session.session_key != session_key
                or session.modified
                or (expires := _session_expiry(session_key)) is None
            ):
                return response
            if hasattr(response, "render"):
                response.render()
            headers = {n: response.headers[n] for n in KEPT_HEADERS if n in response.headers}
            cache.set(
                key, (response.content, headers, user.pk, expires), settings.REVIEW_CACHE_SECONDS
            )
            return response

        return wrapped

    return decorator

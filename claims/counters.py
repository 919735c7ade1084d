"""Running counts and the search column, kept by database triggers.

The queue's status tabs and the dashboard need claims per status, public verdicts per rating,
and claims added and verdicts published per week. Counting the claims table for them on every
request costs more as the table grows; these counters cost the same at a million claims.

Triggers rather than code in the services keep them, because every write must move them in the
same transaction as the rows they count: the services, the admin, a cascade when an article is
deleted, a bulk load, a data migration. No path can forget them. `install` (re)creates the
triggers after every `migrate` (SQLite drops a table's triggers when a migration rebuilds the
table) and recounts when any were missing; `recount` rebuilds everything from the tables, and
`drift` says where the counters and the tables disagree (tests, and `manage.py recount --check`).

Triggers also keep `Verdict.public` (published, and not taken down), so that the public lists
read a page of public verdicts off an index of the verdicts alone. Public verdicts count with
their published rating and speaker: a claim reopened for rework counts as it was published until
the rework is approved.

On PostgreSQL a trigger also fills `Claim.search_vector` (content and statement, speaker as
written and as named, article headline) for the queue's full-text search, and refreshes it when
a speaker is renamed or an article's headline changes.
"""

from __future__ import annotations

import datetime

from django.db import connections, transaction
from django.db.models import Count
from django.db.models.functions import TruncHour

from claims.models import (
    ActivityHour,
    Claim,
    ClaimStatusCount,
    PublishedRatingCount,
    SpeakerRatingCount,
    Verdict,
)

# --- PostgreSQL -------------------------------------------------------------------------------

# Each upsert adds up its changes per key and writes them in key order, so that two transactions
# moving claims in opposite directions (new → in review, in review → new) lock the counter rows
# in the same order and never deadlock.
_PG_HOUR = "date_trunc('hour', {0} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"


def _pg_published_upserts(changes: str) -> str:
    """Statements applying changes to public verdicts, given as a query of
    (rating_id, published_at, speaker_id, delta) rows."""
    return f"""
    INSERT INTO claims_publishedratingcount AS counter (rating_id, count)
    SELECT rating_id, SUM(delta) FROM ({changes}) AS changes
    GROUP BY rating_id HAVING SUM(delta) <> 0 ORDER BY rating_id
    ON CONFLICT (rating_id) DO UPDATE SET count = counter.count + EXCLUDED.count;

    INSERT INTO claims_speakerratingcount AS counter (speaker_id, rating_id, count)
    SELECT speaker_id, rating_id, SUM(delta) FROM ({changes}) AS changes
    WHERE speaker_id IS NOT NULL
    GROUP BY speaker_id, rating_id HAVING SUM(delta) <> 0 ORDER BY speaker_id, rating_id
    ON CONFLICT (speaker_id, rating_id) DO UPDATE SET count = counter.count + EXCLUDED.count;

    INSERT INTO claims_activityhour AS counter (hour, claims_added, verdicts_published)
    SELECT {_PG_HOUR.format("published_at")}, 0, SUM(delta) FROM ({changes}) AS changes
    GROUP BY 1 HAVING SUM(delta) <> 0 ORDER BY 1
    ON CONFLICT (hour) DO UPDATE
        SET verdicts_published = counter.verdicts_published + EXCLUDED.verdicts_published;
    """


# A verdict is public while it has a publication date and has not been taken down; it counts
# with its published rating and speaker (the published version, which rework leaves alone).
_PG_VERDICT_PUBLISHED_CHANGES = """
    SELECT OLD.published_rating_id AS rating_id, OLD.published_at AS published_at,
        OLD.published_speaker_id AS speaker_id, -1 AS delta
    WHERE TG_OP <> 'INSERT' AND OLD.published_at IS NOT NULL AND OLD.taken_down_at IS NULL
    UNION ALL
    SELECT NEW.published_rating_id, NEW.published_at, NEW.published_speaker_id, 1
    WHERE TG_OP <> 'DELETE' AND NEW.published_at IS NOT NULL AND NEW.taken_down_at IS NULL
"""

_PG_CLAIM_FUNCTION = f"""
CREATE OR REPLACE FUNCTION claims_count_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claims_claimstatuscount AS counter (status, count)
    SELECT status, SUM(delta) FROM (
        SELECT OLD.status AS status, -1 AS delta WHERE TG_OP <> 'INSERT'
        UNION ALL SELECT NEW.status, 1 WHERE TG_OP <> 'DELETE'
    ) AS changes
    GROUP BY status HAVING SUM(delta) <> 0 ORDER BY status
    ON CONFLICT (status) DO UPDATE SET count = counter.count + EXCLUDED.count;

    INSERT INTO claims_activityhour AS counter (hour, claims_added, verdicts_published)
    SELECT hour, SUM(delta), 0 FROM (
        SELECT {_PG_HOUR.format("OLD.created_at")} AS hour, -1 AS delta WHERE TG_OP <> 'INSERT'
        UNION ALL SELECT {_PG_HOUR.format("NEW.created_at")}, 1 WHERE TG_OP <> 'DELETE'
    ) AS changes
    GROUP BY hour HAVING SUM(delta) <> 0 ORDER BY hour
    ON CONFLICT (hour) DO UPDATE SET claims_added = counter.claims_added + EXCLUDED.claims_added;
    RETURN NULL;
END
$$;
"""

_PG_VERDICT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION claims_count_verdict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_pg_published_upserts(_PG_VERDICT_PUBLISHED_CHANGES)}
    RETURN NULL;
END
$$;
"""

# Weights: the claim's words (as said, and its standalone statement) first, then who said
# it, then the article's headline.
_PG_SEARCH_FUNCTION = """
CREATE OR REPLACE FUNCTION claims_claim_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english',
            coalesce(NEW.content, '') || ' ' || coalesce(NEW.statement, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.speaker_text, '') || ' ' || coalesce(
            (SELECT name FROM claims_speaker WHERE id = NEW.speaker_id), '')), 'B')
        || setweight(to_tsvector('english', coalesce(
            (SELECT headline FROM claims_article WHERE id = NEW.article_id), '')), 'C');
    RETURN NEW;
END
$$;
"""

# Setting a column to itself fires the claim's search trigger (UPDATE OF that column) and no
# other: the counters only watch status and created_at.
_PG_SPEAKER_SEARCH_FUNCTION = """
CREATE OR REPLACE FUNCTION claims_speaker_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claims_claim SET speaker_id = speaker_id WHERE speaker_id = NEW.id;
    RETURN NULL;
END
$$;
"""

_PG_ARTICLE_SEARCH_FUNCTION = """
CREATE OR REPLACE FUNCTION claims_article_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claims_claim SET article_id = article_id WHERE article_id = NEW.id;
    RETURN NULL;
END
$$;
"""

PG_COUNT_TRIGGERS = {
    "claims_claim_count_insert": (
        "AFTER INSERT ON claims_claim FOR EACH ROW EXECUTE FUNCTION claims_count_claim()"
    ),
    "claims_claim_count_delete": (
        "AFTER DELETE ON claims_claim FOR EACH ROW EXECUTE FUNCTION claims_count_claim()"
    ),
    "claims_claim_count_update": (
        "AFTER UPDATE OF status, created_at ON claims_claim FOR EACH ROW "
        "WHEN (OLD.status IS DISTINCT FROM NEW.status "
        "OR OLD.created_at IS DISTINCT FROM NEW.created_at) "
        "EXECUTE FUNCTION claims_count_claim()"
    ),
    "claims_verdict_count_insert": (
        "AFTER INSERT ON claims_verdict FOR EACH ROW EXECUTE FUNCTION claims_count_verdict()"
    ),
    "claims_verdict_count_delete": (
        "AFTER DELETE ON claims_verdict FOR EACH ROW EXECUTE FUNCTION claims_count_verdict()"
    ),
    "claims_verdict_count_update": (
        "AFTER UPDATE OF published_at, taken_down_at, published_rating_id, published_speaker_id "
        "ON claims_verdict FOR EACH ROW "
        "WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at "
        "OR OLD.taken_down_at IS DISTINCT FROM NEW.taken_down_at "
        "OR OLD.published_rating_id IS DISTINCT FROM NEW.published_rating_id "
        "OR OLD.published_speaker_id IS DISTINCT FROM NEW.published_speaker_id) "
        "EXECUTE FUNCTION claims_count_verdict()"
    ),
}

PG_SEARCH_TRIGGERS = {
    "claims_claim_search_vector": (
        "BEFORE INSERT OR UPDATE OF content, statement, speaker_text, speaker_id, article_id "
        "ON claims_claim FOR EACH ROW EXECUTE FUNCTION claims_claim_search_vector()"
    ),
    "claims_speaker_search_vector": (
        "AFTER UPDATE OF name ON claims_speaker FOR EACH ROW "
        "WHEN (OLD.name IS DISTINCT FROM NEW.name) "
        "EXECUTE FUNCTION claims_speaker_search_vector()"
    ),
    "claims_article_search_vector": (
        "AFTER UPDATE OF headline ON claims_article FOR EACH ROW "
        "WHEN (OLD.headline IS DISTINCT FROM NEW.headline) "
        "EXECUTE FUNCTION claims_article_search_vector()"
    ),
}


# Fills the search column of existing claims through the trigger itself (one expression).
PG_SEARCH_BACKFILL = "UPDATE claims_claim SET content = content"

# --- SQLite -----------------------------------------------------------------------------------

# SQLite has no TG_OP: one trigger per event, each a list of statements. "WHERE true" before
# ON CONFLICT is SQLite's rule for an upsert fed by a SELECT.
_SQLITE_HOUR = "strftime('%Y-%m-%d %H:00:00', {0})"
_SQLITE_STATUS = (
    "INSERT INTO claims_claimstatuscount (status, count) VALUES ({row}.status, {sign}1) "
    "ON CONFLICT (status) DO UPDATE SET count = count + excluded.count;"
)
_SQLITE_ADDED = (
    "INSERT INTO claims_activityhour (hour, claims_added, verdicts_published) "
    f"VALUES ({_SQLITE_HOUR.format('{row}.created_at')}, {{sign}}1, 0) "
    "ON CONFLICT (hour) DO UPDATE SET claims_added = claims_added + excluded.claims_added;"
)
_SQLITE_PUBLIC_ROW = "{row}.published_at IS NOT NULL AND {row}.taken_down_at IS NULL"
_SQLITE_PUBLISHED_OF_VERDICT = (
    "INSERT INTO claims_publishedratingcount (rating_id, count) "
    f"SELECT {{row}}.published_rating_id, {{sign}}1 WHERE {_SQLITE_PUBLIC_ROW} "
    "ON CONFLICT (rating_id) DO UPDATE SET count = count + excluded.count;"
    "INSERT INTO claims_speakerratingcount (speaker_id, rating_id, count) "
    "SELECT {row}.published_speaker_id, {row}.published_rating_id, {sign}1 "
    f"WHERE {_SQLITE_PUBLIC_ROW} AND {{row}}.published_speaker_id IS NOT NULL "
    "ON CONFLICT (speaker_id, rating_id) DO UPDATE SET count = count + excluded.count;"
    "INSERT INTO claims_activityhour (hour, claims_added, verdicts_published) "
    f"SELECT {_SQLITE_HOUR.format('{row}.published_at')}, 0, {{sign}}1 "
    f"WHERE {_SQLITE_PUBLIC_ROW} "
    "ON CONFLICT (hour) DO UPDATE "
    "SET verdicts_published = verdicts_published + excluded.verdicts_published;"
)


def _sqlite_body(*statements: str, old: bool, new: bool) -> str:
    parts = []
    for statement in statements:
        if old:
            parts.append(statement.format(row="OLD", sign="-"))
        if new:
            parts.append(statement.format(row="NEW", sign=""))
    return " ".join(parts)


_CLAIM_STATEMENTS = (_SQLITE_STATUS, _SQLITE_ADDED)
SQLITE_COUNT_TRIGGERS = {
    "claims_claim_count_insert": "AFTER INSERT ON claims_claim FOR EACH ROW BEGIN "
    + _sqlite_body(*_CLAIM_STATEMENTS, old=False, new=True)
    + " END",
    "claims_claim_count_delete": "AFTER DELETE ON claims_claim FOR EACH ROW BEGIN "
    + _sqlite_body(*_CLAIM_STATEMENTS, old=True, new=False)
    + " END",
    "claims_claim_count_update": "AFTER UPDATE OF status, created_at ON claims_claim "
    "FOR EACH ROW WHEN OLD.status IS NOT NEW.status OR OLD.created_at IS NOT NEW.created_at BEGIN "
    + _sqlite_body(*_CLAIM_STATEMENTS, old=True, new=True)
    + " END",
    "claims_verdict_count_insert": "AFTER INSERT ON claims_verdict FOR EACH ROW BEGIN "
    + _sqlite_body(_SQLITE_PUBLISHED_OF_VERDICT, old=False, new=True)
    + " END",
    "claims_verdict_count_delete": "AFTER DELETE ON claims_verdict FOR EACH ROW BEGIN "
    + _sqlite_body(_SQLITE_PUBLISHED_OF_VERDICT, old=True, new=False)
    + " END",
    "claims_verdict_count_update": "AFTER UPDATE OF published_at, taken_down_at, "
    "published_rating_id, published_speaker_id ON claims_verdict FOR EACH ROW "
    "WHEN OLD.published_at IS NOT NEW.published_at OR OLD.taken_down_at IS NOT NEW.taken_down_at "
    "OR OLD.published_rating_id IS NOT NEW.published_rating_id "
    "OR OLD.published_speaker_id IS NOT NEW.published_speaker_id BEGIN "
    + _sqlite_body(_SQLITE_PUBLISHED_OF_VERDICT, old=True, new=True)
    + " END",
}


# --- The public flag of verdicts --------------------------------------------------------------

# A verdict is public while it has a publication date and no editor took it down. Its claim's
# status does not matter: a published claim reopened for rework keeps its page, showing the
# published version (Verdict.published_rating and the rest) until the rework is approved. The
# flag puts the answer on the verdict's row, where the partial indexes for the lists
# (Verdict.Meta.indexes) serve it; a trigger keeps it for the same reasons as the counters.
_PUBLIC_OF = "{row}.published_at IS NOT NULL AND {row}.taken_down_at IS NULL"

_PG_VERDICT_PUBLIC_FUNCTION = f"""
CREATE OR REPLACE FUNCTION claims_verdict_public() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.public := {_PUBLIC_OF.format(row="NEW")};
    RETURN NEW;
END
$$;
"""

PG_PUBLIC_TRIGGERS = {
    "claims_verdict_public": (
        "BEFORE INSERT OR UPDATE ON claims_verdict FOR EACH ROW "
        "EXECUTE FUNCTION claims_verdict_public()"
    ),
}

# SQLite cannot change NEW in a trigger: the row is updated after it is written.
_SQLITE_SET_PUBLIC = (
    f"UPDATE claims_verdict SET public = ({_PUBLIC_OF.format(row='NEW')}) WHERE id = NEW.id;"
)
SQLITE_PUBLIC_TRIGGERS = {
    "claims_verdict_public_insert": "AFTER INSERT ON claims_verdict FOR EACH ROW BEGIN "
    + _SQLITE_SET_PUBLIC
    + " END",
    "claims_verdict_public_update": "AFTER UPDATE ON claims_verdict FOR EACH ROW "
    f"WHEN NEW.public IS NOT ({_PUBLIC_OF.format(row='NEW')}) BEGIN " + _SQLITE_SET_PUBLIC + " END",
}

# Triggers of earlier versions, dropped when found (public used to follow the claim's status).
OBSOLETE_TRIGGERS = {"claims_claim_public": "claims_claim"}
OBSOLETE_PG_FUNCTIONS = ("claims_claim_public",)

# Sets every verdict's flag from the table (one statement; both databases).
PUBLIC_BACKFILL = f"UPDATE claims_verdict SET public = ({_PUBLIC_OF.format(row='claims_verdict')})"


PG_FUNCTIONS = (
    _PG_CLAIM_FUNCTION,
    _PG_VERDICT_FUNCTION,
    _PG_SEARCH_FUNCTION,
    _PG_SPEAKER_SEARCH_FUNCTION,
    _PG_ARTICLE_SEARCH_FUNCTION,
    _PG_VERDICT_PUBLIC_FUNCTION,
)


# --- Installing, recounting, checking ---------------------------------------------------------


def _existing_triggers(cursor, vendor: str) -> set[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {row[0] for row in cursor.fetchall()}


def install(using: str = "default") -> bool:
    """Create or replace the triggers; recount (and fill the search column) where any were
    missing. Returns whether anything was missing. Cheap when everything is in place."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        return False
    with transaction.atomic(using=using), connection.cursor() as cursor:
        existing = _existing_triggers(cursor, vendor)
        obsolete = set(OBSOLETE_TRIGGERS) & existing
        for name in obsolete:
            if vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {OBSOLETE_TRIGGERS[name]}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if vendor == "postgresql":
            for function in OBSOLETE_PG_FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
            for function in PG_FUNCTIONS:
                cursor.execute(function)
            triggers = {**PG_COUNT_TRIGGERS, **PG_SEARCH_TRIGGERS, **PG_PUBLIC_TRIGGERS}
            for name, definition in triggers.items():
                table = definition.split(" ON ", 1)[1].split()[0]
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"CREATE TRIGGER {name} {definition}")
            if not set(PG_SEARCH_TRIGGERS) <= existing:
                cursor.execute(PG_SEARCH_BACKFILL)
        else:
            for name, definition in {**SQLITE_COUNT_TRIGGERS, **SQLITE_PUBLIC_TRIGGERS}.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(f"CREATE TRIGGER {name} {definition}")
        public_triggers = PG_PUBLIC_TRIGGERS if vendor == "postgresql" else SQLITE_PUBLIC_TRIGGERS
        if not set(public_triggers) <= existing or obsolete:
            cursor.execute(PUBLIC_BACKFILL)
        # Counters kept by an earlier version's triggers are counted again under today's rules.
        counters_missing = not set(_count_trigger_names(vendor)) <= existing or bool(obsolete)
        if counters_missing:
            recount(using=using)
    return counters_missing


def _count_trigger_names(vendor: str) -> list[str]:
    return list(PG_COUNT_TRIGGERS if vendor == "postgresql" else SQLITE_COUNT_TRIGGERS)


def _public_verdicts(using: str):
    return Verdict.objects.using(using).filter(published_at__isnull=False, taken_down_at=None)


def _fresh_counts(using: str) -> dict[str, dict]:
    """What the counters should hold, counted from the tables (a full scan: tests and repairs)."""
    statuses = dict(
        Claim.objects.using(using).order_by().values_list("status").annotate(n=Count("id"))
    )
    ratings = dict(
        _public_verdicts(using)
        .order_by()
        .values_list("published_rating_id")
        .annotate(n=Count("id"))
    )
    speakers = {
        (speaker, rating): n
        for speaker, rating, n in _public_verdicts(using)
        .filter(published_speaker__isnull=False)
        .order_by()
        .values_list("published_speaker_id", "published_rating_id")
        .annotate(n=Count("id"))
    }
    added = dict(
        Claim.objects.using(using)
        .order_by()
        .annotate(hour=TruncHour("created_at", tzinfo=datetime.UTC))
        .values_list("hour")
        .annotate(n=Count("id"))
    )
    published = dict(
        _public_verdicts(using)
        .order_by()
        .annotate(hour=TruncHour("published_at", tzinfo=datetime.UTC))
        .values_list("hour")
        .annotate(n=Count("id"))
    )
    return {
        "status": statuses,
        "rating": ratings,
        "speaker_rating": speakers,
        "added": added,
        "published": published,
    }


def _stored_counts(using: str) -> dict[str, dict]:
    hours = ActivityHour.objects.using(using).values_list(
        "hour", "claims_added", "verdicts_published"
    )
    return {
        "status": dict(ClaimStatusCount.objects.using(using).values_list("status", "count")),
        "rating": dict(PublishedRatingCount.objects.using(using).values_list("rating_id", "count")),
        "speaker_rating": {
            (speaker, rating): n
            for speaker, rating, n in SpeakerRatingCount.objects.using(using).values_list(
                "speaker_id", "rating_id", "count"
            )
        },
        "added": {hour: added for hour, added, _ in hours},
        "published": {hour: published for hour, _, published in hours},
    }


def drift(using: str = "default") -> dict[str, dict]:
    """Where the counters differ from the tables: {counter: {key: (stored, actual)}}; empty when
    they agree. Zero counts and missing rows are the same thing. "public" lists the verdicts
    whose flag is wrong."""
    fresh, stored = _fresh_counts(using), _stored_counts(using)
    result: dict[str, dict] = {}
    flagged = set(Verdict.objects.using(using).filter(public=True).values_list("pk", flat=True))
    public = set(_public_verdicts(using).values_list("pk", flat=True))
    if flagged != public:
        result["public"] = {pk: (pk in flagged, pk in public) for pk in flagged ^ public}
    for name, actual in fresh.items():
        keys = set(actual) | set(stored[name])
        differences = {
            key: (stored[name].get(key, 0), actual.get(key, 0))
            for key in keys
            if stored[name].get(key, 0) != actual.get(key, 0)
        }
        if differences:
            result[name] = differences
    return result


def recount(using: str = "default") -> None:
    """Rebuild every counter (and the verdicts' public flag) from the tables, with writers to
    claims and verdicts held off."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE claims_claim, claims_verdict IN SHARE MODE")
        with connection.cursor() as cursor:
            cursor.execute(PUBLIC_BACKFILL)
        fresh = _fresh_counts(using)
        ClaimStatusCount.objects.using(using).all().delete()
        PublishedRatingCount.objects.using(using).all().delete()
        SpeakerRatingCount.objects.using(using).all().delete()
        ActivityHour.objects.using(using).all().delete()
        ClaimStatusCount.objects.using(using).bulk_create(
            ClaimStatusCount(status=status, count=n) for status, n in fresh["status"].items()
        )
        PublishedRatingCount.objects.using(using).bulk_create(
            PublishedRatingCount(rating_id=rating, count=n) for rating, n in fresh["rating"].items()
        )
        SpeakerRatingCount.objects.using(using).bulk_create(
            (
                SpeakerRatingCount(speaker_id=speaker, rating_id=rating, count=n)
                for (speaker, rating), n in fresh["speaker_rating"].items()
            ),
            batch_size=1000,
        )
        hours = set(fresh["added"]) | set(fresh["published"])
        ActivityHour.objects.using(using).bulk_create(
            (
                ActivityHour(
                    hour=hour,
                    claims_added=fresh["added"].get(hour, 0),
                    verdicts_published=fresh["published"].get(hour, 0),
                )
                for hour in hours
            ),
            batch_size=1000,
        )


def drop_before_migrate(sender, using: str = "default", plan=None, **kwargs) -> None:
    """pre_migrate: on SQLite, take the triggers off before migrations run.

    SQLite changes most columns by rebuilding the table under a temporary name and renaming it
    back. A trigger on one table whose body names another (the claim's triggers read
    ``claims_verdict``) makes that rename fail with "no such table" once the database holds
    data, so a demo database could not be upgraded. The post_migrate hook below puts the
    triggers back and, finding them missing, recounts what the migrations changed meanwhile.
    PostgreSQL alters tables in place and keeps its triggers.
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or not plan:
        return
    with connection.cursor() as cursor:
        for name in {**SQLITE_COUNT_TRIGGERS, **SQLITE_PUBLIC_TRIGGERS, **OBSOLETE_TRIGGERS}:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install_after_migrate(sender, using: str = "default", plan=None, **kwargs) -> None:
    """post_migrate: the triggers follow the code, and survive SQLite's table rebuilds.

    `flush` sends it too, without a plan: on SQLite it empties the tables with DELETE, which
    fires the triggers table by table in whatever order, so the (now empty) counts are rebuilt.
    """
    if not install(using=using) and plan is None:
        recount(using=using)

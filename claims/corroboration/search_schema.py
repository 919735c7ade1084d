"""The archive's full-text index, which lives beside the `ArchiveDocument` table, per database.

PostgreSQL: a `search_vector` tsvector column filled by a trigger (title weighted A, text B) and
a GIN index on it. SQLite: an external-content FTS5 table (Porter stemming) kept in step by
triggers. Triggers rather than Python code, so that every write — the ORM, bulk inserts,
cascading deletes — updates the index.

The migration that creates the table calls `install`; `ensure` runs after every `migrate`
because rebuilding a table (as Django does on SQLite for many field changes) drops the triggers
that were on it. This module must not import models: migrations call it.
"""

from __future__ import annotations

TABLE = "claims_archivedocument"
FTS_TABLE = "claims_archivedocument_fts"
PG_COLUMN = "search_vector"
PG_INDEX = "claims_archivedocument_search_gin"
PG_FUNCTION = "claims_archivedocument_search_vector"
PG_TRIGGER = "claims_archivedocument_search_vector_update"
TEXT_SEARCH_CONFIG = "english"
# Far above any article (ARTICLE_MAX_CHARS), far below tsvector's 1 MB limit.
INDEXED_TEXT_CHARS = 300_000

_PG_ADD_COLUMN = f"ALTER TABLE {TABLE} ADD COLUMN {PG_COLUMN} tsvector"
_PG_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.{PG_COLUMN} :=
            setweight(to_tsvector('{TEXT_SEARCH_CONFIG}', coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector(
                '{TEXT_SEARCH_CONFIG}', left(coalesce(NEW.text, ''), {INDEXED_TEXT_CHARS})
            ), 'B');
        RETURN NEW;
    END
    $$""",
    f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
    f"""
    CREATE TRIGGER {PG_TRIGGER} BEFORE INSERT OR UPDATE OF title, text ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()""",
    # Rows written before the trigger existed (none when installed by the first migration).
    f"UPDATE {TABLE} SET title = title WHERE {PG_COLUMN} IS NULL",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {TABLE} USING gin ({PG_COLUMN})",
]

_PG_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
    f"DROP INDEX IF EXISTS {PG_INDEX}",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {PG_COLUMN}",
]

_SQLITE_TABLE = f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, text, content='{TABLE}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )"""

_SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_insert": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
        END""",
    f"{FTS_TABLE}_delete": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        END""",
    f"{FTS_TABLE}_update": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF title, text ON {TABLE}
        BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
            INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
        END""",
}


def install(connection) -> None:
    """Create the index for the connection's database (PostgreSQL or SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Only when missing: ALTER TABLE is refused in a transaction that has pending
            # constraint checks, as a repair after inserts may be.
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                "AND column_name = %s",
                [TABLE, PG_COLUMN],
            )
            if cursor.fetchone() is None:
                cursor.execute(_PG_ADD_COLUMN)
            for statement in _PG_INSTALL:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            cursor.execute(_SQLITE_TABLE)
            for statement in _SQLITE_TRIGGERS.values():
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in _PG_UNINSTALL:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def ensure(connection) -> bool:
    """Put back what a table rebuild removed; True when something had to be repaired.

    Cheap when all is in place (one catalogue query), so it can run after every migrate.
    """
    if TABLE not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
                [PG_TRIGGER, TABLE],
            )
            (triggers,) = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM pg_class WHERE relname = %s", [PG_INDEX])
            (indexes,) = cursor.fetchone()
            present = triggers == 1 and indexes == 1
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'trigger') "
                "AND name IN (%s, %s, %s, %s)",
                [FTS_TABLE, *_SQLITE_TRIGGERS],
            )
            (found,) = cursor.fetchone()
            present = found == len(_SQLITE_TRIGGERS) + 1
        else:
            return False
    if present:
        return False
    install(connection)
    return True

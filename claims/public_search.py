"""Full-text search for the public verdict list (`/verdicts/?q=`, `GET /api/verdicts?q=`).

It searches the archive's copy of our published verdicts (`claims.corroboration.archive`), which
holds the claim's statement, the speaker, the rating and the explanation, and which the verdict
services keep in step with what is public. So there is one full-text index, not two: on
PostgreSQL the archive's GIN-indexed tsvector, matched with `websearch_to_tsquery` (every word
must match; "quotes", `or` and `-word` work as on search engines); on SQLite its FTS5 table with
every word required.
"""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

from claims.corroboration import search_schema
from claims.corroboration.terms import query_terms
from claims.models import ArchiveDocument

MAX_QUERY_CHARS = 200


def verdict_ids_matching(query: str) -> RawSQL | None:
    """A subquery of the ids of published verdicts matching `query`, to use as `pk__in=`.

    None when the query has no searchable word (only stop words or punctuation): the list is
    then not narrowed, on both databases alike.
    """
    query = query[:MAX_QUERY_CHARS]
    terms = query_terms(query)
    if not terms:
        return None
    table = search_schema.TABLE
    kind = ArchiveDocument.Kind.VERDICT
    # Only table and column names (module constants) are formatted in; values are parameters.
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT d.verdict_id FROM {table} d "  # noqa: S608
            f"WHERE d.kind = %s AND d.{search_schema.PG_COLUMN} @@ "
            "websearch_to_tsquery(%s::regconfig, %s)"
        )
        return RawSQL(sql, [kind, search_schema.TEXT_SEARCH_CONFIG, query])  # noqa: S611
    fts = search_schema.FTS_TABLE
    sql = (
        f"SELECT d.verdict_id FROM {fts} JOIN {table} d ON d.id = {fts}.rowid "  # noqa: S608
        f"WHERE {fts} MATCH %s AND d.kind = %s"
    )
    # Terms are letters and digits only; quoted, each is a plain FTS5 string, all required.
    return RawSQL(sql, [" AND ".join(f'"{term}"' for term in terms), kind])  # noqa: S611

"""The newsroom's archive: one searchable store of every text the app holds.

Ingested articles, feed items, imported fact-checks, our published verdicts and the demo corpus
are all `ArchiveDocument`s, written through `archive_upsert` (idempotent by key) and found by
`archive_search`: keyword search with the claim's terms OR-ed together (asking for every word,
as `websearch_to_tsquery` on a whole sentence does, finds nothing for most claims), ranked with
length normalisation — `ts_rank(…, 1)` over a GIN-indexed tsvector on PostgreSQL, BM25 over FTS5
on SQLite. Scores are comparable only within one result list; `passages.rerank` turns hits into
a calibrated ranking.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from claims.corroboration import search_schema
from claims.corroboration.terms import query_terms
from claims.models import ArchiveDocument, Article, FactCheck, Source, Verdict

Kind = ArchiveDocument.Kind

# How much more a word in the title counts than one in the text (FTS5 column weights; on
# PostgreSQL the title is weighted A and the text B, which ts_rank counts 1.0 and 0.4).
SQLITE_TITLE_WEIGHT = 2.5
SQLITE_TEXT_WEIGHT = 1.0
MAX_LIMIT = 1000


@dataclass
class ArchiveHit:
    document: ArchiveDocument
    score: float  # higher is better; comparable only within one result list


def article_key(article_id: int) -> str:
    return f"article:{article_id}"


def verdict_key(verdict_id: int) -> str:
    return f"verdict:{verdict_id}"


def fact_check_key(fact_check_id: int) -> str:
    return f"fact_check:{fact_check_id}"


@transaction.atomic
def archive_upsert(
    *,
    kind: str,
    key: str,
    url: str,
    title: str,
    text: str,
    published_on: datetime.date | None = None,
    source: Source | None = None,
    outlet_name: str = "",
    article_id: int | None = None,
    fact_check_id: int | None = None,
    verdict_id: int | None = None,
) -> ArchiveDocument:
    """Idempotent by `key`; keeps the search index in step on both database backends.

    Writing the same values again changes nothing (not even `updated_at`); a changed title or
    text drops the stored embedding so that it is computed again from the new words.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown archive document kind {kind!r}")
    if not key:
        raise ValueError("an archive document needs a key")
    values = {
        "kind": kind,
        "url": url or "",
        "title": (title or "")[:500],
        "text": text or "",
        "published_on": published_on,
        "source_id": source.pk if source is not None else None,
        "outlet_name": (outlet_name or "")[:200],
        "article_id": article_id,
        "fact_check_id": fact_check_id,
        "verdict_id": verdict_id,
    }
    document = ArchiveDocument.objects.select_for_update().filter(key=key).first()
    if document is None:
        try:
            with transaction.atomic():
                return ArchiveDocument.objects.create(key=key, **values)
        except IntegrityError:  # written by another process in the same instant
            document = ArchiveDocument.objects.select_for_update().get(key=key)
    changed = [name for name, value in values.items() if getattr(document, name) != value]
    if not changed:
        return document
    if "title" in changed or "text" in changed:
        document.embedding, document.embedding_model = None, ""
        changed += ["embedding", "embedding_model"]
    for name in changed:
        setattr(document, name, values.get(name, getattr(document, name)))
    document.save(update_fields=[*changed, "updated_at"])
    return document


def archive_remove(*, key: str) -> bool:
    """Take a document out of the archive (an unpublished verdict); True if there was one."""
    deleted, _ = ArchiveDocument.objects.filter(key=key).delete()
    return bool(deleted)


def archive_index_article(*, article: Article) -> ArchiveDocument | None:
    """Put an ingested article in the archive (or refresh it); only ready articles with text."""
    if article.status != Article.Status.READY or not article.text.strip():
        archive_remove(key=article_key(article.pk))
        return None
    return archive_upsert(
        kind=Kind.ARTICLE,
        key=article_key(article.pk),
        url=article.url or "",
        title=article.headline,
        text=article.text,
        published_on=article.published_on,
        source=article.outlet,
        outlet_name=article.outlet_name or (article.outlet.name if article.outlet else ""),
        article_id=article.pk,
    )


def archive_index_verdict(*, verdict: Verdict) -> ArchiveDocument | None:
    """Put one of our published verdicts in the archive, or take it out once unpublished.

    The title is the claim as the public page states it; the text adds the rating and the
    explanation, so that a search finds it by either.
    """
    claim = verdict.claim
    if not verdict.is_public or verdict.published_rating_id is None:
        archive_remove(key=verdict_key(verdict.pk))
        return None
    # The published version: a claim reopened for rework is found as the public page shows it.
    statement = verdict.shown_statement.strip() or verdict.shown_quote.strip()
    return archive_upsert(
        kind=Kind.VERDICT,
        key=verdict_key(verdict.pk),
        url=settings.SITE_URL + verdict.get_absolute_url(),
        title=statement,
        text=f"{statement}\n{verdict.shown_speaker_name}\n{verdict.published_rating.name}. "
        f"{verdict.published_explanation}",
        published_on=verdict.published_at.date() if verdict.published_at else None,
        outlet_name=settings.SITE_NAME,
        article_id=claim.article_id,
        verdict_id=verdict.pk,
    )


def fact_check_document_values(fact_check: FactCheck) -> dict[str, object]:
    """What an imported fact-check contributes to the archive: the claim it reviewed is the
    title (what a new claim is matched on), its headline and summary the text."""
    text = "\n".join(
        part
        for part in (fact_check.claim_reviewed, fact_check.name, fact_check.description)
        if part
    )
    return {
        "kind": Kind.FACT_CHECK,
        "key": fact_check_key(fact_check.pk),
        "url": fact_check.url,
        "title": fact_check.claim_reviewed[:500],
        "text": text,
        "published_on": fact_check.date_published,
        "source": fact_check.publisher,
        "outlet_name": fact_check.publisher_name[:200],
        "fact_check_id": fact_check.pk,
    }


def archive_index_fact_check(*, fact_check: FactCheck) -> ArchiveDocument:
    return archive_upsert(**fact_check_document_values(fact_check))


def claim_statement(claim) -> str:
    """The claim as it reads on its own, as the public page and ClaimReview show it."""
    return claim.display_statement.strip() or claim.content.strip()


# --- Searching ------------------------------------------------------------------------------


def archive_search(
    query_text: str,
    *,
    limit: int = 20,
    kinds: Collection[str] | None = None,
    exclude_article_ids: Collection[int] = (),
) -> list[ArchiveHit]:
    """Keyword search: claim terms OR-ed, ranked with length normalisation (PG ts_rank(…, 1);
    SQLite FTS5 bm25). Best first."""
    terms = query_terms(query_text)
    if not terms or limit <= 0 or (kinds is not None and not kinds):
        return []
    if kinds is not None:
        unknown = set(kinds) - set(Kind.values)
        if unknown:
            raise ValueError(f"unknown archive document kinds: {sorted(unknown)}")
    sql, params = search_sql(
        terms,
        limit=min(limit, MAX_LIMIT),
        kinds=sorted(kinds) if kinds is not None else None,
        exclude_article_ids=sorted({int(pk) for pk in exclude_article_ids}),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    documents = ArchiveDocument.objects.select_related(
        "source", "fact_check", "verdict__rating"
    ).in_bulk([pk for pk, _ in rows])
    return [ArchiveHit(documents[pk], float(score)) for pk, score in rows if pk in documents]


def search_sql(
    terms: list[str],
    *,
    limit: int,
    kinds: list[str] | None = None,
    exclude_article_ids: list[int] | None = None,
) -> tuple[str, list[object]]:
    """The SQL of one archive search for this database, returning (id, score) rows, best first.

    Public so that tests and benchmarks can EXPLAIN exactly the query that searches run.
    """
    table = search_schema.TABLE
    filters, filter_params = [], []
    if kinds is not None:
        filters.append(f"d.kind IN ({', '.join(['%s'] * len(kinds))})")
        filter_params += kinds
    if exclude_article_ids:
        filters.append(
            "(d.article_id IS NULL OR d.article_id NOT IN "
            f"({', '.join(['%s'] * len(exclude_article_ids))}))"
        )
        filter_params += exclude_article_ids
    where = "".join(f" AND {condition}" for condition in filters)
    # Only table and column names (module constants) and placeholders are formatted in.
    if connection.vendor == "postgresql":
        # websearch_to_tsquery never fails on odd input, and reads "a or b" as a OR b.
        sql = (
            f"SELECT d.id, ts_rank(d.{search_schema.PG_COLUMN}, q, 1) AS score "  # noqa: S608
            f"FROM {table} d, websearch_to_tsquery(%s::regconfig, %s) q "
            f"WHERE d.{search_schema.PG_COLUMN} @@ q{where} "
            "ORDER BY score DESC, d.id LIMIT %s"
        )
        query = " or ".join(terms)
        return sql, [search_schema.TEXT_SEARCH_CONFIG, query, *filter_params, limit]
    if connection.vendor == "sqlite":
        fts = search_schema.FTS_TABLE
        rank = f"bm25({fts}, {SQLITE_TITLE_WEIGHT}, {SQLITE_TEXT_WEIGHT})"
        sql = (
            f"SELECT d.id, -{rank} AS score "  # noqa: S608
            f"FROM {fts} JOIN {table} d ON d.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s{where} ORDER BY {rank}, d.id LIMIT %s"
        )
        # Terms are letters and digits only; quoting makes each a plain FTS5 string.
        query = " OR ".join(f'"{term}"' for term in terms)
        return sql, [query, *filter_params, limit]
    raise NotImplementedError(f"archive search needs PostgreSQL or SQLite, not {connection.vendor}")


# Document frequencies are counted up to this many: past it a word is simply common, and the
# count's cost stays bounded however big the archive grows.
DOCUMENT_FREQUENCY_CAP = 2000


def term_document_frequencies(stems: list[str]) -> tuple[int, dict[str, int]]:
    """How many documents hold each stemmed word (capped), and how many documents there are.

    The stems are Snowball English stems, which is what PostgreSQL's index holds; the SQLite
    index's Porter stems agree for nearly all words.
    """
    stems = [stem for stem in stems if stem.isalnum()]
    table = search_schema.TABLE
    cap = DOCUMENT_FREQUENCY_CAP
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            row = cursor.fetchone()
            total = int(row[0]) if row and row[0] and row[0] > 0 else 0
            if not total:
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
                total = cursor.fetchone()[0]
            if stems:
                column = search_schema.PG_COLUMN
                cursor.execute(
                    f"SELECT t.term, (SELECT count(*) FROM (SELECT 1 FROM {table} d "  # noqa: S608
                    f"WHERE d.{column} @@ t.term::tsquery LIMIT %s) s) "
                    "FROM unnest(%s::text[]) AS t(term)",
                    [cap, stems],
                )
                counts = dict(cursor.fetchall())
        else:
            fts = search_schema.FTS_TABLE
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            total = cursor.fetchone()[0]
            for stem in stems:
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH %s "  # noqa: S608
                    "LIMIT %s)",
                    [f'"{stem}"', cap],
                )
                counts[stem] = cursor.fetchone()[0]
    return total, counts

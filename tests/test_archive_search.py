"""The archive store: idempotent upserts, keyword search on both database backends, and the
full-text index (GIN on PostgreSQL, FTS5 on SQLite) kept in step by the database itself."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from claims.corroboration import search_schema
from claims.corroboration.archive import (
    ArchiveHit,
    archive_remove,
    archive_search,
    archive_upsert,
    search_sql,
)
from claims.corroboration.terms import query_terms
from claims.models import ArchiveDocument
from tests import factories

pytestmark = pytest.mark.django_db

Kind = ArchiveDocument.Kind

EMBASSY = (
    "Iraqi officials said US embassy staff and the ambassador were not in the building when "
    "protesters broke through the gate of the compound in Baghdad."
)
STRIKES = (
    "The Pentagon said F-15 jets struck three Kataib Hezbollah sites in Iraq and two in Syria, "
    "killing 25 fighters, in response to a rocket attack near Kirkuk."
)
WEATHER = "Heavy rain is expected across the north of England on Thursday, forecasters said."


def _doc(key: str, text: str, *, title: str = "", kind: str = Kind.CORPUS, **extra):
    return archive_upsert(kind=kind, key=key, url=f"https://example.org/{key}", title=title,
                          text=text, **extra)  # fmt: skip


def _keys(hits: list[ArchiveHit]) -> list[str]:
    return [hit.document.key for hit in hits]


# --- upsert ---------------------------------------------------------------------------------


def test_upsert_creates_then_updates_the_same_document():
    first = _doc("a", EMBASSY, title="Embassy", published_on=datetime.date(2019, 12, 31))
    second = _doc("a", STRIKES, title="Strikes")
    assert second.pk == first.pk
    assert ArchiveDocument.objects.count() == 1
    second.refresh_from_db()
    assert (second.title, second.text) == ("Strikes", STRIKES)
    assert second.published_on is None


def test_writing_the_same_values_again_changes_nothing():
    document = _doc("a", EMBASSY, title="Embassy")
    before = document.updated_at
    again = _doc("a", EMBASSY, title="Embassy")
    again.refresh_from_db()
    assert again.updated_at == before


def test_a_new_text_drops_the_stored_embedding_but_other_changes_keep_it():
    document = _doc("a", EMBASSY)
    ArchiveDocument.objects.filter(pk=document.pk).update(
        embedding=b"\x00" * 8, embedding_model="m"
    )
    _doc("a", EMBASSY, outlet_name="Reuters")
    document.refresh_from_db()
    assert bytes(document.embedding) == b"\x00" * 8
    _doc("a", STRIKES, outlet_name="Reuters")
    document.refresh_from_db()
    assert document.embedding is None and document.embedding_model == ""


def test_upsert_refuses_an_unknown_kind_or_an_empty_key():
    with pytest.raises(ValueError, match="kind"):
        archive_upsert(kind="tweet", key="x", url="", title="", text="x")
    with pytest.raises(ValueError, match="key"):
        archive_upsert(kind=Kind.CORPUS, key="", url="", title="", text="x")


def test_upsert_keeps_links_to_source_and_article():
    source = factories.SourceFactory(name="Reuters")
    article = factories.ArticleFactory()
    document = _doc("a", EMBASSY, source=source, outlet_name="Reuters", article_id=article.pk)
    document.refresh_from_db()
    assert document.source == source
    assert document.article == article


def test_remove_takes_a_document_out():
    _doc("a", EMBASSY)
    assert archive_remove(key="a") is True
    assert archive_remove(key="a") is False
    assert archive_search("embassy staff") == []


# --- search ---------------------------------------------------------------------------------


def test_search_ors_the_terms_so_a_partial_match_is_found():
    _doc("embassy", EMBASSY)
    _doc("weather", WEATHER)
    # No document has all these words; "asking for all" would find nothing.
    hits = archive_search("Were the embassy staff evacuated by helicopter before the storming?")
    assert _keys(hits) == ["embassy"]
    assert hits[0].score > 0


def test_search_ranks_the_document_that_shares_most_terms_first():
    _doc("embassy", EMBASSY)
    _doc("strikes", STRIKES)
    _doc("weather", WEATHER)
    hits = archive_search("US F-15 jets struck Kataib Hezbollah sites in Iraq and Syria")
    assert _keys(hits)[0] == "strikes"
    assert "weather" not in _keys(hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_search_normalises_for_length():
    _doc("short", "The embassy gate was burned by protesters.")
    padding = " ".join(["Officials discussed trade, farming, schools and the budget."] * 80)
    _doc("long", f"{padding} The embassy gate was burned by protesters. {padding}")
    assert _keys(archive_search("protesters burned the embassy gate")) == ["short", "long"]


def test_search_stems_words():
    _doc("embassy", EMBASSY)
    assert _keys(archive_search("protester breaks gates")) == ["embassy"]


def test_title_words_count_more_than_text_words():
    _doc("in-text", f"{WEATHER} The ambassador spoke.", title="Forecast")
    _doc("in-title", WEATHER, title="The ambassador")
    assert _keys(archive_search("ambassador")) == ["in-title", "in-text"]


def test_search_filters_by_kind_and_leaves_out_given_articles():
    article = factories.ArticleFactory()
    _doc("own-article", EMBASSY, kind=Kind.ARTICLE, article_id=article.pk)
    _doc("fact-check", EMBASSY, kind=Kind.FACT_CHECK)
    _doc("corpus", EMBASSY, kind=Kind.CORPUS)
    query = "embassy staff not in the building"
    assert set(_keys(archive_search(query))) == {"own-article", "fact-check", "corpus"}
    assert _keys(archive_search(query, kinds=[Kind.FACT_CHECK])) == ["fact-check"]
    assert set(_keys(archive_search(query, exclude_article_ids=[article.pk]))) == {
        "fact-check",
        "corpus",
    }
    assert archive_search(query, kinds=[]) == []
    with pytest.raises(ValueError, match="kinds"):
        archive_search(query, kinds=["tweet"])


def test_search_respects_the_limit():
    for n in range(5):
        _doc(f"d{n}", f"{EMBASSY} Item {n}.")
    assert len(archive_search("embassy", limit=3)) == 3


@pytest.mark.parametrize(
    "query",
    [
        "",
        "the and of it",
        '"unbalanced quote -minus OR or AND & | ! ( ) : * ^ NEAR',
        "'); DROP TABLE claims_archivedocument; --",
        "https://t.co/abc @someone",
    ],
)
def test_odd_queries_neither_fail_nor_match_everything(query):
    _doc("embassy", EMBASSY)
    assert archive_search(query) == []
    assert ArchiveDocument.objects.count() == 1


def test_query_terms_drop_stop_words_addresses_and_handles():
    terms = query_terms("The US said Iran's F-15 strikes hit 25 targets https://t.co/x @pentagon")
    assert terms == ["us", "said", "iran", "15", "strikes", "hit", "25", "targets"]


# --- the index stays in step with every kind of write ----------------------------------------


def test_changed_text_is_found_by_its_new_words_only():
    _doc("a", EMBASSY)
    _doc("a", WEATHER)
    assert archive_search("embassy") == []
    assert _keys(archive_search("rain forecasters")) == ["a"]


def test_rows_written_in_bulk_and_by_update_are_indexed():
    ArchiveDocument.objects.bulk_create(
        [ArchiveDocument(kind=Kind.CORPUS, key=f"bulk{n}", text=f"{STRIKES} {n}") for n in range(3)]
    )
    assert len(archive_search("Kataib Hezbollah")) == 3
    ArchiveDocument.objects.filter(key="bulk0").update(text=WEATHER)
    assert set(_keys(archive_search("Kataib Hezbollah"))) == {"bulk1", "bulk2"}
    assert _keys(archive_search("forecasters")) == ["bulk0"]


def test_deleting_an_article_takes_its_document_out_of_the_index():
    article = factories.ArticleFactory()
    _doc("own", EMBASSY, kind=Kind.ARTICLE, article_id=article.pk)
    article.delete()
    assert archive_search("embassy") == []


def test_ensure_puts_back_triggers_a_table_rebuild_dropped():
    _doc("before", EMBASSY)
    assert search_schema.ensure(connection) is False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {search_schema.PG_TRIGGER} ON {search_schema.TABLE}")
        else:
            cursor.execute(f"DROP TRIGGER {search_schema.FTS_TABLE}_insert")
    ArchiveDocument.objects.create(kind=Kind.CORPUS, key="while-broken", text=STRIKES)
    if connection.vendor == "postgresql":
        # As after a migration: no constraint checks left pending (PostgreSQL refuses DDL then).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert search_schema.ensure(connection) is True
    assert _keys(archive_search("embassy")) == ["before"]
    assert _keys(archive_search("Kataib")) == ["while-broken"]
    _doc("after", f"{STRIKES} again")
    assert set(_keys(archive_search("Kataib"))) == {"while-broken", "after"}


# --- the index is what the search uses ------------------------------------------------------


def test_search_uses_the_full_text_index():
    """PostgreSQL: a bitmap scan of the GIN index. A test table of short rows is cheaper to read
    whole, so sequential scans are priced out: a query the index cannot serve would still show
    a Seq Scan. (`make bench` shows the planner picking the index unprompted at archive size.)
    SQLite: the FTS5 virtual table's MATCH index, then documents by primary key."""
    topics = ["budget", "farming", "schools", "rail", "hospital", "energy", "housing", "tax"]
    ArchiveDocument.objects.bulk_create(
        ArchiveDocument(
            kind=Kind.FEED_ITEM,
            key=f"filler{n}",
            title=f"Report {n} on {topics[n % len(topics)]}",
            text=f"Officials discussed {topics[n % len(topics)]} and item {n} in parliament.",
        )
        for n in range(2000)
    )
    _doc("embassy", EMBASSY)
    sql, params = search_sql(
        query_terms("embassy staff were not in the building"), limit=20, kinds=["corpus"]
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {search_schema.TABLE}")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert f"Bitmap Index Scan on {search_schema.PG_INDEX}" in plan, plan
            assert "Seq Scan" not in plan, plan
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert f"SCAN {search_schema.FTS_TABLE} VIRTUAL TABLE INDEX" in plan, plan
            # The documents are then read by primary key, never scanned.
            assert "SEARCH d USING INTEGER PRIMARY KEY" in plan, plan
            assert "SCAN d" not in plan, plan
    assert _keys(archive_search("embassy staff were not in the building")) == ["embassy"]

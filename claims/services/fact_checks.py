"""Writes on imported fact-checks: store ClaimReview records and put them in the archive.

Imports are idempotent by the ClaimReview's url: a record seen before is updated when it changed
and left alone when it did not. Records are written in batches, each batch in one transaction
with its archive documents, with a few queries per batch rather than per record, so that tens of
thousands of records take seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from claims.corroboration.archive import fact_check_document_values
from claims.corroboration.claimreviews import ClaimReviewRecord, Rejected
from claims.models import ArchiveDocument, FactCheck, Source
from claims.services.sources import source_for_url

BATCH_SIZE = 1000

_RECORD_FIELDS = [
    "claim_reviewed",
    "rating",
    "rating_value",
    "rating_best",
    "rating_worst",
    "publisher_name",
    "publisher_url",
    "claimant",
    "item_reviewed",
    "name",
    "description",
    "language",
    "date_published",
    "date_modified",
    "claim_date",
]
_DOCUMENT_FIELDS = ["kind", "url", "title", "text", "published_on", "source", "outlet_name"]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.created + self.updated + self.unchanged


def fact_checks_import(
    *,
    records: Iterable[ClaimReviewRecord | Rejected],
    imported_from: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Store the records (new, changed or unchanged) and their archive documents."""
    result = ImportResult()
    publishers: dict[str, Source | None] = {}
    batch: dict[str, ClaimReviewRecord] = {}
    for record in records:
        if isinstance(record, Rejected):
            result.rejected.append(record)
            if progress:
                progress(1)
            continue
        if record.url in batch:  # the same review twice in one batch: the later one wins
            result.unchanged += 1
        batch[record.url] = record
        if len(batch) >= BATCH_SIZE:
            _store_batch(list(batch.values()), imported_from, publishers, result)
            if progress:
                progress(len(batch))
            batch = {}
    if batch:
        _store_batch(list(batch.values()), imported_from, publishers, result)
        if progress:
            progress(len(batch))
    return result


@transaction.atomic
def _store_batch(
    records: list[ClaimReviewRecord],
    imported_from: str,
    publishers: dict[str, Source | None],
    result: ImportResult,
) -> None:
    existing = {
        fact_check.url: fact_check
        for fact_check in FactCheck.objects.filter(url__in=[r.url for r in records])
    }
    new, changed = [], []
    now = timezone.now()
    for record in records:
        fact_check = existing.get(record.url)
        if fact_check is not None and fact_check.record_sha256 == record.sha256:
            result.unchanged += 1
            continue
        fact_check = fact_check or FactCheck(url=record.url)
        for name in _RECORD_FIELDS:
            setattr(fact_check, name, getattr(record, name))
        fact_check.rating = fact_check.rating[:200]
        fact_check.publisher_name = fact_check.publisher_name[:300]
        fact_check.claimant = fact_check.claimant[:300]
        fact_check.name = fact_check.name[:500]
        fact_check.publisher = _publisher(record.url, publishers)
        fact_check.record_sha256 = record.sha256
        fact_check.imported_from = imported_from[:2000]
        fact_check.updated_at = now  # bulk_update leaves auto_now fields alone
        (changed if fact_check.pk else new).append(fact_check)
    FactCheck.objects.bulk_create(new)
    FactCheck.objects.bulk_update(
        changed, [*_RECORD_FIELDS, "publisher", "record_sha256", "imported_from", "updated_at"]
    )
    result.created += len(new)
    result.updated += len(changed)
    _store_documents([*new, *changed])


def _store_documents(fact_checks: list[FactCheck]) -> None:
    """The archive documents of new and changed fact-checks, two queries per batch."""
    if not fact_checks:
        return
    existing = {
        document.fact_check_id: document
        for document in ArchiveDocument.objects.filter(fact_check__in=fact_checks)
    }
    new, changed = [], []
    now = timezone.now()
    for fact_check in fact_checks:
        values = fact_check_document_values(fact_check)
        document = existing.get(fact_check.pk)
        if document is None:
            new.append(ArchiveDocument(**values))
            continue
        for name, value in values.items():
            setattr(document, name, value)
        # Words changed: the stored embedding no longer describes them.
        document.embedding, document.embedding_model = None, ""
        document.updated_at = now
        changed.append(document)
    ArchiveDocument.objects.bulk_create(new)
    ArchiveDocument.objects.bulk_update(
        changed, [*_DOCUMENT_FIELDS, "key", "embedding", "embedding_model", "updated_at"]
    )


def _publisher(url: str, cache: dict[str, Source | None]) -> Source | None:
    host = urlsplit(url).hostname or ""
    if host not in cache:
        cache[host] = source_for_url(url)
    return cache[host]

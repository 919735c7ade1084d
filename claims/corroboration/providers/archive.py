"""The newsroom's own archive (ingested articles, feed items, fact-checks, our verdicts and the
demo corpus), through `archive_search`: works offline and needs no key."""

from __future__ import annotations

from claims.corroboration.providers.base import Candidate
from claims.corroboration.queries import ClaimQuery


class ArchiveProvider:
    """Keyword search over the archive; the claim's own article is never proposed."""

    name = "archive"
    uses_database = True

    def search(self, query: ClaimQuery, *, limit: int) -> list[Candidate]:
        from claims.corroboration.archive import archive_search

        excluded = [query.article_id] if query.article_id else []
        hits = archive_search(query.search_text(), limit=limit, exclude_article_ids=excluded)
        candidates = []
        for rank, hit in enumerate(hits):
            document = hit.document
            url = document_url(document)
            if not url:
                continue
            candidates.append(
                Candidate(
                    url=url,
                    title=document.title,
                    text=document.text,
                    published_on=document.published_on,
                    outlet_name=document.outlet_name
                    or (document.source.name if document.source_id else ""),
                    provider=self.name,
                    rank=rank,
                    provider_score=hit.score,
                    extra={"document_id": document.pk, "kind": document.kind},
                )
            )
        return candidates


def document_url(document) -> str:
    """The document's address; an article pasted without one points at its review page."""
    if document.url:
        return document.url
    if getattr(document, "article_id", None):
        from django.conf import settings
        from django.urls import reverse

        return settings.SITE_URL + reverse("review:article", args=[document.article_id])
    return ""

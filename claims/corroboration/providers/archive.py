"""The newsroom's own archive (ingested articles, feed items, fact-checks, our verdicts and the
demo corpus), through `archive_search`: works offline and needs no key."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from claims.corroboration.providers.base import Candidate
from claims.corroboration.queries import ClaimQuery


class ArchiveProvider:
    """Keyword search over the archive; the claim's own article is never proposed."""

    name = "archive"
    uses_database = True

    def search(self, query: ClaimQuery, *, limit: int) -> list[Candidate]:
        from claims.corroboration.archive import archive_search

        excluded = [query.article_id] if query.article_id else []
        hits = archive_search(query.text, limit=limit, exclude_article_ids=excluded)
        candidates = []
        for hit in hits:
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
                    or (document.source.name if document.source else ""),
                    provider=self.name,
                    rank=len(candidates),
                    provider_score=hit.score,
                    rating=_rating(document),
                    source_id=document.source_id,
                    extra={"document_id": document.pk, "kind": document.kind},
                )
            )
        return candidates


def document_url(document) -> str:
    """The document's address; an article pasted without one points at its review page."""
    if document.url:
        return document.url
    if document.article_id:
        return settings.SITE_URL + reverse("review:article", args=[document.article_id])
    return ""


def _rating(document) -> str:
    """A fact-checker's rating, for imported fact-checks (ours are evidence of another kind)."""
    if document.kind == "fact_check" and document.fact_check_id:
        return document.fact_check.rating
    return ""

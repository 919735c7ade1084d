"""The sitemap (Django's sitemaps framework): the public pages, every published verdict and
every speaker with one. Addresses are on `SITE_URL`, whatever host the crawler asked."""

from __future__ import annotations

from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.urls import reverse

from claims import selectors


class CountedPaginator(Paginator):
    """A paginator told its count (from the counters) instead of counting its rows: the sitemap
    index asks every section for its number of pages."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


class PublicSitemap(Sitemap):
    """Builds addresses on SITE_URL's scheme and host rather than the request's."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class PagesSitemap(PublicSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["public:home", "public:verdicts", "public:speakers", "public:ratings"]

    def location(self, item: str) -> str:
        return reverse(item)


class VerdictSitemap(PublicSitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        # Oldest first, so that a page of the sitemap keeps its entries as verdicts are added.
        return (
            selectors.published_verdicts()
            .select_related(None)
            .only("slug", "published_at")
            .prefetch_related(
                Prefetch(
                    "corrections",
                    queryset=selectors.public_corrections()
                    .select_related(None)
                    .only("verdict_id", "status", "decided_at"),
                )
            )
            .order_by("published_at", "id")
        )

    def lastmod(self, item):
        # When the public version last changed, not the row: a reopened claim's draft is
        # saved on the same row while its page stays as published.
        return selectors.last_public_correction(item) or item.published_at

    @property
    def paginator(self) -> Paginator:
        return CountedPaginator(self._items(), self.limit, count=selectors.public_verdict_total())


class SpeakerSitemap(PublicSitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return selectors.public_speakers(counted=False).only("slug").order_by("id")

    @property
    def paginator(self) -> Paginator:
        return CountedPaginator(self._items(), self.limit, count=selectors.public_speaker_total())


SITEMAPS = {"pages": PagesSitemap, "verdicts": VerdictSitemap, "speakers": SpeakerSitemap}

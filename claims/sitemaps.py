"""The sitemap (Django's sitemaps framework): the public pages, every published verdict and
every speaker with one. Addresses are on `SITE_URL`, whatever host the crawler asked."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims import selectors


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
            .only("slug", "published_at", "updated_at")
            .order_by("published_at", "id")
        )

    def lastmod(self, item):
        return item.updated_at


class SpeakerSitemap(PublicSitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return selectors.public_speakers(counted=False).only("slug").order_by("id")


SITEMAPS = {"pages": PagesSitemap, "verdicts": VerdictSitemap, "speakers": SpeakerSitemap}

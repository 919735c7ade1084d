"""RSS and Atom feeds of published verdicts, all and per speaker (Django's syndication framework).

Links are absolute on `SITE_URL`, the site's public address, whatever host the request used.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims import selectors
from claims.models import Speaker, Verdict

FEED_ITEMS = 50


def absolute(path: str) -> str:
    return settings.SITE_URL + path


class VerdictFeed(Feed):
    """The latest published verdicts, newest first (RSS 2.0)."""

    def title(self, obj: Speaker | None = None) -> str:
        return f"{settings.SITE_NAME}: latest fact-checks"

    def description(self, obj: Speaker | None = None) -> str:
        return f"The latest fact-checks published by {settings.SITE_NAME}."

    def link(self, obj: Speaker | None = None) -> str:
        return absolute(reverse("public:verdicts"))

    def feed_url(self, obj: Speaker | None = None) -> str:
        return absolute(reverse("public:feed_atom" if self.is_atom else "public:feed"))

    @property
    def is_atom(self) -> bool:
        return self.feed_type is Atom1Feed

    def feed_guid(self, obj: Speaker | None = None) -> str:
        return self.feed_url(obj)

    def items(self, obj: Speaker | None = None):
        filters = selectors.VerdictFilters(speaker=obj.slug if obj is not None else "")
        verdicts = selectors.public_verdict_list(filters).prefetch_related(
            Prefetch("corrections", queryset=selectors.public_corrections())
        )
        return verdicts[:FEED_ITEMS]

    def item_title(self, item: Verdict) -> str:
        return f"{item.published_rating.name}: {item.shown_statement}"

    def item_description(self, item: Verdict) -> str:
        said = f"{item.shown_speaker_name}: “{item.shown_quote}”"
        return f"{said}\n\nOur rating: {item.published_rating.name}. {item.published_explanation}"

    def item_link(self, item: Verdict) -> str:
        return absolute(item.get_absolute_url())

    def item_guid(self, item: Verdict) -> str:
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item: Verdict) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Verdict) -> datetime.datetime | None:
        return selectors.last_public_correction(item) or item.published_at

    def item_categories(self, item: Verdict) -> list[str]:
        return [item.published_rating.name]

    def item_author_name(self, item: Verdict) -> str:
        return settings.SITE_NAME


class VerdictAtomFeed(VerdictFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Speaker | None = None) -> str:
        return self.description(obj)


class SpeakerVerdictFeed(VerdictFeed):
    """One speaker's published verdicts (RSS 2.0)."""

    def get_object(self, request: HttpRequest, slug: str) -> Speaker:
        speaker = selectors.public_speaker(slug)
        if speaker is None:
            raise Http404("No such speaker.")
        return speaker

    def title(self, obj: Speaker | None = None) -> str:
        return f"{settings.SITE_NAME}: fact-checks of {obj.name}"

    def description(self, obj: Speaker | None = None) -> str:
        return f"Claims by {obj.name} that {settings.SITE_NAME} has checked, newest first."

    def link(self, obj: Speaker | None = None) -> str:
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj: Speaker | None = None) -> str:
        name = "public:speaker_feed_atom" if self.is_atom else "public:speaker_feed"
        return absolute(reverse(name, args=[obj.slug]))


class SpeakerVerdictAtomFeed(SpeakerVerdictFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Speaker | None = None) -> str:
        return self.description(obj)

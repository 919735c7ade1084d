"""schema.org ClaimReview for a published verdict: what fact-check aggregators and search engines
read from the verdict page (https://schema.org/ClaimReview)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from claims.models import Speaker, Verdict

# As Django's json_script does: nothing in the data can close the <script> element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_PERSON_KINDS = {Speaker.Kind.PERSON}


def claim_review(verdict: Verdict, *, base_url: str | None = None) -> dict:
    """The ClaimReview of `verdict`; addresses on `base_url` (default: SITE_URL)."""
    base_url = settings.SITE_URL if base_url is None else base_url
    claim = verdict.claim
    article = claim.article
    organisation = {"@type": "Organization", "name": settings.SITE_NAME, "url": base_url}
    # The published version: a reopened claim's draft rating stays private until approved.
    published_rating = verdict.published_rating
    rating: dict[str, object] = {"@type": "Rating", "alternateName": published_rating.name}
    if published_rating.schema_rating is not None:
        rating.update(ratingValue=published_rating.schema_rating, bestRating=5, worstRating=1)
    item: dict[str, object] = {"@type": "Claim"}
    # The speaker and statement as approved (Verdict.take_snapshot), not as since edited.
    kind = verdict.shown_speaker_kind
    if kind:
        author: dict[str, object] = {
            "@type": "Person" if kind in _PERSON_KINDS else "Organization",
            "name": verdict.shown_speaker_name,
        }
        if verdict.shown_speaker_role and kind in _PERSON_KINDS:
            author["jobTitle"] = verdict.shown_speaker_role
        item["author"] = author
    elif article.outlet_name:
        item["author"] = {"@type": "Organization", "name": article.outlet_name}
    if article.published_on:
        item["datePublished"] = article.published_on.isoformat()
    if article.url or article.headline:
        appearance: dict[str, object] = {"@type": "CreativeWork"}
        if article.url:
            appearance["url"] = article.url
        if article.headline:
            appearance["headline"] = article.headline
        item["appearance"] = appearance
    data = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": base_url + verdict.get_absolute_url(),
        "claimReviewed": verdict.shown_statement,
        "author": organisation,
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if verdict.published_at:
        data["datePublished"] = verdict.published_at.date().isoformat()
    # Only corrections a second editor approved count; a proposal changes nothing public.
    modified = max(
        (c.decided_at for c in verdict.corrections.all() if c.is_public and c.decided_at),
        default=None,
    )
    if modified:
        data["dateModified"] = modified.isoformat()
    return data


def claim_review_script(verdict: Verdict, *, base_url: str | None = None) -> SafeString:
    """The JSON-LD <script> element, safe to put in a page whatever the claim's text holds."""
    payload = json.dumps(
        claim_review(verdict, base_url=base_url), cls=DjangoJSONEncoder, ensure_ascii=False
    )
    # Safe: every character that could end the element is escaped above.
    return mark_safe(
        '<script type="application/ld+json">' + payload.translate(_SCRIPT_ESCAPES) + "</script>"
    )


def claim_review_feed_chunks(
    verdicts: Iterable[Verdict], *, modified: str = "", base_url: str | None = None
) -> Iterator[str]:
    """The schema.org DataFeed of every published verdict, as JSON text in pieces.

    `verdicts` is read lazily (a queryset's `iterator()`), so that a feed of 100,000 verdicts is
    written one element at a time and never held in memory as a whole. Each element is the same
    ClaimReview as on the verdict's page.
    """
    base_url = settings.SITE_URL if base_url is None else base_url
    head: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{settings.SITE_NAME} fact-checks",
        "url": base_url + reverse("public:claimreview_feed"),
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": base_url,
        },
    }
    if modified:
        head["dateModified"] = modified
    opening = json.dumps(head, cls=DjangoJSONEncoder, ensure_ascii=False)
    yield opening[:-1] + ', "dataFeedElement": ['
    separator = ""
    for verdict in verdicts:
        element = claim_review(verdict, base_url=base_url)
        element.pop("@context", None)
        yield separator + json.dumps(element, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ", "
    yield "]}"

"""Public pages: only published verdicts are ever shown here, to anyone, read-only.

Every read goes through the public selectors (which start from `published_verdicts()`). The
list pages serve the whole page or, to htmx, only their results, from the same URL.
"""

from __future__ import annotations

import hashlib
import re
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from claims import selectors
from claims.claimreview import claim_review_feed_chunks, claim_review_script
from claims.forms.public import SpeakerSearchForm, VerdictSearchForm
from claims.public_cache import public_page
from claims.site_url import site_url
from claims.sitemaps import SITEMAPS
from claims.templatetags.public_tags import readable_ink
from claims.views.review import HtmxHttpRequest, wants_fragment

VERDICTS_PER_PAGE = 20
FEED_CHUNK = 500
SPEAKERS_PER_PAGE = 50
HOME_LATEST = 8
SPEAKER_PAGE_VERDICTS = 20


class CappedPaginator(Paginator):
    """Pages down to `selectors.PUBLIC_COUNT_LIMIT` rows at most, so that no page's offset or
    count grows with the number of published verdicts.

    `total`, when the counters know it, is the exact number shown; otherwise the rows are
    counted up to the limit (+1, to know there are more).
    """

    def __init__(self, object_list, per_page, *, total: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.total = total

    @cached_property
    def count(self) -> int:
        if self.total is not None:
            return self.total
        return selectors.capped_count(self.object_list)

    @property
    def count_is_capped(self) -> bool:
        """The number is only known to be past the limit."""
        return self.total is None and self.count > selectors.PUBLIC_COUNT_LIMIT

    @property
    def pages_are_capped(self) -> bool:
        return self.count > selectors.PUBLIC_COUNT_LIMIT

    @cached_property
    def num_pages(self) -> int:
        browsable = min(self.count, selectors.PUBLIC_COUNT_LIMIT)
        return max(1, -(-browsable // self.per_page))

    def page(self, number):
        """The page's rows found by id first (see `selectors.rows_by_ids_first`), so that the
        last page offered costs about what the first does."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = selectors.rows_by_ids_first(self.object_list, bottom, bottom + self.per_page)
        return self._get_page(rows, number, self)


def _page(request: HttpRequest, queryset, per_page: int, *, total: int | None = None):
    return CappedPaginator(queryset, per_page, total=total).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
@public_page
def home(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(
        request,
        "public/home.html",
        {
            "verdicts": selectors.public_verdict_list()[:HOME_LATEST],
            "rating_counts": selectors.public_rating_counts(),
            "intro": settings.SITE_INTRO,
        },
    )


@require_safe
@public_page
@vary_on_headers("HX-Request")
def verdict_list(request: HtmxHttpRequest) -> TemplateResponse:
    form = VerdictSearchForm(request.GET)
    filters = form.to_filters()
    page = _page(
        request,
        selectors.public_verdict_list(filters),
        VERDICTS_PER_PAGE,
        total=selectors.public_verdict_total(filters),
    )
    template_name = "public/verdicts.html"
    if wants_fragment(request):
        template_name += "#verdict-results"
    return TemplateResponse(
        request,
        template_name,
        {"form": form, "filters": filters, "page": page, "query": _query_without_page(request)},
    )


@require_safe
@public_page
def verdict_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    verdict = selectors.public_verdict(slug)
    if verdict is None:
        raise Http404("No published verdict here.")
    corrections = selectors.public_corrections_log(verdict)
    return TemplateResponse(
        request,
        "public/verdict.html",
        {
            "verdict": verdict,
            "claim_review": claim_review_script(verdict, base_url=site_url(request)),
            "corrections": corrections,
            "last_update": corrections[-1].when if corrections else None,
            "other_verdicts": selectors.public_other_verdicts(verdict),
            # Reopened for rework: the page shows the published version, and says so.
            "under_review": verdict.claim.status != verdict.claim.Status.PUBLISHED,
        },
    )


@require_safe
@public_page
@vary_on_headers("HX-Request")
def speaker_list(request: HtmxHttpRequest) -> TemplateResponse:
    form = SpeakerSearchForm(request.GET)
    page = _page(request, selectors.public_speakers(form.query()), SPEAKERS_PER_PAGE)
    template_name = "public/speakers.html"
    if wants_fragment(request):
        template_name += "#speaker-results"
    return TemplateResponse(
        request,
        template_name,
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


@require_safe
@public_page
@vary_on_headers("HX-Request")
def speaker_detail(request: HtmxHttpRequest, slug: str) -> TemplateResponse:
    speaker = selectors.public_speaker(slug)
    if speaker is None:
        raise Http404("No such speaker.")
    filters = selectors.VerdictFilters(speaker=speaker.slug)
    rating_counts = selectors.public_rating_counts(speaker=speaker)
    page = _page(
        request,
        selectors.public_verdict_list(filters),
        SPEAKER_PAGE_VERDICTS,
        total=sum(n for _, n in rating_counts),
    )
    template_name = "public/speaker.html"
    if wants_fragment(request):
        template_name += "#speaker-verdicts"
    return TemplateResponse(
        request,
        template_name,
        {
            "speaker": speaker,
            "page": page,
            "query": _query_without_page(request),
            "rating_counts": rating_counts,
            "chart_max": max((n for _, n in rating_counts), default=0),
        },
    )


@require_safe
@public_page
def ratings(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(
        request,
        "public/ratings.html",
        {"rating_counts": selectors.public_rating_counts()},
    )


# An admin types the colour: only a hex colour reaches the stylesheet, nothing that could close
# the rule and start another.
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


@require_safe
@cache_control(public=True, max_age=300)
def rating_styles(request: HttpRequest) -> HttpResponse:
    """The rating badges' colours as a stylesheet (`.rating-<id>`).

    Admins choose the colours, so they cannot live in app.css; and the Content-Security-Policy
    forbids style attributes. Browsers keep it five minutes, so a changed colour shows within
    that time; the ETag makes rechecking it cheap.
    """
    rules = [
        f".rating-{rating.pk} {{ --rating-colour: {rating.colour}; "
        f"--rating-ink: {readable_ink(rating.colour)}; }}"
        for rating in selectors.rating_scale().only("pk", "colour")
        if _HEX_COLOUR.fullmatch(rating.colour)
    ]
    css = "\n".join(["/* Rating badge colours, as admins set them. */", *rules, ""])
    etag = f'"{hashlib.sha256(css.encode()).hexdigest()[:32]}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    return response


@require_safe
@public_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public site; the staff area, the admin and sign-in are off limits."""
    lines = [
        "User-agent: *",
        "Disallow: /review/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "",
        f"Sitemap: {site_url(request)}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@public_page
def claimreview_feed(request: HttpRequest) -> StreamingHttpResponse:
    """Every published verdict as a schema.org DataFeed of ClaimReviews, streamed: the verdicts
    are read FEED_CHUNK at a time, so that the feed's size never decides the memory it takes."""
    verdicts = selectors.claim_review_feed_verdicts().iterator(chunk_size=FEED_CHUNK)
    return StreamingHttpResponse(
        claim_review_feed_chunks(verdicts, base_url=site_url(request)),
        content_type="application/ld+json; charset=utf-8",
    )


@require_safe
@public_page
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """The sitemap index, with every section (and every page of a long one) on SITE_URL.

    Django's own index view names the host the request came in on; crawlers must be given the
    public address, as the sections themselves do (claims.sitemaps.PublicSitemap).
    """
    items = []
    for section, sitemap_class in SITEMAPS.items():
        location = settings.SITE_URL + reverse("public:sitemap_section", args=[section])
        items.append(SitemapIndexItem(location))
        pages = sitemap_class().paginator.num_pages
        items.extend(SitemapIndexItem(f"{location}?p={page}") for page in range(2, pages + 1))
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response

"""Public, read-only pages, feeds and discovery files."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.http import require_safe

from claims import feeds
from claims.public_cache import public_page
from claims.sitemaps import SITEMAPS
from claims.views import public

app_name = "public"

urlpatterns = [
    path("", public.home, name="home"),
    path("ratings/", public.ratings, name="ratings"),
    path("ratings.css", public.rating_styles, name="rating_styles"),
    # /verdicts/…
    path("verdicts/", public.verdict_list, name="verdicts"),
    path("verdicts/feed/", require_safe(public_page(feeds.VerdictFeed())), name="feed"),
    path(
        "verdicts/feed/atom/", require_safe(public_page(feeds.VerdictAtomFeed())), name="feed_atom"
    ),
    path("verdicts/<slug:slug>/", public.verdict_detail, name="verdict"),
    # /speakers/…
    path("speakers/", public.speaker_list, name="speakers"),
    path("speakers/<slug:slug>/", public.speaker_detail, name="speaker"),
    path(
        "speakers/<slug:slug>/feed/",
        require_safe(public_page(feeds.SpeakerVerdictFeed())),
        name="speaker_feed",
    ),
    path(
        "speakers/<slug:slug>/feed/atom/",
        require_safe(public_page(feeds.SpeakerVerdictAtomFeed())),
        name="speaker_feed_atom",
    ),
    # Discovery: crawlers, aggregators
    path("robots.txt", public.robots_txt, name="robots"),
    path("claimreview.json", public.claimreview_feed, name="claimreview_feed"),
    path("sitemap.xml", public.sitemap_index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        require_safe(public_page(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]

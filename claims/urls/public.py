"""Public, read-only pages, feeds and discovery files."""

from django.urls import path

from claims.views import public

app_name = "public"

urlpatterns = [
    path("", public.home, name="home"),
    path("robots.txt", public.robots_txt, name="robots"),
    path("ratings/", public.ratings, name="ratings"),
    # /verdicts/…
    path("verdicts/", public.verdict_list, name="verdicts"),
    path("verdicts/<slug:slug>/", public.verdict_detail, name="verdict"),
    # /speakers/…
    path("speakers/", public.speaker_list, name="speakers"),
    path("speakers/<slug:slug>/", public.speaker_detail, name="speaker"),
]

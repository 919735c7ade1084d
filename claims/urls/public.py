"""Public, read-only pages."""

from django.urls import path

from claims.views import public

app_name = "public"

urlpatterns = [
    path("", public.home, name="home"),
    # /verdicts/…
    path("verdicts/<slug:slug>/", public.verdict_detail, name="verdict"),
    # /speakers/…
    path("speakers/<slug:slug>/", public.speaker_detail, name="speaker"),
]

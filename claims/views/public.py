"""Public pages: only published verdicts are ever shown here."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from claims import selectors
from claims.claimreview import claim_review_script


@require_safe
def home(request: HttpRequest) -> TemplateResponse:
    verdicts = selectors.published_verdicts()[:20]
    return TemplateResponse(request, "public/home.html", {"verdicts": verdicts})


@require_safe
def verdict_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    verdict = selectors.public_verdict(slug)
    if verdict is None:
        raise Http404("No published verdict here.")
    return TemplateResponse(
        request,
        "public/verdict.html",
        {"verdict": verdict, "claim_review": claim_review_script(verdict)},
    )


@require_safe
def speaker_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    speaker = selectors.public_speaker(slug)
    if speaker is None:
        raise Http404("No such speaker.")
    verdicts = selectors.published_verdicts().filter(claim__speaker=speaker)
    return TemplateResponse(
        request, "public/speaker.html", {"speaker": speaker, "verdicts": verdicts}
    )

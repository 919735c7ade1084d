"""Staff review area: the queue, articles and claims. Reviewers and editors only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from claims import selectors
from claims.models import Article, Claim


def staff_required(view):
    """Anonymous visitors go to the login page; signed-in users without the role get 403."""
    return login_required(permission_required("claims.review_claim", raise_exception=True)(view))


@staff_required
def queue(request: HttpRequest) -> TemplateResponse:
    claims = selectors.review_claims().order_by("-checkworthiness", "-created_at")[:50]
    articles = selectors.review_articles()[:20]
    return TemplateResponse(request, "review/queue.html", {"claims": claims, "articles": articles})


@staff_required
def article_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    article = get_object_or_404(selectors.review_articles(), pk=pk)
    claims = selectors.review_claims().filter(article=article).order_by("start")
    return TemplateResponse(request, "review/article.html", {"article": article, "claims": claims})


@staff_required
def claim_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    claim = get_object_or_404(selectors.review_claims(), pk=pk)
    events = claim.events.select_related("actor")
    return TemplateResponse(
        request,
        "review/claim.html",
        {"claim": claim, "events": events, "Article": Article, "Claim": Claim},
    )

"""The JSON API (django-ninja, OpenAPI at /api/docs): public verdicts for anyone, claims and
articles for signed-in staff. Reads go through selectors; writes through services."""

# No `from __future__ import annotations` here: django-ninja reads the annotations at import.

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from claims import selectors
from claims.models import Article, Claim
from claims.services.articles import DuplicateArticle, article_submit_text, article_submit_url
from claims.services.errors import ServiceError

api = NinjaAPI(
    title="Factcheck API",
    version="1",
    description="Published fact-checks for anyone; claims and articles for newsroom staff.",
    urls_namespace="api",
)

NOT_STAFF = "You need the reviewer or editor role."
URL_OR_TEXT = "Give either the article's url or its text, not both."


def _require_reviewer(request: HttpRequest) -> None:
    if not request.user.has_perm("claims.review_claim"):
        raise HttpError(403, NOT_STAFF)


class RatingOut(Schema):
    name: str
    slug: str
    colour: str


class SpeakerOut(Schema):
    name: str
    role: str
    kind: str
    slug: str


class VerdictOut(Schema):
    slug: str
    url: str
    statement: str = Field(
        ...,
        alias="shown_statement",
        description="The claim as one sentence that stands on its own (ClaimReview's "
        "claimReviewed), as published.",
    )
    claim: str = Field(..., alias="claim.content", description="The words as the article has them.")
    speaker: SpeakerOut | None = Field(
        None, description="The speaker as published; empty for the outlet's own statements."
    )
    rating: RatingOut
    explanation: str
    published_at: datetime.datetime
    article_url: str | None = Field(None, alias="claim.article.url")

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_speaker(obj) -> dict | None:
        # The name, role and kind the editor approved (Verdict.take_snapshot), with the
        # address of the speaker's current record.
        if not obj.shown_speaker_kind:
            return None
        return {
            "name": obj.shown_speaker_name,
            "role": obj.shown_speaker_role,
            "kind": obj.shown_speaker_kind,
            "slug": obj.claim.speaker.slug if obj.claim.speaker_id else "",
        }


class VerdictFilter(Schema):
    q: str | None = Field(None, description="Words in the claim or the explanation.")
    rating: str | None = Field(None, description="Rating slug, e.g. false.")
    speaker: str | None = Field(None, description="Speaker slug.")


@api.get("/verdicts", response=list[VerdictOut], tags=["public"])
@paginate(LimitOffsetPagination)
def list_verdicts(request: HttpRequest, filters: Query[VerdictFilter]):
    """Published verdicts, newest first. Nothing unpublished is ever returned."""
    verdicts = selectors.published_verdicts()
    if filters.q:
        from django.db.models import Q

        verdicts = verdicts.filter(
            Q(claim__content__icontains=filters.q) | Q(explanation__icontains=filters.q)
        )
    if filters.rating:
        verdicts = verdicts.filter(rating__slug=filters.rating)
    if filters.speaker:
        verdicts = verdicts.filter(claim__speaker__slug=filters.speaker)
    return verdicts


@api.get("/verdicts/{slug}", response=VerdictOut, tags=["public"])
def get_verdict(request: HttpRequest, slug: str):
    verdict = selectors.public_verdict(slug)
    if verdict is None:
        raise HttpError(404, "No published verdict with this address.")
    return verdict


class ClaimOut(Schema):
    id: int
    article_id: int
    status: str
    kind: str
    speaker_text: str
    speaker: SpeakerOut | None = None
    cue: str
    content: str
    statement: str = Field(..., description="As written by a person or drafted; may be empty.")
    public_statement: str = Field(
        ...,
        alias="display_statement",
        description="The statement shown publicly: `statement`, or one composed from speaker, "
        "cue and content when that is empty.",
    )
    start: int
    end: int
    checkworthiness: float
    assignee: str | None = Field(None, alias="assignee.username")
    version: int


class ClaimFilter(Schema):
    status: Claim.Status | None = None
    article: int | None = None
    speaker: str | None = Field(None, description="Speaker slug.")
    min_score: float | None = Field(None, ge=0, le=1)


@api.get("/claims", response=list[ClaimOut], auth=django_auth, tags=["staff"])
@paginate(LimitOffsetPagination)
def list_claims(request: HttpRequest, filters: Query[ClaimFilter]):
    """Claims across articles, most check-worthy first."""
    _require_reviewer(request)
    claims = selectors.review_claims().order_by("-checkworthiness", "-id")
    if filters.status:
        claims = claims.filter(status=filters.status)
    if filters.article:
        claims = claims.filter(article_id=filters.article)
    if filters.speaker:
        claims = claims.filter(speaker__slug=filters.speaker)
    if filters.min_score is not None:
        claims = claims.filter(checkworthiness__gte=filters.min_score)
    return claims


@api.get("/claims/{claim_id}", response=ClaimOut, auth=django_auth, tags=["staff"])
def get_claim(request: HttpRequest, claim_id: int):
    _require_reviewer(request)
    return get_object_or_404(selectors.review_claims(), pk=claim_id)


class ArticleOut(Schema):
    id: int
    url: str | None
    kind: Article.Kind
    headline: str
    outlet: str = Field(..., alias="outlet_name")
    published_on: datetime.date | None
    status: Article.Status
    failure_reason: str
    claim_count: int

    @staticmethod
    def resolve_claim_count(obj) -> int:
        return obj.claims.count()


@api.get("/articles/{article_id}", response=ArticleOut, auth=django_auth, tags=["staff"])
def get_article(request: HttpRequest, article_id: int):
    """An article and where its ingest job stands (poll until ready or failed)."""
    _require_reviewer(request)
    return get_object_or_404(selectors.review_articles(), pk=article_id)


class ArticleIn(Schema):
    url: str | None = Field(None, description="The article's web address; fetched by a job.")
    text: str | None = Field(None, description="The article's text, pasted.")
    kind: Article.Kind = Field(
        Article.Kind.ARTICLE,
        description="'transcript' for a text of SPEAKER: text turns (pasted text only).",
    )
    moderators: str = Field(
        "", description="A transcript's moderators or hosts, comma-separated.", max_length=500
    )


class ArticleSubmitted(Schema):
    article: ArticleOut
    duplicate: bool = Field(..., description="True when the article was already here.")


@api.post(
    "/articles",
    response={200: ArticleSubmitted, 202: ArticleSubmitted, 400: dict},
    auth=django_auth,
    tags=["staff"],
)
def submit_article(request: HttpRequest, payload: ArticleIn):
    """Bring an article in by URL or text. 202: queued for its ingest job (poll
    `/api/articles/{id}`); 200: the same article was already here and is returned instead."""
    _require_reviewer(request)
    if bool(payload.url) == bool(payload.text):
        return Status(400, {"detail": URL_OR_TEXT})
    try:
        if payload.url:
            article = article_submit_url(url=payload.url, by=request.user)
        else:
            article = article_submit_text(
                text=payload.text or "",
                by=request.user,
                kind=payload.kind,
                moderators=payload.moderators,
            )
    except DuplicateArticle as duplicate:
        return Status(200, {"article": duplicate.article, "duplicate": True})
    except ServiceError as error:
        return Status(400, {"detail": error.message})
    article.refresh_from_db()
    return Status(202, {"article": article, "duplicate": False})

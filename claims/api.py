"""The JSON API (django-ninja, OpenAPI at /api/docs): public verdicts for anyone, claims and
articles for signed-in staff. Reads go through selectors; writes through services."""

# No `from __future__ import annotations` here: django-ninja reads the annotations at import.

import datetime
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.parser import Parser
from ninja.security import django_auth

from claims import selectors
from claims.fetching import describe_size
from claims.models import Article, Claim
from claims.services.articles import DuplicateArticle, article_submit_text, article_submit_url
from claims.services.errors import ServiceError
from claims.text_input import invalid_text_fields

NOT_STAFF = "You need the reviewer or editor role."
URL_OR_TEXT = "Give either the article's url or its text, not both."
URL_OR_TEXT_NEEDED = "Give the article's url or its text: one of the two is needed."
NOT_JSON_TYPE = (
    "Send the request body as JSON, with the header Content-Type: application/json "
    "(this one was {content_type})."
)
BODY_TOO_LARGE = (
    "The request body is larger than the {limit} limit (set by UPLOAD_MAX_BYTES); split the "
    "text into parts."
)
NOT_JSON = "The request body is not JSON in UTF-8: {error}."
INVALID_UNICODE = (
    "{fields} holds a character that is not valid Unicode (a lone surrogate, such as \\ud800); "
    "send the text as it is."
)


class BodyRefused(Exception):
    """A request body the API cannot read; `status` and `message` are what the client gets."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class JSONBodyParser(Parser):
    """Bodies are JSON (else 415) in UTF-8 (else 400), and their text is valid Unicode (else
    400), each refused with a sentence that says what to send instead. Without the last check
    a `"\\ud800"` in the JSON reaches the services and fails with a 500 where text is hashed."""

    def parse_body(self, request: HttpRequest):
        content_type = (request.content_type or "").lower()
        if content_type != "application/json":
            raise BodyRefused(415, NOT_JSON_TYPE.format(content_type=content_type or "not given"))
        try:
            data = json.loads(request.body)
        except ValueError as error:  # bad JSON, and bytes that are not UTF-8
            raise BodyRefused(400, NOT_JSON.format(error=error)) from None
        fields = list(invalid_text_fields(data))
        if fields:
            raise BodyRefused(400, INVALID_UNICODE.format(fields=", ".join(fields)))
        return data


api = NinjaAPI(
    title="Factcheck API",
    version="1",
    description="Published fact-checks for anyone; claims and articles for newsroom staff.",
    urls_namespace="api",
    parser=JSONBodyParser(),
)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja turns anything the parser raises into "Cannot parse request body"; give the
    client the parser's own status and sentence instead."""
    cause = exc.__cause__
    if isinstance(cause, BodyRefused):
        return api.create_response(request, {"detail": cause.message}, status=cause.status)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """Over DATA_UPLOAD_MAX_MEMORY_SIZE: Django's own answer is a bare 400."""
    limit = describe_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return api.create_response(request, {"detail": BODY_TOO_LARGE.format(limit=limit)}, status=413)


@api.exception_handler(RawPostDataException)
def body_read_as_a_form(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    """The CSRF check read a multipart body as a form, so it cannot be read again as JSON:
    it was not JSON in the first place."""
    content_type = (request.content_type or "").lower()
    return api.create_response(
        request, {"detail": NOT_JSON_TYPE.format(content_type=content_type)}, status=415
    )


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
    response={200: ArticleSubmitted, 202: ArticleSubmitted, 400: dict, 413: dict, 415: dict},
    auth=django_auth,
    tags=["staff"],
)
def submit_article(request: HttpRequest, payload: ArticleIn):
    """Bring an article in by URL or text. 202: queued for its ingest job (poll
    `/api/articles/{id}`); 200: the same article was already here and is returned instead."""
    _require_reviewer(request)
    if not payload.url and not payload.text:
        return Status(400, {"detail": URL_OR_TEXT_NEEDED})
    if payload.url and payload.text:
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

"""The JSON API (django-ninja, OpenAPI at /api/openapi.json, docs at /api/docs).

Public reads (published verdicts, speakers, the ClaimReview feed) are open to anyone, with a
rate limit on anonymous use. Staff endpoints take a signed-in session or a personal API token
(`Authorization: Bearer <token>`, made by `manage.py create_api_token` or in the admin) and
honour the same roles as the web pages. Every error is JSON: `{"detail": "…"}`.

Reads go through selectors (the public ones never return anything unpublished); writes through
the services, exactly as the review pages do.
"""

# No `from __future__ import annotations` here: django-ninja reads the annotations at import.

import dataclasses
import datetime
import functools
import json
import threading
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.pagination import PaginationBase, paginate
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth
from ninja.throttling import BaseThrottle

from claims import selectors
from claims.claimreview import claim_review
from claims.fetching import describe_size
from claims.models import Article, Claim, Evidence, VerdictRating
from claims.services import verdicts as verdict_services
from claims.services.api_tokens import api_token_user
from claims.services.articles import DuplicateArticle, article_submit_text, article_submit_url
from claims.services.errors import PermissionRefused, ServiceError, StaleVersion
from claims.text_input import invalid_text_fields

NOT_STAFF = "You need the reviewer or editor role."
URL_OR_TEXT = "Give either the article's url or its text, not both."
URL_OR_TEXT_NEEDED = "Give the article's url or its text: one of the two is needed."
DETAILS_WITH_TEXT_ONLY = (
    "original_url, outlet and published_on go with the article's text; a url's page says "
    "where and when it was published itself."
)
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

BAD_TOKEN = "This API token is not valid, or it was revoked."  # noqa: S105 - a message
SIGN_IN = "Sign in, or send an API token: 'Authorization: Bearer <token>'."
TOO_MANY = "Too many requests without an API token; try again in {seconds} seconds."
NO_SUCH_VERDICT = "No published verdict with this address."
NO_SUCH_SPEAKER = "No speaker with published verdicts at this address."
NO_SUCH_CLAIM = "There is no claim number {claim_id}."
NO_SUCH_RATING = "There is no rating called {slug!r}; see GET /api/ratings."


class AnonymousRateLimit(BaseThrottle):
    """Anonymous callers get API_ANON_RATE_LIMIT requests per address (the `limits` library's
    moving window, counted where RATE_LIMIT_STORAGE_URL says: per process, or shared in Redis).
    Signed-in users and token holders are not limited here: they are known and accountable."""

    def __init__(self) -> None:
        self._local = threading.local()  # one instance serves every thread's requests

    def allow_request(self, request: HttpRequest) -> bool:
        rate = settings.API_ANON_RATE_LIMIT
        self._local.wait = None
        if not rate or _caller(request) is not None:
            return True
        from limits import parse

        item = parse(rate)
        limiter = _limiter(settings.RATE_LIMIT_STORAGE_URL)
        ident = self.get_ident(request) or "unknown"
        if limiter.hit(item, "api-anonymous", ident):
            return True
        reset_at = limiter.get_window_stats(item, "api-anonymous", ident).reset_time
        self._local.wait = max(1.0, reset_at - time.time())
        return False

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


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


@functools.cache
def _limiter(storage_url: str):
    from limits import storage, strategies

    return strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_url))


def _caller(request: HttpRequest):
    """The signed-in user or the live token's user, if any (without refusing anything)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return api_token_user(token.strip())
    return None


api = NinjaAPI(
    title="Factcheck API",
    version="1",
    description=(
        "Published fact-checks for anyone (rate-limited without a token); claims, evidence, "
        "articles and verdict proposals for newsroom staff, with a session or a personal API "
        'token sent as `Authorization: Bearer <token>`. Errors are JSON: `{"detail": …}`.'
    ),
    urls_namespace="api",
    throttle=[AnonymousRateLimit()],
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


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(request, {"detail": SIGN_IN}, status=401)


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled):
    seconds = int(exc.wait or 60)
    return api.create_response(request, {"detail": TOO_MANY.format(seconds=seconds)}, status=429)


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: the token's user, with their roles."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(token.strip())
        if user is None:
            raise HttpError(401, BAD_TOKEN)
        request.user = user  # the role checks below and the services read request.user
        return user


STAFF_AUTH = [BearerToken(), django_auth]


def _require_reviewer(request: HttpRequest) -> None:
    if not request.user.has_perm("claims.review_claim"):
        raise HttpError(403, NOT_STAFF)


class Error(Schema):
    detail: str = Field(..., description="What went wrong, for a person to read.")


class InvalidInput(Schema):
    detail: list[dict[str, Any]] = Field(
        ..., description="Each input that was refused: where (`loc`) and why (`msg`)."
    )


# Every operation may refuse its input (422) or an anonymous caller over the limit (429).
COMMON = {422: InvalidInput, 429: Error}


# Text that PostgreSQL cannot hold (a NUL character) is refused as invalid input (422), before
# it reaches a query.
NO_NUL = r"^[^\x00]*$"
SLUG = Path(..., max_length=120, pattern=r"^[-a-zA-Z0-9_]+$")


# --- pagination ------------------------------------------------------------------------------


class Page(PaginationBase):
    """`limit` (1–100) and `offset`; `count` is exact up to 1,000 and says "1,001" beyond, as
    the public pages do: counting every match would read them all (claims/selectors.py)."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100)
        offset: int = Field(0, ge=0, le=selectors.PUBLIC_COUNT_LIMIT)

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="Matches, counted up to 1,001.")
        count_is_capped: bool = Field(..., description="True when there are more than 1,000.")

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request, **params):
        count = selectors.capped_count(queryset)
        start = pagination.offset
        return {
            "items": list(queryset[start : start + pagination.limit]),
            "count": count,
            "count_is_capped": count > selectors.PUBLIC_COUNT_LIMIT,
        }


# --- public: verdicts, speakers, ratings, the ClaimReview feed ------------------------------


class RatingOut(Schema):
    name: str
    slug: str
    colour: str


class RatingDetailOut(RatingOut):
    description: str
    published: int = Field(..., description="Published verdicts with this rating.")


@dataclasses.dataclass
class PublishedSpeaker:
    """A speaker as a published verdict shows them (its snapshot), linked to their record."""

    name: str
    role: str
    kind: str
    slug: str

    def get_absolute_url(self) -> str:
        return reverse("public:speaker", args=[self.slug]) if self.slug else ""


class SpeakerOut(Schema):
    name: str
    role: str
    kind: str
    slug: str
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class SpeakerListOut(SpeakerOut):
    verdict_count: int = Field(0, description="Published verdicts of this speaker.")

    @staticmethod
    def resolve_verdict_count(obj) -> int:
        return getattr(obj, "verdict_count", None) or 0


class SpeakerRecordOut(SpeakerOut):
    ratings: list[RatingDetailOut]


class VerdictOut(Schema):
    slug: str
    url: str
    statement: str = Field(
        ...,
        alias="shown_statement",
        description="The claim as one sentence that stands on its own (ClaimReview's "
        "claimReviewed), as published.",
    )
    claim: str = Field(..., alias="shown_quote", description="The words as the article has them.")
    speaker: SpeakerOut | None = Field(
        None, description="The speaker as published; empty for the outlet's own statements."
    )
    rating: RatingOut = Field(..., alias="published_rating")
    explanation: str = Field(..., alias="published_explanation")
    published_at: datetime.datetime
    under_review: bool = Field(
        False,
        description="Reopened for rework: this is the version last published, and a change, "
        "once approved, is listed in the page's corrections.",
    )
    article_url: str | None = Field(None, alias="claim.article.url")
    outlet: str = Field("", description="Where the claim appeared.")

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_speaker(obj) -> PublishedSpeaker | None:
        # The name, role and kind the editor approved (Verdict.take_snapshot), with the
        # address of the speaker's current record.
        if not obj.shown_speaker_kind:
            return None
        return PublishedSpeaker(
            name=obj.shown_speaker_name,
            role=obj.shown_speaker_role,
            kind=obj.shown_speaker_kind,
            slug=obj.published_speaker.slug if obj.published_speaker_id else "",
        )

    @staticmethod
    def resolve_under_review(obj) -> bool:
        return obj.claim.status != obj.claim.Status.PUBLISHED

    @staticmethod
    def resolve_outlet(obj) -> str:
        return obj.claim.article.outlet_name or ""


class VerdictFilter(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        pattern=NO_NUL,
        description="Words in the claim, the explanation or the speaker.",
    )
    rating: str | None = Field(
        None, max_length=100, pattern=NO_NUL, description="Rating slug, e.g. false."
    )
    speaker: str | None = Field(None, max_length=100, pattern=NO_NUL, description="Speaker slug.")
    outlet: str | None = Field(
        None, max_length=200, pattern=NO_NUL, description="Outlet name or source slug."
    )
    date_from: datetime.date | None = Field(None, description="Published on or after.")
    date_to: datetime.date | None = Field(None, description="Published on or before.")

    def to_filters(self) -> selectors.VerdictFilters:
        return selectors.VerdictFilters(
            q=" ".join((self.q or "").split()),
            rating=self.rating or "",
            speaker=self.speaker or "",
            outlet=(self.outlet or "").strip(),
            date_from=self.date_from,
            date_to=self.date_to,
        )


@api.get("/verdicts", response={200: list[VerdictOut], **COMMON}, tags=["public"])
@paginate(Page)
def list_verdicts(request: HttpRequest, filters: Query[VerdictFilter]):
    """Published verdicts, newest first, with the filters of /verdicts/. Nothing unpublished
    is ever returned."""
    return selectors.public_verdict_list(filters.to_filters())


@api.get("/verdicts/{slug}", response={200: VerdictOut, 404: Error, **COMMON}, tags=["public"])
def get_verdict(request: HttpRequest, slug: str = SLUG):
    verdict = selectors.public_verdict(slug)
    if verdict is None:
        raise HttpError(404, NO_SUCH_VERDICT)
    return verdict


class SpeakerFilter(Schema):
    q: str | None = Field(
        None, max_length=200, pattern=NO_NUL, description="Words in the name or role."
    )


@api.get("/speakers", response={200: list[SpeakerListOut], **COMMON}, tags=["public"])
@paginate(Page)
def list_speakers(request: HttpRequest, filters: Query[SpeakerFilter]):
    """Speakers with at least one published verdict, by name."""
    return selectors.public_speakers(" ".join((filters.q or "").split()))


@api.get(
    "/speakers/{slug}", response={200: SpeakerRecordOut, 404: Error, **COMMON}, tags=["public"]
)
def get_speaker(request: HttpRequest, slug: str = SLUG):
    """A speaker's record: published verdicts per rating (GET /api/verdicts?speaker= lists
    them)."""
    speaker = selectors.public_speaker(slug)
    if speaker is None:
        raise HttpError(404, NO_SUCH_SPEAKER)
    speaker.ratings = [
        {**_rating(rating), "published": count}
        for rating, count in selectors.public_rating_counts(speaker=speaker)
    ]
    return speaker


def _rating(rating: VerdictRating) -> dict[str, str]:
    return {
        "name": rating.name,
        "slug": rating.slug,
        "colour": rating.colour,
        "description": rating.description,
    }


@api.get("/ratings", response={200: list[RatingDetailOut], **COMMON}, tags=["public"])
def list_ratings(request: HttpRequest):
    """The verdict scale, in order, with how many published verdicts carry each rating."""
    return [
        {**_rating(rating), "published": count}
        for rating, count in selectors.public_rating_counts()
    ]


@api.get("/claimreview", response={200: list[dict[str, Any]], **COMMON}, tags=["public"])
@paginate(Page)
def list_claim_reviews(request: HttpRequest):
    """Published verdicts as schema.org ClaimReview objects (the same as the verdict pages'
    JSON-LD and /claimreview.json's elements), newest first, a page at a time."""
    return _ClaimReviews(selectors.claim_review_feed_verdicts())


class _ClaimReviews:
    """A queryset of verdicts that pages like one and gives ClaimReview objects."""

    def __init__(self, verdicts: QuerySet) -> None:
        self.verdicts = verdicts

    def all(self):
        return self.verdicts

    def order_by(self, *args):
        return self.verdicts.order_by(*args)

    def __getitem__(self, window: slice) -> list[dict]:
        return [claim_review(verdict) for verdict in self.verdicts[window]]


# --- staff: claims, evidence, verdict proposals, articles ------------------------------------


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
    version: int = Field(..., description="Send it back with a change, to detect edit clashes.")


class ClaimFilter(Schema):
    status: Claim.Status | None = None
    article: int | None = Field(None, ge=1, le=2**63 - 1)
    speaker: str | None = Field(None, max_length=100, pattern=NO_NUL, description="Speaker slug.")
    min_score: float | None = Field(None, ge=0, le=1)


STAFF_ERRORS = {401: Error, 403: Error, **COMMON}


@api.get("/claims", response={200: list[ClaimOut], **STAFF_ERRORS}, auth=STAFF_AUTH, tags=["staff"])
@paginate(Page)
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


def _claim(claim_id: int) -> Claim:
    claim = selectors.review_claims().filter(pk=claim_id).first()
    if claim is None:
        raise HttpError(404, NO_SUCH_CLAIM.format(claim_id=claim_id))
    return claim


ClaimId = Path(..., ge=1, le=2**63 - 1)


@api.get(
    "/claims/{claim_id}",
    response={200: ClaimOut, 404: Error, **STAFF_ERRORS},
    auth=STAFF_AUTH,
    tags=["staff"],
)
def get_claim(request: HttpRequest, claim_id: int = ClaimId):
    _require_reviewer(request)
    return _claim(claim_id)


class EvidenceOut(Schema):
    id: int
    url: str
    title: str
    outlet: str | None = Field(None, alias="outlet.name")
    published_on: datetime.date | None
    stance: Evidence.Stance
    suggested_stance: str
    passage: str
    score: float | None
    origin: str
    fetch_status: str
    link_status: str
    created_at: datetime.datetime


@api.get(
    "/claims/{claim_id}/evidence",
    response={200: list[EvidenceOut], 404: Error, **STAFF_ERRORS},
    auth=STAFF_AUTH,
    tags=["staff"],
)
@paginate(Page)
def list_evidence(request: HttpRequest, claim_id: int = ClaimId):
    """The claim's evidence: links found by the search jobs or added by hand, best first."""
    _require_reviewer(request)
    claim = _claim(claim_id)
    return (
        Evidence.objects.filter(claim=claim)
        .select_related("outlet")
        .defer("snapshot")
        .order_by("-score", "id")
    )


class VerdictIn(Schema):
    rating: str = Field(
        ..., max_length=100, pattern=NO_NUL, description="Rating slug (GET /api/ratings)."
    )
    explanation: str = Field(..., min_length=1, max_length=20000, pattern=NO_NUL)
    evidence: list[int] = Field(
        default_factory=list, max_length=100, description="Ids of the claim's evidence it rests on."
    )
    version: int | None = Field(
        None, ge=0, le=2**63 - 1, description="The claim's version you read; a newer one is 409."
    )


class VerdictProposed(Schema):
    claim_id: int
    status: str = Field(..., alias="claim.status")
    rating: RatingOut
    explanation: str
    evidence: list[int]
    version: int = Field(..., alias="claim.version")

    @staticmethod
    def resolve_evidence(obj) -> list[int]:
        return sorted(obj.evidence.values_list("pk", flat=True))


@api.post(
    "/claims/{claim_id}/verdict",
    response={
        200: VerdictProposed,
        400: Error,
        404: Error,
        409: Error,
        413: Error,
        415: Error,
        **STAFF_ERRORS,
    },
    auth=STAFF_AUTH,
    tags=["staff"],
)
def propose_verdict(request: HttpRequest, payload: VerdictIn, claim_id: int = ClaimId):
    """Propose a verdict on a claim in review: it goes to an editor for approval (another
    person must approve it before anything is published)."""
    _require_reviewer(request)
    claim = _claim(claim_id)
    rating = VerdictRating.objects.filter(slug=payload.rating).first()
    if rating is None:
        return Status(400, {"detail": NO_SUCH_RATING.format(slug=payload.rating)})
    evidence = list(Evidence.objects.filter(claim=claim, pk__in=payload.evidence))
    try:
        verdict = verdict_services.verdict_submit(
            claim=claim,
            by=request.user,
            rating=rating,
            explanation=payload.explanation,
            evidence=evidence,
            expected_version=payload.version,
        )
    except StaleVersion as error:
        return Status(409, {"detail": error.message})
    except PermissionRefused as error:
        return Status(403, {"detail": error.message})
    except ServiceError as error:
        return Status(400, {"detail": error.message})
    verdict.claim.refresh_from_db()
    return verdict


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
    waiting_for_job_queue: bool = Field(
        ...,
        description="True while the article is saved but its job has not reached the job "
        "queue (it could not be reached); the job is sent as soon as it is back.",
    )

    @staticmethod
    def resolve_claim_count(obj) -> int:
        return obj.claims.count()


@api.get(
    "/articles/{article_id}",
    response={200: ArticleOut, 404: Error, **STAFF_ERRORS},
    auth=STAFF_AUTH,
    tags=["staff"],
)
def get_article(request: HttpRequest, article_id: int = Path(..., ge=1, le=2**63 - 1)):
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
    original_url: str = Field(
        "",
        max_length=2000,
        description="Text only: the address it was published at. An article already at that "
        "address makes this a duplicate (a failed one is tried again with this text).",
    )
    outlet: str = Field(
        "",
        max_length=200,
        description="Text only: the outlet that published it (a source of that name, else the "
        "address's domain, is linked).",
    )
    published_on: datetime.date | None = Field(
        None, description="Text only: the day it was published (YYYY-MM-DD), not in the future."
    )


class ArticleSubmitted(Schema):
    article: ArticleOut
    duplicate: bool = Field(..., description="True when the article was already here.")


@api.post(
    "/articles",
    response={
        200: ArticleSubmitted,
        202: ArticleSubmitted,
        400: Error,
        413: Error,
        415: Error,
        **STAFF_ERRORS,
    },
    auth=STAFF_AUTH,
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
    if payload.url and (payload.original_url or payload.outlet or payload.published_on):
        return Status(400, {"detail": DETAILS_WITH_TEXT_ONLY})
    try:
        if payload.url:
            article = article_submit_url(url=payload.url, by=request.user)
        else:
            article = article_submit_text(
                text=payload.text or "",
                by=request.user,
                kind=payload.kind,
                moderators=payload.moderators,
                original_url=payload.original_url,
                outlet=payload.outlet,
                published_on=payload.published_on,
            )
    except DuplicateArticle as duplicate:
        return Status(200, {"article": duplicate.article, "duplicate": True})
    except ServiceError as error:
        return Status(400, {"detail": error.message})
    article.refresh_from_db()
    return Status(202, {"article": article, "duplicate": False})

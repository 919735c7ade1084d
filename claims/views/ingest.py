"""Bringing articles in: the ingest page (URL, paste, upload), the job's status, retry."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import selectors
from claims.fetching import describe_size
from claims.forms.ingest import INGEST_FORMS
from claims.models import Article
from claims.services import articles as article_services
from claims.services.errors import ServiceError
from claims.views.review import HtmxHttpRequest, staff_required

ARTICLE_QUEUED = "The article is being ingested; its claims appear here when it is done."
WAITING_FOR_JOB_QUEUE = (
    "The article is saved, but the job queue cannot be reached just now: its job is sent as "
    "soon as the queue is back, and its claims appear here when it is done."
)
ARTICLE_RETRIED = "The article is queued again; claims a person has changed are kept."
ARTICLE_READY = "The article is ingested: {claims}."
ARTICLE_NEEDS_REVIEW = "The article is ingested, but needs a look before its claims are relied on."
ARTICLE_FAILED = "The article could not be ingested; the reason is below."
ALREADY_HERE = "This article is already here; you have been taken to it."
ADDRESS_ALREADY_HERE = 'An article with this address is already here: <a href="{}">{}</a>.'


# The CSRF check is made below, once the body is known to fit: the middleware reads the form
# first, and a body over DATA_UPLOAD_MAX_MEMORY_SIZE would get Django's bare "400 Bad Request".
@csrf_exempt
@require_http_methods(["GET", "POST"])
@staff_required
def article_new(request: HtmxHttpRequest):
    if request.method == "POST" and _body_too_large(request):
        # Nothing is read or changed, so no token is needed to say so.
        forms = _ingest_forms()
        forms["paste"].cleaned_data = {}  # an unbound form takes an error once it has this
        forms["paste"].add_error(
            None,
            article_services.PASTE_TOO_LARGE.format(
                limit=describe_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            ),
        )
        return _ingest_page(request, forms, "paste", status=413)
    return _article_new(request)


def _body_too_large(request: HtmxHttpRequest) -> bool:
    try:
        request.POST  # noqa: B018 - reading it is the check
    except RequestDataTooBig:
        return True
    return False


def _ingest_forms() -> dict:
    # Each tab's form has its own ids: the paste and upload forms share field names.
    return {kind: form_class(auto_id=f"id_{kind}_%s") for kind, form_class in INGEST_FORMS.items()}


@csrf_protect
def _article_new(request: HtmxHttpRequest):
    tab = request.POST.get("kind") or request.GET.get("tab") or "url"
    if tab not in INGEST_FORMS:
        tab = "url"
    forms = _ingest_forms()
    if request.method == "POST":
        form = INGEST_FORMS[tab](request.POST, request.FILES, auto_id=f"id_{tab}_%s")
        forms[tab] = form
        if form.is_valid():
            try:
                article = _submit(tab, form, request)
            except article_services.DuplicateUrl as duplicate:
                # The text given may differ from the article's: the person decides what to do.
                existing = duplicate.article
                form.add_error(
                    "original_url",
                    format_html(ADDRESS_ALREADY_HERE, existing.get_absolute_url(), str(existing)),
                )
            except article_services.DuplicateArticle as duplicate:
                messages.info(request, ALREADY_HERE)
                return redirect(duplicate.article)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                # With inline tasks the job has already run and may have found a duplicate.
                article.refresh_from_db()
                if article.duplicate_of_id:
                    messages.info(request, ALREADY_HERE)
                    return redirect(article.duplicate_of)
                _say_how_the_ingest_stands(request, article)
                return redirect(article)
    return _ingest_page(request, forms, tab)


def _ingest_page(request: HtmxHttpRequest, forms: dict, tab: str, status: int = 200):
    context = {"forms": forms, "tab": tab, "outlet_names": selectors.outlet_names()}
    return TemplateResponse(request, "review/article_new.html", context, status=status)


def _submit(kind: str, form, request: HtmxHttpRequest) -> Article:
    data = form.cleaned_data
    if kind == "url":
        return article_services.article_submit_url(url=data["url"], by=request.user)
    if kind == "paste":
        return article_services.article_submit_text(
            text=data["text"], by=request.user, **form.submit_options(), **form.published_options()
        )
    upload = data["file"]
    return article_services.article_submit_upload(
        filename=upload.name,
        content=upload.read(),
        by=request.user,
        **form.submit_options(),
        **form.published_options(),
    )


@require_GET
@staff_required
def article_status(request: HtmxHttpRequest, pk: int) -> TemplateResponse:
    """The status fragment that the article page polls while the job runs."""
    article = get_object_or_404(Article.objects.select_related("duplicate_of"), pk=pk)
    context = {
        "article": article,
        "abandoned": article_services.article_ingest_abandoned(article=article),
    }
    response = TemplateResponse(request, "review/_article_status.html", context)
    if request.htmx and article.is_finished:
        # The page was polling, so it shows an unfinished article: load it again, finished.
        if article.duplicate_of_id:
            messages.info(request, ALREADY_HERE)
            response["HX-Redirect"] = article.duplicate_of.get_absolute_url()
        else:
            response["HX-Refresh"] = "true"
    return response


@require_POST
@staff_required
def article_retry(request: HtmxHttpRequest, pk: int):
    article = get_object_or_404(Article, pk=pk)
    try:
        article_services.article_retry(article=article, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        article.refresh_from_db()
        if article.is_finished:  # the job has run already (inline tasks)
            _say_how_the_ingest_stands(request, article)
        elif article.waiting_for_job_queue:
            messages.warning(request, WAITING_FOR_JOB_QUEUE)
        else:
            messages.success(request, ARTICLE_RETRIED)
    return redirect(article)


def _say_how_the_ingest_stands(request: HtmxHttpRequest, article: Article) -> None:
    """The flash message for the article as it is now, after the enqueue.

    With inline tasks (the demo, `make run`) the job has finished by the time the page loads,
    and with a fast worker it may have too: "being ingested" above a Ready article would say
    the opposite of the page.
    """
    if article.status == Article.Status.READY:
        count = article.claims.count()
        claims = f"{count} claim{'' if count == 1 else 's'} found" if count else "no claims found"
        messages.success(request, ARTICLE_READY.format(claims=claims))
    elif article.status == Article.Status.NEEDS_REVIEW:
        messages.warning(request, ARTICLE_NEEDS_REVIEW)
    elif article.status == Article.Status.FAILED:
        messages.error(request, ARTICLE_FAILED)
    elif article.waiting_for_job_queue:
        messages.warning(request, WAITING_FOR_JOB_QUEUE)
    else:
        messages.success(request, ARTICLE_QUEUED)

"""Staff review area, the pages: queue, article, claim. Reviewers and editors only.

The actions that change a claim are in `claim_actions.py`; both render the claim panel from
`claim_panel_response` so that a page load, an htmx swap and a refused save look the same.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from claims import selectors
from claims.forms import review as review_forms
from claims.forms.review import BulkActionForm
from claims.models import Article, Claim, Evidence, VerdictCorrection
from claims.services.errors import StaleVersion
from claims.views.access import editor_required, staff_required  # noqa: F401 (imported from here)

# Where the queue's pages start; dropped from links that change the filters. `page` is what
# numbered pages used to be called, so old links open the first page.
PAGE_KEYS = ("after", "before", "page")
RECENT_ARTICLES = 8


class HtmxHttpRequest(HttpRequest):
    """The request as django-htmx's middleware leaves it, for type checkers."""

    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """An htmx swap asks for the partial; a history restore (back button with an empty cache)
    and a boosted link need the whole page."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def _get_article(pk: int) -> Article:
    return get_object_or_404(selectors.review_articles(), pk=pk)


@require_safe
@vary_on_headers("HX-Request")
@staff_required
def queue(request: HtmxHttpRequest) -> TemplateResponse:
    form = review_forms.QueueFilterForm(request.GET or None)
    filters = form.to_filters()
    page = selectors.review_queue_page(
        filters,
        request.user,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    counts = selectors.review_queue_counts(filters, request.user)
    is_editor = request.user.has_perm("claims.approve_verdict")
    query = request.GET.copy()
    for key in PAGE_KEYS:
        query.pop(key, None)
    status_query = query.copy()
    status_query.pop("status", None)
    template_name = "review/queue.html"
    fragment = wants_fragment(request)
    if fragment:
        template_name += "#queue-results"
    return TemplateResponse(
        request,
        template_name,
        {
            "form": form,
            "filters": filters,
            "page": page,
            "counts": [
                (
                    value,
                    label,
                    counts.counts[value] if counts.split_known else None,
                    value in counts.capped,
                )
                for value, label in Claim.Status.choices
            ],
            "total": counts.total,
            "total_capped": counts.total_capped,
            "query": query.urlencode(),
            "status_query": status_query.urlencode(),
            "recent_articles": form.recent_articles[:RECENT_ARTICLES],
            "options": form.options(),
            # The bulk bar's lists, from what the filter form read already.
            "staff": form.staff,
            "dismiss_reasons": BulkActionForm.base_fields["reason"].choices,
            "views": selectors.queue_views(request.user, is_editor=is_editor),
            # What waits for an editor besides verdicts (their count is the status tab's).
            "corrections_waiting": selectors.corrections_waiting_count() if is_editor else None,
            "count_cap": selectors.QUEUE_COUNT_CAP,
            "current_query": selectors.queue_filter_query(request.GET),
            "fragment": fragment,
        },
    )


@require_safe
@vary_on_headers("HX-Request")
@staff_required
def article_detail(request: HtmxHttpRequest, pk: int) -> TemplateResponse:
    return article_page_response(request, _get_article(pk))


def article_page_response(
    request: HtmxHttpRequest,
    article: Article,
    *,
    manual_form: review_forms.ManualClaimForm | None = None,
    status: int = 200,
) -> TemplateResponse:
    """The article with its claims highlighted; `?claim=` opens one claim beside the text."""
    claims = list(selectors.article_claims(article))
    context: dict[str, object] = {
        "article": article,
        "claims": claims,
        "manual_form": manual_form or review_forms.ManualClaimForm(),
        "speaker_names": selectors.speaker_names(),
        "status_counts": _status_counts(claims),
        "candidates": _open_candidates(article, claims),
    }
    selected = request.GET.get("claim")
    if selected and selected.isdigit():
        claim = selectors.review_claim(int(selected))
        if claim is not None and claim.article_id == article.pk:
            context.update(claim_panel_context(request, claim))
    template_name = "review/article.html"
    if wants_fragment(request):
        template_name += "#article-side"
    return TemplateResponse(request, template_name, context, status=status)


def _open_candidates(article: Article, claims: list[Claim]) -> list[dict]:
    """Sentences offered at ingest that still have no claim, with their text."""
    text = article.text
    open_ones = []
    for candidate in article.candidates or []:
        start, end = candidate.get("start", 0), candidate.get("end", 0)
        if not 0 <= start < end <= len(text):
            continue
        if any(start < claim.end and claim.start < end for claim in claims):
            continue
        open_ones.append({**candidate, "text": text[start:end]})
    return open_ones


def _status_counts(claims: list[Claim]) -> list[tuple[str, str, int]]:
    counts = {value: 0 for value in Claim.Status.values}
    for claim in claims:
        counts[claim.status] += 1
    return [(value, label, counts[value]) for value, label in Claim.Status.choices]


@require_safe
@vary_on_headers("HX-Request")
@staff_required
def claim_detail(request: HtmxHttpRequest, pk: int) -> TemplateResponse:
    claim = selectors.review_claim(pk)
    if claim is None:
        raise Http404("No such claim.")
    return claim_panel_response(request, claim)


@require_GET
@staff_required
def evidence_item(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One piece of evidence, which the claim panel polls for while its page is fetched."""
    evidence = get_object_or_404(Evidence.objects.select_related("outlet", "claim"), pk=pk)
    claim = evidence.claim
    if not request.htmx:
        return redirect(claim)
    return TemplateResponse(
        request,
        "review/_evidence_item.html",
        {
            "item": evidence,
            "claim": claim,
            "stances": Evidence.Stance.choices,
            "next_url": claim.get_absolute_url(),
        },
    )


@require_GET
@staff_required
def claim_evidence(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The claim's evidence section, which loads itself again when a search finishes."""
    claim = selectors.review_claim(pk)
    if claim is None:
        raise Http404("No such claim.")
    if not request.htmx:
        return redirect(claim)
    return TemplateResponse(
        request, "review/_evidence_section.html", claim_panel_context(request, claim)
    )


@require_GET
@staff_required
def claim_corroboration(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The evidence search's status line, which the claim page polls while a search runs."""
    claim = get_object_or_404(selectors.claim_with_evidence(), pk=pk)
    if not request.htmx:
        return redirect(claim)
    return corroboration_status_response(request, claim)


def corroboration_status_response(
    request: HtmxHttpRequest, claim: Claim, *, status: int = 200, error: str = ""
) -> TemplateResponse:
    """The status line; once the search is over it tells the page to reload the evidence."""
    summary = selectors.claim_evidence_summary(claim)
    response = TemplateResponse(
        request,
        "review/_corroboration_status.html",
        {
            "claim": claim,
            "summary": summary,
            "can_search": claim.status not in UNSEARCHABLE,
            "next_url": _next_url(request, claim),
            "search_error": error,
        },
        status=status,
    )
    if summary.run is not None and not summary.run.is_active:
        response["HX-Trigger"] = "corroboration-finished"
    return response


# The claim panel: shared by the claim page, the article page's side panel and every action.

# Claims the evidence search does not run for (see claims.services.corroboration).
UNSEARCHABLE = frozenset({Claim.Status.DISMISSED, Claim.Status.PUBLISHED})

FORM_CLASSES: dict[str, type[review_forms.VersionedForm]] = {
    "edit": review_forms.ClaimEditForm,
    "speaker": review_forms.SpeakerForm,
    "move": review_forms.MoveForm,
    "dismiss": review_forms.DismissForm,
    "assign": review_forms.AssignForm,
    "schedule": review_forms.ScheduleForm,
    "split": review_forms.SplitForm,
    "merge": review_forms.MergeForm,
    "evidence": review_forms.EvidenceAddForm,
    "stance": review_forms.StanceForm,
    "verdict": review_forms.VerdictForm,
    "withdraw": review_forms.WithdrawForm,
    "approve": review_forms.ApproveForm,
    "return": review_forms.ReturnForm,
    "correct": review_forms.CorrectForm,
    "correction_approve": review_forms.CorrectionApproveForm,
    "correction_reject": review_forms.CorrectionRejectForm,
    "unpublish": review_forms.UnpublishForm,
}


def _initial(claim: Claim, key: str) -> dict[str, object]:
    initial: dict[str, object] = {"version": claim.version}
    verdict = getattr(claim, "verdict", None) if hasattr(claim, "verdict") else None
    if key == "edit":
        initial.update(
            statement=claim.statement,
            content=claim.content,
            kind=claim.kind,
            checkworthiness=claim.checkworthiness,
        )
    elif key == "speaker" and claim.speaker is not None:
        initial.update(
            name=claim.speaker.name, role=claim.speaker.role, speaker_kind=claim.speaker.kind
        )
    elif key == "assign":
        initial["assignee"] = claim.assignee_id
    elif key == "schedule":
        initial.update(due_on=claim.due_on, priority=claim.priority)
    elif key in {"verdict", "correct"} and verdict is not None:
        initial.update(rating=verdict.rating_id, explanation=verdict.explanation)
        if key == "verdict":
            initial["evidence"] = [e.pk for e in verdict.evidence.all()]
            initial["evidence_note"] = verdict.evidence_note
    return initial


def _make_form(claim: Claim, key: str, data=None) -> review_forms.VersionedForm:
    form_class = FORM_CLASSES[key]
    kwargs: dict[str, object] = {}
    if key in {"merge", "verdict"}:
        kwargs["claim"] = claim
    if data is None:
        return form_class(initial=_initial(claim, key), prefix=key, **kwargs)
    return form_class(data, prefix=key, **kwargs)


def _verdict_or_none(claim: Claim):
    try:
        return claim.verdict
    except Claim.verdict.RelatedObjectDoesNotExist:
        return None


def claim_panel_context(
    request: HtmxHttpRequest,
    claim: Claim,
    *,
    forms: dict[str, object] | None = None,
    conflict: dict[str, object] | None = None,
    open_form: str = "",
) -> dict[str, object]:
    user = request.user
    verdict = _verdict_or_none(claim)
    all_forms: dict[str, object] = {key: _make_form(claim, key) for key in FORM_CLASSES}
    all_forms["comment"] = review_forms.CommentForm(prefix="comment")
    all_forms.update(forms or {})
    can_approve = user.has_perm("claims.approve_verdict")
    corrections = list(verdict.corrections.all()) if verdict is not None else []
    pending = next((c for c in corrections if c.status == VerdictCorrection.Status.PROPOSED), None)
    return {
        "summary": selectors.claim_evidence_summary(claim),
        "can_search": claim.status not in UNSEARCHABLE,
        "claim": claim,
        "verdict": verdict,
        "forms": all_forms,
        "conflict": conflict,
        "open_form": open_form,
        "can_approve": can_approve,
        "is_author": verdict is not None and verdict.author_id == user.pk,
        "corrections": corrections,
        "pending_correction": pending,
        "proposed_it": pending is not None and pending.corrected_by_id == user.pk,
        "failed_evidence": [
            item
            for item in claim.evidence.all()
            if item.fetch_status == Evidence.FetchStatus.FAILED
        ],
        "stances": Evidence.Stance.choices,
        "speaker_names": selectors.speaker_names(),
        "Status": Claim.Status,
        "next_url": _next_url(request, claim),
    }


def _next_url(request: HtmxHttpRequest, claim: Claim) -> str:
    """Where a form without JavaScript returns to: the page the person is on."""
    candidate = request.POST.get("next") or ""
    if not candidate and request.method == "GET":
        candidate = request.get_full_path()
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return claim.get_absolute_url()


def claim_panel_response(
    request: HtmxHttpRequest,
    claim: Claim,
    *,
    status: int = 200,
    forms: dict[str, object] | None = None,
    conflict: dict[str, object] | None = None,
    open_form: str = "",
) -> TemplateResponse:
    template_name = "review/claim.html"
    if wants_fragment(request):
        template_name += "#claim-panel"
    context = claim_panel_context(
        request, claim, forms=forms, conflict=conflict, open_form=open_form
    )
    return TemplateResponse(request, template_name, context, status=status)


def conflict_response(
    request: HtmxHttpRequest, claim_pk: int, key: str, exc: StaleVersion
) -> TemplateResponse:
    """409: the person's unsaved input and the current saved values side by side.

    The re-rendered form keeps what they typed and carries the current version, so saving
    again is a deliberate choice made after seeing the newer values.
    """
    fresh = selectors.review_claim(claim_pk)
    data = request.POST.copy()
    data[f"{key}-version"] = str(exc.current_version)
    form = _make_form(fresh, key, data)
    form.is_valid()
    rows = [
        (
            str(field.label or name.replace("_", " ").capitalize()),
            _as_shown(field, request.POST.getlist(f"{key}-{name}")),
            form.current(fresh, name),
        )
        for name, field in form.fields.items()
        if name != "version"
    ]
    conflict = {"message": exc.message, "form": key, "rows": rows}
    return claim_panel_response(
        request, fresh, status=409, forms={key: form}, conflict=conflict, open_form=key
    )


def _as_shown(field, values: list[str]) -> str:
    """What the person picked, as labels rather than raw choice values."""
    labels = {str(value): str(label) for value, label in getattr(field, "choices", ())}
    return ", ".join(labels.get(value, value) for value in values)


def success_response(
    request: HtmxHttpRequest, claim_pk: int, message: str, *, level: int = messages.SUCCESS
) -> HttpResponse:
    """After a change: the fresh panel for htmx, a redirect back for a plain form post.

    `level` is a `django.contrib.messages` level: a change that went through but left
    something to see to (a link whose page could not be fetched) is a warning, not a success.
    """
    fresh = selectors.review_claim(claim_pk)
    if request.htmx:
        response = claim_panel_response(request, fresh)
        response.context_data["flash"] = message
        response.context_data["flash_level"] = messages.DEFAULT_TAGS.get(level, "success")
        return response
    messages.add_message(request, level, message)
    return redirect(_next_url(request, fresh))

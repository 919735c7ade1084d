"""Staff review area, the actions: every change to a claim, its evidence and its verdict.

Each is a POST (CSRF-checked) that validates a form, calls one service and answers with the
fresh claim panel (htmx) or a redirect back (plain form). A save against a newer version of
the claim answers 409 with the person's input and the saved values side by side.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from claims import selectors
from claims.forms import review as review_forms
from claims.models import Article, Claim, Evidence, Verdict, VerdictCorrection
from claims.services import claims as claim_services
from claims.services import corroboration as corroboration_services
from claims.services import evidence as evidence_services
from claims.services import verdicts as verdict_services
from claims.services.errors import PermissionRefused, ServiceError, StaleVersion
from claims.services.workflow import claim_transition
from claims.views.review import (
    HtmxHttpRequest,
    _make_form,
    _next_url,
    article_page_response,
    claim_panel_response,
    conflict_response,
    corroboration_status_response,
    editor_required,
    staff_required,
    success_response,
)

NO_SUCH_CLAIM = "There is no claim number {pk}."
NO_SUCH_USER = "That person cannot be assigned claims."
NO_VERDICT = "There is no verdict on this claim yet."
NO_PENDING_CORRECTION = "No correction of this verdict is waiting for approval."
SEARCH_STARTED = "Evidence search started; the candidates appear on the claim as they are found."

Action = Callable[[Claim, dict], object]
# What to say once the change is committed: a fixed text, or one chosen from the action's result
# as it stands after the commit (a job run inline has finished by then), with its level.
Message = str | Callable[[object], tuple[str, int]]


def _run(
    request: HtmxHttpRequest, pk: int, key: str, action: Action, message: Message
) -> HttpResponse:
    """Validate the form named `key`, run `action` in one transaction, answer accordingly."""
    claim = get_object_or_404(Claim.objects.select_related("article", "speaker"), pk=pk)
    form = _make_form(claim, key, request.POST)
    if not form.is_valid():
        return _refused(request, pk, key, form, status=422)
    try:
        with transaction.atomic():
            result = action(claim, form.cleaned_data)
    except StaleVersion as exc:
        return conflict_response(request, pk, key, exc)
    except PermissionRefused as exc:
        form.add_error(None, exc.message)
        return _refused(request, pk, key, form, status=403)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return _refused(request, pk, key, form, status=422)
    if isinstance(result, HttpResponse):
        return result
    if callable(message):
        text, level = message(result)
        return success_response(request, pk, text, level=level)
    return success_response(request, pk, message)


def _refused(request: HtmxHttpRequest, pk: int, key: str, form, *, status: int) -> HttpResponse:
    return claim_panel_response(
        request, selectors.review_claim(pk), status=status, forms={key: form}, open_form=key
    )


def _reload(request: HtmxHttpRequest, url: str, message: str) -> HttpResponse:
    """For changes that alter the article's highlights (split, merge): reload the page."""
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(url)


def _other_claim(pk: int) -> Claim:
    other = Claim.objects.filter(pk=pk).first()
    if other is None:
        raise ServiceError(NO_SUCH_CLAIM.format(pk=pk))
    return other


@require_POST
@staff_required
def claim_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        return claim_services.claim_update(
            claim=claim,
            by=request.user,
            expected_version=data["version"],
            content=data["content"],
            # A form without the field (an older page) leaves the statement alone.
            statement=data["statement"] if "edit-statement" in request.POST else None,
            kind=data["kind"],
            checkworthiness=data["checkworthiness"],
        )

    return _run(request, pk, "edit", action, "Claim saved.")


@require_POST
@staff_required
def claim_speaker(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        speaker = None
        if data["name"].strip():
            speaker = claim_services.speaker_get_or_create(
                name=data["name"],
                role=data["role"],
                kind=data["speaker_kind"] or "unknown",
            )
        return claim_services.claim_set_speaker(
            claim=claim,
            by=request.user,
            speaker=speaker,
            role=data["role"] if speaker is not None else None,
            expected_version=data["version"],
        )

    return _run(request, pk, "speaker", action, "Speaker saved.")


@require_POST
@staff_required
def claim_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        move, version = data["move"], data["version"]
        if move == "accept":
            return claim_services.claim_accept(
                claim=claim, by=request.user, expected_version=version
            )
        if move == "restore":
            return claim_services.claim_restore(
                claim=claim, by=request.user, expected_version=version
            )
        return claim_transition(
            claim=claim, to=Claim.Status.NEW, by=request.user, expected_version=version
        )

    return _run(request, pk, "move", action, "Status changed.")


@require_POST
@staff_required
def claim_dismiss(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        duplicate_of = None
        if data["reason"] == Claim.DismissalReason.DUPLICATE and data["duplicate_of"]:
            duplicate_of = _other_claim(data["duplicate_of"])
        return claim_services.claim_dismiss(
            claim=claim,
            by=request.user,
            reason=data["reason"],
            duplicate_of=duplicate_of,
            note=data["note"],
            expected_version=data["version"],
        )

    return _run(request, pk, "dismiss", action, "Claim dismissed.")


@require_POST
@staff_required
def claim_assign(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        if data["take"]:
            assignee = request.user
        elif data["assignee"]:
            assignee = selectors.staff_users().filter(pk=data["assignee"]).first()
            if assignee is None:
                raise ServiceError(NO_SUCH_USER)
        else:
            assignee = None
        return claim_services.claim_assign(
            claim=claim, assignee=assignee, by=request.user, expected_version=data["version"]
        )

    return _run(request, pk, "assign", action, "Assignment saved.")


@require_POST
@staff_required
def claim_schedule(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        return claim_services.claim_schedule(
            claim=claim,
            by=request.user,
            due_on=data["due_on"],
            priority=data["priority"],
            expected_version=data["version"],
        )

    return _run(request, pk, "schedule", action, "Due date and priority saved.")


@require_POST
@staff_required
def claim_comment(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    form = review_forms.CommentForm(request.POST, prefix="comment")
    if not form.is_valid():
        return _refused(request, pk, "comment", form, status=422)
    claim_services.claim_comment(claim=claim, by=request.user, body=form.cleaned_data["body"])
    return success_response(request, pk, "Comment added.")


@require_POST
@staff_required
def claim_split(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        first, second = claim_services.claim_split(
            claim=claim,
            by=request.user,
            expected_version=data["version"],
            second_starts_with=data["second_starts_with"],
        )
        return _reload(
            request,
            first.get_absolute_url(),
            f"Split in two: the second part is now claim #{second.pk}.",
        )

    return _run(request, pk, "split", action, "")


@require_POST
@staff_required
def claim_merge(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        merged = claim_services.claim_merge(
            claim=claim,
            other=_other_claim(data["other"]),
            by=request.user,
            expected_version=data["version"],
        )
        return _reload(
            request,
            merged.get_absolute_url(),
            f"Merged: claim #{data['other']} is kept as a dismissed duplicate of this one.",
        )

    return _run(request, pk, "merge", action, "")


@require_POST
@staff_required
def evidence_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        return evidence_services.evidence_add_by_hand(
            claim=claim, url=data["url"], by=request.user, expected_version=data["version"]
        )

    return _run(request, pk, "evidence", action, _evidence_added)


EVIDENCE_FETCHING = "Link added; its title and passage are being fetched."
EVIDENCE_FETCHED = "Link added, with its title and passage."
EVIDENCE_NOT_FETCHED = "Link added, but its page could not be fetched; the reason is shown with it."


def _evidence_added(evidence: Evidence) -> tuple[str, int]:
    """Say what the link's fetch has come to, read after the commit that started it: with
    inline tasks it has finished (or failed) already, and "being fetched" would be wrong."""
    evidence.refresh_from_db(fields=["fetch_status"])
    if evidence.fetch_status == Evidence.FetchStatus.PENDING:
        return EVIDENCE_FETCHING, messages.SUCCESS
    if evidence.fetch_status == Evidence.FetchStatus.FAILED:
        return EVIDENCE_NOT_FETCHED, messages.WARNING
    if evidence.fetch_status == Evidence.FetchStatus.READY:
        return EVIDENCE_FETCHED, messages.SUCCESS
    return "Link added.", messages.SUCCESS


@require_POST
@staff_required
def evidence_stance(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=pk)

    def action(claim: Claim, data: dict) -> object:
        return evidence_services.evidence_set_stance(
            evidence=evidence,
            stance=data["stance"],
            by=request.user,
            expected_version=data["version"],
        )

    return _run(request, evidence.claim_id, "stance", action, "Stance saved.")


@require_POST
@staff_required
def verdict_submit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        return verdict_services.verdict_submit(
            claim=claim,
            by=request.user,
            rating=data["rating"],
            explanation=data["explanation"],
            evidence=data["evidence"],
            evidence_note=data["evidence_note"],
            expected_version=data["version"],
        )

    return _run(request, pk, "verdict", action, "Verdict sent to an editor for approval.")


@require_POST
@staff_required
def verdict_withdraw(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The author takes a submitted verdict back before an editor has acted on it."""

    def action(claim: Claim, data: dict) -> object:
        return verdict_services.verdict_withdraw(
            verdict=_verdict(claim),
            by=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        )

    return _run(request, pk, "withdraw", action, "Verdict withdrawn; the claim is back in review.")


def _verdict(claim: Claim):
    verdict = Verdict.objects.filter(claim=claim).select_related("rating").first()
    if verdict is None:
        raise ServiceError(NO_VERDICT)
    return verdict


@require_POST
@editor_required
def verdict_approve(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        return verdict_services.verdict_approve(
            verdict=_verdict(claim), by=request.user, expected_version=data["version"]
        )

    return _run(request, pk, "approve", action, "Approved and published.")


@require_POST
@editor_required
def verdict_return(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        return verdict_services.verdict_return(
            verdict=_verdict(claim),
            by=request.user,
            comment=data["comment"],
            expected_version=data["version"],
        )

    return _run(request, pk, "return", action, "Returned to the author with your comment.")


@require_POST
@editor_required
def verdict_correct(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        return verdict_services.correction_propose(
            verdict=_verdict(claim),
            by=request.user,
            reason=data["reason"],
            rating=data["rating"],
            explanation=data["explanation"],
            expected_version=data["version"],
        )

    return _run(
        request,
        pk,
        "correct",
        action,
        "Correction proposed; the public page changes once another editor approves it.",
    )


def _pending_correction(claim: Claim) -> VerdictCorrection:
    correction = VerdictCorrection.objects.filter(
        verdict__claim=claim, status=VerdictCorrection.Status.PROPOSED
    ).first()
    if correction is None:
        raise ServiceError(NO_PENDING_CORRECTION)
    return correction


@require_POST
@editor_required
def verdict_correction_approve(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        return verdict_services.correction_approve(
            correction=_pending_correction(claim),
            by=request.user,
            expected_version=data["version"],
        )

    return _run(request, pk, "correction_approve", action, "Correction published.")


@require_POST
@editor_required
def verdict_correction_reject(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        return verdict_services.correction_reject(
            correction=_pending_correction(claim),
            by=request.user,
            comment=data["comment"],
            expected_version=data["version"],
        )

    return _run(
        request, pk, "correction_reject", action, "Correction closed; the public page is unchanged."
    )


@require_POST
@editor_required
def verdict_unpublish(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim, data: dict) -> object:
        return verdict_services.verdict_unpublish(
            verdict=_verdict(claim),
            by=request.user,
            reason=data["reason"],
            take_down=data["take_down"],
            expected_version=data["version"],
        )

    def message(correction: object) -> tuple[str, int]:
        if correction.verdict.taken_down_at:
            return "Taken off the public site and reopened for rework.", messages.SUCCESS
        return (
            "Reopened for rework; the public page shows the published version until another "
            "editor approves the rework.",
            messages.SUCCESS,
        )

    return _run(request, pk, "unpublish", action, message)


@require_POST
@staff_required
def article_claim_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A claim the extractor missed, from a text selection (or a pasted quote without JS)."""
    article = get_object_or_404(Article, pk=pk)
    form = review_forms.ManualClaimForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                speaker = None
                if data["speaker"].strip():
                    speaker = claim_services.speaker_get_or_create(name=data["speaker"])
                claim = claim_services.claim_create_manual(
                    article=article,
                    by=request.user,
                    start=data["start"],
                    end=data["end"],
                    quote=data["quote"],
                    speaker=speaker,
                    kind=data["kind"] or Claim.Kind.INDIRECT,
                )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Claim #{claim.pk} added.")
            url = f"{article.get_absolute_url()}?claim={claim.pk}"
            if request.htmx:
                return HttpResponseClientRedirect(url)
            return redirect(url)
    return article_page_response(request, article, manual_form=form, status=422)


@require_POST
@staff_required
def claim_corroborate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Search for evidence again (or for the first time); answers with the status line."""
    claim = get_object_or_404(Claim, pk=pk)
    try:
        corroboration_services.corroboration_request(claim=claim, by=request.user)
    except ServiceError as exc:
        if request.htmx:
            fresh = get_object_or_404(selectors.claim_with_evidence(), pk=pk)
            return corroboration_status_response(request, fresh, status=422, error=exc.message)
        messages.error(request, exc.message)
        return redirect(claim)
    if request.htmx:
        return corroboration_status_response(
            request, get_object_or_404(selectors.claim_with_evidence(), pk=pk)
        )
    messages.success(request, SEARCH_STARTED)
    return redirect(_next_url(request, claim))

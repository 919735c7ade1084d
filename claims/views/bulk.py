"""The queue's bulk actions: assign, take, dismiss, accept or start an evidence search on the
claims ticked. Staff only; each claim goes through its single-claim service (see
claims.services.bulk), and the answer lists what changed and what was refused, and why."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from claims import selectors
from claims.forms.review import BulkActionForm
from claims.services.bulk import BulkOutcome, claims_bulk_action
from claims.services.errors import ServiceError
from claims.views.review import HtmxHttpRequest, staff_required

DONE = {
    "assign": "assigned",
    "take": "taken",
    "dismiss": "dismissed",
    "accept": "accepted",
    "corroborate": "sent to the evidence search",
}
NO_SUCH_PERSON = "That person cannot be assigned claims."


@require_POST
@staff_required
def queue_bulk(request: HtmxHttpRequest) -> HttpResponse:
    form = BulkActionForm(request.POST)
    outcome: BulkOutcome | None = None
    error = ""
    if not form.is_valid():
        error = " ".join(str(message) for errors in form.errors.values() for message in errors)
    else:
        data = form.cleaned_data
        assignee = None
        if data["action"] == "assign" and data["assignee"]:
            assignee = selectors.staff_users().filter(pk=data["assignee"]).first()
            if assignee is None:
                error = NO_SUCH_PERSON
        if not error:
            try:
                outcome = claims_bulk_action(
                    action=data["action"],
                    items=data["claims"],
                    by=request.user,
                    assignee=assignee,
                    reason=data["reason"],
                    note=data["note"],
                )
            except ServiceError as exc:
                error = exc.message
    if request.htmx:
        response = TemplateResponse(
            request,
            "review/_bulk_result.html",
            {
                "outcome": outcome,
                "error": error,
                "done_label": DONE.get(outcome.action, "") if outcome else "",
            },
            status=422 if error else 200,
        )
        if outcome is not None and outcome.changed:
            response["HX-Trigger"] = "queue-changed"
        return response
    if error:
        messages.error(request, error)
    else:
        _summarise(request, outcome)
    return redirect(_back(request))


def _summarise(request: HtmxHttpRequest, outcome: BulkOutcome) -> None:
    n = len(outcome.changed)
    messages.success(request, f"{n} claim{'s' if n != 1 else ''} {DONE[outcome.action]}.")
    for refusal in outcome.refused:
        messages.error(request, f"Claim #{refusal.claim_id} refused: {refusal.reason}")


def _back(request: HtmxHttpRequest) -> str:
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("review:queue")

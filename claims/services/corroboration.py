"""Writes of the evidence search: ask for a search, and run one (the `corroborate_claim` job).

A claim has at most one search queued or running at a time (a partial unique constraint on
`CorroborationRun`); asking again while one runs answers with that one. Running is idempotent:
proposals are stored through `evidence_store_candidate`, unique per claim and address, so a run
delivered twice (its worker died) or re-run by a person updates rows and never duplicates them.
The run's `stage` is written as the search goes, outside any transaction, so that the claim page
can show progress while the job works.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.corroboration.providers import Provider, configured_providers
from claims.corroboration.queries import ClaimQuery, build_query, content_words
from claims.corroboration.search import find_evidence
from claims.jobs import enqueue_corroboration
from claims.models import Claim, ClaimEvent, CorroborationRun
from claims.services.errors import ServiceError
from claims.services.evidence import evidence_group_copies, evidence_store_candidate
from claims.services.notifications import notify_corroboration_finished
from claims.services.workflow import record_event

logger = logging.getLogger(__name__)

RunStatus = CorroborationRun.Status

NOT_SEARCHABLE = "A {status} claim is not searched for evidence."
NO_PROVIDERS = (
    "No evidence provider is switched on: set CORROBORATION_ARCHIVE, SEARXNG_URL, "
    "SEARCH_JSON_URL or FACTCHECK_TOOLS_API_KEY."
)
JOB_KEPT_DYING = (
    "The evidence search was interrupted {attempts} times (its worker stopped each time); "
    "search again, and tell an administrator if it happens again."
)
TOOK_TOO_LONG = "The evidence search took longer than {seconds} seconds and was stopped."
FAILED_UNEXPECTEDLY = "The evidence search failed unexpectedly ({error}); search again."
WAITING_TO_RETRY = "Waiting to ask {names} again: {reason}"

# Deliveries of one run: the task's retries (3) and a few deaths of its worker.
MAX_ATTEMPTS = 6


class CorroborationRetry(Exception):
    """Some provider failed on the network; the task tries the whole run again later."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def corroboration_request(
    *, claim: Claim, by: AbstractBaseUser | None, note: str = ""
) -> CorroborationRun:
    """Queue an evidence search for the claim, or return the one already queued or running."""
    if claim.status in {Claim.Status.DISMISSED, Claim.Status.PUBLISHED}:
        raise ServiceError(NOT_SEARCHABLE.format(status=claim.get_status_display().lower()))
    with transaction.atomic():
        active = (
            CorroborationRun.objects.select_for_update()
            .filter(claim=claim, status__in=CorroborationRun.ACTIVE)
            .first()
        )
        if active is not None and not active.is_stale:
            return active
        if active is not None:
            # Started again at once: nobody needs telling that the old one stopped.
            _finish(
                active,
                RunStatus.FAILED,
                error="The search stopped answering; started again.",
                tell=False,
            )
        try:
            with transaction.atomic():
                run = CorroborationRun.objects.create(claim=claim, requested_by=by)
        except IntegrityError:  # another request won the race: that one runs
            return CorroborationRun.objects.get(claim=claim, status__in=CorroborationRun.ACTIVE)
        record_event(
            claim,
            by=by,
            action=ClaimEvent.Action.CORROBORATION,
            field="search",
            after=RunStatus.QUEUED.value,
            note=note or "Evidence search queued.",
        )
        enqueue_corroboration(run.pk)
    return run


# Content with fewer key terms than this is a fragment ("Washington for the strikes"): the
# search asks with the claim's standalone statement instead ("Iraq condemned Washington …").
MIN_CONTENT_TERMS = 5


def claim_query(claim: Claim) -> ClaimQuery:
    """What the providers are asked for this claim."""
    article = claim.article
    speaker = claim.speaker.name if claim.speaker_id else claim.speaker_text
    text = claim.content
    if len(content_words(text)) < MIN_CONTENT_TERMS:
        text = claim.display_statement
    return build_query(
        text,
        speaker=speaker,
        claim_id=claim.pk,
        article_id=article.pk,
        article_url=article.url or "",
        said_on=article.published_on,
    )


def corroboration_run(
    *,
    run_id: int,
    job_id: str = "",
    may_retry: bool = False,
    providers: list[Provider] | None = None,
) -> CorroborationRun | None:
    """Run the evidence search; safe to run twice. Raises CorroborationRetry when a provider
    failed on the network and `may_retry`; the results found so far are stored either way."""
    run = _take(run_id, job_id)
    if run is None or not run.is_active:
        return run
    if run.attempts > MAX_ATTEMPTS:
        return _finish(run, RunStatus.FAILED, error=JOB_KEPT_DYING.format(attempts=run.attempts))
    claim = Claim.objects.select_related("article", "speaker").get(pk=run.claim_id)
    providers = configured_providers() if providers is None else providers
    if not providers:
        return _finish(run, RunStatus.FAILED, error=NO_PROVIDERS)

    def progress(stage: str) -> None:
        CorroborationRun.objects.filter(pk=run.pk).update(stage=stage[:200])

    proposals, reports = find_evidence(claim_query(claim), providers, progress=progress)
    progress(f"Storing {len(proposals)} candidate{'s' if len(proposals) != 1 else ''}")
    added, updated = [], []
    for proposal in proposals:
        evidence, created = evidence_store_candidate(claim=claim, proposal=proposal)
        (added if created else updated).append(evidence.url)
    evidence_group_copies(claim=claim)
    run.providers = [r.as_dict() for r in reports]
    run.found = len(proposals)
    run.added = len(added)
    retry_on = [r for r in reports if r.status == "failed" and r.retryable]
    if retry_on and may_retry:
        names = ", ".join(r.name for r in retry_on)
        run.stage = WAITING_TO_RETRY.format(names=names, reason=retry_on[0].error)[:200]
        run.save(update_fields=["providers", "found", "added", "stage"])
        raise CorroborationRetry(run.stage)
    run = _finish(run, RunStatus.DONE)
    record_event(
        claim,
        by=None,
        action=ClaimEvent.Action.CORROBORATION,
        field="search",
        after=RunStatus.DONE.value,
        note=_summary(run, added=added, updated=len(updated)),
    )
    return run


def corroboration_stopped(*, run_id: int, reason: str) -> None:
    """The job was stopped (time limit, an error): the run fails with the reason."""
    run = CorroborationRun.objects.filter(pk=run_id).first()
    if run is not None and run.is_active:
        _finish(run, RunStatus.FAILED, error=reason)


def _take(run_id: int, job_id: str) -> CorroborationRun | None:
    """Mark the run as running under this job (a conditional update: a finished run stays)."""
    now = timezone.now()
    with transaction.atomic():
        run = CorroborationRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or not run.is_active:
            return run
        run.status = RunStatus.RUNNING
        run.job_id = job_id[:64]
        run.attempts += 1
        run.started_at = run.started_at or now
        run.stage = "Starting"
        run.save(update_fields=["status", "job_id", "attempts", "started_at", "stage"])
    return run


def _finish(
    run: CorroborationRun, status: str, *, error: str = "", tell: bool = True
) -> CorroborationRun:
    run.status = status
    run.error = error
    run.stage = ""
    run.finished_at = timezone.now()
    run.save(
        update_fields=["status", "error", "stage", "finished_at", "providers", "found", "added"]
    )
    if status == RunStatus.FAILED:
        record_event(
            run.claim,
            by=None,
            action=ClaimEvent.Action.CORROBORATION,
            field="search",
            after=RunStatus.FAILED.value,
            note=error,
        )
    if tell:
        notify_corroboration_finished(
            claim=run.claim,
            requested_by=run.requested_by,
            outcome=_outcome(run) if status == RunStatus.DONE else f"failed. {error}",
        )
    return run


def _outcome(run: CorroborationRun) -> str:
    if not run.found:
        return "finished; nothing was found."
    return f"finished with {run.found} candidate{'s' if run.found != 1 else ''} ({run.added} new)."


def _summary(run: CorroborationRun, *, added: list[str], updated: int) -> str:
    """The timeline's note: what was found, by whom, what failed, and the new addresses."""
    asked = [r for r in run.providers if r["status"] == "ok"]
    failed = [r for r in run.providers if r["status"] != "ok"]
    parts = [
        f"Evidence search found {run.found} candidate{'s' if run.found != 1 else ''}"
        f" ({len(added)} new, {updated} updated)"
    ]
    if asked:
        parts.append("asked " + ", ".join(r["name"] for r in asked))
    for report in failed:
        parts.append(report["error"].rstrip(".") or f"{report['name']} failed")
    note = "; ".join(parts) + "."
    if added:
        note += " New: " + ", ".join(added)
    return note

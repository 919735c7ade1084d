"""Writes on claims during triage: accept, dismiss, restore, assign, due date and priority,
edit, speaker, comment, add by hand, split and merge."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from claims.jobs import enqueue_fact_check_matching
from claims.models import Claim, ClaimEvent, Comment, ExtractionCorrection, Speaker
from claims.services import extraction_feedback as feedback
from claims.services.corroboration import corroboration_request
from claims.services.errors import ServiceError
from claims.services.notifications import notify_assigned, notify_mentions
from claims.services.workflow import (
    check_transition,
    claim_transition,
    lock_claim,
    record_event,
    save_claim,
)

Status = Claim.Status

DUPLICATE_NEEDS_TARGET = "Choose the claim this one duplicates."
DUPLICATE_OF_ITSELF = "A claim cannot be a duplicate of itself."
EMPTY_CONTENT = "The claim's content cannot be empty."
EMPTY_COMMENT = "A comment cannot be empty."
PUBLISHED_IS_LOCKED = (
    "The claim is published: reopen it for rework, or correct the verdict, before editing it."
)
ONLY_IN_TRIAGE = "Only new claims and claims in review can be split or merged."
BAD_SCORE = "The check-worthiness score is a number from 0 to 1."
STATEMENT_MAX_CHARS = 1000
STATEMENT_TOO_LONG = (
    f"Keep the statement to one sentence (at most {STATEMENT_MAX_CHARS} characters)."
)


def _refuse_if_published(claim: Claim) -> None:
    if claim.status == Status.PUBLISHED:
        raise ServiceError(PUBLISHED_IS_LOCKED)


def _refuse_unless_in_triage(claim: Claim) -> None:
    if claim.status not in {Status.NEW, Status.IN_REVIEW}:
        raise ServiceError(ONLY_IN_TRIAGE)


@transaction.atomic
def claim_accept(
    *, claim: Claim, by: AbstractBaseUser, expected_version: int | None = None
) -> Claim:
    """Take a claim into research, and start the evidence search for it.

    The claim is matched against published fact-checks again too: some may have been imported
    since it was extracted.
    """
    fresh = claim_transition(
        claim=claim, to=Status.IN_REVIEW, by=by, expected_version=expected_version
    )
    feedback.record_judged(fresh)
    corroboration_request(claim=fresh, by=by, note="Evidence search queued on acceptance.")
    enqueue_fact_check_matching([fresh.pk])
    return fresh


@transaction.atomic
def claim_dismiss(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    reason: str,
    duplicate_of: Claim | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Claim:
    if reason not in Claim.DismissalReason.values:
        raise ServiceError("Choose why the claim is dismissed.")
    if reason == Claim.DismissalReason.DUPLICATE:
        if duplicate_of is None:
            raise ServiceError(DUPLICATE_NEEDS_TARGET)
        if duplicate_of.pk == claim.pk:
            raise ServiceError(DUPLICATE_OF_ITSELF)
    else:
        duplicate_of = None
    label = Claim.DismissalReason(reason).label
    fresh = claim_transition(
        claim=claim,
        to=Status.DISMISSED,
        by=by,
        expected_version=expected_version,
        note=f"{label}. {note}".strip(),
        extra_fields={"dismissal_reason": reason, "duplicate_of": duplicate_of},
    )
    # "Not a claim" is the extractor's mistake; any other reason still judges it right.
    if reason == Claim.DismissalReason.NOT_A_CLAIM:
        review = feedback.review_for(fresh)
        feedback.record_correction(
            fresh, kind=ExtractionCorrection.Kind.NOT_A_CLAIM, by=by, review=review
        )
    else:
        feedback.record_judged(fresh)
    return fresh


@transaction.atomic
def claim_restore(
    *, claim: Claim, by: AbstractBaseUser, expected_version: int | None = None
) -> Claim:
    fresh = claim_transition(
        claim=claim,
        to=Status.NEW,
        by=by,
        expected_version=expected_version,
        extra_fields={"dismissal_reason": "", "duplicate_of": None},
    )
    if feedback.judged_not_a_claim(fresh):
        feedback.record_correction(fresh, kind=ExtractionCorrection.Kind.RESTORED, by=by)
    return fresh


@transaction.atomic
def claim_assign(
    *,
    claim: Claim,
    assignee: AbstractBaseUser | None,
    by: AbstractBaseUser,
    expected_version: int | None = None,
) -> Claim:
    fresh = lock_claim(claim, expected_version)
    before = fresh.assignee.get_username() if fresh.assignee_id else None
    before_id = fresh.assignee_id
    fresh.assignee = assignee
    save_claim(fresh, by=by, fields=["assignee"])
    record_event(
        fresh,
        by=by,
        action=ClaimEvent.Action.ASSIGNED,
        field="assignee",
        before=before,
        after=assignee.get_username() if assignee else None,
    )
    if assignee is not None and assignee.pk != before_id:
        notify_assigned(claim=fresh, assignee=assignee, by=by)
    return fresh


BAD_PRIORITY = "Choose a priority from the list."


@transaction.atomic
def claim_schedule(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    due_on: datetime.date | None,
    priority: int,
    expected_version: int | None = None,
) -> Claim:
    """Set when the verdict is wanted and how urgent the claim is (None: no due date).

    Each change is a timeline entry, so that a deadline moved later is visible to everyone.
    """
    if priority not in Claim.Priority.values:
        raise ServiceError(BAD_PRIORITY)
    fresh = lock_claim(claim, expected_version)
    changed: list[str] = []
    for field, before, after in (
        ("due_on", fresh.due_on, due_on),
        ("priority", fresh.priority, priority),
    ):
        if before == after:
            continue
        record_event(
            fresh,
            by=by,
            action=ClaimEvent.Action.EDITED,
            field=field,
            before=before.isoformat() if isinstance(before, datetime.date) else before,
            after=after.isoformat() if isinstance(after, datetime.date) else after,
        )
        setattr(fresh, field, after)
        changed.append(field)
    if changed:
        save_claim(fresh, by=by, fields=changed)
    return fresh


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    expected_version: int | None,
    content: str | None = None,
    statement: str | None = None,
    kind: str | None = None,
    checkworthiness: float | None = None,
) -> Claim:
    """Edit the content, standalone statement, kind or score; refused if someone else saved the
    claim meanwhile. An empty statement means "compose it from speaker, cue and content"."""
    fresh = lock_claim(claim, expected_version)
    _refuse_if_published(fresh)
    if checkworthiness is not None and not 0 <= checkworthiness <= 1:
        raise ServiceError(BAD_SCORE)
    if content is not None:
        content = content.strip()
        if not content:
            raise ServiceError(EMPTY_CONTENT)
    if statement is not None:
        statement = " ".join(statement.split())
        if len(statement) > STATEMENT_MAX_CHARS:
            raise ServiceError(STATEMENT_TOO_LONG)
    if kind is not None and kind not in Claim.Kind.values:
        raise ServiceError("Unknown kind of claim.")
    review = feedback.review_for(fresh)
    changed: list[str] = []
    for field, value in (
        ("checkworthiness", checkworthiness),
        ("content", content),
        ("statement", statement),
        ("kind", kind),
    ):
        before = getattr(fresh, field)
        if value is None or value == before:
            continue
        record_event(
            fresh, by=by, action=ClaimEvent.Action.EDITED, field=field, before=before, after=value
        )
        setattr(fresh, field, value)
        changed.append(field)
    if changed:
        save_claim(fresh, by=by, fields=changed)
    for field, correction_kind in (
        ("content", ExtractionCorrection.Kind.CONTENT),
        ("kind", ExtractionCorrection.Kind.KIND),
    ):
        if field in changed:
            feedback.record_correction(fresh, kind=correction_kind, by=by, review=review)
    if "content" in changed or "statement" in changed:
        enqueue_fact_check_matching([fresh.pk])
    return fresh


def speaker_get_or_create(
    *, name: str, role: str = "", kind: str = Speaker.Kind.UNKNOWN
) -> Speaker:
    """The speaker with this name or alias, created if new; names are matched case-blind.

    Aliases are the spellings an admin has recorded ("Adel Abdul Mahdi" for "Adel Abdul
    Mehdi"), so that every article's mention lands on the same speaker and public record.
    """
    name = " ".join(name.split())
    if not name:
        raise ServiceError("A speaker needs a name.")
    normalised = Speaker.normalise(name)
    speaker = Speaker.objects.filter(normalised_name=normalised).first() or _speaker_by_alias(
        normalised
    )
    if speaker is not None:
        return speaker
    base = slugify(name)[:180] or "speaker"
    slug, n = base, 2
    while Speaker.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    speaker, _ = Speaker.objects.get_or_create(
        normalised_name=normalised,
        defaults={"name": name, "role": role[:300], "kind": kind, "slug": slug},
    )
    return speaker


def _speaker_by_alias(normalised: str) -> Speaker | None:
    # Few speakers have aliases, and JSON containment is not portable to SQLite: scan those.
    for speaker in Speaker.objects.exclude(aliases=[]).order_by("pk"):
        if normalised in {Speaker.normalise(str(alias)) for alias in speaker.aliases or []}:
            return speaker
    return None


@transaction.atomic
def claim_set_speaker(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    speaker: Speaker | None,
    expected_version: int | None,
    role: str | None = None,
) -> Claim:
    """Attribute the claim to another speaker (None: the outlet's own statement), and optionally
    correct the speaker's role."""
    fresh = lock_claim(claim, expected_version)
    _refuse_if_published(fresh)
    fields: list[str] = []
    speaker_changed = fresh.speaker_id != (speaker.pk if speaker else None)
    review = feedback.review_for(fresh) if speaker_changed else None
    if speaker_changed:
        before = fresh.speaker.name if fresh.speaker_id else None
        fresh.speaker = speaker
        fields.append("speaker")
        if speaker is None:
            fresh.kind = Claim.Kind.UNATTRIBUTED
            fields.append("kind")
        elif fresh.kind == Claim.Kind.UNATTRIBUTED:
            fresh.kind = Claim.Kind.INDIRECT
            fields.append("kind")
        record_event(
            fresh,
            by=by,
            action=ClaimEvent.Action.SPEAKER_CHANGED,
            field="speaker",
            before=before,
            after=speaker.name if speaker else None,
        )
    if speaker is not None and role is not None and role.strip() != speaker.role:
        record_event(
            fresh,
            by=by,
            action=ClaimEvent.Action.SPEAKER_CHANGED,
            field="speaker_role",
            before=speaker.role,
            after=role.strip()[:300],
            note=f"Role of {speaker.name}",
        )
        speaker.role = role.strip()[:300]
        speaker.save(update_fields=["role"])
        fields.append("updated_at")
    if fields:
        save_claim(fresh, by=by, fields=[f for f in fields if f != "updated_at"])
    if speaker_changed:
        feedback.record_correction(
            fresh, kind=ExtractionCorrection.Kind.SPEAKER, by=by, review=review
        )
    return fresh


@transaction.atomic
def claim_comment(*, claim: Claim, by: AbstractBaseUser, body: str) -> Comment:
    body = body.strip()
    if not body:
        raise ServiceError(EMPTY_COMMENT)
    comment = Comment.objects.create(claim=claim, author=by, body=body)
    record_event(claim, by=by, action=ClaimEvent.Action.COMMENTED, note=body[:500])
    notify_mentions(comment=comment)
    return comment


MANUAL_BAD_SPAN = "Select the words of the claim inside the article text."
MANUAL_NOT_FOUND = "That text is not in the article; copy it exactly as it appears."
MANUAL_EXISTS = "There is already a claim on exactly this text."
MANUAL_ARTICLE_NOT_READY = (
    "Claims can only be added to an article that has been read; this one is {status}."
)
SPLIT_MARKER_MISSING = "Say where the second claim starts: words from inside the content."
SPLIT_EMPTY_PART = "Both parts must keep some words; choose a split point inside the content."
MERGE_OTHER_ARTICLE = "Only claims from the same article can be merged."
MERGE_ITSELF = "Choose another claim to merge with."
MERGE_SAME_SPAN = "These claims cover the same text; dismiss one as a duplicate instead."

_SENTENCE_END = ".!?\n"


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span: from after the previous full stop to the next one."""
    left = max((text.rfind(ch, 0, start) for ch in _SENTENCE_END), default=-1) + 1
    right_candidates = [i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    while left < start and text[left].isspace():
        left += 1
    return left, max(right, end)


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@transaction.atomic
def claim_create_manual(
    *,
    article,
    by: AbstractBaseUser,
    start: int | None = None,
    end: int | None = None,
    quote: str = "",
    speaker: Speaker | None = None,
    kind: str = Claim.Kind.UNATTRIBUTED,
) -> Claim:
    """Add a claim the extractor missed, from offsets of a text selection or an exact quote."""
    if not article.accepts_manual_claims:
        raise ServiceError(
            MANUAL_ARTICLE_NOT_READY.format(status=article.get_status_display().lower())
        )
    text = article.text
    if start is None or end is None:
        quote = " ".join(quote.split())
        if not quote:
            raise ServiceError(MANUAL_BAD_SPAN)
        start = text.find(quote)
        if start == -1:
            raise ServiceError(MANUAL_NOT_FOUND)
        end = start + len(quote)
    if not (0 <= start < end <= len(text)):
        raise ServiceError(MANUAL_BAD_SPAN)
    start, end = _trim_span(text, start, end)
    if start >= end:
        raise ServiceError(MANUAL_BAD_SPAN)
    if Claim.objects.filter(article=article, start=start, end=end).exists():
        raise ServiceError(MANUAL_EXISTS)
    if kind not in Claim.Kind.values:
        raise ServiceError("Unknown kind of claim.")
    if speaker is None:
        kind = Claim.Kind.UNATTRIBUTED
    elif kind == Claim.Kind.UNATTRIBUTED:
        kind = Claim.Kind.INDIRECT
    sentence_start, sentence_end = _sentence_span(text, start, end)
    claim = Claim.objects.create(
        article=article,
        speaker=speaker,
        speaker_text=speaker.name if speaker else "",
        content=text[start:end],
        sentence=text[sentence_start:sentence_end].strip(),
        sentence_start=sentence_start,
        sentence_end=sentence_end,
        kind=kind,
        start=start,
        end=end,
        origin=Claim.Origin.MANUAL,
        touched=True,
        checkworthiness=_candidate_score(article, start, end),
        feed_source_id=article.feed_source_id,
    )
    record_event(
        claim,
        by=by,
        action=ClaimEvent.Action.CREATED,
        after=claim.content,
        note="Added by hand from the article text",
    )
    feedback.record_added(claim, by=by)
    enqueue_fact_check_matching([claim.pk])
    return claim


def _candidate_score(article, start: int, end: int) -> float:
    """The ranking's score of a sentence offered to reviewers at ingest; 0.5 for other text."""
    for candidate in article.candidates or []:
        if (candidate.get("start"), candidate.get("end")) == (start, end):
            return min(1.0, max(0.0, float(candidate.get("score", 0.5))))
    return 0.5


def _drop_statement(claim: Claim, *, by: AbstractBaseUser) -> list[str]:
    """After a split or merge the old statement describes other words: fall back to the one
    composed from the new content (the old one stays on the timeline)."""
    if not claim.statement:
        return []
    record_event(
        claim,
        by=by,
        action=ClaimEvent.Action.EDITED,
        field="statement",
        before=claim.statement,
        after="",
        note="The content changed; the statement is composed again until someone writes one.",
    )
    claim.statement = ""
    return ["statement"]


def _content_matches_text(claim: Claim) -> bool:
    return claim.article.text[claim.start : claim.end] == claim.content


@transaction.atomic
def claim_split(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    expected_version: int | None,
    second_starts_with: str,
) -> tuple[Claim, Claim]:
    """Split a claim in two where `second_starts_with` begins; the new claim copies the rest."""
    fresh = lock_claim(claim, expected_version)
    _refuse_unless_in_triage(fresh)
    marker = second_starts_with.strip()
    at = fresh.content.find(marker) if marker else -1
    if at == -1:
        raise ServiceError(SPLIT_MARKER_MISSING)
    first = fresh.content[:at].strip(" \t\n,;")
    second = fresh.content[at:].strip()
    if not first or not second:
        raise ServiceError(SPLIT_EMPTY_PART)
    if _content_matches_text(fresh):
        first_end = fresh.start + len(fresh.content[:at].rstrip(" \t\n,;"))
        second_start = fresh.start + at
    else:
        # The content was edited by hand; place the split proportionally in the span.
        length = fresh.end - fresh.start
        cut = fresh.start + max(1, min(length - 1, round(length * at / len(fresh.content))))
        first_end, second_start = cut, cut
    second_end = fresh.end
    taken = Claim.objects.filter(article=fresh.article).exclude(pk=fresh.pk)
    if (
        taken.filter(start=second_start, end=second_end).exists()
        or taken.filter(start=fresh.start, end=first_end).exists()
    ):
        raise ServiceError(MANUAL_EXISTS)
    review = feedback.review_for(fresh)
    before = fresh.content
    fresh.content = first
    fresh.end = first_end
    save_claim(fresh, by=by, fields=["content", "end", *_drop_statement(fresh, by=by)])
    new = Claim.objects.create(
        article=fresh.article,
        speaker=fresh.speaker,
        speaker_text=fresh.speaker_text,
        via=fresh.via,
        cue=fresh.cue,
        content=second,
        sentence=fresh.sentence,
        kind=fresh.kind,
        start=second_start,
        end=second_end,
        speaker_start=fresh.speaker_start,
        speaker_end=fresh.speaker_end,
        cue_start=fresh.cue_start,
        cue_end=fresh.cue_end,
        sentence_start=fresh.sentence_start,
        sentence_end=fresh.sentence_end,
        checkworthiness=fresh.checkworthiness,
        origin=Claim.Origin.MANUAL,
        touched=True,
        assignee=fresh.assignee,
        feed_source_id=fresh.feed_source_id,
    )
    record_event(
        fresh,
        by=by,
        action=ClaimEvent.Action.SPLIT,
        field="content",
        before=before,
        after=first,
        note=f"Split; the rest became claim #{new.pk}",
    )
    record_event(
        new,
        by=by,
        action=ClaimEvent.Action.CREATED,
        after=second,
        note=f"Split from claim #{fresh.pk}",
    )
    feedback.record_split(fresh, new, by=by, review=review)
    enqueue_fact_check_matching([fresh.pk, new.pk])
    return fresh, new


@transaction.atomic
def claim_merge(
    *,
    claim: Claim,
    other: Claim,
    by: AbstractBaseUser,
    expected_version: int | None,
) -> Claim:
    """Merge `other` into `claim`: one claim covering both spans; the other is dismissed as its
    duplicate (kept, with its history), so nothing is lost."""
    if other.pk == claim.pk:
        raise ServiceError(MERGE_ITSELF)
    fresh = lock_claim(claim, expected_version)
    other = lock_claim(other, None)
    _refuse_unless_in_triage(fresh)
    if other.article_id != fresh.article_id:
        raise ServiceError(MERGE_OTHER_ARTICLE)
    start, end = min(fresh.start, other.start), max(fresh.end, other.end)
    if (
        Claim.objects.filter(article_id=fresh.article_id, start=start, end=end)
        .exclude(pk=fresh.pk)
        .exists()
    ):
        raise ServiceError(MERGE_SAME_SPAN)
    both_verbatim = _content_matches_text(fresh) and _content_matches_text(other)
    first, second = (fresh, other) if fresh.start <= other.start else (other, fresh)
    if both_verbatim:
        content = fresh.article.text[start:end]
    else:
        content = f"{first.content.rstrip()} {second.content.lstrip()}"
    check_transition(other, Status.DISMISSED)
    kept_review, merged_review = feedback.review_for(fresh), feedback.review_for(other)
    before = fresh.content
    fresh.content, fresh.start, fresh.end = content, start, end
    if fresh.sentence != other.sentence and other.sentence:
        fresh.sentence = f"{first.sentence} {second.sentence}".strip()
    save_claim(
        fresh, by=by, fields=["content", "start", "end", "sentence", *_drop_statement(fresh, by=by)]
    )
    record_event(
        fresh,
        by=by,
        action=ClaimEvent.Action.MERGED,
        field="content",
        before=before,
        after=content,
        note=f"Merged with claim #{other.pk}",
    )
    merged = claim_transition(
        claim=other,
        to=Status.DISMISSED,
        by=by,
        note=f"Merged into claim #{fresh.pk}",
        extra_fields={"dismissal_reason": Claim.DismissalReason.DUPLICATE, "duplicate_of": fresh},
    )
    feedback.record_merge(
        fresh, merged, by=by, kept_review=kept_review, merged_review=merged_review
    )
    return fresh

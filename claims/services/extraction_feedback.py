"""Reviewers' corrections of the extractor, kept as labelled examples.

The claim services call these inside their own transactions, at the moment of each reviewer
action: accepting or dismissing a claim judges the extractor's output, and editing its content,
kind or speaker, splitting, merging and adding a missed claim by hand correct it. The first
time a reviewer acts on an extracted claim, its extractor output is copied into an
`ExtractionReview` (the claim itself is about to change); each correction adds an
`ExtractionCorrection` with the claim as it stands afterwards, and the review's outcome is
worked out again from the original and the current claim.
"""

from __future__ import annotations

import difflib
import re

from django.contrib.auth.models import AbstractBaseUser

from claims.models import Claim, ExtractionCorrection, ExtractionReview

Outcome = ExtractionReview.Outcome
Kind = ExtractionCorrection.Kind

# Content this close to the extractor's (difflib's ratio, 0 to 1) counts as a light edit: a
# trimmed word or a fixed quotation mark, not a different span.
LIGHT_EDIT_MIN_SIMILARITY = 0.8


def content_similarity(original: str, corrected: str) -> float:
    """0 to 1: how much of the two texts is the same, ignoring spacing."""
    original, corrected = " ".join(original.split()), " ".join(corrected.split())
    if original == corrected:
        return 1.0
    return difflib.SequenceMatcher(None, original, corrected, autojunk=False).ratio()


def _speaker_name(claim: Claim) -> str:
    return claim.speaker.name if claim.speaker_id else ""


def review_for(claim: Claim) -> ExtractionReview | None:
    """The claim's review, made from the claim as it is now if it has none yet.

    Call it before changing the claim: an extracted claim nobody has changed still holds the
    extractor's output. Claims added by hand before reviews were kept have none to make.
    """
    existing = ExtractionReview.objects.filter(claim=claim).first()
    if existing is not None or claim.origin != Claim.Origin.EXTRACTED:
        return existing
    article = claim.article
    return ExtractionReview.objects.create(
        claim=claim,
        article=article,
        source_id=article.outlet_id,
        article_added_at=article.created_at,
        extracted=True,
        outcome=Outcome.KEPT,
        speaker_name=_speaker_name(claim)[:200],
        speaker_text=claim.speaker_text,
        speaker_start=claim.speaker_start,
        speaker_end=claim.speaker_end,
        cue=claim.cue,
        cue_start=claim.cue_start,
        cue_end=claim.cue_end,
        content=claim.content,
        content_start=claim.start,
        content_end=claim.end,
        kind=claim.kind,
    )


def record_judged(claim: Claim) -> ExtractionReview | None:
    """A reviewer accepted or dismissed the claim: its extraction has been looked at."""
    review = review_for(claim)
    if review is not None:
        _reclassify(review, claim)
    return review


def judged_not_a_claim(claim: Claim) -> bool:
    """Whether the claim's review stands at "not a claim" (before a restore undoes it)."""
    return ExtractionReview.objects.filter(claim=claim, outcome=Outcome.NOT_A_CLAIM).exists()


def record_correction(
    claim: Claim,
    *,
    kind: str,
    by: AbstractBaseUser | None,
    review: ExtractionReview | None = None,
) -> ExtractionCorrection | None:
    """After a change to the claim: the corrected version, labelled with `kind`.

    `review` is the one taken before the change (see `review_for`); without it the claim's
    existing review is used, and a claim with none records nothing.
    """
    review = review or ExtractionReview.objects.filter(claim=claim).first()
    if review is None:
        return None
    attribution = corrected_spans(claim, review)
    correction = ExtractionCorrection.objects.create(
        review=review,
        kind=kind,
        by=by,
        speaker_name=_speaker_name(claim)[:200],
        speaker_start=attribution["speaker"][0] if attribution["speaker"] else None,
        speaker_end=attribution["speaker"][1] if attribution["speaker"] else None,
        cue_start=attribution["cue"][0] if attribution["cue"] else None,
        cue_end=attribution["cue"][1] if attribution["cue"] else None,
        content=claim.content,
        content_start=attribution["content"][0],
        content_end=attribution["content"][1],
        claim_kind=claim.kind,
        content_similarity=content_similarity(review.content, claim.content)
        if review.extracted
        else None,
    )
    _reclassify(review, claim, correction=correction)
    return correction


def record_added(claim: Claim, *, by: AbstractBaseUser | None) -> ExtractionCorrection:
    """A claim the extractor missed, added by hand from the article's text."""
    article = claim.article
    review = ExtractionReview.objects.create(
        claim=claim,
        article=article,
        source_id=article.outlet_id,
        article_added_at=article.created_at,
        extracted=False,
        outcome=Outcome.ADDED,
    )
    return record_correction(claim, kind=Kind.ADDED, by=by, review=review)


def record_split(
    first: Claim,
    second: Claim,
    *,
    by: AbstractBaseUser | None,
    review: ExtractionReview | None,
) -> None:
    """The claim was split in two: the first keeps the review, the second part is derived
    from the same extractor output (counted once, exported as gold)."""
    if review is None:
        return
    record_correction(first, kind=Kind.SPLIT, by=by, review=review)
    part = ExtractionReview.objects.create(
        claim=second,
        article=review.article,
        source_id=review.source_id,
        article_added_at=review.article_added_at,
        extracted=review.extracted,
        outcome=Outcome.SPLIT_PART,
        **{
            name: getattr(review, name)
            for name in (
                "speaker_name",
                "speaker_text",
                "speaker_start",
                "speaker_end",
                "cue",
                "cue_start",
                "cue_end",
                "content",
                "content_start",
                "content_end",
                "kind",
            )
        },
    )
    record_correction(second, kind=Kind.SPLIT, by=by, review=part)


def record_merge(
    kept: Claim,
    merged: Claim,
    *,
    by: AbstractBaseUser | None,
    kept_review: ExtractionReview | None,
    merged_review: ExtractionReview | None,
) -> None:
    """Two claims that were one: the kept claim now covers both; the other is absorbed."""
    record_correction(kept, kind=Kind.MERGE, by=by, review=kept_review)
    if merged_review is not None:
        record_correction(merged, kind=Kind.MERGE, by=by, review=merged_review)
        if merged_review.outcome != Outcome.ADDED:
            merged_review.outcome = Outcome.MERGED
            merged_review.save(update_fields=["outcome", "updated_at"])


def _reclassify(
    review: ExtractionReview, claim: Claim, *, correction: ExtractionCorrection | None = None
) -> None:
    outcome = _outcome(review, claim, correction)
    if outcome != review.outcome:
        review.outcome = outcome
        review.save(update_fields=["outcome", "updated_at"])


def _outcome(
    review: ExtractionReview, claim: Claim, correction: ExtractionCorrection | None
) -> str:
    """What the reviewers' work says about the extractor's output for this claim, now."""
    if review.outcome in {Outcome.SPLIT_PART, Outcome.MERGED}:
        return review.outcome
    dismissed_as_not_a_claim = (
        claim.status == Claim.Status.DISMISSED
        and claim.dismissal_reason == Claim.DismissalReason.NOT_A_CLAIM
    )
    if dismissed_as_not_a_claim:
        return Outcome.NOT_A_CLAIM
    if not review.extracted:
        return Outcome.ADDED
    structural = review.corrections.filter(kind__in=[Kind.SPLIT, Kind.MERGE]).exists() or (
        correction is not None and correction.kind in {Kind.SPLIT, Kind.MERGE}
    )
    if structural or _speaker_name(claim) != review.speaker_name:
        return Outcome.CORRECTED
    similarity = content_similarity(review.content, claim.content)
    if similarity < LIGHT_EDIT_MIN_SIMILARITY:
        return Outcome.CORRECTED
    if similarity < 1.0 or claim.kind != review.kind:
        return Outcome.LIGHTLY_EDITED
    return Outcome.KEPT


# Offsets of the claim as corrected, for the labelled examples and the gold export.


def corrected_spans(
    claim: Claim, review: ExtractionReview | None = None
) -> dict[str, tuple[int, int] | None]:
    """The claim's content, cue and speaker as spans of its article's text.

    The claim keeps its offsets while reviewers rewrite its words, and a new speaker is chosen
    by name: so the content is looked for where the claim is, and a changed speaker's mention
    nearest to it. The extractor's speaker span (the mention as written, "he" included) stays
    while the speaker is the one it found. `speaker` is None for the outlet's own statements
    and for a speaker the text never names; `cue` is None when its words moved.
    """
    text = claim.article.text
    return {
        "content": _content_span(text, claim),
        "cue": _kept_span(text, claim.cue_start, claim.cue_end, claim.cue),
        "speaker": _speaker_span(text, claim, review),
    }


def _nearest(positions: list[int], around: int) -> int | None:
    return min(positions, key=lambda at: abs(at - around)) if positions else None


def _content_span(text: str, claim: Claim) -> tuple[int, int]:
    if text[claim.start : claim.end] == claim.content:
        return claim.start, claim.end
    words = claim.content.strip()
    positions = [match.start() for match in re.finditer(re.escape(words), text)] if words else []
    at = _nearest(positions, claim.start)
    if at is None:
        # Reworded: the claim's place in the text is still its span.
        return claim.start, claim.end
    return at, at + len(words)


def _kept_span(text: str, start: int | None, end: int | None, words: str) -> tuple[int, int] | None:
    if start is None or end is None or not words or not 0 <= start < end <= len(text):
        return None
    return (start, end) if text[start:end] == words else None


def _speaker_span(
    text: str, claim: Claim, review: ExtractionReview | None
) -> tuple[int, int] | None:
    if claim.kind == Claim.Kind.UNATTRIBUTED or not (claim.speaker_id or claim.speaker_text):
        return None
    name = _speaker_name(claim) or claim.speaker_text
    unchanged = review is not None and review.extracted and review.speaker_name == name
    start, end = claim.speaker_start, claim.speaker_end
    valid = start is not None and end is not None and 0 <= start < end <= len(text)
    if valid and (unchanged or _same_person(text[start:end], name)):
        return start, end
    return _find_mention(text, name, claim.start)


def _last_word(name: str) -> str:
    words = [w.strip(".,'\"’") for w in name.split()]
    words = [w for w in words if w and w.lower() not in {"the", "a", "an", "'s"}]
    return words[-1].lower() if words else ""


def _same_person(mention: str, name: str) -> bool:
    last = _last_word(name)
    return bool(last) and last in {w.strip(".,'\"’").lower() for w in mention.split()}


def _find_mention(text: str, name: str, around: int) -> tuple[int, int] | None:
    """The mention of `name` nearest to `around`: the whole name, else its last word."""
    name = " ".join(name.split())
    if not name:
        return None
    for words in (name, _last_word(name)):
        if not words:
            continue
        pattern = r"\b" + re.escape(words) + r"\b"
        flags = 0 if words == name else re.IGNORECASE
        positions = [m.start() for m in re.finditer(pattern, text, flags)]
        at = _nearest(positions, around)
        if at is not None:
            return at, at + len(words)
    return None

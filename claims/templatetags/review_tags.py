"""Render article text with claims marked in place, safely.

Text segments are escaped one by one and only the spans we build ourselves are marked safe.
Claim spans may overlap (a speaker span inside another claim's sentence, two claims sharing
words), so the text is cut at every span boundary and each piece is marked for the most
specific span covering it: speaker before cue before content, shorter before longer.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim, CorroborationRun, Evidence

register = template.Library()

ROLE_PRIORITY = {"speaker": 0, "cue": 1, "content": 2}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    role: str
    claim: Claim


def claim_spans(claims: Iterable[Claim], length: int) -> list[Span]:
    spans = []
    for claim in claims:
        for role, start, end in (
            ("content", claim.start, claim.end),
            ("speaker", claim.speaker_start, claim.speaker_end),
            ("cue", claim.cue_start, claim.cue_end),
        ):
            if start is None or end is None:
                continue
            start, end = max(0, start), min(length, end)
            if start < end:
                spans.append(Span(start, end, role, claim))
    return spans


def segments(text: str, spans: list[Span]) -> Iterable[tuple[int, int, list[Span]]]:
    """Cut the text at every boundary; yield (start, end, spans covering the piece)."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    for a, b in itertools.pairwise(cuts):
        if a < b:
            yield a, b, [s for s in spans if s.start <= a and s.end >= b]


def _pick(covering: list[Span]) -> Span:
    return min(covering, key=lambda s: (ROLE_PRIORITY[s.role], s.end - s.start, s.claim.pk))


@register.simple_tag
def highlight_claims(
    text: str, claims: Iterable[Claim], article_url: str, selected: int | None = None
) -> SafeString:
    """The article text with every claim's speaker, cue and content as links that open it."""
    spans = claim_spans(list(claims), len(text))
    return mark_safe("".join(_highlighted(text, spans, article_url, selected)))


@register.simple_tag
def highlight_transcript(
    text: str,
    turns: list[dict],
    claims: Iterable[Claim],
    article_url: str,
    selected: int | None = None,
) -> SafeString:
    """A transcript's text with claims marked as in an article, each speaker's turn in a block
    that names the speaker and role, and moderators' turns set apart.

    The text content stays exactly the transcript's text (the speaker's full name is shown by
    the stylesheet from an attribute), so that selecting words still gives its offsets.
    """
    spans = claim_spans(list(claims), len(text))
    turns = [
        turn
        for turn in turns or []
        if isinstance(turn, dict)
        and isinstance(turn.get("label_start"), int)
        and isinstance(turn.get("end"), int)
        and 0 <= turn["label_start"] < turn["end"] <= len(text)
    ]
    # Each turn is highlighted on its own, so that no link straddles two turns.
    parts: list[str] = []
    position = 0
    for turn in turns:
        start, end = turn["label_start"], turn["end"]
        if start < position:
            continue
        parts.extend(_highlighted(text, spans, article_url, selected, position, start))
        speaker = turn.get("speaker") or turn.get("label") or ""
        role = turn.get("role_text") or ""
        parts.append(
            format_html(
                '<span class="turn{}" data-speaker="{}" data-role="{}">',
                " turn-moderator" if turn.get("moderator") else "",
                speaker,
                f" · {role}" if role else "",
            )
        )
        parts.extend(_highlighted(text, spans, article_url, selected, start, end))
        parts.append(mark_safe("</span>"))
        position = end
    parts.extend(_highlighted(text, spans, article_url, selected, position, len(text)))
    return mark_safe("".join(parts))  # every piece above is escaped


def _highlighted(
    text: str,
    spans: list[Span],
    article_url: str,
    selected: int | None,
    start: int = 0,
    end: int | None = None,
) -> list[str]:
    """``text[start:end]`` as escaped pieces, each claim's part a link that opens the claim."""
    end = len(text) if end is None else end
    window = text[start:end]
    shifted = [
        Span(max(s.start, start) - start, min(s.end, end) - start, s.role, s.claim)
        for s in spans
        if s.start < end and start < s.end
    ]
    parts: list[str] = []
    focusable: set[int] = set()
    for a, b, covering in segments(window, shifted):
        piece = window[a:b]
        if not covering:
            parts.append(escape(piece))
            continue
        span = _pick(covering)
        claim = span.claim
        classes = ["hl", f"hl-{span.role}", f"hl-status-{claim.status}"]
        # Claims sharing a speaker (a transcript's label, "X said A and B") do not overlap.
        if len({s.claim.pk for s in covering}) > 1 and any(s.role != "speaker" for s in covering):
            classes.append("hl-overlap")
        if selected is not None and any(s.claim.pk == selected for s in covering):
            classes.append("is-selected")
        tabindex = "0" if claim.pk not in focusable else "-1"
        focusable.add(claim.pk)
        title = f"Claim #{claim.pk} · {claim.get_status_display()} · {span.role}"
        parts.append(
            format_html(
                '<a class="{}" href="{}?claim={}" hx-get="{}" hx-target="#article-side" '
                'hx-select="#article-side" hx-swap="outerHTML" hx-push-url="true" '
                'data-claim="{}" draggable="false" tabindex="{}" title="{}">{}</a>',
                " ".join(classes),
                article_url,
                claim.pk,
                f"{article_url}?claim={claim.pk}",
                claim.pk,
                tabindex,
                title,
                piece,
            )
        )
    return parts


CONTEXT_CHARS = 280


@register.simple_tag
def claim_in_context(claim: Claim) -> SafeString:
    """The claim's sentence with some text either side, the claim's parts marked."""
    text = claim.article.text
    if not text or not (0 <= claim.start < claim.end <= len(text)):
        return format_html("<mark class='hl hl-content'>{}</mark>", claim.sentence or claim.content)
    first = min(x for x in (claim.sentence_start, claim.start) if x is not None)
    last = max(x for x in (claim.sentence_end, claim.end) if x is not None)
    # Stay inside the claim's paragraph: the neighbouring paragraphs are another story.
    paragraph_start = text.rfind("\n", 0, first) + 1
    paragraph_end = text.find("\n", last)
    paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
    window_start = max(paragraph_start, first - CONTEXT_CHARS)
    window_end = min(paragraph_end, last + CONTEXT_CHARS)
    # Start and end on word boundaries so the window does not cut words in half.
    if window_start > paragraph_start:
        space = text.find(" ", window_start, first)
        window_start = space + 1 if space != -1 else window_start
    if window_end < paragraph_end:
        space = text.rfind(" ", last, window_end)
        window_end = space if space != -1 else window_end
    window = text[window_start:window_end]
    # Clip every span to the window: a speaker or cue in an earlier paragraph (a quote that runs
    # over several paragraphs) lies wholly outside it, and a negative offset would slice the
    # window from its end.
    spans = [
        Span(
            max(s.start, window_start) - window_start,
            min(s.end, window_end) - window_start,
            s.role,
            s.claim,
        )
        for s in claim_spans([claim], len(text))
        if s.start < window_end and window_start < s.end
    ]
    parts = ["…" if window_start > paragraph_start else ""]
    for a, b, covering in segments(window, spans):
        piece = window[a:b]
        if covering:
            role = _pick(covering).role
            parts.append(format_html('<mark class="hl hl-{}">{}</mark>', role, piece))
        else:
            parts.append(escape(piece))
    parts.append("…" if window_end < paragraph_end else "")
    return mark_safe("".join(parts))  # every piece above is escaped


@register.filter
def score_step(score: float | None) -> int:
    """A 0–1 score as a whole step from 0 to 10, for the stylesheet's `score-N` classes (the
    Content-Security-Policy forbids a style attribute carrying the exact value)."""
    return round(min(1.0, max(0.0, score or 0.0)) * 10)


@register.filter
def reverse_claim(claim_pk: int, name: str) -> str:
    return reverse(f"review:{name}", args=[claim_pk])


_VALUE_LABELS = {
    "status": dict(Claim.Status.choices),
    "kind": dict(Claim.Kind.choices),
    "stance": dict(Evidence.Stance.choices),
    "search": dict(CorroborationRun.Status.choices),
    "link": dict(Evidence.LinkStatus.choices),
    "priority": dict(Claim.Priority.choices),
}


@register.filter
def event_value(value: object, field: str) -> str:
    """A timeline value as people read it: labels for statuses, kinds and stances."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    if field == "statement" and value == "":
        return "(composed from speaker, cue and content)"
    if field == "due_on" and isinstance(value, str):
        try:
            return f"{datetime.date.fromisoformat(value):%-d %b %Y}"
        except ValueError:
            return value
    return str(_VALUE_LABELS.get(field, {}).get(value, value))

"""Speech acts: cue, speaker and content put together for each kind of cue, per paragraph.

A report nested in another claim's content or inside a quotation is part of that claim, not a
claim of its own.
"""

from __future__ import annotations

from .. import lexicon
from ..segmenting import Quote
from .content import content_for_verb, has_mark
from .cues import (
    cue_span,
    ends_paragraph_with_colon,
    in_lexicon,
    is_cue_noun,
    is_cue_verb,
    signed_post,
)
from .quotations import QUOTE_MARKS, extend_to_quotes, kind_of, statement_template
from .spans import Attribution, over_dash_pair, token_span, trim, trim_span
from .speaker_mentions import (
    DATELINE,
    can_speak,
    clean_mention,
    in_dateline,
    past_dateline_speaker,
    speaker_indexes,
    speaker_like,
    speaker_of_cue,
    speaker_span_tokens,
)

THAT = frozenset({"that"})


MAX_COLON_SPEAKER_TOKENS = 7


def attribute(
    doc, base: int, paragraph: int, quotes: list[Quote], pending: list | None = None
) -> list[Attribution]:
    """Speech and report acts in one parsed piece; offsets in ``base``-shifted characters.

    A cue that ends the paragraph with a colon ("Reporter Jomana Karadsheh says:") introduces
    the quotation of the next paragraph; it is appended to ``pending`` for the caller.
    """
    text = doc.text
    found: list[Attribution] = []
    pending = [] if pending is None else pending
    consumed: set[int] = set()
    for sentence in doc.sents:
        sentence_span = (base + sentence.start_char, base + sentence.end_char)
        for token in sentence:
            if token.i in consumed:
                continue
            lower = token.lower_
            if lower == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
                claim = _according_to(token, text, base, sentence_span, paragraph, quotes)
            elif is_cue_noun(token):
                claim = _noun_claim(token, text, base, sentence_span, paragraph, quotes)
            elif is_cue_verb(token):
                claim = _verb_claim(token, text, base, sentence_span, paragraph, quotes, consumed)
                if claim is None and ends_paragraph_with_colon(token, text):
                    template = _verb_claim(
                        token, text, base, sentence_span, paragraph, quotes, consumed, True
                    )
                    if template is not None:
                        pending.append(template)
            else:
                continue
            if claim is not None:
                claim.doc = doc
                claim.base = base
                found.append(claim)
    # A report inside a quotation ("“I think they knew it,” she said") is part of what the
    # quoted speaker said, not a separate claim.
    found = [
        claim
        for claim in found
        if claim.cue is None or not any(q.start < claim.cue[0] - base < q.end for q in quotes)
    ]
    post = _signed_post_claim(doc, base, paragraph)
    if post is not None:
        # What the post itself reports is part of the post, like a report inside a quotation.
        found = [
            c for c in found if c.cue is None or not post.content[0] <= c.cue[0] < post.content[1]
        ]
        found.append(post)
    for claim in _colon_claims(doc, base, paragraph, quotes, found):
        claim.doc = doc
        claim.base = base
        found.append(claim)
    if not pending:
        template = statement_template(doc, base, paragraph)
        if template is not None:
            pending.append(template)
    return _deduplicate(found)


def _signed_post_claim(doc, base: int, paragraph: int) -> Attribution | None:
    """'text — Name (@handle) date': the post is a direct quotation of its author."""
    text = doc.text
    match = signed_post(text)
    if match is None:
        return None
    offset = len(text) - len(text.lstrip())
    start, end = trim(text, offset + match.start("content"), offset + match.end("content"))
    if text[start : start + 1] in QUOTE_MARKS and text[end - 1 : end] in QUOTE_MARKS:
        start, end = start + 1, end - 1
    speaker = doc.char_span(offset + match.start("name"), offset + match.end("name"))
    if end - start < 2 or speaker is None:
        return None
    dash = (offset + match.start("dash"), offset + match.end("dash"))
    return Attribution(
        kind="direct",
        content=(base + start, base + end),
        sentence=(base + offset, base + len(text.rstrip())),
        paragraph=paragraph,
        cue=(base + dash[0], base + dash[1]),
        cue_lemma="post",
        speaker=(base + speaker.start_char, base + speaker.end_char),
        speaker_tokens=speaker,
        doc=doc,
        base=base,
    )


def _make(text, start, end, base, sentence, paragraph, **fields) -> Attribution | None:
    start, end = trim(text, start, end)
    # "ST CATHERINE, Jamaica (AW) — Three people …, police said": the place the story was
    # filed from is not part of what was said.
    dateline = DATELINE.match(text, start, end)
    if dateline:
        start = dateline.end()
    if end - start < 2:
        return None
    if not any(text[start] == mark for mark in QUOTE_MARKS):
        end = over_dash_pair(text, start, end, min(len(text), sentence[1] - base))
    kind, inner_start, inner_end = kind_of(text[start:end])
    content_start, content_end = start + inner_start, start + inner_end
    content_start, content_end = trim(text, content_start, content_end)
    if kind == "indirect":
        while content_end > content_start and text[content_end - 1] in ".!?":
            content_end -= 1
    if content_end - content_start < 2:
        return None
    return Attribution(
        kind=kind,
        content=(base + content_start, base + content_end),
        sentence=sentence,
        paragraph=paragraph,
        **fields,
    )


def _verb_claim(
    verb, text, base, sentence_span, paragraph, quotes, consumed, template: bool = False
):
    lemma = verb.lemma_.lower()
    if lemma in lexicon.CITING_LEMMAS and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp"):
        return None  # "…, citing X" adds a link to the chain of the head's claim.
    speaker_token = speaker_of_cue(verb)
    if speaker_token is not None and in_dateline(speaker_token):
        # "MACAU (Reuters) - Adelson said …" parsed with the place as the subject.
        speaker_token = past_dateline_speaker(speaker_token, verb)
        if speaker_token is None:
            return None
    if speaker_token is not None and not can_speak(speaker_token):
        return None
    passive = any(c.dep_ == "nsubjpass" for c in verb.children)
    if verb.tag_ == "VBN" and passive and not any(c.dep_ == "agent" for c in verb.children):
        speaker_token = None  # "she is expected to win": nobody in particular expects it
    speaker = speaker_span_tokens(speaker_token) if speaker_token is not None else None
    if speaker is not None and verb.i in speaker_indexes(speaker):
        # An apposition the parser hung on the subject can reach past the verb ("US officials
        # believe X, a claim Tehran denies"): the mention ends before the cue.
        speaker = trim_span(speaker.doc[speaker.start : verb.i]) if speaker.start < verb.i else None
    impersonal = any(c.dep_ in ("nsubjpass", "expl") for c in verb.children)
    if impersonal and lemma in lexicon.STANCE_VERBS and lemma not in lexicon.SPEECH_VERBS:
        return None  # "was backed by", "were targeted by": events, not speech
    if lemma in lexicon.SEEMING_VERBS:
        speaker, impersonal = None, True  # "he appears to be winning": nobody says so
    elif not in_lexicon(lemma) and (speaker is None or not speaker_like(speaker.root)):
        return None  # a that-clause after any verb counts only when somebody holds it
    if speaker is None and not impersonal:
        # Without a speaker only impersonal reports count ("it was reported that").
        return None
    if (
        lemma in lexicon.BELIEF_VERBS
        and speaker is not None
        and speaker.root.lower_ in (lexicon.FIRST_SECOND_PERSON)
    ):
        return None  # "I think", "you know": a turn of phrase, not a report
    if verb.head.lower_ == "let" or (verb.i > 0 and verb.doc[verb.i - 1].lower_ in ("’s", "'s")):
        return None  # "let's say"
    if template:
        # The content is in the next paragraph; keep who said it and the cue.
        cue = cue_span(verb)
        return Attribution(
            kind="direct",
            content=(base + len(text), base + len(text)),
            sentence=sentence_span,
            paragraph=paragraph,
            cue=(base + cue[0], base + cue[1]),
            cue_lemma=lemma,
            speaker=(base + speaker.start_char, base + speaker.end_char) if speaker else None,
            speaker_tokens=speaker,
            content_open=True,
        )
    content = content_for_verb(verb, text, quotes, speaker)
    if content is None:
        return None
    start, end = content
    cue = cue_span(verb)
    parenthetical = verb.dep_ == "parataxis" and verb.head.i > verb.i
    if speaker is not None and start <= speaker.start_char < end and not parenthetical:
        return None
    seeming = lemma in lexicon.SEEMING_VERBS
    if cue[0] >= start and cue[1] <= end and verb.tag_ != "VBN" and not (seeming or parenthetical):
        return None
    start, end = extend_to_quotes(start, end, cue, quotes)
    via = []
    # "Reuters reports that Y, citing Iraqi officials": the parser may hang "citing" off the
    # content's verb; either way it is a link in the chain, not part of the content.
    for candidate in verb.subtree:
        if (
            candidate.lemma_.lower() in lexicon.CITING_LEMMAS
            and candidate.tag_ == "VBG"
            and candidate.dep_ in ("advcl", "xcomp", "conj")
        ):
            consumed.add(candidate.i)
            for grandchild in candidate.children:
                if grandchild.dep_ in ("dobj", "pobj"):
                    via.append(clean_mention(grandchild))
            if start < candidate.idx < end:
                end = candidate.idx
    claim = _make(
        text,
        start,
        end,
        base,
        sentence_span,
        paragraph,
        cue=(base + cue[0], base + cue[1]),
        cue_lemma=lemma,
        speaker=(base + speaker.start_char, base + speaker.end_char) if speaker else None,
        speaker_tokens=speaker,
        via=via,
    )
    if claim is not None:
        claim.content_open = any(
            (not q.closed and q.start <= start < q.end) or (not q.closed and q.start == start)
            for q in quotes
        )
    return claim


def _noun_claim(noun, text, base, sentence_span, paragraph, quotes):
    """ "his criticism of the deal", "Trump's claim that he won": the owner is the source."""
    owner = next(child for child in noun.children if child.dep_ == "poss")
    if owner.lower_ in lexicon.FIRST_SECOND_PERSON or not can_speak(owner):
        return None
    contents = [
        child
        for child in noun.children
        if child.i > noun.i
        and (
            (child.dep_ == "prep" and child.lower_ in lexicon.NOUN_CONTENT_PREPOSITIONS)
            or (child.dep_ in ("acl", "ccomp", "relcl") and has_mark(child, THAT))
        )
    ]
    if not contents:
        return None
    first = contents[0]
    tokens = [t for t in first.subtree if t.i != first.i or first.dep_ != "prep"]
    span = token_span(tokens)
    if span is None:
        return None
    owner_tokens = [t for t in owner.subtree if t.lower_ not in ("'s", "’s", "'", "’")]
    speaker = noun.doc[owner_tokens[0].i : owner_tokens[-1].i + 1] if owner_tokens else None
    start, end = extend_to_quotes(*span, (noun.idx, noun.idx + len(noun.text)), quotes)
    return _make(
        text,
        start,
        end,
        base,
        sentence_span,
        paragraph,
        cue=(base + noun.idx, base + noun.idx + len(noun.text)),
        cue_lemma=noun.lemma_.lower(),
        speaker=(base + speaker.start_char, base + speaker.end_char) if speaker else None,
        speaker_tokens=speaker,
    )


def _according_to(token, text, base, sentence_span, paragraph, quotes):
    doc = token.doc
    to = doc[token.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        source = next((c for c in token.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    speaker = speaker_span_tokens(source)
    phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree} | {token.i, to.i}
    sentence = token.sent
    first, last = min(phrase), max(phrase)
    before = [t for t in sentence if t.i < first and not t.is_punct]
    after = [t for t in sentence if t.i > last and not t.is_punct]
    side = before if len(before) >= len(after) else after
    if len(side) < 2:
        return None
    start, end = token_span(side)
    # Keep a closing quotation mark that belongs to the content.
    start, end = extend_to_quotes(start, end, None, quotes)
    cue = (token.idx, to.idx + len(to.text))
    return _make(
        text,
        start,
        end,
        base,
        sentence_span,
        paragraph,
        cue=(base + cue[0], base + cue[1]),
        cue_lemma="according to",
        speaker=(base + speaker.start_char, base + speaker.end_char) if speaker else None,
        speaker_tokens=speaker,
    )


def _colon_claims(doc, base, paragraph, quotes, found) -> list[Attribution]:
    """'Trump: Cruz has a long way to go' (a headline) and 'pollster Daron Shaw: “…”'."""
    claims = []
    text = doc.text
    taken = [(c.content[0] - base, c.content[1] - base) for c in found]
    for token in doc:
        if token.text != ":" or token.i == 0:
            continue
        sentence = token.sent
        before = [t for t in doc[sentence.start : token.i] if not t.is_space]
        quote = next((q for q in quotes if q.start >= token.idx + 1), None)
        quote_follows = quote is not None and not text[token.idx + 1 : quote.start].strip()
        if quote_follows:
            content = (quote.start, quote.end)
            # The speaker is the noun phrase right before the colon.
            head = before[-1] if before else None
            if head is None or head.pos_ not in ("PROPN", "NOUN") or not can_speak(head):
                continue
            left = head
            while left.i > sentence.start and doc[left.i - 1].dep_ in (
                "compound",
                "amod",
                "det",
                "poss",
                "case",
            ):
                left = doc[left.i - 1]
            speaker = doc[left.i : head.i + 1]
        elif before and before[0].i == 0 and len(before) <= MAX_COLON_SPEAKER_TOKENS:
            # A headline or a transcript: "NAME: words" at the start of a paragraph.
            words = [t for t in before if not t.is_punct]
            if (
                not words
                or not all(t.text[:1].isupper() or t.pos_ in ("ADP", "DET", "PART") for t in words)
                or any(t.lower_ in lexicon.COLON_CUE_EXCLUDED_LEADS for t in words)
                or any(t.like_num for t in words)
            ):
                continue
            end = sentence.end_char if sentence.end_char > token.idx + 1 else len(text)
            rest = text[token.idx + 1 : len(text)]
            content = (token.idx + 1, token.idx + 1 + len(rest.rstrip()))
            if sentence.end_char - token.idx > 20:
                content = (token.idx + 1, end)
            speaker = doc[before[0].i : before[-1].i + 1]
        else:
            continue
        if len(text[content[0] : content[1]].split()) < 3:
            continue
        if any(s < content[1] and content[0] < e for s, e in taken):
            continue
        claim = _make(
            text,
            content[0],
            content[1],
            base,
            (base + sentence.start_char, base + sentence.end_char),
            paragraph,
            cue=(base + token.idx, base + token.idx + 1),
            cue_lemma=":",
            speaker=(base + speaker.start_char, base + speaker.end_char),
            speaker_tokens=speaker,
        )
        if claim is not None:
            claims.append(claim)
            taken.append((content[0], content[1]))
    return claims


def _deduplicate(found: list[Attribution]) -> list[Attribution]:
    """One claim per content; a report nested in another's content belongs to that claim.

    "Ryan said it is unrealistic to think that X": the claim is Ryan's; "to think that X" is
    part of what he said, and a reviewer checks it as such.
    """
    seen: set[tuple[int, int]] = set()
    kept = []
    for claim in found:
        if claim.content in seen:
            continue
        if claim.cue is not None and any(
            other is not claim
            and other.cue is not None
            and other.content[0] <= claim.cue[0] < other.content[1]
            and not (claim.content[0] <= other.cue[0] < claim.content[1])
            for other in found
        ):
            continue
        seen.add(claim.content)
        kept.append(claim)
    return kept

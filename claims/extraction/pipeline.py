"""The extraction pipeline: clean → segment → attribute → resolve speakers → score.

It works on the cleaned text and maps every span back to the input at the end, so that the app
can highlight claims in the article exactly as it was given.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import lexicon, scoring
from .attribution import Attribution, attribute, continue_quotes
from .cleaning import CleanedText, clean
from .metadata import read_metadata
from .scoring import is_first_or_second_person
from .segmenting import Piece, find_quotes, load_nlp, parse, pieces_of
from .speakers import Resolver, Speaker, is_resolvable, normalise
from .statement import StatementParts, draft

Span = tuple[int, int]
_WORDS = re.compile(r"[^\W\d_]+")
# Below this share of English function words a text of some length is taken as not English.
MIN_ENGLISH_SHARE = 0.08
MIN_WORDS_FOR_LANGUAGE_GUESS = 8
OTHER_LANGUAGE_STOPWORDS: dict[str, frozenset[str]] = {
    "de": lexicon.words("der die das und ist nicht ein eine mit von zu den sich auf für"),
    "fr": lexicon.words("le la les et est un une des du dans pour pas que qui sur avec"),
    "es": lexicon.words("el la los las y es un una de del en que por para con no se"),
    "it": lexicon.words("il lo la gli le e è un una di del che per non con si"),
    "nl": lexicon.words("de het een en is van niet dat op te zijn met voor"),
    "pt": lexicon.words("o a os as e é um uma de do da que em para com não"),
}
UNATTRIBUTED_MIN_WORDS = 5
# The speaker of an anonymous report: it has no mention in the text (``speaker`` and
# ``speaker_span`` stay None), but a reviewer sees who stands behind it.
UNNAMED_SOURCES = "unnamed sources"
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


@dataclass
class ExtractedClaim:
    """One claim. Plain spans are into the input text; ``clean_*`` spans into cleaned_text."""

    kind: str
    speaker: str | None
    speaker_name: str | None
    speaker_role: str | None
    speaker_kind: str | None
    speaker_span: Span | None
    via: list[str]
    cue: str | None
    cue_span: Span | None
    content: str
    content_span: Span
    sentence: str
    sentence_span: Span
    checkworthiness: float
    clean_content_span: Span
    clean_sentence_span: Span
    clean_speaker_span: Span | None = None
    clean_cue_span: Span | None = None
    # The speaker's role for ranking (features.ROLES): official, candidate, moderator…
    ranking_role: str | None = None
    # A standalone sentence for readers: speaker, finite verb and content ("Swift accused Big
    # Machine of …"). The content above stays what the source said.
    statement: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The claim as in the CLI's JSON (spans into the input text)."""
        return {
            "kind": self.kind,
            "speaker": self.speaker,
            "speaker_name": self.speaker_name,
            "speaker_role": self.speaker_role,
            "speaker_kind": self.speaker_kind,
            "speaker_span": list(self.speaker_span) if self.speaker_span else None,
            "via": list(self.via),
            "cue": self.cue,
            "cue_span": list(self.cue_span) if self.cue_span else None,
            "content": self.content,
            "content_span": list(self.content_span),
            "sentence_span": list(self.sentence_span),
            "checkworthiness": self.checkworthiness,
            "statement": self.statement,
        }


@dataclass
class Candidate:
    """A sentence of the text with its check-worthiness, whether or not a claim was made of it.

    ``speaker`` is the speaker it is attributed to (a transcript turn's, or the first
    attributed claim's in it), None in the outlet's own voice.
    """

    sentence_span: Span
    clean_sentence_span: Span
    speaker: str | None
    role: str | None
    score: float
    claimed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence_span": list(self.sentence_span),
            "speaker": self.speaker,
            "role": self.role,
            "score": self.score,
            "claimed": self.claimed,
        }


@dataclass
class ExtractionResult:
    """Everything extracted from one text."""

    headline: str | None
    outlet: str | None
    published: dt.date | None
    cleaned_text: str
    language: str
    claims: list[ExtractedClaim] = field(default_factory=list)
    # Who wrote it, as its byline says ("Staff Reporter", "Jane Doe, John Roe").
    byline: str | None = None
    candidates: list[Candidate] = field(default_factory=list)
    # Transcripts only: each speaker's turn (see transcript_claims.turn_dict).
    turns: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``python -m claims.extraction`` (spans into the input text)."""
        return {
            "headline": self.headline,
            "byline": self.byline,
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "claims": [claim.to_dict() for claim in self.claims],
            "candidates": [candidate.to_dict() for candidate in self.candidates],
            **({"turns": self.turns} if self.turns else {}),
        }


def guess_language(text: str) -> str:
    """'en' when English function words are common enough; another code or 'unknown'."""
    words = _WORDS.findall(text[:20000].lower())[:3000]
    if len(words) < MIN_WORDS_FOR_LANGUAGE_GUESS:
        return "en" if any(w in lexicon.ENGLISH_STOPWORDS for w in words) else "unknown"
    shares = {"en": sum(w in lexicon.ENGLISH_STOPWORDS for w in words) / len(words)}
    for code, stopwords in OTHER_LANGUAGE_STOPWORDS.items():
        shares[code] = sum(w in stopwords for w in words) / len(words)
    best = max(shares, key=lambda code: shares[code])
    if best == "en" and shares["en"] >= MIN_ENGLISH_SHARE:
        return "en"
    if shares[best] >= MIN_ENGLISH_SHARE:
        return best
    return "unknown"


@dataclass
class _Prepared:
    text: str
    cleaned: CleanedText
    language: str
    pieces: list[Piece]
    headline_paragraph: int | None
    metadata: Any


def _prepare(text: str) -> _Prepared:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    cleaned = clean(text)
    first = cleaned.text[slice(*cleaned.paragraphs[0])] if cleaned.paragraphs else None
    metadata = read_metadata(text, first, cleaned.head)
    headline_paragraph = 0 if first is not None and metadata.headline == first.strip() else None
    language = guess_language(cleaned.text)
    parsed = language == "en" or (language == "unknown" and len(cleaned.text.split()) < 8)
    pieces = pieces_of(cleaned.text, cleaned.paragraphs) if parsed else []
    return _Prepared(text, cleaned, language, pieces, headline_paragraph, metadata)


def extract(text: str) -> ExtractionResult:
    """Claims, headline, outlet and date of one text. Never raises on any string."""
    return extract_many([text])[0]


def extract_many(texts: Iterable[str], n_process: int = 1) -> list[ExtractionResult]:
    """Like :func:`extract` for many texts, parsed in one ``nlp.pipe`` stream.

    With ``n_process`` > 1 and more than one text, the texts are shared out among that many
    worker processes that each run the whole pipeline (parse and rules), so that the rules run
    in parallel too; results come back in input order. Processes are used whenever they are
    asked for, however small the batch: the caller decides whether forking pays.
    """
    texts = list(texts)
    if n_process > 1 and len(texts) > 1:
        return _extract_in_processes(texts, n_process)
    prepared = [_prepare(text) for text in texts]
    piece_texts = (
        item.cleaned.text[piece.start : piece.end] for item in prepared for piece in item.pieces
    )
    docs = iter(parse(piece_texts))
    results = []
    for item in prepared:
        item_docs = [next(docs) for _ in item.pieces]
        results.append(_extract_one(item, item_docs))
    return results


def _extract_chunk(texts: list[str]) -> list[ExtractionResult]:
    return extract_many(texts, n_process=1)


def _extract_in_processes(texts: list[str], n_process: int) -> list[ExtractionResult]:
    load_nlp()  # forked workers inherit the loaded model instead of loading their own
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # Chunks of similar size, several per worker, so that one long text does not hold up all.
    chunk_count = min(n_process * 4, len(texts))
    chunks = [texts[index::chunk_count] for index in range(chunk_count)]
    with context.Pool(n_process) as pool:
        chunk_results = pool.map(_extract_chunk, chunks)
    results: list[ExtractionResult | None] = [None] * len(texts)
    for index, chunk_result in enumerate(chunk_results):
        results[index::chunk_count] = chunk_result
    return [result for result in results if result is not None]


def _extract_one(item: _Prepared, docs: list) -> ExtractionResult:
    cleaned = item.cleaned
    resolver = Resolver()
    for piece, doc in zip(item.pieces, docs, strict=True):
        resolver.add_doc(doc, piece.start)
    attributions: list[Attribution] = []
    previous_open: Attribution | None = None
    for piece, doc in zip(item.pieces, docs, strict=True):
        quotes = find_quotes(doc.text)
        pending: list[Attribution] = []
        found = attribute(doc, piece.start, piece.paragraph, quotes, pending)
        continued = continue_quotes(previous_open, piece.paragraph, doc.text, piece.start, quotes)
        if continued is not None and not any(
            claim.content[0] <= continued.content[0] < claim.content[1] for claim in found
        ):
            continued.doc, continued.base = doc, piece.start
            found.insert(0, continued)
        attributions.extend(found)
        open_claims = [claim for claim in found if claim.content_open] + pending
        previous_open = open_claims[-1] if open_claims else None
    claims = [_claim_from(attribution, cleaned, resolver) for attribution in attributions]
    claims.extend(_unattributed(item, docs, attributions, resolver))
    claims = [claim for claim in claims if claim is not None]
    claims.sort(key=lambda claim: (claim.content_span[0], claim.content_span[1]))
    return ExtractionResult(
        headline=item.metadata.headline,
        byline=item.metadata.byline,
        outlet=item.metadata.outlet,
        published=item.metadata.published,
        cleaned_text=cleaned.text,
        language=item.language,
        claims=claims,
        candidates=_candidates(item, docs, claims),
    )


def _candidates(item: _Prepared, docs: list, claims: list[ExtractedClaim]) -> list[Candidate]:
    """Every sentence, scored as a whole with the role of the speaker it is attributed to."""
    attributed = [claim for claim in claims if claim.kind != "unattributed"]
    candidates = []
    for piece, doc in zip(item.pieces, docs, strict=True):
        for sentence in doc.sents:
            start = piece.start + sentence.start_char
            end = piece.start + len(sentence.text.rstrip()) + sentence.start_char
            if end <= start:
                continue
            inside = [c for c in claims if _overlaps(c.clean_content_span, (start, end))]
            speaker = next(
                (c for c in attributed if _overlaps(c.clean_content_span, (start, end))), None
            )
            role = speaker.ranking_role if speaker else None
            candidates.append(
                Candidate(
                    sentence_span=item.cleaned.span_to_original(start, end),
                    clean_sentence_span=(start, end),
                    speaker=speaker.speaker_name if speaker else None,
                    role=role,
                    score=scoring.score(sentence, role=role),
                    claimed=bool(inside),
                )
            )
    return candidates


def _overlaps(first: Span, second: Span) -> bool:
    return first[0] < second[1] and second[0] < first[1]


def _speaker_of(attribution: Attribution, resolver: Resolver) -> Speaker | None:
    span = attribution.speaker_tokens
    if span is None:
        if attribution.speaker is None:
            # "They are understood to have left", "it is reported that": nobody is named.
            return Speaker(UNNAMED_SOURCES, None, "unknown", plural=True)
        return None
    if len(span) == 1 and span[0].lower_ in RELATIVE_PRONOUNS:
        antecedent = _antecedent_of_relative(span[0])
        if antecedent is not None:
            return normalise(antecedent.doc[antecedent.left_edge.i : antecedent.i + 1])
    if is_resolvable(span):
        resolved = resolver.resolve(span, attribution.speaker[0] if attribution.speaker else 0)
        if resolved is not None:
            return resolved
        if len(span) == 1:
            return Speaker(None, None, "unknown")
    return normalise(span)


def _antecedent_of_relative(pronoun):
    """The noun a "who", "which" or "that" stands for: what its clause hangs on, or else the
    nearest noun before it ("the council, which said …" when the parse lost the clause)."""
    if pronoun.head.dep_ == "relcl":
        antecedent = pronoun.head.head
        # "a spokeswoman for the fire brigade, who asked …": "who" is a person, and the
        # parse may hang the clause on the nearer noun of the prepositional phrase.
        owner = antecedent.head.head if antecedent.dep_ == "pobj" else None
        if (
            pronoun.lower_ == "who"
            and owner is not None
            and owner.lemma_.lower() in lexicon.PERSON_ROLE_NOUNS
            and antecedent.lemma_.lower() not in lexicon.PERSON_ROLE_NOUNS
            and antecedent.ent_type_ != "PERSON"
        ):
            return owner
        return antecedent
    index = pronoun.i - 1
    while index >= 0 and (pronoun.doc[index].is_punct or pronoun.doc[index].is_space):
        index -= 1
    if index >= 0 and pronoun.doc[index].pos_ in ("NOUN", "PROPN"):
        return pronoun.doc[index]
    return None


def _claim_from(
    attribution: Attribution, cleaned: CleanedText, resolver: Resolver
) -> ExtractedClaim | None:
    speaker = _speaker_of(attribution, resolver)
    # The claim as a whole: who, the cue and what, never the content fragment alone.
    whole = [attribution.speaker, attribution.cue, attribution.content]
    by_index = {
        token.i: token
        for span in whole
        if span
        for token in _tokens_in(attribution.doc, attribution.base, span)
    }
    tokens = [by_index[index] for index in sorted(by_index)]
    content = _tokens_in(attribution.doc, attribution.base, attribution.content)
    role = scoring.role_of_speaker(speaker)
    claim = _build(
        cleaned,
        kind=attribution.kind,
        content=attribution.content,
        sentence=attribution.sentence,
        cue=attribution.cue,
        speaker_span=attribution.speaker,
        speaker=speaker,
        via=attribution.via,
        score=scoring.score(tokens, role=role, proposition=content),
    )
    if claim is not None:
        claim.ranking_role = role
        claim.statement = draft(_statement_parts(attribution, speaker, cleaned.text))
    return claim


def _statement_parts(attribution: Attribution, speaker: Speaker | None, text: str):
    """What the statement drafter needs, read off the claim's spans and its parse."""
    content_start, content_end = attribution.content
    content = text[content_start:content_end]
    sentence = text[slice(*attribution.sentence)]
    doc, base = attribution.doc, attribution.base
    cue_token = None
    if attribution.cue is not None and doc is not None and base <= attribution.cue[0]:
        # A quotation continued from an earlier paragraph has its cue outside this doc.
        cue_token = next((t for t in doc if t.idx + base >= attribution.cue[0]), None)
    cue_inside = attribution.cue is not None and (
        content_start <= attribution.cue[0] and attribution.cue[1] <= content_end
    )
    drop: tuple[tuple[int, int], ...] = ()
    if cue_inside and attribution.speaker is not None:
        # "The mayor, officials said, would resign": the parenthetical leaves the content.
        start = min(attribution.speaker[0], attribution.cue[0])
        end = max(attribution.speaker[1], attribution.cue[1])
        while start > content_start and text[start - 1] in " ,—–":
            start -= 1
        while end < content_end and text[end] in " ,—–":
            end += 1
        if content_start < start and end <= content_end:
            drop = ((start - content_start, end - content_start),)
    first = next((t for t in _tokens_in(doc, base, attribution.content) if not t.is_punct), None)
    cue_end = attribution.cue[1] if attribution.cue else content_start
    cue = text[slice(*attribution.cue)] if attribution.cue else None
    if cue_token is not None:
        finite = cue_token.tag_ in FINITE_TAGS
        noun_cue = cue_token.pos_ == "NOUN"
    else:
        finite = not (cue or "").split(" ", 1)[0].endswith("ing")
        noun_cue = attribution.cue_lemma in lexicon.STATEMENT_NOUNS or (
            attribution.cue_lemma in lexicon.ATTRIBUTION_NOUNS
        )
    auxiliaries = [
        c for c in (cue_token.children if cue_token is not None else ()) if c.dep_ == "aux"
    ]
    if cue is not None and auxiliaries and auxiliaries[0].tag_ in FINITE_TAGS:
        # "is defending", "has warned": the verb group is the finite verb.
        cue = text[base + auxiliaries[0].idx : attribution.cue[1]]
        finite = True
    return StatementParts(
        kind=attribution.kind,
        content=content,
        sentence=sentence,
        speaker=_statement_speaker(attribution, speaker, text),
        cue=cue,
        cue_lemma=attribution.cue_lemma,
        cue_finite=finite,
        noun_cue=noun_cue,
        cue_inside_content=cue_inside,
        passive=(
            cue_token is not None
            and cue_token.tag_ == "VBN"
            and any(c.dep_ == "nsubjpass" for c in cue_token.children)
            and content_end <= attribution.cue[0]
        ),
        after_that=text[max(0, content_start - 5) : content_start].lower() == "that ",
        adjacent=content_start >= cue_end and not text[cue_end:content_start].strip(),
        content_before_cue=attribution.cue is not None and content_end <= attribution.cue[0],
        lower_first=first is not None and _common_word(first),
        drop=drop,
    )


def _common_word(token) -> bool:
    """A word that loses its capital inside a sentence (not a name, "I" or an acronym)."""
    return token.pos_ != "PROPN" and token.text != "I" and not token.text.isupper()


def _statement_speaker(attribution: Attribution, speaker: Speaker | None, text: str):
    """How the statement names the speaker: resolved for pronouns, the mention otherwise."""
    if attribution.speaker is None:
        return None
    span = attribution.speaker_tokens
    mention = text[slice(*attribution.speaker)]
    words = [t.lower_ for t in span if not t.is_punct] if span is not None else []
    pronoun = len(words) == 1 and (
        words[0] in RELATIVE_PRONOUNS
        or words[0] in lexicon.FIRST_SECOND_PERSON
        or is_resolvable(span)
    )
    named = speaker.name if speaker is not None and speaker.name else None
    if pronoun and named:
        # "which" → "the company": a common noun takes its article back.
        return f"the {named}" if named[:1].islower() and not speaker.plural else named
    # "the ministry" → "the Iraqi Foreign Ministry", when the antecedent says more.
    if named and span is not None and is_resolvable(span) and len(named.split()) > 1:
        return f"the {named}" if named[:1].islower() else named
    # "Qais al-Khazali, leader of the militia,": the apposition stays in the source.
    mention = mention.split(",")[0].strip()
    for ending in ("'s", "’s"):
        mention = mention.removesuffix(ending)
    return mention or None


def _tokens_in(doc, base: int, span: Span) -> list:
    if doc is None:
        return []
    start, end = span[0] - base, span[1] - base
    return [t for t in doc if t.idx >= start and t.idx + len(t.text) <= end]


def _without_outer_space(text: str, span: Span) -> Span:
    """The span without the spaces and line breaks at its ends. A line break kept at the end
    of a content would map back over whatever the cleaner removed after it (a stray "." on the
    next line), so the stored span and the stored words would disagree."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _build(
    cleaned: CleanedText,
    *,
    kind: str,
    content: Span,
    sentence: Span,
    cue: Span | None,
    speaker_span: Span | None,
    speaker: Speaker | None,
    via: list[str],
    score: float,
) -> ExtractedClaim | None:
    text = cleaned.text
    content = _without_outer_space(text, content)
    if content[1] <= content[0]:
        return None
    return ExtractedClaim(
        kind=kind,
        speaker=text[slice(*speaker_span)] if speaker_span else None,
        speaker_name=speaker.name if speaker else None,
        speaker_role=speaker.role if speaker else None,
        speaker_kind=speaker.kind if speaker else None,
        speaker_span=cleaned.span_to_original(*speaker_span) if speaker_span else None,
        via=list(via),
        cue=text[slice(*cue)] if cue else None,
        cue_span=cleaned.span_to_original(*cue) if cue else None,
        content=text[slice(*content)],
        content_span=cleaned.span_to_original(*content),
        sentence=text[slice(*sentence)],
        sentence_span=cleaned.span_to_original(*sentence),
        checkworthiness=score,
        clean_content_span=content,
        clean_sentence_span=sentence,
        clean_speaker_span=speaker_span,
        clean_cue_span=cue,
    )


def _unattributed(
    item: _Prepared, docs: list, attributions: list[Attribution], resolver: Resolver
) -> list:
    """Statements of fact the outlet makes itself: numbers, casualties, events."""
    taken = sorted(
        [a.content for a in attributions] + [a.cue for a in attributions if a.cue],
    )
    claims = []
    for piece, doc in zip(item.pieces, docs, strict=True):
        if piece.paragraph == item.headline_paragraph:
            continue
        for sentence in doc.sents:
            start, end = piece.start + sentence.start_char, piece.start + sentence.end_char
            if any(s < end and start < e for s, e in taken):
                continue
            if not _is_statement_of_fact(sentence):
                continue
            trimmed_end = end
            while trimmed_end > start and item.cleaned.text[trimmed_end - 1] in " \n":
                trimmed_end -= 1
            claim = _build(
                item.cleaned,
                kind="unattributed",
                content=(start, trimmed_end),
                sentence=(start, trimmed_end),
                cue=None,
                speaker_span=None,
                speaker=None,
                via=[],
                score=scoring.score(sentence),
            )
            if claim is not None:
                claim.statement = draft(
                    StatementParts(
                        kind="unattributed",
                        content=claim.content,
                        sentence=claim.content,
                        subject_replacement=_leading_pronoun(sentence, resolver, piece.start),
                    )
                )
                claims.append(claim)
    return claims


def _leading_pronoun(sentence, resolver: Resolver, base: int) -> tuple[int, int, str] | None:
    """'He was elected in 2019.': the opening subject pronoun and the name it stands for."""
    first = next((t for t in sentence if not t.is_space), None)
    if (
        first is None
        or first.dep_ not in ("nsubj", "nsubjpass")
        or not is_resolvable(first.doc[first.i : first.i + 1])
    ):
        return None
    resolved = resolver.resolve(first.doc[first.i : first.i + 1], base + first.idx)
    if resolved is None or not resolved.name:
        return None
    offset = first.idx - sentence.start_char
    return offset, offset + len(first.text), resolved.name


def _is_statement_of_fact(sentence) -> bool:
    words = [t for t in sentence if not t.is_punct and not t.is_space]
    if len(words) < UNATTRIBUTED_MIN_WORDS or len(words) > 80:
        return False
    if not sentence.text.strip()[:1].isupper():
        return False
    if any(t.text in ("?", "!") or t.text in lexicon.ALL_DOUBLE_QUOTES for t in sentence):
        return False
    root = sentence.root
    if root.pos_ not in ("VERB", "AUX"):
        return False
    if any(t.tag_ == "MD" for t in sentence):
        return False
    if any(is_first_or_second_person(t) for t in words):
        return False
    has_number = any(t.like_num or t.ent_type_ in scoring.NUMBER_LABELS for t in sentence)
    has_entity = any(t.ent_type_ in scoring.CHECKABLE_LABELS for t in sentence)
    finite = any(t.tag_ in ("VBD", "VBZ", "VBP", "VBN") for t in sentence)
    return finite and (has_number or has_entity)

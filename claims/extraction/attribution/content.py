"""Content choice: what a cue verb reports, in this order of preference.

1. a quotation it introduces with a colon ("X said: 'Y'", "saying: 'Y'"), or the quotation that
   ends right before its clause ("'Y,' X said");
2. its clausal complement ("X said (that) Y", "Y, X said", "Y, said X");
3. its object, for verbs whose content is their object ("accused X of Y", "described X as Y",
   "urged X to Y", "condemned X for Y", "see X as Y");
4. the sentence around a parenthetical cue ("Y, officials said, Z");
5. for verbs of saying whose parse went astray, the rest of the sentence.
"""

from __future__ import annotations

from .. import lexicon
from ..segmenting import Quote
from .cues import MAX_CUE_TO_QUOTE_CHARS, is_cue_verb
from .quotations import QUOTE_MARKS
from .spans import subtree_span, token_span
from .speaker_mentions import has_subject, speaker_indexes, subject_lemma

CONTENT_OBJECT_DEPS = frozenset(
    {"dobj", "dative", "prep", "xcomp", "ccomp", "oprd", "attr", "acomp", "obj", "pobj"}
)


# Prepositions that carry content after an object-content verb ("accused X of Y").
CONTENT_PREPOSITIONS = frozenset(
    {"of", "for", "as", "about", "on", "against", "over", "that", "to", "with"}
)


PRONOUN_OBJECTS = frozenset({"them", "him", "her", "us", "me", "you"})


CLAUSE_MARKS = frozenset({"for", "that", "whether", "if"})


def has_mark(clause, marks: frozenset[str]) -> bool:
    return any(g.dep_ == "mark" and g.lower_ in marks for g in clause.children)


def quote_after(verb, cue_end: int, quotes: list[Quote], text: str) -> Quote | None:
    """A quotation that the cue introduces: after it, close, and with a colon between.

    Nothing but a short phrase may stand between ("said of the strikes: "); another verb there
    means the quotation belongs to that verb ("urged the crowd to desist, saying: ").
    """
    for quote in quotes:
        if quote.start < cue_end:
            continue
        between = text[cue_end : quote.start]
        if len(between) > MAX_CUE_TO_QUOTE_CHARS or any(c in ".!?" for c in between):
            return None
        doc = verb.doc
        if any(
            t.pos_ in ("VERB", "AUX") and t.i != verb.i
            for t in doc[verb.i + 1 :]
            if cue_end <= t.idx < quote.start
        ):
            return None
        if ":" in between or not between.strip(" ,\n"):
            return quote
        return None
    return None


def quote_before(verb, speaker, quotes: list[Quote], text: str) -> Quote | None:
    """'“Who do they think they are?” Trump said of Apple': a quotation that ends right
    before the clause of the cue, with nothing but punctuation between."""
    clause_start = verb.idx
    if speaker is not None:
        clause_start = min(clause_start, speaker.start_char)
    for quote in reversed(quotes):
        if quote.closed and quote.end <= clause_start:
            if not text[quote.end : clause_start].strip(" ,.!?\n—–-"):
                return quote
            return None
    return None


def content_for_verb(verb, text: str, quotes: list[Quote], speaker) -> tuple | None:
    """(start, end) of the content in doc characters, or None."""
    lemma = verb.lemma_.lower()
    exclude = set(speaker_indexes(speaker))
    exclude.add(verb.i)
    cue_end = verb.idx + len(verb.text)
    for child in verb.children:
        if child.dep_ in ("prt",) or (child.dep_ == "prep" and child.i == verb.i + 1):
            cue_end = max(cue_end, child.idx + len(child.text))
    after = quote_after(verb, cue_end, quotes, text)
    before = quote_before(verb, speaker, quotes, text)
    if before is not None and not (
        lemma in lexicon.SAYING_VERBS or lemma in lexicon.QUOTE_ONLY_VERBS
    ):
        before = None
    # '“…,” Fiorina told “Fox and Friends.”': without a colon, the quotation before the cue
    # is the content and the one after it is a name.
    if (
        after is not None
        and lemma not in lexicon.BELIEF_VERBS
        and (before is None or ":" in text[cue_end : after.start])
    ):
        return after.start, after.end
    if before is not None:
        return before.start, before.end
    if lemma in lexicon.QUOTE_ONLY_VERBS:
        return None
    if lemma in lexicon.SAYING_VERBS:
        pronoun = next(
            (
                c
                for c in verb.children
                if c.dep_ in ("dobj", "advmod", "intj")
                and c.lower_ in lexicon.PRONOUN_CONTENTS
                and c.i == verb.i + 1
            ),
            None,
        )
        if pronoun is not None and not any(c.dep_ == "ccomp" for c in verb.children):
            return pronoun.idx, pronoun.idx + len(pronoun.text)
    if lemma in lexicon.SEEMING_VERBS:
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        complement = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
        if subject is None or complement is None or subject.lower_ == "it":
            return None
        end = complement.right_edge
        return subject.left_edge.idx, end.idx + len(end.text)
    if lemma in lexicon.AS_VERBS:
        has_as = any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children) or any(
            c.dep_ in ("dobj", "oprd") and any(g.lower_ == "as" for g in c.children)
            for c in verb.children
        )
        if not has_as:
            return None
        return object_content(verb, exclude, any_preposition=True)
    passive_subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if passive_subject is not None and any(c.dep_ == "agent" for c in verb.children):
        # "The strikes were condemned by Iraq": what the agent condemned is the subject.
        return subtree_span(passive_subject, exclude)
    infinitive = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
    if verb.tag_ == "VBN" and passive_subject is not None and infinitive is not None:
        # "She is expected to move swiftly": an anonymous expectation about the subject.
        return passive_subject.left_edge.idx, infinitive.right_edge.idx + len(
            infinitive.right_edge.text
        )
    if lemma in lexicon.EVIDENCE_VERBS and subject_lemma(verb) in lexicon.EVIDENCE_NOUNS:
        span = object_content(verb, exclude, any_preposition=True)
        if span:
            return span
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    if lemma in lexicon.SPEECH_VERBS:
        clauses += [c for c in verb.children if c.dep_ == "parataxis"]
    if lemma in lexicon.XCOMP_CONTENT_VERBS and not clauses:
        clauses = [c for c in verb.children if c.dep_ == "xcomp"]
    if clauses:
        # "X said Y, and Z said W": the second report is not part of the first's content.
        own_reports = [c for c in clauses if is_cue_verb(c) and has_subject(c) and c.i > verb.i]
        clauses = [c for c in clauses if c not in own_reports] or clauses
        clause = max(clauses, key=lambda c: len(list(c.subtree)))
        span = subtree_span(clause, exclude)
        if clause.dep_ == "xcomp" and span:
            # Object control: "urged the crowd to desist" — the object belongs to the content.
            objects = [c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < clause.i]
            if objects:
                span = (objects[0].left_edge.idx, span[1])
        return span
    if lemma in lexicon.OBJECT_CONTENT_VERBS or lemma in lexicon.STANCE_VERBS:
        span = object_content(verb, exclude)
        if span:
            return span
    # "Y, X said." where the parser hung the cue off the content's verb.
    if (
        verb.dep_ in ("parataxis", "ccomp")
        and verb.head.i < verb.i
        and lemma in lexicon.SPEECH_VERBS
        and verb.head.pos_ in ("VERB", "AUX", "NOUN")
        and not is_cue_verb(verb.head)
        and verb.left_edge.i > 0
        and verb.doc[verb.left_edge.i - 1].text in QUOTE_MARKS | {",", "—", "–"}
    ):
        own = {t.i for t in verb.subtree}
        return subtree_span(verb.head, own | exclude, side=verb.i)
    # "Mrs. Clinton, these people said, would be open to…": a parenthetical cue.
    if (
        verb.dep_ == "parataxis"
        and lemma in lexicon.SPEECH_VERBS
        and verb.head.i > verb.i
        and after_comma(verb)
    ):
        # The whole sentence is the content: the claim needs its subject, and a reader
        # sees the parenthetical for what it is.
        head = verb.head
        last = head.right_edge
        while last.i > head.i and last.is_punct:
            last = last.nbor(-1)
        return head.left_edge.idx, last.idx + len(last.text)
    if lemma in lexicon.SAYING_VERBS:
        return rest_of_sentence(verb, exclude)
    return None


def object_content(verb, exclude: set[int], any_preposition: bool = False):
    """Content of verbs like 'accused X of Y': from the first object to the last."""
    children = [
        child
        for child in verb.children
        if child.i > verb.i
        and child.i not in exclude
        and (
            child.dep_ in CONTENT_OBJECT_DEPS
            # "calling for his rivals to drop out"
            or (
                child.dep_ == "advcl"
                and any(g.dep_ == "mark" and g.lower_ in CLAUSE_MARKS for g in child.children)
            )
        )
    ]
    if verb.lemma_.lower() in lexicon.ADDRESSEE_VERBS:
        # "spoke to reporters": the addressee is not what was said.
        children = [c for c in children if not (c.dep_ == "prep" and c.lower_ == "to")]
        children = [c for c in children if c.dep_ != "dobj" or c.lower_ not in PRONOUN_OBJECTS]
    if not children:
        return None
    if not any_preposition and not any(
        child.dep_ != "prep" or child.lower_ in CONTENT_PREPOSITIONS for child in children
    ):
        return None  # only time or place ("welcomed in 2014"): no content
    tokens = [t for child in children for t in child.subtree if t.i not in exclude]
    timing = {
        t.i
        for phrase in tokens
        if phrase.dep_ in ("prep", "npadvmod") and is_time_phrase(phrase)
        for t in phrase.subtree
    }
    # "condemned Washington for the strikes, which left forces on alert": a relative clause
    # after a comma is the writer's aside, not what the speaker said. But when the object's
    # complement comes after the aside ("accused the company, which employs 3,000 people, of
    # breaking the law"), cutting there would leave a bare object that nobody can check: the
    # content keeps the aside and runs on to the complement.
    asides = [
        t
        for t in tokens
        if t.dep_ == "relcl"
        and t.left_edge.i > 0
        and t.doc[t.left_edge.i - 1].text == ","
        and t.left_edge.lower_ in ("which", "who")
        and not any(
            other.i > t.right_edge.i
            and not other.is_punct
            and not other.is_space
            and other.i not in timing
            for other in tokens
        )
        # "condemned the bombing, which killed 12 people, as a war crime": the parser may
        # hang the complement on the aside's verb; after a comma it is the cue's.
        and not any(
            c.dep_ == "prep"
            and c.lower_ in CONTENT_PREPOSITIONS
            and c.i > t.i
            and t.doc[c.i - 1].text == ","
            and not is_time_phrase(c)
            for c in t.children
        )
    ]
    if asides:
        cut = min(aside.left_edge.i for aside in asides) - 1
        tokens = [t for t in tokens if t.i < cut]
    return token_span(tokens)


def is_time_phrase(token) -> bool:
    """'on Monday', 'last week': when, not what."""
    words = [
        t for t in token.subtree if not t.is_punct and not (t.i == token.i and t.dep_ == "prep")
    ]
    return bool(words) and all(t.ent_type_ in ("DATE", "TIME") for t in words)


def after_comma(verb) -> bool:
    """Whether the cue's clause follows a comma or a dash (a parenthetical "…, he said, …")."""
    first = min((t.i for t in verb.subtree if not t.is_punct), default=verb.i)
    return first > verb.sent.start and verb.doc[first - 1].text in {",", "—", "–"}


def rest_of_sentence(verb, exclude: set[int]):
    """When the parse went astray ("said on Friday during a conference that Y"): the words
    after the cue, from a following "that" if there is one, else the words before it
    ("Y, he said")."""
    sentence = verb.sent
    after = [t for t in sentence if t.i > verb.i and t.i not in exclude]
    for token in after[:15]:
        # "said at a briefing that it was over": the parser may hang the "that" of the
        # clause as an object of its verb, taken for a relative clause on "briefing".
        head = token.head
        misparsed = token.dep_ == "pobj" and head.i > token.i and head.pos_ in ("VERB", "AUX")
        if token.lower_ == "that" and (token.dep_ in ("mark", "dobj", "nsubj") or misparsed):
            after = [t for t in after if t.i > token.i]
            break
        if token.text in (",", ";", ":") or token.dep_ == "cc":
            after = []
            break
    words = [t for t in after if not t.is_punct]
    if len(words) >= 3:
        return token_span(after)
    before = [t for t in sentence if t.i < verb.i and t.i not in exclude]
    if before and before[-1].text in (",", *QUOTE_MARKS) and len(before) >= 4:
        return token_span(before)
    return None

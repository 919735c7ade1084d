"""Attribution: find each speech or report act (speaker, cue, content) on spaCy's parse.

A cue is a verb from the lexicon (speech, belief, stance), any verb or adjective with a
"that" clause and a plausible holder, a noun with an owner ("his criticism of X"), "according
to", a colon after a name ("Trump: …", "pollster Daron Shaw: “…”"), or "issued the following
statement:". For a cue verb the content is, in this order of preference:
1. a quotation it introduces with a colon ("X said: 'Y'", "saying: 'Y'"), or the quotation that
   ends right before its clause ("'Y,' X said"); a cue ending a paragraph with a colon takes the
   quotation of the next paragraph;
2. its clausal complement ("X said (that) Y", "Y, X said", "Y, said X");
3. its object, for verbs whose content is their object ("accused X of Y", "described X as Y",
   "urged X to Y", "condemned X for Y", "see X as Y");
4. the sentence around a parenthetical cue ("Y, officials said, Z");
5. for verbs of saying whose parse went astray, the rest of the sentence.
The speaker is the cue's subject, the agent of a passive, or is inherited ("urged …, saying"),
with datelines cut off. "Citing X" adds X to the chain of attribution (``via``). A quotation
that the parse cut into several sentences is put back together, and a quotation that runs over
several paragraphs (an opening mark on each, no closing mark until the last) yields one claim
per paragraph, all with the speaker of the first. A report nested in another claim's content
or inside a quotation is part of that claim, not a claim of its own.

An anonymous report ("they are understood to have left", "he is believed to be", "the ship is
said to carry", "it is reported that") keeps its kind and cue ("understood"), and the pipeline
gives it the speaker "unnamed sources" (``speaker_name``; kind "unknown"): there is no mention
in the text, so ``speaker`` and ``speaker_span`` stay None, but a claim of kind "direct",
"indirect" or "mixed" always has a ``speaker_name``.
A spaced dash pair ("the gate - used by vehicles - was broken down") is a parenthetical inside
the content, not its end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import lexicon
from .segmenting import Quote

CONTENT_OBJECT_DEPS = frozenset(
    {"dobj", "dative", "prep", "xcomp", "ccomp", "oprd", "attr", "acomp", "obj", "pobj"}
)
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
# Prepositions that carry content after an object-content verb ("accused X of Y").
CONTENT_PREPOSITIONS = frozenset(
    {"of", "for", "as", "about", "on", "against", "over", "that", "to", "with"}
)
# How far the text between a cue and a quotation may run ("said of the strikes: ").
MAX_CUE_TO_QUOTE_CHARS = 60
EDGE_PUNCTUATION = " \t\n,;:—–-"
NON_SPEAKER_ENTITIES = frozenset({"DATE", "TIME", "MONEY"})
THAT = frozenset({"that"})
PRONOUN_OBJECTS = frozenset({"them", "him", "her", "us", "me", "you"})
CLAUSE_MARKS = frozenset({"for", "that", "whether", "if"})
DATELINE_DASHES = frozenset({"-", "—", "–", "--"})
TRAILING_CONJUNCTIONS = (" and", " but", " or", " while", " as")
KIND_MARKS = set(lexicon.ALL_DOUBLE_QUOTES + lexicon.SINGLE_OPENING)
QUOTE_MARKS = set(lexicon.ALL_DOUBLE_QUOTES + lexicon.SINGLE_OPENING + lexicon.SINGLE_CLOSING)


@dataclass
class Attribution:
    """One speech or report act, with spans into the cleaned text."""

    kind: str
    content: tuple[int, int]
    sentence: tuple[int, int]
    paragraph: int
    cue: tuple[int, int] | None = None
    cue_lemma: str = ""
    speaker: tuple[int, int] | None = None
    speaker_tokens: object = None  # spaCy Span of the speaker mention, when there is one
    via: list[str] = field(default_factory=list)
    content_open: bool = False  # the content is a quotation still open at the paragraph's end
    doc: object = None
    base: int = 0


def _has_that_clause(token) -> bool:
    """A verb or adjective with a finite 'that' clause ("is confident that Y", "hinted that Y")."""
    return any(
        child.dep_ == "ccomp"
        and child.i > token.i
        and any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children)
        for child in token.children
    )


def _is_cue_verb(token) -> bool:
    if token.pos_ == "ADJ" and token.dep_ in ("acomp", "ROOT") and _has_that_clause(token):
        return token.lemma_.lower() not in lexicon.NOT_ATTITUDE_VERBS
    if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBD", "VBZ", "VBP", "VBG"):
        return False
    if token.dep_ in ("amod", "compound", "nmod", "acl") and token.tag_ == "VBN":
        return False
    lemma = token.lemma_.lower()
    if lemma not in lexicon.NOT_ATTITUDE_VERBS and _has_that_clause(token):
        return True
    return (
        lemma in lexicon.SPEECH_VERBS
        or lemma in lexicon.BELIEF_VERBS
        or lemma in lexicon.STANCE_VERBS
        or lemma in lexicon.QUOTE_ONLY_VERBS
        or lemma in lexicon.AS_VERBS
        or lemma in lexicon.SEEMING_VERBS
    )


def _token_span(tokens) -> tuple[int, int] | None:
    """Character span (relative to the doc) from the first to the last of ``tokens``."""
    tokens = list(tokens)
    if not tokens:
        return None
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _subtree_span(token, exclude: set[int] | None = None, side: int | None = None):
    """Span of a subtree, optionally without some tokens (keeping the longest run)."""
    indexes = sorted(t.i for t in token.subtree if not exclude or t.i not in exclude)
    if not indexes:
        return None
    runs: list[list[int]] = [[indexes[0]]]
    for index in indexes[1:]:
        if index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    if side is not None:
        # "Y, X said": the content is the part before the cue.
        runs = [run for run in runs if run[-1] < side] or runs
    run = max(runs, key=len)
    doc = token.doc
    return doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]].text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop edge punctuation and a leading 'that' from a content span."""
    while start < end and text[start] in EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCTUATION:
        end -= 1
    for conjunction in TRAILING_CONJUNCTIONS:
        if text[start:end].endswith(conjunction):
            end -= len(conjunction)
            while end > start and text[end - 1] in EDGE_PUNCTUATION:
                end -= 1
    lowered = text[start : start + 5].lower()
    if lowered == "that " or lowered == "that\n":
        start += 5
    return start, end


def _quote_after(verb, cue_end: int, quotes: list[Quote], text: str) -> Quote | None:
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


def _has_subject(verb) -> bool:
    return any(child.dep_ in SUBJECT_DEPS for child in verb.children)


def _preceding_noun(verb):
    """The noun right before a cue whose subject the parser lost ("Sen. Warren (D-MA) said")."""
    doc = verb.doc
    index = verb.i - 1
    depth = 0
    while index >= 0:
        token = doc[index]
        if token.text == ")":
            depth += 1
        elif token.text == "(":
            depth -= 1
        elif depth == 0 and not (token.pos_ == "ADV" or token.is_space or token.text == ","):
            break
        index -= 1
    if index < 0 or depth:
        return None
    token = doc[index]
    if token.pos_ in ("PROPN", "NOUN") and token.dep_ not in ("pobj", "dobj", "poss"):
        return token
    return None


def _quote_before(verb, speaker, quotes: list[Quote], text: str) -> Quote | None:
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


def _past_dateline(subject, verb):
    """'WASHINGTON, DC – Today, … Senator Jack Reed … issued': the parser may take the
    dateline for the subject; the speaker is then the last person or body before the verb."""
    doc = subject.doc
    window = doc[subject.i + 1 : min(subject.i + 5, len(doc))]
    if not (subject.text.isupper() and any(t.text in DATELINE_DASHES for t in window)):
        return subject
    named = [
        entity
        for entity in subject.sent.ents
        if entity.label_ in ("PERSON", "ORG") and subject.i < entity.start and entity.end <= verb.i
    ]
    people = [entity for entity in named if entity.label_ == "PERSON"]
    named = people or named
    return named[-1].root if named else subject


def _in_lexicon(lemma: str) -> bool:
    return any(
        lemma in words
        for words in (
            lexicon.SPEECH_VERBS,
            lexicon.BELIEF_VERBS,
            lexicon.STANCE_VERBS,
            lexicon.QUOTE_ONLY_VERBS,
            lexicon.AS_VERBS,
        )
    )


def _speaker_like(token) -> bool:
    """A person, a body or a pronoun for one: somebody who can say or hold something."""
    lower = token.lower_
    return (
        token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
        or token.pos_ == "PROPN"
        or lower in lexicon.PERSONAL_PRONOUNS_SINGULAR
        or lower in lexicon.PERSONAL_PRONOUNS_PLURAL
        or lower in lexicon.FIRST_SECOND_PERSON
        or lower in ("who", "it")
        or lower in lexicon.HUMAN_GROUP_NOUNS
        or lower in lexicon.PERSON_ROLE_NOUNS
        or lower in lexicon.ORGANISATION_NOUNS
        or lower in lexicon.GOVERNMENT_PLURALS
        or token.lemma_.lower() in lexicon.PERSON_ROLE_NOUNS
        or token.lemma_.lower() in lexicon.EVIDENCE_NOUNS
    )


def _can_speak(token) -> bool:
    """Whether a mention can be a source: not a date, and "which" only for a body."""
    if token.ent_type_ in NON_SPEAKER_ENTITIES:
        return False
    if token.lower_ in ("which", "that") and token.head.dep_ == "relcl":
        antecedent = token.head.head
        return antecedent.ent_type_ in ("ORG", "PERSON", "NORP", "GPE") or (
            antecedent.lower_ in lexicon.ORGANISATION_NOUNS
            or antecedent.lower_ in lexicon.HUMAN_GROUP_NOUNS
            or antecedent.lower_ in lexicon.PERSON_ROLE_NOUNS
        )
    return True


def _speaker_token(verb, depth: int = 0):
    """The subject of the cue, or of the verb it hangs from ("urged X, saying ...")."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            # "Schenker, who said …": the mention as written is "who"; the speakers module
            # resolves it to the noun the clause hangs from.
            return child
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    if verb.dep_ in ("ROOT", "ccomp", "conj") and verb.tag_ in ("VBD", "VBZ", "VBP"):
        noun = _preceding_noun(verb)
        if noun is not None:
            return noun
    if verb.dep_ == "advcl" and verb.tag_ == "VBN":
        return None  # "Asked about X, she said…": the asker is not the speaker
    if depth < 3 and verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        return _speaker_token(verb.head.head, depth + 1)  # "ended by saying …"
    if depth < 3 and verb.dep_ in ("conj", "advcl", "xcomp") and verb.head is not verb:
        head = verb.head
        if verb.dep_ == "xcomp":
            for child in head.children:
                if child.dep_ == "dobj" and child.i < verb.i:
                    return child
        return _speaker_token(head, depth + 1)
    return None


def _speaker_span_tokens(token):
    """The mention as written: the subject's subtree, without a trailing relative clause."""
    if (
        token.head.i > token.i
        and token.head.pos_ in ("VERB", "AUX")
        and token.dep_ not in (SUBJECT_DEPS)
        and token.dep_ not in ("pobj", "dobj")
    ):
        left = token
        while left.i > 0 and token.doc[left.i - 1].dep_ in ("compound", "amod", "det", "poss"):
            left = token.doc[left.i - 1]
        tokens = list(token.doc[left.i : token.i + 1])
    elif token.dep_ in SUBJECT_DEPS or token.dep_ in ("pobj", "dobj"):
        tokens = [
            t
            for t in token.subtree
            if not any(a.dep_ == "relcl" and a.head.i == token.i for a in [t, *t.ancestors])
        ]
    else:
        tokens = [t for t in token.subtree if t.i <= token.i]
    # A dateline glued to the subject: "MACAU (Reuters) - Top donor Sheldon Adelson".
    dashes = [
        n
        for n, t in enumerate(tokens)
        if t.text in DATELINE_DASHES
        and 0 < n < len(tokens) - 1
        and (tokens[n - 1].text == ")" or (n <= 3 and t.text != "-"))
    ]
    if dashes:
        tokens = tokens[dashes[0] + 1 :]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)
    if not tokens:
        return None
    doc = token.doc
    end = tokens[-1].i + 1
    opened = sum(t.text == "(" for t in tokens) - sum(t.text == ")" for t in tokens)
    if opened > 0 and end < len(doc) and doc[end].text == ")":
        end += 1  # "Senator Dianne Feinstein (D-Calif.)"
    return doc[tokens[0].i : end]


def _has_mark(clause, marks: frozenset[str]) -> bool:
    return any(g.dep_ == "mark" and g.lower_ in marks for g in clause.children)


def _subject_lemma(verb) -> str:
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    return subject.lemma_.lower() if subject is not None else ""


def _object_content(verb, exclude: set[int], any_preposition: bool = False):
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
        if phrase.dep_ in ("prep", "npadvmod") and _is_time_phrase(phrase)
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
            and not _is_time_phrase(c)
            for c in t.children
        )
    ]
    if asides:
        cut = min(aside.left_edge.i for aside in asides) - 1
        tokens = [t for t in tokens if t.i < cut]
    return _token_span(tokens)


def _is_time_phrase(token) -> bool:
    """'on Monday', 'last week': when, not what."""
    words = [
        t for t in token.subtree if not t.is_punct and not (t.i == token.i and t.dep_ == "prep")
    ]
    return bool(words) and all(t.ent_type_ in ("DATE", "TIME") for t in words)


def _cue_span(verb) -> tuple[int, int]:
    """The verb, its particle ("pointed out") and a following "in a statement"."""
    tokens = [verb]
    for child in verb.children:
        if child.dep_ == "prt" and child.i == verb.i + 1:
            tokens.append(child)
    for child in verb.children:
        if (
            child.dep_ == "prep"
            and child.lower_ == "in"
            and child.i == max(t.i for t in tokens) + 1
        ):
            statement = next(
                (
                    g
                    for g in child.children
                    if g.dep_ == "pobj" and g.lemma_.lower() in lexicon.STATEMENT_NOUNS
                ),
                None,
            )
            if statement is not None:
                tokens.extend(verb.doc[child.i : statement.i + 1])
    return _token_span(tokens)


def _content_for_verb(verb, text: str, quotes: list[Quote], speaker) -> tuple | None:
    """(start, end) of the content in doc characters, or None."""
    lemma = verb.lemma_.lower()
    exclude = set(speaker_indexes(speaker))
    exclude.add(verb.i)
    cue_end = verb.idx + len(verb.text)
    for child in verb.children:
        if child.dep_ in ("prt",) or (child.dep_ == "prep" and child.i == verb.i + 1):
            cue_end = max(cue_end, child.idx + len(child.text))
    after = _quote_after(verb, cue_end, quotes, text)
    before = _quote_before(verb, speaker, quotes, text)
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
        return _object_content(verb, exclude, any_preposition=True)
    passive_subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if passive_subject is not None and any(c.dep_ == "agent" for c in verb.children):
        # "The strikes were condemned by Iraq": what the agent condemned is the subject.
        return _subtree_span(passive_subject, exclude)
    infinitive = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
    if verb.tag_ == "VBN" and passive_subject is not None and infinitive is not None:
        # "She is expected to move swiftly": an anonymous expectation about the subject.
        return passive_subject.left_edge.idx, infinitive.right_edge.idx + len(
            infinitive.right_edge.text
        )
    if lemma in lexicon.EVIDENCE_VERBS and _subject_lemma(verb) in lexicon.EVIDENCE_NOUNS:
        span = _object_content(verb, exclude, any_preposition=True)
        if span:
            return span
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    if lemma in lexicon.SPEECH_VERBS:
        clauses += [c for c in verb.children if c.dep_ == "parataxis"]
    if lemma in lexicon.XCOMP_CONTENT_VERBS and not clauses:
        clauses = [c for c in verb.children if c.dep_ == "xcomp"]
    if clauses:
        # "X said Y, and Z said W": the second report is not part of the first's content.
        own_reports = [c for c in clauses if _is_cue_verb(c) and _has_subject(c) and c.i > verb.i]
        clauses = [c for c in clauses if c not in own_reports] or clauses
        clause = max(clauses, key=lambda c: len(list(c.subtree)))
        span = _subtree_span(clause, exclude)
        if clause.dep_ == "xcomp" and span:
            # Object control: "urged the crowd to desist" — the object belongs to the content.
            objects = [c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < clause.i]
            if objects:
                span = (objects[0].left_edge.idx, span[1])
        return span
    if lemma in lexicon.OBJECT_CONTENT_VERBS or lemma in lexicon.STANCE_VERBS:
        span = _object_content(verb, exclude)
        if span:
            return span
    # "Y, X said." where the parser hung the cue off the content's verb.
    if (
        verb.dep_ in ("parataxis", "ccomp")
        and verb.head.i < verb.i
        and lemma in lexicon.SPEECH_VERBS
        and verb.head.pos_ in ("VERB", "AUX", "NOUN")
        and not _is_cue_verb(verb.head)
        and verb.left_edge.i > 0
        and verb.doc[verb.left_edge.i - 1].text in QUOTE_MARKS | {",", "—", "–"}
    ):
        own = {t.i for t in verb.subtree}
        return _subtree_span(verb.head, own | exclude, side=verb.i)
    # "Mrs. Clinton, these people said, would be open to…": a parenthetical cue.
    if (
        verb.dep_ == "parataxis"
        and lemma in lexicon.SPEECH_VERBS
        and verb.head.i > verb.i
        and _after_comma(verb)
    ):
        # The whole sentence is the content: the claim needs its subject, and a reader
        # sees the parenthetical for what it is.
        head = verb.head
        last = head.right_edge
        while last.i > head.i and last.is_punct:
            last = last.nbor(-1)
        return head.left_edge.idx, last.idx + len(last.text)
    if lemma in lexicon.SAYING_VERBS:
        return _rest_of_sentence(verb, exclude)
    return None


def _after_comma(verb) -> bool:
    """Whether the cue's clause follows a comma or a dash (a parenthetical "…, he said, …")."""
    first = min((t.i for t in verb.subtree if not t.is_punct), default=verb.i)
    return first > verb.sent.start and verb.doc[first - 1].text in {",", "—", "–"}


def _rest_of_sentence(verb, exclude: set[int]):
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
        return _token_span(after)
    before = [t for t in sentence if t.i < verb.i and t.i not in exclude]
    if before and before[-1].text in (",", *QUOTE_MARKS) and len(before) >= 4:
        return _token_span(before)
    return None


def _trim_span(span):
    tokens = [t for t in span]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    return span.doc[tokens[0].i : tokens[-1].i + 1] if tokens else None


def speaker_indexes(span) -> list[int]:
    """Token indexes of a speaker mention (none without one)."""
    if span is None:
        return []
    return [t.i for t in span]


def _extend_to_quotes(start: int, end: int, cue: tuple[int, int] | None, quotes: list[Quote]):
    """Put back together a quotation the parser cut into several sentences."""
    for quote in quotes:
        if quote.end <= start or quote.start >= end:
            continue
        if cue and quote.start <= cue[0] < quote.end:
            continue
        start, end = min(start, quote.start), max(end, quote.end)
    return start, end


def kind_of(text: str) -> tuple[str, int, int]:
    """Direct, indirect or mixed, from the quotation marks; with the span to keep.

    A direct quotation's span leaves out its outer marks.
    """
    opening_width = 2 if text.startswith(lexicon.DOUBLED_APOSTROPHE) else 1
    # Doubled apostrophes stand for one double mark; same length, so offsets hold.
    text = text.replace(lexicon.DOUBLED_APOSTROPHE, '"\u0000')
    stripped_end = len(text)
    while stripped_end > 0 and text[stripped_end - 1] in " .,;:\u0000":
        stripped_end -= 1
    core = text[:stripped_end]
    # Closing single marks are apostrophes as often as not ("they’ve"): only a closing mark
    # after an opening one counts.
    marks = [index for index, char in enumerate(text) if char in KIND_MARKS]
    if "‘" in text:
        marks += [i for i, c in enumerate(text) if c == "’" and i > text.index("‘")][-1:]
        marks.sort()
    if not marks:
        return "indirect", 0, len(text)
    starts_quoted = core[:1] in QUOTE_MARKS
    if starts_quoted:
        inner_marks = [m for m in marks if 0 < m < stripped_end - 1]
        closing = [m for m in marks if m > 0]
        if not inner_marks or (len(inner_marks) == 1 and inner_marks[0] >= stripped_end - 2):
            end = closing[-1] if closing else len(text)
            if end <= opening_width:
                end = len(text)
            return "direct", opening_width, end
    return "mixed", 0, len(text)


SPACED_DASHES = (" - ", " – ", " — ", " -- ")
CLAUSE_ENDS = ",;:.!?"


def _spaced_dashes(text: str) -> list[int]:
    return sorted(m for dash in SPACED_DASHES for m in _find_all(text, dash))


def _find_all(text: str, needle: str) -> list[int]:
    found, index = [], text.find(needle)
    while index >= 0:
        found.append(index)
        index = text.find(needle, index + 1)
    return found


def _over_dash_pair(text: str, start: int, end: int, sentence_end: int) -> int:
    """The end of a content that the parse cut at a parenthetical between spaced dashes.

    "evacuated before the gate - used by vehicles - was broken down": the words between the
    dashes are an aside and the clause goes on after the second dash, to the next comma,
    semicolon or the end of the sentence.
    """
    inside = _spaced_dashes(text[start:end])
    after = [start + i for i in _spaced_dashes(text[start:sentence_end]) if start + i >= end]
    if not after or after[0] - end > 1:
        return end
    if len(inside) % 2 == 0:
        # The content stops right before an opening dash: a closing one must follow.
        if len(after) < 2:
            return end
        closing = after[1]
    else:
        closing = after[0]  # the content stops inside the pair
    resume = closing + 3
    while resume < sentence_end and text[resume] in " -–—":
        resume += 1
    stop = resume
    while stop < sentence_end and text[stop] not in CLAUSE_ENDS and text[stop] not in "\n":
        stop += 1
    if not text[resume:stop].strip():
        return end
    return stop


def _make(text, start, end, base, sentence, paragraph, **fields) -> Attribution | None:
    start, end = _trim(text, start, end)
    if end - start < 2:
        return None
    if not any(text[start] == mark for mark in QUOTE_MARKS):
        end = _over_dash_pair(text, start, end, min(len(text), sentence[1] - base))
    kind, inner_start, inner_end = kind_of(text[start:end])
    content_start, content_end = start + inner_start, start + inner_end
    content_start, content_end = _trim(text, content_start, content_end)
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
            elif _is_cue_noun(token):
                claim = _noun_claim(token, text, base, sentence_span, paragraph, quotes)
            elif _is_cue_verb(token):
                claim = _verb_claim(token, text, base, sentence_span, paragraph, quotes, consumed)
                if claim is None and _ends_paragraph_with_colon(token, text):
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
    for claim in _colon_claims(doc, base, paragraph, quotes, found):
        claim.doc = doc
        claim.base = base
        found.append(claim)
    if not pending:
        template = _statement_template(doc, base, paragraph)
        if template is not None:
            pending.append(template)
    return _deduplicate(found)


def _statement_template(doc, base: int, paragraph: int) -> Attribution | None:
    """'Senator Jack Reed issued the following statement:' — the next paragraphs are his."""
    text = doc.text.rstrip()
    if not text.endswith(":") or not len(doc):
        return None
    sentence = doc[-1].sent
    noun = next(
        (t for t in sentence if t.lemma_.lower() in lexicon.STATEMENT_NOUNS and t.pos_ == "NOUN"),
        None,
    )
    if noun is None:
        return None
    verb = noun.head
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is not None:
        subject = _past_dateline(subject, verb)
    if subject is None or not _speaker_like(subject):
        return None
    speaker = _speaker_span_tokens(subject)
    if speaker is None:
        return None
    return Attribution(
        kind="direct",
        content=(base + len(doc.text), base + len(doc.text)),
        sentence=(base + sentence.start_char, base + sentence.end_char),
        paragraph=paragraph,
        cue=(base + noun.idx, base + noun.idx + len(noun.text)),
        cue_lemma="statement",
        speaker=(base + speaker.start_char, base + speaker.end_char),
        speaker_tokens=speaker,
        content_open=True,
    )


MAX_COLON_SPEAKER_TOKENS = 7


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
            if head is None or head.pos_ not in ("PROPN", "NOUN") or not _can_speak(head):
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


def _is_cue_noun(token) -> bool:
    return (
        token.pos_ == "NOUN"
        and token.lemma_.lower() in lexicon.ATTRIBUTION_NOUNS
        and any(child.dep_ == "poss" for child in token.children)
    )


def _noun_claim(noun, text, base, sentence_span, paragraph, quotes):
    """ "his criticism of the deal", "Trump's claim that he won": the owner is the source."""
    owner = next(child for child in noun.children if child.dep_ == "poss")
    if owner.lower_ in lexicon.FIRST_SECOND_PERSON or not _can_speak(owner):
        return None
    contents = [
        child
        for child in noun.children
        if child.i > noun.i
        and (
            (child.dep_ == "prep" and child.lower_ in lexicon.NOUN_CONTENT_PREPOSITIONS)
            or (child.dep_ in ("acl", "ccomp", "relcl") and _has_mark(child, THAT))
        )
    ]
    if not contents:
        return None
    first = contents[0]
    tokens = [t for t in first.subtree if t.i != first.i or first.dep_ != "prep"]
    span = _token_span(tokens)
    if span is None:
        return None
    owner_tokens = [t for t in owner.subtree if t.lower_ not in ("'s", "’s", "'", "’")]
    speaker = noun.doc[owner_tokens[0].i : owner_tokens[-1].i + 1] if owner_tokens else None
    start, end = _extend_to_quotes(*span, (noun.idx, noun.idx + len(noun.text)), quotes)
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


def _ends_paragraph_with_colon(verb, text: str) -> bool:
    rest = text[verb.idx + len(verb.text) :].rstrip()
    return rest.endswith(":") and len(rest) <= MAX_CUE_TO_QUOTE_CHARS and "." not in rest


def _verb_claim(
    verb, text, base, sentence_span, paragraph, quotes, consumed, template: bool = False
):
    lemma = verb.lemma_.lower()
    if lemma in lexicon.CITING_LEMMAS and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp"):
        return None  # "…, citing X" adds a link to the chain of the head's claim.
    speaker_token = _speaker_token(verb)
    if speaker_token is not None and not _can_speak(speaker_token):
        return None
    passive = any(c.dep_ == "nsubjpass" for c in verb.children)
    if verb.tag_ == "VBN" and passive and not any(c.dep_ == "agent" for c in verb.children):
        speaker_token = None  # "she is expected to win": nobody in particular expects it
    speaker = _speaker_span_tokens(speaker_token) if speaker_token is not None else None
    if speaker is not None and verb.i in speaker_indexes(speaker):
        # An apposition the parser hung on the subject can reach past the verb ("US officials
        # believe X, a claim Tehran denies"): the mention ends before the cue.
        speaker = (
            _trim_span(speaker.doc[speaker.start : verb.i]) if speaker.start < verb.i else None
        )
    impersonal = any(c.dep_ in ("nsubjpass", "expl") for c in verb.children)
    if impersonal and lemma in lexicon.STANCE_VERBS and lemma not in lexicon.SPEECH_VERBS:
        return None  # "was backed by", "were targeted by": events, not speech
    if lemma in lexicon.SEEMING_VERBS:
        speaker, impersonal = None, True  # "he appears to be winning": nobody says so
    elif not _in_lexicon(lemma) and (speaker is None or not _speaker_like(speaker.root)):
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
        cue = _cue_span(verb)
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
    content = _content_for_verb(verb, text, quotes, speaker)
    if content is None:
        return None
    start, end = content
    cue = _cue_span(verb)
    parenthetical = verb.dep_ == "parataxis" and verb.head.i > verb.i
    if speaker is not None and start <= speaker.start_char < end and not parenthetical:
        return None
    seeming = lemma in lexicon.SEEMING_VERBS
    if cue[0] >= start and cue[1] <= end and verb.tag_ != "VBN" and not (seeming or parenthetical):
        return None
    start, end = _extend_to_quotes(start, end, cue, quotes)
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
                    via.append(_clean_mention(grandchild))
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


def _clean_mention(token) -> str:
    tokens = [t for t in token.subtree if not t.is_punct]
    if not tokens:
        return token.text
    doc = token.doc
    return doc[tokens[0].i : tokens[-1].i + 1].text


def _according_to(token, text, base, sentence_span, paragraph, quotes):
    doc = token.doc
    to = doc[token.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        source = next((c for c in token.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    speaker = _speaker_span_tokens(source)
    phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree} | {token.i, to.i}
    sentence = token.sent
    first, last = min(phrase), max(phrase)
    before = [t for t in sentence if t.i < first and not t.is_punct]
    after = [t for t in sentence if t.i > last and not t.is_punct]
    side = before if len(before) >= len(after) else after
    if len(side) < 2:
        return None
    start, end = _token_span(side)
    # Keep a closing quotation mark that belongs to the content.
    start, end = _extend_to_quotes(start, end, None, quotes)
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


def continue_quotes(
    previous: Attribution | None, paragraph: int, text: str, base: int, quotes: list[Quote]
) -> Attribution | None:
    """A paragraph that continues the previous paragraph's open quotation."""
    if previous is None or not previous.content_open or not quotes:
        return None
    first = quotes[0]
    if text[: first.start].strip():
        return None
    inner_start, inner_end = first.inner
    inner_start, inner_end = _trim(text, inner_start, inner_end)
    if inner_end - inner_start < 2:
        return None
    claim = Attribution(
        kind="direct",
        content=(base + inner_start, base + inner_end),
        sentence=(base, base + len(text.rstrip())),
        paragraph=paragraph,
        cue=previous.cue,
        cue_lemma=previous.cue_lemma,
        speaker=previous.speaker,
        speaker_tokens=previous.speaker_tokens,
        via=list(previous.via),
        content_open=not first.closed,
    )
    return claim

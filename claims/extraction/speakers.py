"""Speakers: split a mention into name and role, give it a kind, resolve pronouns.

"US Assistant Secretary of State David Schenker" gives the name "David Schenker" and the role
"US Assistant Secretary of State"; "they" and "the ministry" point back to the nearest earlier
mention that fits (a group of people for "they", a person for "he", an organisation whose name
holds "ministry" for "the ministry"). For "he" and "she" the subject of the previous sentence
comes first when it is one person (salience: "Trump met Biden. He said…" is Trump), then the
nearest named person.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from . import lexicon

NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
POSSESSIVE_ENDINGS = ("'s", "’s", "'", "’")
# How far back (in characters of cleaned text) a pronoun may look for its antecedent.
MAX_ANTECEDENT_DISTANCE = 1500
# How far a name may stand before a description of it in an apposition ("Island Power, the
# state electricity company").
MAX_APPOSITION_DISTANCE = 40


@dataclass
class Speaker:
    """A normalised speaker."""

    name: str | None
    role: str | None
    kind: str  # person | organisation | government | media | unknown
    plural: bool = False


@dataclass
class Mention:
    """Something earlier in the text that a pronoun could point back to.

    Normalised only when a pronoun looks at it: most mentions never are.
    """

    start: int
    span: object  # spaCy Span
    head: str  # lower-case head word ("protesters", "ministry", "schenker")
    plural: bool
    _speaker: Speaker | None = None
    subject: bool = False  # the subject of its sentence's main verb, or of a cue in it
    bare_name: bool = False  # a proper noun the tagger did not label ("Trump met Biden")

    @property
    def speaker(self) -> Speaker:
        if self._speaker is None:
            self._speaker = normalise(self.span)
            self._speaker.plural = self.plural
        return self._speaker


def _strip_possessive(text: str) -> str:
    for ending in POSSESSIVE_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending):
            return text[: -len(ending)].rstrip()
    return text


def _strip_determiner(tokens: list) -> list:
    while tokens and (tokens[0].lower_ in DETERMINERS or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    return tokens


def _text_of(tokens: list) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i : tokens[-1].i + 1].text


def media_or_organisation(name: str) -> str:
    lowered = name.lower().strip()
    if lowered in lexicon.MEDIA_OUTLETS or lowered.removeprefix("the ") in lexicon.MEDIA_OUTLETS:
        return "media"
    words = set(lowered.replace("-", " ").split())
    if words & lexicon.GOVERNMENT_WORDS:
        return "government"
    return "organisation"


def normalise(span) -> Speaker:
    """Name, role and kind of the mention ``span`` (a spaCy Span)."""
    tokens = list(span)
    # Appositions and relative clauses describe the speaker; the name sits before them.
    comma = next((t.i for t in tokens if t.text == "," and t.i > span.start), None)
    core = [t for t in tokens if comma is None or t.i < comma]
    apposition = [t for t in tokens if comma is not None and t.i > comma]
    core = _strip_determiner(core)
    apposition = _strip_determiner(apposition)
    if not core:
        return Speaker(None, None, "unknown")
    root = span.root
    plural = root.tag_ in ("NNS", "NNPS") or root.lower_ in lexicon.PERSONAL_PRONOUNS_PLURAL
    core_start, core_end = core[0].i, core[-1].i
    entities = [e for e in span.ents if core_start <= e.start and e.end - 1 <= core_end]
    persons = [e for e in entities if e.label_ == "PERSON"]
    appos_text = _text_of(apposition) or None
    if persons:
        person = persons[-1]
        name_tokens = [t for t in person if t.lower_.rstrip(".") not in lexicon.TITLE_WORDS]
        # spaCy sometimes takes a title into the name ("Prime Minister Adel Abdul Mehdi").
        leading_titles = []
        for t in person:
            if t.lower_.rstrip(".") in lexicon.TITLE_WORDS and t.text[:1].isupper():
                leading_titles.append(t)
            else:
                break
        name_tokens = [t for t in person if t not in leading_titles] or list(person)
        name = _strip_possessive(_text_of(name_tokens))
        role_tokens = [t for t in core if t.i < name_tokens[0].i]
        role = _text_of(role_tokens) or appos_text
        if role_tokens and appos_text:
            role = f"{_text_of(role_tokens)}, {appos_text}"
        return Speaker(name, role or None, "person", plural=False)
    head = root.lower_
    core_text = _strip_possessive(_text_of(core))
    organisations = [e for e in entities if e.label_ in ("ORG", "GPE", "NORP")]
    if head in lexicon.GOVERNMENT_PLURALS:
        return Speaker(core_text, appos_text, "government", plural=True)
    if head in lexicon.PERSON_ROLE_NOUNS and root.tag_ in ("NN", "NNP"):
        return Speaker(core_text, core_text if root.lower_ != "man" else None, "person")
    if organisations:
        entity = organisations[-1]
        name = _strip_possessive(entity.text)
        if entity.label_ == "GPE" and entity.end - 1 == root.i:
            return Speaker(name, appos_text, "government")
        if entity.label_ == "NORP" and entity.end - 1 == root.i:
            return Speaker(name, appos_text, "unknown", plural=True)
        kind = media_or_organisation(name)
        if entity.end - 1 != root.i:
            # "the Iraqi national security council": the entity only modifies the head.
            kind = media_or_organisation(core_text)
            if head in lexicon.GOVERNMENT_WORDS:
                kind = "government"
            return Speaker(core_text, appos_text, kind, plural=plural)
        return Speaker(name, appos_text, kind, plural=plural)
    kind = media_or_organisation(core_text)
    if kind == "organisation" and head not in lexicon.ORGANISATION_NOUNS:
        kind = "unknown"  # a bare name or noun: could be a person, a group or a body
    return Speaker(core_text, appos_text, kind, plural=plural)


class Resolver:
    """Mentions of one article in reading order, for resolving pronouns and descriptions."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._mentions: list[Mention] = []
        self._sentence_starts: list[int] = []

    def add_doc(self, doc, base: int) -> None:
        """Collect candidate antecedents: named entities and noun phrases of people or bodies."""
        for sentence in doc.sents:
            bisect.insort(self._sentence_starts, base + sentence.start_char)
        for entity in doc.ents:
            if entity.label_ in NAMED_LABELS:
                plural = entity.root.tag_ in ("NNS", "NNPS")
                mention = Mention(base + entity.start_char, entity, entity.root.lower_, plural)
                mention.subject = _is_subject(entity.root)
                self._add(mention)
        for token in doc:
            lower = token.lower_
            if _looks_like_bare_name(token) and _is_subject(token):
                left = token
                while left.i > 0 and doc[left.i - 1].dep_ == "compound" and not left.ent_type_:
                    left = doc[left.i - 1]
                span = doc[left.i : token.i + 1]
                mention = Mention(base + span.start_char, span, lower, False, subject=True)
                mention.bare_name = True
                self._add(mention)
                continue
            if token.pos_ != "NOUN":
                continue
            if (
                lower in lexicon.HUMAN_GROUP_NOUNS
                or lower in lexicon.PERSON_ROLE_NOUNS
                or lower in lexicon.ORGANISATION_NOUNS
                or lower in lexicon.GOVERNMENT_PLURALS
            ):
                left = token.left_edge
                span = doc[left.i : token.i + 1]
                plural = token.tag_ == "NNS" or lower in ("crowd", "police")
                mention = Mention(base + span.start_char, span, lower, plural)
                mention.subject = _is_subject(token)
                self._add(mention)

    def _add(self, mention: Mention) -> None:
        if not self._starts or mention.start >= self._starts[-1]:
            self._starts.append(mention.start)
            self._mentions.append(mention)
            return
        index = bisect.bisect_right(self._starts, mention.start)
        self._starts.insert(index, mention.start)
        self._mentions.insert(index, mention)

    def resolve(self, span, start: int) -> Speaker | None:
        """The antecedent a pronoun or definite description at ``start`` points to."""
        words = [t.lower_ for t in span if not t.is_punct]
        if not words:
            return None
        index = bisect.bisect_left(self._starts, start)
        candidates = [
            m
            for m in reversed(self._mentions[max(0, index - 60) : index])
            if start - m.start <= MAX_ANTECEDENT_DISTANCE
        ]
        if len(words) == 1 and words[0] in lexicon.PERSONAL_PRONOUNS_SINGULAR:
            # The subject of the previous sentence is the likeliest antecedent ("Trump met
            # Biden. He said…" → Trump); then a named person is likelier than a nearer role
            # noun ("the envoy").
            salient = self._previous_subject(start)
            if salient is not None:
                return salient.speaker
            people = [m for m in candidates if m.speaker.kind == "person"]
            named = [m for m in people if m.head not in lexicon.PERSON_ROLE_NOUNS]
            chosen = (named or people)[:1]
            return chosen[0].speaker if chosen else None
        if len(words) == 1 and words[0] in lexicon.PERSONAL_PRONOUNS_PLURAL:
            for mention in candidates:
                if mention.speaker.plural and (
                    mention.head in lexicon.HUMAN_GROUP_NOUNS
                    or mention.head in lexicon.GOVERNMENT_PLURALS
                    or mention.speaker.kind in ("government", "unknown")
                ):
                    return mention.speaker
            return None
        if len(words) == 1 and words[0] in lexicon.NEUTER_PRONOUNS:
            bodies = [
                m
                for m in candidates
                if m.speaker.kind in ("organisation", "government", "media")
                and not m.speaker.plural
            ]
            if not bodies:
                return None
            nearest = bodies[0]
            # "Island Power, the state electricity company, …. It said": the description is
            # an apposition; "it" stands for the name it describes.
            named = next(
                (
                    m
                    for m in bodies[1:]
                    if m.head not in lexicon.ORGANISATION_NOUNS
                    and 0 <= nearest.start - m.start <= MAX_APPOSITION_DISTANCE
                ),
                None,
            )
            if nearest.head in lexicon.ORGANISATION_NOUNS and named is not None:
                return named.speaker
            return nearest.speaker
        if len(words) == 2 and words[0] == "the" and words[1] in lexicon.ORGANISATION_NOUNS:
            for mention in candidates:
                name = (mention.speaker.name or "").lower()
                if words[1] in name.split() and name != words[1]:
                    return mention.speaker
        return None

    def _previous_subject(self, start: int) -> Mention | None:
        """A single person who is the subject of the sentence before the one at ``start``."""
        index = bisect.bisect_right(self._sentence_starts, start) - 1
        if index < 1:
            return None
        previous, current = self._sentence_starts[index - 1], self._sentence_starts[index]
        low = bisect.bisect_left(self._starts, previous)
        high = bisect.bisect_left(self._starts, current)
        for mention in self._mentions[low:high]:
            if not mention.subject or mention.plural:
                continue
            if mention.speaker.kind == "person":
                return mention
            if mention.bare_name and mention.speaker.kind == "unknown" and mention.speaker.name:
                mention.speaker.kind = "person"  # "he" points back to it: a person
                return mention
        return None


def _looks_like_bare_name(token) -> bool:
    """A capitalised noun without a determiner that the tagger did not label: the tagger may
    take "Trump" for a common noun."""
    return (
        not token.ent_type_
        and token.tag_ in ("NNP", "NN")
        and token.text[:1].isupper()
        and not token.text.isupper()
        and not any(c.dep_ in ("det", "poss") for c in token.children)
        and token.lower_ not in lexicon.HUMAN_GROUP_NOUNS
        and token.lower_ not in lexicon.PERSON_ROLE_NOUNS
        and token.lower_ not in lexicon.ORGANISATION_NOUNS
    )


def _is_subject(token) -> bool:
    """The subject of a sentence's main verb, or of a verb joined to it ("X met Y and said")."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = token.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


def is_resolvable(span) -> bool:
    words = [t.lower_ for t in span if not t.is_punct]
    if len(words) == 1:
        return words[0] in (
            lexicon.PERSONAL_PRONOUNS_SINGULAR
            | lexicon.PERSONAL_PRONOUNS_PLURAL
            | lexicon.NEUTER_PRONOUNS
        )
    return len(words) == 2 and words[0] == "the" and words[1] in lexicon.ORGANISATION_NOUNS

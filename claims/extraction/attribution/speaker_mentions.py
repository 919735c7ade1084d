"""Speaker mentions: who makes a report, as written, and whom a cue inherits it from.

The speaker is the cue's subject, the agent of a passive, the noun a relative clause hangs on,
or is inherited from the verb the cue depends on ("urged …, saying", "ended by saying"), with
datelines cut off. Resolving pronouns and normalising names is ``extraction.speakers``' job.
"""

from __future__ import annotations

import re

from .. import lexicon

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})


NON_SPEAKER_ENTITIES = frozenset({"DATE", "TIME", "MONEY"})


DATELINE_DASHES = frozenset({"-", "—", "–", "--"})
# A dateline opening a story: "WASHINGTON — ", "LONDON (Harbor Wire) - ", "ST CATHERINE,
# Jamaica (AP) — ".
DATELINE = re.compile(
    r"[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][\w .'-]{1,30}?)?\s*(?:\([\w .]{2,30}\)\s*)?"
    r"(?:—|–|-|--)\s+"
)
# "If you want to …", "when you think that …": a condition put to the reader.
CONDITIONAL_MARKS = frozenset({"if", "when", "whenever", "unless", "once", "until"})
# Named places do not speak ("Times Square", "the West Bank"); countries and cities do, for
# their governments ("Iraq said", "Washington warned"), and are GPEs, not these.
PLACE_ENTITIES = frozenset({"LOC", "FAC"})
# "If you want to retire early": the reader addressed, never a source.
READER_PRONOUNS = frozenset({"you", "yourself", "yourselves"})


def has_subject(verb) -> bool:
    return any(child.dep_ in SUBJECT_DEPS for child in verb.children)


def subject_lemma(verb) -> str:
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    return subject.lemma_.lower() if subject is not None else ""


def preceding_noun(verb):
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


def past_dateline(subject, verb):
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


def speaker_like(token) -> bool:
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


def can_speak(token) -> bool:
    """Whether a mention can be a source: not a date or a place, not the reader addressed as
    "you", and "which" only for a body or a report."""
    if token.ent_type_ in NON_SPEAKER_ENTITIES or token.ent_type_ in PLACE_ENTITIES:
        return False
    if token.lower_ in READER_PRONOUNS and addresses_reader(token):
        return False
    if token.lower_ in ("which", "that") and token.head.dep_ == "relcl":
        antecedent = token.head.head
        return antecedent.ent_type_ in ("ORG", "PERSON", "NORP", "GPE") or (
            antecedent.lower_ in lexicon.ORGANISATION_NOUNS
            or antecedent.lower_ in lexicon.HUMAN_GROUP_NOUNS
            or antecedent.lower_ in lexicon.PERSON_ROLE_NOUNS
            or antecedent.lower_ in lexicon.EVIDENCE_NOUNS
        )
    return True


def addresses_reader(you) -> bool:
    """'If you want to retire early', 'you should know that', 'you might think': the reader,
    not a source. "You said that …" to an interviewee is reported speech and stays."""
    verb = you.head
    return any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children) or any(
        c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in verb.children
    )


def in_dateline(token) -> bool:
    """'ST CATHERINE, Jamaica (AW) — …': the place a story was filed from, before the dash."""
    match = DATELINE.match(token.doc.text)
    return match is not None and token.idx < match.end()


def past_dateline_speaker(subject, verb):
    """The speaker when the parse took the dateline for the subject: the last person, or else
    body, named between the dateline and the cue; None when there is none."""
    end = DATELINE.match(subject.doc.text).end()
    named = [
        entity
        for entity in subject.sent.ents
        if entity.label_ in ("PERSON", "ORG", "NORP")
        and entity.start_char >= end
        and entity.end <= verb.i
    ]
    people = [entity for entity in named if entity.label_ == "PERSON"]
    named = people or named
    return named[-1].root if named else None


def speaker_of_cue(verb, depth: int = 0):
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
        noun = preceding_noun(verb)
        if noun is not None:
            return noun
    if verb.dep_ == "advcl" and verb.tag_ == "VBN":
        return None  # "Asked about X, she said…": the asker is not the speaker
    if depth < 3 and verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        return speaker_of_cue(verb.head.head, depth + 1)  # "ended by saying …"
    if depth < 3 and verb.dep_ in ("conj", "advcl", "xcomp") and verb.head is not verb:
        head = verb.head
        if verb.dep_ == "xcomp":
            for child in head.children:
                if child.dep_ == "dobj" and child.i < verb.i:
                    return child
        return speaker_of_cue(head, depth + 1)
    return None


def speaker_span_tokens(token):
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
    # A dateline glued to the subject: "MACAU (Reuters) - Top donor Sheldon Adelson",
    # "WASHINGTON, DC - Senator Jack Reed".
    dashes = [
        n
        for n, t in enumerate(tokens)
        if t.text in DATELINE_DASHES
        and 0 < n < len(tokens) - 1
        and (
            tokens[n - 1].text == ")"
            or (n <= 3 and t.text != "-")
            or all(x.is_punct or (x.is_alpha and x.text.isupper()) for x in tokens[:n])
        )
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


def speaker_indexes(span) -> list[int]:
    """Token indexes of a speaker mention (none without one)."""
    if span is None:
        return []
    return [t.i for t in span]


def clean_mention(token) -> str:
    tokens = [t for t in token.subtree if not t.is_punct]
    if not tokens:
        return token.text
    doc = token.doc
    return doc[tokens[0].i : tokens[-1].i + 1].text

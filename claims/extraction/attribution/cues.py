"""Cue finding: which words report speech, belief or stance, and how far a cue reaches.

A cue is a verb from the lexicon (speech, belief, stance), any verb or adjective with a "that"
clause and a plausible holder, a noun with an owner ("his criticism of X"), "according to", a
colon after a name, or "issued the following statement:".
"""

from __future__ import annotations

import re

from .. import lexicon
from .spans import token_span

# How far the text between a cue and a quotation may run ("said of the strikes: ").
MAX_CUE_TO_QUOTE_CHARS = 60
# An embedded social post as it reads without scripts: "text — Name (@handle) December 5, 2019".
# The signature is the cue: the post is a quotation of its author.
SIGNED_POST = re.compile(
    r"^(?P<content>\S.{2,}?)\s*(?P<dash>[—–]|--?)\s*(?P<name>[^()\n—–]{1,80}?)\s*"
    r"\(@\w{1,30}\)(?:\s+[^()\n]{0,40})?\s*$"
)


def signed_post(text: str) -> re.Match | None:
    """The parts of a paragraph that is an embedded social post, or None."""
    return SIGNED_POST.match(text.strip()) if "(@" in text else None


def has_that_clause(token) -> bool:
    """A verb or adjective with a finite 'that' clause ("is confident that Y", "hinted that Y")."""
    return any(
        child.dep_ == "ccomp"
        and child.i > token.i
        and any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children)
        for child in token.children
    )


def is_cue_verb(token) -> bool:
    if token.pos_ == "ADJ" and token.dep_ in ("acomp", "ROOT") and has_that_clause(token):
        return token.lemma_.lower() not in lexicon.NOT_ATTITUDE_VERBS
    if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBD", "VBZ", "VBP", "VBG"):
        return False
    if token.dep_ in ("amod", "compound", "nmod", "acl") and token.tag_ == "VBN":
        return False
    lemma = token.lemma_.lower()
    if lemma not in lexicon.NOT_ATTITUDE_VERBS and has_that_clause(token):
        return True
    return (
        lemma in lexicon.SPEECH_VERBS
        or lemma in lexicon.BELIEF_VERBS
        or lemma in lexicon.STANCE_VERBS
        or lemma in lexicon.QUOTE_ONLY_VERBS
        or lemma in lexicon.AS_VERBS
        or lemma in lexicon.SEEMING_VERBS
    )


def in_lexicon(lemma: str) -> bool:
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


def is_cue_noun(token) -> bool:
    return (
        token.pos_ == "NOUN"
        and token.lemma_.lower() in lexicon.ATTRIBUTION_NOUNS
        and any(child.dep_ == "poss" for child in token.children)
    )


def cue_span(verb) -> tuple[int, int]:
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
    return token_span(tokens)


def ends_paragraph_with_colon(verb, text: str) -> bool:
    rest = text[verb.idx + len(verb.text) :].rstrip()
    return rest.endswith(":") and len(rest) <= MAX_CUE_TO_QUOTE_CHARS and "." not in rest

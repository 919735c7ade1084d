"""Statements: one standalone sentence per claim, drafted from speaker, cue and content.

The content span stays what the source said ("Big Machine of holding back permission …"); the
statement is what a reader of the public page needs: "Swift accused Big Machine of holding back
permission …". It names the speaker (a pronoun resolved to its antecedent), has a finite verb
(a cue written as "saying" or "to warn" becomes "said" or "warned") and ends like a sentence.
Reviewers can edit it; this module only drafts it, from plain strings and a few facts about the
parse that the pipeline reads off spaCy, so that it stays pure Python.

The shapes, by kind of claim:
- "X said (that) Y", "Y, X said", "'Y,' X said" → "X said (that) Y.", or 'X said: "Y"' for a
  direct quotation;
- "Y, officials said, Z" (a parenthetical cue inside the content) → "Officials said Y Z.";
- "according to X, Y" → "According to X, Y.";
- "X: Y" (a headline or a transcript line) → "X said Y.";
- "his criticism of Y" (a noun cue) → "He criticised Y." with the owner resolved;
- an anonymous report ("is believed to", "it is reported that") and a passive report whose
  content is its subject ("The move was reported by MSNBC") → the source's own sentence;
- the outlet's own statement of fact → the sentence, with a leading subject pronoun resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Past tense of the irregular cue verbs; the others take -ed by the usual spelling rules.
IRREGULAR_PAST: dict[str, str] = {
    "say": "said",
    "tell": "told",
    "write": "wrote",
    "think": "thought",
    "feel": "felt",
    "know": "knew",
    "find": "found",
    "show": "showed",
    "give": "gave",
    "put": "put",
    "swear": "swore",
    "speak": "spoke",
    "hold": "held",
    "read": "read",
    "begin": "began",
    "go": "went",
    "understand": "understood",
    "learn": "learned",
    "teach": "taught",
    "seek": "sought",
    "forecast": "forecast",
    "cast": "cast",
    "bring": "brought",
    "make": "made",
    "see": "saw",
    "hear": "heard",
    "mean": "meant",
    "lead": "led",
    "rail": "railed",
    "refer": "referred",
    "prefer": "preferred",
    "admit": "admitted",
    "commit": "committed",
    "regret": "regretted",
    "plan": "planned",
    "quip": "quipped",
    "hop": "hoped",
}
# What a cue noun's owner did: "his criticism of X" → "criticised X", "her claim that X" →
# "claimed that X". The preposition the content starts with is dropped for verbs that take an
# object ("criticised the deal") and kept for those that need it ("called for a ceasefire").
NOUN_VERBS: dict[str, str] = {
    "statement": "stated",
    "claim": "claimed",
    "remark": "remarked on",
    "comment": "commented on",
    "criticism": "criticised",
    "attack": "attacked",
    "accusation": "accused",
    "allegation": "alleged",
    "complaint": "complained about",
    "warning": "warned",
    "promise": "promised",
    "pledge": "pledged",
    "call": "called for",
    "demand": "demanded",
    "plea": "pleaded for",
    "appeal": "appealed for",
    "announcement": "announced",
    "assertion": "asserted",
    "argument": "argued",
    "suggestion": "suggested",
    "insistence": "insisted",
    "denial": "denied",
    "admission": "admitted",
    "assessment": "assessed",
    "view": "expressed a view on",
    "opinion": "expressed an opinion on",
    "belief": "believed",
    "position": "took a position on",
    "stance": "took a stance on",
    "support": "supported",
    "endorsement": "endorsed",
    "opposition": "opposed",
    "praise": "praised",
    "defense": "defended",
    "defence": "defended",
    "description": "described",
    "characterization": "characterised",
    "prediction": "predicted",
    "proposal": "proposed",
    "plan": "planned",
    "vow": "vowed",
    "threat": "threatened",
    "insult": "insulted",
    "question": "questioned",
    "message": "sent a message about",
    "tweet": "tweeted about",
    "testimony": "testified about",
    "account": "gave an account of",
    "explanation": "explained",
    "response": "responded to",
    "reply": "replied to",
    "decision": "decided",
    "rejection": "rejected",
    "condemnation": "condemned",
    "assurance": "gave assurances about",
    "concern": "voiced concern about",
    "fear": "feared",
    "hope": "hoped for",
    "doubt": "doubted",
    "skepticism": "was sceptical about",
}
# Verbs whose first word of content is an addressee or a clause, never the verb's object: when
# the content is not right after the cue, "X told reporters that Y" becomes "X said Y".
ADDRESSEE_FIRST = frozenset({"tell", "inform", "brief", "assure"})
SENTENCE_END = ".!?"
# Content that opens with the speaker's own "I" or "we" is their words, quoted or not.
FIRST_PERSON = frozenset(
    {"i", "we", "i'm", "we're", "i've", "we've", "i'll", "we'll", "i'd", "we'd"}
    | {"i’m", "we’re", "i’ve", "we’ve", "i’ll", "we’ll", "i’d", "we’d"}
)
CLOSING_QUOTES = "\"”’'"
_LEADING_PREPOSITION = re.compile(r"^(of|on|about|for|against|to|over)\s+", re.IGNORECASE)
_VOWELS = "aeiou"


@dataclass(frozen=True)
class StatementParts:
    """What a statement is drafted from; the pipeline fills it in from one claim and its parse."""

    kind: str  # direct | indirect | mixed | unattributed
    content: str
    sentence: str
    speaker: str | None = None  # the speaker as the statement names them (resolved)
    cue: str | None = None  # as written: "said in a statement", "according to", ":", "criticism"
    cue_lemma: str = ""
    cue_finite: bool = True  # the cue verb is finite as written ("said", not "saying")
    noun_cue: bool = False  # "his criticism of X"
    cue_inside_content: bool = False  # "Y, officials said, Z" or "X is believed to be Y"
    passive: bool = False  # "The move was reported by MSNBC": the content is the subject
    after_that: bool = False  # the content followed "that" in the source
    adjacent: bool = True  # nothing between the cue and the content ("urged residents to …")
    content_before_cue: bool = False  # "Y, X said"
    lower_first: bool = False  # the content's first word is a common word, not a name
    # Spans inside ``content`` to leave out: the parenthetical ", officials said,".
    drop: tuple[tuple[int, int], ...] = ()
    subject_replacement: tuple[int, int, str] | None = None  # a leading pronoun → its name


def past_tense(lemma: str) -> str:
    """'say' → 'said', 'warn' → 'warned', 'deny' → 'denied', 'urge' → 'urged'."""
    lemma = lemma.lower()
    if lemma in IRREGULAR_PAST:
        return IRREGULAR_PAST[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        return lemma[:-1] + "ied"
    return lemma + "ed"


def draft(parts: StatementParts) -> str:
    """The statement for one claim: a standalone sentence with a finite verb."""
    content = _content_text(parts)
    if parts.kind == "unattributed":
        return _finish(_capitalise(content))
    if parts.speaker is None or parts.passive:
        # Nobody named ("the ferry is believed to carry …", "it is reported that …"), or a
        # passive report whose content is only its subject: the source's sentence stands alone.
        base = content if parts.cue_inside_content else parts.sentence
        return _finish(_capitalise(base.strip()))
    speaker = _capitalise(parts.speaker)
    if parts.cue_lemma == "according to":
        return _finish(f"According to {parts.speaker}, {content}")
    verb = _finite_cue(parts)
    if parts.kind == "direct" or _first_person(content):
        # "We believe the tax is fair" reported without its marks is still the speaker's own
        # words: "we" and "I" are the speaker, as a quotation shows.
        return f"{speaker} {verb}: {_quoted(content)}"
    if parts.noun_cue:
        return _finish(f"{speaker} {_noun_phrase(parts, content)}")
    connector = " that " if _needs_that(parts, verb) else " "
    return _finish(f"{speaker} {verb}{connector}{content}")


def _content_text(parts: StatementParts) -> str:
    content = parts.content
    if parts.subject_replacement is not None:
        start, end, name = parts.subject_replacement
        content = content[:start] + name + content[end:]
    for start, end in sorted(parts.drop, reverse=True):
        content = content[:start] + " " + content[end:]
    content = re.sub(r"\s+([,;:.!?])", r"\1", " ".join(content.split()))
    content = re.sub(r",\s*,", ",", content).strip(" ,;:—–-")
    if (
        parts.kind in ("indirect", "mixed")
        and parts.lower_first
        and content[:1].isupper()
        and not _first_person(content)
    ):
        second = content[1:2]
        if not second.isupper():  # "US officials" keeps its capitals
            content = content[0].lower() + content[1:]
    return content


def _first_person(content: str) -> bool:
    return content.split(" ", 1)[0].strip("“\"'‘").lower() in FIRST_PERSON


def _needs_that(parts: StatementParts, verb: str) -> bool:
    """'X said Y' reads well; 'X wrote that Y' and 'X said in a report that Y' need "that"."""
    if parts.content.lower().startswith("that "):
        return False
    if parts.after_that:
        return True
    return parts.content_before_cue and (parts.cue_lemma not in ("say", "tell") or " " in verb)


def _finite_cue(parts: StatementParts) -> str:
    """The cue as a finite verb: as written when it is finite, else its past tense."""
    cue = (parts.cue or "said").strip()
    lemma = parts.cue_lemma or "say"
    if cue == ":" or not cue[:1].isalpha():
        return "posted" if lemma == "post" else "said"
    if lemma in ADDRESSEE_FIRST and not parts.adjacent:
        return "said"
    if parts.noun_cue:
        return "said"  # "issued the following statement:" → said: "…"
    if parts.cue_finite:
        return cue
    words = cue.split()
    return " ".join([past_tense(lemma), *words[1:]])


def _noun_phrase(parts: StatementParts, content: str) -> str:
    noun = (parts.cue_lemma or (parts.cue or "")).lower()
    verb = NOUN_VERBS.get(noun) or NOUN_VERBS.get(noun.rstrip("s"))
    if verb is None:
        return f"made a {noun} about {content}"
    if content.lower().startswith("that "):
        return f"{verb.split()[0]} {content}"
    # "criticised the deal", "called for a ceasefire": the verb brings its own preposition.
    return f"{verb} {_LEADING_PREPOSITION.sub('', content)}"


def _quoted(content: str) -> str:
    content = content.strip()
    if content[-1:] not in SENTENCE_END and content[-1:] not in CLOSING_QUOTES:
        content = content.rstrip(",;:") + "."
    elif content[-1:] == ",":
        content = content[:-1] + "."
    return f"“{content}”"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _finish(text: str) -> str:
    """End like a sentence: one final stop, kept inside a closing quotation mark."""
    text = text.strip().rstrip(",;:—–- ")
    if not text:
        return text
    if text[-1] in SENTENCE_END:
        return text
    if text[-1] in CLOSING_QUOTES and len(text) > 1 and text[-2] in SENTENCE_END + ",":
        if text[-2] == ",":
            return text[:-2] + "." + text[-1]
        return text
    return text + "."

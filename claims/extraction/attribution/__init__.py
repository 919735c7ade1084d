"""Attribution: find each speech or report act (speaker, cue, content) on spaCy's parse.

The steps, one module each:
- ``cues``: which words report speech, belief or stance (a cue verb from the lexicon, any verb
  or adjective with a "that" clause and a plausible holder, a noun with an owner, "according
  to", a colon after a name, "issued the following statement:");
- ``speaker_mentions``: the mention of who reports, as written: the cue's subject, the agent of
  a passive, or inherited from the verb the cue hangs on ("urged …, saying"), datelines cut off;
- ``content``: what a cue verb reports (a quotation it introduces, its clause, its object, the
  sentence around a parenthetical cue, or the rest of the sentence when the parse went astray);
- ``quotations``: direct, indirect or mixed from the marks, and quotations the parse cut apart
  (over sentences, over paragraphs, after a cue that ends a paragraph with a colon);
- ``acts``: the steps put together for each kind of cue, paragraph by paragraph; "citing X"
  adds X to the chain of attribution (``via``); a report nested in another claim's content or
  inside a quotation is part of that claim, not a claim of its own;
- ``spans``: the ``Attribution`` record and the span arithmetic the steps share (a spaced dash
  pair, "the gate - used by vehicles - was broken down", is an aside inside the content).

An anonymous report ("they are understood to have left", "he is believed to be", "the ship is
said to carry", "it is reported that") keeps its kind and cue ("understood"), and the pipeline
gives it the speaker "unnamed sources" (``speaker_name``; kind "unknown"): there is no mention
in the text, so ``speaker`` and ``speaker_span`` stay None, but a claim of kind "direct",
"indirect" or "mixed" always has a ``speaker_name``.
"""

from __future__ import annotations

from .acts import attribute
from .quotations import continue_quotes, kind_of
from .spans import Attribution
from .speaker_mentions import speaker_indexes

__all__ = ["Attribution", "attribute", "continue_quotes", "kind_of", "speaker_indexes"]

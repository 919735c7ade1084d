"""Candidates and ranking: every sentence scored, claims scored whole, the measuring contract."""

from __future__ import annotations

import io
import json
import math

from claims.extraction import extract, load_nlp, ranker, scoring
from claims.extraction.__main__ import main
from claims.extraction.features import FEATURE_NAMES, claim_features


def test_every_sentence_is_a_candidate_whether_or_not_it_became_a_claim():
    text = (
        "We lose 33,000 people a year already to gun violence. "
        "Thank you all for coming tonight. "
        "The strikes killed 25 fighters on Sunday."
    )
    result = extract(text)
    candidates = {text[slice(*c.sentence_span)]: c for c in result.candidates}
    assert len(candidates) == 3
    # The first-person sentence is no claim (nobody is attributed in an article's own voice),
    # but it ranks like any other sentence, far above the courtesy.
    first_person = candidates["We lose 33,000 people a year already to gun violence."]
    assert not first_person.claimed
    assert first_person.score > 0.5 > candidates["Thank you all for coming tonight."].score
    assert candidates["The strikes killed 25 fighters on Sunday."].claimed


def test_a_claim_is_scored_as_a_whole_not_as_its_fragment():
    text = "Senator Sanders voted against the Brady Bill."
    claim = extract(text).claims[0]
    assert claim.content == "against the Brady Bill"
    doc = load_nlp()(text)
    fragment = doc.char_span(text.index("against"), len(text) - 1)
    assert claim.checkworthiness == scoring.score(doc, role="official")
    assert claim.checkworthiness > scoring.score(fragment) + 0.2
    assert claim.ranking_role == "official"


def test_an_officials_role_comes_from_the_speakers_title():
    result = extract("Prime Minister Boris Johnson said 40 new hospitals will be built by 2030.")
    assert result.claims[0].ranking_role == "official"
    result = extract("The Guardian reported that 40 new hospitals will be built by 2030.")
    assert result.claims[0].ranking_role is None


def test_the_score_is_the_linear_model_and_explains_itself():
    vector = claim_features(load_nlp()("Unemployment fell to 4.9 percent in January."))
    parts = ranker.explain(vector)
    assert set(ranker.WEIGHTS) == set(FEATURE_NAMES)
    log_odds = ranker.BIAS + sum(contribution for _name, contribution in parts)
    assert math.isclose(ranker.linear(vector), log_odds)
    assert ranker.score(vector) == round(1 / (1 + math.exp(-log_odds)), 4)
    assert parts == sorted(parts, key=lambda part: -abs(part[1]))
    assert {"number", "percent_or_money", "past_tense"} <= {name for name, _ in parts}


def test_moderators_rank_below_candidates_saying_the_same():
    doc = load_nlp()("Unemployment fell to 4.9 percent in January.")
    assert scoring.score(doc, role="moderator") < scoring.score(doc, role="candidate")
    assert scoring.score(doc, role="candidate") == scoring.score(doc, role=None)


DEBATES = [
    {
        "id": "debate-1",
        "sentences": [
            {"i": 1, "speaker": "HOLT", "text": "Good evening and welcome."},
            {"i": 2, "speaker": "HOLT", "text": "What would you do about jobs?"},
            {"i": 3, "speaker": "TRUMP", "text": "We lost 70,000 factories to China."},
            {"i": 4, "speaker": "TRUMP", "text": "Thank you."},
            {"i": 5, "speaker": "CLINTON", "text": "I think he is wrong about that."},
        ],
    },
    {"id": 7, "sentences": []},
]


def test_rank_sentences_keeps_ids_and_numbers_and_scores_with_the_apps_code():
    results = list(scoring.rank_sentences(DEBATES))
    assert [r["id"] for r in results] == ["debate-1", 7]
    scores = {item["i"]: item["score"] for item in results[0]["scores"]}
    assert list(scores) == [1, 2, 3, 4, 5]
    assert all(0.0 <= value <= 1.0 for value in scores.values())
    assert scores[3] == max(scores.values())
    assert scores[3] == scoring.score(load_nlp()("We lost 70,000 factories to China."))
    assert results[1]["scores"] == []


def test_the_command_line_contract(tmp_path, monkeypatch):
    given = tmp_path / "debates.jsonl"
    given.write_text("".join(json.dumps(d) + "\n" for d in DEBATES), encoding="utf-8")
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    assert main(["--rank-sentences", "--jsonl", str(given)]) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == list(scoring.rank_sentences(DEBATES))
    assert set(lines[0]) == {"id", "scores"}
    assert set(lines[0]["scores"][0]) == {"i", "score"}


def test_the_command_line_transcript_mode(tmp_path, monkeypatch):
    given = tmp_path / "debate.txt"
    given.write_text("HOLT: Welcome.\nTRUMP: We lost 70,000 factories to China.\n")
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    assert main(["--transcript", "--moderator", "Holt", str(given)]) == 0
    result = json.loads(out.getvalue())
    assert [(c["speaker"], c["content"]) for c in result["claims"]] == [
        ("TRUMP", "We lost 70,000 factories to China.")
    ]
    assert [c["role"] for c in result["candidates"]] == ["moderator", "candidate"]

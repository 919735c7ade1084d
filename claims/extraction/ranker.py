"""The check-worthiness ranker: a small linear model over the features of ``features.py``.

The score is ``sigmoid(BIAS + Σ WEIGHTS[f] · x_f)``. The weights are constants fitted by
``benchmarks/fit_checkworthiness.py`` (L2-regularised logistic regression, classes weighted
equally) on the CLEF CheckThat! 2019 task 1 training debates: 19 US political debates and
speeches, 16,421 sentences of which fact-checkers picked 440. The data is free for research use
and is not part of this repository; only these fitted numbers are. With the classes weighted
equally, 0.5 means "as likely picked as not, against the base rate", so scores spread over
[0, 1] instead of crowding near the 3% of sentences that get picked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .features import FEATURE_NAMES

# Fitted by benchmarks/fit_checkworthiness.py on CheckThat! 2019 task 1 train (19 debates,
# 16,421 sentences, 440 picked); L2 = 1.0, classes weighted equally. Regenerate with
# `python benchmarks/fit_checkworthiness.py PATH/ct2019_train.jsonl` and paste its output.
# Positive weights raise the score; a binary feature's weight is its full effect on the
# log-odds, a graded one's (entities, length, vocabulary, opinion) its effect at the cap.
BIAS = -0.6302
WEIGHTS: dict[str, float] = {
    "number": 0.6791,
    "large_number": 0.6822,
    "percent_or_money": 0.7326,
    "comparison": 0.4152,
    "entities": -0.0670,
    "person": 0.0873,
    "place_or_organisation": 0.3268,
    "date_or_time": 0.1384,
    "statistics_vocabulary": 1.3927,
    "policy_vocabulary": 1.1977,
    "past_tense": 0.7700,
    "perfect_aspect": 0.4307,
    "present_tense": 0.0125,
    "future_or_modal": -0.4718,
    "first_person_past_action": -0.1384,
    "first_person": -0.7802,
    "second_person": 0.1868,
    "negation": 0.2205,
    "hedge": -0.0821,
    "opinion": 0.1192,
    "courtesy": -3.5174,
    "question": -1.0108,
    "exclamation": -0.9032,
    "length": 0.3099,
    "short": -0.4797,
    "role_moderator_or_host": -1.9594,
    "role_audience": -2.1466,
}


def linear(vector: Sequence[float]) -> float:
    """The model's raw sum (log-odds) for one feature vector."""
    return BIAS + sum(
        WEIGHTS[name] * value for name, value in zip(FEATURE_NAMES, vector, strict=True)
    )


def score(vector: Sequence[float]) -> float:
    """Check-worthiness in [0, 1] for one feature vector, rounded to four places."""
    return round(sigmoid(linear(vector)), 4)


def explain(vector: Sequence[float]) -> list[tuple[str, float]]:
    """What moved the score: each non-zero feature's contribution to the log-odds, largest
    first."""
    parts = [
        (name, WEIGHTS[name] * value)
        for name, value in zip(FEATURE_NAMES, vector, strict=True)
        if value and WEIGHTS[name]
    ]
    return sorted(parts, key=lambda part: -abs(part[1]))


def sigmoid(value: float) -> float:
    """The logistic function, safe for large values."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)

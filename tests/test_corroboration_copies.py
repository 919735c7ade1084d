"""Wire copies are grouped, and independent outlets counted once each."""

from __future__ import annotations

from claims.corroboration.copies import group_copies, independent_count

STORY = (
    "Hundreds of Iraqi protesters broke down the gate of the US embassy in Baghdad on Tuesday "
    "and set fire to a reception area, as anger grew over American airstrikes that killed 25 "
    "fighters of an Iran-backed militia at the weekend. Embassy staff had been moved to safety "
    "before the gate was breached, Iraqi officials said. Iraqi special forces were deployed to "
    "stop the crowd from entering the main building, and a man on a loudspeaker urged them to "
    "leave."
)
OTHER = (
    "The Pentagon said it would send about 750 soldiers from the 82nd Airborne Division to the "
    "region after the attack, and that more could follow in the coming days if needed. The "
    "deployment was ordered by the defence secretary, who said the move was a precaution taken "
    "in response to increased threat levels against US personnel and facilities in the region."
)


def test_a_trimmed_copy_with_its_own_headline_is_the_same_story():
    copy = "WORLD NEWS | Updated 14:02\n" + STORY.rsplit(". ", 1)[0] + ". Read more on our site."
    groups = group_copies({10: STORY, 11: OTHER, 12: copy})
    assert groups == {10: 10, 11: 11, 12: 10}


def test_different_stories_on_the_same_event_are_not_copies():
    rewrite = (
        "Protesters angry at US airstrikes stormed the outer wall of the American embassy "
        "compound in the Iraqi capital, lighting fires and chanting against America, while "
        "diplomats inside were said to be safe and the ambassador was away on holiday."
    )
    assert group_copies({1: STORY, 2: rewrite}) == {1: 1, 2: 2}


def test_short_texts_are_copies_only_when_identical():
    assert group_copies({1: "Embassy stormed.", 2: "Embassy stormed!", 3: "Embassy burns."}) == {
        1: 1,
        2: 1,
        3: 3,
    }


def test_groups_are_named_by_the_smallest_id_whatever_the_order():
    assert group_copies({9: STORY, 2: OTHER, 5: STORY}) == {2: 2, 5: 5, 9: 5}


def test_a_wire_story_in_three_outlets_counts_once():
    assert independent_count([(1, "ap"), (1, "sky"), (1, "bbc"), (4, "reuters")]) == 2


def test_an_outlet_reporting_twice_counts_once():
    assert independent_count([(1, "sky"), (2, "sky"), (3, "reuters")]) == 2
    assert independent_count([]) == 0

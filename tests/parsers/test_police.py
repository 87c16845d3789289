"""Police assistance is never read as the opposite of what was written; doubt is unknown."""

from __future__ import annotations

import pytest

from parsers.fields import checked_value, police_cues, read_label, read_yes_no


def kinds(text: str) -> set[str]:
    return {cue.kind for cue in police_cues(text)}


@pytest.mark.parametrize(
    "text",
    [
        "No PD.",
        "no police assistance needed",
        "Police assistance not requested.",
        "PD was not needed.",
        "I did not request police assistance.",
        "I didn't need the police.",
        "Served without Groton PD.",
        "Served without any police assistance.",
        "Police assistance declined.",
        "There was no need for police.",
        "Police were never called.",
    ],
)
def test_a_negation_of_the_police_says_no(text: str) -> None:
    assert kinds(text) == {"no"}


@pytest.mark.parametrize(
    "text",
    [
        "Served without incident with Groton PD present.",
        "Groton PD stood by because he would not open the door.",
        "Police were present and no one was hurt.",
        "Stamford PD assisted since nobody would answer and he did not come out.",
        "Waterbury PD (Ofc. Reyes) was with me, no issues.",
    ],
)
def test_a_negation_about_something_else_leaves_the_police_answer_yes(text: str) -> None:
    assert kinds(text) == {"yes"}


@pytest.mark.parametrize(
    "text",
    [
        "I would not have gone in without the PD.",
        "I never serve him without police.",
    ],
)
def test_a_double_negation_is_unknown_not_no(text: str) -> None:
    assert "no" not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Confirmed with Putnam PD dispatch that he moved.",
        "Ran a records check with Groton PD.",
        "Groton PD records show a prior call to the address.",
        "Neighbour said the police had been there last week.",
    ],
)
def test_a_department_named_for_another_reason_is_no_answer(text: str) -> None:
    assert kinds(text) == set()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Yes [X] No [ ]", "Yes"),
        ("Yes [ ] No [X]", "No"),
        ("[X] Yes [ ] No", "Yes"),
        ("[ ] Yes [x] No", "No"),
        ("Yes \u2610 No \u2612", "No"),
        ("\u2612 Yes \u2610 No", "Yes"),
        ("Yes [ ] No [ ]", ""),
    ],
)
def test_a_checked_box_answers_on_whichever_side_its_option_is_written(
    value: str, expected: str
) -> None:
    assert checked_value(value) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("PD assist: Yes [X]  No [ ]", True),
        ("PD assist: Yes [ ]  No [X]", False),
        ("Police assistance: [ ] Yes [ ] No", None),
        ("Police: not needed", False),
        ("Police: none requested", False),
        ("Police: neither requested nor required", False),
        ("Police: Groton PD stood by", True),
    ],
)
def test_a_police_label_is_read_as_written_or_left_unknown(
    line: str, expected: bool | None
) -> None:
    label = read_label(line)
    assert label is not None and label.field == "police"
    assert read_yes_no(label.value) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Served in hand at 1 PM. Groton PD on scene - no issues.", {"yes"}),
        ("Served in hand at 1 PM. Police assistance required: no.", {"no"}),
        ("Served in hand at 1 PM, PD assist - N", {"no"}),
        ("Spoke with Groton PD, he is out on bond.", set()),
        ("Groton PD has a history of calls at the house.", set()),
    ],
)
def test_an_answer_inside_a_sentence_is_read_only_where_it_answers(
    text: str, expected: set[str]
) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Attempted at 10:20 with Officer Dunn of Meriden PD.", {"yes"}),
        ("Served in hand at 2215, assisted by Troop H.", {"yes"}),
        ("Attempted at 2:40 PM, nobody home. Went by myself.", {"no"}),
        ("He was arrested last night and is being held at the New Haven PD lockup.", set()),
    ],
)
def test_the_police_are_named_as_officers_write_them(text: str, expected: set[str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("attempt 11:15 AM / nobody home, neighbor says she is away / no PD", {"no"}),
        ("No problems, Ofc. Ruiz from New Britain PD stood by the whole time.", {"yes"}),
    ],
)
def test_an_answer_is_read_in_its_own_field_or_clause(text: str, expected: set[str]) -> None:
    assert kinds(text) == expected

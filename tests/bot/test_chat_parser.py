"""The chat parser reads one-line reports and typed times, with the email parser's words."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from parsers.chat import read_shortcut, read_when

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 2, 20, 0, tzinfo=UTC)  # 3:00 PM EST


def test_the_shortcut_from_the_issue_is_read_whole() -> None:
    report = read_shortcut("served HHD-FA-23-6012345-S hand 14:30 no police", NOW, ZONE)
    assert report is not None
    assert (report.activity, report.docket, report.method, report.police_assistance) == (
        "service",
        "HHD-FA-23-6012345-S",
        "hand",
        False,
    )
    assert report.when is not None
    assert report.when.moment == datetime(2026, 11, 2, 14, 30, tzinfo=ZONE)


def test_any_docket_spelling_and_words_of_the_email_vocabulary_are_read() -> None:
    report = read_shortcut("Served hhdfa236012345s at abode yesterday 7:10pm with PD", NOW, ZONE)
    assert report is not None
    assert (report.docket, report.method, report.police_assistance) == (
        "HHD-FA-23-6012345-S",
        "abode",
        True,
    )
    assert report.when is not None
    assert report.when.moment == datetime(2026, 11, 1, 19, 10, tzinfo=ZONE)


def test_a_shortcut_may_leave_fields_for_the_buttons() -> None:
    report = read_shortcut("attempted HHD-FA-23-6012345-S", NOW, ZONE)
    assert report is not None
    assert report.activity == "attempt"
    assert (report.method, report.police_assistance, report.when) == (None, None, None)


@pytest.mark.parametrize("text", ["HHD-FA-23-6012345-S", "hello", "", "the hand 14:30"])
def test_a_line_not_starting_with_what_was_done_is_no_shortcut(text: str) -> None:
    assert read_shortcut(text, NOW, ZONE) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("30 min ago", datetime(2026, 11, 2, 19, 30, tzinfo=UTC)),
        ("1 h ago", datetime(2026, 11, 2, 19, 0, tzinfo=UTC)),
        ("14:30", datetime(2026, 11, 2, 14, 30, tzinfo=ZONE)),
        ("yesterday 7:10pm", datetime(2026, 11, 1, 19, 10, tzinfo=ZONE)),
    ],
)
def test_typed_times_are_read_against_the_reference_time(text: str, expected: datetime) -> None:
    assert read_when(text, NOW, ZONE).moment == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("soon", "no time found"),
        ("7:10", "am or pm"),
        ("23:00", "still to come"),
    ],
)
def test_a_time_that_cannot_be_read_says_why(text: str, problem: str) -> None:
    when = read_when(text, NOW, ZONE)
    assert when.moment is None and when.problem is not None and problem in when.problem

"""Each report field says where in EmailParse.text it was read from: stated, inferred, missing."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from parsers.email import EmailParse, parse_email
from parsers.evidence import FIELDS

REGISTRY_ZONE = ZoneInfo("America/New_York")


def parse(body: str, *, content_type: str = "text/plain", subject: str = "Service") -> EmailParse:
    raw = (
        "From: Kevin Brandt <kbrandt@example.com>\n"
        "To: registry@por.example.gov\n"
        f"Subject: {subject}\n"
        "Date: Mon, 9 Nov 2026 16:30:00 -0500\n"
        f"Content-Type: {content_type}; charset=us-ascii\n\n{body}"
    ).encode()
    received = datetime.fromisoformat("2026-11-09T16:31:00-05:00")
    return parse_email(raw, received_at=received, tz=REGISTRY_ZONE)


def quoted(parsed: EmailParse, report: int, field: str) -> str | None:
    """The characters of the text that a field's span covers."""
    evidence = parsed.to_json()["reports"][report]["evidence"][field]  # type: ignore[index]
    span = evidence["span"]
    return None if span is None else parsed.text[span[0] : span[1]]


def state(parsed: EmailParse, report: int, field: str) -> str:
    return parsed.to_json()["reports"][report]["evidence"][field]["state"]  # type: ignore[index,no-any-return]


DOT_LEADERS = """Docket ............ HHD-FA-26-6053118-S
Respondent ........ Olivia Brandstetter
Served ............ in hand
Date .............. 11/02/2026
Time .............. 1:35 PM
Police assist ..... No

Kevin Brandt
State Marshal
"""
TABS = """Docket:\t\tNNH-CV-26-6008951-S
Respondent:\tHale, Quentin
Service:\t\tAbode
Date/Time:\t10/22/2026\t4:05 PM
Police:\t\tNo

Kevin Brandt
"""
PROSE = """Attempted HHD-FA-26-6053810-S (respondent Damon Price) yesterday at 8:10 PM at
221 Garden St, Hartford. Nobody answered, his car was gone. No police assistance.

Kevin Brandt
"""
HTML_TABLE = """<html><body><p>Registry,</p><table>
<tr><td>Docket No.</td><td>WWM-FA-26-6012530-S</td></tr>
<tr><td>Respondent</td><td>Garrett Lavoie</td></tr>
<tr><td>Date / Time</td><td>11/09/2026 10:40 AM</td></tr>
<tr><td>Manner of Service</td><td>In Hand</td></tr>
<tr><td>Police Assistance Requested</td><td>Yes</td></tr>
</table><p>Kevin Brandt</p></body></html>"""


def test_the_message_json_carries_the_text_the_spans_index() -> None:
    parsed = parse(DOT_LEADERS)
    data = parsed.to_json()
    assert data["text"] == parsed.text
    json.dumps(data)
    evidence = data["reports"][0]["evidence"]  # type: ignore[index]
    assert set(evidence) == set(FIELDS)
    assert evidence["transferred_to"] == {"state": "missing", "span": None}


def test_spans_cover_the_values_of_a_dot_leader_form() -> None:
    parsed = parse(DOT_LEADERS)
    assert quoted(parsed, 0, "docket_number") == "HHD-FA-26-6053118-S"
    assert quoted(parsed, 0, "method") == "in hand"
    assert quoted(parsed, 0, "police_assistance") == "No"
    assert quoted(parsed, 0, "respondent_last_name") == "Brandstetter"
    span = quoted(parsed, 0, "occurred_at")
    assert span is not None and span.startswith("11/02/2026") and span.endswith("1:35 PM")
    assert state(parsed, 0, "occurred_at") == "stated"


def test_spans_cover_tab_aligned_values_and_a_last_comma_first_name() -> None:
    parsed = parse(TABS)
    assert quoted(parsed, 0, "method") == "Abode"
    assert quoted(parsed, 0, "respondent_first_name") == "Quentin"
    assert quoted(parsed, 0, "respondent_last_name") == "Hale"
    assert quoted(parsed, 0, "occurred_at") == "10/22/2026\t4:05 PM"


def test_a_relative_day_is_inferred_and_prose_words_are_quoted() -> None:
    parsed = parse(PROSE)
    assert state(parsed, 0, "occurred_at") == "inferred"
    assert quoted(parsed, 0, "occurred_at") == "yesterday at 8:10 PM"
    assert quoted(parsed, 0, "reason") == "Nobody answered, his car was gone."
    assert quoted(parsed, 0, "reason_code") == "Nobody answered"
    assert quoted(parsed, 0, "police_assistance") == "No police assistance"
    assert state(parsed, 0, "method") == "missing"


def test_spans_index_the_text_read_from_an_html_table() -> None:
    parsed = parse(HTML_TABLE, content_type="text/html")
    assert quoted(parsed, 0, "docket_number") == "WWM-FA-26-6012530-S"
    assert quoted(parsed, 0, "method") == "In Hand"
    assert quoted(parsed, 0, "police_assistance") == "Yes"
    assert quoted(parsed, 0, "respondent_first_name") == "Garrett"


def test_an_officer_named_only_in_the_from_header_is_inferred_without_a_span() -> None:
    parsed = parse("HHD-FA-26-6053118-S served in hand today at 2:15 pm, no police.\n")
    assert parsed.reports[0].officer_name == "Kevin Brandt"
    assert state(parsed, 0, "officer_name") == "inferred"
    assert quoted(parsed, 0, "officer_name") is None


@pytest.mark.parametrize("field", ["docket_number", "method", "police_assistance"])
def test_each_report_of_a_batch_points_into_its_own_lines(field: str) -> None:
    parsed = parse(
        "1. HHD-FA-26-6053118-S Olivia Brandt - in hand 9:40 AM, no PD\n"
        "2. HHD-FA-26-6053125-S Ray Lutz - abode 11:15 AM, PD yes\n\nKevin Brandt\n"
    )
    first, second = (parsed.to_json()["reports"][n]["evidence"][field]["span"] for n in (0, 1))  # type: ignore[index]
    assert first is not None and second is not None
    line_two = parsed.text.index("2. ")
    assert first[0] < line_two <= second[0]

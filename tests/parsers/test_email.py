"""parse_email against the sample corpus, hand-built messages and random input."""

from __future__ import annotations

import base64
import dataclasses
import json
import quopri
from datetime import datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.email import NO_REPORT, EmailParse, parse_email

EMAILS = Path(__file__).parent.parent / "data" / "emails"
REGISTRY_ZONE = ZoneInfo("America/New_York")
SAMPLES = sorted(path.stem for path in EMAILS.glob("*.json"))
REPORT_KEYS = {
    "docket_number", "activity", "method", "occurred_at", "police_assistance", "reason_code",
    "reason", "transferred_to", "note", "officer_name", "respondent_first_name",
    "respondent_last_name", "problems", "evidence",
}  # fmt: skip
FUZZ = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def parse_sample(name: str) -> tuple[EmailParse, dict[str, object]]:
    """Parse tests/data/emails/NAME.eml as if received a minute after its Date header."""
    raw = (EMAILS / f"{name}.eml").read_bytes()
    expected = json.loads((EMAILS / f"{name}.json").read_text(encoding="utf-8"))
    date = message_from_bytes(raw)["Date"]
    received_at = parsedate_to_datetime(date) + timedelta(minutes=1)
    return parse_email(raw, received_at=received_at, tz=REGISTRY_ZONE), expected


def parse(raw: bytes, received_at: str = "2026-11-09T12:00:00-05:00") -> EmailParse:
    return parse_email(raw, received_at=datetime.fromisoformat(received_at), tz=REGISTRY_ZONE)


def message(body: str, *, subject: str = "Service", headers: str = "") -> bytes:
    return (
        "From: Kevin Brandt <KBrandt@Example.com>\n"
        "To: registry@por.example.gov\n"
        f"Subject: {subject}\n"
        "Date: Mon, 9 Nov 2026 08:30:00 -0500\n"
        "Message-ID: <test-1@example.com>\n"
        f"{headers}"
        "Content-Type: text/plain; charset=us-ascii\n\n"
        f"{body}"
    ).encode()


def all_problems(parsed: EmailParse) -> list[str]:
    return list(parsed.problems) + [p for report in parsed.reports for p in report.problems]


# --- the corpus -------------------------------------------------------------------------------


def test_the_corpus_holds_the_shared_samples_and_at_least_25_more() -> None:
    assert len(SAMPLES) >= 35
    for name in SAMPLES:
        assert (EMAILS / f"{name}.eml").exists()


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_parses_to_its_expected_reports(name: str) -> None:
    parsed, expected = parse_sample(name)
    got = parsed.to_json()["reports"]
    want = expected["reports"]
    assert isinstance(got, list) and isinstance(want, list)
    assert len(got) == len(want), got
    for got_report, want_report in zip(got, want, strict=True):
        for key, value in want_report.items():
            assert got_report[key] == value, f"{key}: {got_report}"


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_has_problems_exactly_when_it_should(name: str) -> None:
    parsed, expected = parse_sample(name)
    assert bool(all_problems(parsed)) is expected["expect_problems"], all_problems(parsed)


# --- the result's shape -----------------------------------------------------------------------


def test_to_json_has_exactly_the_agreed_keys() -> None:
    parsed, _ = parse_sample("plain-key-value")
    data = parsed.to_json()
    assert set(data) == {"message_id", "from", "text", "reports", "problems"}
    assert set(data["reports"][0]) == REPORT_KEYS  # type: ignore[index]
    json.dumps(data)


def test_occurred_at_is_iso_8601_with_the_offset() -> None:
    parsed, _ = parse_sample("plain-key-value")
    assert parsed.to_json()["reports"][0]["occurred_at"] == "2026-10-19T13:05:00-04:00"  # type: ignore[index]
    assert parsed.reports[0].occurred_at is not None
    assert parsed.reports[0].occurred_at.utcoffset() == timedelta(hours=-4)


def test_the_results_are_frozen() -> None:
    parsed, _ = parse_sample("plain-key-value")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.subject = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.reports[0].activity = "attempt"  # type: ignore[misc]


def test_it_reads_the_headers() -> None:
    parsed, _ = parse_sample("lowercase-spaced-docket")
    assert parsed.sender == "amastroianni@example.org"
    assert parsed.sender_name == "Mastroianni, Anthony"
    assert parsed.subject == "served sat"
    assert (
        parsed.message_id == "<DM6PR11MB4321E0A9F8C7B6D5@DM6PR11MB4321.namprd11.prod.example.org>"
    )
    assert parsed.date == datetime.fromisoformat("2026-11-09T08:30:10-05:00")
    assert parsed.to_json()["from"] == "amastroianni@example.org"


def test_it_decodes_an_encoded_word_subject() -> None:
    parsed, _ = parse_sample("encoded-word-subject-docket")
    assert parsed.subject == "Service \u2013 KNO-FA-26-6003350-S \u2013 Brandon Teague"
    assert parsed.sender_name == "Bj\u00f6rn Halvorsen"


# --- bodies -----------------------------------------------------------------------------------


def test_it_lists_an_attachment_without_reading_it() -> None:
    parsed, _ = parse_sample("attachment-return-of-service")
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("return-of-service.pdf", "application/pdf")
    ]
    assert parsed.attachments[0].size > 0
    assert "%PDF" not in parsed.text


def test_it_reads_the_plain_alternative_and_not_the_html_twin() -> None:
    parsed, _ = parse_sample("multipart-alternative")
    assert parsed.text.count("AAN-FA-26-6010034-S") == 1
    assert "<div" not in parsed.text


def test_it_reads_an_html_only_body_as_text() -> None:
    parsed, _ = parse_sample("outlook-html-table")
    assert "Docket Number\tWWM-FA-26-6011873-S" in parsed.text
    assert "&nbsp;" not in parsed.text and "MsoNormal" not in parsed.text


def test_an_unknown_charset_is_read_without_raising_and_said_so() -> None:
    parsed, _ = parse_sample("unknown-charset-fallback")
    assert "C\u00e9line" in parsed.text
    assert parsed.problems == ("text with charset 'x-mac-unknown' read as windows-1252",)


def test_a_message_attached_as_message_rfc822_counts_as_forwarded() -> None:
    inner = message_from_bytes((EMAILS / "plain-key-value.eml").read_bytes())
    outer = EmailMessage()
    outer["From"] = "Carla Jimenez <cjimenez@example.org>"
    outer["Subject"] = "Fwd: service"
    outer["Date"] = "Tue, 20 Oct 2026 09:00:00 -0400"
    outer.set_content("See the attached message from Marshal Brandt.")
    outer.add_attachment(inner)
    parsed = parse(outer.as_bytes(), received_at="2026-10-20T09:01:00-04:00")
    assert [r.docket_number for r in parsed.reports] == ["HHD-FA-26-6023417-S"]
    assert parsed.reports[0].officer_name == "Kevin Brandt"


# --- automatic mail ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "out-of-office-ignore",
        "auto-submitted-reply",
        "precedence-bulk-bulletin",
        "mailer-daemon-bounce",
    ],
)
def test_automatic_mail_is_marked_and_yields_no_reports(name: str) -> None:
    parsed, _ = parse_sample(name)
    assert parsed.is_automatic
    assert parsed.reports == ()
    assert parsed.problems == ()


@pytest.mark.parametrize(
    "header",
    ["X-POR-Loop: registry\n", "X-Loop: registry@por.example.gov\n", "Precedence: junk\n",
     "Auto-Submitted: auto-generated\n", "Return-Path: <>\n"],
)  # fmt: skip
def test_a_loop_or_auto_header_marks_the_message_automatic(header: str) -> None:
    parsed = parse(message("Served HHD-FA-26-6045901-S in hand today 2 pm, no PD.", headers=header))
    assert parsed.is_automatic and parsed.reports == ()


def test_auto_submitted_no_is_a_person_writing() -> None:
    raw = message(
        "Served HHD-FA-26-6045901-S in hand today 2 pm, no PD.", headers="Auto-Submitted: no\n"
    )
    assert not parse(raw).is_automatic


def test_an_out_of_office_subject_marks_the_message_automatic() -> None:
    parsed = parse(message("I am away until Monday.", subject="Out of Office: Service"))
    assert parsed.is_automatic and parsed.reports == ()


# --- reading the reports ----------------------------------------------------------------------


def test_the_brief_sentence_is_read_in_full() -> None:
    raw = message(
        "HHD-FA-26-6045901-S: served Robert Jones in hand today at 2:15 pm, "
        "no police assistance needed.\n\nKevin Brandt\nState Marshal\n"
    )
    (report,) = parse(raw, received_at="2026-11-09T14:30:00-05:00").reports
    assert {k: v for k, v in report.to_json().items() if k != "evidence"} == {
        "docket_number": "HHD-FA-26-6045901-S",
        "activity": "service",
        "method": "hand",
        "occurred_at": "2026-11-09T14:15:00-05:00",
        "police_assistance": False,
        "reason_code": None,
        "reason": None,
        "transferred_to": None,
        "note": None,
        "officer_name": "Kevin Brandt",
        "respondent_first_name": "Robert",
        "respondent_last_name": "Jones",
        "problems": [],
    }


def test_a_reply_yields_only_the_new_report() -> None:
    parsed, _ = parse_sample("reply-with-quoted-report")
    assert [r.docket_number for r in parsed.reports] == ["HHD-FA-26-6023555-S"]
    parsed, _ = parse_sample("outlook-reply-history")
    assert [r.docket_number for r in parsed.reports] == ["HHD-FA-26-6023601-S"]


def test_relative_days_count_from_the_date_header_not_from_received_at() -> None:
    raw = message("HHD-FA-26-6045901-S served in hand yesterday at 4 pm, no PD.")
    (report,) = parse(raw, received_at="2026-11-12T09:00:00-05:00").reports
    assert report.occurred_at == datetime.fromisoformat("2026-11-08T16:00:00-05:00")


def test_relative_days_fall_back_to_received_at_without_a_date_header() -> None:
    raw = message("HHD-FA-26-6045901-S served in hand today at 4 pm, no PD.").replace(
        b"Date: Mon, 9 Nov 2026 08:30:00 -0500\n", b""
    )
    (report,) = parse(raw, received_at="2026-11-12T21:00:00-05:00").reports
    assert report.occurred_at == datetime.fromisoformat("2026-11-12T16:00:00-05:00")


def test_a_time_without_a_day_is_left_empty_and_named() -> None:
    (report,) = parse(message("HHD-FA-26-6045901-S in hand at 2:15 PM, no PD.")).reports
    assert report.occurred_at is None
    assert report.problems == ("missing date of service",)


def test_a_named_offset_wins_over_the_registry_zone() -> None:
    raw = message("HHD-FA-26-6045901-S served in hand 11/8/2026 at 2:15 PM -0600, no PD.")
    (report,) = parse(raw).reports
    assert report.occurred_at == datetime.fromisoformat("2026-11-08T15:15:00-05:00")


def test_an_attempt_without_a_reason_is_flagged() -> None:
    (report,) = parse(message("HHD-FA-26-6045901-S attempted 11/8 at 6 pm. No PD.")).reports
    assert report.activity == "attempt"
    assert report.problems == ("missing reason for the attempt",)


def test_conflicting_police_answers_are_flagged() -> None:
    raw = message("HHD-FA-26-6045901-S served in hand 11/8 at 6 pm, no PD assist. PD stood by.")
    (report,) = parse(raw).reports
    assert report.police_assistance is None
    assert "ambiguous police assistance" in report.problems


def test_a_transfer_in_a_sentence_names_the_receiving_officer() -> None:
    raw = message("HHD-FA-26-6045901-S transferred to Marshal Jane Doe today at 11:20 am.")
    (report,) = parse(raw).reports
    assert (report.activity, report.transferred_to) == ("transferred", "Jane Doe")
    assert report.occurred_at == datetime.fromisoformat("2026-11-09T11:20:00-05:00")
    assert report.police_assistance is None and report.problems == ()


def test_a_line_of_only_pipes_is_no_table() -> None:
    # Found by the fuzzer: a table run whose rows were all rules left no header row to read.
    parsed = parse(message(" |  | \n|---|---|\n"))
    assert parsed.problems == (NO_REPORT,)


def test_a_message_naming_hundreds_of_dockets_is_cut_and_said_so() -> None:
    body = "\n\n".join(
        f"HHD-FA-26-60{n:05d}-S served in hand 11/8 at 2pm, no PD" for n in range(150)
    )
    parsed = parse(message(body))
    assert len(parsed.reports) == 100
    assert parsed.problems == ("more than 100 reports; only the first 100 read",)


@pytest.mark.parametrize(
    ("said", "stretch"),
    [("between 2 and 3 pm", "between 2 and 3 pm"), ("2-3 pm", "2-3 pm")],
)  # fmt: skip
def test_a_time_range_is_a_problem_not_a_moment(said: str, stretch: str) -> None:
    (report,) = parse(message(f"HHD-FA-26-6045901-S served in hand 11/8 {said}, no PD.")).reports
    assert report.occurred_at is None
    assert report.problems == (f"time of service given as a range: {stretch!r}",)


def test_a_date_a_dash_and_a_time_is_no_range() -> None:
    (report,) = parse(
        message("HHD-FA-26-6045901-S served in hand 11/8/2026 - 2:15 PM, no PD")
    ).reports
    assert report.occurred_at == datetime.fromisoformat("2026-11-08T14:15:00-05:00")


def test_an_empty_message_has_no_report() -> None:
    parsed = parse(b"")
    assert parsed.reports == ()
    assert parsed.problems == (NO_REPORT,)


def test_a_naive_received_at_is_taken_as_utc() -> None:
    raw = message("HHD-FA-26-6045901-S served in hand 11/9/2026 at 2 pm, no PD.")
    received = datetime(2026, 11, 9, 18, 30)  # 18:30 UTC is 1:30 pm in Connecticut
    (report,) = parse_email(raw, received_at=received, tz=REGISTRY_ZONE).reports
    assert "occurred_at in the future" in report.problems


# --- it never raises --------------------------------------------------------------------------

DOCKETISH = st.sampled_from(
    ["HHD-FA-26-6045901-S", "hhd fa 26 6045901 s", "HHD-FA-26-604590-S", "KNL-CV-2-60190233",
     "XYZ-FA-26-6012345-S", "Docket: ", "Respondent: ", "PD assist: no", "served in hand",
     "at abode", "attempted", "transferred to Marshal ", "11/3/26", "Nov. 3rd", "1430 hrs",
     "2:30 pm EST", "yesterday evening", "this morning at 9", "> quoted", "On Mon wrote:",
     "---------- Forwarded message ---------\nFrom: A <a@b>\nDate: x\n", "-- \n", "\t", " | ",
     "<td>", "</tr>", "<blockquote>", "&nbsp;", "=?utf-8?q?=E2=80=93?=", "\n\n", "Thanks,\n"]
)  # fmt: skip
TEXT = st.lists(DOCKETISH | st.text(max_size=40), max_size=12).map("".join)
HEADER_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40
)
CHARSETS = st.sampled_from(
    ["utf-8", "us-ascii", "iso-8859-1", "windows-1252", "utf-16", "koi8-r", "shift_jis",
     "utf-7", "x-bogus", "unknown-8bit", "idna", "punycode", "base64", ""]
)  # fmt: skip
ENCODINGS = st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "bogus"])


def encoded_payload(data: bytes, transfer_encoding: str) -> str:
    if transfer_encoding == "base64":
        return base64.encodebytes(data).decode("ascii")
    if transfer_encoding == "quoted-printable":
        return quopri.encodestring(data).decode("ascii")
    return data.decode("ascii", "surrogateescape")


@st.composite
def leaf_part(draw: st.DrawFn) -> EmailMessage:
    part = EmailMessage()
    ctype = draw(st.sampled_from(["text/plain", "text/html", "application/pdf", "image/png"]))
    charset = draw(CHARSETS)
    try:
        data = draw(TEXT).encode(charset or "ascii", errors="replace")
    except (LookupError, UnicodeError, TypeError):
        data = draw(TEXT).encode("utf-8")
    if draw(st.booleans()):
        data += draw(st.binary(max_size=30))
    transfer_encoding = draw(ENCODINGS)
    part["Content-Type"] = f'{ctype}; charset="{charset}"'
    part["Content-Transfer-Encoding"] = transfer_encoding
    if draw(st.booleans()):
        part["Content-Disposition"] = draw(st.sampled_from(["attachment", "inline", "bogus"]))
    part.set_payload(encoded_payload(data, transfer_encoding))
    return part


@st.composite
def mime_tree(draw: st.DrawFn, depth: int = 0) -> EmailMessage:
    if depth >= 3 or draw(st.booleans()):
        return draw(leaf_part())
    container = EmailMessage()
    subtype = draw(st.sampled_from(["mixed", "alternative", "related", "report", "digest"]))
    # An explicit boundary: the generator would otherwise draw one from the random module.
    boundary = f"=_part_{depth}_{draw(st.integers(0, 10**6))}"
    container["Content-Type"] = f'multipart/{subtype}; boundary="{boundary}"'
    for child in draw(st.lists(mime_tree(depth=depth + 1), min_size=0, max_size=3)):
        container.attach(child)
    if not container.get_payload():
        container.set_payload([])
    return container


@st.composite
def whole_message(draw: st.DrawFn) -> bytes:
    """A random MIME tree under random top headers (written raw: 8-bit, folded or malformed)."""
    msg = draw(mime_tree())
    headers = {
        "From": draw(st.sampled_from(["", "a@b", "Brandt, Kevin <k@example.com>"]) | HEADER_TEXT),
        "Subject": draw(DOCKETISH | HEADER_TEXT),
        "Date": draw(
            st.sampled_from(["Mon, 9 Nov 2026 08:30:00 -0500", "yesterday", "Mon, 99 Foo 99999"])
            | HEADER_TEXT
        ),
    }
    if draw(st.booleans()):
        headers["Auto-Submitted"] = draw(HEADER_TEXT)
    top = "".join(f"{name}: {' '.join(value.split())}\n" for name, value in headers.items())
    return top.encode("utf-8", "surrogatepass") + msg.as_bytes()


@FUZZ
@given(st.binary(max_size=3000))
def test_it_never_raises_on_random_bytes(raw: bytes) -> None:
    parsed = parse(raw)
    json.dumps(parsed.to_json())
    assert not any(p.startswith("internal error") for p in parsed.problems)


@FUZZ
@given(st.binary(max_size=1500))
def test_it_never_raises_on_random_bytes_after_real_headers(body: bytes) -> None:
    parsed = parse(message("") + body)
    json.dumps(parsed.to_json())
    assert not any(p.startswith("internal error") for p in parsed.problems)


@FUZZ
@given(whole_message())
def test_it_never_raises_on_random_mime_trees(raw: bytes) -> None:
    parsed = parse(raw)
    json.dumps(parsed.to_json())
    assert not any(p.startswith("internal error") for p in parsed.problems)


# --- several activities in one block (issue 13) -----------------------------------------------


def test_received_then_served_in_one_sentence_is_two_reports() -> None:
    raw = message(
        "For HHD-FA-26-6045901-S (respondent Robert Jones): I received the process at 8:30 this "
        "morning from the clerk and served him in hand at 2:10 this afternoon. No police "
        "needed.\n\nKevin Brandt\n"
    )
    received, served = parse(raw, received_at="2026-11-09T16:00:00-05:00").reports
    assert (received.activity, served.activity) == ("received", "service")
    assert received.occurred_at == datetime.fromisoformat("2026-11-09T08:30:00-05:00")
    assert served.occurred_at == datetime.fromisoformat("2026-11-09T14:10:00-05:00")
    assert (served.method, served.police_assistance) == ("hand", False)
    assert received.police_assistance is None
    assert {r.respondent_last_name for r in (received, served)} == {"Jones"}
    assert received.problems == () and served.problems == ()


def test_fields_named_for_activities_are_one_report_each() -> None:
    raw = message(
        "Docket: HHD-FA-26-6045901-S\nRespondent: Robert Jones\n"
        "Received: 11/08/2026 09:20\nServed: in hand 11/09/2026 07:45\nPD: no\n\nKevin Brandt\n"
    )
    reports = parse(raw).reports
    assert [(r.activity, r.occurred_at) for r in reports] == [
        ("received", datetime.fromisoformat("2026-11-08T09:20:00-05:00")),
        ("service", datetime.fromisoformat("2026-11-09T07:45:00-05:00")),
    ]


def test_a_time_without_a_day_sent_later_that_day_is_that_day() -> None:
    (report,) = parse(message("Tried HHD-FA-26-6045901-S again 7:05am, nobody home. no pd")).reports
    assert report.occurred_at == datetime.fromisoformat("2026-11-09T07:05:00-05:00")
    assert report.to_json()["evidence"]["occurred_at"]["state"] == "inferred"  # type: ignore[index]


# --- replies, corrections and HTML twins (issue 13) -------------------------------------------


def test_a_stub_plain_part_gives_way_to_the_html_report() -> None:
    msg = EmailMessage()
    msg["From"] = "Kevin Brandt <kbrandt@example.com>"
    msg["Subject"] = "Service"
    msg["Date"] = "Mon, 9 Nov 2026 08:30:00 -0500"
    msg.set_content("Please view this message in an HTML capable mail program.")
    msg.add_alternative(
        "<table><tr><td>Docket</td><td>HHD-FA-26-6045901-S</td></tr>"
        "<tr><td>Served</td><td>in hand 11/8/2026 7:10 PM</td></tr>"
        "<tr><td>PD assist</td><td>No</td></tr></table><p>Kevin Brandt</p>",
        subtype="html",
    )
    (report,) = parse(msg.as_bytes()).reports
    assert (report.docket_number, report.method) == ("HHD-FA-26-6045901-S", "hand")
    assert report.police_assistance is False


def test_a_correction_over_a_quote_is_one_report_with_the_corrected_value() -> None:
    raw = message(
        "Correction to my email below - the time of service was 2:40 PM, not 12:40 PM. "
        "Everything else is right.\n\nKevin\n\n"
        "On Sun, Nov 8, 2026 at 3:05 PM Kevin Brandt <kbrandt@example.com> wrote:\n"
        "> Docket: HHD-FA-26-6045901-S\n> Respondent: Robert Jones\n> Served: in hand\n"
        "> Date/Time: 11/8/2026 12:40 PM\n> Police: No\n",
        subject="Re: HHD-FA-26-6045901-S",
    )
    (report,) = parse(raw).reports
    assert report.occurred_at == datetime.fromisoformat("2026-11-08T14:40:00-05:00")
    assert (report.method, report.police_assistance) == ("hand", False)
    assert report.respondent_last_name == "Jones" and report.problems == ()


def test_a_reply_that_corrects_nothing_does_not_report_the_quote_again() -> None:
    raw = message(
        "Thanks, got it.\n\nOn Sun, Nov 8, 2026 at 3:05 PM Kevin Brandt <kbrandt@example.com> "
        "wrote:\n> Docket: HHD-FA-26-6045901-S\n> Served: in hand 11/8/2026 12:40 PM\n",
        subject="Re: served",
    )
    assert parse(raw).reports == ()


def test_a_reason_told_over_two_sentences_is_kept_whole_up_to_the_police_sentence() -> None:
    raw = message(
        "Attempted HHD-FA-26-6045901-S at 7:10 AM today.\nKnocked for ten minutes, no answer. "
        "His truck was gone. No police assistance. I will go back tomorrow.\n\nKevin Brandt\n"
    )
    (report,) = parse(raw).reports
    assert report.reason == "Knocked for ten minutes, no answer. His truck was gone."
    assert (report.reason_code, report.police_assistance) == ("not home", False)


def test_an_aside_in_parentheses_stays_in_the_police_clause() -> None:
    raw = message(
        "Attempt on HHD-FA-26-6045901-S 11/8/2026 at 5:55 PM; he would not open the door. "
        "Hartford PD (Ofc. Reyes) was with me at my request.\n\nKevin Brandt\n"
    )
    (report,) = parse(raw).reports
    assert (report.police_assistance, report.reason_code) == (True, "evading")


def test_a_transfer_names_the_officer_after_a_time_and_a_title() -> None:
    raw = message(
        "HHD-FA-26-6045901-S - Respondent: Celia Amato. Transferred today at 7:00 AM to "
        "Constable Ray Dumont, the address is in his town.\n\nKevin Brandt\n"
    )
    (report,) = parse(raw).reports
    assert (report.activity, report.transferred_to) == ("transferred", "Ray Dumont")


def test_aligned_rows_read_a_method_word_alone_in_its_column() -> None:
    raw = message(
        "#1  HHD-FA-26-6045901-S  Haskins, Dale       abode   11/8 5:05pm   no PD\n"
        "#2  HHD-FA-26-6045918-S  Moreno, Gabriela    hand    11/8 6:20pm   PD yes\n"
        "-Kevin Brandt\n"
    )
    first, second = parse(raw).reports
    assert (first.method, second.method) == ("abode", "hand")
    assert (first.police_assistance, second.police_assistance) == (False, True)
    assert (second.respondent_first_name, second.respondent_last_name) == ("Gabriela", "Moreno")


def test_several_labels_on_one_tab_separated_line_are_each_read() -> None:
    raw = message(
        "DOCKET: HHD-FA-26-6045901-S\tRESPONDENT: KIM, BO\n"
        "METHOD: ABODE\tDATE: 11/8/2026\tTIME: 7:45 AM\nPD: NO\n\nKevin Brandt\n"
    )
    (report,) = parse(raw).reports
    assert (report.method, report.respondent_first_name, report.respondent_last_name) == (
        "abode",
        "BO",
        "KIM",
    )
    assert report.occurred_at == datetime.fromisoformat("2026-11-08T07:45:00-05:00")


def test_a_titled_signature_with_an_aside_names_the_officer() -> None:
    raw = message(
        "Served HHD-FA-26-6045901-S in hand today at 8:05 AM. No police.\n\n"
        "State Marshal Nicole Tran (New London County)\n"
    ).replace(b"From: Kevin Brandt <KBrandt@Example.com>", b"From: ntran@example.com")
    (report,) = parse(raw).reports
    assert report.officer_name == "Nicole Tran"

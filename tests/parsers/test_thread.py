"""Replies, forwards and corrections: quoted history never reports, a passed-on report does."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from parsers.email import EmailParse, parse_email
from parsers.fields import activity_cues
from parsers.thread import split_sections

ZONE = ZoneInfo("America/New_York")
NEW = "Served Dana Whitcomb in hand today at 2:15 PM on NNH-FA-26-6011223-S. No PD.\n\nKevin"
UNSIGNED = NEW.split("\n", 1)[0]
OLD = "Attempted KNL-FA-26-6019023-S at 9:10 AM, nobody home. No police."


def parse(body: str, subject: str = "Service") -> EmailParse:
    raw = (
        "From: Kevin Brandt <kbrandt@example.com>\nTo: registry@por.example.gov\n"
        f"Subject: {subject}\nDate: Mon, 9 Nov 2026 15:30:00 -0500\n"
        f"Content-Type: text/plain; charset=utf-8\n\n{body}"
    ).encode()
    return parse_email(raw, received_at=datetime(2026, 11, 9, 21, tzinfo=ZONE), tz=ZONE)


def dockets(parsed: EmailParse) -> list[str | None]:
    return [report.docket_number for report in parsed.reports]


ATTRIBUTIONS = [
    "On Mon, Nov 2, 2026 at 9:40 AM Kevin Brandt <kbrandt@example.com> wrote:",
    "On Mon, Nov 2, 2026 at 9:40 AM Kevin Brandt\n<kbrandt@example.com>\nwrote:",
    "On Nov 2, 2026, at 9:40 AM, Kevin Brandt <kbrandt@example.com> wrote:",
    "Le lun. 2 nov. 2026 \u00e0 09:40, Kevin Brandt <kbrandt@example.com> a \u00e9crit :",
    "Am Mo., 2. Nov. 2026 um 09:40 Uhr schrieb Kevin Brandt <kbrandt@example.com>:",
    "El lun, 2 nov 2026 a las 9:40, Kevin Brandt (<kbrandt@example.com>) escribi\u00f3:",
    "Kevin Brandt <kbrandt@example.com> wrote:",
]


@pytest.mark.parametrize("attribution", ATTRIBUTIONS)
def test_a_quote_under_any_clients_attribution_is_history(attribution: str) -> None:
    quoted = "\n".join(f"> {line}" for line in OLD.split("\n"))
    assert dockets(parse(f"{NEW}\n\n{attribution}\n{quoted}\n")) == ["NNH-FA-26-6011223-S"]


@pytest.mark.parametrize(
    "header",
    [
        "-----Original Message-----\nFrom: Kevin Brandt\nSent: Monday, November 2, 2026 9:40 AM\n"
        "To: Registry\nSubject: Attempt",
        "________________________________\nFrom: Kevin Brandt <kbrandt@example.com>\n"
        "Sent: Monday, November 2, 2026 9:40 AM\nTo: Registry\nSubject: Attempt",
        # An HTML reply turned to text leaves blank lines between the header lines.
        "From: Kevin Brandt <kbrandt@example.com>\n\nSent: Monday, November 2, 2026 9:40 AM\n\n"
        "To: Registry\n\nSubject: Attempt",
        "*From:* Kevin Brandt\n*Sent:* Monday, November 2, 2026 9:40 AM\n*To:* Registry",
        "-----Urspr\u00fcngliche Nachricht-----\nVon: Kevin Brandt\nGesendet: Montag, 2. "
        "November 2026 09:40\nAn: Registry\nBetreff: Versuch",
        "De : Kevin Brandt\nEnvoy\u00e9 : lundi 2 novembre 2026 09:40\n\u00c0 : Registry\n"
        "Objet : Tentative",
        "-------- Original Message --------\nSubject: Attempt\nDate: Mon, 2 Nov 2026 09:40\n"
        "From: Kevin Brandt",
    ],
)
def test_an_outlook_header_block_in_any_form_starts_history(header: str) -> None:
    assert dockets(parse(f"{NEW}\n\n{header}\n\n{OLD}\n", "RE: Attempt")) == ["NNH-FA-26-6011223-S"]


def test_quoted_lines_at_any_depth_are_history() -> None:
    body = f"{NEW}\n\n> > {OLD}\n>> {OLD.replace('KNL', 'HHD')}\n> > > {OLD}\n"
    assert dockets(parse(body)) == ["NNH-FA-26-6011223-S"]


@pytest.mark.parametrize(
    "marker",
    [
        "---------- Forwarded message ---------",
        "Begin forwarded message:",
        "-------- Weitergeleitete Nachricht --------",
        "---------- Mensaje reenviado ---------",
    ],
)
def test_a_forward_passes_its_report_on(marker: str) -> None:
    body = (
        f"FYI, this one never reached you.\n\n{marker}\nFrom: Pat Dunleavy <pd@example.com>\n"
        f"Date: Mon, 2 Nov 2026 at 09:50\nSubject: Attempt\nTo: Kevin Brandt\n\n{OLD}\n\nPat\n"
    )
    parsed = parse(body, "Fwd: Attempt")
    assert dockets(parsed) == ["KNL-FA-26-6019023-S"]
    assert parsed.reports[0].officer_name == "Pat Dunleavy"


def test_an_outlook_forward_under_a_localized_subject_passes_its_report_on() -> None:
    body = (
        "Siehe unten.\n\nVon: Pat Dunleavy <pd@example.com>\nGesendet: Montag, 2. November "
        f"2026 09:50\nAn: Kevin Brandt\nBetreff: Attempt\n\n{OLD}\n\nPat\n"
    )
    assert dockets(parse(body, "WG: Attempt")) == ["KNL-FA-26-6019023-S"]


def test_the_history_a_correction_reads_is_only_the_message_it_corrects() -> None:
    sections = split_sections(
        f"Correction: the time was 2:40 PM.\n\nOn Mon, Nov 9, 2026 at 3:05 PM Kevin Brandt "
        f"<kbrandt@example.com> wrote:\n> {UNSIGNED}\n>\n> On Mon, Nov 2, 2026 at 9:40 AM Pat "
        f"<pd@example.com> wrote:\n>> {OLD}\n",
        subject="Re: Service",
        sender_name="Kevin Brandt",
        sender="kbrandt@example.com",
    )
    history = sections[0].history
    assert history is not None and "NNH-FA-26-6011223-S" in history.text
    assert "KNL-FA" not in history.text and "wrote" not in history.text


def test_a_correction_over_a_reply_chain_is_one_corrected_report() -> None:
    body = (
        "Correction: the time of service was 2:40 PM, not 2:15 PM.\n\nOn Mon, Nov 9, 2026 at "
        f"3:05 PM Kevin Brandt <kbrandt@example.com> wrote:\n> {NEW}\n>\n> On Mon, Nov 2, 2026 "
        f"at 9:40 AM Pat <pd@example.com> wrote:\n>> {OLD}\n"
    )
    parsed = parse(body, "Re: Service")
    assert dockets(parsed) == ["NNH-FA-26-6011223-S"]
    assert parsed.reports[0].occurred_at == datetime(2026, 11, 9, 14, 40, tzinfo=ZONE)


def test_the_sentence_of_a_later_activity_is_its_own() -> None:
    body = (
        "KNL-FA-26-6019023-S: attempted at 9:10 AM today, nobody home. Returned at 2:05 PM "
        "with Groton PD and served him in hand.\n\nKevin"
    )
    attempt, service = parse(body).reports
    assert (attempt.activity, attempt.police_assistance) == ("attempt", None)
    assert (service.activity, service.police_assistance) == ("service", True)
    assert service.occurred_at == datetime(2026, 11, 9, 14, 5, tzinfo=ZONE)


def test_a_reply_names_the_respondent_from_the_message_it_answers() -> None:
    body = (
        "Served him in hand yesterday at 5:20 PM. No PD.\n\nKevin\n\nOn Sun, Nov 8, 2026 at "
        "9:00 AM Registry <registry@por.example.gov> wrote:\n> Has NNH-FA-26-6011223-S "
        "(respondent Dana Whitcomb) been served?\n"
    )
    (report,) = parse(body, "Re: NNH-FA-26-6011223-S").reports
    assert report.docket_number == "NNH-FA-26-6011223-S"
    assert (report.respondent_first_name, report.respondent_last_name) == ("Dana", "Whitcomb")


def test_an_explanation_without_a_moment_of_its_own_is_no_second_report() -> None:
    body = (
        "Served Emmett Rourke at a quarter past two this afternoon, docket NNH-FA-26-6011223-S. "
        "He was not home so I left the papers with his wife, who lives there. Police not "
        "requested.\n\nKevin"
    )
    (report,) = parse(body).reports
    assert (report.activity, report.method, report.police_assistance) == ("service", "abode", False)
    assert report.occurred_at == datetime(2026, 11, 9, 14, 15, tzinfo=ZONE)


def test_a_question_about_a_sent_report_is_no_report() -> None:
    body = (
        "Did this one come through? The clerk says it is not showing as served yet.\n\nKevin\n\n"
        f"On Thu, Nov 5, 2026 at 2:48 PM Kevin Brandt <kbrandt@example.com> wrote:\n> {UNSIGNED}\n"
    )
    parsed = parse(body, "Re: NNH-FA-26-6011223-S served")
    assert parsed.reports == ()
    assert "no report found in the message" in parsed.problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Has NNH-FA-26-6011223-S been served?", []),
        ("It is still listed as unserved on the portal.", []),
        ("Served? No", ["attempt"]),
        ("Served? Yes, in hand at 2 PM.", ["service"]),
    ],
)
def test_a_question_or_a_records_status_tells_of_nothing_done(
    text: str, expected: list[str]
) -> None:
    assert [cue.kind for cue in activity_cues(text)] == expected


def test_the_words_around_a_list_of_dockets_are_about_each_of_them() -> None:
    body = (
        "Both orders against Reginald Moss served together in hand at 11:10 AM today:\n\n"
        "UWY-FA-26-6036044-S\nUWY-CV-26-6004117-S\n\nWaterbury PD present.\n\nKevin"
    )
    reports = parse(body).reports
    assert [r.docket_number for r in reports] == ["UWY-FA-26-6036044-S", "UWY-CV-26-6004117-S"]
    for report in reports:
        assert (report.activity, report.method, report.police_assistance) == (
            "service",
            "hand",
            True,
        )
        assert report.occurred_at == datetime(2026, 11, 9, 11, 10, tzinfo=ZONE)


def test_an_activity_after_a_list_stays_with_the_docket_it_follows() -> None:
    body = (
        "Received two orders at 9:05 AM today:\n  DBD-FA-26-6014452-S  (resp. Colin Marsh)\n"
        "  DBD-FA-26-6014460-S  (resp. Tanya Ruiz)\n\nThe second one I transferred at 10:40 AM "
        "to Marshal Beth Ahearn.\n\nKevin"
    )
    got = [(r.docket_number, r.activity) for r in parse(body).reports]
    assert got == [
        ("DBD-FA-26-6014452-S", "received"),
        ("DBD-FA-26-6014460-S", "received"),
        ("DBD-FA-26-6014460-S", "transferred"),
    ]


def test_a_log_of_tries_is_one_attempt_per_line() -> None:
    body = (
        "Three attempts so far on HHD-FA-26-6049207-S, respondent Jorge Villalobos:\n\n"
        "Fri 11/6 at 6:05 PM - no answer, TV on inside.\n"
        "Sat 11/7 at 7:20 AM - his brother said he already left for work.\n"
        "Sun 11/8 at 8:45 PM - girlfriend says he is not home until after midnight.\n\n"
        "No police on any of these.\n\nKevin"
    )
    reports = parse(body).reports
    assert [(r.activity, r.occurred_at) for r in reports] == [
        ("attempt", datetime(2026, 11, 6, 18, 5, tzinfo=ZONE)),
        ("attempt", datetime(2026, 11, 7, 7, 20, tzinfo=ZONE)),
        ("attempt", datetime(2026, 11, 8, 20, 45, tzinfo=ZONE)),
    ]
    assert {r.police_assistance for r in reports} == {False}
    assert {r.respondent_last_name for r in reports} == {"Villalobos"}


def test_a_bottom_post_under_a_quote_holding_its_attribution_is_the_report() -> None:
    body = (
        "> On Nov 8, 2026, at 10:03 AM, Registry <registry@por.example.gov> wrote:\n>\n"
        "> Has NNH-FA-26-6011223-S (respondent Dana Whitcomb) been served?\n\n"
        "Served him today at 2:15 PM at his job. Handed it to him directly. No PD.\n\nKevin\n"
    )
    (report,) = parse(body, "Re: NNH-FA-26-6011223-S").reports
    assert (report.activity, report.method) == ("service", "hand")
    assert (report.respondent_first_name, report.respondent_last_name) == ("Dana", "Whitcomb")
    assert report.occurred_at == datetime(2026, 11, 9, 14, 15, tzinfo=ZONE)


def test_a_correction_over_a_quote_without_an_attribution_is_one_corrected_report() -> None:
    body = (
        "Correction: the time of service was 2:40 PM, not 2:15 PM.\n\n"
        + "\n".join(f"> {line}" for line in NEW.split("\n"))
        + "\n"
    )
    (report,) = parse(body, "Re: Service").reports
    assert report.docket_number == "NNH-FA-26-6011223-S"
    assert report.occurred_at == datetime(2026, 11, 9, 14, 40, tzinfo=ZONE)


def test_a_visit_is_an_attempt_or_a_service_by_what_came_of_it() -> None:
    body = (
        "MMX-FA-26-6011740-S, respondent Derek Holloway.\n\nFirst went at 9:15 this morning, "
        "no answer. Went back at 1:20 PM and his father took the papers, so abode service. No "
        "police either time.\n\nKevin"
    )
    attempt, service = parse(body).reports
    assert (attempt.activity, attempt.reason_code) == ("attempt", "not home")
    assert attempt.occurred_at == datetime(2026, 11, 9, 9, 15, tzinfo=ZONE)
    assert (service.activity, service.method) == ("service", "abode")
    assert service.occurred_at == datetime(2026, 11, 9, 13, 20, tzinfo=ZONE)
    assert attempt.police_assistance is service.police_assistance is False


def test_a_corrected_day_keeps_the_quoted_time() -> None:
    body = (
        "The date below is wrong, that attempt was Thursday 11/5, not 11/6. Same time.\n\nKevin\n\n"
        "On Fri, Nov 6, 2026 at 9:30 PM Kevin Brandt <kbrandt@example.com> wrote:\n"
        f"> {OLD.replace('at 9:10 AM', 'on 11/6 at 8:10 PM')}\n"
    )
    (report,) = parse(body, "Re: attempt").reports
    assert (report.activity, report.reason_code, report.police_assistance) == (
        "attempt", "not home", False,
    )  # fmt: skip
    assert report.occurred_at == datetime(2026, 11, 5, 20, 10, tzinfo=ZONE)


def test_a_correction_naming_the_wrong_method_after_not_takes_the_right_one() -> None:
    body = (
        "My mistake on the email below, this was an abode service, not in hand. Everything else "
        "stands.\n\n-----Original Message-----\nFrom: Kevin Brandt <kbrandt@example.com>\n"
        "Sent: Monday, November 9, 2026 2:20 PM\nTo: registry@por.example.gov\nSubject: served"
        f"\n\n{NEW}\n"
    )
    (report,) = parse(body, "RE: served").reports
    assert (report.activity, report.method) == ("service", "abode")
    assert report.occurred_at == datetime(2026, 11, 9, 14, 15, tzinfo=ZONE)


def test_answers_written_into_the_quoted_questions_are_the_report() -> None:
    body = (
        "Answers below in line.\n\nKevin Brandt\nState Marshal\n\n"
        "From: Registry Section <registry@por.example.gov>\nSent: Monday, November 9, 2026 "
        "10:10 AM\nTo: Kevin Brandt\nSubject: Missing return NNH-FA-26-6011223-S\n\n"
        "We need the following for NNH-FA-26-6011223-S (respondent Dana Whitcomb):\n\n"
        "Date and time of service?\n>> 11/6/2026, 12:25 PM\n\nIn hand or abode?\n"
        ">> In hand, at his door\n\nWas police assistance present?\n>> No\n\nThank you,\n"
        "Registry Section\n"
    )
    (report,) = parse(body, "RE: Missing return NNH-FA-26-6011223-S").reports
    assert (report.activity, report.method, report.police_assistance) == ("service", "hand", False)
    assert report.occurred_at == datetime(2026, 11, 6, 12, 25, tzinfo=ZONE)
    assert (report.respondent_last_name, report.officer_name) == ("Whitcomb", "Kevin Brandt")


def test_questions_quoted_without_answers_are_no_report() -> None:
    body = (
        "I will get back to you on this.\n\nKevin\n\nFrom: Registry Section "
        "<registry@por.example.gov>\nSent: Monday, November 9, 2026 10:10 AM\nTo: Kevin Brandt\n"
        "Subject: Missing return\n\nWas NNH-FA-26-6011223-S served in hand or abode?\n"
    )
    assert parse(body, "RE: Missing return").reports == ()


def test_a_phone_note_names_the_officer_who_called() -> None:
    raw = (
        b"From: Registry Section <registry@por.example.gov>\nSubject: Phone note\nDate: Mon, 9 Nov "
        b"2026 15:30:00 -0500\nContent-Type: text/plain\n\nMarshal Edward Ostrowski called in a "
        b"service on NNH-FA-26-6011223-S. Served in hand this morning at 9:20. No PD.\n\n"
        b"taken by J. Pell\n"
    )
    parsed = parse_email(raw, received_at=datetime(2026, 11, 9, 21, tzinfo=ZONE), tz=ZONE)
    assert parsed.reports[0].officer_name == "Edward Ostrowski"

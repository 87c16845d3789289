"""The report vocabulary (labels, activity, method, police, reasons), names and date reading."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from parsers.dates import TimeMention, find_dates, find_periods, find_times, local_moment
from parsers.email import parse_email
from parsers.fields import (
    LABELS,
    activity_cues,
    label_key,
    method_cues,
    police_cues,
    read_activity_value,
    read_bare_label,
    read_label,
    read_method_value,
    read_yes_no,
)
from parsers.names import display_name, person_name, same_person, signature_name
from parsers.reasons import attempt_reasons, other_reasons

EASTERN = ZoneInfo("America/New_York")
MONDAY = date(2026, 11, 9)


def kinds(cues: list) -> list[str]:  # type: ignore[type-arg]
    return [cue.kind for cue in cues]


# --- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("Docket No.: HHD-FA-26-6023417-S", "docket", "HHD-FA-26-6023417-S"),
        ("Dkt: KNL-FA-26-6019288-S", "docket", "KNL-FA-26-6019288-S"),
        ("Case #: FBT-FA-26-6140082-S", "docket", "FBT-FA-26-6140082-S"),
        ("Docket Number\tWWM-FA-26-6011873-S", "docket", "WWM-FA-26-6011873-S"),
        ("Respondent: Darnell Whitaker", "respondent", "Darnell Whitaker"),
        ("Respondent's Name: Harper, Wesley", "respondent", "Harper, Wesley"),
        ("Resp: Lamar Whitfield-Grant", "respondent", "Lamar Whitfield-Grant"),
        ("Type of service: In hand", "method", "In hand"),
        ("Manner of service: Abode", "method", "Abode"),
        ("Method of Service - usual place of abode", "method", "usual place of abode"),
        ("Date/Time served: 10/19/2026 1:05 PM", "when", "10/19/2026 1:05 PM"),
        ("Last attempt: 10/21/2026 at 6:45 PM", "when", "10/21/2026 at 6:45 PM"),
        ("Date served: 11/03/2026", "date", "11/03/2026"),
        ("Date of Service\t10/23/2026", "date", "10/23/2026"),
        ("Time served: 6:55pm", "time", "6:55pm"),
        ("PD assist: No", "police", "No"),
        ("Police assistance requested: Yes", "police", "Yes"),
        ("Police present? No", "police", "No"),
        ("PD Assist?: Yes", "police", "Yes"),
        ("Police (Y/N): N", "police", "N"),
        ("Reason: Respondent moved out", "reason", "Respondent moved out"),
        (
            "Transferred to: State Marshal Priya Raman",
            "transferred_to",
            "State Marshal Priya Raman",
        ),
        ("Status: NOT SERVED - attempt", "activity", "NOT SERVED - attempt"),
        ("Notes: gate code 1234", "note", "gate code 1234"),
        ("DOB: 04/30/1988", "ignored", "04/30/1988"),
        ("Hearing date: 11/17/2026", "ignored", "11/17/2026"),
        ("  - Served by: Kevin Brandt", "officer", "Kevin Brandt"),
    ],
)
def test_it_reads_the_labels_officers_use(line: str, field: str, value: str) -> None:
    label = read_label(line)
    assert label is not None
    assert (label.field, label.value) == (field, value)


@pytest.mark.parametrize(
    "line",
    [
        "Thanks, Kevin",
        "Re: the order from last week",
        "Attempted 8:20 PM - moved out per landlord",
        "Served in hand 7:05 PM",
        "Note that I served him at work",
        "1) KNL-FA-26-6019023-S  -  Ryan Gallagher",
        "",
    ],
)
def test_prose_lines_are_not_labels(line: str) -> None:
    assert read_label(line) is None


def test_a_label_alone_on_its_line_waits_for_its_value() -> None:
    label = read_bare_label("Docket Number")
    assert label is not None and label.field == "docket" and label.value == ""
    assert read_bare_label("Thanks") is None


def test_a_label_key_drops_punctuation_but_keeps_digits() -> None:
    assert label_key("Docket No.:") == "docket no"
    assert label_key("Date / Time Served") == "date/time served"
    assert label_key("Attempted 8") == "attempted 8"
    assert all(key == label_key(key) for key in LABELS)


def test_labels_imply_the_activity_they_name() -> None:
    assert read_label("Last attempt: 10/21 6pm").implied_activity == "attempt"  # type: ignore[union-attr]
    assert read_label("Date received: 11/16").implied_activity == "received"  # type: ignore[union-attr]
    assert read_label("Transferred to: X").implied_activity == "transferred"  # type: ignore[union-attr]
    assert read_label("Time of Service: 2pm").implied_activity == "service"  # type: ignore[union-attr]
    assert read_label("PD: no").implied_activity is None  # type: ignore[union-attr]


# --- activity ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("served Robert Jones in hand today", ["service"]),
        ("Service was completed at 2 pm", ["service"]),
        ("attempted service at 45 Elm St, respondent not home", ["attempt", "attempt"]),
        ("Unable to serve, no one home", ["attempt", "attempt"]),
        ("NOT SERVED - attempt", ["attempt", "attempt"]),
        ("Served? No", ["attempt"]),
        ("transferred to Marshal Jane Doe", ["transferred"]),
        ("I am transferring the following to State Marshal Dana Whitfield", ["transferred"]),
        ("received the papers this morning at 9", ["received"]),
        ("Picked up the paperwork from the clerk", ["received"]),
        ("I have not attempted service yet.", []),
        ("The order needs to be served by Friday.", []),
        ("I will attempt again tomorrow.", []),
        ("She observed and reserved a seat.", []),
    ],
)
def test_it_finds_what_was_done(text: str, expected: list[str]) -> None:
    assert kinds(activity_cues(text)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Served", "service"), ("Attempted", "attempt"), ("Not served", "attempt"),
     ("Received", "received"), ("Transferred", "transferred"), ("Other", "other")],
)  # fmt: skip
def test_it_reads_a_status_value(value: str, expected: str) -> None:
    assert kinds(read_activity_value(value))[0] == expected


# --- method -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("served in hand", ["hand"]),
        ("In-Hand service at his work", ["hand"]),
        ("personally served at the courthouse", ["hand"]),
        ("served at his abode", ["abode"]),
        ("left a copy at his residence", ["abode"]),
        ("service at the usual place of abode", ["abode", "abode"]),
        ("in hand at abode", ["hand", "abode"]),
        ("I handed the papers to her", []),
        ("served at his home in Ansonia", []),
    ],
)
def test_it_finds_the_method_of_service(text: str, expected: list[str]) -> None:
    assert kinds(method_cues(text)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("In-Hand", "hand"), ("IH", "hand"), ("Personal", "hand"), ("Abode", "abode"),
     ("UPA", "abode"), ("usual place of abode", "abode")],
)  # fmt: skip
def test_it_reads_a_method_value(value: str, expected: str) -> None:
    assert set(kinds(read_method_value(value))) == {expected}


# --- police assistance ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In hand, 9:40 AM, no PD assist", ["no"]),
        ("Groton Town PD assisted at my request", ["yes"]),
        ("Police assistance was not requested.", ["no"]),
        ("no police assistance needed", ["no"]),
        ("Stamford PD on scene at my request.", ["yes"]),
        ("Police were present (marshals stood by)", ["yes"]),
        ("I did not request police assistance.", ["no"]),
        ("He lives near the Bridgeport PD building", []),
    ],
)
def test_it_reads_police_assistance_from_sentences(text: str, expected: list[str]) -> None:
    assert kinds(police_cues(text)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Yes", True), ("Y", True), ("yes (Bridgeport PD stood by)", True), ("Requested", True),
     ("No", False), ("N", False), ("None", False), ("N/A", False), ("not requested", False),
     ("", None), ("maybe", None)],
)  # fmt: skip
def test_it_reads_a_police_assistance_value(value: str, expected: bool | None) -> None:
    assert read_yes_no(value) is expected


# --- reasons ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Respondent no longer lives at the address, no forwarding address.", ["moved out"]),
        ("respondent not home", ["not home"]),
        ("Not home; landlord says he moved to Texas", ["not home", "moved out"]),
        ("No such address on that street", ["bad address"]),
        ("Respondent is in custody at Hartford CC", ["incarcerated"]),
        ("He refused to open the door", ["evading"]),
        ("", []),
    ],
)
def test_it_names_why_service_failed(text: str, expected: list[str]) -> None:
    assert attempt_reasons(text) == expected


def test_it_names_what_other_information_is_about() -> None:
    assert other_reasons("The respondent's DOB on the order is 04/31/1988") == ["DOB"]
    assert other_reasons("the address on the order is wrong") == ["address"]
    assert other_reasons("his last name is misspelled") == ["name"]
    assert other_reasons("served in hand") == []


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "strict", "expected"),
    [
        ("Peter Szabo was served", True, ("Peter", "Szabo")),
        ("Shane O'Connell", True, ("Shane", "O'Connell")),
        ("Michael D\u2019Angelo, \u201cin hand\u201d", True, ("Michael", "D\u2019Angelo")),
        ("Kyle Ambrose. Can the applicant", True, ("Kyle", "Ambrose")),
        ("Gordon Pike). I will", True, ("Gordon", "Pike")),
        ("Robert J. Jones in hand", True, ("Robert", "Jones")),
        ("Maria de la Cruz", True, ("Maria", "de la Cruz")),
        ("Carl Upton Jr.", True, ("Carl", "Upton")),
        ("State Marshal Dana Whitfield, since", True, ("Dana", "Whitfield")),
        ("In hand at 2pm", True, None),
        ("him at his home", True, None),
        ("anthony russo", False, ("anthony", "russo")),
        ("Delacroix, Marcus", False, ("Marcus", "Delacroix")),
        ("Jos\u00e9 N\u00fa\u00f1ez", False, ("Jos\u00e9", "N\u00fa\u00f1ez")),
    ],
)
def test_it_reads_a_persons_name(text: str, strict: bool, expected: tuple[str, str] | None) -> None:
    assert person_name(text, strict=strict) == expected


def test_it_reads_names_in_signatures_and_from_headers() -> None:
    assert signature_name("Kevin Brandt") == "Kevin Brandt"
    assert signature_name("Kevin Brandt, State Marshal") == "Kevin Brandt"
    assert signature_name("State Marshal, Fairfield County") is None
    assert signature_name("Portal is down again so emailing this in") is None
    assert display_name("Mastroianni, Anthony") == "Anthony Mastroianni"
    assert display_name("BRANDT, KEVIN") == "Kevin Brandt"
    assert display_name("kbrandt@example.com") is None
    assert same_person("R. Ellison", "Raymond Ellison")
    assert not same_person("R. Ellison", "Raymond Elliot")


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11/3/26", date(2026, 11, 3)),
        ("11/03/2026", date(2026, 11, 3)),
        ("11/3", date(2026, 11, 3)),
        ("11-03-2026", date(2026, 11, 3)),
        ("2026-11-03", date(2026, 11, 3)),
        ("Nov. 3rd", date(2026, 11, 3)),
        ("Nov 3", date(2026, 11, 3)),
        ("November 3, 2026", date(2026, 11, 3)),
        ("3 November 2026", date(2026, 11, 3)),
        ("the 3rd of November", date(2026, 11, 3)),
        ("Tuesday, November 3", date(2026, 11, 3)),
        ("saturday 11/7", date(2026, 11, 7)),
        ("today", MONDAY),
        ("this morning", MONDAY),
        ("tonight", MONDAY),
        ("yesterday evening", date(2026, 11, 8)),
        ("last night", date(2026, 11, 8)),
        ("saturday", date(2026, 11, 7)),
        ("Monday", MONDAY),
        ("last Monday", date(2026, 11, 2)),
        ("1/5/15", date(2015, 1, 5)),
    ],
)
def test_it_reads_dates_as_people_type_them(text: str, expected: date) -> None:
    (mention,) = find_dates(text, MONDAY)
    assert mention.day == expected, mention


def test_a_day_without_a_year_is_never_weeks_ahead() -> None:
    (december,) = find_dates("12/28", date(2027, 1, 3))
    assert december.day == date(2026, 12, 28)
    (soon,) = find_dates("11/12", MONDAY)
    assert soon.day == date(2026, 11, 12)  # three days ahead stays this year: a future problem


def test_relative_days_carry_the_part_of_day() -> None:
    assert find_dates("yesterday evening", MONDAY)[0].period == "evening"
    assert find_dates("this morning", MONDAY)[0].period == "morning"
    assert find_periods("served in the afternoon") == [(14, "afternoon")]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("04/31/1988", "invalid date: '04/31/1988'"),
        ("sat 11/8", "weekday does not match date: 'sat 11/8'"),
    ],
)
def test_an_impossible_date_is_a_problem_not_a_day(text: str, problem: str) -> None:
    (mention,) = find_dates(text, MONDAY)
    assert mention.day is None and mention.problem == problem


@pytest.mark.parametrize(
    "text",
    ["call 860-555-0143", "HHD-FA-26-6045901-S", "waited 1/2 hour", "Tel. 860-555-0160", "3:1"],
)
def test_numbers_that_are_not_dates_are_left_alone(text: str) -> None:
    assert find_dates(text, MONDAY) == []


# --- times ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [
        ("1430 hrs", 14, 30),
        ("0930hrs", 9, 30),
        ("14:30", 14, 30),
        ("09:30", 9, 30),
        ("2:30pm", 14, 30),
        ("2:30 PM", 14, 30),
        ("2 pm", 14, 0),
        ("2pm", 14, 0),
        ("2:15 p.m.", 14, 15),
        ("10:20 a.m.", 10, 20),
        ("12:10 PM", 12, 10),
        ("12:30 am", 0, 30),
        ("at 1430", 14, 30),
        ("noon", 12, 0),
        ("midnight", 0, 0),
    ],
)
def test_it_reads_12_and_24_hour_times(text: str, hour: int, minute: int) -> None:
    (mention,) = find_times(text)
    assert (mention.hour, mention.minute) == (hour, minute)


def test_a_time_without_am_or_pm_waits_for_the_part_of_day() -> None:
    (at_nine,) = find_times("this morning at 9")
    assert at_nine.hour is None
    assert at_nine.with_period("morning").hour == 9
    assert at_nine.with_period("evening").hour == 21
    (ten,) = find_times("at 10:00")
    assert ten.hour is None


@pytest.mark.parametrize("text", ["at 45 Elm St", "at 9 Elm Street", "call 555-0143", "3:1"])
def test_addresses_and_numbers_are_not_times(text: str) -> None:
    assert find_times(text) == []


def test_a_named_zone_is_kept_with_the_time() -> None:
    (est,) = find_times("3:10 PM EST")
    assert est.zone_name == "EST" and est.zone == timezone(timedelta(hours=-5))
    (offset,) = find_times("16:42 -0400")
    assert offset.zone == timezone(timedelta(hours=-4))
    (eastern,) = find_times("9:00 am ET")
    assert eastern.zone == EASTERN


def test_a_moment_is_shown_in_the_registry_zone() -> None:
    (clock,) = find_times("2:15 pm")
    moment, problems = local_moment(date(2026, 11, 9), clock, EASTERN)
    assert moment == datetime(2026, 11, 9, 14, 15, tzinfo=EASTERN)
    assert moment is not None and moment.isoformat() == "2026-11-09T14:15:00-05:00"
    assert problems == []


def test_a_summer_time_named_est_is_kept_as_written_but_flagged() -> None:
    (clock,) = find_times("2:30 PM EST")
    moment, problems = local_moment(date(2026, 7, 1), clock, EASTERN)
    assert moment is not None and moment.isoformat() == "2026-07-01T15:30:00-04:00"
    assert problems == ["time zone EST named but the date is not in it"]


def test_a_time_the_clocks_skip_or_repeat_is_flagged() -> None:
    (clock,) = find_times("1:30 am")
    _, problems = local_moment(date(2026, 11, 1), clock, EASTERN)
    assert problems == ["ambiguous time: '1:30 am' falls in a daylight-saving change"]


def test_a_time_without_am_or_pm_cannot_become_a_moment() -> None:
    clock = TimeMention(0, 5, "10:00", None, 0, 10)
    assert local_moment(MONDAY, clock, EASTERN) == (None, ["ambiguous time: '10:00' (am or pm?)"])


# --- every label layout, and police answers never reversed -----------------------------------


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("Docket ............ HHD-FA-26-6053118-S", "docket", "HHD-FA-26-6053118-S"),
        ("DOCKET NO........KNL-FA-26-6019522-S", "docket", "KNL-FA-26-6019522-S"),
        ("Police assist . . . . . . . . No", "police", "No"),
        ("Respondent:\tQuentin Hale", "respondent", "Quentin Hale"),
        ("Police        No", "police", "No"),
        ("d) PD - none", "police", "none"),
        ("RESP: TREMBLAY, LUC", "respondent", "TREMBLAY, LUC"),
        ("Resp. Last Name . . . . . . . Fairweather", "respondent_last", "Fairweather"),
        ("Respondent First Name: Trevor", "respondent_first", "Trevor"),
        ("Police Assistance Requested\t\u2610 Yes    \u2612 No", "police", "No"),
        ("Manner of Service: [X] In Hand [ ] Abode", "method", "In Hand"),
        ("PD assist: [ ] Yes [ ] No", "police", ""),
    ],
)
def test_one_reader_takes_every_label_layout(line: str, field: str, value: str) -> None:
    label = read_label(line)
    assert label is not None
    assert (label.field, label.value) == (field, value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Address does not exist, confirmed with Putnam PD dispatch", []),
        ("Putnam PD dispatch said the house is empty", []),
        ("Police assistance was neither requested nor required.", ["no"]),
        ("I did not ask for police.", ["no"]),
        ("Judicial marshals were there but I did not request assistance.", ["no"]),
    ],
)
def test_a_police_department_named_as_a_source_is_no_request(
    text: str, expected: list[str]
) -> None:
    assert kinds(police_cues(text)) == expected


# --- names in every form ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "strict", "caps", "expected"),
    [
        ("Rivera, Luis) - in hand 8:50 a.m.", True, False, ("Luis", "Rivera")),
        ("Haskins, Dale       abode   11/30 5:05pm", True, False, ("Dale", "Haskins")),
        ("Moreno-Ruiz, Gabriela - hand", True, False, ("Gabriela", "Moreno-Ruiz")),
        ("MELISSA GRANT IN HAND AT HER RESIDENCE", True, True, ("MELISSA", "GRANT")),
        ("Nicole Tran (New London County)", True, False, ("Nicole", "Tran")),
        ("SANTIAGO, HECTOR", False, False, ("HECTOR", "SANTIAGO")),
    ],
)
def test_one_name_reader_takes_every_order(
    text: str, strict: bool, caps: bool, expected: tuple[str, str]
) -> None:
    assert person_name(text, strict=strict, caps=caps) == expected


def test_capitals_are_no_name_in_mixed_case_prose() -> None:
    assert person_name("SERVED IN HAND", strict=True) is None
    assert person_name("Served, Hand  at 9", strict=True) is None


@pytest.mark.parametrize(
    ("text", "clock"),
    [("TIME OF SERVICE: 1410", (14, 10)), ("in hand 11/11 0815", (8, 15)),
     ("- 1015 - no pd", (10, 15)), ("@ 0905 from clerk", (9, 5))],
)  # fmt: skip
def test_four_digits_where_a_time_stands_are_a_24_hour_clock(
    text: str, clock: tuple[int, int]
) -> None:
    (found,) = find_times(text.split(": ", 1)[-1])
    assert (found.hour, found.minute) == clock


def test_a_year_or_a_phone_number_is_no_clock() -> None:
    assert find_times("Married 11/3 2015") == []
    assert find_times("Cell 203-555-0126") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Served in hand at 1 PM today, with Groton PD.", ["yes"]),
        ("Served in hand at 1 PM today. Police assistance: N", ["no"]),
        ("Served in hand at 1 PM today. PD assist? yes", ["yes"]),
        ("I called Groton PD to ask if he was in custody; he was not.", []),
        ("The police were never called.", ["no"]),
    ],
)
def test_police_words_inside_sentences_keep_their_answer(text: str, expected: list[str]) -> None:
    assert kinds(police_cues(text)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("neither requested nor required", False), ("none requested", False),
     ("Groton PD stood by", True), ("\u2611 Yes \u2610 No", True)],
)  # fmt: skip
def test_a_police_value_is_read_as_a_clause_about_the_police(value: str, expected: bool) -> None:
    label = read_label(f"Police assistance: {value}")
    assert label is not None and read_yes_no(label.value) is expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("NNH-FA-26-6011223-S (resp. Tanya Ruiz) served in hand 9:40 AM today.", ("Tanya", "Ruiz")),
        ("NNH-FA-26-6011223-S / Resp: Ian Whitlock / served in hand 9:40 AM", ("Ian", "Whitlock")),
        ("Curtis L. Mayweather Jr. was served in hand today at 8:10 on NNH-FA-26-6011223-S.",
         ("Curtis", "Mayweather")),
        ("Wesley Dunbar (NNH-FA-26-6011223-S) was served in hand today at 8:10 AM.",
         ("Wesley", "Dunbar")),
        ("NNH-FA-26-6011223-S RESPONDENT WASHINGTON, GEORGE T. III SERVED IN HAND 0810 TODAY",
         ("GEORGE", "WASHINGTON")),
    ],
)  # fmt: skip
def test_the_respondent_is_read_however_an_officer_introduces_them(
    body: str, expected: tuple[str, str]
) -> None:
    raw = (
        "From: Kevin Brandt <kb@example.com>\nSubject: Service\nDate: Mon, 9 Nov 2026 15:30:00 "
        f"-0500\nContent-Type: text/plain\n\n{body}\n\nKevin Brandt\n"
    ).encode()
    zone = ZoneInfo("America/New_York")
    parsed = parse_email(raw, received_at=datetime(2026, 11, 9, 21, tzinfo=zone), tz=zone)
    report = parsed.reports[0]
    assert (report.respondent_first_name, report.respondent_last_name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("his sister says hes been admitted at Saint Francis since sunday", "hospitalized"),
        ("There is no 1432 on Bank St, the numbers on that block stop at 1300.", "bad address"),
        ("Chain gate with a padlock across the driveway.", "no access"),
        ("I could not get up to the house.", "no access"),
        ("his mother said he was arrested last night", "incarcerated"),
    ],
)
def test_an_attempt_reason_is_named_in_the_officers_own_words(text: str, expected: str) -> None:
    assert attempt_reasons(text)[:1] == [expected]


def test_a_visit_that_tells_why_it_failed_is_an_attempt() -> None:
    raw = (
        b"From: Kevin Brandt <kb@example.com>\nSubject: Service\nDate: Mon, 9 Nov 2026 15:30:00 "
        b"-0500\nContent-Type: text/plain\n\nWent to 40 Howard Ave today at 1:10 PM for "
        b"NNH-FA-26-6078840-S. His mother told me he was arrested and is held.\n\nKevin Brandt\n"
    )
    zone = ZoneInfo("America/New_York")
    (report,) = parse_email(
        raw, received_at=datetime(2026, 11, 9, 21, tzinfo=zone), tz=zone
    ).reports
    assert (report.activity, report.reason_code) == ("attempt", "incarcerated")
    assert report.occurred_at == datetime(2026, 11, 9, 13, 10, tzinfo=zone)
    assert report.police_assistance is None


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [("a quarter past two pm", 14, 15), ("half past 3 PM", 15, 30), ("quarter to five pm", 16, 45),
     ("a quarter after eleven am", 11, 15)],
)  # fmt: skip
def test_a_clock_told_in_words_is_read(text: str, hour: int, minute: int) -> None:
    (found,) = find_times(text)
    assert (found.hour, found.minute) == (hour, minute)

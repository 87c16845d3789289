from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.docket import (
    CASE_TYPES,
    COURT_CODES,
    DocketError,
    DocketMatch,
    find_dockets,
    normalize_docket,
)

CANONICAL = re.compile(rf"(?:{'|'.join(COURT_CODES)})-(?:FA|CV)-[0-9]{{2}}-[0-9]{{7}}-S")
HARTFORD = "HHD-FA-23-6012345-S"


def reason_for(text: str) -> str:
    with pytest.raises(DocketError) as caught:
        normalize_docket(text)
    return caught.value.reason


# --- accepted forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "HHD-FA-23-6012345-S",
        "HHD-FA23-6012345-S",
        "hhdfa236012345s",
        "HHD FA 23 6012345 S",
        "HHD-FA-23-6012345",
        "HHD.FA.23.6012345.S",
        "HHD/FA/23/6012345/S",
        "HHD_FA_23_6012345_S",
        "HHD  FA   23  6012345  S",
        "HHD\u2013FA\u201323\u20136012345\u2013S",
        "HHD\u2014FA\u201423\u20146012345\u2014S",
        "HHD\u00a0FA\u00a023\u00a06012345\u00a0S",
        "  (HHD-FA-23-6012345-S).  ",
        "Hhd-Fa-23-6012345-s",
    ],
)
def test_it_accepts_every_way_officers_write_one_docket(written: str) -> None:
    assert normalize_docket(written) == HARTFORD


def test_it_accepts_lower_case_without_dashes() -> None:
    assert normalize_docket("hhdfa236012345s") == HARTFORD


def test_it_adds_the_s_suffix_when_it_is_missing() -> None:
    assert normalize_docket("HHD-FA-23-6012345") == HARTFORD


@pytest.mark.parametrize(
    "label",
    ["Docket ", "Docket: ", "Dkt ", "Dkt. ", "Dkt# ", "Dkt#", "Docket No.: ", "Case # ", "No. "],
)
def test_it_strips_the_label_written_in_front(label: str) -> None:
    assert normalize_docket(f"{label}{HARTFORD}") == HARTFORD


def test_it_reads_the_docket_after_a_label_in_an_officers_note() -> None:
    assert normalize_docket("Dkt# NNH-FA-24-5067890-S") == "NNH-FA-24-5067890-S"
    assert normalize_docket("Docket No.: HHD-FA-23-6012345-S") == HARTFORD


def test_it_accepts_a_civil_protection_order_docket() -> None:
    assert normalize_docket("fst cv 24 0001234") == "FST-CV-24-0001234-S"


@pytest.mark.parametrize("code", sorted(COURT_CODES))
def test_it_accepts_every_connecticut_court_code(code: str) -> None:
    assert normalize_docket(f"{code.lower()}fa236012345") == f"{code}-FA-23-6012345-S"


def test_the_code_tables_hold_the_fifteen_courts_and_two_case_types() -> None:
    assert len(COURT_CODES) == 15
    assert COURT_CODES["HHD"] == "Hartford"
    assert COURT_CODES["NNI"] == "Meriden"
    assert set(CASE_TYPES) == {"FA", "CV"}
    with pytest.raises(TypeError):
        COURT_CODES["XXX"] = "Nowhere"  # type: ignore[index]


# --- rejections -------------------------------------------------------------------------------


def test_it_rejects_an_unknown_court_code_and_lists_the_known_ones() -> None:
    reason = reason_for("HHX-FA-23-6012345-S")
    assert reason.startswith("unknown court location code 'HHX' (known: AAN, DBD, ")
    assert all(code in reason for code in COURT_CODES)


def test_it_rejects_a_case_type_other_than_fa_or_cv() -> None:
    assert reason_for("HHD-FX-23-6012345-S") == "case type 'FX' is not FA (family) or CV (civil)"


def test_it_rejects_six_digits_and_says_how_many_it_found() -> None:
    assert reason_for("HHD-FA-23-601234-S") == (
        "docket number needs 7 digits after the year, found 6 ('601234')"
    )


def test_it_rejects_eight_digits_and_says_how_many_it_found() -> None:
    assert "found 8 ('60123456')" in reason_for("HHD-FA-23-60123456-S")


def test_it_counts_digits_after_the_year_when_nothing_separates_them() -> None:
    assert "found 6 ('601234')" in reason_for("hhdfa23601234s")


def test_it_rejects_a_suffix_other_than_s() -> None:
    assert reason_for("HHD-FA-23-6012345-X") == "suffix must be S, found 'X'"


def test_it_rejects_a_four_digit_year() -> None:
    assert reason_for("HHD-FA-2023-6012345-S") == "year must be 2 digits, found 4 ('2023')"


def test_it_rejects_a_number_split_into_several_groups() -> None:
    assert "found 3 groups of digits ('23 601 2345')" in reason_for("HHD FA 23 601 2345 S")


def test_it_rejects_a_docket_without_a_court_code() -> None:
    assert reason_for("FA-23-6012345-S") == "missing court location code before case type 'FA'"
    assert reason_for("23-6012345-S") == "missing court location code before '23'"


def test_it_rejects_a_docket_without_a_case_type() -> None:
    assert reason_for("HHD-23-6012345-S") == "missing case type (FA or CV) after 'HHD'"


def test_it_rejects_a_docket_without_year_and_number() -> None:
    assert reason_for("HHD-FA") == "missing year and 7-digit number after case type 'FA'"


def test_it_rejects_a_docket_without_the_number_after_the_year() -> None:
    assert reason_for("HHD-FA-23") == "missing 7-digit number after the year '23'"


def test_it_rejects_text_after_the_docket_quoting_it_as_written() -> None:
    assert reason_for(f"{HARTFORD} (Hartford)") == "unexpected '(Hartford' after the docket number"


def test_it_cuts_a_long_quoted_fragment_short() -> None:
    reason = reason_for(f"{HARTFORD} served at the address on file, nobody home, left card")
    assert reason.startswith("unexpected 'served at the address on file, nobody ho…' after")


@pytest.mark.parametrize("empty", ["", "   ", "Docket No.:", "#"])
def test_it_rejects_input_without_any_docket(empty: str) -> None:
    assert reason_for(empty) == f"no docket number found in {empty!r}"


def test_the_error_is_a_value_error_that_quotes_the_input() -> None:
    with pytest.raises(ValueError) as caught:
        normalize_docket("HHD-FA-23-601234-S")
    error = caught.value
    assert isinstance(error, DocketError)
    assert error.text == "HHD-FA-23-601234-S"
    assert "'HHD-FA-23-601234-S'" in str(error)
    assert error.reason in str(error)


def test_the_error_survives_pickling() -> None:
    error = DocketError("HHX", "unknown court location code 'HHX'")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.text, copy.reason, str(copy)) == (error.text, error.reason, str(error))


# --- finding dockets in free text -------------------------------------------------------------


def test_it_finds_two_dockets_in_a_sentence_with_their_spans() -> None:
    text = f"Served {HARTFORD} today; also nnh fa 24 5067890 s at noon."
    found = find_dockets(text)
    assert [m.canonical for m in found] == [HARTFORD, "NNH-FA-24-5067890-S"]
    assert [text[m.start : m.end] for m in found] == [HARTFORD, "nnh fa 24 5067890 s"]
    assert all(m.error is None for m in found)


def test_it_reports_a_malformed_docket_with_its_reason() -> None:
    text = "Re: HHD-FA-23-601234-S, respondent not home"
    assert find_dockets(text) == [
        DocketMatch(
            4,
            22,
            "HHD-FA-23-601234-S",
            None,
            "docket number needs 7 digits after the year, found 6 ('601234')",
        )
    ]


def test_it_reports_an_unknown_court_code_next_to_fa_and_digits() -> None:
    [match] = find_dockets("docket HHX-FA-23-6012345-S pending")
    assert match.canonical is None
    assert match.error is not None and "'HHX'" in match.error


@pytest.mark.parametrize(
    "text",
    [
        "Call me at 860-555-0142 or (860) 555-0142 ext 12.",
        "Served 2024-03-05 at 14:30, returned 03/06/2024 10:15 am.",
        "Tue Mar 5 2024, badge 4471, unit 12B, CT 06103.",
        "The CV 2023 hearing was moved and the FA office is closed.",
        "Nothing here but words like hhdfx, canvas and fascia.",
    ],
)
def test_it_skips_phone_numbers_dates_times_and_ordinary_words(text: str) -> None:
    assert find_dockets(text) == []


def test_it_does_not_take_the_next_word_for_a_suffix() -> None:
    [match] = find_dockets("HHD FA 23 6012345 a second try")
    assert (match.text, match.canonical) == ("HHD FA 23 6012345", HARTFORD)


def test_it_keeps_duplicates_for_the_caller_to_dedupe() -> None:
    found = find_dockets(f"{HARTFORD} and again hhdfa236012345s")
    assert [m.canonical for m in found] == [HARTFORD, HARTFORD]


def test_it_finds_a_docket_glued_to_a_label() -> None:
    [match] = find_dockets("Dkt#NNH-FA-24-5067890-S served")
    assert match.canonical == "NNH-FA-24-5067890-S"


# --- properties -------------------------------------------------------------------------------

SEPARATORS = st.text(alphabet=[" ", "-", ".", "/", "_", "\u2013", "\u2014", "\u00a0"], max_size=3)
LABELS = st.sampled_from(
    ["", "Docket ", "Dkt ", "Dkt. ", "Dkt# ", "Docket No.: ", "Docket #", "Case # ", "No. "]
)


@st.composite
def dockets(draw: st.DrawFn) -> str:
    court = draw(st.sampled_from(sorted(COURT_CODES)))
    case_type = draw(st.sampled_from(sorted(CASE_TYPES)))
    year = draw(st.integers(0, 99))
    number = draw(st.integers(0, 9_999_999))
    return f"{court}-{case_type}-{year:02d}-{number:07d}-S"


@st.composite
def written_forms(draw: st.DrawFn, canonical: str, labels: bool = True) -> str:
    parts = canonical.split("-")
    if draw(st.booleans()):
        parts = parts[:-1]
    written = parts[0]
    for part in parts[1:]:
        written += draw(SEPARATORS) + part
    written = "".join(c.lower() if draw(st.booleans()) else c for c in written)
    if labels:
        written = draw(LABELS) + written + draw(st.sampled_from(["", ".", ",", ")", " ;", "!"]))
    return written


@given(dockets())
def test_the_canonical_form_round_trips(canonical: str) -> None:
    assert CANONICAL.fullmatch(canonical)
    assert normalize_docket(canonical) == canonical


@given(st.data(), dockets())
def test_any_rendering_normalizes_to_the_same_canonical_form(
    data: st.DataObject, canonical: str
) -> None:
    written = data.draw(written_forms(canonical))
    assert normalize_docket(written) == canonical


@given(st.text() | st.text(alphabet="HDNFACVSXhdfacvs0123456789 -./_#:"))
def test_normalizing_any_text_gives_a_canonical_docket_or_a_docket_error(text: str) -> None:
    try:
        result = normalize_docket(text)
    except DocketError as error:
        assert error.text == text
        assert error.reason
    else:
        assert CANONICAL.fullmatch(result)


@given(st.text() | st.text(alphabet="HDNFACVSXhdfacvs0123456789 -./_#:()\n"))
def test_finding_dockets_in_any_text_never_raises_and_spans_index_it(text: str) -> None:
    found = find_dockets(text)
    assert [m.start for m in found] == sorted(m.start for m in found)
    for match in found:
        assert text[match.start : match.end] == match.text
        assert (match.canonical is None) != (match.error is None)
        assert match.canonical is None or CANONICAL.fullmatch(match.canonical)


@given(st.data(), dockets())
def test_a_docket_written_any_way_in_a_sentence_is_found(
    data: st.DataObject, canonical: str
) -> None:
    written = data.draw(written_forms(canonical, labels=False))
    text = f"Served {written} today, call 860-555-0142."
    [match] = find_dockets(text)
    assert (match.start, match.text, match.canonical) == (7, written, canonical)

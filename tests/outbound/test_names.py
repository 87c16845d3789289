"""Names as each receiver needs them: the switch and NCIC get their letters, never a refusal."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outbound.fax.page import render_page
from outbound.render import Templates
from outbound.update import check_update
from registry.switch_fields import NAME, NAME_FIELD, OFFICER, switch_name, switch_officer
from tests.outbound.conftest import CALLBACK

KEY = "0b7e6a3c-2f1d-4c55-9a8e-1d2c3b4a5f60"
PAYLOAD: dict[str, Any] = {
    "entry": "E-0000001",
    "docket": "HHD-FA-26-6012345-S",
    "court_name": "Hartford",
    "court_ori": "CTHHDSUPJ",
    "order_type": "restraining",
    "nic": None,
    "hearing_date": "2026-11-10",
    "firearms": True,
    "occurred_local": "2026-11-02T09:30:00-05:00",
    "zone": "America/New_York",
    "method": "hand",
    "police_assistance": False,
    "recorded_local": "2026-11-02T10:00:00-05:00",
    "agency": {"name": "Hartford Police Department", "fax": "860-555-0123"},
}


@pytest.mark.parametrize(
    ("last", "first", "expected"),
    [
        # Diacritics transliterated; hyphens and particles kept.
        ("Rodríguez-Hernández de la Cruz", "María", "RODRIGUEZ-HERNANDEZ DE LA C, M"),
        ("Brontë", "Anne", "BRONTE, ANNE"),
        ("Nguyễn", "Văn Đức", "NGUYEN, VAN DUC"),
        ("Łukasiewicz", "Józef", "LUKASIEWICZ, JOZEF"),
        ("Straßer", "Jürgen", "STRASSER, JURGEN"),
        ("Þórsdóttir", "Ásta", "THORSDOTTIR, ASTA"),
        ("Иванов", "Пётр", "IVANOV, PETR"),
        # Apostrophes join, periods and other punctuation separate.
        ("O'Neil", "Shaquille", "ONEIL, SHAQUILLE"),
        ("D’Angelo", "Mary-Kate", "DANGELO, MARY-KATE"),
        ("St. Pierre", "Jean-Luc", "ST PIERRE, JEAN-LUC"),
        ("St.Pierre", "Guy", "ST PIERRE, GUY"),
        ("van der Berg", "J. R. R.", "VAN DER BERG, J R R"),
        ("Smith", "A.J.", "SMITH, A J"),
        # Suffixes in their own place after the given names, wherever the court wrote them.
        ("Smith Jr.", "John", "SMITH, JOHN JR"),
        ("Smith, Sr.", "Bob", "SMITH, BOB SR"),
        ("Gates", "William Henry III", "GATES, WILLIAM HENRY III"),
        ("Howell 3rd", "Thurston", "HOWELL, THURSTON III"),
        ("Ford", "Henry 2nd", "FORD, HENRY II"),
        ("Nguyen", "Tran V", "NGUYEN, TRAN V"),  # a middle initial V, not "the fifth"
        # One-word names, whichever field the court used.
        ("Madonna", "", "MADONNA,"),
        ("", "Teller", "TELLER,"),
        # Too long for the field: shortened by the rule, never refused.
        ("Wolfeschlegelsteinhausenbergerdorff", "Hubert", "WOLFESCHLEGELSTEINHAUSENBER, H"),
        ("Müller-Lüdenscheidt", "Hans-Jürgen Karl Friedrich", "MULLER-LUDENSCHEIDT, H"),
        ("Featherstonehaugh", "Anne Marie Louise", "FEATHERSTONEHAUGH, ANNE M L"),
        ("Montgomery-Fitzwilliam", "Alexander Jr", "MONTGOMERY-FITZWILLIAM, A JR"),
    ],
)
def test_a_real_name_becomes_what_the_ncic_name_field_allows(
    last: str, first: str, expected: str
) -> None:
    name = switch_name(last, first)
    assert name.value == expected
    assert NAME.match(name.value) and len(name.value) <= NAME_FIELD


def test_a_name_says_when_it_was_shortened_to_fit() -> None:
    assert switch_name("Wolfeschlegelsteinhausenbergerdorff", "Hubert").shortened
    assert switch_name("Featherstonehaugh", "Anne Marie Louise").shortened
    assert not switch_name("Rodríguez", "José").shortened
    assert not switch_name("Smith Jr.", "John").shortened  # moved, not shortened


def test_an_officer_name_is_upper_case_in_the_switchs_letters_and_fits() -> None:
    assert switch_officer("José Muñoz-García") == "JOSE MUNOZ-GARCIA"
    assert switch_officer("Bartholomew Alexander Montgomery-Fitzwilliam") == (
        "B A MONTGOMERY-FITZWILLIAM"
    )


def served_by(last: str, first: str, officer: str) -> dict[str, Any]:
    return PAYLOAD | {
        "respondent_last_name": last,
        "respondent_first_name": first,
        "officer": officer,
    }


NAMES = st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(last=NAMES, first=NAMES, officer=NAMES)
def test_any_unicode_name_renders_valid_switch_and_ncic_messages(
    last: str, first: str, officer: str
) -> None:
    name = switch_name(last, first)
    assert NAME.match(name.value) and len(name.value) <= NAME_FIELD
    assert OFFICER.match(switch_officer(officer)) and len(switch_officer(officer)) <= 30
    templates = Templates()
    for adapter in ("collect", "ncic"):
        message = templates.message(
            adapter, check_update(served_by(last, first, officer), KEY, adapter)
        )
        assert f".NAM/{name.value}." in message


# A fax page embeds its fonts (about 0.2 s a page): fewer examples, the same property.
@settings(max_examples=25, deadline=None)
@given(last=NAMES, first=NAMES, officer=NAMES)
def test_any_unicode_name_renders_a_fax_page(last: str, first: str, officer: str) -> None:
    update = check_update(served_by(last, first, officer), KEY, "fax")
    text, pdf = render_page(
        Templates(), update, agency_name="Hartford Police Department", callback=CALLBACK
    )
    assert pdf.startswith(b"%PDF") and f"NCIC message: {update.name}" in text

"""Every service reaches the police, whatever the respondent's name (issue: real names).

Cases come in through the daybook as the clerk writes them, a service is recorded for each,
and the worker sends every delivery to the spool: each receiver gets the name as it needs it.
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import timedelta
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from outbound.fax.page import render_page
from outbound.render import Templates
from outbound.update import check_update
from registry.daybook import COLUMNS, import_daybook
from registry.entries import EntryDraft, record_entry
from registry.models import Activity, Channel, Delivery, DeliveryStatus, Method
from registry.policy import Policy
from tests.factories import T0, make_user
from tests.outbound.conftest import CALLBACK, TOWNS, make_worker

pytestmark = pytest.mark.usefixtures("registry")

# (last name, first name) as a court writes them -> the state switch and NCIC name field.
REAL_NAMES = [
    ("Rodríguez-Hernández de la Cruz", "María José", "RODRIGUEZ-HERNANDEZ DE LA C, M"),
    ("Smith Jr.", "John", "SMITH, JOHN JR"),
    ("Nguyễn", "Thị Ánh Tuyết", "NGUYEN, THI ANH TUYET"),
    ("St. Pierre", "Jean-Luc", "ST PIERRE, JEAN-LUC"),
    ("Brontë", "Anne", "BRONTE, ANNE"),
    ("Wolfeschlegelsteinhausenbergerdorff", "Hubert", "WOLFESCHLEGELSTEINHAUSENBER, H"),
    ("O'Neil", "Shaquille", "ONEIL, SHAQUILLE"),  # apostrophe
    ("D’Amato", "Lucía", "DAMATO, LUCIA"),  # typographic apostrophe
    ("van der Berg", "Pieter", "VAN DER BERG, PIETER"),  # particles
    ("MacDonald-Ó Briain", "Seán", "MACDONALD-O BRIAIN, SEAN"),
    ("Gates", "William Henry III", "GATES, WILLIAM HENRY III"),  # suffix with the given names
    ("Howell, 3rd", "Thurston", "HOWELL, THURSTON III"),
    ("Tolkien", "J. R. R.", "TOLKIEN, J R R"),  # initials
    ("Smith-Jones", "Mary-Kate", "SMITH-JONES, MARY-KATE"),  # hyphens
    ("Sukarno", "", "SUKARNO,"),  # one-word name
    ("", "Teller", "TELLER,"),
    ("Featherstonehaugh-Cholmondeley-Wolfeschlegel", "Anne", "FEATHERSTONEHAUGH-CHOLMONDE, A"),
    ("Łukasiewicz", "Józef", "LUKASIEWICZ, JOZEF"),
    ("Straßburger", "Jürgen", "STRASSBURGER, JURGEN"),
    ("Иванов", "Пётр", "IVANOV, PETR"),
]


def daybook(names: list[tuple[str, str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for number, (last, first, _) in enumerate(names):
        docket = f"HHD-FA-26-60{number:05d}-S"
        writer.writerow(
            [
                "HHD",
                docket,
                "restraining",
                first,
                last,
                "2026-11-10",
                "yes",
                *TOWNS.values(),
            ]
        )
    return out.getvalue()


def read(path: Path) -> str:
    return path.read_text(encoding="ascii")


async def serve_each(count: int) -> None:
    officer = await make_user("marshal.muñoz", full_name="José Muñoz-García")
    for number in range(count):
        draft = EntryDraft(
            docket_number=f"HHD-FA-26-60{number:05d}-S",
            activity=Activity.SERVICE,
            occurred_at=T0 - timedelta(minutes=30),
            method=Method.ABODE,
            police_assistance=False,
        )
        await record_entry(draft, officer=officer, channel=Channel.WEB, policy=Policy(), now=T0)


async def test_every_delivery_of_every_real_name_is_sent_with_the_name_each_receiver_needs(
    tmp_path: Path,
) -> None:
    report = await import_daybook(daybook(REAL_NAMES), "csv", now=T0, actor="clerk")
    assert (report.created, report.errors) == (len(REAL_NAMES), [])
    await serve_each(len(REAL_NAMES))
    worker = make_worker(tmp_path)
    while await worker.drain_once(now=T0):
        pass

    rows = await Delivery.all().prefetch_related("entry__case")
    assert len(rows) == 4 * len(REAL_NAMES)  # two faxes, the switch and NCIC each
    assert {(row.status, row.last_error) for row in rows} == {(DeliveryStatus.SENT, None)}
    expected = {f"HHD-FA-26-60{n:05d}-S": names for n, names in enumerate(REAL_NAMES)}
    for row in rows:
        last, first, switch = expected[row.entry.case.docket_number]
        sent = Path(str(row.receipt))
        if row.adapter.value == "fax":
            page = PdfReader(sent).pages[0].extract_text()
            as_written = f"{last}, {first}" if last and first else last or first
            assert f"Respondent: {as_written}" in page
            assert f"NCIC message: {switch}" in page
            assert "José Muñoz-García" in page
        else:
            message = read(sent)
            assert f".NAM/{switch}." in message
            assert "JOSE MUNOZ-GARCIA" in message


async def test_a_fax_page_with_a_vietnamese_name_shows_every_letter(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    name = "Nguyễn Thị Ánh Tuyết"
    await import_daybook(daybook([("Nguyễn", "Thị Ánh Tuyết", "")]), "csv", now=T0, actor="c")
    await serve_each(1)
    payload = (await Delivery.filter(adapter="fax").first().values("payload"))["payload"]
    caplog.set_level(logging.WARNING, logger="fpdf")
    _, pdf_bytes = render_page(
        Templates(),
        check_update(payload, "key", "fax"),
        agency_name=payload["agency"]["name"],
        callback=CALLBACK,
    )
    assert not [r for r in caplog.records if "missing" in r.getMessage()]  # no glyph missing

    # Render the page as a fax machine would print it, and look at each letter of the name.
    pdf = pypdfium2.PdfDocument(pdf_bytes)
    page = pdf[0]
    scale = 3
    image = page.render(scale=scale, grayscale=True).to_pil()
    image.save(tmp_path / "fax.png")
    text = page.get_textpage()
    everything = text.get_text_range()
    start = everything.index("Nguyễn, Thị Ánh Tuyết")
    height = page.get_height()
    for offset, letter in enumerate("Nguyễn, Thị Ánh Tuyết"):
        if not letter.isalpha():
            continue
        left, bottom, right, top = text.get_charbox(start + offset)
        box = (left * scale, (height - top) * scale, right * scale, (height - bottom) * scale)
        darkest, _ = image.crop(box).getextrema()
        assert right > left and darkest < 128, f"{letter!r} of {name!r} is not printed"
    # Each accented letter prints its accent: the glyph reaches above a plain letter's height.
    n_top = text.get_charbox(start)[3]
    for accented in "ễÁế":
        index = everything.index(accented, start)
        assert text.get_charbox(index)[3] > n_top, f"{accented!r} lost its accent"
    pdf.close()

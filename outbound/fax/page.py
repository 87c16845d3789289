"""Render the fax notification page as a PDF from outbound/templates/fax.j2."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from importlib import resources

from fpdf import FPDF

from outbound.render import Templates
from outbound.update import ServiceUpdate

TITLE = "Protection Order — Service Notification"
CORRECTED_TITLE = f"CORRECTED — {TITLE}"
FONT = "DejaVuSans"
# DejaVu Sans has every letter of the names a court writes (Latin with all its accents,
# Vietnamese, Greek, Cyrillic); the PDF core fonts have only Windows-1252.
_FONTS = resources.files("outbound.fax").joinpath("fonts")


@dataclass(frozen=True)
class Callback:
    """Whom a dispatcher calls back about a notice: the Registry Section's numbers."""

    name: str
    phone: str = ""
    fax: str = ""


def render_page(
    templates: Templates, update: ServiceUpdate, *, agency_name: str, callback: Callback
) -> tuple[str, bytes]:
    """Return the page's text and its PDF (letter size) for one agency.

    Only the update's basic case fields reach the template: never the protected person's.
    """
    text = templates.render("fax", update, agency_name=agency_name, callback=callback)
    # Composed form: a letter and its accent typed as two code points print as one glyph.
    text = unicodedata.normalize("NFC", text)
    pdf = FPDF(format="letter")
    with resources.as_file(_FONTS) as fonts:
        pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_creation_date(update.recorded_local)  # the same entry gives the same file
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.set_font(FONT, style="B", size=15)
    title = CORRECTED_TITLE if update.corrects else TITLE
    pdf.multi_cell(0, 9, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in text.splitlines():
        label, colon, value = line.partition(": ")
        if not line.strip():
            pdf.ln(3)
        elif colon and len(label) < 40:
            pdf.set_font(FONT, style="B", size=10)
            pdf.cell(62, 6, f"{label}:")
            pdf.set_font(FONT, size=10)
            pdf.multi_cell(0, 6, value, align="L", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(2)
            pdf.set_font(FONT, size=10)
            pdf.multi_cell(0, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    return text, bytes(pdf.output())

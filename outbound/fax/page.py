"""Render the fax notification page as a PDF from templates/outbound/fax.j2."""

from __future__ import annotations

from fpdf import FPDF

from outbound.render import Templates
from outbound.update import ServiceUpdate

TITLE = "Protection Order — Service Notification"


def render_page(
    templates: Templates, update: ServiceUpdate, *, agency_name: str, contact: str
) -> tuple[str, bytes]:
    """Return the page's text and its PDF (letter size) for one agency.

    Only the update's basic case fields reach the template: never the protected person's.
    """
    text = templates.render("fax", update, agency_name=agency_name, contact=contact)
    pdf = FPDF(format="letter")
    # The core fonts default to Latin-1, which has no em dash; Windows-1252 has it.
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_creation_date(update.recorded_local)  # the same entry gives the same file
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(0, 10, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in text.splitlines():
        label, colon, value = line.partition(": ")
        if colon and len(label) < 40:
            pdf.set_font("Helvetica", style="B", size=11)
            pdf.cell(70, 7, f"{label}:")
            pdf.set_font("Helvetica", size=11)
            pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(4)
            pdf.set_font("Helvetica", size=11)
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return text, bytes(pdf.output())

"""Fonts of Vietnamese administrative documents (Decree 30/2020: Times New Roman)."""

from docx.oxml.ns import qn
from docx.shared import Pt

FONT = "Times New Roman"


def set_font(run, *, size: float, bold=None, italic=None, underline=None) -> None:
    """Set the run's font for every script: python-docx's font.name sets only ascii/hAnsi,
    and Word substitutes another face for Vietnamese letters unless eastAsia/cs are set too.
    """
    run.font.name = FONT
    run.font.size = Pt(size)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)
    fonts.set(qn("w:cs"), FONT)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if underline is not None:
        run.underline = underline

"""DOCX：Word（Windows）で和文の書体が効くように、テーマ書体を外して w:eastAsia を明示し、A4・ja-JP。"""
from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

import forms
from forms.render_docx import BODY_FONT, HEADING_FONT
from tests.forms.rendering import docx_text, sample_docx

CODES = forms.codes()
THEME_ATTRIBUTES = [qn(a) for a in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")]


def _document(code: str):
    return docx.Document(io.BytesIO(sample_docx(code)))


@pytest.mark.parametrize("code", CODES)
def test_every_font_setting_in_the_docx_names_an_east_asian_font(code):
    document = _document(code)
    parts = [document.styles.element, document.element.body]
    settings = [r for part in parts for r in part.iter(qn("w:rFonts"))]
    assert settings
    for rfonts in settings:
        assert rfonts.get(qn("w:eastAsia")) in (BODY_FONT, HEADING_FONT)
        assert not any(key in rfonts.attrib for key in THEME_ATTRIBUTES)


@pytest.mark.parametrize("code", CODES)
def test_the_normal_style_and_defaults_use_ms_mincho_without_theme_fonts(code):
    document = _document(code)
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "ＭＳ 明朝"
    assert normal.get(qn("w:ascii")) == "MS Mincho"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for rpr in (defaults, document.styles["Normal"].element.rPr):
        rfonts = rpr.find(qn("w:rFonts"))
        assert not any(key in rfonts.attrib for key in THEME_ATTRIBUTES)
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "ja-JP"


@pytest.mark.parametrize("code", CODES)
def test_every_run_with_text_sets_its_fonts_explicitly(code):
    body = _document(code).element.body
    for run in body.iter(qn("w:r")):
        if run.find(qn("w:t")) is None:
            continue
        rfonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) and rfonts.get(qn("w:ascii"))


@pytest.mark.parametrize("code", CODES)
def test_the_docx_page_is_a4_with_20mm_margins(code):
    section = _document(code).sections[0]
    landscape = getattr(forms.get(code), "LANDSCAPE", False)
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    assert abs(section.page_width - width) < Mm(1)
    assert abs(section.page_height - height) < Mm(1)
    if not landscape:
        assert abs(section.left_margin - Mm(20)) < Mm(0.5)
        assert abs(section.right_margin - Mm(20)) < Mm(0.5)


@pytest.mark.parametrize("code", CODES)
def test_every_docx_table_has_fixed_layout_and_explicit_column_widths(code):
    body = _document(code).element.body
    for table in body.iter(qn("w:tbl")):
        layout = table.find(qn("w:tblPr")).find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        columns = table.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
        assert columns and all(int(c.get(qn("w:w"))) > 0 for c in columns)


def test_seal_boxes_are_one_cell_bordered_tables_with_the_seal_mark():
    document = _document("bid")
    seals = [
        t for t in document.element.body.iter(qn("w:tbl"))
        if len(t.findall(qn("w:tr"))) == 1 and len(t.find(qn("w:tr")).findall(qn("w:tc"))) == 1
    ]
    # 代表者と代理人の二つ。
    assert len(seals) == 2
    for seal in seals:
        assert "".join(t.text for t in seal.iter(qn("w:t"))) == "印"
        style = seal.find(qn("w:tblPr")).find(qn("w:tblStyle"))
        assert style is not None and style.get(qn("w:val")) == "TableGrid"


def test_the_receipt_cut_line_is_a_dashed_paragraph_border_labelled_cut_here():
    body = _document("receipt").element.body
    dashed = [
        p for p in body.iter(qn("w:p"))
        if p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    ]
    assert len(dashed) == 1
    border = dashed[0].find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert border.get(qn("w:val")) == "dashed"
    assert "切り取り線" in "".join(t.text for t in dashed[0].iter(qn("w:t")))


def test_long_tables_repeat_their_header_row_in_word():
    document = _document("information_handlers")
    first_row = document.tables[0].rows[0]._tr
    assert first_row.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert "生年月日" in docx_text(sample_docx("information_handlers"))

"""PDF：日本語の書体（IPAex）を部分集合で埋め込み、字が欠けず、A4 で、入力はエスケープされる。"""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

import forms
from forms.yoshiki.bid import BidData
from tests.forms.rendering import pdf_shows, render_pdf_logged, sample_pdf

CODES = forms.codes()
SUBSET = re.compile(r"^/?[A-Z]{6}\+")
A4_POINTS = (595, 842)


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def embedded_fonts(pdf: bytes) -> dict[str, set[str]]:
    """BaseFont → 埋め込みのストリームの種類（/FontFile2 など）。Type0 の子孫フォントまでたどる。"""
    fonts: dict[str, set[str]] = {}
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        resources = _resolve(page.get("/Resources")) or {}
        for font in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(font)
            candidates = [font] + [_resolve(d) for d in (_resolve(font.get("/DescendantFonts")) or [])]
            for candidate in candidates:
                descriptor = _resolve(candidate.get("/FontDescriptor"))
                if descriptor is None:
                    continue
                kinds = {key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor}
                fonts.setdefault(str(candidate["/BaseFont"]), set()).update(kinds)
    return fonts


@pytest.mark.parametrize("code", CODES)
def test_the_pdf_embeds_an_ipaex_font_as_a_subset(code):
    fonts = embedded_fonts(sample_pdf(code)[0])
    ipaex = {name: kinds for name, kinds in fonts.items() if "IPAex" in name}
    assert ipaex, f"IPAex が埋め込まれていない: {sorted(fonts)}"
    for name, kinds in ipaex.items():
        assert kinds & {"/FontFile2", "/FontFile3"}, name
        assert SUBSET.match(name), f"部分集合の接頭辞（ABCDEF+）がない: {name}"
    # 本文の書体（明朝）は必ず使う。
    assert any("IPAexMincho" in name for name in ipaex)


@pytest.mark.parametrize("code", CODES)
def test_weasyprint_reports_no_missing_glyphs_or_other_warnings(code):
    messages = sample_pdf(code)[1]
    assert [m for m in messages if ".notdef" in m or "glyph" in m.lower()] == []
    assert [m for m in messages if m.startswith(("WARNING", "ERROR"))] == []


@pytest.mark.parametrize("code", CODES)
def test_the_pdf_is_a4(code):
    reader = PdfReader(io.BytesIO(sample_pdf(code)[0]))
    landscape = getattr(forms.get(code), "LANDSCAPE", False)
    for page in reader.pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == (A4_POINTS[::-1] if landscape else A4_POINTS)


@pytest.mark.parametrize("code", CODES)
def test_the_pdf_is_small_thanks_to_font_subsetting(code):
    # IPAex明朝の全体は約4MB。部分集合なら様式一つは数十KB（契約書でも200KB未満）。
    assert len(sample_pdf(code)[0]) < 250_000


def test_the_pdf_declares_japanese_as_its_language():
    reader = PdfReader(io.BytesIO(sample_pdf("bid")[0]))
    assert str(reader.trailer["/Root"].get("/Lang")) == "ja"


def test_user_input_is_escaped_not_interpreted_as_html():
    data = forms.get("bid").sample()
    hostile = BidData(**{**data.__dict__, "bidder_name": "<b>株式会社&amp;テスト</b>"})
    pdf, messages = render_pdf_logged("bid", hostile)
    assert pdf_shows(pdf, ["<b>株式会社&amp;テスト</b>"]) == []
    assert messages == []


def test_a_blank_date_is_printed_as_an_empty_era_date_to_fill_in():
    data = forms.get("bid").sample()
    undated = BidData(**{**data.__dict__, "date": None})
    pdf, _ = render_pdf_logged("bid", undated)
    assert pdf_shows(pdf, ["令和年月日"]) == []


def test_a_form_refuses_data_of_another_form():
    with pytest.raises(TypeError):
        forms.render_pdf("bid", forms.get("question").sample())


def test_an_unknown_form_code_is_a_key_error():
    with pytest.raises(KeyError):
        forms.render_pdf("no_such_form")

"""Word and Excel users see the DOCX and XLSX, not the PDF (issue 18). Every form's DOCX — the
sample and, for the forms offered on a notice, the blank one — and every XLSX is converted to PDF
by LibreOffice (Debian's libreoffice-writer-nogui / -calc-nogui, installed by ``make setup-test``):
it must open, stay A4 in the form's orientation, keep the page count of the application's own PDF
(DOCX), and show no amount or date broken over two lines."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import forms
from tests.forms.rendering import pdf_text

A4 = (595, 842)

# 金12,345,000円 / 12,345,000円 / ￥12,345,000 and 令和8年6月26日 (and the other eras): what must never wrap.
_AMOUNT = re.compile(r"(?:金|￥)?[0-9]{1,3}(?:,[0-9]{3})+円?")
_DATE = re.compile(r"(?:令和|平成|昭和)(?:[0-9]+|元)年[0-9]+月[0-9]+日")


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is not installed: run `make setup-test` (it installs libreoffice-*-nogui)."
    return found


def _documents() -> dict[str, tuple[bytes, bytes | None, object]]:
    """name → (DOCX or XLSX bytes, the application's PDF of the same data or None, module)."""
    out: dict[str, tuple[bytes, bytes | None, object]] = {}
    for code in forms.codes():
        module = forms.get(code)
        out[f"{code}.docx"] = (forms.render_docx(code), forms.render_pdf(code), module)
    for code in forms.BLANK_CODES:
        module = forms.get(code)
        data = forms.blank(code, case_title="様式の試験のための業務", addressee=["独立行政法人試験機構", "理事長"])
        out[f"{code}.blank.docx"] = (forms.render_docx(code, data), forms.render_pdf(code, data), module)
    for code in forms.XLSX_CODES:
        out[f"{code}.workbook.xlsx"] = (forms.render_xlsx(code), None, forms.get(code))
    return out


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, tuple[Path | None, bytes | None, object]]:
    """Every document converted in one LibreOffice run (a run per file costs seconds each)."""
    directory = tmp_path_factory.mktemp("libreoffice")
    documents = _documents()
    for name, (content, _, _) in documents.items():
        (directory / name).write_bytes(content)
    out = directory / "pdf"
    profile = directory / "profile"
    subprocess.run([_soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "pdf", "--outdir", str(out), *sorted(documents)],
                   cwd=directory, capture_output=True, timeout=600, check=False)
    result = {}
    for name, (_, app_pdf, module) in documents.items():
        pdf = out / (name.rsplit(".", 1)[0] + ".pdf")
        result[name] = (pdf if pdf.exists() else None, app_pdf, module)
    return result


NAMES = sorted(_documents())


def _pdfinfo(path: Path) -> dict[str, str]:
    text = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def _pages(pdf: bytes | Path) -> int:
    if isinstance(pdf, bytes):
        text = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        return int(re.search(r"Pages:\s+(\d+)", text).group(1))
    return int(_pdfinfo(pdf)["Pages"].strip())


@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_opens_it_on_a4_in_the_forms_orientation(converted, name):
    pdf, _, module = converted[name]
    assert pdf is not None, f"LibreOffice could not open {name}"
    width, height = (round(float(v)) for v in re.findall(r"[\d.]+", _pdfinfo(pdf)["Page size"])[:2])
    landscape = getattr(module, "LANDSCAPE", False) or name.endswith(".xlsx")
    assert (width, height) == ((A4[1], A4[0]) if landscape else A4)


@pytest.mark.parametrize("name", [n for n in NAMES if n.endswith(".docx")])
def test_the_word_copy_keeps_the_page_count_of_the_pdf(converted, name):
    pdf, app_pdf, _ = converted[name]
    assert pdf is not None and _pages(pdf) == _pages(app_pdf)


def _unbroken_lines(text: str) -> list[str]:
    return ["".join(line.split()) for line in text.splitlines()]


@pytest.mark.parametrize("name", [n for n in NAMES if n.endswith(".docx")])
def test_no_amount_or_date_is_broken_over_two_lines(converted, name):
    """Every amount and 和暦 date the application's PDF prints on one line is on one line in
    LibreOffice's rendering of the Word copy too."""
    pdf, app_pdf, _ = converted[name]
    assert pdf is not None
    ours = _unbroken_lines(pdf_text(app_pdf))
    theirs = "\n".join(_unbroken_lines(pdf_text(pdf.read_bytes(), layout=True)))
    wanted = {m for line in ours for pattern in (_AMOUNT, _DATE) for m in pattern.findall(line)}
    broken = sorted(value for value in wanted if value not in theirs)
    assert broken == []


@pytest.mark.parametrize("name", [n for n in NAMES if n.endswith(".xlsx")])
def test_the_workbook_prints_every_row_without_overprinting(converted, name):
    """LibreOffice keeps the row heights a file gives; the workbook gives each row the height of its
    longest wrapped cell, so no text runs into the next row."""
    import io

    from openpyxl import load_workbook

    from forms.render_xlsx import _text_width

    sheet = load_workbook(io.BytesIO(_documents()[name][0])).worksheets[0]
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            width = sheet.column_dimensions[cell.column_letter].width or 8.43
            lines = sum(max(1, -(-_text_width(part) // max(1, int(width) - 1))) for part in cell.value.split("\n"))
            height = sheet.row_dimensions[cell.row].height
            assert height is not None and height >= lines * 13.5, (cell.coordinate, cell.value, height)
    assert converted[name][0] is not None

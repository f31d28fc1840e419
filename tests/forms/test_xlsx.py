"""XLSX：入札者が記入する評価項目一覧（記入欄だけ保護を外す）と総合評価点一覧。"""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

import forms
from forms.render_xlsx import MARK_COLUMN, META_SHEET, PAGE_COLUMN, read_back


def _workbook(code: str):
    return load_workbook(io.BytesIO(forms.render_xlsx(code)))


def test_the_evaluation_items_sheet_lists_every_item_id_in_column_a():
    data = forms.get("evaluation_items").sample()
    sheet = _workbook("evaluation_items").worksheets[0]
    ids = {str(row[0].value) for row in sheet.iter_rows(min_row=5) if row[0].value and row[1].value}
    expected = {i.item_id for i in data.compliance + data.requirements + data.attachments}
    assert ids == expected


def test_only_the_mark_and_page_number_cells_are_unlocked_and_the_sheet_is_protected():
    sheet = _workbook("evaluation_items").worksheets[0]
    assert sheet.protection.sheet
    unlocked_columns = set()
    for row in sheet.iter_rows(min_row=5):
        if not row[1].value:
            continue
        for cell in row:
            if not cell.protection.locked:
                unlocked_columns.add(cell.column)
        kind = row[1].value
        mark, page = row[MARK_COLUMN - 1], row[PAGE_COLUMN - 1]
        if kind == "遵守確認事項":
            assert not mark.protection.locked and page.protection.locked
        else:
            assert mark.protection.locked and not page.protection.locked
        assert row[0].protection.locked and row[4].protection.locked
    assert unlocked_columns == {MARK_COLUMN, PAGE_COLUMN}


def test_the_workbook_carries_the_form_code_and_version_for_reading_back():
    workbook = _workbook("evaluation_items")
    meta = workbook[META_SHEET]
    assert meta.sheet_state == "hidden"
    assert meta["B1"].value == "evaluation_items"
    assert "FORM_CODE" in workbook.defined_names and "FORM_VERSION" in workbook.defined_names


def test_a_filled_in_sheet_reads_back_by_item_id():
    workbook = _workbook("evaluation_items")
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=5):
        if row[1].value == "遵守確認事項":
            row[MARK_COLUMN - 1].value = "○"
        elif row[1].value:
            row[PAGE_COLUMN - 1].value = "12"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_back(buffer.getvalue())
    assert result["form_code"] == "evaluation_items"
    assert set(result["marks"].values()) == {"○"} and len(result["marks"]) == 5
    assert set(result["pages"].values()) == {"12"}


def test_the_mark_column_only_accepts_a_circle_or_a_cross():
    sheet = _workbook("evaluation_items").worksheets[0]
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1 and validations[0].formula1 == '"○,×"'


def test_the_score_sheet_workbook_lists_bidders_and_totals():
    data = forms.get("score_sheet").sample()
    workbook = _workbook("score_sheet")
    sheet = workbook.worksheets[0]
    header = next(r for r in range(1, 20) if sheet.cell(row=r, column=2).value == "入札者")
    names = [sheet.cell(row=r, column=2).value for r in range(header + 1, header + 1 + len(data.rows))]
    assert names == [row.bidder for row in data.rows]
    assert workbook[META_SHEET]["B1"].value == "score_sheet"
    # What the PDF carries, the workbook carries: the date, the basis of the prices, each compared
    # price, the evaluators and the officer's line; on one landscape A4 page's width.
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    for expected in ("令和8年6月26日", "（税抜）", "入札価格：入札書に記載された金額", "審査員A　吉田　聡", "契約担当職員", "【見本】"):
        assert expected in text
    assert [sheet.cell(row=header, column=c).value for c in (3, 4)] == ["入札書の金額（円）", "入札価格（円）"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1


@pytest.mark.parametrize("code", [c for c in forms.codes() if c not in forms.XLSX_CODES])
def test_other_forms_have_no_spreadsheet(code):
    with pytest.raises(ValueError):
        forms.render_xlsx(code)

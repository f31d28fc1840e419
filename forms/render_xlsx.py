"""評価項目一覧・総合評価点一覧を XLSX（openpyxl）で描く。

評価項目一覧は入札者が記入して返すシート：A 列に安定した項目 ID、記入欄（遵守確認の ○/×、
提案書頁番号）だけ保護を外し、ほかの升目はシートの保護で書き換えられないようにする。
様式の識別子と版は、非表示のシート「_form」と名前付きの升目（FORM_CODE, FORM_VERSION）に
置き、返ってきたファイルを入札の側が読み戻すときに確かめる。
"""
from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from typing import Any
from unicodedata import east_asian_width

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from forms.yoshiki import evaluation_items, score_sheet
from tender.rules.wareki import format_wareki

__all__ = ["COLUMNS", "META_SHEET", "render", "read_back", "formula_safe", "guard"]

META_SHEET = "_form"
FONT_NAME = "ＭＳ ゴシック"

#: 評価項目一覧のシートの列：(見出し, 幅, 入札者が記入するか)。
COLUMNS = (
    ("項目ID", 10, False),
    ("区分", 14, False),
    ("大項目", 20, False),
    ("中項目・小項目", 26, False),
    ("内容・提案要求事項", 60, False),
    ("評価区分", 9, False),
    ("基礎点", 8, False),
    ("加点", 8, False),
    ("遵守確認（○/×）", 12, True),
    ("提案書頁番号", 12, True),
)
MARK_COLUMN = 9
PAGE_COLUMN = 10

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")
_INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _font(bold: bool = False) -> Font:
    return Font(name=FONT_NAME, size=10, bold=bold)


def _meta(workbook: Workbook, code: str, version: str, title: str) -> None:
    sheet = workbook.create_sheet(META_SHEET)
    sheet.sheet_state = "hidden"
    rows = (("form_code", code), ("form_version", version), ("case_title", title))
    for row, (key, value) in enumerate(rows, start=1):
        sheet.cell(row=row, column=1, value=key)
        sheet.cell(row=row, column=2, value=value)
    sheet.protection.sheet = True
    for name, row in (("FORM_CODE", 1), ("FORM_VERSION", 2)):
        ref = f"{quote_sheetname(META_SHEET)}!$B${row}"
        workbook.defined_names[name] = DefinedName(name, attr_text=ref)


def _header(sheet, headers: tuple[str, ...], widths: tuple[int, ...], row: int) -> None:
    for column, (text, width) in enumerate(zip(headers, widths), start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font = _font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width


def _text_width(text: str) -> int:
    """表示幅（半角1、全角2）：列の幅（半角の文字数）と比べる。"""
    return sum(2 if east_asian_width(ch) in "WFA" else 1 for ch in text)


def _fit_rows(sheet, first: int, last: int, line_height: float = 13.5) -> None:
    """折り返す升目の行の高さを、中身の行数から決めて書き込む。表計算ソフトは開いたときに行の高さを
    計り直さない（LibreOffice は既定の高さのまま、文字が次の行に重なる）ので、高さをファイルに持たせる。"""
    widths = {column: (sheet.column_dimensions[get_column_letter(column)].width or 8.43)
              for column in range(1, sheet.max_column + 1)}
    for row in range(first, last + 1):
        lines = 1
        for column, width in widths.items():
            value = sheet.cell(row=row, column=column).value
            if value is None:
                continue
            usable = max(1, int(width) - 1)
            count = sum(max(1, -(-_text_width(part) // usable)) for part in str(value).split("\n"))
            lines = max(lines, count)
        sheet.row_dimensions[row].height = round(lines * line_height + 3, 1)


def _evaluation_items(workbook: Workbook, data: Any) -> None:
    sheet = workbook.active
    sheet.title = evaluation_items.TITLE
    sheet["A1"] = f"{evaluation_items.TITLE}　「{data.case_title}」"
    sheet["A1"].font = _font(bold=True)
    sheet["A2"] = "黄色の欄（遵守確認に ○ 又は ×、提案書頁番号）だけを記入してください。ほかの欄は変更できません。"
    sheet["A2"].font = _font()
    header_row = 4
    _header(sheet, tuple(c[0] for c in COLUMNS), tuple(c[1] for c in COLUMNS), header_row)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.print_title_rows = f"{header_row}:{header_row}"

    rows: list[tuple[tuple, bool, bool]] = []  # (値, ○/× を記入するか, 頁番号を記入するか)
    for item in data.compliance:
        rows.append(((item.item_id, "遵守確認事項", "0 遵守確認事項", item.heading, item.description,
                      "", None, None, item.confirmed or None, None), True, False))
    for item in data.requirements:
        heading = " ".join(part for part in (item.middle, item.minor) if part)
        rows.append(((item.item_id, "提案要求事項", item.major, heading, item.requirement,
                      evaluation_items.category(item.mandatory), item.base_points or None, item.bonus_points or None,
                      None, item.page_ref or None), False, True))
    for item in data.attachments:
        rows.append(((item.item_id, "添付資料", item.major, item.minor, item.content,
                      evaluation_items.category(item.mandatory), None, None, None, item.page_ref or None), False, True))

    marks = DataValidation(type="list", formula1='"○,×"', allow_blank=True,
                           error="○ 又は × を入力してください。", errorTitle="遵守確認")
    sheet.add_data_validation(marks)
    row = header_row
    for values, mark_input, page_input in rows:
        row += 1
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.font = _font()
            cell.border = _BORDER
            cell.alignment = _WRAP
            editable = (column == MARK_COLUMN and mark_input) or (column == PAGE_COLUMN and page_input)
            cell.protection = Protection(locked=not editable)
            if editable:
                cell.fill = _INPUT_FILL
        if mark_input:
            marks.add(sheet.cell(row=row, column=MARK_COLUMN))
    _fit_rows(sheet, header_row, row)
    row += 1
    sheet.cell(row=row, column=5, value="合計").font = _font(bold=True)
    sheet.cell(row=row, column=7, value=data.base_total).font = _font(bold=True)
    sheet.cell(row=row, column=8, value=data.bonus_total).font = _font(bold=True)
    sheet.cell(row=row, column=9, value=f"計 {data.total}").font = _font(bold=True)
    # シートの保護：記入欄（locked=False）以外は書き換えられない。行・列の幅の変更は許す。
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    _meta(workbook, evaluation_items.CODE, evaluation_items.VERSION, data.case_title)


def _score_sheet(workbook: Workbook, data: Any) -> None:
    """総合評価点一覧：PDF と同じ記載事項（日付、予定価格とその税の扱い、入札価格の読み方、各入札者の
    比べた金額、審査員、記名欄）を、A4 横1ページの幅に収めて。"""
    sheet = workbook.active
    sheet.title = score_sheet.TITLE
    tax = "税込" if data.estimated_price_includes_tax else "税抜"
    lines = [
        f"{score_sheet.TITLE}　「{data.case_title}」",
        f"評価日：{format_wareki(data.evaluated_on) if data.evaluated_on else '（未確定）'}",
        f"予定価格：{data.estimated_price:,}円（{tax}）　入札価格：{data.price_basis_label}",
    ]
    if data.compared_ceiling_note:
        lines.append(f"式の予定価格：{data.compared_ceiling_note}")
    lines.append(f"満点：技術点 {data.technical_max}点 ＋ 価格点 {data.price_max}点")
    for row, text in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=text).font = _font(bold=row == 1)
    headers = ("順位", "入札者", "入札書の金額（円）", "入札価格（円）", "基礎点", "加点", "技術点", "価格点",
               "総合評価点", "備考")
    widths = (6, 28, 16, 16, 8, 8, 8, 8, 11, 28)
    header_row = len(lines) + 2
    _header(sheet, headers, widths, header_row)
    order = score_sheet.ranks(data.rows)
    row = header_row
    for offset, row_data in enumerate(data.rows):
        row = header_row + 1 + offset
        compared = row_data.compared_price if row_data.compared_price is not None else row_data.bid_amount
        values = (order.get(offset), row_data.bidder, row_data.bid_amount, compared, row_data.base_points,
                  row_data.bonus_points, row_data.technical_points, row_data.price_points, row_data.total,
                  row_data.remarks)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.font = _font()
            cell.border = _BORDER
            cell.alignment = _WRAP
        for column in (3, 4):
            sheet.cell(row=row, column=column).number_format = "#,##0"
        for column in (8, 9):
            sheet.cell(row=row, column=column).number_format = "0.0"
    _fit_rows(sheet, header_row, row)
    notes = [f"価格点 ＝ {data.price_max} ×（1 － 入札価格 ÷ 予定価格）、小数点第2位以下切捨て。"
             "総合評価点 ＝ 技術点 ＋ 価格点。"]
    if data.evaluators:
        notes.append("審査員（合議）：" + "、".join(data.evaluators))
    notes += [data.authority, "契約担当職員　　　　　　　　　　　　印"]
    for offset, text in enumerate(notes, start=2):
        sheet.cell(row=row + offset, column=1, value=text).font = _font()
    sheet.protection.sheet = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    _meta(workbook, score_sheet.CODE, score_sheet.VERSION, data.case_title)


_BUILDERS: dict[str, Callable[[Workbook, Any], None]] = {
    "evaluation_items": _evaluation_items,
    "score_sheet": _score_sheet,
}


#: A cell beginning with one of these is run as a formula by spreadsheets (CSV/XLSX injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """A value a spreadsheet will not run: text starting with = + - @ or a tab/CR gets a leading
    apostrophe (shown as text); other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def guard(workbook: Workbook) -> Workbook:
    """Make every text cell of every sheet formula-safe: the one guard every XLSX export passes through
    (the forms themselves write no formulas)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    safe = formula_safe(cell.value)
                    if safe is not cell.value:
                        cell.value = safe
                        cell.data_type = "s"
    return workbook


def render(code: str, data: Any, *, specimen: str | None = None) -> bytes:
    """様式 code の XLSX のバイト列。specimen（「見本」）を渡すと、最初のシートの表題の右に書く。"""
    try:
        builder = _BUILDERS[code]
    except KeyError:
        raise ValueError(f"様式 {code!r} は XLSX では出せません。") from None
    workbook = Workbook()
    builder(workbook, data)
    if specimen:
        sheet = workbook.worksheets[0]
        cell = sheet.cell(row=1, column=sheet.max_column, value=f"【{specimen}】")
        cell.font = _font(bold=True)
        cell.alignment = Alignment(horizontal="right")
    buffer = io.BytesIO()
    guard(workbook).save(buffer)
    return buffer.getvalue()


#: What a filled-in 評価項目一覧 can hold (the seed's has about 60 lines): anything larger is not
#: the form, and reading it must not cost a worker its memory or a rival their deadline.
READ_LIMITS = {"bytes_uncompressed": 20 * 1024 * 1024, "members": 200, "sheets": 5, "rows": 2_000, "columns": 40,
               "seconds": 5.0}


class NotTheForm(ValueError):
    """The file is not the 評価項目一覧 (or exceeds what it can hold); the message is Japanese."""


def _check_archive(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise NotTheForm("XLSX として読み取れません。") from exc
    if len(members) > READ_LIMITS["members"] or sum(m.file_size for m in members) > READ_LIMITS["bytes_uncompressed"]:
        raise NotTheForm("ファイルの中身が評価項目一覧としては大きすぎます。")


def read_back(content: bytes) -> dict[str, Any]:
    """入札者が記入して返した評価項目一覧を読む：様式の識別子・版と、項目 ID ごとの記入内容。

    返り値：{"form_code", "form_version", "marks": {ID: "○"/"×"/""}, "pages": {ID: "12"}}。
    識別子が評価項目一覧でなければ NotTheForm（ValueError）。openpyxl の読み取り専用モードで
    行ごとに読み、展開後の大きさ・シート数・行数・列数・時間に上限を設ける（READ_LIMITS）。
    """
    _check_archive(content)
    started = time.monotonic()
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        if len(workbook.sheetnames) > READ_LIMITS["sheets"]:
            raise NotTheForm("シートが多すぎます。公開した評価項目一覧に記入してください。")
        if META_SHEET not in workbook.sheetnames:
            raise NotTheForm("様式の情報（_form シート）がありません。")
        meta = {row[0]: row[1] for row in workbook[META_SHEET].iter_rows(min_row=1, max_row=2, max_col=2,
                                                                         values_only=True) if row and len(row) > 1}
        code, version = meta.get("form_code"), meta.get("form_version")
        if code != "evaluation_items":
            raise NotTheForm(f"評価項目一覧のファイルではありません（{code!r}）。")
        sheet = workbook[workbook.sheetnames[0]]
        marks: dict[str, str] = {}
        pages: dict[str, str] = {}
        for number, row in enumerate(sheet.iter_rows(min_row=5, max_col=READ_LIMITS["columns"], values_only=True),
                                     start=5):
            if number > READ_LIMITS["rows"] or time.monotonic() - started > READ_LIMITS["seconds"]:
                raise NotTheForm("行が多すぎます。公開した評価項目一覧に記入してください。")
            if not row or not row[0] or len(row) < 2 or row[1] is None:
                continue
            item_id, kind = row[0], row[1]
            if kind == "遵守確認事項":
                marks[str(item_id)] = str(_cell(row, MARK_COLUMN) or "")
            else:
                pages[str(item_id)] = str(_cell(row, PAGE_COLUMN) or "")
    finally:
        workbook.close()
    return {"form_code": code, "form_version": str(version), "marks": marks, "pages": pages}


def _cell(row: tuple, column: int):
    return row[column - 1] if len(row) >= column else None

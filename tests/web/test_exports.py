"""Spreadsheet exports: a cell that starts like a formula is written as text (formula injection)."""
import csv
import io

import pytest

from tender.web.pages import csv_text, spreadsheet_safe


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("株式会社=", "株式会社="), ("", ""), (12, 12), (None, None),
])
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_csv_text_has_a_bom_and_safe_cells():
    text = csv_text(["名前", "金額"], [["=cmd|' /C calc'!A0", 1_000]])
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [["名前", "金額"], ["'=cmd|' /C calc'!A0", "1000"]]

"""Jinja filters show Japan time, era dates and yen."""
from datetime import UTC, date, datetime

import pytest

from tender.web.filters import fiscal_year, jst, number, wareki, yen


@pytest.mark.parametrize("value, expected", [
    (datetime(2026, 11, 22, 15, 0, tzinfo=UTC), "2026/11/23 00:00"),  # next day in Japan
    (datetime(2026, 12, 31, 14, 59, tzinfo=UTC), "2026/12/31 23:59"),
    (datetime(2026, 12, 31, 15, 0, tzinfo=UTC), "2027/01/01 00:00"),
    (None, ""),
])
def test_jst(value, expected):
    assert jst(value) == expected


@pytest.mark.parametrize("value, expected", [
    (date(2026, 4, 1), "令和8年4月1日"),
    (date(2019, 5, 1), "令和元年5月1日"),
    (date(2019, 4, 30), "平成31年4月30日"),
    (datetime(2019, 4, 30, 15, 0, tzinfo=UTC), "令和元年5月1日"),  # midnight in Japan
])
def test_wareki(value, expected):
    assert wareki(value) == expected


def test_wareki_with_weekday():
    assert wareki(date(2026, 11, 23), weekday=True) == "令和8年11月23日（月）"


def test_yen_and_number():
    assert yen(12_345_000) == "金12,345,000円"
    assert yen(12_345_000, "symbol") == "￥12,345,000"
    assert number(1234567) == "1,234,567"
    assert fiscal_year(2026) == "令和8年度"

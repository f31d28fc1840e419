"""Jinja filters show Japan time, era dates and yen."""
from datetime import UTC, date, datetime

import pytest

from tender.rules.wareki import format_wareki_datetime
from tender.web.filters import filesize, fiscal_year, jst, number, wareki, yen


@pytest.mark.parametrize("value, expected", [
    (datetime(2026, 11, 22, 15, 0, tzinfo=UTC), "令和8年11月23日 0時00分"),  # next day in Japan
    (datetime(2026, 12, 31, 14, 59, tzinfo=UTC), "令和8年12月31日 23時59分"),
    (datetime(2026, 12, 31, 15, 0, tzinfo=UTC), "令和9年1月1日 0時00分"),
    (datetime(2019, 4, 30, 15, 0, tzinfo=UTC), "令和元年5月1日 0時00分"),
    (None, ""),
])
def test_jst(value, expected):
    """Issue 19: one convention — 和暦 without zero-padding, the time as the messages write it."""
    assert jst(value) == expected


def test_jst_styles_and_no_other():
    moment = datetime(2026, 4, 1, 0, 5, 9, tzinfo=UTC)  # 9:05:09 in Japan, a Wednesday
    assert jst(moment, weekday=True) == "令和8年4月1日（水） 9時05分"
    assert jst(moment, "seconds") == "令和8年4月1日 9時05分09秒"
    assert jst(moment, "time") == "9時05分"
    assert jst(moment, "time_seconds") == "9時05分09秒"
    assert jst(moment) == format_wareki_datetime(moment)  # the screens and the operations' messages agree
    with pytest.raises(ValueError):
        jst(moment, "yyyy/MM/dd")  # a pattern of one's own is refused


@pytest.mark.parametrize("size, expected", [
    (0, "0バイト"), (1023, "1,023バイト"), (1024, "1.0KB（1,024バイト）"), (12_629, "12.3KB（12,629バイト）"),
    (5 * 1024 * 1024, "5.0MB（5,242,880バイト）"),
])
def test_one_file_size_format(size, expected):
    assert filesize(size) == expected


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

"""和暦の検査。改元の日は各改元の政令・詔書による（平成は1989年1月8日、令和は2019年5月1日）。"""
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tender.rules.wareki import (
    ERAS,
    era_year,
    format_wareki,
    format_wareki_datetime,
    format_wareki_fiscal_year,
    parse_wareki,
)

D = date.fromisoformat

BOUNDARIES = [
    ("1873-01-01", "明治", 6),  # グレゴリオ暦採用の日
    ("1912-07-29", "明治", 45),
    ("1912-07-30", "大正", 1),
    ("1926-12-24", "大正", 15),
    ("1926-12-25", "昭和", 1),
    ("1989-01-07", "昭和", 64),
    ("1989-01-08", "平成", 1),
    ("2019-04-30", "平成", 31),
    ("2019-05-01", "令和", 1),
    ("2026-04-01", "令和", 8),
    ("2000-01-01", "平成", 12),
    ("1945-08-15", "昭和", 20),
    ("1964-10-10", "昭和", 39),
    ("2028-02-29", "令和", 10),
    ("1900-01-01", "明治", 33),
]


@pytest.mark.parametrize(("day", "era", "year"), BOUNDARIES)
def test_era_year_on_both_sides_of_each_era_boundary(day, era, year):
    assert era_year(D(day)) == (era, year)


def test_the_era_table_lists_the_five_modern_eras_in_order():
    assert [(e.name, e.start) for e in ERAS] == [
        ("明治", date(1868, 1, 25)),
        ("大正", date(1912, 7, 30)),
        ("昭和", date(1926, 12, 25)),
        ("平成", date(1989, 1, 8)),
        ("令和", date(2019, 5, 1)),
    ]


@pytest.mark.parametrize(
    ("day", "text"),
    [
        ("2026-04-01", "令和8年4月1日"),
        ("2019-05-01", "令和元年5月1日"),
        ("2019-04-30", "平成31年4月30日"),
        ("1989-01-07", "昭和64年1月7日"),
        ("1989-01-08", "平成元年1月8日"),
        ("1926-12-25", "昭和元年12月25日"),
        ("1926-12-24", "大正15年12月24日"),
        ("1912-07-30", "大正元年7月30日"),
        ("1912-07-29", "明治45年7月29日"),
        ("1873-01-01", "明治6年1月1日"),
        ("2020-01-01", "令和2年1月1日"),
        ("2028-02-29", "令和10年2月29日"),
        ("2026-12-31", "令和8年12月31日"),
    ],
)
def test_format_wareki_writes_the_first_year_as_gannen(day, text):
    assert format_wareki(D(day)) == text


@pytest.mark.parametrize(
    ("day", "text"),
    [
        ("2019-05-01", "令和1年5月1日"),
        ("1989-01-08", "平成1年1月8日"),
        ("2026-04-01", "令和8年4月1日"),
    ],
)
def test_format_wareki_without_gannen_writes_the_first_year_as_1(day, text):
    assert format_wareki(D(day), gannen=False) == text


@pytest.mark.parametrize(
    ("day", "text"),
    [
        ("2026-04-01", "令和8年4月1日（水）"),
        ("2019-05-01", "令和元年5月1日（水）"),
        ("1989-01-07", "昭和64年1月7日（土）"),
        ("1989-01-08", "平成元年1月8日（日）"),
        ("2028-02-29", "令和10年2月29日（火）"),
        ("2026-04-03", "令和8年4月3日（金）"),
        ("2026-04-06", "令和8年4月6日（月）"),
        ("2026-04-09", "令和8年4月9日（木）"),
    ],
)
def test_format_wareki_appends_the_weekday_in_full_width_brackets(day, text):
    assert format_wareki(D(day), weekday=True) == text


@pytest.mark.parametrize("day", ["1872-12-31", "1868-01-25", "1800-01-01"])
def test_dates_before_the_gregorian_adoption_are_rejected(day):
    with pytest.raises(ValueError):
        format_wareki(D(day))
    with pytest.raises(ValueError):
        era_year(D(day))


@pytest.mark.parametrize(
    ("fy", "text"),
    [
        (2026, "令和8年度"),
        (2019, "令和元年度"),  # 5月1日改元、公用では令和元年度
        (2018, "平成30年度"),
        (2020, "令和2年度"),
        (2021, "令和3年度"),
        (1989, "平成元年度"),  # 1月8日改元、4月1日には既に平成
        (1988, "昭和63年度"),  # 年度末近くの改元：昭和63年度のまま
        (1926, "大正15年度"),  # 12月25日改元：大正15年度
        (1927, "昭和2年度"),
        (1912, "大正元年度"),
    ],
)
def test_fiscal_years_are_named_by_the_era_of_most_of_the_year(fy, text):
    assert format_wareki_fiscal_year(fy) == text


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 4, 1, 5, 5, tzinfo=UTC), "令和8年4月1日 14時05分"),
        (datetime(2019, 4, 30, 15, 0, tzinfo=UTC), "令和元年5月1日 0時00分"),
        (datetime(2019, 4, 30, 14, 59, 59, tzinfo=UTC), "平成31年4月30日 23時59分"),
        (datetime(1989, 1, 7, 14, 59, tzinfo=UTC), "昭和64年1月7日 23時59分"),
        (datetime(2026, 4, 1, 9, 0, tzinfo=timezone(timedelta(hours=9))), "令和8年4月1日 9時00分"),
        (datetime(2026, 12, 31, 15, 30, tzinfo=UTC), "令和9年1月1日 0時30分"),
    ],
)
def test_format_wareki_datetime_shows_japan_time(moment, text):
    assert format_wareki_datetime(moment) == text


def test_format_wareki_datetime_rejects_a_naive_datetime():
    with pytest.raises(ValueError):
        format_wareki_datetime(datetime(2026, 4, 1, 14, 5))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("令和8年4月1日", "2026-04-01"),
        ("令和元年5月1日", "2019-05-01"),
        ("令和1年5月1日", "2019-05-01"),
        ("R8.4.1", "2026-04-01"),
        ("H31.4.30", "2019-04-30"),
        ("r8.4.1", "2026-04-01"),
        ("R08.04.01", "2026-04-01"),
        ("R8/4/1", "2026-04-01"),
        ("R8-4-1", "2026-04-01"),
        ("Ｒ８．４．１", "2026-04-01"),
        ("令和８年４月１日", "2026-04-01"),
        ("平成３１年４月３０日", "2019-04-30"),
        ("平成元年1月8日", "1989-01-08"),
        ("昭和64年1月7日", "1989-01-07"),
        ("S64.1.7", "1989-01-07"),
        ("H1.1.8", "1989-01-08"),
        ("大正15年12月24日", "1926-12-24"),
        ("T1.7.30", "1912-07-30"),
        ("明治6年1月1日", "1873-01-01"),
        ("M45.7.29", "1912-07-29"),
        ("令和10年2月29日", "2028-02-29"),
        (" 令和 8年 4月 1日 ", "2026-04-01"),
        ("令和8年4月1日（水）", "2026-04-01"),
        ("令和8年4月1日(水)", "2026-04-01"),
    ],
)
def test_parse_wareki_accepts_kanji_letter_and_full_width_forms(text, day):
    assert parse_wareki(text) == D(day)


@pytest.mark.parametrize(
    "text",
    [
        "平成32年1月1日",  # 平成は31年4月30日まで
        "令和元年4月30日",  # 令和は5月1日から
        "平成元年1月7日",  # 平成は1月8日から
        "昭和64年1月8日",  # 昭和は1月7日まで
        "H31.5.1",
        "S1.12.24",
        "大正15年12月25日",
        "明治45年7月30日",
        "令和8年2月29日",  # 2026年はうるう年ではない
        "令和8年4月31日",
        "令和0年1月1日",
        "明治5年12月31日",  # グレゴリオ暦採用前
        "R8.13.1",
        "R8.4/1",
        "",
        "   ",
        "2026-04-01",
        "X8.4.1",
        "令和8年4月1",
        "令和八年四月一日",
        "令和8年4月1日（火）",  # 2026年4月1日は水曜日
        "R8.4.1.5",
    ],
)
def test_parse_wareki_rejects_dates_outside_their_era_and_malformed_text(text):
    with pytest.raises(ValueError) as raised:
        parse_wareki(text)
    # 利用者向けの日本語の説明が付く。
    assert any("\u3040" <= c <= "\u9fff" for c in str(raised.value))


def test_parse_wareki_names_the_era_when_the_date_is_outside_it():
    with pytest.raises(ValueError, match="平成の期間に含まれない日付です"):
        parse_wareki("平成32年1月1日")


DAYS_FOR_ROUND_TRIP = [date(1873, 1, 1) + timedelta(days=k * 997) for k in range(60)] + [
    D("1912-07-29"), D("1912-07-30"), D("1926-12-24"), D("1926-12-25"),
    D("1989-01-07"), D("1989-01-08"), D("2019-04-30"), D("2019-05-01"),
]


@pytest.mark.parametrize("day", DAYS_FOR_ROUND_TRIP, ids=[d.isoformat() for d in DAYS_FOR_ROUND_TRIP])
def test_formatted_dates_parse_back_to_the_same_day(day):
    assert parse_wareki(format_wareki(day, weekday=True)) == day
    assert parse_wareki(format_wareki(day, gannen=False)) == day

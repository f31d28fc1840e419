"""暦の規則の検査。期待値は内閣府「国民の祝日について」の一覧と実際の暦から手で起こした。"""
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tender.rules.calendar import (
    JST,
    add_working_days,
    fiscal_year,
    fiscal_year_end,
    holiday_name,
    is_administrative_holiday,
    is_national_holiday,
    is_working_day,
    next_working_day,
    period_end,
    to_jst,
    working_day_on_or_after,
)

D = date.fromisoformat

# 内閣府が公表した令和8年（2026年）の国民の祝日・休日。
HOLIDAYS_2026 = [
    ("2026-01-01", "元日"),
    ("2026-01-12", "成人の日"),
    ("2026-02-11", "建国記念の日"),
    ("2026-02-23", "天皇誕生日"),
    ("2026-03-20", "春分の日"),
    ("2026-04-29", "昭和の日"),
    ("2026-05-03", "憲法記念日"),
    ("2026-05-04", "みどりの日"),
    ("2026-05-05", "こどもの日"),
    ("2026-05-06", "振替休日"),  # 5月3日（日）の振替
    ("2026-07-20", "海の日"),
    ("2026-08-11", "山の日"),
    ("2026-09-21", "敬老の日"),
    ("2026-09-22", "国民の休日"),  # 敬老の日と秋分の日に挟まれた日
    ("2026-09-23", "秋分の日"),
    ("2026-10-12", "スポーツの日"),
    ("2026-11-03", "文化の日"),
    ("2026-11-23", "勤労感謝の日"),
]

# 令和9年（2027年）の国民の祝日・休日。
HOLIDAYS_2027 = [
    ("2027-01-01", "元日"),
    ("2027-01-11", "成人の日"),
    ("2027-02-11", "建国記念の日"),
    ("2027-02-23", "天皇誕生日"),
    ("2027-03-21", "春分の日"),
    ("2027-03-22", "振替休日"),  # 春分の日が日曜日
    ("2027-04-29", "昭和の日"),
    ("2027-05-03", "憲法記念日"),
    ("2027-05-04", "みどりの日"),
    ("2027-05-05", "こどもの日"),
    ("2027-07-19", "海の日"),
    ("2027-08-11", "山の日"),
    ("2027-09-20", "敬老の日"),
    ("2027-09-23", "秋分の日"),
    ("2027-10-11", "スポーツの日"),
    ("2027-11-03", "文化の日"),
    ("2027-11-23", "勤労感謝の日"),
]


@pytest.mark.parametrize(("day", "name"), HOLIDAYS_2026 + HOLIDAYS_2027)
def test_every_national_holiday_of_2026_and_2027_has_its_japanese_name(day, name):
    assert holiday_name(D(day)) == name
    assert is_national_holiday(D(day)) is True
    assert is_administrative_holiday(D(day)) is True
    assert is_working_day(D(day)) is False


@pytest.mark.parametrize(("year", "expected"), [(2026, HOLIDAYS_2026), (2027, HOLIDAYS_2027)])
def test_the_year_has_exactly_the_published_national_holidays_and_no_others(year, expected):
    found = []
    day = date(year, 1, 1)
    while day.year == year:
        name = holiday_name(day)
        if name is not None:
            found.append((day.isoformat(), name))
        day += timedelta(days=1)
    assert found == expected


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2019-04-30", "国民の休日"),
        ("2019-05-01", "天皇の即位の日"),
        ("2019-05-02", "国民の休日"),
        ("2019-05-06", "振替休日"),
        ("2019-08-12", "振替休日"),
        ("2019-10-22", "即位礼正殿の儀が行われる日"),
        ("2019-11-04", "振替休日"),
        ("2015-09-22", "国民の休日"),
        ("2020-02-24", "振替休日"),
        ("2020-07-23", "海の日"),  # 東京オリンピックによる移動
        ("2020-07-24", "スポーツの日"),
        ("2020-08-10", "山の日"),
        ("2021-07-22", "海の日"),
        ("2021-07-23", "スポーツの日"),
        ("2021-08-08", "山の日"),
        ("2021-08-09", "振替休日"),
        ("2024-02-12", "振替休日"),  # 建国記念の日（日）の振替
        ("2025-02-24", "振替休日"),  # 天皇誕生日（日）の振替
        ("2025-11-24", "振替休日"),  # 勤労感謝の日（日）の振替
    ],
)
def test_substitute_citizens_and_one_off_holidays_are_named(day, name):
    assert holiday_name(D(day)) == name
    assert is_administrative_holiday(D(day)) is True


@pytest.mark.parametrize(
    "day",
    [
        "2020-07-20",  # 2020年は海の日が7月23日へ移動した
        "2020-10-12",  # 2020年はスポーツの日が7月24日へ移動した
        "2021-07-19",
        "2021-08-11",
        "2021-10-11",
        "2026-05-07",
        "2026-09-24",
        "2027-03-23",
        "2027-09-22",  # 2027年は国民の休日がない（敬老の日 9/20 と秋分の日 9/23 の間が2日）
        "2026-04-01",
        "2026-12-28",
        "2027-01-04",
    ],
)
def test_ordinary_weekdays_are_not_national_holidays(day):
    assert holiday_name(D(day)) is None
    assert is_national_holiday(D(day)) is False
    assert is_working_day(D(day)) is True


YEAR_END_BREAKS = [
    (year, D(f"{year}-12-29") + timedelta(days=offset)) for year in (2024, 2025, 2026, 2027, 2028, 2029, 2030) for offset in range(6)
]


@pytest.mark.parametrize(("year", "day"), YEAR_END_BREAKS, ids=[d.isoformat() for _, d in YEAR_END_BREAKS])
def test_every_day_from_december_29th_to_january_3rd_is_an_administrative_holiday(year, day):
    assert day.year in (year, year + 1)
    assert is_administrative_holiday(day) is True
    assert is_working_day(day) is False


@pytest.mark.parametrize(
    "day",
    ["2026-12-29", "2026-12-30", "2026-12-31", "2027-12-29", "2027-12-30", "2027-12-31", "2028-01-03"],
)
def test_year_end_weekdays_are_closed_without_being_national_holidays(day):
    # 2026-12-29（火）～31（木）、2027-12-29（水）～31（金）、2028-01-03（月）
    assert D(day).weekday() < 5
    assert is_national_holiday(D(day)) is False
    assert is_administrative_holiday(D(day)) is True


@pytest.mark.parametrize(
    "day",
    [
        "2024-12-27",  # 金
        "2025-01-06",  # 月
        "2025-12-26",  # 金
        "2026-01-05",  # 月
        "2026-12-28",  # 月
        "2027-01-04",  # 月
        "2027-12-28",  # 火
        "2028-01-04",  # 火
        "2028-12-28",  # 木
        "2029-01-04",  # 木
        "2029-12-28",  # 金
        "2030-01-04",  # 金
    ],
)
def test_the_weekdays_around_the_year_end_break_are_working_days(day):
    assert is_working_day(D(day)) is True


@pytest.mark.parametrize("day", ["2026-04-04", "2026-04-05", "2026-06-13", "2026-06-14", "2028-02-26", "2028-02-27"])
def test_saturdays_and_sundays_are_administrative_holidays_but_not_national_holidays(day):
    assert is_national_holiday(D(day)) is False
    assert is_administrative_holiday(D(day)) is True


@pytest.mark.parametrize(("day", "working"), [("2028-02-29", True), ("2024-02-29", True), ("2028-02-28", True), ("2028-03-01", True)])
def test_leap_days_are_ordinary_working_days(day, working):
    assert is_working_day(D(day)) is working


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        ("2026-04-03", 5, "2026-04-08"),  # 落札決定（金）から5日 → 水曜日
        ("2026-12-25", 5, "2027-01-04"),  # 12/30 が年末休み → 1月4日（月）
        ("2026-12-24", 5, "2027-01-04"),  # 12/29 → 1月4日
        ("2026-12-21", 10, "2027-01-04"),  # 12/31 → 1月4日
        ("2025-12-26", 5, "2026-01-05"),  # 12/31 → 1/4 が日曜 → 1月5日（月）
        ("2026-12-22", 5, "2026-12-28"),  # 12/27（日）→ 12/28（月）
        ("2026-12-21", 7, "2026-12-28"),  # 末日がちょうど12/28（月）
        ("2026-04-28", 5, "2026-05-07"),  # 5/3（日）→ 5/4・5/5・5/6 祝休日 → 5/7
        ("2026-04-24", 5, "2026-04-30"),  # 4/29 昭和の日 → 4/30
        ("2027-04-26", 7, "2027-05-06"),  # 5/3 → 5/4・5/5 → 5/6（木）
        ("2026-04-03", 30, "2026-05-07"),  # 検査期間30日：5/3 → 5/7
        ("2026-04-01", 30, "2026-05-01"),  # 5/1（金）は開庁日
        ("2026-09-16", 5, "2026-09-24"),  # 9/21・22・23 の連休
        ("2027-03-16", 5, "2027-03-23"),  # 3/21（日）・3/22 振替休日
        ("2026-04-06", 5, "2026-04-13"),  # 4/11（土）→ 4/13（月）
        ("2026-04-03", 0, "2026-04-03"),
        ("2026-04-04", 0, "2026-04-06"),
        ("2028-02-24", 5, "2028-02-29"),  # うるう日が末日
        ("2027-02-24", 5, "2027-03-01"),  # 平年は2月28日の次が3月1日
        ("2026-03-31", 1, "2026-04-01"),  # 年度をまたぐ
        ("2026-01-09", 3, "2026-01-13"),  # 1/12 成人の日
    ],
)
def test_period_end_excludes_the_first_day_and_moves_off_holidays(start, days, end):
    assert period_end(D(start), days) == D(end)


def test_period_ending_on_new_year_holiday_moves_to_january_4th():
    assert period_end(date(2026, 12, 27), 5) == date(2027, 1, 4)  # 2027-01-01（元日）


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-04-03", "2026-04-06"),  # 金 → 月
        ("2026-04-06", "2026-04-07"),
        ("2026-05-01", "2026-05-07"),  # ゴールデンウィーク
        ("2026-12-28", "2027-01-04"),
        ("2027-12-28", "2028-01-04"),
        ("2026-09-18", "2026-09-24"),
        ("2026-01-09", "2026-01-13"),
        ("2026-12-31", "2027-01-04"),
        ("2028-02-28", "2028-02-29"),
    ],
)
def test_next_working_day_is_strictly_after_the_given_day(day, expected):
    assert next_working_day(D(day)) == D(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-04-06", "2026-04-06"),
        ("2026-05-03", "2026-05-07"),
        ("2026-12-29", "2027-01-04"),
        ("2027-01-01", "2027-01-04"),
        ("2027-03-21", "2027-03-23"),
        ("2026-04-04", "2026-04-06"),
    ],
)
def test_working_day_on_or_after_keeps_a_working_day_and_skips_holidays(day, expected):
    assert working_day_on_or_after(D(day)) == D(expected)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2026-04-03", 0, "2026-04-03"),
        ("2026-04-03", 1, "2026-04-06"),
        ("2026-04-03", 5, "2026-04-10"),
        ("2026-04-01", 10, "2026-04-15"),
        ("2026-04-30", 1, "2026-05-01"),
        ("2026-04-30", 2, "2026-05-07"),
        ("2026-12-25", 1, "2026-12-28"),
        ("2026-12-25", 2, "2027-01-04"),
        ("2026-12-25", 3, "2027-01-05"),
        ("2026-09-18", 1, "2026-09-24"),
        ("2026-12-30", 1, "2027-01-04"),
    ],
)
def test_add_working_days_counts_only_days_after_the_start(day, n, expected):
    assert add_working_days(D(day), n) == D(expected)


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        ("2027-03-31", 2026),
        ("2027-04-01", 2027),
        ("2026-04-01", 2026),
        ("2026-03-31", 2025),
        ("2026-01-01", 2025),
        ("2026-12-31", 2026),
        ("2028-02-29", 2027),
        ("2019-04-30", 2019),
        ("2019-05-01", 2019),
    ],
)
def test_fiscal_year_runs_from_april_to_march(day, fy):
    assert fiscal_year(D(day)) == fy


@pytest.mark.parametrize(("fy", "end"), [(2026, "2027-03-31"), (2027, "2028-03-31"), (2019, "2020-03-31")])
def test_fiscal_year_ends_on_march_31st_of_the_next_year(fy, end):
    assert fiscal_year_end(fy) == D(end)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 3, 31, 15, 0, tzinfo=UTC), datetime(2026, 4, 1, 0, 0)),
        (datetime(2026, 3, 31, 14, 59, tzinfo=UTC), datetime(2026, 3, 31, 23, 59)),
        (datetime(2026, 12, 31, 15, 0, tzinfo=UTC), datetime(2027, 1, 1, 0, 0)),
        (datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("America/New_York")), datetime(2026, 7, 2, 1, 0)),  # 夏時間 UTC-4
        (datetime(2026, 4, 1, 9, 0, tzinfo=timezone(timedelta(hours=9))), datetime(2026, 4, 1, 9, 0)),
    ],
)
def test_to_jst_converts_aware_datetimes_to_tokyo_time(moment, expected):
    converted = to_jst(moment)
    assert converted.replace(tzinfo=None) == expected
    assert converted.utcoffset() == timedelta(hours=9)
    assert converted.tzinfo is JST


def test_to_jst_rejects_a_naive_datetime():
    with pytest.raises(ValueError):
        to_jst(datetime(2026, 4, 1, 9, 0))


def test_jst_is_asia_tokyo():
    assert JST == ZoneInfo("Asia/Tokyo")


def test_calendar_functions_reject_datetimes_because_the_day_depends_on_the_time_zone():
    with pytest.raises(TypeError):
        is_working_day(datetime(2026, 4, 1, 20, 0, tzinfo=UTC))


@pytest.mark.parametrize("bad", [-1, True, 1.0])
def test_add_working_days_rejects_negative_or_non_integer_counts(bad):
    with pytest.raises((TypeError, ValueError)):
        add_working_days(date(2026, 4, 1), bad)


def test_period_end_rejects_a_negative_number_of_days():
    with pytest.raises(ValueError):
        period_end(date(2026, 4, 1), -1)


def test_national_holidays_agree_with_an_independent_library_day_by_day():
    """Issue 17: the calendar (the `holidays` package's table) is checked against jpholiday, written
    independently, on every day from 2019 (令和) through 2099 (the equinox formula both use), so a
    wrong update of either shows here."""
    import jpholiday

    theirs = {day: name for year in range(2019, 2100) for day, name in jpholiday.year_holidays(year)}
    day, disagreements = date(2019, 1, 1), []
    while day.year < 2100:
        if (day in theirs) != is_national_holiday(day):
            disagreements.append((day, theirs.get(day), holiday_name(day)))
        day += timedelta(days=1)
    assert disagreements == [] and len(theirs) > 1_400

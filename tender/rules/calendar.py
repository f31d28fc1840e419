"""暦の規則：日本時間、国民の祝日、行政機関の休日、期間の計算、会計年度。

行政機関の休日は土曜日・日曜日・国民の祝日に関する法律に規定する休日・12月29日から
1月3日までの日（行政機関の休日に関する法律 第1条第1項）。「翌営業日」や「末日が休日に
当たる期間」はこの暦で数える（DOMAIN §9）。
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from tender.rules.checks import require_date as _require_date

__all__ = [
    "JST",
    "to_jst",
    "holiday_name",
    "is_national_holiday",
    "is_administrative_holiday",
    "is_working_day",
    "working_day_on_or_after",
    "next_working_day",
    "add_working_days",
    "period_end",
    "fiscal_year",
    "fiscal_year_end",
]

JST = ZoneInfo("Asia/Tokyo")

# 行政機関の休日に関する法律 第1条第1項第3号: 12月29日から翌年1月3日まで。
_YEAR_END_FIRST_DAY = (12, 29)
_NEW_YEAR_LAST_DAY = (1, 3)

# 年度は4月1日に始まり翌年3月31日に終わる（財政法第11条）。
_FISCAL_YEAR_FIRST_MONTH = 4


def to_jst(dt: datetime) -> datetime:
    """タイムゾーン付きの日時を日本時間（Asia/Tokyo）に変換する。

    タイムゾーンのない日時は、どの時刻か決められないので ValueError とする。
    """
    if not isinstance(dt, datetime):
        raise TypeError("日時（datetime）を指定してください。")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("タイムゾーンのない日時は日本時間に変換できません。")
    return dt.astimezone(JST)



@cache
def _national_holidays(year: int) -> dict[date, str]:
    # 年ごとに不変の辞書を作って保持する。holidays の遅延展開は参照時に内部状態を
    # 書き換えるので、スレッドをまたいで共有しないためにここで確定させる。
    table = holidays.country_holidays("JP", years=year, language="ja")
    return dict(table.items())


def holiday_name(d: date) -> str | None:
    """国民の祝日・休日の名称（日本語）。振替休日・国民の休日を含む。祝日でなければ None。"""
    d = _require_date(d)
    return _national_holidays(d.year).get(d)


def is_national_holiday(d: date) -> bool:
    """国民の祝日に関する法律に規定する休日（祝日・振替休日・国民の休日）か。"""
    return holiday_name(d) is not None


def _is_year_end_break(d: date) -> bool:
    md = (d.month, d.day)
    return md >= _YEAR_END_FIRST_DAY or md <= _NEW_YEAR_LAST_DAY


def is_administrative_holiday(d: date) -> bool:
    """行政機関の休日か（行政機関の休日に関する法律 第1条：土日・祝日・12月29日～1月3日）。"""
    d = _require_date(d)
    return d.weekday() >= 5 or is_national_holiday(d) or _is_year_end_break(d)


def is_working_day(d: date) -> bool:
    """行政機関の休日でない日（開庁日）か。"""
    return not is_administrative_holiday(d)


def working_day_on_or_after(d: date) -> date:
    """d が開庁日なら d、休日ならその後の最初の開庁日。"""
    d = _require_date(d)
    while is_administrative_holiday(d):
        d += timedelta(days=1)
    return d


def next_working_day(d: date) -> date:
    """d より後（d を含まない）の最初の開庁日（翌営業日）。"""
    d = _require_date(d)
    return working_day_on_or_after(d + timedelta(days=1))


def _require_count(n: object, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{name}は整数で指定してください。")
    if n < 0:
        raise ValueError(f"{name}は0以上で指定してください。")
    return n


def add_working_days(d: date, n: int) -> date:
    """d の後の n 開庁日目（d 自身は数えない）。n = 0 のときは d をそのまま返す。"""
    d = _require_date(d)
    n = _require_count(n, "開庁日数")
    for _ in range(n):
        d = next_working_day(d)
    return d


def period_end(start: date, days: int) -> date:
    """start から days 日の期間の末日。

    初日は算入しない（民法第140条）ので末日は start + days 日。末日が行政機関の休日に
    当たるときは、その翌日以降の最初の開庁日に満了する（民法第142条、行政機関の休日に
    関する法律 第2条）。例：令和8年4月3日（金）から5日 → 4月8日（水）。
    """
    start = _require_date(start)
    days = _require_count(days, "日数")
    return working_day_on_or_after(start + timedelta(days=days))


def fiscal_year(d: date) -> int:
    """日付の属する会計年度（4月～翌年3月。財政法第11条）を西暦の開始年で返す。"""
    d = _require_date(d)
    return d.year if d.month >= _FISCAL_YEAR_FIRST_MONTH else d.year - 1


def fiscal_year_end(fy: int) -> date:
    """会計年度 fy の末日（fy + 1 年の3月31日）。"""
    if isinstance(fy, bool) or not isinstance(fy, int):
        raise TypeError("年度は整数で指定してください。")
    return date(fy + 1, 3, 31)

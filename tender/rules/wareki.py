"""和暦（元号による日付）の表示と読み取り。

Babel には和暦がないため、元号の表から手で組み立てる。明治は 1868-01-25（明治元年1月1日
のグレゴリオ暦換算）に始まるが、日本がグレゴリオ暦を採用したのは明治6年（1873年）1月1日
（明治5年太政官布告第337号）なので、それより前の日付は旧暦との換算が必要になり扱わない。
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from tender.rules.calendar import to_jst

__all__ = [
    "Era",
    "ERAS",
    "era_year",
    "format_wareki",
    "format_wareki_fiscal_year",
    "format_wareki_datetime",
    "parse_wareki",
]


@dataclass(frozen=True)
class Era:
    """元号：名称、ローマ字の略号、初日（グレゴリオ暦）。"""

    name: str
    letter: str
    start: date


# 新しい元号は初日から（元号を改める政令の施行日）。古い順に並べる。
ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 1, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("平成", "H", date(1989, 1, 8)),  # 元号を改める政令（昭和64年政令第1号）
    Era("令和", "R", date(2019, 5, 1)),  # 元号を改める政令（平成31年政令第143号）
)

# グレゴリオ暦採用の日（明治6年1月1日）。これより前は扱わない。
_GREGORIAN_ADOPTION = date(1873, 1, 1)

_WEEKDAYS = "月火水木金土日"


def _era_index(d: date) -> int:
    if isinstance(d, datetime):
        raise TypeError("日時ではなく日付（date）を指定してください。")
    if not isinstance(d, date):
        raise TypeError("日付（date）を指定してください。")
    if d < _GREGORIAN_ADOPTION:
        raise ValueError("明治6年1月1日（1873年1月1日）より前の日付は和暦に変換できません。")
    for index in range(len(ERAS) - 1, -1, -1):
        if d >= ERAS[index].start:
            return index
    raise ValueError("和暦に変換できない日付です。")  # pragma: no cover - 上の検査で到達しない


def era_year(d: date) -> tuple[str, int]:
    """日付の元号と年（例：2026-04-01 → ("令和", 8)）。"""
    era = ERAS[_era_index(d)]
    return era.name, d.year - era.start.year + 1


def _year_text(year: int, gannen: bool) -> str:
    # 元号の最初の年は「元年」と書くのが公用文の慣行。
    return "元" if year == 1 and gannen else str(year)


def format_wareki(d: date, *, gannen: bool = True, weekday: bool = False) -> str:
    """日付を和暦で書く（例：令和8年4月1日、令和元年5月1日、weekday=True で「（水）」を付す）。"""
    name, year = era_year(d)
    text = f"{name}{_year_text(year, gannen)}年{d.month}月{d.day}日"
    if weekday:
        text += f"（{_WEEKDAYS[d.weekday()]}）"
    return text


def format_wareki_fiscal_year(fy: int) -> str:
    """会計年度を和暦で書く（例：2026 → 令和8年度）。

    年度の大半が属する元号で呼ぶ：年度の中間日（10月1日）の元号年を使う。
    これで 2019 → 令和元年度（5月1日改元）、1989 → 平成元年度（1月8日改元、4月1日には既に平成）、
    1988 → 昭和63年度、1926 → 大正15年度（12月25日改元）となり、公用の呼び方に一致する。
    """
    if isinstance(fy, bool) or not isinstance(fy, int):
        raise TypeError("年度は整数で指定してください。")
    if fy < _GREGORIAN_ADOPTION.year:
        raise ValueError("1873年度より前の年度は和暦に変換できません。")
    name, year = era_year(date(fy, 10, 1))
    return f"{name}{_year_text(year, True)}年度"


def format_clock(dt: datetime, *, seconds: bool = False) -> str:
    """時刻を日本時間で書く（例：9時05分、seconds なら 9時05分09秒）。時は 0 埋めせず、分・秒は2桁。"""
    local = to_jst(dt)
    return f"{local.hour}時{local.minute:02d}分" + (f"{local.second:02d}秒" if seconds else "")


def format_wareki_datetime(dt: datetime, *, weekday: bool = False, seconds: bool = False) -> str:
    """日時を日本時間の和暦で書く（例：令和8年4月1日 14時05分、weekday なら 令和8年4月1日（水） 14時05分）。
    画面・メッセージ・監査の記録に共通の一つの書き方（issue 19）。

    タイムゾーンのない日時は、日本時間かどうか分からないので ValueError とする（to_jst）。
    """
    return f"{format_wareki(to_jst(dt).date(), weekday=weekday)} {format_clock(dt, seconds=seconds)}"


_ERA_BY_NAME = {era.name: index for index, era in enumerate(ERAS)}
_ERA_BY_LETTER = {era.letter: index for index, era in enumerate(ERAS)}

_KANJI_PATTERN = re.compile(
    r"(?P<era>明治|大正|昭和|平成|令和)\s*(?P<year>元|[0-9]{1,2})\s*年\s*(?P<month>[0-9]{1,2})\s*月"
    r"\s*(?P<day>[0-9]{1,2})\s*日\s*(?:[(（](?P<weekday>[月火水木金土日])[)）])?"
)
_LETTER_PATTERN = re.compile(
    r"(?P<era>[MTSHR])\s*(?P<year>元|[0-9]{1,2})\s*(?P<sep>[./-])\s*(?P<month>[0-9]{1,2})\s*(?P=sep)\s*(?P<day>[0-9]{1,2})"
)

_INVALID = "和暦の日付を「令和8年4月1日」または「R8.4.1」の形で入力してください。"


def parse_wareki(text: str) -> date:
    """和暦の日付を読む：「令和8年4月1日」「令和元年5月1日」「R8.4.1」「H31.4.30」（全角可）。

    その元号の期間外の日付（平成32年、令和元年4月30日など）や存在しない日付は ValueError。
    """
    if not isinstance(text, str):
        raise TypeError("和暦の日付は文字列で指定してください。")
    # NFKC で全角数字・全角英字・全角記号を半角にそろえる（全角括弧も半角になる）。
    normalized = unicodedata.normalize("NFKC", text).strip()
    match = _KANJI_PATTERN.fullmatch(normalized)
    if match is not None:
        index = _ERA_BY_NAME[match["era"]]
    else:
        match = _LETTER_PATTERN.fullmatch(normalized.upper())
        if match is None:
            raise ValueError(_INVALID)
        index = _ERA_BY_LETTER[match["era"]]
    era = ERAS[index]
    year = 1 if match["year"] == "元" else int(match["year"])
    if year < 1:
        raise ValueError("元号の年は1以上（元年）で入力してください。")
    try:
        result = date(era.start.year + year - 1, int(match["month"]), int(match["day"]))
    except ValueError:
        raise ValueError("存在しない日付です。") from None
    following = ERAS[index + 1].start if index + 1 < len(ERAS) else None
    if result < era.start or (following is not None and result >= following):
        raise ValueError(f"{era.name}の期間に含まれない日付です。")
    if result < _GREGORIAN_ADOPTION:
        raise ValueError("明治6年1月1日（1873年1月1日）より前の日付は扱えません。")
    weekday = match.groupdict().get("weekday")
    if weekday is not None and weekday != _WEEKDAYS[result.weekday()]:
        raise ValueError("曜日が日付と一致しません。")
    return result

"""Jinja filters: Japan time, Japanese era dates and yen, all from tender.rules."""
from __future__ import annotations

from datetime import date, datetime

from tender.rules.calendar import to_jst
from tender.rules.money import format_yen
from tender.rules.sizes import format_filesize
from tender.rules.wareki import format_clock, format_wareki, format_wareki_datetime, format_wareki_fiscal_year

#: The one way the screens write a time of day (issue 19): the operations' messages write it so too
#: (tender.rules.wareki.format_wareki_datetime) — 14時05分, the minutes (and seconds) in two digits.
STYLES = ("datetime", "seconds", "time", "time_seconds")


def jst(value: datetime | None, style: str = "datetime", weekday: bool = False) -> str:
    """A moment in Japan time, in the one convention of the screens: 和暦 without zero-padding, and
    the time as 14時05分 — ``datetime`` (令和8年4月1日 14時05分), ``seconds`` (…14時05分09秒, receipts
    and openings), ``time`` (14時05分) or ``time_seconds``; ``weekday`` adds （水） after the date."""
    if value is None:
        return ""
    if style not in STYLES:
        raise ValueError(f"unknown time style {style!r}: one of {STYLES}")
    seconds = style in ("seconds", "time_seconds")
    if style.startswith("time"):
        return format_clock(value, seconds=seconds)
    return format_wareki_datetime(value, weekday=weekday, seconds=seconds)


def filesize(value: int | None) -> str:
    return "" if value is None else format_filesize(value)


def wareki(value: date | datetime | None, weekday: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_jst(value).date()
    return format_wareki(value, weekday=weekday)


def yen(value, style: str = "kanji") -> str:
    if value is None:
        return ""
    return format_yen(value, style=style)


def number(value) -> str:
    if value is None:
        return ""
    return f"{value:,}"


def fiscal_year(value: int | None) -> str:
    return "" if value is None else format_wareki_fiscal_year(value)


def register(app) -> None:
    app.add_template_filter(fiscal_year)
    app.add_template_filter(jst)
    app.add_template_filter(filesize)
    app.add_template_filter(wareki)
    app.add_template_filter(yen)
    app.add_template_filter(number)

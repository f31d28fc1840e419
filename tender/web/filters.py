"""Jinja filters: Japan time, Japanese era dates and yen, all from tender.rules."""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_datetime

from tender.rules.calendar import JST, to_jst
from tender.rules.money import format_yen
from tender.rules.wareki import format_wareki, format_wareki_fiscal_year


def jst(value: datetime | None, fmt: str = "yyyy/MM/dd HH:mm") -> str:
    if value is None:
        return ""
    return format_datetime(to_jst(value), fmt, tzinfo=JST, locale="ja_JP")


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
    app.add_template_filter(wareki)
    app.add_template_filter(yen)
    app.add_template_filter(number)

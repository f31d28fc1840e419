"""The argument checks every rule module uses: the rules take exact types (int yen, date, bool),
never floats or datetimes, and say in Japanese what was wrong."""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import date, datetime
from decimal import Decimal

__all__ = ["require_bool", "require_date", "require_int", "require_unique", "require_yen"]


def require_int(value: object, name: str, *, minimum: int | None = None) -> int:
    """An int (bool, float and Decimal are refused with TypeError), at least ``minimum`` if given."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}は整数（int）で指定してください（float は使えません）。")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}は{minimum}以上にしてください（{value}）。")
    return value


def require_bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name}は True か False で指定してください。")
    return value


def require_date(value: object, name: str = "日付") -> date:
    """A date. A datetime is refused: taking its date without its zone can shift the day (15:00
    UTC is already the next day in Japan); callers pass ``to_jst(dt).date()``."""
    if isinstance(value, datetime):
        raise TypeError(f"{name}は日時ではなく日付（date）で指定してください。日時は to_jst(dt).date() で日付にしてください。")
    if not isinstance(value, date):
        raise TypeError(f"{name}は日付（date）で指定してください。")
    return value


def require_yen(value: object, name: str, *, decimal: bool = False) -> int:
    """Whole yen, 0 or more, as int. With ``decimal``, a Decimal without a fraction is accepted too."""
    if decimal and isinstance(value, Decimal) and not isinstance(value, bool):
        if not value.is_finite():
            raise ValueError(f"{name}が数値ではありません。")
        if value != value.to_integral_value():
            raise ValueError(f"{name}は円単位の整数にしてください（円未満の端数があります）。")
        value = int(value)
    elif isinstance(value, bool) or not isinstance(value, int):
        kinds = "int または Decimal" if decimal else "整数（int）"
        raise TypeError(f"{name}は{kinds}で指定してください（float は使えません）。")
    if value < 0:
        raise ValueError(f"{name}は0円以上にしてください。")
    return value


def require_unique(values: Iterable[Hashable], name: str) -> None:
    seen: set[Hashable] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{name}「{value}」が重複しています。")
        seen.add(value)

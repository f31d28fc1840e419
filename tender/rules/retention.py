"""保存期間：個人情報（情報取扱者名簿など）を消去する日。

個人情報は目的（契約の履行）のためにだけ使い、終われば復元できないように消去する（[001] 別記、
[002] 個人情報の取扱いに関する特則、DOMAIN §11）。ここでは保存期間の末日を、契約期間の末日
（取り止めた案件は取り止めの日）から定めた年数の後の日とする。年数は設定
（PERSONAL_DATA_RETENTION_YEARS）で、既定は契約不適合の請求期間と同じ1年。
"""
from __future__ import annotations

from datetime import date

__all__ = ["DEFAULT_RETENTION_YEARS", "add_years", "retention_end", "is_due"]

DEFAULT_RETENTION_YEARS = 1


def add_years(d: date, years: int) -> date:
    """d の years 年後の同じ月日（2月29日は、平年なら2月28日）。"""
    if isinstance(years, bool) or not isinstance(years, int) or years < 0:
        raise ValueError("年数は0以上の整数にしてください。")
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 2月29日 → 平年
        return d.replace(year=d.year + years, day=28)


def retention_end(contract_to: date | None, cancelled_on: date | None, years: int = DEFAULT_RETENTION_YEARS) -> date | None:
    """保存期間の末日。基準日（契約期間の末日、なければ取り止めの日）がなければ None（まだ決まらない）。"""
    base = contract_to or cancelled_on
    return add_years(base, years) if base else None


def is_due(end: date | None, today: date) -> bool:
    """保存期間が終わった（末日の翌日以降）か。"""
    return end is not None and today > end

"""発注者の支払遅延：財務大臣が決定する率による遅延利息 [000・002 契約書 第10条第2項]。

「甲が前項の期日までに対価を支払わない場合は、その遅延期間における当該未払金額に対して、財務大臣が
決定する率（政府契約の支払遅延に対する遅延利息の率（昭和24年12月12日大蔵省告示第991号））によって、
遅延利息を支払うものとする」。地方公共団体の契約も同じ率による（政府契約の支払遅延防止等に関する法律
第8条第1項・第14条）。

率は告示の改正で変わるので、改正ごとの適用日・率・告示番号を :data:`RATES` に持つ。契約に適用する率は
契約締結の日に適用されている率とする（種の文書は時点を定めていない。多くの発注機関の契約書が
「当該契約締結の日における…率」と定めるのにならった）。率が分からない期間は、推測で埋めずに
「未登録」とし、担当者が官報で確かめた率を入れて計算する。

遅延利息の額は、100円未満の端数を切り捨て、100円未満なら支払を要しない（同法 第8条第2項）。
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tender.rules.checks import require_date, require_yen
from tender.rules.conditions import Conditions, accrued, parse_percent
from tender.rules.contracts import Calculation, _percent, _require_interest_rate, _yen, days_late
from tender.rules.money import truncate_yen
from tender.rules.wareki import format_wareki

__all__ = ["RateNotice", "RATES", "CONFIRMED", "rate_on", "authority_interest", "parse_percent", "contract_rate"]


@dataclass(frozen=True)
class RateNotice:
    """告示の改正一つ：effective_from から適用する年利（percent、例 Decimal("2.5")）。
    percent が None の改正は、告示があったことは確かだが率をこの表で確かめられていないもの。"""

    effective_from: date
    percent: Decimal | None
    notice: str

    @property
    def rate(self) -> Decimal | None:
        return None if self.percent is None else self.percent / 100

    @property
    def label(self) -> str:
        shown = f"年{self.percent}%" if self.percent is not None else "率は未登録"
        return f"{shown}（{self.notice}、{format_wareki(self.effective_from)}から適用）"


_BASE = "政府契約の支払遅延に対する遅延利息の率（昭和24年大蔵省告示第991号）"

#: 告示の改正の一覧（適用日の順）。出典：改正文の一覧と現行の率（年2.5%）は令和6年版の例規集に載る告示の
#: 本文（jichi6r6.gyosei.jp、29020000001）。各改正の率は、改正文「年三・三パーセント」を「年三・一パーセント」
#: に改める（平成23年財務省告示第52号）など改正前後の率が分かるものだけを入れた：平成20年の3.7%は平成21年の
#: 改正（3.7%→3.6%）の前の率、平成29年の2.7%は令和2年の改正（2.7%→2.6%）の前の率で、その間に改正はない。
#: 平成25・26・28年の改正の率はこの表で確かめられていない（None）。
RATES: tuple[RateNotice, ...] = (
    RateNotice(date(2008, 4, 1), Decimal("3.7"), "平成20年財務省告示第66号"),
    RateNotice(date(2009, 4, 1), Decimal("3.6"), "平成21年財務省告示第75号"),
    RateNotice(date(2010, 4, 1), Decimal("3.3"), "平成22年財務省告示第60号"),
    RateNotice(date(2011, 4, 1), Decimal("3.1"), "平成23年財務省告示第52号"),
    RateNotice(date(2013, 4, 1), None, "平成25年財務省告示第64号"),
    RateNotice(date(2014, 4, 1), None, "平成26年財務省告示第54号"),
    RateNotice(date(2016, 4, 1), None, "平成28年財務省告示第58号"),
    RateNotice(date(2017, 4, 1), Decimal("2.7"), "平成29年財務省告示第53号"),
    RateNotice(date(2020, 4, 1), Decimal("2.6"), "令和2年財務省告示第53号"),
    RateNotice(date(2021, 4, 1), Decimal("2.5"), "令和3年財務省告示第49号"),
)

#: この表が最後の改正まで揃っていると確かめた日（令和6年版の例規集）。これより後に締結した契約では、
#: 画面で官報の率を確かめるよう促す。
CONFIRMED = date(2024, 4, 1)


def rate_on(day: date, rates: tuple[RateNotice, ...] = RATES) -> RateNotice | None:
    """day に適用されている改正。表の最初の改正より前なら None。"""
    day = require_date(day, "基準日")
    found = None
    for notice in rates:
        if notice.effective_from <= day:
            found = notice
    return found


def authority_interest(c: Conditions, unpaid: int, due: date, paid_on: date, percent: Decimal,
                       notice: str = _BASE) -> Calculation:
    """発注者が支払期限 due までに支払わず paid_on に支払ったときの遅延利息。

    日数は期限の翌日から支払の日まで [支払遅延防止法 第8条第1項「約定の支払時期到来の日の翌日から支払を
    する日までの日数に応じ」]、日割りは契約の条件、100円未満切捨て・100円未満は支払を要しない [同 第2項]。
    """
    amount = require_yen(unpaid, "未払金額", decimal=True)
    rate = _require_interest_rate(percent) / 100  # percent: 年何% (Decimal or int), never a fraction
    due = require_date(due, "支払期限")
    days = days_late(due, paid_on)
    basis = (f"財務大臣が決定する率（{notice}）年{_percent(rate)}%による遅延利息［000・002 契約書 第10条第2項、"
             "政府契約の支払遅延防止等に関する法律 第8条・第14条］。期限の翌日から支払の日までの日数、"
             "100円未満の端数は切捨て、100円未満は支払を要しない")
    if days == 0:
        return Calculation(0, "遅延なし（遅延日数0日）= 0円", basis)
    exact, formula = accrued(c, amount, rate, due, days)
    cut = truncate_yen(int(exact), 100)
    if cut == 0:
        return Calculation(0, f"{formula} = {_yen(int(exact))} → 100円未満のため支払を要しない = 0円", basis)
    return Calculation(cut, f"{formula} = {_yen(int(exact))} → {_yen(cut)}（100円未満切捨て）", basis)


@dataclass(frozen=True)
class ContractRate:
    """一つの契約に適用する率：percent（分からなければ None）、どこから来たか、注意書き。"""

    percent: Decimal | None
    source: str
    warning: str | None


def contract_rate(c: Conditions, signed_on: date | None, rates: tuple[RateNotice, ...] = RATES,
                  confirmed: date = CONFIRMED) -> ContractRate:
    """契約の条件に率が入っていればそれ、なければ締結の日に適用される告示の率。"""
    if c.late_rate:
        return ContractRate(parse_percent(c.late_rate), "契約の条件に入力した率", None)
    if signed_on is None:
        return ContractRate(None, "締結の日が決まると、その日の告示の率を使います", None)
    notice = rate_on(signed_on, rates)
    if notice is None or notice.percent is None:
        shown = notice.label if notice else f"{format_wareki(rates[0].effective_from)}より前の告示"
        return ContractRate(None, shown, "この表には締結の日の率がありません。官報で確かめた率を契約の条件に入力してください。")
    warning = None
    if signed_on > confirmed:
        warning = (f"告示の表は{format_wareki(confirmed)}まで確かめたものです。その後に率が改正されていれば、"
                   "官報で確かめた率を契約の条件に入力してください。")
    return ContractRate(notice.percent, notice.label, warning)

"""契約の規則：遅延損害金、支払期限、検査期限、契約の公表期限、提出物の期限。

違約金・賠償金・遅延利息と、種の文書ごとに異なる期限の扱いは tender.rules.conditions が、契約の
条件（プリセット）として持つ。

* 金額は円単位の整数（int、または端数のない Decimal）で受け取り、計算は整数・Decimal・
  Fraction だけで行う。float・bool は TypeError で拒否する（tender.rules.money と同じ決まり）。
* 計算結果は :class:`Calculation` で返し、金額・計算式・根拠の文言をそのまま画面や帳票に
  出せるようにする。
* 「○日以内」のような**期間**は初日を算入しない（民法第140条）。種の文書は検査・公表・報告書の
  期限を休日で動かしていないので、末日は暦の日のまま；契約の条件（shift_holidays）で翌開庁日に
  できる（tender.rules.calendar.period_end）。「○月○日まで」「翌月末日まで」のような**期日**は
  暦の日付そのもので、休日でも動かさない。

提出物の期限（作業実績報告書・運用実績報告書など）は :class:`DueRule` で規則として持ち、
:func:`generate` で契約期間にわたる日付付きの :class:`DueItem` に展開する。
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import TypeVar

from tender.rules.calendar import (
    fiscal_year,
    is_administrative_holiday,
    period_end,
)
from tender.rules.checks import require_date as _require_date
from tender.rules.checks import require_yen
from tender.rules.money import format_yen

__all__ = [
    "Calculation",
    "days_late",
    "late_damages",
    "payment_due",
    "payment_processing_day",
    "inspection_due",
    "deemed_passed",
    "publication_days",
    "publication_deadline",
    "PUBLICATION_DAYS",
    "PUBLICATION_DAYS_APRIL",
    "INSPECTION_DAYS_CHOICES",
    "LATE_DAMAGES_RATE",
    "FIXED",
    "AFTER_CONTRACT",
    "MONTHLY",
    "QUARTERLY",
    "ANNUAL",
    "AT_END",
    "INCIDENT",
    "RULE_KINDS",
    "KIND_LABELS",
    "RULE_FIELD_LABELS",
    "DueRule",
    "DueItem",
    "rule_problems",
    "describe",
    "generate",
    "incident_due",
]

# 遅延損害金：遅延日数1日につき契約金額の1000分の1。
# 違約金・賠償金・遅延利息は種の文書ごとに異なるので tender.rules.conditions にある。
LATE_DAMAGES_RATE = Fraction(1, 1000)

# 契約の公表：契約を締結した日の翌日から起算して72日以内（4月に締結した契約は93日以内）。
PUBLICATION_DAYS = 72
PUBLICATION_DAYS_APRIL = 93

# 検査の期間として契約書に書かれる日数（納入を受けた日から10日以内／30日以内）。
INSPECTION_DAYS_CHOICES = (10, 30)


# ---------------------------------------------------------------------------
# 入力の検査と書式
# ---------------------------------------------------------------------------




def _require_positive_int(n: object, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{name}は整数で指定してください。")
    if n < 1:
        raise ValueError(f"{name}は1以上で指定してください。")
    return n


def _require_interest_rate(rate: object) -> Decimal:
    if isinstance(rate, bool) or not isinstance(rate, (int, Decimal)):
        raise TypeError("利率は Decimal で指定してください（float は使えません）。")
    value = Decimal(rate)
    if not value.is_finite() or value < 0:
        raise ValueError("利率は0以上の数で指定してください。")
    return value


def _yen(amount: int) -> str:
    return format_yen(amount, "plain")


def _exact_yen(value: Fraction) -> str:
    """割り切れる金額（円未満を含みうる）を「1,234,567.8円」のように書く。"""
    with localcontext() as context:
        context.prec = 100
        # 分母が 2 と 5 だけの有理数なので、Decimal の除算は正確に終わる。
        decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{decimal:,}円"


def _format_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _percent(rate: Decimal) -> str:
    with localcontext() as context:
        context.prec = 100
        return format((rate * 100).normalize(), "f")


# ---------------------------------------------------------------------------
# 遅延損害金・違約金・遅延利息
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Calculation:
    """金額の計算結果。amount は円、formula は計算式、basis は根拠となる規則の文言。"""

    amount: int
    formula: str
    basis: str


def days_late(due: date, done: date) -> int:
    """期限 due に対して done に履行したときの遅延日数（期限の翌日から履行の日まで。遅延がなければ0）。"""
    due = _require_date(due, "期限")
    done = _require_date(done, "履行の日")
    return max(0, (done - due).days)


_LATE_DAMAGES_BASIS = "契約金額の1000分の1に相当する額に遅延日数を乗じた額"


def late_damages(contract_amount: int, due: date, delivered: date) -> Calculation:
    """遅延損害金：契約金額 × 1/1000 × 遅延日数（1円未満切捨て）。

    遅延日数は期限の翌日から納入の日までの日数（:func:`days_late`）。遅延がなければ0円。
    例：12,100,000円 × 1/1000 × 3日 = 36,300円。
    """
    amount = require_yen(contract_amount, "契約金額", decimal=True)
    days = days_late(due, delivered)
    if days == 0:
        return Calculation(0, "遅延なし（遅延日数0日）= 0円", _LATE_DAMAGES_BASIS)
    damages = (amount * days * LATE_DAMAGES_RATE.numerator) // LATE_DAMAGES_RATE.denominator
    formula = f"{_yen(amount)} × 1/1000 × {days}日 = {_yen(damages)}（1円未満切捨て）"
    return Calculation(damages, formula, _LATE_DAMAGES_BASIS)


# ---------------------------------------------------------------------------
# 支払・検査・公表の期限
# ---------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def payment_due(invoice_received: date) -> date:
    """支払期限：適法な支払請求書を受理した日の属する月の翌月末日。

    「翌月末日までに」は暦の期日であり期間ではないので、末日が休日でも動かさない
    （実際に振り込める日は :func:`payment_processing_day`）。
    例：1月31日受理 → 2月28日（閏年は2月29日）、12月受理 → 翌年1月31日。
    """
    received = _require_date(invoice_received, "支払請求書を受理した日")
    return _month_end(*_next_month(received.year, received.month))


def payment_processing_day(due: date) -> date:
    """期日 due 以前（due を含む）の最後の開庁日。休日には振込ができないので、支払の実務上の日（表示用）。

    例：12月31日は年末年始の休日（12月29日～1月3日）なので、12月28日以前の開庁日。
    """
    d = _require_date(due, "期日")
    while is_administrative_holiday(d):
        d -= timedelta(days=1)
    return d


def _within(start: date, days: int, shift_holidays: bool) -> date:
    """「start から days 日以内」の末日。初日は算入しない（民法第140条）。種の文書は検査・公表の期限を
    休日で動かさないので暦の日のまま；shift_holidays（契約の条件）なら翌開庁日（period_end）。"""
    if not isinstance(shift_holidays, bool):
        raise TypeError("shift_holidays は True か False で指定してください。")
    return period_end(start, days) if shift_holidays else start + timedelta(days=days)


def inspection_due(delivered: date, days: int, *, shift_holidays: bool = False) -> date:
    """検査期限：「納入を受けた日から days 日以内」の末日 [000 第8条（10日）、002 第8条（30日）]。

    初日（納入の日）は算入しない。末日が休日でも動かさない（契約の条件で翌開庁日にできる）。
    days は通常 INSPECTION_DAYS_CHOICES（10日または30日）。
    """
    delivered = _require_date(delivered, "納入を受けた日")
    days = _require_positive_int(days, "検査の日数")
    return _within(delivered, days, shift_holidays)


def deemed_passed(delivered: date, days: int, today: date, *, shift_holidays: bool = False) -> bool:
    """検査の期間内に通知がないとき、合格したものとみなされているか。

    「期間内に通知が無いときは、当該期間満了日をもって合格したものとみなす」[002 第8条第2項]。満了日の
    当日はまだ通知ができるので、その日は False とし、満了日の翌日以降（today > inspection_due）に True。
    """
    today = _require_date(today, "今日の日付")
    return today > inspection_due(delivered, days, shift_holidays=shift_holidays)


def publication_days(contract_date: date) -> int:
    """契約の公表までの日数：72日（4月に締結した契約は93日）。"""
    contract_date = _require_date(contract_date, "契約締結日")
    return PUBLICATION_DAYS_APRIL if contract_date.month == 4 else PUBLICATION_DAYS


def publication_deadline(contract_date: date, *, shift_holidays: bool = False) -> date:
    """契約の公表期限：「契約締結日の翌日から起算して72日以内（4月に締結した契約については93日以内）」
    [000 5.(注)(4)、002 I 14.(注)(4)]。末日が休日でも動かさない（契約の条件で翌開庁日にできる）。"""
    return _within(contract_date, publication_days(contract_date), shift_holidays)


# ---------------------------------------------------------------------------
# 提出物の期限（規則と展開）
# ---------------------------------------------------------------------------

FIXED = "fixed"
AFTER_CONTRACT = "after_contract"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
ANNUAL = "annual"
AT_END = "at_end"
INCIDENT = "incident"
RULE_KINDS = (FIXED, AFTER_CONTRACT, MONTHLY, QUARTERLY, ANNUAL, AT_END, INCIDENT)

KIND_LABELS = {
    FIXED: "期日指定",
    AFTER_CONTRACT: "契約日から○日以内",
    MONTHLY: "毎月（月末から○日以内）",
    QUARTERLY: "四半期ごと",
    ANNUAL: "毎年度",
    AT_END: "契約終了時",
    INCIDENT: "障害復旧作業の後",
}

RULE_FIELD_LABELS = {
    "kind": "種類",
    "title": "提出物の名称",
    "on": "期日",
    "days": "日数",
    "day": "期限の日",
    "december_day": "10〜12月分の期限の日",
    "month": "月",
    "weeks": "週数",
    "fiscal_year_last_month_on_month_end": "年度の最終月分は当該月の末日",
}

_MAX_DAYS = 365
_MAX_QUARTERLY_DAY = 28
_MAX_WEEKS = 52
# 2月29日のように毎年はない日を年次の期限にしないため、平年で日付が成り立つかを見る。
_COMMON_YEAR = 2023
# 四半期（会計年度）の最初の月。
_QUARTER_FIRST_MONTHS = (4, 7, 10, 1)


_T = TypeVar("_T")


def _given(value: _T | None) -> _T:
    """A field its rule's kind requires: present once the rule passed :func:`rule_problems`."""
    assert value is not None
    return value


@dataclass(frozen=True)
class DueRule:
    """提出物の期限の規則。kind ごとに使う項目が決まっている（ほかの項目は無視する）。

    * FIXED：on（期日）
    * AFTER_CONTRACT：days（契約日から days 日以内）
    * MONTHLY：days（各月末日の後 days 日以内）、fiscal_year_last_month_on_month_end
    * QUARTERLY：day（四半期の翌月 day 日まで）、december_day（10〜12月分の日。省略時は day）
    * ANNUAL：month, day（各年度の month 月 day 日）
    * AT_END：なし（契約期間の末日）
    * INCIDENT：weeks（障害復旧作業後 weeks 週間以内 [004 ９．No.3]）

    型の誤り（数に float・bool・文字列、期日に datetime など）は作る時点で TypeError。
    値の誤り（範囲外・不足）は :func:`rule_problems` が日本語の文で返す。
    """

    kind: str
    title: str
    on: date | None = None
    days: int | None = None
    day: int | None = None
    december_day: int | None = None
    month: int | None = None
    weeks: int | None = None
    fiscal_year_last_month_on_month_end: bool = False

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            label = RULE_FIELD_LABELS[item.name]
            if item.name in ("kind", "title"):
                if not isinstance(value, str):
                    raise TypeError(f"「{label}」は文字列で指定してください。")
            elif item.name == "on":
                if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
                    raise TypeError(f"「{label}」は日付（date）で指定してください。")
            elif item.name == "fiscal_year_last_month_on_month_end":
                if not isinstance(value, bool):
                    raise TypeError(f"「{label}」は True か False で指定してください。")
            elif value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise TypeError(f"「{label}」は整数で指定してください。")


@dataclass(frozen=True)
class DueItem:
    """規則から展開した提出物1件。period_from/period_to は対象期間（月・四半期・年度）があるときだけ。"""

    title: str
    due: date
    period_from: date | None = None
    period_to: date | None = None


def _add_one_year(d: date) -> date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 2月29日の1年後は2月28日とする
        return d.replace(year=d.year + 1, day=28)


def _range_problem(rule: DueRule, name: str, low: int, high: int) -> str | None:
    value = getattr(rule, name)
    label = RULE_FIELD_LABELS[name]
    if value is None:
        return f"「{label}」を指定してください。"
    if not low <= value <= high:
        return f"「{label}」は{low}以上{high}以下の整数で指定してください。"
    return None


def rule_problems(rule: DueRule, start: date | None = None, end: date | None = None) -> list[str]:
    """規則の誤りを日本語の文の一覧で返す（誤りがなければ空の一覧）。

    start/end（契約期間）を渡すと、期日指定の期日が契約期間の初日から末日の1年後までに
    あるかも調べる。
    """
    if not isinstance(rule, DueRule):
        raise TypeError("規則（DueRule）を指定してください。")
    if start is not None:
        start = _require_date(start, "契約期間の初日")
    if end is not None:
        end = _require_date(end, "契約期間の末日")

    problems: list[str] = []
    if rule.kind not in RULE_KINDS:
        problems.append(f"「{RULE_FIELD_LABELS['kind']}」は {', '.join(RULE_KINDS)} のいずれかです。")
    if not rule.title.strip():
        problems.append(f"「{RULE_FIELD_LABELS['title']}」を入力してください。")
    if start is not None and end is not None and end < start:
        problems.append("契約期間の末日が初日より前です。")

    checks: list[str | None] = []
    if rule.kind == FIXED:
        label = RULE_FIELD_LABELS["on"]
        if rule.on is None:
            checks.append(f"「{label}」を指定してください。")
        else:
            if start is not None and rule.on < start:
                checks.append(f"「{label}」が契約期間の初日（{_format_date(start)}）より前です。")
            if end is not None and rule.on > _add_one_year(end):
                checks.append(f"「{label}」が契約期間の末日（{_format_date(end)}）の1年後より後です。")
    elif rule.kind in (AFTER_CONTRACT, MONTHLY):
        checks.append(_range_problem(rule, "days", 1, _MAX_DAYS))
    elif rule.kind == QUARTERLY:
        checks.append(_range_problem(rule, "day", 1, _MAX_QUARTERLY_DAY))
        if rule.december_day is not None:
            checks.append(_range_problem(rule, "december_day", 1, _MAX_QUARTERLY_DAY))
    elif rule.kind == ANNUAL:
        month_problem = _range_problem(rule, "month", 1, 12)
        day_problem = _range_problem(rule, "day", 1, 31)
        checks += [month_problem, day_problem]
        if month_problem is None and day_problem is None:
            try:
                date(_COMMON_YEAR, _given(rule.month), _given(rule.day))
            except ValueError:
                checks.append(f"{rule.month}月{rule.day}日は毎年ある日ではありません。")
    elif rule.kind == INCIDENT:
        checks.append(_range_problem(rule, "weeks", 1, _MAX_WEEKS))
    problems += [problem for problem in checks if problem is not None]
    return problems


def _require_valid(rule: DueRule, start: date | None = None, end: date | None = None) -> None:
    problems = rule_problems(rule, start, end)
    if problems:
        raise ValueError(" ".join(problems))


def describe(rule: DueRule) -> str:
    """規則を日本語の一文で書く。例：「各月末日の後10日以内（年度の最終月分は当該月の末日）」。

    規則に誤りがあれば ValueError。
    """
    _require_valid(rule)
    if rule.kind == FIXED:
        return _format_date(_given(rule.on))
    if rule.kind == AFTER_CONTRACT:
        return f"契約日から{rule.days}日以内"
    if rule.kind == MONTHLY:
        text = f"各月末日の後{rule.days}日以内"
        if rule.fiscal_year_last_month_on_month_end:
            text += "（年度の最終月分は当該月の末日）"
        return text
    if rule.kind == QUARTERLY:
        text = f"四半期ごとに翌月{rule.day}日まで"
        if rule.december_day is not None and rule.december_day != rule.day:
            text += f"（10〜12月分は翌年1月{rule.december_day}日）"
        return text
    if rule.kind == ANNUAL:
        return f"各年度の{rule.month}月{rule.day}日"
    if rule.kind == AT_END:
        return "契約期間の末日"
    return f"障害復旧作業後{rule.weeks}週間以内"


def _months(start: date, end: date):
    """[start, end] と重なる暦月を (年, 月) で順に返す。"""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = _next_month(year, month)


def _quarters(start: date, end: date):
    """[start, end] と重なる会計年度の四半期を (初日, 末日) で順に返す。"""
    first_month = _QUARTER_FIRST_MONTHS[(start.month - 4) % 12 // 3]
    quarter_start = date(start.year, first_month, 1)
    while quarter_start <= end:
        year, month = quarter_start.year, quarter_start.month + 2
        quarter_end = _month_end(year, month)
        yield quarter_start, quarter_end
        quarter_start = quarter_end + timedelta(days=1)


def _period_label(period_from: date, period_to: date) -> str:
    return f"{_format_date(period_from)}～{_format_date(period_to)}"


def generate(rule: DueRule, start: date, end: date, *, contract_date: date | None = None,
             shift_holidays: bool = False) -> list[DueItem]:
    """規則を契約期間 [start, end]（両端を含む）の提出物に展開し、期限の順に並べて返す。

    「○日以内」の末日は、種の文書どおり暦の日のまま（shift_holidays：契約の条件で翌開庁日に）。

    * FIXED：on の1件（契約書に書かれた期日なので休日でも動かさない）。
    * AFTER_CONTRACT：契約日から days 日以内の1件（「契約日から７日以内」[004 ９．No.1]）。
      contract_date を省くと契約期間の初日を契約日とする。
    * MONTHLY：契約期間と重なる暦月ごとに1件、期限は月末日から days 日以内（「毎月末から 10 日以内」[004 ９．No.4]）。
      fiscal_year_last_month_on_month_end なら3月分は3月31日（当該月の末日。期日なので動かさない）。
    * QUARTERLY：契約期間と重なる四半期（4～6月、7～9月、10～12月、1～3月）ごとに1件、期限は
      四半期の翌月の day 日（10～12月分は december_day 日）。期日なので動かさない。
    * ANNUAL：契約期間と重なる年度ごとに、その年度の month 月 day 日（4～12月は年度の年、
      1～3月は翌年）。契約期間内に入る日だけ。期日なので動かさない。
    * AT_END：契約期間の末日の1件。
    * INCIDENT：事前には展開しない（空の一覧。期限は :func:`incident_due`）。

    規則に誤りがあるとき、末日が初日より前のときは ValueError。
    """
    start = _require_date(start, "契約期間の初日")
    end = _require_date(end, "契約期間の末日")
    if contract_date is None:
        contract_date = start
    contract_date = _require_date(contract_date, "契約日")
    _require_valid(rule, start, end)

    items: list[DueItem] = []
    if rule.kind == FIXED:
        items.append(DueItem(rule.title, _given(rule.on)))
    elif rule.kind == AFTER_CONTRACT:
        items.append(DueItem(rule.title, _within(contract_date, _given(rule.days), shift_holidays)))
    elif rule.kind == MONTHLY:
        for year, month in _months(start, end):
            month_end = _month_end(year, month)
            if rule.fiscal_year_last_month_on_month_end and month == 3:
                due = month_end
            else:
                due = _within(month_end, _given(rule.days), shift_holidays)
            items.append(DueItem(
                f"{rule.title}（{year}年{month}月分）",
                due,
                max(start, date(year, month, 1)),
                min(end, month_end),
            ))
    elif rule.kind == QUARTERLY:
        for number, (quarter_start, quarter_end) in enumerate(_quarters(start, end), start=1):
            due_year, due_month = _next_month(quarter_end.year, quarter_end.month)
            day = rule.day
            if quarter_end.month == 12 and rule.december_day is not None:
                day = rule.december_day
            period_from, period_to = max(start, quarter_start), min(end, quarter_end)
            items.append(DueItem(
                f"{rule.title}（第{number}回：{_period_label(period_from, period_to)}）",
                date(due_year, due_month, _given(day)),
                period_from,
                period_to,
            ))
    elif rule.kind == ANNUAL:
        for fy in range(fiscal_year(start), fiscal_year(end) + 1):
            due = date(fy if _given(rule.month) >= 4 else fy + 1, _given(rule.month), _given(rule.day))
            if start <= due <= end:
                items.append(DueItem(
                    f"{rule.title}（{fy}年度）",
                    due,
                    max(start, date(fy, 4, 1)),
                    min(end, date(fy + 1, 3, 31)),
                ))
    elif rule.kind == AT_END:
        items.append(DueItem(rule.title, end))
    # INCIDENT は事前に展開しない。
    return sorted(items, key=lambda item: item.due)


def incident_due(recovered_on: date, weeks: int, *, shift_holidays: bool = False) -> date:
    """障害等の報告書の期限：「障害復旧作業後２週間以内」[004 仕様書 ９．納品物件 No.3]。

    起算日は障害の発生日ではなく、障害復旧作業を終えた日。初日不算入で 7 × weeks 日、末日が休日でも
    動かさない（契約の条件で翌開庁日にできる）。
    """
    recovered_on = _require_date(recovered_on, "障害復旧作業を終えた日")
    weeks = _require_positive_int(weeks, "週数")
    return _within(recovered_on, 7 * weeks, shift_holidays)

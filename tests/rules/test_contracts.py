"""契約の規則の検査。金額は手計算、日付は実際の暦（曜日・祝日は calendar で確かめる）から起こした。"""
from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from tender.rules import conditions
from tender.rules.calendar import holiday_name, is_administrative_holiday, is_working_day
from tender.rules.contracts import (
    AFTER_CONTRACT,
    ANNUAL,
    AT_END,
    FIXED,
    INCIDENT,
    INSPECTION_DAYS_CHOICES,
    KIND_LABELS,
    MONTHLY,
    PUBLICATION_DAYS,
    PUBLICATION_DAYS_APRIL,
    QUARTERLY,
    RULE_KINDS,
    Calculation,
    DueItem,
    DueRule,
    days_late,
    deemed_passed,
    describe,
    generate,
    incident_due,
    inspection_due,
    late_damages,
    payment_due,
    payment_processing_day,
    publication_deadline,
    rule_problems,
)

IPA = conditions.preset("ipa")


def termination_penalty(amount):
    return conditions.termination_penalty(IPA, conditions.penalty_base(IPA, amount=amount))


def penalty_interest(principal, deadline, paid_on, *rate):
    return conditions.penalty_interest(IPA, principal, deadline, paid_on, *rate)


D = date.fromisoformat


# ---------------------------------------------------------------------------
# 遅延日数・遅延損害金
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "done", "expected"),
    [
        ("2026-04-01", "2026-04-01", 0),  # 期限当日の履行は遅延でない
        ("2026-04-01", "2026-03-20", 0),  # 期限前
        ("2026-04-01", "2026-04-02", 1),
        ("2026-04-01", "2026-04-04", 3),
        ("2026-12-25", "2027-01-05", 11),  # 年をまたぐ（年末年始の休日も暦日で数える）
        ("2028-02-27", "2028-03-02", 4),  # 2月28日・29日・3月1日・2日
        ("2027-02-27", "2027-03-02", 3),  # 平年は2月29日がない
        ("2026-04-01", "2027-04-01", 365),
    ],
)
def test_days_late(due, done, expected):
    assert days_late(D(due), D(done)) == expected


@pytest.mark.parametrize(
    ("amount", "due", "delivered", "expected", "formula"),
    [
        (12_100_000, "2026-04-01", "2026-04-04", 36_300, "12,100,000円 × 1/1000 × 3日 = 36,300円（1円未満切捨て）"),
        # 12,345,678 × 1 / 1000 = 12,345.678 → 12,345
        (12_345_678, "2026-04-01", "2026-04-02", 12_345, "12,345,678円 × 1/1000 × 1日 = 12,345円（1円未満切捨て）"),
        # 12,345,678 × 45 / 1000 = 555,555.51 → 555,555
        (12_345_678, "2026-04-01", "2026-05-16", 555_555, "12,345,678円 × 1/1000 × 45日 = 555,555円（1円未満切捨て）"),
        # 年をまたぐ：12月26日～1月5日の11日
        (10_000_000, "2026-12-25", "2027-01-05", 110_000, "10,000,000円 × 1/1000 × 11日 = 110,000円（1円未満切捨て）"),
        # 閏年：2月28日・29日・3月1日・2日の4日。9,999,999 × 4 / 1000 = 39,999.996 → 39,999
        (9_999_999, "2028-02-27", "2028-03-02", 39_999, "9,999,999円 × 1/1000 × 4日 = 39,999円（1円未満切捨て）"),
        # 999 × 1 / 1000 = 0.999 → 0円（遅延はあるが1円未満）
        (999, "2026-04-01", "2026-04-02", 0, "999円 × 1/1000 × 1日 = 0円（1円未満切捨て）"),
        (Decimal("1000000"), "2026-04-01", "2026-04-11", 10_000, "1,000,000円 × 1/1000 × 10日 = 10,000円（1円未満切捨て）"),
    ],
)
def test_late_damages(amount, due, delivered, expected, formula):
    result = late_damages(amount, D(due), D(delivered))
    assert result == Calculation(expected, formula, "契約金額の1000分の1に相当する額に遅延日数を乗じた額")
    assert type(result.amount) is int


@pytest.mark.parametrize("delivered", ["2026-04-01", "2026-03-31", "2025-04-01"])
def test_no_late_damages_when_delivered_by_the_due_date(delivered):
    result = late_damages(12_100_000, D("2026-04-01"), D(delivered))
    assert result.amount == 0
    assert "遅延なし" in result.formula
    assert result.basis == "契約金額の1000分の1に相当する額に遅延日数を乗じた額"


def test_calculation_is_frozen():
    result = late_damages(12_100_000, D("2026-04-01"), D("2026-04-04"))
    with pytest.raises(FrozenInstanceError):
        result.amount = 0


# ---------------------------------------------------------------------------
# 違約金
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected", "formula"),
    [
        # 12,345,678 × 10/100 = 1,234,567.8 → 1,234,500（100円未満切捨て）
        (12_345_678, 1_234_500, "12,345,678円 × 10/100 = 1,234,567.8円 → 1,234,500円（100円未満切捨て）"),
        (12_000_000, 1_200_000, "12,000,000円 × 10/100 = 1,200,000円"),
        # 12,100,000 × 10/100 = 1,210,000（端数なし）
        (12_100_000, 1_210_000, "12,100,000円 × 10/100 = 1,210,000円"),
        # 1,234,599 × 10/100 = 123,459.9 → 123,400
        (1_234_599, 123_400, "1,234,599円 × 10/100 = 123,459.9円 → 123,400円（100円未満切捨て）"),
        (999, 0, "999円 × 10/100 = 99.9円 → 0円（100円未満切捨て）"),
        (1_000, 100, "1,000円 × 10/100 = 100円"),
        (1_990, 100, "1,990円 × 10/100 = 199円 → 100円（100円未満切捨て）"),
        (0, 0, "0円 × 10/100 = 0円"),
        (Decimal("12345678"), 1_234_500, "12,345,678円 × 10/100 = 1,234,567.8円 → 1,234,500円（100円未満切捨て）"),
    ],
)
def test_termination_penalty_is_ten_percent_cut_below_100_yen(amount, expected, formula):
    """IPA: 「契約金額の100分の10に相当する金額（その金額に100円未満の端数があるときはその端数を切り捨てる。）」
    [000・002 契約書 第13条第4項]."""
    result = termination_penalty(amount)
    assert result.amount == expected and result.formula == f"契約金額 {formula}"
    assert "100円未満" in result.basis and "第13条第4項" in result.basis
    assert type(result.amount) is int


# ---------------------------------------------------------------------------
# 遅延利息
# ---------------------------------------------------------------------------

INTEREST_BASIS = (
    "当該期間を経過した日から支払をする日までの日数に応じ、年3パーセントの割合で計算した金額"
    "（日割り：年365日当たり（閏年の日を含む期間も365日で割る）、1円未満切捨て）"
)


@pytest.mark.parametrize(
    ("principal", "deadline", "paid_on", "days", "expected"),
    [
        # 2028年1月31日 + 2月29日 + 3月1日 = 61日（IPA のプリセットは2月29日も数え、分母は365日のまま）
        # 1,000,000 × 0.03 × 61 / 365 = 5,013.69… → 5,013
        (1_000_000, "2027-12-31", "2028-03-01", 61, 5_013),
        # 平年の1年：365日 → ちょうど30,000
        (1_000_000, "2026-03-31", "2027-03-31", 365, 30_000),
        # 閏年の日を含む1年：366日 / 365 → 30,082.19… → 30,082（年利3%を超える）
        (1_000_000, "2027-03-31", "2028-03-31", 366, 30_082),
        # 1日：1,234,567 × 0.03 / 365 = 101.47… → 101
        (1_234_567, "2026-06-30", "2026-07-01", 1, 101),
        # 1,234,500 × 0.03 × 30 / 365 = 3,043.97… → 3,043
        (1_234_500, "2026-06-30", "2026-07-30", 30, 3_043),
        # 年末年始をまたいでも暦日で数える：12月29日～1月8日の11日。
        # 3,703,600 × 0.03 × 11 / 365 = 3,348.43… → 3,348
        (3_703_600, "2026-12-28", "2027-01-08", 11, 3_348),
        # 小さい額は0円になりうる：100 × 0.03 × 1 / 365 = 0.008…
        (100, "2026-06-30", "2026-07-01", 1, 0),
    ],
)
def test_penalty_interest(principal, deadline, paid_on, days, expected):
    result = penalty_interest(principal, D(deadline), D(paid_on))
    assert result.amount == expected
    assert type(result.amount) is int
    assert result.formula == f"{principal:,}円 × 年3% × {days}日 ÷ 365日 = {expected:,}円（1円未満切捨て）"
    assert result.basis == INTEREST_BASIS


@pytest.mark.parametrize("paid_on", ["2026-06-30", "2026-06-01", "2025-12-31"])
def test_no_penalty_interest_when_paid_by_the_deadline(paid_on):
    result = penalty_interest(1_000_000, D("2026-06-30"), D(paid_on))
    assert result.amount == 0
    assert "遅延なし" in result.formula
    assert result.basis == INTEREST_BASIS


@pytest.mark.parametrize(
    ("rate", "expected", "percent"),
    [
        (Decimal("0.05"), 10_000, "5"),  # 1,000,000 × 0.05 × 73 / 365 = 10,000
        (Decimal("0.025"), 5_000, "2.5"),
        (Decimal("0.1"), 20_000, "10"),
        (0, 0, "0"),
        (Decimal("0"), 0, "0"),
    ],
)
def test_penalty_interest_at_another_rate(rate, expected, percent):
    result = penalty_interest(1_000_000, D("2026-06-30"), D("2026-09-11"), rate)
    assert days_late(D("2026-06-30"), D("2026-09-11")) == 73
    assert result.amount == expected
    assert f"年{percent}%" in result.formula
    assert f"年{percent}パーセント" in result.basis


@pytest.mark.parametrize("rate", [0.03, True, "0.03", None])
def test_penalty_interest_refuses_a_float_or_bool_rate(rate):
    with pytest.raises(TypeError):
        penalty_interest(1_000_000, D("2026-06-30"), D("2026-07-30"), rate)


@pytest.mark.parametrize("rate", [Decimal("-0.01"), -1, Decimal("NaN"), Decimal("Infinity")])
def test_penalty_interest_refuses_a_negative_or_non_finite_rate(rate):
    with pytest.raises(ValueError):
        penalty_interest(1_000_000, D("2026-06-30"), D("2026-07-30"), rate)


# ---------------------------------------------------------------------------
# 金額と日付の型
# ---------------------------------------------------------------------------

CALCULATIONS = [
    lambda amount: late_damages(amount, D("2026-04-01"), D("2026-04-04")),
    lambda amount: termination_penalty(amount),
    lambda amount: conditions.collusion_amounts(conditions.preset("chiba"), amount),
    lambda amount: penalty_interest(amount, D("2026-04-01"), D("2026-04-04")),
]


@pytest.mark.parametrize("calculate", CALCULATIONS)
@pytest.mark.parametrize("amount", [12_100_000.0, 0.1, True, False, "12100000", None])
def test_amounts_must_be_int_or_decimal(calculate, amount):
    with pytest.raises(TypeError):
        calculate(amount)


@pytest.mark.parametrize("calculate", CALCULATIONS)
@pytest.mark.parametrize("amount", [-1, Decimal("-100"), Decimal("100.5"), Decimal("NaN")])
def test_amounts_must_be_whole_yen_and_not_negative(calculate, amount):
    with pytest.raises(ValueError):
        calculate(amount)


AWARE = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)

DATE_FUNCTIONS = [
    lambda d: days_late(d, D("2026-04-01")),
    lambda d: days_late(D("2026-04-01"), d),
    lambda d: late_damages(1_000, d, D("2026-04-01")),
    lambda d: penalty_interest(1_000, D("2026-04-01"), d),
    payment_due,
    payment_processing_day,
    lambda d: inspection_due(d, 10),
    lambda d: deemed_passed(D("2026-04-01"), 10, d),
    publication_deadline,
    lambda d: incident_due(d, 2),
]


@pytest.mark.parametrize("function", DATE_FUNCTIONS)
@pytest.mark.parametrize("value", [AWARE, "2026-04-01", None])
def test_dates_must_be_dates_not_datetimes(function, value):
    with pytest.raises(TypeError):
        function(value)


# ---------------------------------------------------------------------------
# 支払期限
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-01-31", "2026-02-28"),  # 平年
        ("2027-01-31", "2027-02-28"),
        ("2028-01-31", "2028-02-29"),  # 閏年
        ("2028-01-01", "2028-02-29"),
        ("2026-01-01", "2026-02-28"),
        ("2026-12-01", "2027-01-31"),  # 12月受理 → 翌年1月末日
        ("2026-12-31", "2027-01-31"),
        ("2026-12-28", "2027-01-31"),
        ("2026-03-01", "2026-04-30"),  # 月の初日
        ("2026-03-31", "2026-04-30"),  # 月の末日
        ("2026-02-28", "2026-03-31"),
        ("2028-02-29", "2028-03-31"),
        ("2026-04-30", "2026-05-31"),  # 5月31日は日曜日だが期日なので動かさない
        ("2026-11-15", "2026-12-31"),  # 12月31日は年末年始の休日だが動かさない
        ("2029-03-15", "2029-04-30"),  # 振替休日でも動かさない
    ],
)
def test_payment_due_is_the_end_of_the_next_month(received, expected):
    assert payment_due(D(received)) == D(expected)


def test_payment_due_does_not_move_for_holidays():
    assert is_administrative_holiday(D("2026-05-31"))  # 日曜日
    assert payment_due(D("2026-04-01")) == D("2026-05-31")


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("2026-03-31", "2026-03-31"),  # 火曜日：そのまま
        ("2028-02-29", "2028-02-29"),  # 火曜日
        ("2026-02-28", "2026-02-27"),  # 土曜日 → 金曜日
        ("2026-10-31", "2026-10-30"),  # 土曜日
        ("2026-05-31", "2026-05-29"),  # 日曜日 → 金曜日
        ("2027-01-31", "2027-01-29"),  # 日曜日
        ("2024-03-31", "2024-03-29"),  # 日曜日
        ("2029-04-30", "2029-04-27"),  # 月曜日の振替休日、その前は土日・昭和の日 → 金曜日
        ("2026-12-31", "2026-12-28"),  # 年末年始（12月29日～）→ 12月28日（月）
        ("2027-12-31", "2027-12-28"),  # 12月28日（火）
        ("2025-12-31", "2025-12-26"),  # 12月27日・28日が土日 → 12月26日（金）
        ("2027-01-03", "2026-12-28"),  # 1月3日までは年末年始
        ("2026-05-06", "2026-05-01"),  # 大型連休（5月2日～6日）
    ],
)
def test_payment_processing_day_is_the_last_working_day_on_or_before(due, expected):
    result = payment_processing_day(D(due))
    assert result == D(expected)
    assert is_working_day(result)


def test_holidays_used_for_payment_processing_are_real():
    assert holiday_name(D("2029-04-30")) == "振替休日"
    assert holiday_name(D("2029-04-29")) == "昭和の日"
    assert D("2026-12-31").weekday() == 3  # 木曜日（年末年始の休日）
    assert not holiday_name(D("2026-12-31"))
    assert is_administrative_holiday(D("2026-12-31"))


@pytest.mark.parametrize(
    ("received", "processing"),
    [
        ("2026-04-01", "2026-05-29"),
        ("2026-11-30", "2026-12-28"),
        ("2026-12-10", "2027-01-29"),
        ("2026-02-10", "2026-03-31"),
    ],
)
def test_payment_due_then_processing_day(received, processing):
    assert payment_processing_day(payment_due(D(received))) == D(processing)


# ---------------------------------------------------------------------------
# 検査期限・みなし合格
# ---------------------------------------------------------------------------


def test_inspection_days_choices():
    assert INSPECTION_DAYS_CHOICES == (10, 30)


@pytest.mark.parametrize(
    ("delivered", "days", "expected"),
    [
        ("2026-04-20", 10, "2026-04-30"),  # 木曜日：そのまま
        ("2026-05-01", 10, "2026-05-11"),  # 月曜日
        ("2026-06-10", 10, "2026-06-22"),  # 6月20日（土）→ 22日（月）
        ("2026-06-11", 10, "2026-06-22"),  # 6月21日（日）→ 22日（月）
        ("2026-04-22", 10, "2026-05-07"),  # 5月2日（土）、連休明けの5月7日（木）
        ("2026-04-24", 10, "2026-05-07"),  # 5月4日（みどりの日）
        ("2026-04-26", 10, "2026-05-07"),  # 5月6日（振替休日）
        ("2027-04-23", 10, "2027-05-06"),  # 5月3日（憲法記念日）→ 5月6日（木）
        ("2026-12-19", 10, "2027-01-04"),  # 12月29日（年末年始）→ 1月4日（月）
        ("2026-12-20", 10, "2027-01-04"),  # 12月30日
        ("2026-04-06", 30, "2026-05-07"),  # 5月6日（振替休日）
        ("2026-04-03", 30, "2026-05-07"),  # 5月3日（憲法記念日・日曜日）
        ("2026-11-30", 30, "2027-01-04"),  # 12月30日
        ("2026-12-01", 30, "2027-01-04"),  # 12月31日
        ("2026-03-02", 30, "2026-04-01"),  # 水曜日
        ("2026-01-30", 30, "2026-03-02"),  # 3月1日（日）→ 3月2日（月）
    ],
)
def test_inspection_due_moved_off_holidays_when_the_contract_says_so(delivered, days, expected):
    assert inspection_due(D(delivered), days, shift_holidays=True) == D(expected)
    # The seeds' text counts calendar days [000/002 第8条]: the default does not move.
    assert inspection_due(D(delivered), days) == D(delivered) + timedelta(days=days)


def test_holidays_used_for_inspection_are_real():
    assert holiday_name(D("2026-05-04")) == "みどりの日"
    assert holiday_name(D("2026-05-06")) == "振替休日"
    assert holiday_name(D("2027-05-03")) == "憲法記念日"
    assert is_working_day(D("2026-05-07")) and is_working_day(D("2027-01-04"))


@pytest.mark.parametrize("days", [0, -1])
def test_inspection_days_must_be_positive(days):
    with pytest.raises(ValueError):
        inspection_due(D("2026-04-20"), days)


@pytest.mark.parametrize("days", [10.0, True, "10", None])
def test_inspection_days_must_be_an_int(days):
    with pytest.raises(TypeError):
        inspection_due(D("2026-04-20"), days)


@pytest.mark.parametrize(
    ("delivered", "days", "today", "expected"),
    [
        ("2026-04-20", 10, "2026-04-29", False),
        ("2026-04-20", 10, "2026-04-30", False),  # 満了日の当日はまだ通知できる
        ("2026-04-20", 10, "2026-05-01", True),  # 満了日の翌日
        ("2026-04-22", 10, "2026-05-02", False),  # 暦の10日目は土曜日：期間は5月7日まで延びる
        ("2026-04-22", 10, "2026-05-06", False),
        ("2026-04-22", 10, "2026-05-07", False),
        ("2026-04-22", 10, "2026-05-08", True),
        ("2026-12-01", 30, "2027-01-04", False),
        ("2026-12-01", 30, "2027-01-05", True),
        ("2026-04-20", 10, "2026-04-20", False),  # 納入当日
    ],
)
def test_deemed_passed_with_deadlines_moved_off_holidays(delivered, days, today, expected):
    assert deemed_passed(D(delivered), days, D(today), shift_holidays=True) is expected


def test_deemed_passed_by_the_text_the_day_after_the_calendar_deadline():
    """「当該期間満了日をもって…合格したものとみなす」[002 第8条第2項]: 4月22日 + 10日 = 5月2日（土）."""
    assert deemed_passed(D("2026-04-22"), 10, D("2026-05-02")) is False
    assert deemed_passed(D("2026-04-22"), 10, D("2026-05-03")) is True


# ---------------------------------------------------------------------------
# 契約の公表期限
# ---------------------------------------------------------------------------


def test_publication_days():
    assert (PUBLICATION_DAYS, PUBLICATION_DAYS_APRIL) == (72, 93)


@pytest.mark.parametrize(
    ("contract_date", "expected"),
    [
        # 3月31日＋72日：4月30日、5月31日、6月11日（木）
        ("2026-03-31", "2026-06-11"),
        ("2025-03-31", "2025-06-11"),
        # 4月1日＋93日：4月29日、5月31日、6月30日、7月3日（金）
        ("2026-04-01", "2026-07-03"),
        ("2025-04-01", "2025-07-03"),
        # 4月30日＋93日＝8月1日（土）→ 8月3日（月）
        ("2026-04-30", "2026-08-03"),
        # 5月1日は72日：7月12日（日）→ 7月13日（月）
        ("2026-05-01", "2026-07-13"),
        # 5月9日＋72日＝7月20日（海の日）→ 7月21日（火）
        ("2026-05-09", "2026-07-21"),
        # 10月19日＋72日＝12月30日（年末年始）→ 1月4日（月）
        ("2026-10-19", "2027-01-04"),
    ],
)
def test_publication_deadline_moved_off_holidays_when_the_contract_says_so(contract_date, expected):
    assert publication_deadline(D(contract_date), shift_holidays=True) == D(expected)
    days = 93 if D(contract_date).month == 4 else 72
    assert publication_deadline(D(contract_date)) == D(contract_date) + timedelta(days=days)


def test_publication_deadline_holiday_is_real():
    assert holiday_name(D("2026-07-20")) == "海の日"
    assert D("2026-08-01").weekday() == 5


# ---------------------------------------------------------------------------
# 提出物の期限：規則の展開
# ---------------------------------------------------------------------------


def test_rule_kinds_and_labels():
    assert RULE_KINDS == (FIXED, AFTER_CONTRACT, MONTHLY, QUARTERLY, ANNUAL, AT_END, INCIDENT)
    assert (FIXED, AFTER_CONTRACT, MONTHLY, QUARTERLY, ANNUAL, AT_END, INCIDENT) == (
        "fixed", "after_contract", "monthly", "quarterly", "annual", "at_end", "incident",
    )
    assert set(KIND_LABELS) == set(RULE_KINDS)
    assert all(isinstance(label, str) and label for label in KIND_LABELS.values())


def test_seed_000_quarterly_operation_reports():
    """[000 2.2] 運用実績報告書：四半期ごとに翌月7日まで（10～12月分は翌年1月10日）。"""
    rule = DueRule(QUARTERLY, "運用実績報告書", day=7, december_day=10)
    items = generate(rule, D("2022-04-01"), D("2023-03-31"))
    assert items == [
        DueItem("運用実績報告書（第1回：2022年4月1日～2022年6月30日）", D("2022-07-07"), D("2022-04-01"), D("2022-06-30")),
        DueItem("運用実績報告書（第2回：2022年7月1日～2022年9月30日）", D("2022-10-07"), D("2022-07-01"), D("2022-09-30")),
        DueItem("運用実績報告書（第3回：2022年10月1日～2022年12月31日）", D("2023-01-10"), D("2022-10-01"), D("2022-12-31")),
        DueItem("運用実績報告書（第4回：2023年1月1日～2023年3月31日）", D("2023-04-07"), D("2023-01-01"), D("2023-03-31")),
    ]


def test_quarterly_dates_are_not_moved_for_holidays():
    # 2023年1月10日は火曜日だが、2026年度なら 2026年10月7日（水）、2027年1月10日（日）、2027年4月7日（水）。
    items = generate(DueRule(QUARTERLY, "報告書", day=7, december_day=10), D("2026-04-01"), D("2027-03-31"))
    assert [item.due for item in items] == [D("2026-07-07"), D("2026-10-07"), D("2027-01-10"), D("2027-04-07")]
    assert is_administrative_holiday(D("2027-01-10"))


def test_quarterly_without_december_day_uses_day():
    items = generate(DueRule(QUARTERLY, "報告書", day=20), D("2026-04-01"), D("2027-03-31"))
    assert [item.due for item in items] == [D("2026-07-20"), D("2026-10-20"), D("2027-01-20"), D("2027-04-20")]


def test_quarterly_over_a_period_starting_and_ending_mid_quarter():
    items = generate(DueRule(QUARTERLY, "報告書", day=7, december_day=10), D("2026-05-15"), D("2027-02-14"))
    assert items == [
        DueItem("報告書（第1回：2026年5月15日～2026年6月30日）", D("2026-07-07"), D("2026-05-15"), D("2026-06-30")),
        DueItem("報告書（第2回：2026年7月1日～2026年9月30日）", D("2026-10-07"), D("2026-07-01"), D("2026-09-30")),
        DueItem("報告書（第3回：2026年10月1日～2026年12月31日）", D("2027-01-10"), D("2026-10-01"), D("2026-12-31")),
        DueItem("報告書（第4回：2027年1月1日～2027年2月14日）", D("2027-04-07"), D("2027-01-01"), D("2027-02-14")),
    ]


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("2026-04-01", "2026-06-30", 1),
        ("2026-06-30", "2026-07-01", 2),
        ("2026-01-01", "2026-12-31", 4),  # 暦年の契約：1～3月、4～6月、7～9月、10～12月
        ("2026-02-01", "2026-02-01", 1),
    ],
)
def test_quarterly_counts(start, end, count):
    assert len(generate(DueRule(QUARTERLY, "報告書", day=7), D(start), D(end))) == count


def test_quarterly_calendar_year_contract_starts_with_january_quarter():
    items = generate(DueRule(QUARTERLY, "報告書", day=7, december_day=10), D("2026-01-01"), D("2026-12-31"))
    assert [(item.period_from, item.period_to, item.due) for item in items] == [
        (D("2026-01-01"), D("2026-03-31"), D("2026-04-07")),
        (D("2026-04-01"), D("2026-06-30"), D("2026-07-07")),
        (D("2026-07-01"), D("2026-09-30"), D("2026-10-07")),
        (D("2026-10-01"), D("2026-12-31"), D("2027-01-10")),
    ]


# [004 §9] 作業実績報告書：毎月末から10日以内、ただし各年度の最終月分は当該月の最終日。
# 期限は period_end(月末日, 10)：休日なら翌開庁日。
MONTHLY_FY2026 = [
    ("2026-04-01", "2026-04-30", "2026-05-11"),  # 5月10日（日）→ 11日（月）
    ("2026-05-01", "2026-05-31", "2026-06-10"),
    ("2026-06-01", "2026-06-30", "2026-07-10"),
    ("2026-07-01", "2026-07-31", "2026-08-10"),
    ("2026-08-01", "2026-08-31", "2026-09-10"),
    ("2026-09-01", "2026-09-30", "2026-10-13"),  # 10月10日（土）・11日（日）・12日（スポーツの日）
    ("2026-10-01", "2026-10-31", "2026-11-10"),
    ("2026-11-01", "2026-11-30", "2026-12-10"),
    ("2026-12-01", "2026-12-31", "2027-01-12"),  # 1月10日（日）・11日（成人の日）
    ("2027-01-01", "2027-01-31", "2027-02-10"),
    ("2027-02-01", "2027-02-28", "2027-03-10"),
]


def test_monthly_work_reports_over_a_fiscal_year_with_the_march_option():
    rule = DueRule(MONTHLY, "作業実績報告書", days=10, fiscal_year_last_month_on_month_end=True)
    items = generate(rule, D("2026-04-01"), D("2027-03-31"), shift_holidays=True)
    expected = [
        DueItem(f"作業実績報告書（{D(first).year}年{D(first).month}月分）", D(due), D(first), D(last))
        for first, last, due in MONTHLY_FY2026
    ] + [DueItem("作業実績報告書（2027年3月分）", D("2027-03-31"), D("2027-03-01"), D("2027-03-31"))]
    assert items == expected
    assert items[0].title == "作業実績報告書（2026年4月分）"


def test_monthly_holidays_used_are_real():
    assert holiday_name(D("2026-10-12")) == "スポーツの日"
    assert holiday_name(D("2027-01-11")) == "成人の日"
    assert D("2026-05-10").weekday() == 6


def test_monthly_without_the_march_option_moves_march_to_april():
    items = generate(DueRule(MONTHLY, "作業実績報告書", days=10), D("2026-04-01"), D("2027-03-31"), shift_holidays=True)
    assert [item.due for item in items[:-1]] == [D(due) for _, _, due in MONTHLY_FY2026]
    # 3月31日＋10日＝4月10日（土）→ 4月12日（月）
    assert items[-1].due == D("2027-04-12")


def test_monthly_march_option_uses_march_31_even_on_a_sunday():
    rule = DueRule(MONTHLY, "作業実績報告書", days=10, fiscal_year_last_month_on_month_end=True)
    items = generate(rule, D("2023-04-01"), D("2024-03-31"), shift_holidays=True)
    assert items[-1].due == D("2024-03-31")
    assert D("2024-03-31").weekday() == 6


def test_monthly_period_starting_on_the_15th():
    items = generate(DueRule(MONTHLY, "作業実績報告書", days=10), D("2026-04-15"), D("2026-09-14"), shift_holidays=True)
    assert [(item.period_from, item.period_to, item.due) for item in items] == [
        (D("2026-04-15"), D("2026-04-30"), D("2026-05-11")),
        (D("2026-05-01"), D("2026-05-31"), D("2026-06-10")),
        (D("2026-06-01"), D("2026-06-30"), D("2026-07-10")),
        (D("2026-07-01"), D("2026-07-31"), D("2026-08-10")),
        (D("2026-08-01"), D("2026-08-31"), D("2026-09-10")),
        # 最後の月は9月14日までだが、期限は月末（9月30日）から数える
        (D("2026-09-01"), D("2026-09-14"), D("2026-10-13")),
    ]
    assert items[0].title == "作業実績報告書（2026年4月分）"


def test_monthly_single_day_period():
    items = generate(DueRule(MONTHLY, "報告書", days=5), D("2026-06-15"), D("2026-06-15"), shift_holidays=True)
    # 6月30日＋5日＝7月5日（日）→ 7月6日（月）
    assert items == [DueItem("報告書（2026年6月分）", D("2026-07-06"), D("2026-06-15"), D("2026-06-15"))]


START_60, END_60 = D("2026-04-01"), D("2031-03-31")


def test_60_month_monthly_schedule():
    items = generate(DueRule(MONTHLY, "作業実績報告書", days=10), START_60, END_60, shift_holidays=True)
    assert len(items) == 60
    assert items[0] == DueItem("作業実績報告書（2026年4月分）", D("2026-05-11"), D("2026-04-01"), D("2026-04-30"))
    # 2031年3月31日＋10日＝4月10日（木）
    assert items[-1] == DueItem("作業実績報告書（2031年3月分）", D("2031-04-10"), D("2031-03-01"), D("2031-03-31"))
    assert len({item.title for item in items}) == 60
    assert [item.due for item in items] == sorted(item.due for item in items)
    assert all(is_working_day(item.due) for item in items)


def test_60_month_monthly_schedule_with_the_march_option():
    rule = DueRule(MONTHLY, "作業実績報告書", days=10, fiscal_year_last_month_on_month_end=True)
    items = generate(rule, START_60, END_60, shift_holidays=True)
    assert len(items) == 60
    march = [item.due for item in items if item.period_from.month == 3]
    assert march == [D(f"{year}-03-31") for year in range(2027, 2032)]


def test_60_month_quarterly_schedule():
    items = generate(DueRule(QUARTERLY, "運用実績報告書", day=7, december_day=10), START_60, END_60)
    assert len(items) == 20
    assert items[0].due == D("2026-07-07")
    assert items[0].title == "運用実績報告書（第1回：2026年4月1日～2026年6月30日）"
    assert items[-1].due == D("2031-04-07")
    assert items[-1].title == "運用実績報告書（第20回：2031年1月1日～2031年3月31日）"
    assert [item.due for item in items if item.due.month == 1] == [D(f"{y}-01-10") for y in range(2027, 2032)]


@pytest.mark.parametrize(
    ("month", "day", "dues"),
    [
        (3, 31, ["2027-03-31", "2028-03-31", "2029-03-31", "2030-03-31", "2031-03-31"]),
        (4, 7, ["2026-04-07", "2027-04-07", "2028-04-07", "2029-04-07", "2030-04-07"]),
        (10, 10, ["2026-10-10", "2027-10-10", "2028-10-10", "2029-10-10", "2030-10-10"]),
    ],
)
def test_60_month_annual_schedule(month, day, dues):
    items = generate(DueRule(ANNUAL, "年次報告書", month=month, day=day), START_60, END_60)
    assert [item.due for item in items] == [D(due) for due in dues]
    assert items[0].title == "年次報告書（2026年度）"
    assert items[-1].title == "年次報告書（2030年度）"
    assert (items[0].period_from, items[0].period_to) == (D("2026-04-01"), D("2027-03-31"))


def test_annual_dates_are_not_moved_for_holidays():
    # 2024年3月31日は日曜日、2026年10月10日は土曜日。どちらも期日なのでそのまま。
    items = generate(DueRule(ANNUAL, "年度末報告", month=3, day=31), D("2023-04-01"), D("2024-03-31"))
    assert items == [DueItem("年度末報告（2023年度）", D("2024-03-31"), D("2023-04-01"), D("2024-03-31"))]
    assert is_administrative_holiday(D("2024-03-31"))
    items = generate(DueRule(ANNUAL, "計画書", month=10, day=10), D("2026-04-01"), D("2027-03-31"))
    assert [item.due for item in items] == [D("2026-10-10")]


@pytest.mark.parametrize(
    ("start", "end", "dues"),
    [
        # 期間の外の日は出さない
        ("2026-04-08", "2027-03-31", []),
        ("2026-04-07", "2027-04-06", ["2026-04-07"]),
        ("2026-04-08", "2027-04-07", ["2027-04-07"]),
        ("2026-01-01", "2026-12-31", ["2026-04-07"]),
    ],
)
def test_annual_keeps_only_dates_in_the_period(start, end, dues):
    items = generate(DueRule(ANNUAL, "報告", month=4, day=7), D(start), D(end))
    assert [item.due for item in items] == [D(due) for due in dues]


def test_annual_clips_the_fiscal_year_to_the_contract():
    items = generate(DueRule(ANNUAL, "報告", month=3, day=31), D("2026-10-01"), D("2027-12-31"))
    assert items == [DueItem("報告（2026年度）", D("2027-03-31"), D("2026-10-01"), D("2027-03-31"))]


def test_fixed_date_is_not_moved():
    assert holiday_name(D("2026-05-03")) == "憲法記念日"
    items = generate(DueRule(FIXED, "納品", on=D("2026-05-03")), D("2026-04-01"), D("2027-03-31"))
    assert items == [DueItem("納品", D("2026-05-03"))]


def test_after_contract_counts_from_the_contract_date():
    rule = DueRule(AFTER_CONTRACT, "業務計画書", days=7)
    # 契約日を省くと契約期間の初日：4月1日＋7日＝4月8日（水）
    assert generate(rule, D("2026-04-01"), D("2027-03-31")) == [DueItem("業務計画書", D("2026-04-08"))]
    # 契約日3月25日＋7日＝4月1日（水）
    assert generate(rule, D("2026-04-01"), D("2027-03-31"), contract_date=D("2026-03-25")) == [
        DueItem("業務計画書", D("2026-04-01"))
    ]
    # 4月24日＋10日＝5月4日（みどりの日）：「契約日から７日以内」[004 ９．No.1] の文言どおり動かさない；
    # 契約の条件で休日を動かすなら 5月7日（木）
    rule10 = DueRule(AFTER_CONTRACT, "業務計画書", days=10)
    assert generate(rule10, D("2026-04-24"), D("2027-03-31"))[0].due == D("2026-05-04")
    assert generate(rule10, D("2026-04-24"), D("2027-03-31"), shift_holidays=True)[0].due == D("2026-05-07")


def test_monthly_reports_keep_the_calendar_day_by_default():
    """「毎月末から 10 日以内」[004 ９．No.4]: 2026年4月分 → 5月10日（日）のまま."""
    items = generate(DueRule(MONTHLY, "作業実績報告書", days=10), D("2026-04-01"), D("2026-06-30"))
    assert [i.due for i in items] == [D("2026-05-10"), D("2026-06-10"), D("2026-07-10")]


def test_at_end_is_the_last_day_of_the_contract():
    items = generate(DueRule(AT_END, "完了報告書"), D("2026-04-01"), D("2027-03-31"))
    assert items == [DueItem("完了報告書", D("2027-03-31"))]


def test_incident_generates_nothing_in_advance():
    assert generate(DueRule(INCIDENT, "障害報告書", weeks=2), D("2026-04-01"), D("2027-03-31")) == []


@pytest.mark.parametrize(
    ("incident_on", "weeks", "expected"),
    [
        ("2026-06-01", 1, "2026-06-08"),  # 月曜日
        ("2026-06-01", 2, "2026-06-15"),
        ("2026-04-22", 2, "2026-05-07"),  # 5月6日（振替休日）→ 7日（木）
        ("2026-12-17", 2, "2027-01-04"),  # 12月31日 → 1月4日（月）
        ("2026-04-01", 52, "2027-03-31"),  # 364日後
    ],
)
def test_incident_report_due_weeks_after_the_recovery_work(incident_on, weeks, expected):
    """「障害復旧作業後２週間以内」[004 仕様書 ９．No.3]: counted from the day recovery ended."""
    assert incident_due(D(incident_on), weeks, shift_holidays=True) == D(expected)
    assert incident_due(D(incident_on), weeks) == D(incident_on) + timedelta(days=7 * weeks)


@pytest.mark.parametrize(("weeks", "error"), [(0, ValueError), (-1, ValueError), (1.0, TypeError), (True, TypeError)])
def test_incident_due_refuses_bad_weeks(weeks, error):
    with pytest.raises(error):
        incident_due(D("2026-06-01"), weeks)


def test_generated_items_are_sorted_by_due_date():
    rule = DueRule(MONTHLY, "報告書", days=30, fiscal_year_last_month_on_month_end=True)
    items = generate(rule, D("2026-04-01"), D("2027-03-31"))
    # 2月分：2月28日＋30日＝3月30日（火）、3月分：3月31日
    assert items[-2].due == D("2027-03-30")
    assert items[-1].due == D("2027-03-31")
    assert [item.due for item in items] == sorted(item.due for item in items)


def test_generate_refuses_an_end_before_the_start():
    with pytest.raises(ValueError, match="契約期間の末日が初日より前です"):
        generate(DueRule(AT_END, "完了報告書"), D("2027-03-31"), D("2026-04-01"))


def test_generate_refuses_an_invalid_rule_with_the_message():
    with pytest.raises(ValueError, match="「日数」を指定してください。"):
        generate(DueRule(MONTHLY, "作業実績報告書"), D("2026-04-01"), D("2027-03-31"))


@pytest.mark.parametrize("value", [datetime(2026, 4, 1, tzinfo=UTC), "2026-04-01"])
def test_generate_refuses_datetimes_and_strings(value):
    rule = DueRule(AT_END, "完了報告書")
    with pytest.raises(TypeError):
        generate(rule, value, D("2027-03-31"))
    with pytest.raises(TypeError):
        generate(rule, D("2026-04-01"), value)
    with pytest.raises(TypeError):
        generate(rule, D("2026-04-01"), D("2027-03-31"), contract_date=value)


# ---------------------------------------------------------------------------
# 規則の検査と説明
# ---------------------------------------------------------------------------

VALID_RULES = [
    DueRule(FIXED, "納品", on=D("2026-06-30")),
    DueRule(AFTER_CONTRACT, "業務計画書", days=7),
    DueRule(MONTHLY, "作業実績報告書", days=10),
    DueRule(MONTHLY, "作業実績報告書", days=10, fiscal_year_last_month_on_month_end=True),
    DueRule(QUARTERLY, "運用実績報告書", day=7, december_day=10),
    DueRule(QUARTERLY, "運用実績報告書", day=28),
    DueRule(ANNUAL, "年度末報告", month=3, day=31),
    DueRule(ANNUAL, "報告", month=2, day=28),
    DueRule(AT_END, "完了報告書"),
    DueRule(INCIDENT, "障害報告書", weeks=2),
    DueRule(AFTER_CONTRACT, "計画", days=365),
    DueRule(INCIDENT, "障害報告書", weeks=52),
]


@pytest.mark.parametrize("rule", VALID_RULES)
def test_valid_rules_have_no_problems(rule):
    assert rule_problems(rule) == []
    assert rule_problems(rule, D("2026-04-01"), D("2027-03-31")) == []


@pytest.mark.parametrize(
    ("rule", "problems"),
    [
        (DueRule("weekly", "報告書"),
         ["「種類」は fixed, after_contract, monthly, quarterly, annual, at_end, incident のいずれかです。"]),
        (DueRule(AT_END, ""), ["「提出物の名称」を入力してください。"]),
        (DueRule(AT_END, "　 "), ["「提出物の名称」を入力してください。"]),
        (DueRule(FIXED, "納品"), ["「期日」を指定してください。"]),
        (DueRule(AFTER_CONTRACT, "計画"), ["「日数」を指定してください。"]),
        (DueRule(AFTER_CONTRACT, "計画", days=0), ["「日数」は1以上365以下の整数で指定してください。"]),
        (DueRule(AFTER_CONTRACT, "計画", days=-7), ["「日数」は1以上365以下の整数で指定してください。"]),
        (DueRule(AFTER_CONTRACT, "計画", days=366), ["「日数」は1以上365以下の整数で指定してください。"]),
        (DueRule(MONTHLY, "報告"), ["「日数」を指定してください。"]),
        (DueRule(MONTHLY, "報告", days=1000), ["「日数」は1以上365以下の整数で指定してください。"]),
        (DueRule(QUARTERLY, "報告"), ["「期限の日」を指定してください。"]),
        (DueRule(QUARTERLY, "報告", day=0), ["「期限の日」は1以上28以下の整数で指定してください。"]),
        (DueRule(QUARTERLY, "報告", day=29), ["「期限の日」は1以上28以下の整数で指定してください。"]),
        (DueRule(QUARTERLY, "報告", day=7, december_day=31),
         ["「10〜12月分の期限の日」は1以上28以下の整数で指定してください。"]),
        (DueRule(ANNUAL, "報告"), ["「月」を指定してください。", "「期限の日」を指定してください。"]),
        (DueRule(ANNUAL, "報告", month=13, day=1), ["「月」は1以上12以下の整数で指定してください。"]),
        (DueRule(ANNUAL, "報告", month=0, day=1), ["「月」は1以上12以下の整数で指定してください。"]),
        (DueRule(ANNUAL, "報告", month=3, day=32), ["「期限の日」は1以上31以下の整数で指定してください。"]),
        (DueRule(ANNUAL, "報告", month=2, day=30), ["2月30日は毎年ある日ではありません。"]),
        (DueRule(ANNUAL, "報告", month=2, day=29), ["2月29日は毎年ある日ではありません。"]),
        (DueRule(ANNUAL, "報告", month=4, day=31), ["4月31日は毎年ある日ではありません。"]),
        (DueRule(INCIDENT, "障害報告書"), ["「週数」を指定してください。"]),
        (DueRule(INCIDENT, "障害報告書", weeks=0), ["「週数」は1以上52以下の整数で指定してください。"]),
        (DueRule(INCIDENT, "障害報告書", weeks=53), ["「週数」は1以上52以下の整数で指定してください。"]),
        (DueRule(MONTHLY, "", days=0), ["「提出物の名称」を入力してください。", "「日数」は1以上365以下の整数で指定してください。"]),
    ],
)
def test_rule_problems(rule, problems):
    assert rule_problems(rule) == problems


@pytest.mark.parametrize(
    ("on", "problems"),
    [
        ("2026-04-01", []),
        ("2027-03-31", []),
        ("2028-03-31", []),  # 末日の1年後まではよい（契約終了後の提出物）
        ("2028-04-01", ["「期日」が契約期間の末日（2027年3月31日）の1年後より後です。"]),
        ("2026-03-31", ["「期日」が契約期間の初日（2026年4月1日）より前です。"]),
    ],
)
def test_fixed_date_must_be_near_the_contract_period(on, problems):
    rule = DueRule(FIXED, "納品", on=D(on))
    assert rule_problems(rule, D("2026-04-01"), D("2027-03-31")) == problems
    assert rule_problems(rule) == []


def test_fixed_date_out_of_the_period_is_refused_by_generate():
    with pytest.raises(ValueError, match="1年後より後です"):
        generate(DueRule(FIXED, "納品", on=D("2030-01-01")), D("2026-04-01"), D("2027-03-31"))


def test_rule_problems_reports_a_reversed_period():
    assert rule_problems(DueRule(AT_END, "完了報告書"), D("2027-03-31"), D("2026-04-01")) == [
        "契約期間の末日が初日より前です。"
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("days", 10.0),
        ("days", True),
        ("days", "10"),
        ("day", 7.0),
        ("december_day", False),
        ("month", 3.0),
        ("weeks", Decimal("2")),
        ("on", datetime(2026, 4, 1, tzinfo=UTC)),
        ("on", "2026-04-01"),
        ("fiscal_year_last_month_on_month_end", 1),
        ("title", None),
        ("kind", None),
    ],
)
def test_due_rule_refuses_wrong_types(field, value):
    arguments = {"kind": MONTHLY, "title": "報告書", field: value}
    with pytest.raises(TypeError):
        DueRule(**arguments)


def test_due_rule_and_item_are_frozen():
    rule = DueRule(MONTHLY, "報告書", days=10)
    with pytest.raises(FrozenInstanceError):
        rule.days = 20
    item = DueItem("報告書", D("2026-04-01"))
    assert (item.period_from, item.period_to) == (None, None)
    with pytest.raises(FrozenInstanceError):
        item.due = D("2026-04-02")


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (DueRule(MONTHLY, "作業実績報告書", days=10, fiscal_year_last_month_on_month_end=True),
         "各月末日の後10日以内（年度の最終月分は当該月の末日）"),
        (DueRule(MONTHLY, "作業実績報告書", days=10), "各月末日の後10日以内"),
        (DueRule(QUARTERLY, "運用実績報告書", day=7, december_day=10), "四半期ごとに翌月7日まで（10〜12月分は翌年1月10日）"),
        (DueRule(QUARTERLY, "運用実績報告書", day=7), "四半期ごとに翌月7日まで"),
        (DueRule(QUARTERLY, "運用実績報告書", day=7, december_day=7), "四半期ごとに翌月7日まで"),
        (DueRule(ANNUAL, "年度末報告", month=3, day=31), "各年度の3月31日"),
        (DueRule(ANNUAL, "報告", month=10, day=10), "各年度の10月10日"),
        (DueRule(AFTER_CONTRACT, "業務計画書", days=7), "契約日から7日以内"),
        (DueRule(INCIDENT, "障害報告書", weeks=2), "障害復旧作業後2週間以内"),
        (DueRule(AT_END, "完了報告書"), "契約期間の末日"),
        (DueRule(FIXED, "納品", on=D("2026-06-30")), "2026年6月30日"),
    ],
)
def test_describe(rule, text):
    assert describe(rule) == text


def test_describe_refuses_an_invalid_rule():
    with pytest.raises(ValueError, match="「日数」を指定してください。"):
        describe(DueRule(MONTHLY, "作業実績報告書"))


def test_rule_problems_needs_a_rule():
    with pytest.raises(TypeError):
        rule_problems({"kind": MONTHLY, "title": "報告書", "days": 10})


@pytest.mark.parametrize("contract_date, days", [
    (D("2026-03-31"), 72), (D("2026-04-01"), 93), (D("2026-04-30"), 93), (D("2026-05-01"), 72)])
def test_publication_days_by_month_of_the_contract(contract_date, days):
    from tender.rules.contracts import publication_days

    assert publication_days(contract_date) == days

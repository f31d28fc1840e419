"""発注者の支払遅延の遅延利息 [000・002 契約書 第10条第2項、政府契約の支払遅延防止等に関する法律 第8条]:
the Finance Minister's rate as a dated table with its 告示, the rate of the contract's date, and the
100-yen cut of 第8条第2項."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tender.rules.conditions import PRESETS, from_dict
from tender.rules.late_payment import CONFIRMED, RATES, authority_interest, contract_rate, parse_percent, rate_on

IPA = PRESETS["ipa"]
ACTUAL = from_dict({"interest_day_count": "actual"})


def test_the_table_is_in_date_order_and_each_change_names_its_notice():
    days = [r.effective_from for r in RATES]
    assert days == sorted(days) and len(set(days)) == len(days)
    assert all("財務省告示第" in r.notice for r in RATES)
    # Every change applies from 1 April (the 告示 are issued in February or March).
    assert all((d.month, d.day) == (4, 1) for d in days)


@pytest.mark.parametrize("day, percent", [
    (date(2011, 4, 1), Decimal("3.1")),        # 平成23年財務省告示第52号「年三・三」→「年三・一」
    (date(2011, 3, 31), Decimal("3.3")),
    (date(2017, 4, 1), Decimal("2.7")),
    (date(2020, 3, 31), Decimal("2.7")),
    (date(2020, 4, 1), Decimal("2.6")),        # 令和2年財務省告示第53号
    (date(2021, 4, 1), Decimal("2.5")),        # 令和3年財務省告示第49号
    (date(2026, 11, 29), Decimal("2.5")),
])
def test_the_rate_in_force_on_a_day(day, percent):
    assert rate_on(day).percent == percent


def test_a_change_whose_rate_is_not_confirmed_is_not_filled_in_by_guessing():
    # 平成25・26・28年の改正: the table knows they happened but not their rates.
    for day in (date(2013, 4, 1), date(2015, 6, 1), date(2016, 12, 31)):
        assert rate_on(day).percent is None
    assert rate_on(date(2008, 3, 31)) is None


def test_interest_counts_from_the_day_after_the_deadline_and_cuts_below_100_yen():
    # 1,100,000 × 2.5% × 45 / 365 = 3,390.41… → 3,300 (第8条第2項).
    calc = authority_interest(IPA, 1_100_000, date(2026, 5, 31), date(2026, 7, 15), Decimal("2.5"))
    assert calc.amount == 3_300
    assert "45日 ÷ 365日" in calc.formula and "100円未満切捨て" in calc.formula
    assert "第10条第2項" in calc.basis and "第8条" in calc.basis


def test_interest_under_100_yen_need_not_be_paid():
    calc = authority_interest(IPA, 10_000, date(2026, 5, 31), date(2026, 6, 15), Decimal("2.5"))
    assert calc.amount == 0 and "支払を要しない" in calc.formula


def test_paid_on_or_before_the_deadline_owes_nothing():
    assert authority_interest(IPA, 9_350_000, date(2026, 5, 31), date(2026, 5, 31), Decimal("2.5")).amount == 0
    assert authority_interest(IPA, 9_350_000, date(2026, 5, 31), date(2026, 5, 1), Decimal("2.5")).amount == 0


def test_the_actual_day_count_divides_a_leap_years_days_by_366():
    # 10,000,000 at 2.5% from 1 Jan to 31 Dec 2028 (366 days, leap): 250,000 exactly on the actual
    # count; on 365 days 250,684.93… → 250,600.
    assert authority_interest(ACTUAL, 10_000_000, date(2027, 12, 31), date(2028, 12, 31), Decimal("2.5")).amount == 250_000
    assert authority_interest(IPA, 10_000_000, date(2027, 12, 31), date(2028, 12, 31), Decimal("2.5")).amount == 250_600


@given(st.integers(1, 10**11), st.integers(0, 2000), st.sampled_from(["2.5", "2.6", "3.1", "14.6"]))
def test_the_interest_is_whole_hundreds_and_never_more_than_the_exact_amount(amount, days, rate):
    due = date(2026, 5, 31)
    calc = authority_interest(IPA, amount, due, due + timedelta(days=days), Decimal(rate))
    exact = amount * Decimal(rate) / 100 * days / 365
    assert calc.amount % 100 == 0 and 0 <= calc.amount <= exact and exact - calc.amount < 100


@pytest.mark.parametrize("typed, value", [("2.5", "2.5"), ("２．５", "2.5"), ("年2.5%", "2.5"), (" 3 ", "3"),
                                          ("2.125", "2.125")])
def test_a_typed_rate_is_read_whatever_its_width(typed, value):
    assert parse_percent(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["", "abc", "0", "-1", "20.5", "2.1234", "NaN", "Infinity", "1e400"])
def test_a_rate_that_is_not_a_rate_is_refused_in_japanese(typed):
    with pytest.raises(ValueError, match="率は"):
        parse_percent(typed)


def test_the_contract_takes_the_rate_of_its_date_or_the_one_it_states():
    on_date = contract_rate(IPA, date(2021, 6, 1))
    assert on_date.percent == Decimal("2.5") and "令和3年財務省告示第49号" in on_date.source and on_date.warning is None
    # After the day the table was last confirmed, the page asks the officer to check the 官報.
    later = contract_rate(IPA, CONFIRMED + timedelta(days=1))
    assert later.percent == Decimal("2.5") and "官報" in later.warning
    # A date the table does not know: no figure, and the reason.
    unknown = contract_rate(IPA, date(2015, 1, 1))
    assert unknown.percent is None and "官報" in unknown.warning
    stated = contract_rate(from_dict({"late_rate": "２．９"}), date(2015, 1, 1))
    assert stated.percent == Decimal("2.9") and stated.warning is None
    assert contract_rate(IPA, None).percent is None


def test_a_stated_rate_is_stored_in_its_plain_form_and_a_bad_one_refused():
    assert from_dict({"late_rate": "年２．９％"}).late_rate == "2.9"
    with pytest.raises(ValueError, match="発注者の支払遅延の利率"):
        from_dict({"late_rate": "たくさん"})


def test_a_whole_percent_given_as_an_int_is_a_percent_too():
    assert authority_interest(IPA, 1_100_000, date(2026, 5, 31), date(2026, 7, 15), 3) == \
        authority_interest(IPA, 1_100_000, date(2026, 5, 31), date(2026, 7, 15), Decimal("3"))

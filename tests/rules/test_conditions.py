"""Contract conditions that differ between the seeds, carried as data with each seed's preset
(tender.rules.conditions, issue 17). Each test cites the clause it follows."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tender.rules import conditions as cond

IPA, CHIBA, MEGURO, ICHIKAWA = (cond.preset(n) for n in ("ipa", "chiba", "meguro", "ichikawa"))


# --- 違約金 of a 長期継続契約 [004 特約条項 第２条第３項] -------------------------------------------

def test_a_long_term_contracts_penalty_is_a_tenth_of_the_highest_yearly_payment():
    """60 months, ¥62,400,000 in all: the seed's base is the highest fiscal year's payment, not the
    whole amount (¥1,260,000, not ¥6,240,000)."""
    yearly = [12_600_000, 12_600_000, 12_600_000, 12_600_000, 12_000_000]
    base = cond.penalty_base(ICHIKAWA, amount=sum(yearly), yearly=yearly)
    assert base.amount == 12_600_000
    penalty = cond.termination_penalty(ICHIKAWA, base)
    assert penalty is not None and penalty.amount == 1_260_000
    assert "最も高い額" in penalty.basis and "004" in penalty.basis
    whole = cond.termination_penalty(IPA, cond.penalty_base(IPA, amount=62_400_000))
    assert whole is not None and whole.amount == 6_240_000


def test_a_long_term_penalty_needs_the_yearly_amounts():
    with pytest.raises(ValueError, match="会計年度ごとの支払予定額"):
        cond.penalty_base(ICHIKAWA, amount=62_400_000)


def test_unit_price_and_monthly_bases_of_004():
    """第２条第３項第１号: 単価 × 予定数量 (a long-term one: the highest yearly payment); 第２号:
    月額 × months, a part month counting as one (a long-term one: 月額 × 12)."""
    unit = cond.Conditions(penalty_rounding=1, penalty_base=cond.BASE_UNIT_PRICE)
    assert cond.penalty_base(unit, amount=2_000_000, unit_price=1_500, quantity=1_000).amount == 1_500_000
    long_unit = cond.Conditions(penalty_rounding=1, penalty_base=cond.BASE_UNIT_PRICE, long_term=True)
    assert cond.penalty_base(long_unit, amount=9_000_000, yearly=[3_000_000, 3_300_000]).amount == 3_300_000
    monthly = cond.Conditions(penalty_rounding=1, penalty_base=cond.BASE_MONTHLY)
    assert cond.penalty_base(monthly, amount=700_000, monthly=100_000, months=7).amount == 700_000
    long_monthly = cond.Conditions(penalty_rounding=1, penalty_base=cond.BASE_MONTHLY, long_term=True)
    assert cond.penalty_base(long_monthly, amount=6_000_000, monthly=100_000).amount == 1_200_000


# --- 談合等 [001 別記4 第2条第3項・第3条第1項; 000/002 特記事項 第3条第1項] ------------------------

def test_chiba_collusion_is_a_tenth_on_termination_and_two_tenths_in_any_case_without_a_100_yen_cut():
    parts = cond.collusion_amounts(CHIBA, 12_345_678)
    assert [(p.calculation.amount, p.terminated_only) for p in parts] == [(1_234_567, True), (2_469_135, False)]
    assert "1,234,567.8円 → 1,234,567円（1円未満切捨て）" in parts[0].calculation.formula
    assert all("001" in p.calculation.basis for p in parts)


def test_ipa_collusion_is_a_tenth_whether_or_not_terminated_cut_to_100_yen_and_has_no_20_100():
    parts = cond.collusion_amounts(IPA, 12_345_678)
    assert [(p.calculation.amount, p.terminated_only) for p in parts] == [(1_234_500, False)]
    assert "100円未満切捨て" in parts[0].calculation.formula
    assert not any("20/100" in p.calculation.formula or "2/10" in p.calculation.formula for p in parts)


def test_seeds_without_a_collusion_clause_claim_no_preset_amount():
    assert cond.collusion_amounts(MEGURO, 12_345_678) == []
    assert cond.collusion_amounts(ICHIKAWA, 12_345_678) == []


def test_meguro_has_no_termination_penalty_and_ipa_caps_damages():
    """003 has no 違約金 clause; only 000/002 第14条 caps damages at the 契約金額."""
    assert cond.termination_penalty(MEGURO, cond.penalty_base(MEGURO, amount=1_000_000)) is None
    assert cond.damages_limit(IPA, 3_300_000) == 3_300_000
    assert cond.damages_limit(CHIBA, 3_300_000) is None


@given(st.integers(min_value=0, max_value=10**12))
def test_penalties_never_exceed_their_exact_share_and_follow_the_rounding(amount):
    for c in (IPA, CHIBA):
        for part in cond.collusion_amounts(c, amount):
            value = part.calculation.amount
            assert value % c.penalty_rounding == 0 and value >= 0
        penalty = cond.termination_penalty(c, cond.penalty_base(c, amount=amount))
        assert penalty is not None
        assert 0 <= amount / 10 - penalty.amount < c.penalty_rounding


# --- 支払・検査・公表の期限 -------------------------------------------------------------------------

def test_payment_by_the_end_of_the_next_month_for_ipa_and_within_30_days_for_local_governments():
    """000/002 第10条: 翌月末日 (a calendar date, up to 61 days); the local seeds are silent and fall
    under the 30-day limit of 政府契約の支払遅延防止等に関する法律 第6条 (第14条)."""
    assert cond.payment_due(IPA, date(2026, 7, 1)) == date(2026, 8, 31)
    assert (cond.payment_due(IPA, date(2026, 7, 1)) - date(2026, 7, 1)).days == 61
    assert cond.payment_due(CHIBA, date(2026, 7, 1)) == date(2026, 7, 31)
    # 2027-01-24 is a Sunday: the text counts calendar days unless the contract says otherwise.
    assert cond.payment_due(CHIBA, date(2026, 12, 25)) == date(2027, 1, 24)
    shifted = cond.Conditions(payment=cond.PAYMENT_WITHIN_DAYS, shift_holidays=True)
    assert cond.payment_due(shifted, date(2026, 12, 25)) == date(2027, 1, 25)


def test_inspection_and_publication_deadlines_are_not_moved_off_holidays_unless_the_contract_says_so():
    """No seed moves the 10/30-day inspection [000/002 第8条] or the 72/93-day publication deadline
    [000 5.(注)(4)]; only 入札心得第17条 does, for the contract itself."""
    assert cond.inspection_due(IPA, date(2026, 12, 19), 10) == date(2026, 12, 29)
    moved = cond.Conditions(shift_holidays=True)
    assert cond.inspection_due(moved, date(2026, 12, 19), 10) == date(2027, 1, 4)
    assert cond.publication_deadline(IPA, date(2026, 4, 10)) == date(2026, 7, 12)  # a Sunday
    assert cond.publication_deadline(moved, date(2026, 4, 10)) == date(2026, 7, 13)
    assert cond.publication_deadline(IPA, date(2026, 5, 10)) == date(2026, 7, 21)


# --- 遅延利息 [000/002 契約書 第15条] ---------------------------------------------------------------

def test_interest_day_count_is_the_contracts_choice_and_says_so():
    """The seeds give 年3% and no day count: 365 or the year's own days, as the contract says."""
    fixed = cond.penalty_interest(IPA, 1_000_000, date(2027, 12, 31), date(2028, 3, 1))
    assert fixed.amount == 5_013 and "÷ 365日" in fixed.formula
    actual = cond.Conditions(interest_day_count=cond.DAY_COUNT_ACTUAL)
    leap = cond.penalty_interest(actual, 1_000_000, date(2027, 12, 31), date(2028, 3, 1))
    assert leap.amount == 5_000 and "÷ 366日" in leap.formula
    across = cond.penalty_interest(actual, 1_000_000, date(2027, 12, 1), date(2028, 1, 31))
    assert across.amount == 5_006 and "30日 ÷ 365日" in across.formula and "31日 ÷ 366日" in across.formula
    assert cond.penalty_interest(IPA, 1_000_000, date(2027, 12, 31), date(2027, 12, 31)).amount == 0
    assert "日割り" in fixed.basis


@given(st.integers(min_value=0, max_value=10**10), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
       st.integers(min_value=0, max_value=2_000))
def test_the_two_day_counts_differ_by_the_leap_days_only(principal, deadline, days):
    from datetime import timedelta
    paid = deadline + timedelta(days=days)
    fixed = cond.penalty_interest(IPA, principal, deadline, paid, Decimal("0.03")).amount
    actual = cond.penalty_interest(cond.Conditions(interest_day_count=cond.DAY_COUNT_ACTUAL), principal, deadline,
                                   paid, Decimal("0.03")).amount
    assert actual <= fixed
    assert fixed - actual <= principal * 3 // 100 * days // 365 // 365 + 1


# --- presets and their sources ----------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(cond.PRESETS))
def test_every_preset_is_valid_and_cites_a_source_for_every_condition(name):
    c = cond.preset(name)
    assert cond.problems(c) == []
    rows = cond.sources(c)
    assert rows and all(label and shown and source for label, shown, source in rows)
    assert cond.from_dict(c.as_dict()) == c


def test_stored_conditions_are_checked():
    assert cond.from_dict(None) == IPA
    assert cond.from_dict({"payment": cond.PAYMENT_WITHIN_DAYS, "unknown": 1}).payment == cond.PAYMENT_WITHIN_DAYS
    with pytest.raises(ValueError, match="長期継続契約"):
        cond.from_dict({"penalty_base": cond.BASE_HIGHEST_YEAR})
    with pytest.raises(ValueError, match="支払までの日数"):
        cond.from_dict({"payment_days": 0})
    with pytest.raises(ValueError, match="プリセット"):
        cond.preset("osaka")


# --- 契約不適合 [000/002 第9条; 004 １３．] -----------------------------------------------------

def test_one_year_ends_on_the_same_day_of_the_next_year():
    """民法 第140条・第143条: from 2026-04-01 (not counted), a year ends on 2027-04-01; from a 29 February,
    on 28 February."""
    assert cond.one_year_after(date(2026, 4, 1)) == date(2027, 4, 1)
    assert cond.one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)


def test_ipa_claims_what_is_found_within_a_year_of_completion():
    ok = cond.defect_window(IPA, found_on=date(2027, 3, 31), completed_on=date(2026, 3, 31), period_to=date(2026, 3, 31))
    late = cond.defect_window(IPA, found_on=date(2027, 4, 1), completed_on=date(2026, 3, 31), period_to=date(2026, 3, 31))
    assert ok.open and ok.notice_by is None and "合理的期間内" in ok.reason
    assert not late.open and "1年を過ぎて" in late.reason and "第9条" in late.reason
    assert cond.defect_period_end(IPA, completed_on=date(2026, 3, 31), period_to=date(2026, 3, 31)) == date(2027, 3, 31)


def test_ichikawa_counts_a_year_from_recognition_but_not_past_a_year_after_the_contract():
    found = cond.defect_window(ICHIKAWA, found_on=date(2031, 9, 1), completed_on=None, period_to=date(2031, 3, 31))
    assert found.open and found.notice_by == date(2032, 9, 1)
    late = cond.defect_window(ICHIKAWA, found_on=date(2032, 4, 1), completed_on=None, period_to=date(2031, 3, 31))
    assert not late.open and "契約期間終了日" in late.reason and "004" in late.reason


def test_seeds_without_a_defect_clause_set_no_period():
    window = cond.defect_window(CHIBA, found_on=date(2040, 1, 1), completed_on=date(2026, 3, 31),
                                period_to=date(2026, 3, 31))
    assert window.open and window.notice_by is None and "民法" in window.reason
    assert cond.defect_period_end(MEGURO, completed_on=date(2026, 3, 31), period_to=date(2026, 3, 31)) is None


def test_a_unit_price_contracts_penalty_base_is_unit_price_times_planned_quantity_from_its_breakdown():
    """004 特約条項 第２条第３項第１号: 契約単価に契約期間内の予定数量を乗じて計算した額, here from the
    contract's breakdown (tax-excluded unit prices, tax added once, cut below 1 yen)."""
    c = cond.from_dict({"penalty_base": "unit_price", "penalty_rounding": 1})
    calc, missing = cond.penalty_on_termination(c, amount=9_350_000,
                                           unit_lines=[("点検", 12_345, 7), ("報告", 1_000, 3)])
    # 86,415 + 3,000 = 89,415; with tax 98,356 (98,356.5 cut); a tenth 9,835 (9,835.6 cut).
    assert missing is None and calc.amount == 9_835
    assert "点検 12,345円 × 7" in calc.formula and "税込 98,356円" in calc.formula
    # Without the breakdown the page still says what it needs.
    assert cond.penalty_on_termination(c, amount=9_350_000)[0] is None


def test_a_monthly_contracts_penalty_is_the_monthly_amount_times_its_months_or_twelve_when_long_term():
    """004 特約条項 第２条第３項第２号: 月額に契約期間の月数を乗じて計算した額（長期継続契約にあっては、月額に
    １２を乗じて計算した額）. 月額 = 契約金額 ÷ 月数 for a period from a month's first day to a month's last."""
    from datetime import date

    monthly = cond.from_dict({"penalty_base": "monthly", "penalty_rounding": 1})
    # 24 months at 110,000 a month = 2,640,000: a tenth is 264,000.
    calc, _ = cond.penalty_on_termination(monthly, amount=2_640_000, period=(date(2026, 4, 1), date(2028, 3, 31)))
    assert calc.amount == 264_000 and "月額 110,000円 × 24か月" in calc.formula
    long_term = cond.from_dict({"penalty_base": "monthly", "penalty_rounding": 1, "long_term": True})
    calc, _ = cond.penalty_on_termination(long_term, amount=2_640_000, period=(date(2026, 4, 1), date(2028, 3, 31)))
    assert calc.amount == 132_000 and "12（長期継続契約）" in calc.formula
    # A period that does not run whole months leaves the monthly amount unknown: said, not guessed.
    calc, missing = cond.penalty_on_termination(monthly, amount=2_640_000, period=(date(2026, 4, 15), date(2028, 3, 31)))
    assert calc is None and "月の初日から月の末日" in missing
    assert cond.contract_months(date(2026, 4, 1), date(2027, 3, 31)) == 12
    assert cond.contract_months(date(2026, 2, 1), date(2026, 2, 28)) == 1
    assert cond.contract_months(date(2026, 2, 1), date(2026, 2, 27)) is None

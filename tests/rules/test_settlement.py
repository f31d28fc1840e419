"""数量精算 [002 契約書 第5条、入札内訳書 注1]: a 一式 line is fixed, a unit-priced line is paid at its
unit price × the actual quantity, never above the planned quantity; tax on the settled total, cut
below 1 yen."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tender.rules.bids import BreakdownLine as Line
from tender.rules.money import consumption_tax
from tender.rules.settlement import is_unit_priced, settle, unit_priced_lines

CASE = [Line("事務局運営", 1, "式", 3_000_000), Line("事業進捗支援", 15, "件", 200_000)]


def test_the_002_example_with_fewer_cases():
    s = settle(CASE, {1: 12})
    assert (s.amount_excl, s.tax, s.amount_total) == (5_400_000, 540_000, 5_940_000)
    assert s.planned_excl == 6_000_000 and s.reduction_excl == 600_000
    assert "200,000円 × 12件" in s.formula and "一式" in s.formula


def test_the_planned_quantity_pays_the_contract_amount():
    assert settle(CASE, {1: 15}).amount_excl == 6_000_000


def test_zero_actual_leaves_the_fixed_part():
    assert settle(CASE, {1: 0}).amount_excl == 3_000_000


def test_the_tax_is_cut_below_one_yen_on_the_settled_total():
    s = settle([Line("点検", 7, "回", 12_345)], {0: 3})
    assert s.amount_excl == 37_035 and s.tax == 3_703  # 3,703.5 → 3,703


@pytest.mark.parametrize("actual, message", [
    ({1: 16}, "予定数量（15件）を超えます"),
    ({}, "実績数量を入力してください"),
    ({1: -1}, "0以上の整数"),
    ({1: True}, "0以上の整数"),
    ({0: 1, 1: 3}, "1行目は一式の行"),
])
def test_refused_quantities(actual, message):
    with pytest.raises(ValueError, match=message):
        settle(CASE, actual)


def test_a_lump_sum_contract_has_nothing_to_settle():
    assert unit_priced_lines([Line("業務一式", 1, "式", 100)]) == []
    with pytest.raises(ValueError, match="一式の契約は精算しません"):
        settle([Line("業務一式", 1, "式", 100)], {})


def test_a_unit_with_spaces_is_still_the_lump_unit():
    assert not is_unit_priced(Line("業務", 1, " 式 ", 100)) and is_unit_priced(Line("業務", 1, "件", 100))


@given(st.lists(st.tuples(st.integers(1, 1000), st.integers(0, 10**7)), min_size=1, max_size=6), st.data())
def test_the_settled_amount_never_exceeds_the_plan_and_adds_up(rows, data):
    lines = [Line(f"行{i}", q, "件", p) for i, (q, p) in enumerate(rows)]
    actual = {i: data.draw(st.integers(0, q)) for i, (q, _) in enumerate(rows)}
    s = settle(lines, actual)
    assert s.amount_excl == sum(p * actual[i] for i, (_, p) in enumerate(rows)) <= s.planned_excl
    assert s.tax == consumption_tax(s.amount_excl) and s.amount_total == s.amount_excl + s.tax

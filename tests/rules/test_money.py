"""金額の規則の検査。税額は手計算（税抜金額 × 10% の1円未満切捨て）による。"""
from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from tender.rules.money import (
    TAX_RATE,
    consumption_tax,
    format_yen,
    parse_yen,
    tax_included,
    truncate_yen,
)

MESSAGE = "金額は円単位の整数で入力してください。"


@pytest.mark.parametrize(
    ("amount", "kanji", "symbol", "plain"),
    [
        (0, "金0円", "￥0", "0円"),
        (1, "金1円", "￥1", "1円"),
        (999, "金999円", "￥999", "999円"),
        (1000, "金1,000円", "￥1,000", "1,000円"),
        (12345, "金12,345円", "￥12,345", "12,345円"),
        (100000, "金100,000円", "￥100,000", "100,000円"),
        (1234567, "金1,234,567円", "￥1,234,567", "1,234,567円"),
        (12345000, "金12,345,000円", "￥12,345,000", "12,345,000円"),
        (100000000, "金100,000,000円", "￥100,000,000", "100,000,000円"),
        (1000000000000, "金1,000,000,000,000円", "￥1,000,000,000,000", "1,000,000,000,000円"),
        (Decimal("12345000"), "金12,345,000円", "￥12,345,000", "12,345,000円"),
        (Decimal("5.00"), "金5円", "￥5", "5円"),
        (-1000, "-金1,000円", "-￥1,000", "-1,000円"),
        (-1, "-金1円", "-￥1", "-1円"),
        (Decimal("-12345000"), "-金12,345,000円", "-￥12,345,000", "-12,345,000円"),
    ],
)
def test_format_yen_in_each_style(amount, kanji, symbol, plain):
    assert format_yen(amount) == kanji
    assert format_yen(amount, "kanji") == kanji
    assert format_yen(amount, "symbol") == symbol
    assert format_yen(amount, "plain") == plain


def test_the_symbol_style_uses_the_full_width_yen_sign():
    assert format_yen(12345000, "symbol")[0] == "\uffe5"


@pytest.mark.parametrize("amount", [1.0, 12345000.0, True, False, "1000", None])
def test_format_yen_rejects_floats_booleans_and_other_types(amount):
    with pytest.raises(TypeError):
        format_yen(amount)


@pytest.mark.parametrize("amount", [Decimal("1.5"), Decimal("0.01"), Decimal("NaN"), Decimal("Infinity")])
def test_format_yen_rejects_fractions_of_a_yen_and_non_numbers(amount):
    with pytest.raises(ValueError):
        format_yen(amount)


def test_format_yen_rejects_an_unknown_style():
    with pytest.raises(ValueError):
        format_yen(1000, "dollar")


def test_the_tax_rate_is_ten_percent():
    assert TAX_RATE == Decimal("0.10")


@pytest.mark.parametrize(
    ("excl", "tax", "incl"),
    [
        (0, 0, 0),
        (1, 0, 1),  # 0.1円 → 0円
        (9, 0, 9),  # 0.9円 → 0円
        (10, 1, 11),
        (19, 1, 20),  # 1.9円 → 1円
        (99, 9, 108),  # 9.9円 → 9円
        (100, 10, 110),
        (101, 10, 111),
        (12345, 1234, 13579),
        (12345000, 1234500, 13579500),
        (12345678, 1234567, 13580245),  # 1,234,567.8円 → 1,234,567円
        (99999999, 9999999, 109999998),
        (1000000009, 100000000, 1100000009),
        (Decimal("12345678"), 1234567, 13580245),
    ],
)
def test_consumption_tax_cuts_below_one_yen(excl, tax, incl):
    assert consumption_tax(excl) == tax
    assert tax_included(excl) == incl
    assert isinstance(consumption_tax(excl), int)
    assert isinstance(tax_included(excl), int)


@pytest.mark.parametrize(
    ("excl", "tax", "incl"),
    [
        (19, 1, 20),  # 1.52円 → 1円
        (12, 0, 12),  # 0.96円 → 0円
        (13, 1, 14),  # 1.04円 → 1円
        (12345678, 987654, 13333332),  # 987,654.24円 → 987,654円
    ],
)
def test_consumption_tax_at_the_reduced_rate_of_eight_percent(excl, tax, incl):
    assert consumption_tax(excl, Decimal("0.08")) == tax
    assert tax_included(excl, Decimal("0.08")) == incl


def test_a_very_large_amount_keeps_every_digit():
    amount = 123456789012345678901234567890
    assert consumption_tax(amount) == 12345678901234567890123456789
    assert tax_included(amount) == 135802467913580246791358024679


@pytest.mark.parametrize("amount", [100.0, True])
def test_tax_functions_reject_floats_and_booleans(amount):
    with pytest.raises(TypeError):
        consumption_tax(amount)
    with pytest.raises(TypeError):
        tax_included(amount)


def test_tax_functions_reject_a_float_rate():
    with pytest.raises(TypeError):
        consumption_tax(1000, 0.1)


@pytest.mark.parametrize("amount", [-1, Decimal("10.5")])
def test_tax_functions_reject_negative_and_fractional_amounts(amount):
    with pytest.raises(ValueError):
        consumption_tax(amount)


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (1234567, 100, 1234500),
        (1234500, 100, 1234500),
        (99, 100, 0),
        (100, 100, 100),
        (199, 100, 100),
        (0, 100, 0),
        (1234567, 1000, 1234000),
        (1234567, 1, 1234567),
        (Decimal("123456.78"), 100, 123400),
        (Decimal("0.99"), 1, 0),
        (Decimal("1234567.8"), 100, 1234500),  # 違約金：契約金額12,345,678円 × 10/100
        (Decimal("12345678") * Decimal("10") / Decimal("100"), 100, 1234500),
        (Decimal("12345.6"), 1, 12345),
    ],
)
def test_truncate_yen_cuts_below_the_unit(amount, unit, expected):
    assert truncate_yen(amount, unit) == expected
    assert isinstance(truncate_yen(amount, unit), int)


@pytest.mark.parametrize(("amount", "unit"), [(-1, 100), (100, 0), (100, -100)])
def test_truncate_yen_rejects_negative_amounts_and_units_below_one_yen(amount, unit):
    with pytest.raises(ValueError):
        truncate_yen(amount, unit)


@pytest.mark.parametrize(("amount", "unit"), [(100.0, 100), (True, 100), (100, 100.0), (100, True)])
def test_truncate_yen_rejects_floats_and_booleans(amount, unit):
    with pytest.raises(TypeError):
        truncate_yen(amount, unit)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12,345,000", 12345000),
        ("１２，３４５，０００", 12345000),
        ("￥12,345,000", 12345000),
        ("¥12,345,000", 12345000),
        ("\\12,345,000", 12345000),
        ("12345000円", 12345000),
        ("金12,345,000円", 12345000),
        ("金12,345,000円也", 12345000),
        ("１２３４５０００円", 12345000),
        ("￥１２，３４５，０００", 12345000),
        ("金１２，３４５，０００円", 12345000),
        (" 12,345,000 ", 12345000),
        ("\u300012,345,000\u3000", 12345000),
        ("0", 0),
        ("1", 1),
        ("999", 999),
        ("1,000", 1000),
        ("100,000,000", 100000000),
        ("1000", 1000),
    ],
)
def test_parse_yen_accepts_common_ways_of_writing_yen(text, amount):
    assert parse_yen(text) == amount


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12.5",
        "12,345.00",
        "１２．５",
        "-1000",
        "－１０００",
        "△1000",
        "+100",
        "abc",
        "12a",
        "1,2345",
        "12,34",
        ",123",
        "1,000,",
        "1 000",
        "金",
        "円",
        "￥",
        "1e3",
        "一万円",
        "12,345,000ドル",
    ],
)
def test_parse_yen_rejects_decimals_negatives_blanks_and_letters(text):
    with pytest.raises(ValueError) as raised:
        parse_yen(text)
    assert str(raised.value) == MESSAGE


@pytest.mark.parametrize("amount", [0, 1, 1000, 12345000, 987654321])
def test_formatted_amounts_parse_back(amount):
    for style in ("kanji", "symbol", "plain"):
        assert parse_yen(format_yen(amount, style)) == amount


@settings(max_examples=300)
@given(st.integers(min_value=-10**15, max_value=10**15))
def test_yen_are_grouped_as_babel_groups_them_for_ja_jp(amount):
    """The digits are Babel's ja_JP grouping (3 digits, a comma), written without Babel's pattern
    engine on each amount."""
    digits = format_decimal(abs(amount), locale="ja_JP")
    assert format_yen(amount, "plain") == ("-" if amount < 0 else "") + digits + "円"

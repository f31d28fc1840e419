"""法人番号の検査。チェックデジットは国税庁の式を手計算・別実装で確かめる。"""
import random

import pytest

from tender.rules.corporate_number import (
    corporate_number_check_digit,
    corporate_number_problem,
    is_valid_corporate_number,
    normalize_corporate_number,
)

LENGTH = "法人番号は13桁の数字で入力してください。"
CHECK = "法人番号のチェックデジットが一致しません。"

# 国税庁法人番号公表サイトで公表されている番号。
KNOWN_REAL = [
    "7000012050002",  # 国税庁
    "1180301018771",  # トヨタ自動車株式会社
    "5010401067252",  # ソニーグループ株式会社
    "1130001011420",  # 任天堂株式会社
    "7010001008844",  # 日本電信電話株式会社
    "2000012010019",  # 内閣府
]


@pytest.mark.parametrize("number", KNOWN_REAL)
def test_known_real_corporate_numbers_are_valid(number):
    assert corporate_number_problem(number) is None
    assert is_valid_corporate_number(number) is True
    assert corporate_number_check_digit(number[1:]) == int(number[0])


def test_the_national_tax_agency_number_by_hand():
    # 基礎番号 000012050002 を右から: 2,0,0,0,5,0,2,1,0,0,0,0
    # 奇数番目×1: 2+0+5+2+0+0 = 9、偶数番目×2: (0+0+0+1+0+0)×2 = 2、計11、11 mod 9 = 2、9−2 = 7
    assert corporate_number_check_digit("000012050002") == 7


@pytest.mark.parametrize(
    ("base", "check"),
    [
        ("000000000000", 9),  # 和0 → 9−0
        ("000000000001", 8),  # 1×1
        ("000000000010", 7),  # 1×2
        ("000000000009", 9),  # 9 mod 9 = 0
        ("100000000000", 7),  # 最上位は右から12番目（偶数）→ ×2
        ("999999999999", 9),  # 6×9 + 6×18 = 162, mod 9 = 0
        ("000000000004", 5),
        ("000000000050", 8),  # 5×2 = 10, mod 9 = 1
        ("180301018771", 1),  # トヨタ：奇数 21 + 偶数 16×2 = 53, mod 9 = 8
    ],
)
def test_check_digit_examples_computed_by_hand(base, check):
    assert corporate_number_check_digit(base) == check


def _reference_check_digit(base12: str) -> int:
    # 別実装：左から見ると重みは 2,1,2,1,…（最上位が右から12番目＝偶数のため）。
    weights = [2, 1] * 6
    return 9 - sum(w * int(c) for w, c in zip(weights, base12)) % 9


_RNG = random.Random(20260401)
GENERATED = []
for _ in range(60):
    base = "".join(_RNG.choice("0123456789") for _ in range(12))
    GENERATED.append(f"{_reference_check_digit(base)}{base}")


@pytest.mark.parametrize("number", GENERATED)
def test_generated_numbers_with_the_right_check_digit_are_valid(number):
    assert is_valid_corporate_number(number) is True


@pytest.mark.parametrize("number", GENERATED[:30])
def test_every_other_leading_digit_is_rejected(number):
    for wrong in "0123456789":
        if wrong == number[0]:
            continue
        assert corporate_number_problem(wrong + number[1:]) == CHECK


@pytest.mark.parametrize(
    "number",
    ["8000012050002", "6000012050002", "0000012050002", "7000012050003", "7000012050020", "1180301018772"],
)
def test_altered_real_numbers_fail_the_check_digit(number):
    assert corporate_number_problem(number) == CHECK
    assert is_valid_corporate_number(number) is False


@pytest.mark.parametrize(
    "text",
    ["", "   ", "700001205000", "70000120500021", "700001205000A", "7000012050.02", "abcdefghijklm", "7000012O50002", "+7000012050002"],
)
def test_wrong_length_or_non_digits_ask_for_thirteen_digits(text):
    assert corporate_number_problem(text) == LENGTH
    assert is_valid_corporate_number(text) is False


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("7000012050002", "7000012050002"),
        ("7-0000-1205-0002", "7000012050002"),
        ("7000-012-050-002", "7000012050002"),
        (" 7000012050002 ", "7000012050002"),
        ("７０００\u3000０１２０　５０００２", "7000012050002"),
        ("７０００－０１２－０５０－００２", "7000012050002"),
        ("7000\u2010012\u2212050\u30fc002", "7000012050002"),
        ("7000\t012\n050002", "7000012050002"),
    ],
)
def test_normalization_strips_separators_and_converts_full_width_digits(text, normalized):
    assert normalize_corporate_number(text) == normalized
    assert is_valid_corporate_number(text) is True


@pytest.mark.parametrize("base", ["", "12345678901", "1234567890123", "12345678901a", "１２３４５６７８９０１２"])
def test_check_digit_needs_exactly_twelve_ascii_digits(base):
    with pytest.raises(ValueError):
        corporate_number_check_digit(base)

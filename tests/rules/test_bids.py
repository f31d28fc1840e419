"""入札の規則の検査。期待値はすべて手計算による。

* 落札価格＝記載金額＋記載金額×10%（1円未満切捨て）[入札心得第5条]。
* 無効の事由の文言は入札心得第11条各号の原文どおり。
* 電子くじ：提出順に並べ、（残っている者のくじ番号の合計＋サーバの乱数）を残りの人数で割った余りの番目を次の順位とする。
"""
from dataclasses import FrozenInstanceError
from datetime import date
from decimal import Decimal
from itertools import permutations

import pytest

from tender.rules.bids import (
    LOTTERY_ALGORITHM,
    LOTTERY_NUMBER_MESSAGE,
    LUMP_SUM_UNIT,
    BidFact,
    BreakdownLine,
    InvalidGround,
    LotteryEntry,
    LotteryResult,
    LotteryStep,
    Outcome,
    breakdown_problems,
    breakdown_total,
    comparison_price,
    draw,
    lottery_number_problem,
    lowest_price_outcome,
    normalise_lottery_number,
    verify,
    within_ceiling,
)

# ---------------------------------------------------------------------------
# 入札の無効（入札心得第11条）
# ---------------------------------------------------------------------------

GROUNDS = [
    (InvalidGround.NO_QUALIFICATION, "no_qualification", 1, "競争に参加する資格を有しない者による入札", True),
    (
        InvalidGround.NOT_NOMINATED,
        "not_nominated",
        2,
        "指名競争入札において、指名通知を受けていない者による入札",
        False,
    ),
    (InvalidGround.AGENT_WITHOUT_PROXY, "agent_without_proxy", 3, "委任状を持参しない代理人による入札", True),
    (
        InvalidGround.NO_NAME_SEAL,
        "no_name_seal",
        4,
        "記名押印（外国人又は外国法人にあっては、本人又は代表者の署名をもって代えることができる。）を欠く入札",
        False,
    ),
    (InvalidGround.AMENDED_AMOUNT, "amended_amount", 5, "金額を訂正した入札", False),
    (InvalidGround.UNCLEAR_INTENT, "unclear_intent", 6, "誤字、脱字等により意思表示が不明瞭である入札", False),
    (InvalidGround.COLLUSION, "collusion", 7, "明らかに連合によると認められる入札", False),
    (
        InvalidGround.DOUBLE_AGENCY,
        "double_agency",
        8,
        "同一事項の入札について他人の代理人を兼ね又は2者以上の代理をした者の入札",
        False,
    ),
    (
        InvalidGround.CERTIFICATE_REJECTED,
        "certificate_rejected",
        9,
        "入札者に求められる義務を満たすことを証明する必要のある入札にあっては、"
        "証明書が契約担当職員等の審査の結果採用されなかった入札",
        False,
    ),
    (InvalidGround.LATE, "late", 10, "入札書受領期限までに到着しない入札", True),
    (
        InvalidGround.FALSE_PLEDGE,
        "false_pledge",
        11,
        "暴力団排除に関する誓約事項（別記）について、虚偽が認められた入札",
        False,
    ),
    (InvalidGround.OTHER_BREACH, "other_breach", 12, "その他入札に関する条件に違反した入札", False),
]
GROUND_IDS = [row[1] for row in GROUNDS]


def test_there_are_exactly_twelve_grounds_in_the_order_of_article_11():
    assert [g for g, *_ in GROUNDS] == list(InvalidGround)
    assert len(InvalidGround) == 12


@pytest.mark.parametrize(("ground", "code", "number", "label", "automatic"), GROUNDS, ids=GROUND_IDS)
def test_each_ground_has_its_stored_code(ground, code, number, label, automatic):
    assert ground.value == code
    assert ground == code  # str の列挙なので文字列と比べられる
    assert InvalidGround(code) is ground


@pytest.mark.parametrize(("ground", "code", "number", "label", "automatic"), GROUNDS, ids=GROUND_IDS)
def test_each_ground_is_labelled_with_the_wording_of_the_seed(ground, code, number, label, automatic):
    assert ground.label == label


@pytest.mark.parametrize(("ground", "code", "number", "label", "automatic"), GROUNDS, ids=GROUND_IDS)
def test_each_ground_cites_its_item_of_article_11(ground, code, number, label, automatic):
    assert ground.number == number
    assert ground.article == f"入札心得第11条第{number}号"


@pytest.mark.parametrize(("ground", "code", "number", "label", "automatic"), GROUNDS, ids=GROUND_IDS)
def test_only_qualification_proxy_and_lateness_are_decided_automatically(ground, code, number, label, automatic):
    assert ground.automatic is automatic


def test_the_automatic_grounds_are_items_1_3_and_10():
    assert [g.number for g in InvalidGround if g.automatic] == [1, 3, 10]


@pytest.mark.parametrize("ground", list(InvalidGround), ids=GROUND_IDS)
def test_every_label_is_japanese_and_ends_with_nyusatsu(ground):
    assert ground.label.endswith("入札")
    assert " " not in ground.label


def test_an_unknown_code_is_not_a_ground():
    with pytest.raises(ValueError):
        InvalidGround("unknown")


# ---------------------------------------------------------------------------
# 入札内訳書
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "unit_price", "amount"),
    [
        (1, 0, 0),
        (1, 1, 1),
        (1, 1_000_000, 1_000_000),
        (2, 500, 1_000),
        (3, 333, 999),
        (12, 85_000, 1_020_000),
        (100, 1, 100),
        (7, 142_857, 999_999),
        (0, 100, 0),
        (1, -1, -1),
        (250, 4_000, 1_000_000),
    ],
)
def test_a_line_amount_is_quantity_times_unit_price(quantity, unit_price, amount):
    assert BreakdownLine("作業", quantity, "人月", unit_price).amount == amount


def test_a_lump_sum_line_is_one_shiki():
    line = BreakdownLine("設計・開発一式", 1, LUMP_SUM_UNIT, 3_000_000)
    assert LUMP_SUM_UNIT == "式"
    assert line.amount == 3_000_000


def test_a_breakdown_line_is_frozen():
    line = BreakdownLine("保守", 12, "月", 50_000)
    with pytest.raises(FrozenInstanceError):
        line.quantity = 13  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("quantity float", dict(item="a", quantity=1.0, unit="式", unit_price=1)),
        ("quantity bool", dict(item="a", quantity=True, unit="式", unit_price=1)),
        ("quantity str", dict(item="a", quantity="1", unit="式", unit_price=1)),
        ("unit price float", dict(item="a", quantity=1, unit="式", unit_price=100.0)),
        ("unit price bool", dict(item="a", quantity=1, unit="式", unit_price=False)),
        ("unit price Decimal", dict(item="a", quantity=1, unit="式", unit_price=Decimal("100"))),
        ("unit price str", dict(item="a", quantity=1, unit="式", unit_price="100")),
        ("item None", dict(item=None, quantity=1, unit="式", unit_price=1)),
        ("unit None", dict(item="a", quantity=1, unit=None, unit_price=1)),
    ],
)
def test_a_breakdown_line_rejects_values_that_are_not_whole_yen_or_text(field, kwargs):
    with pytest.raises(TypeError):
        BreakdownLine(**kwargs)


LUMP = BreakdownLine("システム設計一式", 1, "式", 2_000_000)
LABOUR = BreakdownLine("開発要員", 6, "人月", 800_000)  # 4,800,000
LICENCE = BreakdownLine("ライセンス", 30, "本", 12_000)  # 360,000
MAINTENANCE = BreakdownLine("保守", 12, "月", 70_000)  # 840,000


@pytest.mark.parametrize(
    ("lines", "total"),
    [
        ([], 0),
        ([LUMP], 2_000_000),
        ([LABOUR], 4_800_000),
        ([LUMP, LABOUR], 6_800_000),
        ([LUMP, LABOUR, LICENCE], 7_160_000),
        ([LUMP, LABOUR, LICENCE, MAINTENANCE], 8_000_000),
        ([BreakdownLine("a", 1, "式", 1), BreakdownLine("b", 1, "式", 2)], 3),
        ([BreakdownLine("a", 3, "個", 333), BreakdownLine("b", 1, "式", 1)], 1_000),
        ((LUMP, MAINTENANCE), 2_840_000),
    ],
)
def test_the_breakdown_total_is_the_sum_of_the_line_amounts(lines, total):
    assert breakdown_total(lines) == total


@pytest.mark.parametrize(
    ("lines", "bid"),
    [
        ([LUMP], 2_000_000),
        ([LUMP, LABOUR], 6_800_000),
        ([LUMP, LABOUR, LICENCE, MAINTENANCE], 8_000_000),
        ([BreakdownLine("無償の作業", 1, "式", 0)], 0),
        ([BreakdownLine("部品", 3, "個", 333), BreakdownLine("調整", 1, "式", 1)], 1_000),
        ([BreakdownLine("作業", 1, "式", 12_345_678)], 12_345_678),
    ],
)
def test_a_breakdown_that_adds_up_to_the_bid_has_no_problems(lines, bid):
    assert breakdown_problems(lines, bid) == []


@pytest.mark.parametrize(
    ("lines", "bid", "problems"),
    [
        ([], 1_000, ["内訳を1行以上入力してください。"]),
        ([], 0, ["内訳を1行以上入力してください。"]),
        (
            [LUMP],
            2_000_001,
            ["内訳の合計（金2,000,000円）が入札金額（金2,000,001円）と一致しません。"],
        ),
        (
            [LUMP],
            1_999_999,
            ["内訳の合計（金2,000,000円）が入札金額（金1,999,999円）と一致しません。"],
        ),
        (
            [LUMP, LABOUR, LICENCE, MAINTENANCE],
            7_999_999,
            ["内訳の合計（金8,000,000円）が入札金額（金7,999,999円）と一致しません。"],
        ),
        (
            [BreakdownLine("", 1, "式", 1_000)],
            1_000,
            ["1行目：品名を入力してください。"],
        ),
        (
            [LUMP, BreakdownLine("　 ", 1, "式", 0)],
            2_000_000,
            ["2行目：品名を入力してください。"],
        ),
        (
            [BreakdownLine("作業", 0, "人月", 800_000)],
            0,
            ["1行目：数量は1以上にしてください。"],
        ),
        (
            [LUMP, BreakdownLine("作業", -2, "人月", 100)],
            1_999_800,
            ["2行目：数量は1以上にしてください。"],
        ),
        (
            [LUMP, BreakdownLine("値引き", 1, "式", -100_000)],
            1_900_000,
            ["2行目：単価は0円以上にしてください。"],
        ),
        (
            [BreakdownLine("", 0, "式", -1)],
            0,
            [
                "1行目：品名を入力してください。",
                "1行目：数量は1以上にしてください。",
                "1行目：単価は0円以上にしてください。",
            ],
        ),
        (
            [LUMP, BreakdownLine("値引き", 1, "式", -100_000)],
            2_000_000,
            [
                "2行目：単価は0円以上にしてください。",
                "内訳の合計（金1,900,000円）が入札金額（金2,000,000円）と一致しません。",
            ],
        ),
        (
            [BreakdownLine("作業", 2, "人月", 500), BreakdownLine("", 1, "式", 1)],
            1_000,
            [
                "2行目：品名を入力してください。",
                "内訳の合計（金1,001円）が入札金額（金1,000円）と一致しません。",
            ],
        ),
        (
            [BreakdownLine("作業", 3, "個", 333)],
            1_000,
            ["内訳の合計（金999円）が入札金額（金1,000円）と一致しません。"],
        ),
    ],
)
def test_breakdown_problems_are_reported_in_japanese(lines, bid, problems):
    assert breakdown_problems(lines, bid) == problems


@pytest.mark.parametrize("bid", [1_000.0, True, Decimal("1000"), "1000", None])
def test_breakdown_problems_rejects_a_bid_amount_that_is_not_int(bid):
    with pytest.raises(TypeError):
        breakdown_problems([LUMP], bid)


@pytest.mark.parametrize("lines", [None, "式", [("a", 1, "式", 1)], [LUMP, None]])
def test_breakdown_functions_reject_lines_that_are_not_breakdown_lines(lines):
    with pytest.raises(TypeError):
        breakdown_problems(lines, 0)
    with pytest.raises(TypeError):
        breakdown_total(lines)


# ---------------------------------------------------------------------------
# くじ番号
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("000", "000"),
        ("001", "001"),
        ("007", "007"),
        ("123", "123"),
        ("500", "500"),
        ("999", "999"),
        ("１２３", "123"),
        ("０００", "000"),
        ("９９９", "999"),
        ("１2３", "123"),
        (" 456 ", "456"),
        ("　７８９　", "789"),
    ],
)
def test_a_three_digit_lottery_number_is_accepted_and_normalised(text, normalised):
    assert lottery_number_problem(text) is None
    assert normalise_lottery_number(text) == normalised


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "1",
        "12",
        "1000",
        "0000",
        "abc",
        "12a",
        "ー12",
        "-12",
        "+12",
        "1 2",
        "12.",
        "1.5",
        "１２",
        "１２３４",
        "١٢٣",  # アラビア・インド数字は認めない
        "¹²³",  # 上付き数字も認めない
        "一二三",
        "0x1",
    ],
)
def test_anything_but_three_digits_is_not_a_lottery_number(text):
    assert lottery_number_problem(text) == "くじ番号は3桁の数字（000〜999）で入力してください。"
    assert LOTTERY_NUMBER_MESSAGE == "くじ番号は3桁の数字（000〜999）で入力してください。"
    with pytest.raises(ValueError, match="くじ番号は3桁の数字"):
        normalise_lottery_number(text)


@pytest.mark.parametrize("value", [None, 123, 12.3])
def test_a_lottery_number_must_be_text(value):
    with pytest.raises(TypeError):
        lottery_number_problem(value)
    with pytest.raises(TypeError):
        normalise_lottery_number(value)


# ---------------------------------------------------------------------------
# 予定価格と比べる金額（入札心得第5条）
# ---------------------------------------------------------------------------

# (記載金額, 税込の予定価格と比べる金額)。10%の1円未満を切り捨てる。
TAX_INCLUDED_BASIS = [
    (0, 0),
    (1, 1),  # 0.1 → 0
    (5, 5),  # 0.5 → 0
    (9, 9),  # 0.9 → 0
    (10, 11),  # 1
    (11, 12),  # 1.1 → 1
    (19, 20),  # 1.9 → 1
    (20, 22),
    (99, 108),  # 9.9 → 9
    (100, 110),
    (123, 135),  # 12.3 → 12
    (999, 1_098),  # 99.9 → 99
    (1_000, 1_100),
    (909_090, 999_999),  # 90,909.0
    (909_091, 1_000_000),  # 90,909.1 → 90,909
    (909_092, 1_000_001),  # 90,909.2 → 90,909
    (1_000_000, 1_100_000),
    (12_345_678, 13_580_245),  # 1,234,567.8 → 1,234,567
    (99_999_999, 109_999_998),  # 9,999,999.9 → 9,999,999
    (100_000_000, 110_000_000),
]


@pytest.mark.parametrize(("bid", "basis"), TAX_INCLUDED_BASIS)
def test_against_a_tax_included_ceiling_the_bid_plus_ten_percent_cut_to_the_yen_is_compared(bid, basis):
    assert comparison_price(bid, ceiling_tax_included=True) == basis


@pytest.mark.parametrize(("bid", "basis"), TAX_INCLUDED_BASIS)
def test_against_a_tax_excluded_ceiling_the_bid_itself_is_compared(bid, basis):
    assert comparison_price(bid, ceiling_tax_included=False) == bid


@pytest.mark.parametrize("bid", [1.0, 1_000_000.0, True, False, Decimal("100"), "100", None])
def test_comparison_price_rejects_amounts_that_are_not_int(bid):
    with pytest.raises(TypeError):
        comparison_price(bid, ceiling_tax_included=True)
    with pytest.raises(TypeError):
        comparison_price(bid, ceiling_tax_included=False)


@pytest.mark.parametrize("bid", [-1, -1_000_000])
def test_comparison_price_rejects_a_negative_bid(bid):
    with pytest.raises(ValueError):
        comparison_price(bid, ceiling_tax_included=True)


@pytest.mark.parametrize("flag", [None, 1, 0, "yes"])
def test_the_tax_basis_must_be_said_with_a_bool(flag):
    with pytest.raises(TypeError):
        comparison_price(100, ceiling_tax_included=flag)


def test_the_tax_basis_is_keyword_only():
    with pytest.raises(TypeError):
        comparison_price(100, True)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("bid", "ceiling", "tax_included_ceiling", "within"),
    [
        # 税込の予定価格：記載金額＋10%（切捨て）と比べる。
        (909_091, 1_000_000, True, True),  # 1,000,000 ちょうど
        (909_092, 1_000_000, True, False),  # 1,000,001 は1円超過
        (909_090, 1_000_000, True, True),  # 999,999
        (1_000_000, 1_100_000, True, True),  # 1,100,000 ちょうど
        (1_000_001, 1_100_000, True, False),  # 1,100,001
        (1_000_000, 1_000_000, True, False),  # 1,100,000 > 1,000,000
        (10, 11, True, True),  # 11 ちょうど
        (11, 11, True, False),  # 12
        (9, 10, True, True),  # 9
        (10, 10, True, False),  # 11
        (9, 9, True, True),  # 9 ちょうど
        (12_345_678, 13_580_245, True, True),
        (12_345_678, 13_580_244, True, False),
        (0, 0, True, True),
        (1, 0, True, False),
        # 税抜の予定価格：記載金額そのものと比べる。
        (1_000_000, 1_000_000, False, True),
        (1_000_001, 1_000_000, False, False),
        (999_999, 1_000_000, False, True),
        (909_092, 1_000_000, False, True),
        (10, 10, False, True),
        (11, 10, False, False),
        (12_345_678, 12_345_678, False, True),
        (12_345_679, 12_345_678, False, False),
        (0, 0, False, True),
        (1, 0, False, False),
    ],
)
def test_within_ceiling_includes_the_ceiling_itself_and_excludes_one_yen_over(
    bid, ceiling, tax_included_ceiling, within
):
    assert within_ceiling(bid, ceiling, ceiling_tax_included=tax_included_ceiling) is within


@pytest.mark.parametrize("ceiling", [1_000_000.0, True, Decimal("1000000"), None])
def test_within_ceiling_rejects_a_ceiling_that_is_not_int(ceiling):
    with pytest.raises(TypeError):
        within_ceiling(100, ceiling, ceiling_tax_included=True)


def test_within_ceiling_rejects_a_negative_ceiling():
    with pytest.raises(ValueError):
        within_ceiling(0, -1, ceiling_tax_included=False)


# ---------------------------------------------------------------------------
# 最低価格落札方式の結果（入札心得第14条、第15条、第16条）
# ---------------------------------------------------------------------------

REASON_WINNER = "予定価格の制限の範囲内で最低の価格をもって入札した者を落札者とします（入札心得第14条）。"
REASON_REBID = "予定価格の制限に達した価格の入札がないため、直ちに再度の入札を行います（入札心得第15条）。"
REASON_NO_VALID = "有効な入札がないため、落札者を決定できません（入札心得第11条、第14条）。"


def reason_tie(count):
    return f"落札となるべき同価格の入札をした者が{count}者あるため、くじにより落札者を決定します（入札心得第16条）。"


def bid(bid_id, amount, order, valid=True):
    return BidFact(bid_id=bid_id, amount=amount, valid=valid, order=order)


OUTCOMES = [
    # 名前, 入札, 予定価格, 税込か, 期待する結果
    (
        "single winner, tax-included ceiling",
        # 比べる金額：990,000 / 1,045,000 / 1,100,000（ちょうど）
        [bid(1, 900_000, 1), bid(2, 950_000, 2), bid(3, 1_000_000, 3)],
        1_100_000,
        True,
        Outcome("winner", 1, (), (1, 2, 3), REASON_WINNER),
    ),
    (
        "single winner, the most expensive is one yen over",
        # 3 は 1,000,001 → 1,100,001 で範囲外
        [bid(1, 900_000, 1), bid(2, 950_000, 2), bid(3, 1_000_001, 3)],
        1_100_000,
        True,
        Outcome("winner", 1, (), (1, 2), REASON_WINNER),
    ),
    (
        "single winner submitted last",
        [bid(10, 5_000_000, 1), bid(20, 4_000_000, 2), bid(30, 3_999_999, 3)],
        5_000_000,
        False,
        Outcome("winner", 30, (), (30, 20, 10), REASON_WINNER),
    ),
    (
        "a lone valid bid within the ceiling wins",
        [bid(7, 1_000, 1)],
        1_100,
        True,
        Outcome("winner", 7, (), (7,), REASON_WINNER),
    ),
    (
        "a bid exactly at a tax-excluded ceiling wins",
        [bid(1, 1_000_000, 1)],
        1_000_000,
        False,
        Outcome("winner", 1, (), (1,), REASON_WINNER),
    ),
    (
        "the same bid exceeds a tax-included ceiling of the same figure",
        [bid(1, 1_000_000, 1)],
        1_000_000,
        True,
        Outcome("rebid", None, (), (), REASON_REBID),
    ),
    (
        "the cheapest bid is invalid and is ignored",
        [bid(1, 800_000, 1, valid=False), bid(2, 900_000, 2), bid(3, 950_000, 3)],
        1_100_000,
        True,
        Outcome("winner", 2, (), (2, 3), REASON_WINNER),
    ),
    (
        "an invalid bid is never ranked",
        [bid(1, 900_000, 1), bid(2, 910_000, 2, valid=False), bid(3, 920_000, 3)],
        1_100_000,
        True,
        Outcome("winner", 1, (), (1, 3), REASON_WINNER),
    ),
    (
        "two-way tie",
        # 比べる金額：1,045,000 / 990,000 / 990,000
        [bid(1, 950_000, 1), bid(2, 900_000, 2), bid(3, 900_000, 3)],
        1_100_000,
        True,
        Outcome("tie", None, (2, 3), (2, 3, 1), reason_tie(2)),
    ),
    (
        "three-way tie listed in submission order",
        # 提出順は 3, 1, 2 の順（order 1, 2, 3）
        [bid(1, 700_000, 2), bid(2, 700_000, 3), bid(3, 700_000, 1), bid(4, 800_000, 4)],
        1_000_000,
        False,
        Outcome("tie", None, (3, 1, 2), (3, 1, 2, 4), reason_tie(3)),
    ),
    (
        "tie among valid bids with an invalid one cheaper",
        [bid(1, 500_000, 1, valid=False), bid(2, 600_000, 2), bid(3, 600_000, 3), bid(4, 650_000, 4)],
        1_000_000,
        True,
        Outcome("tie", None, (2, 3), (2, 3, 4), reason_tie(2)),
    ),
    (
        "a tie exactly at the ceiling",
        [bid(1, 909_091, 1), bid(2, 909_091, 2)],
        1_000_000,
        True,
        Outcome("tie", None, (1, 2), (1, 2), reason_tie(2)),
    ),
    (
        "a tie above the ceiling is a rebid, not a lottery",
        [bid(1, 909_092, 1), bid(2, 909_092, 2)],
        1_000_000,
        True,
        Outcome("rebid", None, (), (), REASON_REBID),
    ),
    (
        "a tie for second place needs no lottery",
        [bid(1, 500_000, 1), bid(2, 600_000, 2), bid(3, 600_000, 3)],
        1_000_000,
        False,
        Outcome("winner", 1, (), (1, 2, 3), REASON_WINNER),
    ),
    (
        "all over the ceiling means a rebid",
        [bid(1, 1_000_001, 1), bid(2, 1_200_000, 2)],
        1_100_000,
        True,
        Outcome("rebid", None, (), (), REASON_REBID),
    ),
    (
        "all over a tax-excluded ceiling by one yen means a rebid",
        [bid(1, 1_000_001, 1), bid(2, 1_000_001, 2)],
        1_000_000,
        False,
        Outcome("rebid", None, (), (), REASON_REBID),
    ),
    (
        "only the invalid bid was within the ceiling",
        [bid(1, 900_000, 1, valid=False), bid(2, 1_100_000, 2)],
        1_100_000,
        True,
        Outcome("rebid", None, (), (), REASON_REBID),
    ),
    (
        "all invalid",
        [bid(1, 900_000, 1, valid=False), bid(2, 950_000, 2, valid=False)],
        1_100_000,
        True,
        Outcome("no_valid_bid", None, (), (), REASON_NO_VALID),
    ),
    (
        "no bids at all",
        [],
        1_100_000,
        True,
        Outcome("no_valid_bid", None, (), (), REASON_NO_VALID),
    ),
    (
        "a zero-yen bid is within any ceiling",
        [bid(1, 0, 1), bid(2, 1, 2)],
        0,
        True,
        Outcome("winner", 1, (), (1,), REASON_WINNER),
    ),
]


@pytest.mark.parametrize(
    ("name", "bids", "ceiling", "tax_included_ceiling", "expected"), OUTCOMES, ids=[o[0] for o in OUTCOMES]
)
def test_the_lowest_price_outcome_follows_articles_14_15_and_16(name, bids, ceiling, tax_included_ceiling, expected):
    assert lowest_price_outcome(bids, ceiling, ceiling_tax_included=tax_included_ceiling) == expected


@pytest.mark.parametrize(
    ("name", "bids", "ceiling", "tax_included_ceiling", "expected"), OUTCOMES, ids=[o[0] for o in OUTCOMES]
)
def test_the_outcome_does_not_depend_on_the_order_of_the_list(name, bids, ceiling, tax_included_ceiling, expected):
    reversed_bids = list(reversed(bids))
    assert lowest_price_outcome(reversed_bids, ceiling, ceiling_tax_included=tax_included_ceiling) == expected


@pytest.mark.parametrize(
    ("name", "bids", "ceiling", "tax_included_ceiling", "expected"), OUTCOMES, ids=[o[0] for o in OUTCOMES]
)
def test_the_outcome_is_consistent_with_its_kind(name, bids, ceiling, tax_included_ceiling, expected):
    outcome = lowest_price_outcome(bids, ceiling, ceiling_tax_included=tax_included_ceiling)
    if outcome.kind == "winner":
        assert outcome.winner_id == outcome.ranking[0] and outcome.tied_ids == ()
    elif outcome.kind == "tie":
        assert outcome.winner_id is None and len(outcome.tied_ids) >= 2
        assert outcome.ranking[: len(outcome.tied_ids)] == outcome.tied_ids
    else:
        assert outcome.winner_id is None and outcome.tied_ids == () and outcome.ranking == ()


@pytest.mark.parametrize(
    "bids",
    [
        [bid(1, 100, 1), bid(1, 200, 2)],
        [bid(1, 100, 1), bid(2, 200, 1)],
    ],
    ids=["duplicate bid id", "duplicate submission order"],
)
def test_duplicate_bids_are_refused(bids):
    with pytest.raises(ValueError):
        lowest_price_outcome(bids, 1_000, ceiling_tax_included=True)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(bid_id=1, amount=100.0, valid=True, order=1),
        dict(bid_id=1, amount=True, valid=True, order=1),
        dict(bid_id=1, amount=Decimal("100"), valid=True, order=1),
        dict(bid_id=1.0, amount=100, valid=True, order=1),
        dict(bid_id=1, amount=100, valid=1, order=1),
        dict(bid_id=1, amount=100, valid=True, order=1.0),
    ],
)
def test_a_bid_fact_rejects_float_bool_and_other_types(kwargs):
    with pytest.raises(TypeError):
        BidFact(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(bid_id=1, amount=-1, valid=True, order=1),
        dict(bid_id=1, amount=100, valid=True, order=0),
        dict(bid_id=1, amount=100, valid=True, order=-1),
    ],
)
def test_a_bid_fact_rejects_a_negative_amount_or_an_order_below_one(kwargs):
    with pytest.raises(ValueError):
        BidFact(**kwargs)


def test_lowest_price_outcome_rejects_a_float_ceiling():
    with pytest.raises(TypeError):
        lowest_price_outcome([bid(1, 100, 1)], 1_000.0, ceiling_tax_included=True)


def test_lowest_price_outcome_rejects_things_that_are_not_bid_facts():
    with pytest.raises(TypeError):
        lowest_price_outcome([(1, 100, True, 1)], 1_000, ceiling_tax_included=True)


# ---------------------------------------------------------------------------
# 電子くじ
# ---------------------------------------------------------------------------

# 手計算の例：提出順に A=くじ番号123・受理時乱数100、B=456・400、C=789・500。
#   1回目：残り (A, B, C)、合計 223+856+1289 = 2368、2368 % 3 = 1（2367 = 3×789）→ 2番目の B が1位。
#   2回目：残り (A, C)、合計 223+1289 = 1512、1512 % 2 = 0 → 先頭の A が2位。
#   残った C が3位。順位は B, A, C。
WORKED_ENTRIES = [LotteryEntry(1, 123, 1, 100), LotteryEntry(2, 456, 2, 400), LotteryEntry(3, 789, 3, 500)]


def test_the_worked_example():
    result = draw(WORKED_ENTRIES)
    assert result == LotteryResult(
        ranking=(2, 1, 3),
        steps=(
            LotteryStep(remaining=(1, 2, 3), total=2368, index=1, picked=2),
            LotteryStep(remaining=(1, 3), total=1512, index=0, picked=1),
        ),
        algorithm=LOTTERY_ALGORITHM,
    )


@pytest.mark.parametrize(
    "shuffled", list(permutations(WORKED_ENTRIES)), ids=lambda p: "-".join(str(e.bid_id) for e in p)
)
def test_the_entries_are_taken_in_submission_order_whatever_the_list_order(shuffled):
    assert draw(list(shuffled)) == draw(WORKED_ENTRIES)


# ([(入札の番号, くじ番号, 提出順, 受理時乱数)], 各回の (合計, 番号), 順位) すべて手計算。
HAND_DRAWS = [
    # 2者、すべて 0：0 % 2 = 0 → 先頭。
    ([(10, 0, 1, 0), (20, 0, 2, 0)], [(0, 0)], (10, 20)),
    # 先頭の受理時乱数が 1：1 % 2 = 1 → 2番目。
    ([(10, 0, 1, 1), (20, 0, 2, 0)], [(1, 1)], (20, 10)),
    # 提出順が入札の番号と逆：(20 が先)。999+1 = 1000、% 2 = 0 → 20。
    ([(10, 1, 2, 0), (20, 999, 1, 0)], [(1000, 0)], (20, 10)),
    # 3者すべて 0：毎回 0 → 提出順のまま。
    ([(1, 0, 1, 0), (2, 0, 2, 0), (3, 0, 3, 0)], [(0, 0), (0, 0)], (1, 2, 3)),
    # 3者のくじ番号 0、3番目の受理時乱数 2：2 % 3 = 2 → 3。3 が抜けて残り (1, 2)：0 % 2 = 0 → 1。
    ([(1, 0, 1, 0), (2, 0, 2, 0), (3, 0, 3, 2)], [(2, 2), (0, 0)], (3, 1, 2)),
    # 4者 1,2,3,4、乱数 0：10 % 4 = 2 → 103。残り (101,102,104)：7 % 3 = 1 → 102。残り (101,104)：5 % 2 = 1 → 104。
    (
        [(101, 1, 1, 0), (102, 2, 2, 0), (103, 3, 3, 0), (104, 4, 4, 0)],
        [(10, 2), (7, 1), (5, 1)],
        (103, 102, 104, 101),
    ),
    # 3者とも 999・999：5994 % 3 = 0 → 1。残り (2, 3)：3996 % 2 = 0 → 2。最後 3。
    ([(1, 999, 1, 999), (2, 999, 2, 999), (3, 999, 3, 999)], [(5994, 0), (3996, 0)], (1, 2, 3)),
    # 5者 10,20,30,40,50、先頭の受理時乱数 7：157 % 5 = 2 → 3。残り (1,2,4,5)：127 % 4 = 3 → 5。
    # 残り (1,2,4)：77 % 3 = 2 → 4。残り (1,2)：37 % 2 = 1 → 2。最後 1。
    (
        [(1, 10, 1, 7), (2, 20, 2, 0), (3, 30, 3, 0), (4, 40, 4, 0), (5, 50, 5, 0)],
        [(157, 2), (127, 3), (77, 2), (37, 1)],
        (3, 5, 4, 2, 1),
    ),
    # 2者 500・999 と 499・0：1998、% 2 = 0 → 先頭。
    ([(8, 500, 1, 999), (9, 499, 2, 0)], [(1998, 0)], (8, 9)),
    # 提出順が飛んでいても並び順だけを使う（order 5, 9）。42+58 = 100、% 2 = 0 → 先頭の order 5。
    ([(1, 58, 9, 0), (2, 42, 5, 0)], [(100, 0)], (2, 1)),
]


@pytest.mark.parametrize(("rows", "steps", "ranking"), HAND_DRAWS)
def test_draws_computed_by_hand(rows, steps, ranking):
    entries = [LotteryEntry(*row) for row in rows]
    result = draw(entries)
    assert result.ranking == ranking
    assert [(s.total, s.index) for s in result.steps] == steps
    assert [s.picked for s in result.steps] == list(ranking[:-1])
    assert result.algorithm == LOTTERY_ALGORITHM


@pytest.mark.parametrize(("rows", "steps", "ranking"), HAND_DRAWS)
def test_each_step_picks_the_remainder_of_the_sum_among_those_remaining(rows, steps, ranking):
    entries = sorted((LotteryEntry(*row) for row in rows), key=lambda e: e.order)
    values = {e.bid_id: e.number + e.receipt_random for e in entries}
    remaining = [e.bid_id for e in entries]
    result = draw(entries)
    assert len(result.steps) == len(entries) - 1
    for step in result.steps:
        assert step.remaining == tuple(remaining)
        assert step.total == sum(values[i] for i in remaining)
        assert step.index == step.total % len(remaining)
        assert step.picked == remaining[step.index]
        remaining.remove(step.picked)


RANDOM_SHIFTS = [0, 1, 2, 3, 5, 11, 499, 998, 999]
ENTRY_SETS = [
    WORKED_ENTRIES,
    [LotteryEntry(1, 0, 1, 0), LotteryEntry(2, 0, 2, 0)],
    [LotteryEntry(i, (i * 37) % 1000, i, (i * 101) % 1000) for i in range(1, 8)],
    [LotteryEntry(100 + i, 999, i, 999) for i in range(1, 11)],
]


def _shifted(entries, shift):
    return [LotteryEntry(e.bid_id, e.number, e.order, (e.receipt_random + shift * e.order) % 1000) for e in entries]


@pytest.mark.parametrize("shift", RANDOM_SHIFTS)
@pytest.mark.parametrize("entries", ENTRY_SETS, ids=["worked", "two", "seven", "ten"])
def test_every_result_is_a_permutation_of_the_entries_and_verifies(entries, shift):
    entries = _shifted(entries, shift)
    result = draw(entries)
    assert sorted(result.ranking) == sorted(e.bid_id for e in entries)
    assert len(set(result.ranking)) == len(entries)
    assert verify(entries, result) is True


@pytest.mark.parametrize("shift", RANDOM_SHIFTS)
def test_the_same_inputs_always_give_the_same_result(shift):
    entries = _shifted(WORKED_ENTRIES, shift)
    first = draw(entries)
    for _ in range(3):
        assert draw(list(entries)) == first


def test_the_algorithm_is_described_in_japanese_for_everyone_to_check():
    result = draw(WORKED_ENTRIES)
    for phrase in ("提出順", "くじ番号", "受理時乱数", "受理票", "余り", "1者が残るまで", "くじの時点で引く乱数はありません"):
        assert phrase in result.algorithm


def test_the_draw_takes_no_input_but_the_committed_entries():
    """Nothing chosen at the time of the draw can change it: the function has no other input."""
    import inspect

    assert list(inspect.signature(draw).parameters) == ["entries"]


def test_a_different_receipt_random_can_give_a_different_winner():
    # C の受理時乱数 502：2370 % 3 = 0 → A が1位（上の例では B）。
    changed = WORKED_ENTRIES[:2] + [LotteryEntry(3, 789, 3, 502)]
    assert draw(WORKED_ENTRIES).ranking[0] == 2
    assert draw(changed).ranking[0] == 1


def _tampered(result, **changes):
    fields = dict(ranking=result.ranking, steps=result.steps, algorithm=result.algorithm)
    fields.update(changes)
    return LotteryResult(**fields)


GENUINE = draw(WORKED_ENTRIES)


@pytest.mark.parametrize(
    "tampered",
    [
        _tampered(GENUINE, ranking=(1, 2, 3)),
        _tampered(GENUINE, ranking=(2, 3, 1)),
        _tampered(GENUINE, ranking=(2, 1)),
        _tampered(GENUINE, ranking=(2, 1, 3, 4)),
        _tampered(GENUINE, steps=GENUINE.steps[:1]),
        _tampered(GENUINE, steps=(LotteryStep((1, 2, 3), 2369, 2, 3), GENUINE.steps[1])),
        _tampered(GENUINE, algorithm="乱数で決めました。"),
        # C の受理時乱数が 502 だった場合の正しい結果を、この入力の結果として示したもの
        draw(WORKED_ENTRIES[:2] + [LotteryEntry(3, 789, 3, 502)]),
    ],
    ids=[
        "ranking in submission order",
        "ranking rotated",
        "ranking short",
        "ranking with a stranger",
        "a step removed",
        "a step altered",
        "algorithm rewritten",
        "another draw relabelled",
    ],
)
def test_verify_detects_a_tampered_result(tampered):
    assert verify(WORKED_ENTRIES, tampered) is False


@pytest.mark.parametrize(
    "entries",
    [
        [LotteryEntry(1, 124, 1, 100), WORKED_ENTRIES[1], WORKED_ENTRIES[2]],  # くじ番号の改ざん
        [LotteryEntry(1, 123, 1, 101), WORKED_ENTRIES[1], WORKED_ENTRIES[2]],  # 受理時乱数の改ざん
        [LotteryEntry(1, 123, 2, 100), LotteryEntry(2, 456, 1, 400), WORKED_ENTRIES[2]],  # 提出順の入替え
        WORKED_ENTRIES[:2],  # 参加者の削除
        WORKED_ENTRIES + [LotteryEntry(4, 0, 4, 0)],  # 参加者の追加
        WORKED_ENTRIES[:1],  # 1者だけ（くじにならない）
    ],
    ids=["number changed", "receipt random changed", "order swapped", "entry removed", "entry added", "one entry"],
)
def test_verify_detects_entries_that_differ_from_those_drawn(entries):
    assert verify(entries, GENUINE) is False


def test_verify_accepts_the_genuine_result():
    assert verify(WORKED_ENTRIES, GENUINE) is True
    assert verify(list(reversed(WORKED_ENTRIES)), GENUINE) is True


def test_verify_needs_a_lottery_result():
    with pytest.raises(TypeError):
        verify(WORKED_ENTRIES, (2, 1, 3))


@pytest.mark.parametrize("receipt_random", [0, 1, 999])
def test_receipt_random_bounds_are_inclusive(receipt_random):
    assert LotteryEntry(1, 0, 1, receipt_random).receipt_random == receipt_random


@pytest.mark.parametrize("receipt_random", [-1, 1000, 10**12])
def test_receipt_random_outside_0_to_999_is_refused(receipt_random):
    with pytest.raises(ValueError, match="受理時乱数"):
        LotteryEntry(1, 0, 1, receipt_random)



@pytest.mark.parametrize("receipt_random", [1000.0, True, False, Decimal("1000"), "1000", None])
def test_receipt_random_must_be_an_int(receipt_random):
    with pytest.raises(TypeError):
        LotteryEntry(1, 123, 1, receipt_random)


@pytest.mark.parametrize("entries", [[], [LotteryEntry(1, 123, 1, 0)]], ids=["none", "one"])
def test_a_lottery_needs_at_least_two_entries(entries):
    with pytest.raises(ValueError, match="二者以上"):
        draw(entries)


@pytest.mark.parametrize(
    "entries",
    [
        [LotteryEntry(1, 123, 1, 0), LotteryEntry(1, 456, 2, 0)],
        [LotteryEntry(1, 123, 1, 0), LotteryEntry(2, 456, 1, 0)],
    ],
    ids=["duplicate bid id", "duplicate order"],
)
def test_duplicate_lottery_entries_are_refused(entries):
    with pytest.raises(ValueError):
        draw(entries)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        (dict(bid_id=1, number=-1, order=1, receipt_random=0), ValueError),
        (dict(bid_id=1, number=1000, order=1, receipt_random=0), ValueError),
        (dict(bid_id=1, number=1, order=0, receipt_random=0), ValueError),
        (dict(bid_id=1, number=12.0, order=1, receipt_random=0), TypeError),
        (dict(bid_id=1, number=True, order=1, receipt_random=0), TypeError),
        (dict(bid_id=1, number="123", order=1, receipt_random=0), TypeError),
        (dict(bid_id="1", number=123, order=1, receipt_random=0), TypeError),
        (dict(bid_id=1, number=123, order=1.0, receipt_random=0), TypeError),
    ],
)
def test_a_lottery_entry_holds_a_number_from_0_to_999_and_an_order_from_1(kwargs, error):
    with pytest.raises(error):
        LotteryEntry(**kwargs)


@pytest.mark.parametrize("number", [0, 1, 500, 999])
def test_lottery_entry_numbers_at_the_bounds_are_accepted(number):
    assert LotteryEntry(1, number, 1, 0).number == number


def test_lottery_numbers_read_from_the_form_feed_the_draw():
    # 「１２３」「456」「７８９」を読み、上の手計算の例と同じ結果になる。
    texts = ["１２３", "456", "７８９"]
    randoms = [100, 400, 500]
    entries = [LotteryEntry(i, int(normalise_lottery_number(t)), i, randoms[i - 1]) for i, t in enumerate(texts, start=1)]
    assert draw(entries).ranking == (2, 1, 3)


def test_a_tie_outcome_can_be_settled_by_the_lottery():
    outcome = lowest_price_outcome(
        [bid(11, 700_000, 1), bid(12, 700_000, 2), bid(13, 700_000, 3)], 1_000_000, ceiling_tax_included=True
    )
    numbers = {11: 123, 12: 456, 13: 789}
    orders = {11: 1, 12: 2, 13: 3}
    randoms = {11: 100, 12: 400, 13: 500}
    entries = [LotteryEntry(i, numbers[i], orders[i], randoms[i]) for i in outcome.tied_ids]
    assert draw(entries).ranking == (12, 11, 13)


@pytest.mark.parametrize("award_day, deadline", [
    (date(2026, 4, 3), date(2026, 4, 8)),  # Friday + 5 days = Wednesday
    (date(2026, 12, 21), date(2026, 12, 28)),  # + 5 = Saturday 26th → Monday 28th
    (date(2026, 12, 24), date(2027, 1, 4)),  # + 5 = 29 December, the year-end break → 4 January
    (date(2028, 2, 24), date(2028, 2, 29)),  # leap day, a Tuesday
])
def test_the_signed_contract_is_due_five_days_after_the_award(award_day, deadline):
    from tender.rules.bids import contract_submission_deadline

    assert contract_submission_deadline(award_day) == deadline


@pytest.mark.parametrize(("name", "unit"), [
    ("入札書（様式3）", "通"), ("委任状（委任する場合）", "通"), ("資格審査結果通知書の写し", "通"),
    ("暴力団排除に関する誓約書", "通"), ("提案書", "部"), ("評価項目一覧", "部"), ("会社概要", "部"),
])
def test_copies_are_counted_as_the_seed_counts_them(name, unit):
    """002 様式4: 委任状 1通、入札書（封緘）1通、資格審査結果通知書の写し 1通；提案書 7部、評価項目一覧 7部."""
    from tender.rules.bids import copies_unit

    assert copies_unit(name) == unit

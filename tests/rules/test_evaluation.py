"""評価エンジン（tender.rules.evaluation）の検査。期待値はすべて手計算による（計算はコメントに書く）。

* 比べる金額：予定価格が税込なら 入札書の金額 ＋ 金額 × 税率（1円未満切捨て）、税抜なら金額そのもの。
* 価格点 ＝ 価格点の配分 ×（1 − 比べる金額 ÷ 予定価格）、小数点第2位以下切捨て（13.58 → 13.5）。
* 技術点 ＝ 満たした必須項目の基礎点 ＋ ランクの加点（15点：S15 A9 B4 C0、10点：S10 A6 B3 C0）＋ 認定等の最高の1区分。
* 調査基準：予定価格 > 下限 かつ 比べる金額 < 予定価格 × 割合 → 保留。「<」なので等しければ保留しない。
"""
from dataclasses import FrozenInstanceError, fields, is_dataclass
from decimal import Decimal
from fractions import Fraction

import pytest

from tender.rules.bids import comparison_price
from tender.rules.evaluation import (
    AWARD_STATUSES,
    BID_STATUSES,
    DIVISION_PRICE_UNIT,
    METHODS,
    RANK_TABLES,
    Award,
    BidInput,
    BidResult,
    Case,
    Criterion,
    Evaluation,
    LowBidRule,
    ScoreError,
    compared_price,
    criterion_points,
    division_rank,
    division_value,
    evaluate,
    price_score,
    register_method,
    technical_score,
)

# ---------------------------------------------------------------------------
# 小さな組み立て役（CTFd の gen_* のように、既定値で足りるところは書かない）
# ---------------------------------------------------------------------------

WLB_TABLE = {"platinum_eruboshi": 9, "eruboshi_3": 8, "youth_yell": 6}


def mandatory(criterion_id="1.1", points=11):
    return Criterion(criterion_id, "mandatory", points)


def ranked(criterion_id="1.2.2", points=15, ranks=None):
    return Criterion(criterion_id, "ranked", points, ranks=ranks)


def certification(criterion_id="4", points=9, table=None):
    return Criterion(criterion_id, "certification", points, table=WLB_TABLE if table is None else table)


def bid(bidder, amount, **kwargs):
    return BidInput(bidder, amount, **kwargs)


def case(*bids, method="weighted_sum", estimated=11_000_000, included=False, criteria=(), **kwargs):
    """既定は税抜の予定価格（比べる金額＝入札書の金額）なので、価格の計算を直接書ける。"""
    return Case(
        method=method,
        estimated_price=estimated,
        estimated_price_tax_included=included,
        criteria=tuple(criteria),
        bids=tuple(bids),
        **kwargs,
    )


# 技術点を自由に作るための一項目：10点の任意項目（S10 A6 B3 C0）。
TEN = ranked("t", 10)


def scored(bidder, amount, rank="S", **kwargs):
    return bid(bidder, amount, scores={"t": rank}, **kwargs)


def statuses(evaluation):
    return [r.status for r in evaluation.results]


# ---------------------------------------------------------------------------
# 仕様の例（/work/shared/spec/evaluation-case.md）
# ---------------------------------------------------------------------------

SPEC_CRITERIA = (
    mandatory("1.1", 11),
    ranked("1.2.2", 15),
    ranked("2.1", 20, ranks={"S": 20, "A": 12, "B": 5, "C": 0}),
    certification("4", 9),
)


def spec_case(**overrides):
    values = dict(
        method="weighted_sum",
        estimated_price=11_000_000,
        estimated_price_tax_included=True,
        tax_rate_percent=10,
        price_points=110,
        low_bid=LowBidRule(Decimal("0.6"), 10_000_000),
        criteria=SPEC_CRITERIA,
        bids=(
            BidInput("A", 9_000_000, scores={"1.1": "met", "1.2.2": "S", "2.1": "B", "4": ["youth_yell"]}),
            BidInput("B", 9_500_000, invalid="代理人が委任状を提出していない"),
        ),
    )
    values.update(overrides)
    return Case(**values)


def test_the_spec_example_awards_a_with_technical_37_price_11_and_total_48():
    # A：比べる金額 9,000,000 + 900,000 = 9,900,000
    #    技術点 11（必須）+ 15（S/15点）+ 5（B/独自の表）+ 6（ユースエール）= 37
    #    価格点 110 × (1 − 9,900,000 ÷ 11,000,000) = 110 × 0.1 = 11.0、合計 48.0
    # B：無効（第11条）→ それ以上の判定に加わらない
    # 調査基準：11,000,000 > 10,000,000 だが 9,900,000 < 6,600,000 ではない → 落札
    assert evaluate(spec_case()) == Evaluation(
        results=(
            BidResult("A", "candidate", 9_900_000, 37, Decimal("11.0"), Decimal("48.0")),
            BidResult("B", "invalid", None, None, None, None),
        ),
        award=Award("awarded", "A", ("A",)),
    )


def test_the_spec_example_keeps_one_decimal_in_price_and_total():
    a = evaluate(spec_case()).results[0]
    assert str(a.price) == "11.0" and str(a.total) == "48.0"
    assert a.price.as_tuple().exponent == -1 and a.total.as_tuple().exponent == -1


def test_no_binary_float_appears_anywhere_in_an_evaluation():
    def walk(value):
        assert not isinstance(value, float)
        if is_dataclass(value):
            for f in fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    walk(evaluate(spec_case()))
    walk(evaluate(spec_case(method="division")))


def test_the_status_vocabularies_are_exactly_the_spec_s():
    assert BID_STATUSES == ("invalid", "failed_screening", "failed_mandatory", "over_estimate", "candidate")
    assert AWARD_STATUSES == ("awarded", "held_for_investigation", "lottery_required", "rebid_required", "no_valid_bid")


def test_inputs_and_outputs_are_frozen():
    evaluation = evaluate(spec_case())
    with pytest.raises(FrozenInstanceError):
        evaluation.award.status = "awarded"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        evaluation.results[0].total = Decimal("99")  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        spec_case().estimated_price = 1  # type: ignore[misc]


# ---------------------------------------------------------------------------
# 規則1：比べる金額
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "included", "rate", "expected"),
    [
        (9_000_000, True, 10, 9_900_000),  # 9,000,000 + 900,000
        (1_234_567, True, 10, 1_358_023),  # 123,456.7 → 123,456；1,234,567 + 123,456
        (1_234_567, True, 8, 1_333_332),  # 98,765.36 → 98,765；1,234,567 + 98,765
        (1_234_567, True, 0, 1_234_567),  # 税率0%
        (1_234_567, False, 10, 1_234_567),  # 税抜の予定価格：書いた金額のまま
        (9, True, 10, 9),  # 0.9 → 0
        (19, True, 10, 20),  # 1.9 → 1
        (0, True, 10, 0),
        (10_909_091, True, 10, 12_000_000),  # 1,090,909.1 → 1,090,909
        (10_909_090, True, 10, 11_999_999),  # 1,090,909.0
        (10_000_000, True, 8, 10_800_000),
    ],
)
def test_the_compared_price_adds_tax_with_fractions_cut_only_when_the_estimate_includes_tax(
    amount, included, rate, expected
):
    assert compared_price(amount, estimated_price_tax_included=included, tax_rate_percent=rate) == expected


@pytest.mark.parametrize("amount", [0, 1, 9, 10, 11, 19, 999_999, 1_234_567, 9_000_000, 10_909_091, 123_456_789])
def test_the_compared_price_at_ten_percent_agrees_with_the_bids_module(amount):
    for included in (True, False):
        assert compared_price(amount, estimated_price_tax_included=included) == comparison_price(
            amount, ceiling_tax_included=included
        )


@pytest.mark.parametrize(("amount", "error"), [(1.0, TypeError), (True, TypeError), ("100", TypeError), (-1, ValueError)])
def test_the_compared_price_rejects_floats_booleans_strings_and_negative_amounts(amount, error):
    with pytest.raises(error):
        compared_price(amount, estimated_price_tax_included=True)


def test_the_tax_rate_of_a_case_is_its_percent_as_a_decimal():
    assert spec_case().tax_rate == Decimal("0.1")
    assert spec_case(tax_rate_percent=8).tax_rate == Decimal("0.08")


def test_the_tax_rate_of_the_case_decides_whether_a_bid_is_within_the_estimate():
    # 10,000,000 × 8% = 800,000 → 10,800,000 ＝ 予定価格（範囲内）；10% なら 11,000,000 > 10,800,000
    at_eight = case(scored("A", 10_000_000), estimated=10_800_000, included=True, tax_rate_percent=8, criteria=[TEN])
    at_ten = case(scored("A", 10_000_000), estimated=10_800_000, included=True, tax_rate_percent=10, criteria=[TEN])
    assert evaluate(at_eight).results[0].compared_price == 10_800_000
    assert statuses(evaluate(at_eight)) == ["candidate"]
    assert evaluate(at_ten).results[0].compared_price == 11_000_000
    assert statuses(evaluate(at_ten)) == ["over_estimate"]


def test_a_tax_included_estimate_compares_the_bid_plus_tax_and_prices_it_on_that_basis():
    # 税込：比べる金額 9,900,000；価格点 110 × 1,100,000 / 11,000,000 = 11.0
    included = evaluate(case(scored("A", 9_000_000), included=True, criteria=[TEN])).results[0]
    assert (included.compared_price, included.price) == (9_900_000, Decimal("11.0"))
    # 税抜：比べる金額 9,000,000；価格点 110 × 2,000,000 / 11,000,000 = 20.0
    excluded = evaluate(case(scored("A", 9_000_000), included=False, criteria=[TEN])).results[0]
    assert (excluded.compared_price, excluded.price) == (9_000_000, Decimal("20.0"))


# ---------------------------------------------------------------------------
# 規則4：価格点（小数点第2位以下切捨て）
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("compared", "estimated", "points", "expected"),
    [
        (9_900_000, 11_000_000, 110, "11.0"),  # 110 × 1,100,000 / 11,000,000 = 11（ちょうど）
        (9_642_000, 11_000_000, 110, "13.5"),  # 110 × 1,358,000 / 11,000,000 = 13.58 → 13.5
        (9_641_000, 11_000_000, 110, "13.5"),  # 13.59 → 13.5（四捨五入なら 13.6）
        (10_450_000, 11_000_000, 110, "5.5"),  # 110 × 550,000 / 11,000,000 = 5.5（ちょうど）
        (10_991_000, 11_000_000, 110, "0.0"),  # 110 × 9,000 / 11,000,000 = 0.09 → 0.0
        (11_000_000, 11_000_000, 110, "0.0"),  # 予定価格ちょうど → 0
        (0, 11_000_000, 110, "110.0"),  # 0円 → 配分いっぱい
        (2_000_000, 3_000_000, 110, "36.6"),  # 110 / 3 = 36.666… → 36.6（四捨五入なら 36.7）
        (27_500_000, 30_000_000, 110, "9.1"),  # 110 × 2.5 / 30 = 9.1666… → 9.1
        (23_100_000, 30_000_000, 110, "25.3"),  # 110 × 6.9 / 30 = 25.3（ちょうど）
        (1, 3, 110, "73.3"),  # 110 × 2 / 3 = 73.333… → 73.3
        (1, 10_000_000, 110, "109.9"),  # 110 × 9,999,999 / 10,000,000 = 109.999989 → 109.9（四捨五入なら 110.0）
        (9_999_999, 10_000_000, 110, "0.0"),  # 110 / 10,000,000 = 0.000011 → 0.0
        (9_900_000, 11_000_000, 50, "5.0"),  # 50 × 0.1
        (9_900_000, 11_000_000, 0, "0.0"),  # 配分0
        (6_999_999, 7_000_000, 110, "0.0"),  # 110 / 7,000,000 → 0.0000157 → 0.0
        (5_950_000, 7_000_000, 110, "16.5"),  # 110 × 1,050,000 / 7,000,000 = 16.5（ちょうど）
        (5_949_999, 7_000_000, 110, "16.5"),  # 110 × 1,050,001 / 7,000,000 = 16.500015… → 16.5
        (5_950_001, 7_000_000, 110, "16.4"),  # 110 × 1,049,999 / 7,000,000 = 16.499984… → 16.4（四捨五入なら 16.5）
    ],
)
def test_the_price_score_is_cut_after_the_first_decimal(compared, estimated, points, expected):
    score = price_score(compared, estimated, points)
    assert isinstance(score, Decimal)
    assert str(score) == expected
    assert score.as_tuple().exponent == -1


def test_the_price_score_of_a_bid_over_the_estimate_is_undefined():
    with pytest.raises(ValueError):
        price_score(11_000_001, 11_000_000, 110)


@pytest.mark.parametrize("bad", [9_900_000.0, True, "9900000"])
def test_the_price_score_refuses_floats_and_other_types(bad):
    with pytest.raises(TypeError):
        price_score(bad, 11_000_000, 110)


def test_a_price_that_would_round_up_is_cut_in_the_evaluation_itself():
    # 技術点 10（S）＋ 価格点 13.59 → 13.5；合計 23.5（四捨五入なら 23.6）
    result = evaluate(case(scored("A", 9_641_000), criteria=[TEN])).results[0]
    assert (result.technical, result.price, result.total) == (10, Decimal("13.5"), Decimal("23.5"))


def test_the_total_is_technical_plus_the_already_cut_price():
    # 技術点 6（A）＋ 価格点 110 × 2/3 = 73.3（切捨て後）＝ 79.3
    result = evaluate(case(scored("A", 1, "A"), estimated=3, criteria=[TEN])).results[0]
    assert result.total == Decimal("79.3")


def test_price_points_of_the_case_scale_the_price_score():
    # 配分 50：50 × (1 − 9,900,000 / 11,000,000) = 5.0
    result = evaluate(case(scored("A", 9_900_000), price_points=50, criteria=[TEN])).results[0]
    assert result.price == Decimal("5.0") and result.total == Decimal("15.0")


# ---------------------------------------------------------------------------
# 技術点：必須・ランク・認定等
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "points"), [("met", 11), ("not_met", 0)])
def test_a_mandatory_item_gives_its_base_points_only_when_met(value, points):
    assert criterion_points(mandatory("1.1", 11), value, bidder="A") == points


@pytest.mark.parametrize(
    ("points", "rank", "expected"),
    [(15, "S", 15), (15, "A", 9), (15, "B", 4), (15, "C", 0), (10, "S", 10), (10, "A", 6), (10, "B", 3), (10, "C", 0)],
)
def test_the_seed_rank_tables_score_15_and_10_point_items(points, rank, expected):
    assert criterion_points(ranked("x", points), rank, bidder="A") == expected


def test_the_default_rank_tables_are_the_seed_s():
    assert RANK_TABLES == {15: {"S": 15, "A": 9, "B": 4, "C": 0}, 10: {"S": 10, "A": 6, "B": 3, "C": 0}}


@pytest.mark.parametrize(("rank", "expected"), [("S", 20), ("A", 12), ("B", 5), ("C", 0)])
def test_explicit_ranks_score_an_item_of_another_point_value(rank, expected):
    item = ranked("2.1", 20, ranks={"S": 20, "A": 12, "B": 5, "C": 0})
    assert criterion_points(item, rank, bidder="A") == expected


def test_explicit_ranks_override_the_default_table_of_a_15_point_item():
    item = ranked("x", 15, ranks={"S": 15, "A": 10, "B": 5, "C": 0})
    assert criterion_points(item, "A", bidder="A") == 10  # 既定の表なら 9


def test_explicit_ranks_may_name_other_grades():
    item = ranked("x", 5, ranks={"good": 5, "poor": 1})
    assert criterion_points(item, "good", bidder="A") == 5
    assert criterion_points(item, "poor", bidder="A") == 1


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([], 0),  # 該当なし
        (["youth_yell"], 6),
        (["eruboshi_3"], 8),
        (["youth_yell", "eruboshi_3"], 8),  # 最も高い区分だけ：6 + 8 = 14 ではない
        (["eruboshi_3", "youth_yell"], 8),  # 順序によらない
        (["platinum_eruboshi", "eruboshi_3", "youth_yell"], 9),
        (["youth_yell", "youth_yell"], 6),  # 同じコードを二度書いても 12 にはならない
        (("youth_yell",), 6),  # タプルも列
    ],
)
def test_a_certification_item_scores_the_single_highest_listed_code(codes, expected):
    assert criterion_points(certification(), codes, bidder="A") == expected


def test_a_certification_item_never_gives_more_than_its_points():
    item = certification("4", 9, table={"super": 12, "youth_yell": 6})
    assert criterion_points(item, ["super"], bidder="A") == 9  # 12 は上限 9 で切る
    assert criterion_points(item, ["super", "youth_yell"], bidder="A") == 9


def test_the_technical_score_adds_every_item():
    # 11 + 9（A/15）+ 12（A/独自）+ 8（えるぼし3段階）= 40
    scores = {"1.1": "met", "1.2.2": "A", "2.1": "A", "4": ["eruboshi_3", "youth_yell"]}
    assert technical_score(SPEC_CRITERIA, bid("A", 1, scores=scores)) == 40


@pytest.mark.parametrize(
    ("criterion", "value", "words"),
    [
        (ranked("1.2.2", 15), "D", ['"D"', "S, A, B, C"]),
        (ranked("1.2.2", 15), "s", ['"s"']),
        (ranked("1.2.2", 15), None, ["null"]),
        (ranked("1.2.2", 15), ["S"], ['["S"]']),
        (ranked("1.2.2", 15), 15, ["15"]),
        (ranked("2.1", 20, ranks={"S": 20, "A": 12}), "B", ['"B"', "S, A"]),
        (mandatory("1.1"), "yes", ['"yes"', "met"]),
        (mandatory("1.1"), True, ["true"]),
        (mandatory("1.1"), None, ["null"]),
        (certification("4"), ["kurumin"], ['"kurumin"', "certification code"]),
        (certification("4"), ["youth_yell", "kurumin"], ['"kurumin"']),
        (certification("4"), "youth_yell", ["list"]),
        (certification("4"), [6], ["6"]),
        (certification("4"), None, ["list"]),
    ],
)
def test_a_score_that_does_not_fit_its_criterion_is_a_score_error_naming_bidder_and_criterion(
    criterion, value, words
):
    with pytest.raises(ScoreError) as caught:
        criterion_points(criterion, value, bidder="アルファ")
    message = str(caught.value)
    assert '"アルファ"' in message and f'"{criterion.id}"' in message
    for word in words:
        assert word in message
    assert caught.value.bidder == "アルファ" and caught.value.criterion == criterion.id
    assert isinstance(caught.value, ValueError)


def test_a_missing_score_is_a_score_error_naming_bidder_and_criterion():
    with pytest.raises(ScoreError, match=r'bidder "A", criterion "2.1": score missing'):
        evaluate(spec_case(bids=(BidInput("A", 9_000_000, scores={"1.1": "met", "1.2.2": "S", "4": []}),)))


def test_a_score_for_an_unknown_criterion_is_a_score_error():
    scores = {"1.1": "met", "1.2.2": "S", "2.1": "B", "4": [], "9.9": "S"}
    with pytest.raises(ScoreError, match=r'bidder "A", criterion "9.9"'):
        evaluate(spec_case(bids=(BidInput("A", 9_000_000, scores=scores),)))


def test_an_unknown_rank_stops_the_evaluation():
    scores = {"1.1": "met", "1.2.2": "X", "2.1": "B", "4": []}
    with pytest.raises(ScoreError, match=r'criterion "1.2.2": unknown rank "X"'):
        evaluate(spec_case(bids=(BidInput("A", 9_000_000, scores=scores),)))


def test_bad_scores_on_a_void_bid_are_still_reported():
    with pytest.raises(ScoreError, match=r'bidder "B", criterion "1.2.2"'):
        evaluate(spec_case(bids=(BidInput("B", 9_000_000, scores={"1.2.2": "Z"}, invalid="遅延"),)))


def test_score_errors_keep_their_message_on_one_line():
    with pytest.raises(ScoreError) as caught:
        criterion_points(ranked("1.2.2"), "X\nY", bidder="A\nB")
    assert "\n" not in str(caught.value)


# ---------------------------------------------------------------------------
# DOMAIN §7 の種の評価項目一覧（1.1 M11 … 4 WLB 9；合計 220、基礎点 86、加点 134）
# ---------------------------------------------------------------------------

SEED_TABLE = (
    mandatory("1.1", 11),
    mandatory("1.2.1-1", 5), mandatory("1.2.1-2", 5),
    mandatory("1.2.2-1", 5), ranked("1.2.2-2", 15), ranked("1.2.2-3", 10),
    mandatory("1.2.3-1", 5), ranked("1.2.3-2", 10),
    mandatory("1.2.4-1", 5), ranked("1.2.4-2", 15), ranked("1.2.4-3", 10),
    mandatory("1.2.5-1", 5), mandatory("1.2.5-2", 5),
    mandatory("1.2.6-1", 5), ranked("1.2.6-2", 10), ranked("1.2.6-3", 10),
    mandatory("1.2.7", 5),
    mandatory("1.2.8", 5),
    mandatory("1.3-1", 5), ranked("1.3-2", 15),
    mandatory("2.1-1", 5), mandatory("2.1-2", 5), mandatory("2.1-3", 5), ranked("2.1-4", 10),
    ranked("2.2", 10),
    mandatory("3.1-1", 5), ranked("3.1-2", 10),
    certification("4", 9),
)  # fmt: skip


def seed_scores(rank, codes=(), not_met=()):
    scores = {}
    for criterion in SEED_TABLE:
        if criterion.kind == "mandatory":
            scores[criterion.id] = "not_met" if criterion.id in not_met else "met"
        elif criterion.kind == "ranked":
            scores[criterion.id] = rank
        else:
            scores[criterion.id] = list(codes)
    return scores


def test_the_seed_table_has_base_86_add_on_134_and_total_220():
    base = sum(c.points for c in SEED_TABLE if c.kind == "mandatory")
    add_on = sum(c.points for c in SEED_TABLE if c.kind != "mandatory")
    assert (base, add_on, base + add_on) == (86, 134, 220)


@pytest.mark.parametrize(
    ("rank", "codes", "technical"),
    [
        ("S", ["platinum_eruboshi"], 220),  # 86 + 15×3 + 10×8 + 9
        ("S", [], 211),  # 86 + 45 + 80
        ("A", [], 161),  # 86 + 9×3 + 6×8 = 86 + 27 + 48
        ("A", ["youth_yell"], 167),  # 161 + 6
        ("B", ["eruboshi_3"], 130),  # 86 + 4×3 + 3×8 + 8 = 86 + 12 + 24 + 8
        ("C", [], 86),  # 基礎点だけ
    ],
)
def test_the_seed_table_technical_score_by_uniform_rank(rank, codes, technical):
    assert technical_score(SEED_TABLE, bid("A", 1, scores=seed_scores(rank, codes))) == technical


def test_the_seed_table_case_scores_every_bidder_and_awards_the_best_total():
    # 予定価格 30,000,000（税込）、調査基準 0.6（下限 10,000,000）→ 基準額 18,000,000
    # 甲：25,000,000 → 27,500,000；技術 220；価格 110 × 2,500,000 / 30,000,000 = 9.1666 → 9.1；合計 229.1
    # 乙：21,000,000 → 23,100,000；技術 161；価格 110 × 6,900,000 / 30,000,000 = 25.3；合計 186.3
    # 丙：必須 2.1-2 を満たさない → 不合格（価格点なし）
    # 丁：28,000,000 → 30,800,000 > 予定価格 → 技術 86（C）のみ
    evaluation = evaluate(
        Case(
            method="weighted_sum",
            estimated_price=30_000_000,
            low_bid=LowBidRule(Decimal("0.6"), 10_000_000),
            criteria=SEED_TABLE,
            bids=(
                bid("甲", 25_000_000, scores=seed_scores("S", ["platinum_eruboshi"])),
                bid("乙", 21_000_000, scores=seed_scores("A")),
                bid("丙", 15_000_000, scores=seed_scores("S", not_met=["2.1-2"])),
                bid("丁", 28_000_000, scores=seed_scores("C")),
            ),
        )
    )
    assert evaluation.results == (
        BidResult("甲", "candidate", 27_500_000, 220, Decimal("9.1"), Decimal("229.1")),
        BidResult("乙", "candidate", 23_100_000, 161, Decimal("25.3"), Decimal("186.3")),
        BidResult("丙", "failed_mandatory", 16_500_000, None, None, None),
        BidResult("丁", "over_estimate", 30_800_000, 86, None, None),
    )
    assert evaluation.award == Award("awarded", "甲", ("甲",))


# ---------------------------------------------------------------------------
# 規則2：一次評価・必須項目
# ---------------------------------------------------------------------------


def test_an_invalid_bid_takes_no_further_part():
    result = evaluate(case(scored("A", 9_000_000, invalid="金額を訂正した入札"), criteria=[TEN])).results[0]
    assert result == BidResult("A", "invalid", None, None, None, None)


def test_an_invalid_bid_needs_no_amount_and_no_scores():
    evaluation = evaluate(case(bid("A", None, invalid="入札書受領期限までに到着しない入札"), criteria=[TEN]))
    assert statuses(evaluation) == ["invalid"]
    assert evaluation.award == Award("no_valid_bid", None, ())


def test_invalid_takes_precedence_over_failed_screening():
    result = evaluate(case(bid("A", 1, compliance=False, pages=False, invalid="連合"), criteria=[TEN])).results[0]
    assert result.status == "invalid"


@pytest.mark.parametrize(("compliance", "pages"), [(False, True), (True, False), (False, False)])
def test_a_bid_failing_the_first_screening_gets_no_scores_but_shows_its_compared_price(compliance, pages):
    result = evaluate(
        case(scored("A", 9_000_000, compliance=compliance, pages=pages), included=True, criteria=[TEN])
    ).results[0]
    assert result == BidResult("A", "failed_screening", 9_900_000, None, None, None)


def test_a_bid_failing_the_first_screening_needs_no_scores():
    assert statuses(evaluate(case(bid("A", 1, compliance=False), criteria=SPEC_CRITERIA))) == ["failed_screening"]


def test_failing_the_first_screening_comes_before_the_ceiling():
    assert statuses(evaluate(case(scored("A", 12_000_000, pages=False), criteria=[TEN]))) == ["failed_screening"]


def test_one_mandatory_item_not_met_fails_the_bid_outright():
    scores = {"1.1": "not_met", "1.2.2": "S", "2.1": "S", "4": ["platinum_eruboshi"]}
    result = evaluate(spec_case(bids=(BidInput("A", 9_000_000, scores=scores),))).results[0]
    assert result == BidResult("A", "failed_mandatory", 9_900_000, None, None, None)


def test_any_of_several_mandatory_items_not_met_fails_the_bid():
    scores = seed_scores("S", ["platinum_eruboshi"], not_met=["3.1-1"])
    result = evaluate(Case("weighted_sum", 30_000_000, criteria=SEED_TABLE, bids=(bid("A", 1, scores=scores),)))
    assert statuses(result) == ["failed_mandatory"]


def test_failed_mandatory_comes_before_the_ceiling():
    scores = {"1.1": "not_met", "t": "S"}
    evaluation = evaluate(case(bid("A", 12_000_000, scores=scores), criteria=[mandatory(), TEN]))
    assert statuses(evaluation) == ["failed_mandatory"]
    assert evaluation.award.status == "no_valid_bid"  # 予定価格超過ではないので再度入札ではない


def test_a_bid_that_meets_every_mandatory_item_is_a_candidate():
    scores = {"1.1": "met", "t": "C"}
    result = evaluate(case(bid("A", 9_900_000, scores=scores), criteria=[mandatory(), TEN])).results[0]
    # 技術点 11 + 0；価格点 11.0
    assert result == BidResult("A", "candidate", 9_900_000, 11, Decimal("11.0"), Decimal("22.0"))


# ---------------------------------------------------------------------------
# 規則3：予定価格の制限（ちょうどは範囲内）
# ---------------------------------------------------------------------------


def test_a_compared_price_equal_to_the_estimate_is_within_it():
    # 10,000,000 + 1,000,000 = 11,000,000 ＝ 予定価格 → 候補、価格点 0.0
    result = evaluate(case(scored("A", 10_000_000), included=True, criteria=[TEN])).results[0]
    assert result == BidResult("A", "candidate", 11_000_000, 10, Decimal("0.0"), Decimal("10.0"))


def test_one_yen_over_the_estimate_is_over_it_and_keeps_its_technical_score():
    # 10,000,001 + 1,000,000（1,000,000.1 の端数切捨て）= 11,000,001 > 11,000,000
    result = evaluate(case(scored("A", 10_000_001, "A"), included=True, criteria=[TEN])).results[0]
    assert result == BidResult("A", "over_estimate", 11_000_001, 6, None, None)


def test_with_a_tax_excluded_estimate_the_written_amount_is_compared():
    evaluation = evaluate(case(scored("A", 11_000_000), scored("B", 11_000_001), criteria=[TEN]))
    assert statuses(evaluation) == ["candidate", "over_estimate"]
    assert [r.compared_price for r in evaluation.results] == [11_000_000, 11_000_001]


def test_a_bid_within_the_estimate_before_tax_can_be_over_it_after_tax():
    # 10,500,000 は 11,000,000 以下だが、税込 11,550,000 は超える
    assert statuses(evaluate(case(scored("A", 10_500_000), included=True, criteria=[TEN]))) == ["over_estimate"]
    assert statuses(evaluate(case(scored("A", 10_500_000), included=False, criteria=[TEN]))) == ["candidate"]


# ---------------------------------------------------------------------------
# 規則5・6：候補と落札
# ---------------------------------------------------------------------------


def test_the_highest_total_wins_even_when_it_is_not_the_lowest_price():
    # A：10 + 110 × 1,000,000 / 11,000,000 = 10 + 10.0 = 20.0
    # B：0 + 110 × 1,500,000 / 11,000,000 = 15.0 → 15.0
    evaluation = evaluate(case(scored("A", 10_000_000, "S"), scored("B", 9_500_000, "C"), criteria=[TEN]))
    assert [r.total for r in evaluation.results] == [Decimal("20.0"), Decimal("15.0")]
    assert evaluation.award == Award("awarded", "A", ("A",))


def test_results_keep_the_order_of_the_bids():
    bids = [scored("C", 9_000_000), bid("A", None, invalid="x"), scored("B", 12_000_000)]
    assert [r.bidder for r in evaluate(case(*bids, criteria=[TEN])).results] == ["C", "A", "B"]


def test_equal_totals_require_a_lottery_among_the_tied_in_bid_order():
    # A：技術 6 + 価格 110 × 1,000,000 / 11,000,000 = 10.0 → 16.0
    # B：技術 10 + 価格 110 × 600,000 / 11,000,000 = 6.0 → 16.0
    # C：技術 3 + 価格 110 × 1,100,000 / 11,000,000 = 11.0 → 14.0
    evaluation = evaluate(
        case(scored("B", 10_400_000, "S"), scored("C", 9_900_000, "B"), scored("A", 10_000_000, "A"), criteria=[TEN])
    )
    assert [r.total for r in evaluation.results] == [Decimal("16.0"), Decimal("14.0"), Decimal("16.0")]
    assert evaluation.award == Award("lottery_required", None, ("B", "A"))


def test_a_three_way_tie_lists_all_three_in_bid_order():
    evaluation = evaluate(case(*(scored(name, 9_900_000) for name in "ZYX"), criteria=[TEN]))
    assert evaluation.award == Award("lottery_required", None, ("Z", "Y", "X"))


def test_the_cut_can_create_a_tie():
    # A：110 × 1,358,000 / 11,000,000 = 13.58 → 13.5；B：110 × 1,350,000 / 11,000,000 = 13.5
    # 同じ技術点 10 → 合計ともに 23.5（切り捨てた後の数字で比べる）
    evaluation = evaluate(case(scored("A", 9_642_000), scored("B", 9_650_000), criteria=[TEN]))
    assert [r.total for r in evaluation.results] == [Decimal("23.5"), Decimal("23.5")]
    assert evaluation.award == Award("lottery_required", None, ("A", "B"))


def test_a_tie_below_the_best_does_not_matter():
    evaluation = evaluate(
        case(scored("A", 9_900_000, "C"), scored("B", 9_900_000, "C"), scored("C", 9_900_000, "S"), criteria=[TEN])
    )
    assert evaluation.award == Award("awarded", "C", ("C",))


def test_a_tie_is_decided_by_lottery_before_any_low_bid_hold():
    # 二者とも 5,000,000 < 20,000,000 × 0.6 = 12,000,000 だが、まず同点 → くじ
    evaluation = evaluate(
        case(
            scored("A", 5_000_000),
            scored("B", 5_000_000),
            estimated=20_000_000,
            low_bid=LowBidRule(Decimal("0.6"), 10_000_000),
            criteria=[TEN],
        )
    )
    assert evaluation.award == Award("lottery_required", None, ("A", "B"))


def test_no_candidate_but_a_bid_over_the_estimate_requires_a_rebid():
    evaluation = evaluate(
        case(scored("A", 11_000_001), bid("B", None, invalid="x"), scored("C", 1, pages=False), criteria=[TEN])
    )
    assert statuses(evaluation) == ["over_estimate", "invalid", "failed_screening"]
    assert evaluation.award == Award("rebid_required", None, ())


def test_every_bid_over_the_estimate_requires_a_rebid():
    evaluation = evaluate(case(scored("A", 12_000_000), scored("B", 11_500_000), criteria=[TEN]))
    assert evaluation.award == Award("rebid_required", None, ())


@pytest.mark.parametrize(
    "bids",
    [
        (),
        (bid("A", None, invalid="x"),),
        (bid("A", None, invalid="x"), scored("B", 1, compliance=False)),
        (scored("A", 1, pages=False), bid("B", 1, scores={"1.1": "not_met", "t": "S"})),
    ],
    ids=["no bids", "only invalid", "invalid and failed screening", "failed screening and failed mandatory"],
)
def test_no_candidate_and_nothing_over_the_estimate_is_no_valid_bid(bids):
    evaluation = evaluate(case(*bids, criteria=[mandatory(), TEN]))
    assert evaluation.award == Award("no_valid_bid", None, ())


def test_a_single_candidate_is_awarded_with_itself_as_the_only_candidate():
    assert evaluate(case(scored("A", 1), criteria=[TEN])).award == Award("awarded", "A", ("A",))


# ---------------------------------------------------------------------------
# 規則6：調査基準価格（入札心得第13条）
# ---------------------------------------------------------------------------

HOLD_CASES = [
    # (予定価格, 下限, 割合, 比べる金額, 結果)
    (10_000_000, 10_000_000, "0.6", 1_000_000, "awarded"),  # 予定価格が下限ちょうど → 対象外
    (9_999_999, 10_000_000, "0.6", 1_000_000, "awarded"),  # 下限未満 → 対象外
    (10_000_001, 10_000_000, "0.6", 6_000_000, "held_for_investigation"),  # 基準 6,000,000.6 未満
    (10_000_001, 10_000_000, "0.6", 6_000_001, "awarded"),  # 6,000,001 ≥ 6,000,000.6
    (20_000_000, 10_000_000, "0.6", 12_000_000, "awarded"),  # 基準ちょうど →「満たない」ではない
    (20_000_000, 10_000_000, "0.6", 11_999_999, "held_for_investigation"),
    (20_000_000, 10_000_000, "0.85", 17_000_000, "awarded"),  # 工事の割合の例：基準 17,000,000
    (20_000_000, 10_000_000, "0.85", 16_999_999, "held_for_investigation"),
    (1_000, 0, "0.6", 600, "awarded"),  # 下限0：基準 600
    (1_000, 0, "0.6", 599, "held_for_investigation"),
    (20_000_000, 10_000_000, "1", 19_999_999, "held_for_investigation"),  # 割合1：予定価格未満はすべて
    (20_000_000, 10_000_000, "1", 20_000_000, "awarded"),
]


@pytest.mark.parametrize(("estimated", "minimum", "ratio", "compared", "expected"), HOLD_CASES)
@pytest.mark.parametrize("method", ["weighted_sum", "lowest_price", "division"])
def test_the_low_bid_hold_applies_at_its_thresholds(estimated, minimum, ratio, compared, expected, method):
    evaluation = evaluate(
        case(
            scored("A", compared),
            method=method,
            estimated=estimated,
            low_bid=LowBidRule(Decimal(ratio), minimum),
            criteria=[TEN],
        )
    )
    assert evaluation.award == Award(expected, "A", ("A",))


def test_without_a_low_bid_rule_nothing_is_held():
    evaluation = evaluate(case(scored("A", 1), estimated=100_000_000, criteria=[TEN]))
    assert evaluation.award == Award("awarded", "A", ("A",))


def test_the_hold_compares_the_tax_included_price_when_the_estimate_includes_tax():
    # 10,909,090 → 11,999,999 < 12,000,000 → 保留；10,909,091 → 12,000,000 → 落札
    rule = LowBidRule(Decimal("0.6"), 10_000_000)
    held = evaluate(case(scored("A", 10_909_090), estimated=20_000_000, included=True, low_bid=rule, criteria=[TEN]))
    kept = evaluate(case(scored("A", 10_909_091), estimated=20_000_000, included=True, low_bid=rule, criteria=[TEN]))
    assert held.award.status == "held_for_investigation"
    assert kept.award.status == "awarded"


def test_only_the_best_candidate_s_price_decides_the_hold():
    # 予定価格 20,000,000（税抜）× 0.6 → 基準 12,000,000。B は基準未満だが最良ではない：
    # A：100（独自の表の S）+ 110 × 6,000,000 / 20,000,000 = 100 + 33.0 = 133.0
    # B：0 + 110 × 15,000,000 / 20,000,000 = 82.5
    wide = ranked("w", 100, ranks={"S": 100, "C": 0})
    evaluation = evaluate(
        case(
            bid("A", 14_000_000, scores={"w": "S"}),
            bid("B", 5_000_000, scores={"w": "C"}),
            estimated=20_000_000,
            low_bid=LowBidRule(Decimal("0.6"), 10_000_000),
            criteria=[wide],
        )
    )
    # A が最良で、A の 14,000,000 は基準以上 → 落札（B の低さは問わない）
    assert [r.total for r in evaluation.results] == [Decimal("133.0"), Decimal("82.5")]
    assert evaluation.award == Award("awarded", "A", ("A",))


def test_the_low_bid_rule_validates_its_ratio_and_minimum():
    with pytest.raises(TypeError):
        LowBidRule(0.6, 10_000_000)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        LowBidRule(True, 10_000_000)  # type: ignore[arg-type]
    for bad in ("0", "-0.6", "1.5", "NaN"):
        with pytest.raises(ValueError):
            LowBidRule(Decimal(bad), 10_000_000)
    with pytest.raises(ValueError):
        LowBidRule(Decimal("0.6"), -1)
    with pytest.raises(TypeError):
        LowBidRule(Decimal("0.6"), 10_000_000.0)  # type: ignore[arg-type]


def test_the_low_bid_rule_compares_exactly_even_with_a_long_ratio():
    # 2/3 を 0.6666666667 と書いた割合：基準 30,000,000 × 0.6666666667 = 20,000,000.001
    rule = LowBidRule(Decimal("0.6666666667"), 10_000_000)
    assert rule.holds(30_000_000, 20_000_000) is True
    assert rule.holds(30_000_000, 20_000_001) is False


# ---------------------------------------------------------------------------
# 最低価格落札方式
# ---------------------------------------------------------------------------


def test_the_lowest_price_method_awards_the_lowest_compared_price_within_the_estimate():
    evaluation = evaluate(
        case(bid("A", 5_000_000), bid("B", 4_800_000), bid("C", 4_000_000, invalid="x"), bid("D", 5_600_000),
             method="lowest_price", estimated=5_500_000, included=True)
    )  # fmt: skip
    # A 5,500,000（ちょうど）、B 5,280,000、C 無効、D 6,160,000 > 予定価格
    assert evaluation.results == (
        BidResult("A", "candidate", 5_500_000, None, None, None),
        BidResult("B", "candidate", 5_280_000, None, None, None),
        BidResult("C", "invalid", None, None, None, None),
        BidResult("D", "over_estimate", 6_160_000, None, None, None),
    )
    assert evaluation.award == Award("awarded", "B", ("B",))


def test_the_lowest_price_method_reports_no_scores_even_with_criteria_and_scores():
    evaluation = evaluate(case(scored("A", 9_000_000), method="lowest_price", criteria=[TEN]))
    assert evaluation.results[0] == BidResult("A", "candidate", 9_000_000, None, None, None)


def test_the_lowest_price_method_needs_no_scores():
    evaluation = evaluate(case(bid("A", 9_000_000), method="lowest_price", criteria=[mandatory(), TEN]))
    assert evaluation.award == Award("awarded", "A", ("A",))


def test_the_lowest_price_method_still_fails_a_mandatory_item_marked_not_met():
    evaluation = evaluate(
        case(bid("A", 1, scores={"1.1": "not_met"}), bid("B", 2), method="lowest_price", criteria=[mandatory()])
    )
    assert statuses(evaluation) == ["failed_mandatory", "candidate"]
    assert evaluation.award == Award("awarded", "B", ("B",))


def test_the_lowest_price_method_still_screens_compliance_and_pages():
    evaluation = evaluate(case(bid("A", 1, compliance=False), bid("B", 2), method="lowest_price"))
    assert statuses(evaluation) == ["failed_screening", "candidate"]


def test_equal_lowest_prices_require_a_lottery_in_bid_order():
    evaluation = evaluate(
        case(bid("C", 4_800_000), bid("A", 5_000_000), bid("B", 4_800_000), method="lowest_price", included=True)
    )
    assert evaluation.award == Award("lottery_required", None, ("C", "B"))


def test_the_lowest_price_method_requires_a_rebid_when_every_bid_is_over():
    evaluation = evaluate(case(bid("A", 11_000_001), method="lowest_price"))
    assert evaluation.award == Award("rebid_required", None, ())


def test_the_lowest_price_method_holds_a_low_bid():
    # 予定価格 20,000,000（税抜）× 0.6 = 12,000,000；最低 11,000,000 < 基準 → 保留
    evaluation = evaluate(
        case(bid("A", 11_000_000), bid("B", 15_000_000), method="lowest_price", estimated=20_000_000,
             low_bid=LowBidRule(Decimal("0.6"), 10_000_000))
    )  # fmt: skip
    assert evaluation.award == Award("held_for_investigation", "A", ("A",))


# ---------------------------------------------------------------------------
# 除算方式（種の文書にはない変形。JSON の契約には含めない）
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("technical", "compared", "expected"),
    [
        (40, 10_000_000, "4.0000000000"),  # 40 ÷ 10
        (30, 7_000_000, "4.2857142857"),  # 30 ÷ 7 = 4.28571428571… → 4.2857142857
        (20, 3_000_000, "6.6666666666"),  # 20 ÷ 3 = 6.66666… → 切捨て（四捨五入なら …67）
        (0, 5_000_000, "0.0000000000"),
        (220, 1, "220000000.0000000000"),  # 220 ÷ 0.000001
        (37, 9_900_000, "3.7373737373"),  # 37 ÷ 9.9 = 3.737373…
    ],
)
def test_the_division_value_is_technical_per_million_yen_shown_to_ten_decimals(technical, compared, expected):
    assert DIVISION_PRICE_UNIT == 1_000_000
    assert format(division_value(technical, compared), "f") == expected


def test_the_division_value_of_a_zero_yen_bid_is_undefined():
    with pytest.raises(ValueError):
        division_value(10, 0)


def test_the_division_method_awards_the_highest_value_not_the_highest_technical_score():
    wide = ranked("w", 40, ranks={"S": 40, "B": 30})
    evaluation = evaluate(
        case(bid("A", 10_000_000, scores={"w": "S"}), bid("B", 7_000_000, scores={"w": "B"}),
             bid("C", 12_000_000, scores={"w": "S"}), method="division", criteria=[wide])
    )  # fmt: skip
    # A：40 ÷ 10 = 4.0000；B：30 ÷ 7 = 4.2857；C：予定価格 11,000,000 を超える → 技術点のみ
    assert evaluation.results == (
        BidResult("A", "candidate", 10_000_000, 40, None, Decimal("4.0000000000")),
        BidResult("B", "candidate", 7_000_000, 30, None, Decimal("4.2857142857")),
        BidResult("C", "over_estimate", 12_000_000, 40, None, None),
    )
    assert evaluation.award == Award("awarded", "B", ("B",))


def test_the_division_method_ties_go_to_lottery():
    evaluation = evaluate(
        case(scored("A", 5_000_000, "S"), scored("B", 3_000_000, "A"), method="division", criteria=[TEN])
    )
    # A：10 ÷ 5 = 2.0000；B：6 ÷ 3 = 2.0000
    assert evaluation.award == Award("lottery_required", None, ("A", "B"))


def test_the_division_method_of_the_spec_example():
    evaluation = evaluate(spec_case(method="division"))
    # A：37 ÷ 9.9 = 3.7373…
    assert evaluation.results[0] == BidResult("A", "candidate", 9_900_000, 37, None, Decimal("3.7373737373"))
    assert evaluation.award == Award("awarded", "A", ("A",))


def test_a_clear_division_win_at_billions_of_yen_is_not_a_lottery():
    """Issue 17: with the 評価値 cut after the 4th decimal, 10 ÷ 2,000 and 10 ÷ 1,999.999 (million
    yen) were both 0.0050 and went to a lottery; the lower price wins, compared exactly."""
    evaluation = evaluate(
        case(scored("A", 2_000_000_000, "S"), scored("B", 1_999_999_000, "S"), method="division", criteria=[TEN],
             estimated=2_200_000_000))
    assert evaluation.award == Award("awarded", "B", ("B",))
    assert division_rank(10, 1_999_999_000) > division_rank(10, 2_000_000_000)


def test_only_exactly_equal_division_values_tie():
    # 10 ÷ 5,000,000 = 6 ÷ 3,000,000 exactly: a lottery, as before.
    assert division_rank(10, 5_000_000) == division_rank(6, 3_000_000)


# ---------------------------------------------------------------------------
# 落札方式の登録簿
# ---------------------------------------------------------------------------


def test_the_registry_holds_the_three_methods():
    assert set(METHODS) >= {"weighted_sum", "lowest_price", "division"}


def test_evaluate_dispatches_on_the_method():
    assert evaluate(spec_case(method="lowest_price")).results[0].technical is None
    assert evaluate(spec_case(method="weighted_sum")).results[0].technical == 37


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown method"):
        evaluate(spec_case(method="best_value"))


def test_a_new_method_can_be_registered(monkeypatch):
    monkeypatch.setattr("tender.rules.evaluation.METHODS", dict(METHODS))
    from tender.rules import evaluation as module

    @register_method("nobody_wins")
    def nobody_wins(c):
        return Evaluation((), Award("no_valid_bid", None, ()))

    assert module.METHODS["nobody_wins"] is nobody_wins
    assert evaluate(spec_case(method="nobody_wins")).award.status == "no_valid_bid"


def test_evaluate_takes_only_a_case():
    with pytest.raises(TypeError):
        evaluate({"method": "weighted_sum"})  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# 入力の検査
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: Criterion("x", "optional", 10), ValueError),
        (lambda: Criterion("", "mandatory", 5), ValueError),
        (lambda: Criterion(1, "mandatory", 5), TypeError),
        (lambda: Criterion("x", "mandatory", -1), ValueError),
        (lambda: Criterion("x", "mandatory", True), TypeError),
        (lambda: Criterion("x", "mandatory", 5.0), TypeError),
        (lambda: Criterion("x", "ranked", 20), ValueError),  # 15・10 以外は ranks が要る
        (lambda: Criterion("x", "ranked", 12), ValueError),
        (lambda: Criterion("x", "ranked", 20, ranks={}), ValueError),
        (lambda: Criterion("x", "ranked", 20, ranks={"S": 25}), ValueError),  # 配点を超える
        (lambda: Criterion("x", "ranked", 20, ranks={"S": -1}), ValueError),
        (lambda: Criterion("x", "ranked", 20, ranks={"S": 20.0}), TypeError),
        (lambda: Criterion("x", "ranked", 20, ranks=["S"]), TypeError),
        (lambda: Criterion("x", "mandatory", 5, ranks={"S": 5}), ValueError),
        (lambda: Criterion("x", "ranked", 15, table={"a": 1}), ValueError),
        (lambda: Criterion("x", "certification", 9), ValueError),  # table が要る
        (lambda: Criterion("x", "certification", 9, table={"a": -1}), ValueError),
    ],
)
def test_a_criterion_checks_its_own_shape(build, error):
    with pytest.raises(error):
        build()


def test_a_criterion_keeps_its_own_copy_of_ranks_and_the_default_table_is_not_shared():
    ranks = {"S": 20, "A": 12}
    item = ranked("2.1", 20, ranks=ranks)
    ranks["S"] = 0
    assert item.rank_table["S"] == 20
    table = ranked("x", 15).rank_table
    table["S"] = 0
    assert RANK_TABLES[15]["S"] == 15


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: BidInput("A", 9_000_000.0), TypeError),
        (lambda: BidInput("A", True), TypeError),
        (lambda: BidInput("A", "9000000"), TypeError),
        (lambda: BidInput("A", -1), ValueError),
        (lambda: BidInput("A", None), ValueError),  # 金額は無効の入札でなければ要る
        (lambda: BidInput("", 1), ValueError),
        (lambda: BidInput("A", 1, compliance="yes"), TypeError),
        (lambda: BidInput("A", 1, pages=1), TypeError),
        (lambda: BidInput("A", 1, scores=["S"]), TypeError),
        (lambda: BidInput("A", 1, invalid=""), ValueError),
        (lambda: Case("weighted_sum", 0), ValueError),
        (lambda: Case("weighted_sum", 11_000_000.0), TypeError),
        (lambda: Case("weighted_sum", 1, tax_rate_percent=-1), ValueError),
        (lambda: Case("weighted_sum", 1, price_points=-1), ValueError),
        (lambda: Case("weighted_sum", 1, estimated_price_tax_included="yes"), TypeError),
        (lambda: Case("weighted_sum", 1, bids=(BidInput("A", 1), BidInput("A", 2))), ValueError),
        (lambda: Case("weighted_sum", 1, criteria=(mandatory("1.1"), mandatory("1.1"))), ValueError),
        (lambda: Case("weighted_sum", 1, bids=({"bidder": "A"},)), TypeError),
        (lambda: Case("weighted_sum", 1, low_bid={"ratio": "0.6"}), TypeError),
    ],
)
def test_bids_and_cases_check_their_own_shape(build, error):
    with pytest.raises(error):
        build()


def test_a_case_turns_lists_into_tuples():
    c = Case("weighted_sum", 1, criteria=[TEN], bids=[scored("A", 1)])
    assert isinstance(c.criteria, tuple) and isinstance(c.bids, tuple)


def test_a_zero_yen_bid_is_allowed_and_gets_the_full_price_score():
    result = evaluate(case(scored("A", 0), criteria=[TEN])).results[0]
    assert (result.compared_price, result.price, result.total) == (0, Decimal("110.0"), Decimal("120.0"))


def test_a_weighted_sum_case_without_criteria_scores_price_alone():
    result = evaluate(case(bid("A", 9_900_000))).results[0]
    assert (result.technical, result.price, result.total) == (0, Decimal("11.0"), Decimal("11.0"))


# ---------------------------------------------------------------------------
# 価格点の「入札価格」：案件ごとの設定（issue 17）
# ---------------------------------------------------------------------------


def test_the_price_basis_is_the_cases_choice_and_can_change_the_outcome():
    """002 does not say whether 入札価格 is the amount written or with tax; the default compares like
    with like (税込の予定価格 → 入札書の金額＋10%, the 落札価格 of 入札心得第5条). A case may choose."""
    from dataclasses import replace

    from tender.rules.evaluation import PRICE_AS_WRITTEN, PRICE_WITH_TAX, compared_ceiling

    ceiling = 1_000_001  # tax included
    default = case(bid("A", 909_092), method="lowest_price", estimated=ceiling, included=True)
    # 909,092 + 10% = 1,000,001.2 → 1,000,001: within the ceiling.
    assert evaluate(default).award == Award("awarded", "A", ("A",))
    assert evaluate(replace(default, price_basis=PRICE_WITH_TAX)) == evaluate(default)
    # Read as written: 909,092 against 1,000,001 ÷ 1.1 = 909,091.81…: over the ceiling, a re-bid.
    written = replace(default, price_basis=PRICE_AS_WRITTEN)
    assert compared_ceiling(written) == Fraction(100_000_100, 110)
    result = evaluate(written)
    assert result.results[0].status == "over_estimate" and result.award.status == "rebid_required"


def test_a_tax_excluded_ceiling_read_with_tax_scores_against_the_ceiling_plus_tax():
    from tender.rules.evaluation import PRICE_WITH_TAX

    c = case(scored("A", 500_000), estimated=1_000_000, included=False, criteria=[TEN], price_basis=PRICE_WITH_TAX)
    [r] = evaluate(c).results
    # 500,000 + 10% = 550,000 against 1,100,000: 110 × (1 − 0.5) = 55.0
    assert (r.compared_price, r.price) == (550_000, Decimal("55.0"))


def test_an_unknown_price_basis_is_refused():
    with pytest.raises(ValueError):
        case(bid("A", 1), method="lowest_price", price_basis="gross")


def test_the_converted_ceiling_is_stated_with_the_cases_own_tax_rate():
    from tender.rules.evaluation import PRICE_AS_WRITTEN, compared_ceiling_note

    assert compared_ceiling_note(case(included=True)) == ""  # like with like: nothing converted
    note = compared_ceiling_note(case(included=True, price_basis=PRICE_AS_WRITTEN))
    assert "税抜に換算した 10,000,000円" in note and "× 100/110" in note
    eight = compared_ceiling_note(case(included=True, price_basis=PRICE_AS_WRITTEN, tax_rate_percent=8))
    assert "× 100/108" in eight and "10,185,185.18…円" in eight

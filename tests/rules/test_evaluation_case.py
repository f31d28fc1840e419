"""評価の再計算の契約（tender.rules.evaluation_case）の検査。契約は /work/shared/spec/evaluation-case.md。

evaluation_cases/ の *.case.json と *.expected.json の組は手計算による：

* spec_example … 仕様の例。A：9,000,000 + 900,000 = 9,900,000；技術 11 + 15 + 5 + 6 = 37；
  価格 110 × (1 − 9,900,000 / 11,000,000) = 11.0；合計 48.0。B 無効 → A 落札
  （9,900,000 は 11,000,000 × 0.6 = 6,600,000 未満ではない）。
* seed_table … DOMAIN §7 の種の表（基礎点 86、加点 134、合計 220）。予定価格 30,000,000（税込）、基準 18,000,000。
  アルファ：25,000,000 → 27,500,000；加点 15+6+6+9+3+10+3+9+6+10+6 = 83、WLB max(6, 6) = 6 → 技術 86+89 = 175；
           価格 110 × 2,500,000 / 30,000,000 = 9.1666 → 9.1；合計 184.1
  ベータ：21,000,000 → 23,100,000；すべて A：9×3 + 6×8 = 75 → 技術 161；価格 110 × 6,900,000 / 30,000,000 = 25.3；186.3
  ガンマ：必須 2.1-2 を満たさない → failed_mandatory（22,000,000 は示す）
  デルタ：28,000,000 → 30,800,000 > 予定価格 → over_estimate；すべて S：45 + 80 + 9（上限）→ 技術 220
  イプシロン：pages false → failed_screening（15,000,000 → 16,500,000）
  → ベータ 186.3 > アルファ 184.1；23,100,000 ≥ 18,000,000 → ベータ落札
* lowest_price_lottery … 予定価格 5,500,000（税込）。P 5,500,000（ちょうど、範囲内）、Q・R 5,280,000、S 無効、
  T 5,000,001 + 500,000 = 5,500,001 > 予定価格 → Q と R のくじ（bids の順）
* rebid_required … 税抜 1,000,000。U 1,000,001 超過、V 無効、W 一次評価不合格 → 再度入札
* held_for_investigation … 予定価格 20,000,000（税込）、基準 12,000,000。
  X：10,909,090 → 11,999,999；技術 11 + 10 = 21；価格 110 × 8,000,001 / 20,000,000 = 44.0000055 → 44.0；65.0
  Y：10,909,091 → 12,000,000；技術 11 + 6 = 17；価格 110 × 8,000,000 / 20,000,000 = 44.0；61.0
  → X が最良で 11,999,999 < 12,000,000 → 保留
"""
import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tender.rules.evaluation import (
    Award,
    BidResult,
    Case,
    Criterion,
    Evaluation,
    LowBidRule,
    evaluate,
)
from tender.rules.evaluation_case import (
    BID_FIELDS,
    CASE_FIELDS,
    CONTRACT_METHODS,
    CRITERION_FIELDS,
    LOW_BID_FIELDS,
    CaseFileError,
    dumps,
    loads,
    parse_case,
    result_to_json,
    run,
)

CASES = Path(__file__).parent / "evaluation_cases"
FIXTURES = sorted(p.name.removesuffix(".case.json") for p in CASES.glob("*.case.json"))


def read_case(name):
    return (CASES / f"{name}.case.json").read_text(encoding="utf-8")


def read_expected(name):
    return json.loads((CASES / f"{name}.expected.json").read_text(encoding="utf-8"))


def spec():
    """仕様の例の case（json で読んだ dict。小数は Decimal）。"""
    return loads(read_case("spec_example"))


# ---------------------------------------------------------------------------
# 手計算の例（evaluation_cases/）
# ---------------------------------------------------------------------------


def test_the_fixtures_include_the_spec_example_and_the_seed_table():
    assert {"spec_example", "seed_table", "lowest_price_lottery", "rebid_required", "held_for_investigation"} <= set(
        FIXTURES
    )
    for name in FIXTURES:
        assert (CASES / f"{name}.expected.json").is_file()


@pytest.mark.parametrize("name", FIXTURES)
def test_run_reproduces_each_hand_computed_fixture(name):
    code, out, err = run(read_case(name))
    assert (code, err) == (0, "")
    assert json.loads(out) == read_expected(name)


@pytest.mark.parametrize("name", FIXTURES)
def test_result_to_json_reproduces_each_hand_computed_fixture(name):
    assert result_to_json(evaluate(parse_case(loads(read_case(name))))) == read_expected(name)


@pytest.mark.parametrize("name", FIXTURES)
def test_the_fixtures_also_parse_from_plain_json_loads(name):
    # json.loads の既定の読み方（小数は float）でも、どの例にも小数がないので同じ結果になる。
    data = json.loads(read_case(name))
    assert result_to_json(evaluate(parse_case(data))) == read_expected(name)


def test_the_seed_table_fixture_has_base_86_add_on_134_and_total_220():
    criteria = parse_case(loads(read_case("seed_table"))).criteria
    base = sum(c.points for c in criteria if c.kind == "mandatory")
    add_on = sum(c.points for c in criteria if c.kind != "mandatory")
    assert (base, add_on, len(criteria)) == (86, 134, 28)


def test_the_spec_example_parses_into_the_engine_s_case():
    assert parse_case(spec()) == Case(
        method="weighted_sum",
        estimated_price=11_000_000,
        estimated_price_tax_included=True,
        tax_rate_percent=10,
        price_points=110,
        low_bid=LowBidRule(Decimal("0.6"), 10_000_000),
        criteria=(
            Criterion("1.1", "mandatory", 11),
            Criterion("1.2.2", "ranked", 15),
            Criterion("2.1", "ranked", 20, ranks={"S": 20, "A": 12, "B": 5, "C": 0}),
            Criterion("4", "certification", 9, table={"platinum_eruboshi": 9, "eruboshi_3": 8, "youth_yell": 6}),
        ),
        bids=parse_case(spec()).bids,
    )
    a, b = parse_case(spec()).bids
    assert (a.bidder, a.amount, a.compliance, a.pages, a.invalid) == ("A", 9_000_000, True, True, None)
    assert a.scores == {"1.1": "met", "1.2.2": "S", "2.1": "B", "4": ["youth_yell"]}
    assert (b.bidder, b.amount, b.invalid) == ("B", 9_500_000, "代理人が委任状を提出していない")


# ---------------------------------------------------------------------------
# 結果の JSON
# ---------------------------------------------------------------------------


def test_the_result_prints_price_and_total_with_one_decimal():
    code, out, _ = run(read_case("spec_example"))
    assert code == 0
    assert '"price": 11.0' in out and '"total": 48.0' in out
    assert '"technical": 37' in out and '"compared_price": 9900000' in out


def test_numbers_in_the_result_are_an_int_for_technical_and_numbers_for_price_and_total():
    result = result_to_json(evaluate(parse_case(spec())))["results"][0]
    assert type(result["technical"]) is int and type(result["compared_price"]) is int
    assert result["price"] == 11.0 and result["total"] == 48.0


@pytest.mark.parametrize(
    ("price", "text"), [("11.0", "11.0"), ("13.5", "13.5"), ("0.0", "0.0"), ("110.0", "110.0"), ("9.1", "9.1")]
)
def test_a_cut_decimal_prints_exactly_as_it_was_cut(price, text):
    evaluation = Evaluation(
        (BidResult("A", "candidate", 1, 0, Decimal(price), Decimal(price)),), Award("awarded", "A", ("A",))
    )
    out = dumps(result_to_json(evaluation))
    assert f'"price": {text}' in out and f'"total": {text}' in out


def test_the_result_has_exactly_the_spec_s_keys_in_the_spec_s_order():
    result = result_to_json(evaluate(parse_case(spec())))
    assert list(result) == ["results", "award"]
    assert list(result["results"][0]) == ["bidder", "status", "compared_price", "technical", "price", "total"]
    assert list(result["award"]) == ["status", "bidder", "candidates"]


def test_a_void_bid_shows_nulls():
    assert result_to_json(evaluate(parse_case(spec())))["results"][1] == {
        "bidder": "B",
        "status": "invalid",
        "compared_price": None,
        "technical": None,
        "price": None,
        "total": None,
    }


def test_lottery_and_rebid_results_have_a_null_bidder():
    assert json.loads(run(read_case("lowest_price_lottery"))[1])["award"]["bidder"] is None
    assert json.loads(run(read_case("rebid_required"))[1])["award"] == {
        "status": "rebid_required",
        "bidder": None,
        "candidates": [],
    }


def test_the_output_keeps_japanese_names_readable_and_ends_with_a_newline():
    code, out, err = run(read_case("seed_table"))
    assert code == 0 and err == ""
    assert "ベータ" in out and "\\u" not in out
    assert out.endswith("}\n")


def test_result_to_json_also_serialises_the_application_s_division_method():
    data = spec()
    evaluation = evaluate(Case(**{**vars(parse_case(data)), "method": "division"}))
    result = result_to_json(evaluation)["results"][0]
    # 37 ÷ 9.9 = 3.7373…（除算方式：price はなし）
    assert (result["price"], result["total"]) == (None, 3.7373737373)


# ---------------------------------------------------------------------------
# 既定値と受け入れる書き方
# ---------------------------------------------------------------------------


def minimal(**changes):
    data = {"method": "lowest_price", "estimated_price": 1_000_000, "bids": [{"bidder": "A", "amount": 900_000}]}
    data.update(changes)
    return data


def test_the_defaults_are_the_spec_s():
    c = parse_case(minimal())
    assert (c.estimated_price_tax_included, c.tax_rate_percent, c.price_points, c.low_bid, c.criteria) == (
        True,
        10,
        110,
        None,
        (),
    )
    a = c.bids[0]
    assert (a.compliance, a.pages, a.scores, a.invalid) == (True, True, {}, None)


@pytest.mark.parametrize(("text", "included"), [("included", True), ("excluded", False)])
def test_the_estimate_tax_basis_reads_included_or_excluded(text, included):
    assert parse_case(minimal(estimated_price_tax=text)).estimated_price_tax_included is included


def test_an_excluded_estimate_compares_the_written_amount():
    # 900,000（税抜のまま）vs 税込なら 990,000
    assert json.loads(run(json.dumps(minimal(estimated_price_tax="excluded")))[1])["results"][0]["compared_price"] == 900_000
    assert json.loads(run(json.dumps(minimal()))[1])["results"][0]["compared_price"] == 990_000


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [("0.6", Decimal("0.6")), (" 0.85 ", Decimal("0.85")), ("1", Decimal("1")), (1, Decimal("1")), (Decimal("0.6"), Decimal("0.6"))],
)
def test_the_low_bid_ratio_reads_a_decimal_string_or_an_exact_number(ratio, expected):
    rule = parse_case(minimal(low_bid={"ratio": ratio, "min_estimated_price": 10_000_000})).low_bid
    assert rule == LowBidRule(expected, 10_000_000)


def test_run_reads_a_json_number_ratio_as_a_decimal_not_a_float():
    text = '{"method": "lowest_price", "estimated_price": 20000000, "estimated_price_tax": "excluded",' \
           ' "low_bid": {"ratio": 0.6, "min_estimated_price": 10000000},' \
           ' "bids": [{"bidder": "A", "amount": 11999999}, {"bidder": "B", "amount": 12000000}]}'
    code, out, _ = run(text)
    # 11,999,999 < 20,000,000 × 0.6 = 12,000,000 → 保留
    assert code == 0 and json.loads(out)["award"] == {
        "status": "held_for_investigation",
        "bidder": "A",
        "candidates": ["A"],
    }


def test_a_null_low_bid_means_no_rule():
    assert parse_case(minimal(low_bid=None)).low_bid is None


def test_tax_rates_from_0_to_100_percent_are_accepted():
    assert parse_case(minimal(tax_rate_percent=0)).tax_rate_percent == 0
    assert parse_case(minimal(tax_rate_percent=100)).tax_rate_percent == 100


def test_a_zero_yen_bid_and_zero_price_points_are_accepted():
    c = parse_case(minimal(price_points=0, bids=[{"bidder": "A", "amount": 0}]))
    assert (c.price_points, c.bids[0].amount) == (0, 0)


def test_an_invalid_null_is_the_same_as_no_invalid():
    assert parse_case(minimal(bids=[{"bidder": "A", "amount": 1, "invalid": None}])).bids[0].invalid is None


def test_an_invalid_bid_needs_neither_amount_nor_scores():
    data = spec()
    data["bids"][1] = {"bidder": "B", "invalid": "遅延"}
    assert parse_case(data).bids[1].amount is None


def test_a_bid_failing_screening_needs_no_scores():
    data = spec()
    data["bids"].append({"bidder": "C", "amount": 1, "compliance": False})
    data["bids"].append({"bidder": "D", "amount": 1, "pages": False})
    assert [r["status"] for r in json.loads(run(_dump(data))[1])["results"]] == [
        "candidate",
        "invalid",
        "failed_screening",
        "failed_screening",
    ]


def test_lowest_price_needs_no_scores_but_checks_given_ones():
    data = spec()
    data["method"] = "lowest_price"
    del data["bids"][0]["scores"]
    assert parse_case(data).bids[0].scores == {}
    data["bids"][0]["scores"] = {"1.2.2": "Q"}
    with pytest.raises(CaseFileError, match=r'bidder "A".*criterion "1.2.2".*"Q"'):
        parse_case(data)


def test_weighted_sum_without_criteria_needs_no_scores():
    assert parse_case(minimal(method="weighted_sum")).bids[0].scores == {}


def test_ranks_may_name_other_grades_and_a_table_may_exceed_the_points():
    data = spec()
    data["criteria"][2]["ranks"] = {"S": 20, "A": 12, "B": 5, "C": 0, "D": 0}
    data["criteria"][3]["table"]["super"] = 12  # 付与の時に上限 9 で切る
    data["bids"][0]["scores"]["2.1"] = "D"
    data["bids"][0]["scores"]["4"] = ["super"]
    result = result_to_json(evaluate(parse_case(data)))["results"][0]
    # 11 + 15 + 0 + 9 = 35；価格 11.0 → 46.0
    assert (result["technical"], result["total"]) == (35, 46.0)


def test_a_15_point_item_may_carry_its_own_ranks():
    data = spec()
    data["criteria"][1]["ranks"] = {"S": 15, "A": 10, "B": 5, "C": 0}
    data["bids"][0]["scores"]["1.2.2"] = "A"
    # 11 + 10（既定の表なら 9）+ 5 + 6 = 32
    assert result_to_json(evaluate(parse_case(data)))["results"][0]["technical"] == 32


def test_parse_case_does_not_change_its_input():
    data = spec()
    before = copy.deepcopy(data)
    parse_case(data)
    assert data == before


def test_the_contract_names_its_fields_and_methods():
    assert CONTRACT_METHODS == ("weighted_sum", "lowest_price")
    assert set(CASE_FIELDS) == {
        "method", "estimated_price", "estimated_price_tax", "tax_rate_percent", "price_points", "low_bid",
        "criteria", "bids",
    }  # fmt: skip
    assert set(LOW_BID_FIELDS) == {"ratio", "min_estimated_price"}
    assert set(CRITERION_FIELDS) == {"id", "kind", "points", "ranks", "table"}
    assert set(BID_FIELDS) == {"bidder", "amount", "compliance", "pages", "scores", "invalid"}


# ---------------------------------------------------------------------------
# 不備のある case：1行のメッセージが欄（と入札者・評価項目）を名指す
# ---------------------------------------------------------------------------


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return data

    return change


def _drop(path):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        return data

    return change


def _replace(value):
    return lambda data: value


A_SCORES = ("bids", 0, "scores")

MALFORMED = [
    # --- case 全体 ---
    ("case is an array", _replace([]), ["case", "object"]),
    ("case is a string", _replace("case"), ["case", "object"]),
    ("missing method", _drop(("method",)), ['"method"', "missing"]),
    ("missing estimated_price", _drop(("estimated_price",)), ['"estimated_price"', "missing"]),
    ("missing bids", _drop(("bids",)), ['"bids"', "missing"]),
    ("unknown top-level field", _set(("estimate",), 1), ['"estimate"', "unknown field"]),
    ("division is not in the contract", _set(("method",), "division"), ["method", '"division"', "unknown method"]),
    ("unknown method", _set(("method",), "best_value"), ["method", '"best_value"']),
    ("method is a number", _set(("method",), 1), ["method"]),
    ("method is null", _set(("method",), None), ["method"]),
    ("estimated price zero", _set(("estimated_price",), 0), ["estimated_price"]),
    ("estimated price negative", _set(("estimated_price",), -1), ["estimated_price", "negative"]),
    ("estimated price fractional", _set(("estimated_price",), Decimal("11000000.5")), ["estimated_price", "fractional"]),
    ("estimated price with .0", _set(("estimated_price",), Decimal("11000000.0")), ["estimated_price", "fractional"]),
    ("estimated price float", _set(("estimated_price",), 11000000.5), ["estimated_price", "fractional"]),
    ("estimated price string", _set(("estimated_price",), "11000000"), ["estimated_price", "string"]),
    ("estimated price boolean", _set(("estimated_price",), True), ["estimated_price", "boolean"]),
    ("estimated price null", _set(("estimated_price",), None), ["estimated_price", "null"]),
    ("tax basis unknown", _set(("estimated_price_tax",), "yes"), ["estimated_price_tax", '"yes"']),
    ("tax basis capitalised", _set(("estimated_price_tax",), "Included"), ["estimated_price_tax"]),
    ("tax basis boolean", _set(("estimated_price_tax",), True), ["estimated_price_tax"]),
    ("tax rate negative", _set(("tax_rate_percent",), -1), ["tax_rate_percent", "-1"]),
    ("tax rate over 100", _set(("tax_rate_percent",), 101), ["tax_rate_percent", "101"]),
    ("tax rate fractional", _set(("tax_rate_percent",), Decimal("10.5")), ["tax_rate_percent", "fractional"]),
    ("tax rate string", _set(("tax_rate_percent",), "10"), ["tax_rate_percent", "string"]),
    ("tax rate boolean", _set(("tax_rate_percent",), True), ["tax_rate_percent", "boolean"]),
    ("tax rate null", _set(("tax_rate_percent",), None), ["tax_rate_percent"]),
    ("price points negative", _set(("price_points",), -1), ["price_points"]),
    ("price points boolean", _set(("price_points",), False), ["price_points", "boolean"]),
    ("price points fractional", _set(("price_points",), Decimal("110.5")), ["price_points", "fractional"]),
    ("price points string", _set(("price_points",), "110"), ["price_points"]),
    # --- low_bid ---
    ("low bid not an object", _set(("low_bid",), "0.6"), ["low_bid", "object"]),
    ("low bid missing ratio", _drop(("low_bid", "ratio")), ["low_bid", '"ratio"', "missing"]),
    ("low bid missing minimum", _drop(("low_bid", "min_estimated_price")), ["low_bid", '"min_estimated_price"']),
    ("low bid unknown field", _set(("low_bid", "rate"), "0.6"), ["low_bid", '"rate"', "unknown field"]),
    ("ratio not a number", _set(("low_bid", "ratio"), "abc"), ["low_bid", "ratio", '"abc"']),
    ("ratio zero", _set(("low_bid", "ratio"), "0"), ["low_bid", "ratio"]),
    ("ratio negative", _set(("low_bid", "ratio"), "-0.6"), ["low_bid", "ratio"]),
    ("ratio over one", _set(("low_bid", "ratio"), "1.5"), ["low_bid", "ratio", "1.5"]),
    ("ratio NaN", _set(("low_bid", "ratio"), "NaN"), ["low_bid", "ratio"]),
    ("ratio binary float", _set(("low_bid", "ratio"), 0.6), ["low_bid", "ratio"]),
    ("ratio boolean", _set(("low_bid", "ratio"), True), ["low_bid", "ratio", "boolean"]),
    ("ratio null", _set(("low_bid", "ratio"), None), ["low_bid", "ratio", "null"]),
    ("ratio fraction text", _set(("low_bid", "ratio"), "2/3"), ["low_bid", "ratio", '"2/3"']),
    ("minimum negative", _set(("low_bid", "min_estimated_price"), -1), ["min_estimated_price", "negative"]),
    ("minimum fractional", _set(("low_bid", "min_estimated_price"), Decimal("1.5")), ["min_estimated_price", "fractional"]),
    ("minimum boolean", _set(("low_bid", "min_estimated_price"), True), ["min_estimated_price", "boolean"]),
    # --- criteria ---
    ("criteria not an array", _set(("criteria",), {}), ["criteria", "array"]),
    ("criterion not an object", _set(("criteria", 0), "1.1"), ["criteria[0]", "object"]),
    ("criterion missing id", _drop(("criteria", 1, "id")), ["criteria[1]", '"id"', "missing"]),
    ("criterion missing kind", _drop(("criteria", 1, "kind")), ['criterion "1.2.2"', '"kind"', "missing"]),
    ("criterion missing points", _drop(("criteria", 1, "points")), ['criterion "1.2.2"', '"points"', "missing"]),
    ("criterion unknown kind", _set(("criteria", 1, "kind"), "optional"), ['criterion "1.2.2"', "kind", '"optional"']),
    ("criterion duplicate id", _set(("criteria", 1, "id"), "1.1"), ['criterion "1.1"', "duplicate", "criteria[0]"]),
    ("criterion empty id", _set(("criteria", 0, "id"), ""), ["criteria[0]", "id", "empty"]),
    ("criterion numeric id", _set(("criteria", 0, "id"), 11), ["criteria[0]", "id", "number"]),
    ("criterion points negative", _set(("criteria", 0, "points"), -1), ['criterion "1.1"', "points"]),
    ("criterion points boolean", _set(("criteria", 0, "points"), True), ['criterion "1.1"', "points", "boolean"]),
    ("criterion points fractional", _set(("criteria", 0, "points"), Decimal("11.5")), ['criterion "1.1"', "points", "fractional"]),
    ("criterion points string", _set(("criteria", 0, "points"), "11"), ['criterion "1.1"', "points", "string"]),
    ("ranked 20 without ranks", _drop(("criteria", 2, "ranks")), ['criterion "2.1"', "ranks", "20"]),
    ("ranked 12 without ranks", _set(("criteria", 1, "points"), 12), ['criterion "1.2.2"', "ranks", "12"]),
    ("ranks on a mandatory item", _set(("criteria", 0, "ranks"), {"S": 11}), ['criterion "1.1"', "ranks", "mandatory"]),
    ("table on a ranked item", _set(("criteria", 1, "table"), {"a": 1}), ['criterion "1.2.2"', "table", "ranked"]),
    ("certification without table", _drop(("criteria", 3, "table")), ['criterion "4"', '"table"']),
    ("ranks not an object", _set(("criteria", 2, "ranks"), ["S"]), ['criterion "2.1"', "ranks", "object"]),
    ("ranks empty", _set(("criteria", 2, "ranks"), {}), ['criterion "2.1"', "ranks", "at least one"]),
    ("rank value a string", _set(("criteria", 2, "ranks", "S"), "20"), ['criterion "2.1"', 'ranks["S"]', "string"]),
    ("rank value over the points", _set(("criteria", 2, "ranks", "S"), 25), ['criterion "2.1"', 'ranks["S"]', "25"]),
    ("rank value negative", _set(("criteria", 2, "ranks", "C"), -1), ['criterion "2.1"', 'ranks["C"]']),
    ("rank code empty", _set(("criteria", 2, "ranks", ""), 1), ['criterion "2.1"', "ranks"]),
    ("table not an object", _set(("criteria", 3, "table"), []), ['criterion "4"', "table", "object"]),
    ("table value negative", _set(("criteria", 3, "table", "youth_yell"), -6), ['criterion "4"', 'table["youth_yell"]']),
    ("table value fractional", _set(("criteria", 3, "table", "youth_yell"), Decimal("6.5")), ['criterion "4"', 'table["youth_yell"]', "fractional"]),
    ("unknown criterion field", _set(("criteria", 0, "weight"), 1), ['criterion "1.1"', '"weight"', "unknown field"]),
    # --- bids ---
    ("bids not an array", _set(("bids",), {}), ["bids", "array"]),
    ("bid not an object", _set(("bids", 0), "A"), ["bids[0]", "object"]),
    ("bid missing bidder", _drop(("bids", 0, "bidder")), ["bids[0]", '"bidder"', "missing"]),
    ("bidder empty", _set(("bids", 0, "bidder"), " "), ["bids[0]", "bidder", "empty"]),
    ("bidder a number", _set(("bids", 0, "bidder"), 1), ["bids[0]", "bidder", "number"]),
    ("duplicate bidder", _set(("bids", 1, "bidder"), "A"), ["bids[1]", 'bidder "A"', "duplicate", "bids[0]"]),
    ("missing amount", _drop(("bids", 0, "amount")), ['bidder "A"', '"amount"', "missing"]),
    ("null amount", _set(("bids", 0, "amount"), None), ['bidder "A"', '"amount"', "missing"]),
    ("negative amount", _set(("bids", 0, "amount"), -1), ['bidder "A"', "amount", "negative"]),
    ("fractional amount", _set(("bids", 0, "amount"), Decimal("9000000.5")), ['bidder "A"', "amount", "fractional"]),
    ("amount with .0", _set(("bids", 0, "amount"), Decimal("9000000.0")), ['bidder "A"', "amount", "fractional"]),
    ("float amount", _set(("bids", 0, "amount"), 9000000.5), ['bidder "A"', "amount", "fractional"]),
    ("boolean amount", _set(("bids", 0, "amount"), True), ['bidder "A"', "amount", "boolean"]),
    ("string amount", _set(("bids", 0, "amount"), "9000000"), ['bidder "A"', "amount", "string"]),
    ("negative amount of a void bid", _set(("bids", 1, "amount"), -1), ['bidder "B"', "amount", "negative"]),
    ("compliance a string", _set(("bids", 0, "compliance"), "yes"), ['bidder "A"', "compliance"]),
    ("compliance a number", _set(("bids", 0, "compliance"), 1), ['bidder "A"', "compliance", "number"]),
    ("compliance null", _set(("bids", 0, "compliance"), None), ['bidder "A"', "compliance", "null"]),
    ("pages a string", _set(("bids", 0, "pages"), "true"), ['bidder "A"', "pages"]),
    ("pages zero", _set(("bids", 0, "pages"), 0), ['bidder "A"', "pages"]),
    ("scores not an object", _set(A_SCORES, ["S"]), ['bidder "A"', "scores", "object"]),
    ("scores missing", _drop(A_SCORES), ['bidder "A"', '"scores"', "missing"]),
    ("score for an unknown criterion", _set((*A_SCORES, "9.9"), "S"), ['bidder "A"', '"9.9"', "unknown criterion"]),
    ("score missing for a criterion", _drop((*A_SCORES, "2.1")), ['bidder "A"', 'criterion "2.1"', "missing"]),
    ("score missing for a mandatory item", _drop((*A_SCORES, "1.1")), ['bidder "A"', 'criterion "1.1"', "missing"]),
    ("unknown rank", _set((*A_SCORES, "1.2.2"), "X"), ['bidder "A"', 'criterion "1.2.2"', '"X"', "rank"]),
    ("rank outside custom ranks", _set((*A_SCORES, "2.1"), "D"), ['bidder "A"', 'criterion "2.1"', '"D"']),
    ("lower-case rank", _set((*A_SCORES, "1.2.2"), "s"), ['bidder "A"', 'criterion "1.2.2"', '"s"']),
    ("rank as points", _set((*A_SCORES, "1.2.2"), 15), ['bidder "A"', 'criterion "1.2.2"']),
    ("mandatory yes", _set((*A_SCORES, "1.1"), "yes"), ['bidder "A"', 'criterion "1.1"', '"yes"']),
    ("mandatory true", _set((*A_SCORES, "1.1"), True), ['bidder "A"', 'criterion "1.1"']),
    ("unknown certification code", _set((*A_SCORES, "4"), ["kurumin"]), ['bidder "A"', 'criterion "4"', '"kurumin"']),
    ("certification as a string", _set((*A_SCORES, "4"), "youth_yell"), ['bidder "A"', 'criterion "4"', "list"]),
    ("certification code a number", _set((*A_SCORES, "4"), [6]), ['bidder "A"', 'criterion "4"']),
    ("certification null", _set((*A_SCORES, "4"), None), ['bidder "A"', 'criterion "4"']),
    ("invalid empty", _set(("bids", 1, "invalid"), ""), ['bidder "B"', "invalid", "empty"]),
    ("invalid a number", _set(("bids", 1, "invalid"), 11), ['bidder "B"', "invalid", "number"]),
    ("invalid true", _set(("bids", 1, "invalid"), True), ['bidder "B"', "invalid", "boolean"]),
    ("unknown bid field", _set(("bids", 0, "amout"), 1), ['bidder "A"', '"amout"', "unknown field"]),
    ("bad score on a void bid", _set(("bids", 1, "scores"), {"1.2.2": "Z"}), ['bidder "B"', 'criterion "1.2.2"', '"Z"']),
]


@pytest.mark.parametrize(("mutate", "words"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_parse_case_names_the_problem_in_one_line(mutate, words):
    data = mutate(spec())
    with pytest.raises(CaseFileError) as caught:
        parse_case(data)
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert isinstance(caught.value, ValueError)


def _dump(data):
    """case を JSON の文字列にする。Decimal は JSON の数として書く（run は小数を Decimal で読み戻す）。"""

    class Encoder(json.JSONEncoder):
        def default(self, o):
            if isinstance(o, Decimal):
                return f"@@{o}@@"
            return super().default(o)

    text = json.dumps(data, cls=Encoder, ensure_ascii=False)
    return text.replace('"@@', "").replace('@@"', "")


@pytest.mark.parametrize(
    ("mutate", "words"),
    [m[1:] for m in MALFORMED if m[0] not in {"ratio binary float", "float amount", "estimated price float"}],
    ids=[m[0] for m in MALFORMED if m[0] not in {"ratio binary float", "float amount", "estimated price float"}],
)
def test_run_exits_2_with_nothing_on_stdout_and_one_line_on_stderr(mutate, words):
    code, out, err = run(_dump(mutate(spec())))
    assert (code, out) == (2, "")
    assert err.endswith("\n") and err.count("\n") == 1
    for word in words:
        assert word in err


@pytest.mark.parametrize("bidder", ["A\nB", "A\u2028B", "A\rB"])
def test_an_error_about_a_bidder_with_a_line_break_in_its_name_stays_on_one_line(bidder):
    data = spec()
    data["bids"][0]["bidder"] = bidder
    data["bids"][0]["amount"] = -1
    code, out, err = run(_dump(data))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1


def test_a_fractional_amount_read_by_run_is_refused_not_rounded():
    code, out, err = run(read_case("spec_example").replace("9000000,", "9000000.4,", 1))
    assert (code, out) == (2, "")
    assert 'bidder "A"' in err and "amount" in err and "9000000.4" in err
    assert '"9000000.4"' not in err  # 数は書かれたとおり、引用符なしで示す


# ---------------------------------------------------------------------------
# run：JSON として読めないもの
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", ["invalid JSON"]),
        ("{", ["invalid JSON", "line 1"]),
        ('{"method": "weighted_sum",}', ["invalid JSON"]),
        ("not json", ["invalid JSON"]),
        ('{"method": "lowest_price", "method": "weighted_sum"}', ["invalid JSON", '"method"', "twice"]),
        ('{"method": "lowest_price", "estimated_price": NaN, "bids": []}', ["invalid JSON", "NaN"]),
        ('{"method": "lowest_price", "estimated_price": Infinity, "bids": []}', ["invalid JSON", "Infinity"]),
        ("[]", ["case", "object"]),
        ("null", ["case", "object"]),
        ("[" * 100_000, ["invalid JSON"]),
    ],
    ids=["empty", "truncated", "trailing comma", "not json", "duplicate field", "NaN", "Infinity", "array", "null",
         "too deep"],
)  # fmt: skip
def test_run_exits_2_on_text_that_is_not_a_json_case(text, words):
    code, out, err = run(text)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.endswith("\n")
    for word in words:
        assert word in err


def test_run_accepts_utf8_bytes_and_a_byte_order_mark():
    text = read_case("spec_example")
    expected = read_expected("spec_example")
    for given in (text.encode("utf-8"), "\ufeff" + text, ("\ufeff" + text).encode("utf-8")):
        code, out, err = run(given)
        assert (code, err) == (0, "") and json.loads(out) == expected


def test_a_null_value_is_named_once():
    data = spec()
    data["bids"][0]["compliance"] = None
    with pytest.raises(CaseFileError) as caught:
        parse_case(data)
    assert str(caught.value).endswith("got null")


def test_run_refuses_bytes_that_are_not_utf8():
    code, out, err = run(b'{"method": "\xff"}')
    assert (code, out) == (2, "") and "invalid JSON" in err


def test_run_succeeds_with_exit_0_and_empty_stderr():
    code, out, err = run(read_case("spec_example"))
    assert code == 0 and err == "" and out.endswith("\n")
    assert json.loads(out) == read_expected("spec_example")


def test_loads_reads_fractions_as_decimals():
    assert loads('{"x": 0.6, "y": 1}') == {"x": Decimal("0.6"), "y": 1}

"""Generated cases for the award engine (Hypothesis, derandomised so CI is repeatable).

An independent oracle written with fractions.Fraction recomputes every figure; the properties
the issue names are checked on hundreds of cases each: lowering a bid never lowers its price
score, a failed mandatory item always excludes, totals are technical + price, the winner has the
best total, ties go to the lottery, and the JSON contract round-trips."""
from decimal import Decimal
from fractions import Fraction
from math import floor

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tender.rules import evaluation as engine
from tender.rules.evaluation_case import case_to_json, parse_case, result_to_json, run

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def criteria(draw):
    out = []
    for n in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(engine.CRITERION_KINDS))
        if kind == engine.MANDATORY:
            out.append(engine.Criterion(f"m{n}", kind, draw(st.integers(1, 20))))
        elif kind == engine.RANKED:
            if draw(st.booleans()):
                out.append(engine.Criterion(f"r{n}", kind, draw(st.sampled_from([10, 15]))))
            else:
                points = draw(st.integers(1, 30))
                c = draw(st.integers(0, points))
                b = draw(st.integers(c, points))
                a = draw(st.integers(b, points))
                out.append(engine.Criterion(f"r{n}", kind, points, ranks={"S": points, "A": a, "B": b, "C": c}))
        else:
            table = {code: draw(st.integers(0, 12)) for code in draw(st.lists(
                st.sampled_from(["platinum_eruboshi", "eruboshi_3", "kurumin", "youth_yell"]), min_size=1, unique=True))}
            out.append(engine.Criterion(f"c{n}", kind, draw(st.integers(1, 10)), table=table))
    return tuple(out)


def score_for(draw, criterion):
    if criterion.kind == engine.MANDATORY:
        return draw(st.sampled_from([engine.MET, engine.MET, engine.MET, engine.NOT_MET]))
    if criterion.kind == engine.RANKED:
        return draw(st.sampled_from(list(criterion.rank_table)))
    return draw(st.lists(st.sampled_from(list(criterion.table)), unique=True))


@st.composite
def cases(draw, method="weighted_sum"):
    estimate = draw(st.integers(1, 200_000_000))
    crits = draw(criteria()) if method == "weighted_sum" else ()
    bids = []
    # A shared amount makes exact ties likely enough to exercise the lottery path.
    shared = draw(st.integers(0, estimate * 2))
    for n in range(draw(st.integers(1, 6))):
        amount = shared if draw(st.booleans()) else draw(st.integers(0, estimate * 2))
        if draw(st.integers(0, 9)) == 0:
            bids.append(engine.BidInput(f"B{n}", amount, invalid="第11条"))
            continue
        bids.append(engine.BidInput(f"B{n}", amount, compliance=draw(st.integers(0, 9)) > 0,
                                    pages=draw(st.integers(0, 9)) > 0,
                                    scores={c.id: score_for(draw, c) for c in crits}))
    low_bid = None
    if draw(st.booleans()):
        low_bid = engine.LowBidRule(Decimal(draw(st.sampled_from(["0.6", "0.75", "0.85", "1"]))),
                                    draw(st.integers(0, 20_000_000)))
    return engine.Case(method=method, estimated_price=estimate,
                       estimated_price_tax_included=draw(st.booleans()), tax_rate_percent=draw(st.sampled_from([8, 10])),
                       price_points=draw(st.integers(0, 200)), low_bid=low_bid, criteria=crits, bids=tuple(bids))


# --- the oracle: the rules of the spec, in fractions -----------------------------------------

def oracle_compared(case, amount):
    if not case.estimated_price_tax_included:
        return amount
    return floor(Fraction(amount) * (100 + case.tax_rate_percent) / 100)


def oracle_points(criterion, value):
    if criterion.kind == engine.MANDATORY:
        return criterion.points if value == engine.MET else 0
    if criterion.kind == engine.RANKED:
        return criterion.rank_table[value]
    return min(max([criterion.table[c] for c in value], default=0), criterion.points)


def oracle(case):
    rows = []
    for bid in case.bids:
        if bid.invalid is not None:
            rows.append((bid.bidder, engine.INVALID, None, None, None))
            continue
        compared = oracle_compared(case, bid.amount)
        if not (bid.compliance and bid.pages):
            rows.append((bid.bidder, engine.FAILED_SCREENING, compared, None, None))
        elif any(c.kind == engine.MANDATORY and bid.scores[c.id] == engine.NOT_MET for c in case.criteria):
            rows.append((bid.bidder, engine.FAILED_MANDATORY, compared, None, None))
        else:
            technical = sum(oracle_points(c, bid.scores[c.id]) for c in case.criteria)
            if compared > case.estimated_price:
                rows.append((bid.bidder, engine.OVER_ESTIMATE, compared, technical, None))
            else:
                price = Fraction(floor(Fraction(case.price_points * (case.estimated_price - compared) * 10,
                                                case.estimated_price)), 10)
                rows.append((bid.bidder, engine.CANDIDATE, compared, technical, price))
    return rows


@SETTINGS
@given(cases())
def test_weighted_sum_agrees_with_the_fraction_oracle(case):
    result = engine.evaluate(case)
    expected = oracle(case)
    assert [(r.bidder, r.status, r.compared_price) for r in result.results] == [e[:3] for e in expected]
    for r, (_, status, _, technical, price) in zip(result.results, expected):
        if status == engine.CANDIDATE:
            assert r.technical == technical and Fraction(r.price) == price
            assert r.total == r.technical + r.price  # 総合評価点 = 技術点 + 価格点
            assert isinstance(r.price, Decimal) and r.price == r.price.quantize(Decimal("0.1"))
        else:
            assert r.price is None and r.total is None
    # The award: best total among candidates; ties → lottery in bid order; else low-bid hold.
    candidates = [(e[0], e[3] + e[4], e[2]) for e in expected if e[1] == engine.CANDIDATE]
    award = result.award
    if not candidates:
        over = any(e[1] == engine.OVER_ESTIMATE for e in expected)
        assert award.status == (engine.REBID_REQUIRED if over else engine.NO_VALID_BID) and award.bidder is None
        return
    best = max(total for _, total, _ in candidates)
    tied = [name for name, total, _ in candidates if total == best]
    assert list(award.candidates) == tied
    if len(tied) > 1:
        assert award.status == engine.LOTTERY_REQUIRED and award.bidder is None
        return
    compared = next(c for name, _, c in candidates if name == tied[0])
    rule = case.low_bid
    low = rule is not None and case.estimated_price > rule.min_estimated_price and \
        Fraction(compared) < Fraction(case.estimated_price) * Fraction(rule.ratio)
    assert award.status == (engine.HELD_FOR_INVESTIGATION if low else engine.AWARDED) and award.bidder == tied[0]


@SETTINGS
@given(cases(method="lowest_price"))
def test_lowest_price_awards_the_lowest_compared_price_within_the_estimate(case):
    result = engine.evaluate(case)
    within = [(oracle_compared(case, b.amount), b.bidder) for b in case.bids
              if b.invalid is None and b.compliance and b.pages and oracle_compared(case, b.amount) <= case.estimated_price]
    if not within:
        assert result.award.status in (engine.REBID_REQUIRED, engine.NO_VALID_BID)
        return
    lowest = min(c for c, _ in within)
    assert list(result.award.candidates) == [name for c, name in within if c == lowest]


@SETTINGS
@given(st.integers(1, 10**12), st.integers(0, 10**12), st.integers(0, 10**12), st.integers(0, 1000))
def test_lowering_a_bid_never_lowers_its_price_score(estimate, a, b, points):
    low, high = sorted((a % (estimate + 1), b % (estimate + 1)))
    assert engine.price_score(low, estimate, points) >= engine.price_score(high, estimate, points)


@SETTINGS
@given(cases())
def test_a_failed_mandatory_item_always_excludes(case):
    mandatory = [c for c in case.criteria if c.kind == engine.MANDATORY]
    assume(mandatory)
    failing = tuple(engine.BidInput(b.bidder, b.amount, compliance=True, pages=True,
                                    scores={**b.scores, mandatory[0].id: engine.NOT_MET})
                    if b.invalid is None else b for b in case.bids)
    result = engine.evaluate(engine.Case(**{**case.__dict__, "bids": failing}))
    assert all(r.status in (engine.FAILED_MANDATORY, engine.INVALID) for r in result.results)
    assert result.award.status == engine.NO_VALID_BID


@SETTINGS
@given(st.integers(1, 10**10), st.integers(0, 10**10), st.integers(1, 500))
def test_price_score_is_exact_where_binary_floating_point_is_not(estimate, compared, points):
    compared %= estimate + 1
    exact = Fraction(floor(Fraction(points * (estimate - compared) * 10, estimate)), 10)
    assert Fraction(engine.price_score(compared, estimate, points)) == exact


def test_the_known_float_trap():
    # 110 × (1 − 9,900,000 ÷ 11,000,000) in binary floating point is 10.999999999999996 → 10.9.
    assert floor((110 * (1 - 9_900_000 / 11_000_000)) * 10) / 10 == 10.9
    assert engine.price_score(9_900_000, 11_000_000, 110) == Decimal("11.0")


@SETTINGS
@given(st.one_of(cases(), cases(method="lowest_price")))
def test_the_json_contract_round_trips_and_recomputes_the_same(case):
    import json

    data = case_to_json(case)
    assert parse_case(json.loads(json.dumps(data))) == case
    code, out, err = run(json.dumps(data))
    assert code == 0 and err == ""
    assert json.loads(out) == json.loads(json.dumps(result_to_json(engine.evaluate(case))))

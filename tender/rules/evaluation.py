"""落札者の決定：総合評価落札方式（加算方式・除算方式）と最低価格落札方式の計算。

Web アプリケーションも ``flask evaluate-case`` コマンドも、この一つのエンジンで結果を出す。
入力も出力も凍結した dataclass で、データベースにも現在時刻にも触れない。

出典は [002] の「V. 評価項目一覧」「VI. 評価手順書（加算方式）」と入札心得：

* 一次評価（評価手順書 2.1）：遵守確認がすべて○、提案書頁番号がすべて記入 → 合格しなければ採点しない。
* 基礎点（評価手順書 3.2）：必須項目を一つでも満たさなければ不合格、価格点の評価は行わない。
* 加点（評価手順書 3.3）：ランク S/A/B/C。15点の項目は 15/9/4/0、10点の項目は 10/6/3/0。
  ワーク・ライフ・バランスの項目は、該当する認定等のうち最も配点が高い区分だけを付与する。
* 価格点 ＝ 価格点の配分 ×（1 − 入札価格 ÷ 予定価格）、小数点第2位以下切捨て（評価手順書 1.2）。
* 落札価格 ＝ 入札書の金額 ＋ その10%（1円未満切捨て）（入札心得第5条）。予定価格が税込なら、これで比べる。
* 予定価格の制限の範囲内であること（第14条。予定価格ちょうどは範囲内）、ないときは再度入札（第15条）。
* 調査基準価格（第13条）：予定価格が1千万円を超える請負契約で、予定価格 × 10分の6 に満たない入札
  → 落札決定を保留して低入札価格調査（第14条第2項）。
* 同価格・同総合評価点の者が二者以上 → くじ（第16条）。

金額は円単位の int、得点は int と Decimal だけで扱う。float は一切使わない。切捨ては0以上の値を
整数の除算で正確に行う（Decimal の割り算は有効桁で丸められ、切捨ての前に繰り上がりうるため）。
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from typing import TypeVar

from tender.rules.checks import require_bool as _require_bool
from tender.rules.checks import require_int
from tender.rules.checks import require_unique as _require_unique
from tender.rules.money import tax_included

__all__ = [
    "MANDATORY",
    "RANKED",
    "CERTIFICATION",
    "CRITERION_KINDS",
    "MET",
    "NOT_MET",
    "RANK_TABLES",
    "INVALID",
    "FAILED_SCREENING",
    "FAILED_MANDATORY",
    "OVER_ESTIMATE",
    "CANDIDATE",
    "BID_STATUSES",
    "AWARDED",
    "HELD_FOR_INVESTIGATION",
    "LOTTERY_REQUIRED",
    "REBID_REQUIRED",
    "NO_VALID_BID",
    "AWARD_STATUSES",
    "DIVISION_PRICE_UNIT",
    "DIVISION_PLACES",
    "LOW_BID_MIN_ESTIMATED_PRICE",
    "LOW_BID_RATIO_SERVICES",
    "ScoreError",
    "Criterion",
    "BidInput",
    "LowBidRule",
    "Case",
    "BidResult",
    "Award",
    "Evaluation",
    "compared_price",
    "criterion_points",
    "technical_score",
    "price_score",
    "division_value",
    "division_rank",
    "compared_ceiling",
    "fraction_text",
    "compared_ceiling_note",
    "effective_price_basis",
    "PRICE_WITH_TAX",
    "PRICE_AS_WRITTEN",
    "METHODS",
    "register_method",
    "evaluate",
]

# ---------------------------------------------------------------------------
# 語彙（JSON の契約 /work/shared/spec/evaluation-case.md と同じ綴り）
# ---------------------------------------------------------------------------

MANDATORY = "mandatory"  # 必須項目：満たせば基礎点、満たさなければ不合格
RANKED = "ranked"  # 任意項目：評価ランクに応じた加点
CERTIFICATION = "certification"  # ワーク・ライフ・バランス等の認定：最も高い区分だけ
CRITERION_KINDS = (MANDATORY, RANKED, CERTIFICATION)

MET = "met"
NOT_MET = "not_met"

# 評価手順書 3.3 の表（項目別得点）。他の配点の項目は ranks を明示する。
RANK_TABLES: dict[int, dict[str, int]] = {
    15: {"S": 15, "A": 9, "B": 4, "C": 0},
    10: {"S": 10, "A": 6, "B": 3, "C": 0},
}

# 入札ごとの結果
INVALID = "invalid"  # 入札心得第11条により無効
FAILED_SCREENING = "failed_screening"  # 一次評価で不合格（評価手順書 2.1）
FAILED_MANDATORY = "failed_mandatory"  # 必須項目を満たさない（評価手順書 3.2）
OVER_ESTIMATE = "over_estimate"  # 予定価格の制限を超える（入札心得第14条）
CANDIDATE = "candidate"  # 落札の対象となりうる
BID_STATUSES = (INVALID, FAILED_SCREENING, FAILED_MANDATORY, OVER_ESTIMATE, CANDIDATE)

# 落札の結果
AWARDED = "awarded"  # 落札者の決定（第14条）
HELD_FOR_INVESTIGATION = "held_for_investigation"  # 低入札：落札決定を保留（第13条、第14条第2項）
LOTTERY_REQUIRED = "lottery_required"  # 同価格・同総合評価点が二者以上 → くじ（第16条）
REBID_REQUIRED = "rebid_required"  # 予定価格の制限に達した入札がない → 再度入札（第15条）
NO_VALID_BID = "no_valid_bid"  # 落札の対象となる入札も、再度入札の前提となる入札もない
AWARD_STATUSES = (AWARDED, HELD_FOR_INVESTIGATION, LOTTERY_REQUIRED, REBID_REQUIRED, NO_VALID_BID)

# 調査基準価格（入札心得第13条）：予定価格が1千万円を超える請負契約に限り、工事以外は予定価格の10分の6。
LOW_BID_MIN_ESTIMATED_PRICE = 10_000_000
LOW_BID_RATIO_SERVICES = "0.6"

# 価格の比べ方（Case.price_basis）
PRICE_WITH_TAX = "with_tax"
PRICE_AS_WRITTEN = "as_written"

# 除算方式の評価値 ＝ 技術点 ÷ 比べる金額。比べるのは分数そのもの（端数処理なし）；表示は
# 百万円当たり（÷ DIVISION_PRICE_UNIT）の小数第 DIVISION_PLACES 位まで（それより下は切捨て）。
DIVISION_PRICE_UNIT = 1_000_000
DIVISION_PLACES = 10

# ---------------------------------------------------------------------------
# 値の検査
# ---------------------------------------------------------------------------


def _quote(text: object) -> str:
    """識別子をメッセージの中で引用する。改行などの印字できない文字はエスケープして1行に保つ。"""
    escaped = "".join(
        "\\" + char if char in '"\\' else char if char.isprintable() else f"\\u{ord(char):04x}"
        for char in str(text)
    )
    return f'"{escaped}"'




def _require_int(value: object, name: str, *, minimum: int = 0) -> int:
    """The engine's counts and points are 0 or more unless it says otherwise."""
    return require_int(value, name, minimum=minimum)


def _require_text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str (not {type(value).__name__})")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def _require_points_map(value: object, name: str, *, maximum: int | None) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of codes to points")
    result: dict[str, int] = {}
    for code, points in value.items():
        _require_text(code, f"{name} code")
        _require_int(points, f"{name}[{_quote(code)}]")
        if maximum is not None and points > maximum:
            raise ValueError(f"{name}[{_quote(code)}] is {points}, more than the criterion's {maximum} points")
        result[code] = points
    return result


def _cut(numerator: int, denominator: int, places: int) -> Decimal:
    """numerator ÷ denominator（どちらも0以上）を小数第 places 位より下で切り捨てた Decimal。

    整数の除算で切り捨てるので、Decimal の有効桁による丸めが入り込まない。
    その後の quantize(ROUND_DOWN) は値を変えず、指数（小数の桁数）をそろえるだけ。
    """
    if numerator < 0 or denominator <= 0:
        raise ValueError("the cut is defined only for a non-negative numerator and a positive denominator")
    scaled = numerator * 10**places // denominator
    return Decimal(scaled).scaleb(-places).quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


# ---------------------------------------------------------------------------
# 入力
# ---------------------------------------------------------------------------


class ScoreError(ValueError):
    """入札者の評価がその評価項目に合わない（未定義のランク・評価の欠落・未定義の認定コードなど）。"""

    def __init__(self, bidder: str, criterion: str, reason: str) -> None:
        super().__init__(f"bidder {_quote(bidder)}, criterion {_quote(criterion)}: {reason}")
        self.bidder = bidder
        self.criterion = criterion
        self.reason = reason

    def __reduce__(self):
        # 引数が3つの例外を pickle で復元できるようにする。
        return (type(self), (self.bidder, self.criterion, self.reason))


@dataclass(frozen=True)
class Criterion:
    """評価項目（提案要求事項の1行）。

    * ``mandatory``     … 必須。満たせば ``points``（基礎点）、満たさなければ0点で不合格。
    * ``ranked``        … 任意。評価ランクの点。``ranks`` がなければ 15点・10点の表を使う。
    * ``certification`` … 認定等。``table``（コード → 点）のうち最も高い1つ、ただし ``points`` が上限。
    """

    id: str
    kind: str  # "mandatory" | "ranked" | "certification"
    points: int
    ranks: dict[str, int] | None = None
    table: dict[str, int] | None = None

    def __post_init__(self) -> None:
        _require_text(self.id, "criterion id")
        if self.kind not in CRITERION_KINDS:
            raise ValueError(f"criterion {_quote(self.id)}: kind must be one of {', '.join(CRITERION_KINDS)}")
        _require_int(self.points, f"criterion {_quote(self.id)} points")
        if self.ranks is not None and self.kind != RANKED:
            raise ValueError(f"criterion {_quote(self.id)}: ranks apply only to a ranked criterion")
        if self.table is not None and self.kind != CERTIFICATION:
            raise ValueError(f"criterion {_quote(self.id)}: table applies only to a certification criterion")
        if self.kind == RANKED:
            if self.ranks is None:
                if self.points not in RANK_TABLES:
                    raise ValueError(
                        f"criterion {_quote(self.id)}: a ranked criterion worth {self.points} points needs "
                        f"explicit ranks (default tables exist for {', '.join(map(str, RANK_TABLES))} points)"
                    )
            else:
                ranks = _require_points_map(self.ranks, f"criterion {_quote(self.id)} ranks", maximum=self.points)
                if not ranks:
                    raise ValueError(f"criterion {_quote(self.id)}: ranks must list at least one rank")
                object.__setattr__(self, "ranks", ranks)  # 呼び出し側の dict を後から変えられても影響しない
        if self.kind == CERTIFICATION:
            if self.table is None:
                raise ValueError(f"criterion {_quote(self.id)}: a certification criterion needs a table")
            object.__setattr__(
                self, "table", _require_points_map(self.table, f"criterion {_quote(self.id)} table", maximum=None)
            )

    @property
    def rank_table(self) -> dict[str, int]:
        """ranked の項目のランク → 点（明示した ranks、なければ評価手順書 3.3 の表）。"""
        if self.kind != RANKED:
            raise ValueError(f"criterion {_quote(self.id)} is not ranked")
        return dict(self.ranks) if self.ranks is not None else dict(RANK_TABLES[self.points])


@dataclass(frozen=True)
class BidInput:
    """一つの入札：入札書の金額（税抜、円）と評価。

    ``scores`` は評価項目の id → ``"met"``/``"not_met"``（必須）、ランク（任意）、認定コードの列（認定等）。
    ``invalid`` は入札心得第11条により無効とした理由。無効の入札はそれ以上の判定に加わらない。
    """

    bidder: str
    amount: int | None
    compliance: bool = True
    pages: bool = True
    scores: dict[str, object] = field(default_factory=dict)
    invalid: str | None = None

    def __post_init__(self) -> None:
        _require_text(self.bidder, "bidder")
        if self.invalid is not None:
            _require_text(self.invalid, f"bidder {_quote(self.bidder)} invalid reason")
        if self.amount is None:
            if self.invalid is None:
                raise ValueError(f"bidder {_quote(self.bidder)}: amount is required unless the bid is invalid")
        else:
            _require_int(self.amount, f"bidder {_quote(self.bidder)} amount")
        _require_bool(self.compliance, f"bidder {_quote(self.bidder)} compliance")
        _require_bool(self.pages, f"bidder {_quote(self.bidder)} pages")
        if not isinstance(self.scores, Mapping):
            raise TypeError(f"bidder {_quote(self.bidder)}: scores must be a mapping of criterion ids")
        object.__setattr__(self, "scores", dict(self.scores))


@dataclass(frozen=True)
class LowBidRule:
    """調査基準価格（入札心得第13条）：予定価格が min_estimated_price を超える契約で、
    比べる金額が予定価格 × ratio に満たない入札は落札決定を保留する。"""

    ratio: Decimal
    min_estimated_price: int

    def __post_init__(self) -> None:
        if isinstance(self.ratio, bool) or not isinstance(self.ratio, (Decimal, int)):
            raise TypeError("low-bid ratio must be a Decimal (floats are not accepted)")
        ratio = Decimal(self.ratio)
        if not ratio.is_finite() or not Decimal(0) < ratio <= Decimal(1):
            raise ValueError(f"low-bid ratio must be greater than 0 and at most 1, got {self.ratio}")
        object.__setattr__(self, "ratio", ratio)
        _require_int(self.min_estimated_price, "low-bid min_estimated_price")

    def holds(self, estimated_price: int, compared: int, *, ceiling: int | Fraction | None = None) -> bool:
        """この落札候補の落札決定を保留するか（予定価格 > 下限 かつ 比べる金額 < 予定価格 × ratio）。
        ceiling：比べる金額と同じ扱いに換算した予定価格（省略時は estimated_price）。"""
        if estimated_price <= self.min_estimated_price:
            return False
        # compared < ceiling × n/d ⇔ compared × d < ceiling × n（整数・分数で正確に比べる）。
        numerator, denominator = self.ratio.as_integer_ratio()
        return compared * denominator < (estimated_price if ceiling is None else ceiling) * numerator


@dataclass(frozen=True)
class Case:
    """一件の入札の評価に必要なものすべて。bids の順（提出順）が結果の順、くじの候補の順になる。"""

    method: str
    estimated_price: int
    estimated_price_tax_included: bool = True
    tax_rate_percent: int = 10
    price_points: int = 110
    low_bid: LowBidRule | None = None
    criteria: tuple[Criterion, ...] = ()
    bids: tuple[BidInput, ...] = ()
    #: 価格点・予定価格の制限で「入札価格」と読む金額：PRICE_WITH_TAX（入札書の金額＋消費税、
    #: 1円未満切捨て＝落札価格）か PRICE_AS_WRITTEN（入札書の金額）。None：予定価格と同じ扱い
    #: （税込の予定価格なら税込、税抜なら税抜。DOMAIN「compare like with like」、JSON の契約の規則1）。
    price_basis: str | None = None

    def __post_init__(self) -> None:
        _require_text(self.method, "method")
        if self.price_basis not in (None, PRICE_WITH_TAX, PRICE_AS_WRITTEN):
            raise ValueError(f"unknown price basis: {self.price_basis!r}")
        _require_int(self.estimated_price, "estimated_price", minimum=1)
        _require_bool(self.estimated_price_tax_included, "estimated_price_tax_included")
        _require_int(self.tax_rate_percent, "tax_rate_percent")
        _require_int(self.price_points, "price_points")
        if self.low_bid is not None and not isinstance(self.low_bid, LowBidRule):
            raise TypeError("low_bid must be a LowBidRule or None")
        criteria = tuple(self.criteria)
        bids = tuple(self.bids)
        if not all(isinstance(c, Criterion) for c in criteria):
            raise TypeError("criteria must be Criterion objects")
        if not all(isinstance(b, BidInput) for b in bids):
            raise TypeError("bids must be BidInput objects")
        _require_unique([c.id for c in criteria], "criterion id")
        _require_unique([b.bidder for b in bids], "bidder")
        object.__setattr__(self, "criteria", criteria)
        object.__setattr__(self, "bids", bids)

    @property
    def tax_rate(self) -> Decimal:
        """税率（10% → Decimal("0.1")）。"""
        return Decimal(self.tax_rate_percent) / 100



# ---------------------------------------------------------------------------
# 出力
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BidResult:
    """入札ごとの結果。得点のないところは None。

    加算方式：technical＝技術点、price＝価格点、total＝総合評価点。
    除算方式：technical＝技術点、price は None、total＝評価値。
    最低価格落札方式：technical・price・total はすべて None。
    """

    bidder: str
    status: str
    compared_price: int | None
    technical: int | None
    price: Decimal | None
    total: Decimal | None


@dataclass(frozen=True)
class Award:
    """落札の結果。bidder は awarded・held_for_investigation のときだけ。

    candidates は最良の落札候補（1者、または同点の者を bids の順に）。候補がなければ空。
    """

    status: str
    bidder: str | None
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    results: tuple[BidResult, ...]
    award: Award


# ---------------------------------------------------------------------------
# 計算の部品
# ---------------------------------------------------------------------------


def compared_price(amount: int, *, estimated_price_tax_included: bool, tax_rate_percent: int = 10) -> int:
    """予定価格と比べる金額。

    予定価格が税込なら入札書の金額＋消費税（1円未満切捨て）＝落札価格（入札心得第5条）、
    税抜なら入札書の金額そのもの。
    """
    _require_int(amount, "amount")
    _require_int(tax_rate_percent, "tax_rate_percent")
    if _require_bool(estimated_price_tax_included, "estimated_price_tax_included"):
        return tax_included(amount, Decimal(tax_rate_percent) / 100)
    return amount


def criterion_points(criterion: Criterion, value: object, *, bidder: str) -> int:
    """一つの評価項目の点。評価が項目に合わなければ ScoreError。

    必須：met → points、not_met → 0。任意：ランクの点。認定等：列のうち最も高い区分の点（上限 points）。
    """
    if criterion.kind == MANDATORY:
        if value == MET:
            return criterion.points
        if value == NOT_MET:
            return 0
        raise ScoreError(bidder, criterion.id, f'mandatory score must be "met" or "not_met", got {_show(value)}')
    if criterion.kind == RANKED:
        table = criterion.rank_table
        if not isinstance(value, str) or value not in table:
            raise ScoreError(
                bidder, criterion.id, f"unknown rank {_show(value)} (expected one of {', '.join(table)})"
            )
        return table[value]
    # 認定等：複数が該当しても最も配点が高い区分だけ（評価手順書 3.3 ただし書き）。
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ScoreError(bidder, criterion.id, f"certification score must be a list of codes, got {_show(value)}")
    assert criterion.table is not None
    best = 0
    for code in value:
        if not isinstance(code, str) or code not in criterion.table:
            raise ScoreError(
                bidder,
                criterion.id,
                f"unknown certification code {_show(code)} (expected one of {', '.join(criterion.table) or 'none'})",
            )
        best = max(best, criterion.table[code])
    return min(best, criterion.points)


def _show(value: object) -> str:
    """評価の値をメッセージに示す。JSON の case から来た値なので JSON の書き方にそろえる（"S"、null、true、["a"]）。"""
    if isinstance(value, str):
        return _quote(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    return _quote(repr(value))[1:-1]  # repr は改行を含まないが、念のため印字できない文字をエスケープ


def _check_given_scores(case: Case, bid: BidInput) -> None:
    """与えられた評価がどれも既知の項目に合うことを確かめる（欠落はここでは問わない）。"""
    criteria = {c.id: c for c in case.criteria}
    for criterion_id, value in bid.scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ScoreError(bid.bidder, str(criterion_id), "no such criterion in the case")
        criterion_points(criterion, value, bidder=bid.bidder)


def technical_score(criteria: tuple[Criterion, ...], bid: BidInput) -> int:
    """技術点 ＝ 満たした必須項目の基礎点 ＋ ランクの加点 ＋ 認定等の加点。すべての項目の評価が要る。"""
    total = 0
    for criterion in criteria:
        if criterion.id not in bid.scores:
            raise ScoreError(bid.bidder, criterion.id, "score missing")
        total += criterion_points(criterion, bid.scores[criterion.id], bidder=bid.bidder)
    return total


def price_score(compared: int, estimated_price: int | Fraction, price_points: int) -> Decimal:
    """価格点 ＝ 価格点の配分 ×（1 − 入札価格 ÷ 予定価格）、小数点第2位以下切捨て（評価手順書 1.2）。

    予定価格の制限の範囲内（compared ≤ estimated_price）の入札にだけ使う。予定価格 e = p/q（税抜・税込に
    換算した予定価格は分数になりうる）のとき price_points × (e − c) / e ＝ price_points × (p − c·q) / p を
    整数で計算してから切り捨てる。
    """
    _require_int(compared, "compared price")
    if isinstance(estimated_price, Fraction):
        if estimated_price <= 0:
            raise ValueError("estimated_price must be positive")
    else:
        _require_int(estimated_price, "estimated_price", minimum=1)
    _require_int(price_points, "price_points")
    if compared > estimated_price:
        raise ValueError("a price score exists only for a bid within the estimated price")
    e = Fraction(estimated_price)
    return _cut(price_points * (e.numerator - compared * e.denominator), e.numerator, 1)


def effective_price_basis(price_basis: str | None, estimated_price_tax_included: bool) -> str:
    """「入札価格」と読む金額：設定があればそれ、なければ予定価格と同じ扱い（税込なら税込＝落札価格）。"""
    if price_basis is not None:
        return price_basis
    return PRICE_WITH_TAX if estimated_price_tax_included else PRICE_AS_WRITTEN


def compared_ceiling(case: Case) -> int | Fraction:
    """比べる金額と同じ扱いの予定価格：price_basis が予定価格の税の扱いと違えば、税率で換算する（分数のまま）。"""
    basis = effective_price_basis(case.price_basis, case.estimated_price_tax_included)
    if (basis == PRICE_WITH_TAX) == case.estimated_price_tax_included:
        return case.estimated_price
    rate = Fraction(100 + case.tax_rate_percent, 100)
    return case.estimated_price * rate if basis == PRICE_WITH_TAX else case.estimated_price / rate


def fraction_text(value: int | Fraction, places: int = 2) -> str:
    """金額の分数（換算した予定価格）の表示：整数ならそのまま桁区切り、そうでなければ小数第 places 位まで
    （それより下は切り捨てて「…」を付ける。計算は分数のまま行う）。"""
    if isinstance(value, int) or Fraction(value).denominator == 1:
        return f"{int(value):,}"
    scaled = Fraction(value) * 10**places
    whole, part = divmod(int(scaled), 10**places)
    return f"{whole:,}.{part:0{places}d}…"


def compared_ceiling_note(case: Case) -> str:
    """The 予定価格 as the 価格点 formula uses it, in words, when it differs from the 予定価格 itself
    (converted to the basis of 入札価格 by the case's tax rate, kept exact); empty otherwise."""
    ceiling = compared_ceiling(case)
    if ceiling == case.estimated_price:
        return ""
    gross = 100 + case.tax_rate_percent
    with_tax = effective_price_basis(case.price_basis, case.estimated_price_tax_included) == PRICE_WITH_TAX
    factor = f"{gross}/100" if with_tax else f"100/{gross}"
    return (f"予定価格を{'税込' if with_tax else '税抜'}に換算した {fraction_text(ceiling)}円"
            f"（{case.estimated_price:,}円 × {factor}、端数は切り捨てずに計算）")


def division_value(technical: int, compared: int) -> Decimal:
    """除算方式の評価値の表示：技術点 ÷（比べる金額 ÷ 1,000,000）、小数第10位まで（それより下は切捨て）。

    種の文書（[002]）は加算方式だけを定め、除算方式は定めていない（DOMAIN §7 が挙げる広く使われる変形。
    一般に「評価値 ＝ 技術評価点 ÷ 入札価格」と定義される）。落札者は :func:`division_rank` の分数
    そのもので比べ、同じ値のときだけくじになる。以前は表示と同じ小数第4位で比べたため、数十億円の
    入札では明らかな差（20億円と19億9,999万9千円）が同値になり、くじに回っていた（issue 17）。
    表示は百万円当たりの値の小数第10位まで。ごく近い値は表示では同じに見えうるが、順位は常に分数で決める。
    """
    _require_int(technical, "technical score")
    _require_int(compared, "compared price")
    if compared == 0:
        raise ValueError("the division method cannot evaluate a bid of 0 yen")
    return _cut(technical * DIVISION_PRICE_UNIT, compared, DIVISION_PLACES)


def division_rank(technical: int, compared: int) -> Fraction:
    """除算方式で比べる値：技術点 ÷ 比べる金額（分数のまま。丸めない）。"""
    _require_int(technical, "technical score")
    _require_int(compared, "compared price")
    if compared == 0:
        raise ValueError("the division method cannot evaluate a bid of 0 yen")
    return Fraction(technical, compared)


# ---------------------------------------------------------------------------
# 判定の流れ（規則 1〜6）
# ---------------------------------------------------------------------------


def _screen(case: Case, *, scored: bool) -> list[BidResult]:
    """規則1〜3と5：比べる金額、一次評価・必須項目、予定価格の制限。

    scored（技術点を使う方式）のとき、一次評価に合格した入札にはすべての項目の評価が要る。
    技術点は必須項目に合格した入札に付け、予定価格を超えた入札にも示す（価格点・合計はない）。
    """
    results: list[BidResult] = []
    mandatory = [c for c in case.criteria if c.kind == MANDATORY]
    for bid in case.bids:
        _check_given_scores(case, bid)
        if bid.invalid is not None:
            results.append(BidResult(bid.bidder, INVALID, None, None, None, None))
            continue
        assert bid.amount is not None
        compared = compared_price(
            bid.amount,
            estimated_price_tax_included=effective_price_basis(
                case.price_basis, case.estimated_price_tax_included) == PRICE_WITH_TAX,
            tax_rate_percent=case.tax_rate_percent,
        )
        if not (bid.compliance and bid.pages):
            results.append(BidResult(bid.bidder, FAILED_SCREENING, compared, None, None, None))
            continue
        technical = technical_score(case.criteria, bid) if scored else None
        if any(bid.scores.get(c.id) == NOT_MET for c in mandatory):
            results.append(BidResult(bid.bidder, FAILED_MANDATORY, compared, None, None, None))
            continue
        status = OVER_ESTIMATE if compared > compared_ceiling(case) else CANDIDATE
        results.append(BidResult(bid.bidder, status, compared, technical, None, None))
    return results


_Figure = TypeVar("_Figure", int, Decimal)


def _figure(value: _Figure | None) -> _Figure:
    """A candidate's price or total: every candidate has them (that is how it became one)."""
    assert value is not None
    return value


def _award(case: Case, results: list[BidResult], goodness: Callable[[BidResult], Decimal | int | Fraction]) -> Award:
    """規則6：最良の候補、同点ならくじ、低入札なら保留、候補がなければ再度入札か有効な入札なし。"""
    candidates = [r for r in results if r.status == CANDIDATE]
    if not candidates:
        if any(r.status == OVER_ESTIMATE for r in results):
            return Award(REBID_REQUIRED, None, ())
        return Award(NO_VALID_BID, None, ())
    best = max(goodness(r) for r in candidates)
    tied = tuple(r for r in candidates if goodness(r) == best)  # bids の順のまま
    if len(tied) > 1:
        return Award(LOTTERY_REQUIRED, None, tuple(r.bidder for r in tied))
    winner = tied[0]
    assert winner.compared_price is not None
    if case.low_bid is not None and case.low_bid.holds(case.estimated_price, winner.compared_price,
                                                       ceiling=compared_ceiling(case)):
        return Award(HELD_FOR_INVESTIGATION, winner.bidder, (winner.bidder,))
    return Award(AWARDED, winner.bidder, (winner.bidder,))


Method = Callable[[Case], Evaluation]

#: 落札方式の登録簿：名前 → Case を受け取り Evaluation を返す関数。
METHODS: dict[str, Method] = {}


def register_method(name: str) -> Callable[[Method], Method]:
    """落札方式を METHODS に登録するデコレータ。"""

    def register(function: Method) -> Method:
        METHODS[name] = function
        return function

    return register


@register_method("weighted_sum")
def evaluate_weighted_sum(case: Case) -> Evaluation:
    """総合評価落札方式・加算方式：総合評価点 ＝ 技術点 ＋ 価格点 が最も高い者（評価手順書 1.1）。"""
    results: list[BidResult] = []
    for r in _screen(case, scored=True):
        if r.status == CANDIDATE:
            assert r.compared_price is not None and r.technical is not None
            price = price_score(r.compared_price, compared_ceiling(case), case.price_points)
            r = BidResult(r.bidder, r.status, r.compared_price, r.technical, price, r.technical + price)
        results.append(r)
    return Evaluation(tuple(results), _award(case, results, lambda r: _figure(r.total)))


@register_method("division")
def evaluate_division(case: Case) -> Evaluation:
    """総合評価落札方式・除算方式：評価値 ＝ 技術点 ÷ 比べる金額（分数のまま比べる）が最も高い者。

    種の文書には定めがない（DOMAIN §7 の「広く使われる変形」）。JSON の契約には含めない。
    price_points は使わない。price は None、total に評価値を入れる。
    """
    results: list[BidResult] = []
    for r in _screen(case, scored=True):
        if r.status == CANDIDATE:
            assert r.compared_price is not None and r.technical is not None
            value = division_value(r.technical, r.compared_price)
            r = BidResult(r.bidder, r.status, r.compared_price, r.technical, None, value)
        results.append(r)

    def exact(r: BidResult) -> Fraction:
        assert r.technical is not None and r.compared_price is not None
        return division_rank(r.technical, r.compared_price)

    return Evaluation(tuple(results), _award(case, results, exact))


@register_method("lowest_price")
def evaluate_lowest_price(case: Case) -> Evaluation:
    """最低価格落札方式：予定価格の制限の範囲内で最低の価格の者（入札心得第14条）。

    評価は求めないが、与えられた評価は検査し、必須項目の not_met は不合格とする（規則2）。
    """
    results = _screen(case, scored=False)
    return Evaluation(tuple(results), _award(case, results, lambda r: -_figure(r.compared_price)))


def evaluate(case: Case) -> Evaluation:
    """case.method の落札方式で評価する。未知の方式は ValueError、評価の不備は ScoreError。"""
    if not isinstance(case, Case):
        raise TypeError("evaluate() takes a Case")
    method = METHODS.get(case.method)
    if method is None:
        raise ValueError(f"unknown method {_quote(case.method)} (known: {', '.join(METHODS)})")
    return method(case)

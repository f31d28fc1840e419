"""入札の規則：無効の事由、入札内訳書、くじ番号、予定価格との比較、最低価格落札方式の結果、電子くじ。

出典は入札心得（[002] VII）：
第5条（入札書の記載：記載金額に10%を加算した額が落札価格）、第11条（入札の無効）、
第14条（落札者の決定）、第15条（再度入札）、第16条（同価格の入札者が二者以上ある場合のくじ）。
入札内訳書の合計は入札金額に一致させる（DOMAIN §6）。

金額は円単位の int だけで扱い、float・bool は TypeError で拒否する。
低入札価格調査（第13条）の基準はここでは扱わない。
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from tender.rules import evaluation
from tender.rules.calendar import period_end
from tender.rules.checks import require_bool as _require_bool
from tender.rules.checks import require_int as _require_int
from tender.rules.checks import require_unique as _require_unique
from tender.rules.checks import require_yen as _require_yen
from tender.rules.money import format_yen

__all__ = [
    "InvalidGround",
    "BreakdownLine",
    "breakdown_problems",
    "copies_unit",
    "COPY_UNITS",
    "breakdown_total",
    "LUMP_SUM_UNIT",
    "LOTTERY_NUMBER_MESSAGE",
    "lottery_number_problem",
    "normalise_lottery_number",
    "comparison_price",
    "within_ceiling",
    "BidFact",
    "Outcome",
    "OUTCOME_WINNER",
    "OUTCOME_TIE",
    "OUTCOME_REBID",
    "OUTCOME_NO_VALID_BID",
    "lowest_price_outcome",
    "LotteryEntry",
    "LotteryStep",
    "LotteryResult",
    "LOTTERY_ALGORITHM",
    "RECEIPT_RANDOM_MAX",
    "LAPSE_GROUND",
    "REBID_MINUTES",
    "draw",
    "verify",
]


# ---------------------------------------------------------------------------
# 入札の無効（入札心得第11条）
# ---------------------------------------------------------------------------


class InvalidGround(str, enum.Enum):
    """入札を無効とする事由。入札心得第11条の各号の順。値は変えない ASCII のコード（データベースに保存される）。"""

    NO_QUALIFICATION = "no_qualification"  # 第11条第1号
    NOT_NOMINATED = "not_nominated"  # 第11条第2号
    AGENT_WITHOUT_PROXY = "agent_without_proxy"  # 第11条第3号
    NO_NAME_SEAL = "no_name_seal"  # 第11条第4号
    AMENDED_AMOUNT = "amended_amount"  # 第11条第5号
    UNCLEAR_INTENT = "unclear_intent"  # 第11条第6号
    COLLUSION = "collusion"  # 第11条第7号
    DOUBLE_AGENCY = "double_agency"  # 第11条第8号
    CERTIFICATE_REJECTED = "certificate_rejected"  # 第11条第9号
    LATE = "late"  # 第11条第10号
    FALSE_PLEDGE = "false_pledge"  # 第11条第11号
    OTHER_BREACH = "other_breach"  # 第11条第12号

    @property
    def number(self) -> int:
        """入札心得第11条の号（1〜12）。"""
        return list(InvalidGround).index(self) + 1

    @property
    def label(self) -> str:
        """入札心得第11条の各号の文言。"""
        return _INVALID_GROUND_LABELS[self]

    @property
    def article(self) -> str:
        """出典（例：「入札心得第11条第1号」）。"""
        return f"入札心得第11条第{self.number}号"

    @property
    def automatic(self) -> bool:
        """事実（資格の有無・委任状の有無・到着時刻）からシステムが判定できるか。

        それ以外の事由は、契約担当職員等が理由を記して判断する。
        """
        return self in _AUTOMATIC_GROUNDS


# 入札心得第11条各号の文言（原文の「2 者」の空白は組版によるものなので詰める）。
_INVALID_GROUND_LABELS: dict[InvalidGround, str] = {
    InvalidGround.NO_QUALIFICATION: "競争に参加する資格を有しない者による入札",
    InvalidGround.NOT_NOMINATED: "指名競争入札において、指名通知を受けていない者による入札",
    InvalidGround.AGENT_WITHOUT_PROXY: "委任状を持参しない代理人による入札",
    InvalidGround.NO_NAME_SEAL: (
        "記名押印（外国人又は外国法人にあっては、本人又は代表者の署名をもって代えることができる。）を欠く入札"
    ),
    InvalidGround.AMENDED_AMOUNT: "金額を訂正した入札",
    InvalidGround.UNCLEAR_INTENT: "誤字、脱字等により意思表示が不明瞭である入札",
    InvalidGround.COLLUSION: "明らかに連合によると認められる入札",
    InvalidGround.DOUBLE_AGENCY: "同一事項の入札について他人の代理人を兼ね又は2者以上の代理をした者の入札",
    InvalidGround.CERTIFICATE_REJECTED: (
        "入札者に求められる義務を満たすことを証明する必要のある入札にあっては、"
        "証明書が契約担当職員等の審査の結果採用されなかった入札"
    ),
    InvalidGround.LATE: "入札書受領期限までに到着しない入札",
    InvalidGround.FALSE_PLEDGE: "暴力団排除に関する誓約事項（別記）について、虚偽が認められた入札",
    InvalidGround.OTHER_BREACH: "その他入札に関する条件に違反した入札",
}

# 第1号（資格）・第3号（委任状）・第10号（受領期限）は記録された事実だけで決まる。
_AUTOMATIC_GROUNDS = frozenset(
    {InvalidGround.NO_QUALIFICATION, InvalidGround.AGENT_WITHOUT_PROXY, InvalidGround.LATE}
)


# ---------------------------------------------------------------------------
# 値の検査
# ---------------------------------------------------------------------------





def _require_order(value: object, name: str = "提出順") -> int:
    order = _require_int(value, name)
    if order < 1:
        raise ValueError(f"{name}は1以上にしてください。")
    return order


# ---------------------------------------------------------------------------
# 入札内訳書（DOMAIN §6：一式の行と単価×数量の行。合計＝入札金額）
# ---------------------------------------------------------------------------

LUMP_SUM_UNIT = "式"


@dataclass(frozen=True)
class BreakdownLine:
    """入札内訳書の1行。一式の行は数量1・単位「式」とする。"""

    item: str
    quantity: int
    unit: str
    unit_price: int

    def __post_init__(self) -> None:
        if not isinstance(self.item, str):
            raise TypeError("品名は文字列で指定してください。")
        if not isinstance(self.unit, str):
            raise TypeError("単位は文字列で指定してください。")
        _require_int(self.quantity, "数量")
        _require_int(self.unit_price, "単価")

    @property
    def amount(self) -> int:
        """金額＝数量×単価（円）。"""
        return self.quantity * self.unit_price


def _require_lines(lines: object) -> list[BreakdownLine]:
    if not isinstance(lines, (list, tuple)):
        raise TypeError("内訳は BreakdownLine のリストで指定してください。")
    for line in lines:
        if not isinstance(line, BreakdownLine):
            raise TypeError("内訳は BreakdownLine のリストで指定してください。")
    return list(lines)


def breakdown_total(lines: list[BreakdownLine]) -> int:
    """内訳の合計（各行の数量×単価の和、円）。行がなければ0円。"""
    return sum(line.amount for line in _require_lines(lines))


def breakdown_problems(lines: list[BreakdownLine], bid_amount: int) -> list[str]:
    """入札内訳書の問題（日本語のメッセージ）。問題がなければ空のリスト。

    内訳の合計は入札書に記載した金額（税抜）に一致しなければならない（DOMAIN §6）。
    """
    lines = _require_lines(lines)
    bid = _require_int(bid_amount, "入札金額")
    if not lines:
        return ["内訳を1行以上入力してください。"]
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.item.strip():
            problems.append(f"{number}行目：品名を入力してください。")
        if line.quantity < 1:
            problems.append(f"{number}行目：数量は1以上にしてください。")
        if line.unit_price < 0:
            problems.append(f"{number}行目：単価は0円以上にしてください。")
    total = breakdown_total(lines)
    if total != bid:
        problems.append(f"内訳の合計（{format_yen(total)}）が入札金額（{format_yen(bid)}）と一致しません。")
    return problems


# ---------------------------------------------------------------------------
# くじ番号（入札書に封入する3桁の番号。電子くじ [入札心得第16条] に使う）
# ---------------------------------------------------------------------------

LOTTERY_NUMBER_MESSAGE = "くじ番号は3桁の数字（000〜999）で入力してください。"
# 半角数字と全角数字だけを認める（str.isdigit が認める他の文字体系の数字や上付き数字は認めない）。
_LOTTERY_NUMBER = re.compile(r"[0-9０-９]{3}")
_TO_ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _strip(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(LOTTERY_NUMBER_MESSAGE)
    # 前後の空白（全角空白を含む）は入力の揺れとして取り除く。
    return text.strip()


def lottery_number_problem(text: str) -> str | None:
    """くじ番号の入力の問題（日本語のメッセージ）。正しければ None。"""
    if _LOTTERY_NUMBER.fullmatch(_strip(text)) is None:
        return LOTTERY_NUMBER_MESSAGE
    return None


def normalise_lottery_number(text: str) -> str:
    """くじ番号を半角3桁の文字列にする（「１２３」→「123」、「007」→「007」）。正しくなければ ValueError。"""
    stripped = _strip(text)
    if _LOTTERY_NUMBER.fullmatch(stripped) is None:
        raise ValueError(LOTTERY_NUMBER_MESSAGE)
    return stripped.translate(_TO_ASCII_DIGITS)


# ---------------------------------------------------------------------------
# 予定価格との比較（入札心得第5条、第14条）
# ---------------------------------------------------------------------------


def comparison_price(bid_amount: int, *, ceiling_tax_included: bool) -> int:
    """予定価格と比べる金額。

    入札書に記載された金額に10%を加算した額（1円未満切捨て）が落札価格となる [入札心得第5条]。
    予定価格が税込なら、この落札価格で比べる。予定価格が税抜なら、入札書の金額そのもので比べる。
    """
    bid = _require_yen(bid_amount, "入札金額")
    # One rule for the whole application: the award engine's.
    return evaluation.compared_price(bid, estimated_price_tax_included=_require_bool(
        ceiling_tax_included, "予定価格が税込か"))


def within_ceiling(bid_amount: int, ceiling: int, *, ceiling_tax_included: bool) -> bool:
    """予定価格の制限の範囲内か（予定価格ちょうどは範囲内）[入札心得第14条]。"""
    limit = _require_yen(ceiling, "予定価格")
    return comparison_price(bid_amount, ceiling_tax_included=ceiling_tax_included) <= limit


# ---------------------------------------------------------------------------
# 最低価格落札方式の結果（入札心得第14条、第15条、第16条）
# ---------------------------------------------------------------------------

#: How long a re-bid (入札心得第15条, 「直ちに」) accepts bids: at least 5 minutes, so that those
#: present can act, and at most a day. (minutes: shortest, longest)
REBID_MINUTES = (5, 24 * 60)

OUTCOME_WINNER = "winner"
OUTCOME_TIE = "tie"
OUTCOME_REBID = "rebid"
OUTCOME_NO_VALID_BID = "no_valid_bid"


@dataclass(frozen=True)
class BidFact:
    """開札で判定に使う入札の事実。order は入札書の提出順（1から）。"""

    bid_id: int
    amount: int
    valid: bool
    order: int

    def __post_init__(self) -> None:
        _require_int(self.bid_id, "入札の番号")
        _require_yen(self.amount, "入札金額")
        _require_bool(self.valid, "有効か")
        _require_order(self.order)


@dataclass(frozen=True)
class Outcome:
    """開札の結果。

    * ``"winner"``       … 予定価格の制限の範囲内の最低価格の有効な入札が1者（第14条）。
    * ``"tie"``          … 最低価格の有効な入札が二者以上 → くじ（第16条）。tied_ids は提出順。
    * ``"rebid"``        … 有効な入札はあるが予定価格の制限に達したものがない → 再度入札（第15条）。
    * ``"no_valid_bid"`` … 有効な入札がない。

    ranking は予定価格の制限の範囲内の有効な入札を、価格の安い順・同価格は提出順に並べたもの。
    """

    kind: str
    winner_id: int | None
    tied_ids: tuple[int, ...]
    ranking: tuple[int, ...]
    reason: str


_REASON_WINNER = "予定価格の制限の範囲内で最低の価格をもって入札した者を落札者とします（入札心得第14条）。"
_REASON_TIE = (
    "落札となるべき同価格の入札をした者が{count}者あるため、くじにより落札者を決定します（入札心得第16条）。"
)
_REASON_REBID = "予定価格の制限に達した価格の入札がないため、直ちに再度の入札を行います（入札心得第15条）。"
_REASON_NO_VALID_BID = "有効な入札がないため、落札者を決定できません（入札心得第11条、第14条）。"



def lowest_price_outcome(bids: list[BidFact], ceiling: int, *, ceiling_tax_included: bool) -> Outcome:
    """最低価格落札方式で開札の結果を決める [入札心得第14条、第15条、第16条]。"""
    if not isinstance(bids, (list, tuple)) or not all(isinstance(b, BidFact) for b in bids):
        raise TypeError("入札は BidFact のリストで指定してください。")
    _require_yen(ceiling, "予定価格")
    _require_bool(ceiling_tax_included, "予定価格が税込か")
    _require_unique([b.bid_id for b in bids], "入札の番号")
    _require_unique([b.order for b in bids], "提出順")

    # 第11条により無効とされた入札は落札の対象としない。
    if not any(b.valid for b in bids):
        return Outcome(OUTCOME_NO_VALID_BID, None, (), (), _REASON_NO_VALID_BID)
    if ceiling == 0:
        # Only a 0-yen bid is within a 0-yen ceiling; the engine takes positive 予定価格 only.
        zero = tuple(b.bid_id for b in sorted(bids, key=lambda b: b.order) if b.valid and b.amount == 0)
        if not zero:
            return Outcome(OUTCOME_REBID, None, (), (), _REASON_REBID)
        if len(zero) > 1:
            return Outcome(OUTCOME_TIE, None, zero, zero, _REASON_TIE.format(count=len(zero)))
        return Outcome(OUTCOME_WINNER, zero[0], (), zero, _REASON_WINNER)

    # The decision is the award engine's (tender.rules.evaluation), the same code that decides
    # 総合評価 cases and that evaluate-case runs: 第14条 ceiling, 第15条 re-bid, 第16条 ties.
    in_order = sorted(bids, key=lambda b: b.order)
    result = evaluation.evaluate(evaluation.Case(
        method="lowest_price", estimated_price=ceiling, estimated_price_tax_included=ceiling_tax_included,
        bids=tuple(evaluation.BidInput(str(b.bid_id), b.amount, invalid=None if b.valid else "無効")
                   for b in in_order)))
    order = {str(b.bid_id): b.order for b in in_order}
    candidates = sorted((r for r in result.results if r.status == evaluation.CANDIDATE),
                        key=lambda r: (r.compared_price, order[r.bidder]))
    ranking = tuple(int(r.bidder) for r in candidates)
    award = result.award
    if award.status == evaluation.REBID_REQUIRED:
        return Outcome(OUTCOME_REBID, None, (), (), _REASON_REBID)
    if award.status == evaluation.LOTTERY_REQUIRED:
        tied = tuple(int(b) for b in award.candidates)
        return Outcome(OUTCOME_TIE, None, tied, ranking, _REASON_TIE.format(count=len(tied)))
    if award.bidder is None:  # the engine names the bidder with every other status
        raise ValueError(f"落札者のない結果です：{award.status}")
    return Outcome(OUTCOME_WINNER, int(award.bidder), (), ranking, _REASON_WINNER)


# ---------------------------------------------------------------------------
# 電子くじ（入札心得第16条）
#
# 入札者が入札書とともに封印する3桁のくじ番号と、入札書の受理時にサーバが割り当てて受理票に
# 記す3桁の受理時乱数を使う。同価格の入札者を提出順に並べ、残っている入札者のくじ番号と
# 受理時乱数の合計を残りの人数で割った余りの番目（0から数える）の入札者を次の順位とする。
# これを1者が残るまで繰り返し、最後の1者を最下位とする。
#
# どの値も提出期限までに確定している（受理時乱数は受理票に、くじ番号は封印の中に）。くじの
# 時点で新たに引く乱数はないので、同点が分かった後にサーバが結果を選ぶことはできず、各入札者は
# 受理票と公開された入力から同じ計算で結果を確かめられる。
# ---------------------------------------------------------------------------

RECEIPT_RANDOM_MAX = 999

LOTTERY_ALGORITHM = (
    "同価格の入札者を入札書の提出順に並べ、残っている入札者のくじ番号（入札者が入札書とともに封印した3桁）"
    "と受理時乱数（入札書の受理時に割り当て、受理票に記載した3桁）の合計を残っている者の数で割り、"
    "その余りを番号（提出順の先頭を0とする）として、その番号の入札者を次の順位とします。"
    "これを1者が残るまで繰り返し、最後に残った1者を最後の順位とします（1位の者が落札者です）。"
    "くじの時点で引く乱数はありません。"
)


@dataclass(frozen=True)
class LotteryEntry:
    """くじに参加する入札者：入札の番号、くじ番号（0〜999）、提出順（1から）、受理時乱数（0〜999）。"""

    bid_id: int
    number: int
    order: int
    receipt_random: int

    def __post_init__(self) -> None:
        _require_int(self.bid_id, "入札の番号")
        number = _require_int(self.number, "くじ番号")
        if not 0 <= number <= 999:
            raise ValueError(LOTTERY_NUMBER_MESSAGE)
        _require_order(self.order)
        random = _require_int(self.receipt_random, "受理時乱数")
        if not 0 <= random <= RECEIPT_RANDOM_MAX:
            raise ValueError(f"受理時乱数は0以上{RECEIPT_RANDOM_MAX}以下の整数にしてください。")


@dataclass(frozen=True)
class LotteryStep:
    """くじの1回分：残っている入札（提出順）、合計、選ばれた番号（0から）、選ばれた入札。"""

    remaining: tuple[int, ...]
    total: int
    index: int
    picked: int


@dataclass(frozen=True)
class LotteryResult:
    """くじの結果：順位（1位が落札者）、各回の計算、手順の説明。"""

    ranking: tuple[int, ...]
    steps: tuple[LotteryStep, ...]
    algorithm: str


def draw(entries: list[LotteryEntry]) -> LotteryResult:
    """電子くじを行い、同価格の入札者の順位を決める [入札心得第16条]。同じ入力からは必ず同じ結果になる。"""
    if not isinstance(entries, (list, tuple)) or not all(isinstance(e, LotteryEntry) for e in entries):
        raise TypeError("くじの参加者は LotteryEntry のリストで指定してください。")
    if len(entries) < 2:
        raise ValueError("くじは同価格の入札者が二者以上のときに行います。")
    _require_unique([e.bid_id for e in entries], "入札の番号")
    _require_unique([e.order for e in entries], "提出順")

    remaining = sorted(entries, key=lambda e: e.order)
    ranking: list[int] = []
    steps: list[LotteryStep] = []
    while len(remaining) > 1:
        before = tuple(e.bid_id for e in remaining)
        total = sum(e.number + e.receipt_random for e in remaining)
        index = total % len(remaining)
        picked = remaining.pop(index)
        steps.append(LotteryStep(remaining=before, total=total, index=index, picked=picked.bid_id))
        ranking.append(picked.bid_id)
    ranking.append(remaining[0].bid_id)
    return LotteryResult(tuple(ranking), tuple(steps), LOTTERY_ALGORITHM)


def verify(entries: list[LotteryEntry], result: LotteryResult) -> bool:
    """記録されたくじの結果を、同じ入力から計算し直して確かめる。一致すれば True。"""
    if not isinstance(result, LotteryResult):
        raise TypeError("くじの結果は LotteryResult で指定してください。")
    try:
        expected = draw(entries)
    except (TypeError, ValueError):
        # 参加者が二者未満など、正しいくじからは生じない結果。
        return False
    return expected == result


# ---------------------------------------------------------------------------
# 契約書の提出期限（入札心得第17条）
# ---------------------------------------------------------------------------

#: 落札者は落札決定の日から5日以内に記名押印した契約書を提出する。
CONTRACT_SUBMISSION_DAYS = 5
#: 期限内に契約書の提出がないときの落札の失効とその根拠（記録・通知・評価の入力に同じ文を使う）。
LAPSE_GROUND = "契約書を期限内に提出しなかったため、落札はその効力を失った（入札心得第17条）"


def contract_submission_deadline(award_day: date) -> date:
    """落札決定の日（日本時間の日付）から5日の期間の末日。初日は算入せず、末日が行政機関の休日なら
    その翌開庁日（民法第140条・第142条）。"""
    return period_end(award_day, CONTRACT_SUBMISSION_DAYS)


# ---------------------------------------------------------------------------
# 提出書類の数え方（部・通）
# ---------------------------------------------------------------------------

COPY_UNITS = ("部", "通")

#: 一枚ものの書面（書状・証明）は「通」で数える [002 様式4：委任状 1通、入札書（封緘）1通、資格審査結果
#: 通知書の写し 1通；提案書 7部、評価項目一覧 7部]。
_LETTERS = ("入札書", "委任状", "通知書", "誓約書", "確認書", "届出書", "申請書", "証明書")


def copies_unit(name: str) -> str:
    """書類名から部数の単位：書状・証明（入札書、委任状、…通知書の写しなど）は「通」、冊子は「部」。"""
    if not isinstance(name, str):
        raise TypeError("書類名は文字列で指定してください。")
    return "通" if any(word in name for word in _LETTERS) else "部"

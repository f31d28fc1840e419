"""契約条件の型（プリセット）：種の文書ごとに異なる条項を、契約が持つデータとして表す。

四つの発注機関の文書（IPA 000/002、千葉県 001、目黒区 003、市川市 004）は、違約金・賠償金、
支払の期限、期限の休日の扱いなどで異なる。契約は :class:`Conditions` を持ち、作成時に発注機関の
プリセット（:data:`PRESETS`）を写し、担当者が契約書（案）の段階で変えられる。どの値も、その
出典（種の条項、または種が定めていないときの法令・選択の理由）を :func:`sources` が返す。

金額は円の整数、計算は整数と Fraction だけで行う（tender.rules.money と同じ決まり）。
"""
from __future__ import annotations

import calendar
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from tender.rules.checks import require_date as _require_date
from tender.rules.checks import require_yen
from tender.rules.contracts import (
    Calculation,
    _exact_yen,
    _percent,
    _require_interest_rate,
    _require_positive_int,
    _within,
    _yen,
    days_late,
)
from tender.rules.contracts import incident_due as _incident_due
from tender.rules.contracts import inspection_due as _inspection_due
from tender.rules.contracts import payment_due as _next_month_end
from tender.rules.contracts import publication_deadline as _publication_deadline
from tender.rules.money import tax_included

__all__ = [
    "Conditions", "PRESETS", "PRESET_LABELS", "DEFAULT_PRESET", "CHOICES", "FIELD_LABELS", "preset",
    "from_dict", "problems", "sources", "payment_due", "payment_rule", "inspection_due", "incident_due", "publication_deadline",
    "penalty_interest", "accrued", "penalty_base", "termination_penalty", "penalty_on_termination", "contract_months", "collusion_amounts", "damages_limit",
    "PAYMENT_NEXT_MONTH_END", "PAYMENT_WITHIN_DAYS", "DAY_COUNT_365", "DAY_COUNT_ACTUAL",
    "COLLUSION_IPA", "COLLUSION_CHIBA", "COLLUSION_NONE", "BASE_AMOUNT", "BASE_HIGHEST_YEAR",
    "BASE_UNIT_PRICE", "BASE_MONTHLY", "DEFECT_COMPLETION", "DEFECT_RECOGNITION", "DEFECT_NONE", "DefectWindow",
    "defect_window", "defect_period_end", "parse_percent", "one_year_after", "SUBCONTRACT_NOTICE", "SUBCONTRACT_APPROVAL",
]

# 支払の期限
PAYMENT_NEXT_MONTH_END = "next_month_end"  # 請求書を受理した日の属する月の翌月末日 [000/002 第10条]
PAYMENT_WITHIN_DAYS = "within_days"  # 請求書を受理した日から N 日以内（支払遅延防止法 第6条・第14条）
# 遅延利息の日割り
DAY_COUNT_365 = "365"  # 閏年を含む期間も365日当たり
DAY_COUNT_ACTUAL = "actual"  # 各日を、その日の属する年の日数（365 または 366）で割る
# 談合等の違約金・賠償金
COLLUSION_IPA = "ipa"  # 違約金 100分の10、解除するか否かにかかわらず [000/002 特記事項 第3条]
COLLUSION_CHIBA = "chiba"  # 解除したとき違約金 10分の1 ＋ 解除するか否かにかかわらず賠償金 10分の2 [001 別記4]
COLLUSION_NONE = "none"  # 談合等の予定額の定めなし（実損の賠償による）
# 再委託・再請負
SUBCONTRACT_NOTICE = "notice"  # 事前に書面で届け出る [000・002 契約書 第2条第2項]
SUBCONTRACT_APPROVAL = "approval"  # 事前に書面で発注者の承諾を得る [001 第7 2(8)、003 第7条、004 別記１第５条]
# 契約不適合の期間
DEFECT_COMPLETION = "completion"  # 請負業務完了の日から1年以内に発見 [000・002 契約書 第9条第1項]
DEFECT_RECOGNITION = "recognition"  # 認識から1年以内に通知、契約期間終了日から1年を過ぎた認識は不可 [004 １３．]
DEFECT_NONE = "none"  # 種の文書に定めなし
# 違約金の基礎となる額 [004 特約条項 第２条第３項]
BASE_AMOUNT = "amount"  # 契約金額
BASE_HIGHEST_YEAR = "highest_year"  # 長期継続契約：各会計年度の支払予定額のうち最も高い額
BASE_UNIT_PRICE = "unit_price"  # 単価契約：契約単価 × 予定数量（長期継続契約なら最高支払予定額）
BASE_MONTHLY = "monthly"  # 月額による契約：月額 × 月数（長期継続契約なら月額 × 12）

CHOICES: dict[str, dict[str, str]] = {
    "payment": {PAYMENT_NEXT_MONTH_END: "請求書を受理した日の属する月の翌月末日まで",
                PAYMENT_WITHIN_DAYS: "請求書を受理した日から定めた日数以内"},
    "interest_day_count": {DAY_COUNT_365: "年365日当たり（閏年の日を含む期間も365日で割る）",
                           DAY_COUNT_ACTUAL: "その日の属する年の日数当たり（閏年は366日で割る）"},
    "collusion": {COLLUSION_IPA: "違約金：契約金額の100分の10（解除するか否かにかかわらず）",
                  COLLUSION_CHIBA: "解除したとき違約金10分の1、解除するか否かにかかわらず賠償金10分の2",
                  COLLUSION_NONE: "予定額の定めなし（実際の損害の賠償による）"},
    "penalty_base": {BASE_AMOUNT: "契約金額", BASE_HIGHEST_YEAR: "各会計年度の支払予定額のうち最も高い額",
                     BASE_UNIT_PRICE: "契約単価 × 予定数量", BASE_MONTHLY: "月額 × 契約期間の月数"},
    "penalty_rounding": {"100": "100円未満切捨て", "1": "1円未満切捨て"},
    "subcontracting": {SUBCONTRACT_NOTICE: "事前に書面で届け出る（業務の全部は不可）",
                       SUBCONTRACT_APPROVAL: "事前に書面で発注者の承諾を得る"},
    "defect": {DEFECT_COMPLETION: "業務完了の日から1年以内に発見したもの（発見後合理的期間内に通知）",
               DEFECT_RECOGNITION: "認識した時から1年以内に通知（契約期間終了日から1年を過ぎて認識したものは除く）",
               DEFECT_NONE: "定めなし"},
}

FIELD_LABELS = {
    "payment": "支払の期限", "payment_days": "支払までの日数", "interest_day_count": "遅延利息の日割り",
    "penalty_rounding": "違約金・賠償金の端数", "penalty": "契約を解除したときの違約金", "collusion": "談合等の違約金・賠償金",
    "penalty_base": "違約金の基礎となる額", "long_term": "長期継続契約", "shift_holidays": "期限が休日のとき",
    "damages_cap": "損害賠償の上限", "defect": "契約不適合の請求期間",
    "subcontracting": "再委託・再請負", "late_rate": "発注者の支払遅延の利率",
}


@dataclass(frozen=True)
class Conditions:
    """一つの契約の条件のうち、種の文書によって異なるもの。"""

    payment: str = PAYMENT_NEXT_MONTH_END
    payment_days: int = 30
    interest_day_count: str = DAY_COUNT_365
    penalty_rounding: int = 100
    #: 契約を解除したときの違約金（基礎となる額の100分の10）を定めているか。
    penalty: bool = True
    collusion: str = COLLUSION_IPA
    penalty_base: str = BASE_AMOUNT
    long_term: bool = False
    #: 検査・公表・支払の「○日以内」の末日が行政機関の休日のとき翌開庁日とするか。
    shift_holidays: bool = False
    #: 損害賠償は契約金額を上限とする（故意又は重大な過失がある場合を除く）[000/002 第14条]。
    damages_cap: bool = True
    #: 契約不適合（修補・損害賠償）を請求できる期間の定め方。
    defect: str = DEFECT_COMPLETION
    #: 再委託・再請負は届出か承諾か。
    subcontracting: str = SUBCONTRACT_NOTICE
    #: 発注者の支払遅延の利率（年何%、文字列）。空なら契約締結の日に適用される告示の率
    #: （tender.rules.late_payment.RATES）。表にない新しい告示の率は担当者がここに入れる。
    late_rate: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


_IPA = Conditions()
_CHIBA = Conditions(payment=PAYMENT_WITHIN_DAYS, penalty_rounding=1, collusion=COLLUSION_CHIBA, damages_cap=False,
                    defect=DEFECT_NONE, subcontracting=SUBCONTRACT_APPROVAL)
_MEGURO = Conditions(payment=PAYMENT_WITHIN_DAYS, penalty_rounding=1, penalty=False, collusion=COLLUSION_NONE,
                     damages_cap=False, defect=DEFECT_NONE, subcontracting=SUBCONTRACT_APPROVAL)
_ICHIKAWA = Conditions(payment=PAYMENT_WITHIN_DAYS, penalty_rounding=1, collusion=COLLUSION_NONE, long_term=True,
                       penalty_base=BASE_HIGHEST_YEAR, damages_cap=False, defect=DEFECT_RECOGNITION,
                       subcontracting=SUBCONTRACT_APPROVAL)

PRESETS: dict[str, Conditions] = {"ipa": _IPA, "chiba": _CHIBA, "meguro": _MEGURO, "ichikawa": _ICHIKAWA}
PRESET_LABELS = {"ipa": "IPA（000・002）", "chiba": "千葉県（001）", "meguro": "目黒区（003）",
                 "ichikawa": "市川市（004）"}
DEFAULT_PRESET = "ipa"

#: (項目, 値) → 出典。種が定めていないものは、そう書いたうえで選んだ理由を示す。
_SOURCES: dict[tuple[str, object], str] = {
    ("payment", PAYMENT_NEXT_MONTH_END):
        "「適法な支払請求書を受理した日の属する月の翌月末日までに契約金額を支払う」［000・002 契約書 第10条第1項］",
    ("payment", PAYMENT_WITHIN_DAYS):
        "種の文書（001・003・004）に支払期限の定めはない。政府契約の支払遅延防止等に関する法律 第6条"
        "（支払請求を受けた日から30日以内）を同法第14条により地方公共団体の契約にも当てはめた",
    ("interest_day_count", DAY_COUNT_365):
        "種の文書は日割りを定めていない（年3%の割合とだけ定める［000・002 契約書 第15条］）。"
        "この契約は年365日当たりで計算すると定めた",
    ("interest_day_count", DAY_COUNT_ACTUAL):
        "種の文書は日割りを定めていない（年3%の割合とだけ定める［000・002 契約書 第15条］）。"
        "この契約は各日をその年の日数（閏年は366日）当たりで計算すると定めた",
    ("penalty_rounding", 100):
        "「その金額に100円未満の端数があるときは、その端数を切り捨てた金額」［000・002 特記事項 第3条第1項、契約書 第13条第4項］",
    ("penalty_rounding", 1):
        "種の文書に端数の定めはない。国等の債権債務等の金額の端数計算に関する法律（第2条、地方公共団体は第5条）"
        "により1円未満を切り捨てる",
    ("penalty", True):
        "解除したとき「違約金として契約金額の100分の10」［000・002 契約書 第13条第4項、001 別記4 第2条第3項・第4条第3項、"
        "004 特約条項 第２条第３項］",
    ("penalty", False): "種の文書（003）に契約を解除したときの違約金の定めはない（実際の損害の賠償による）",
    ("collusion", COLLUSION_IPA):
        "「甲が本契約を解除するか否かにかかわらず…契約金額…の100分の10に相当する金額…を違約金として」"
        "［000・002 特記事項 第3条第1項］。実際の損害が超えるときはその分も請求できる（同第4項）",
    ("collusion", COLLUSION_CHIBA):
        "解除したとき「違約金として、契約金額の10分の1」［001 別記4 特約条項 第2条第3項］、"
        "「契約を解除するか否かにかかわらず、賠償金として、契約金額の10分の2」、履行した後も同様［同 第3条第1項］",
    ("collusion", COLLUSION_NONE): "種の文書（003・004）に談合等の違約金・賠償金の予定額の定めはない",
    ("penalty_base", BASE_AMOUNT): "「契約金額…の１００分の１０」［004 特約条項 第２条第３項、000・002 契約書 第13条第4項］",
    ("penalty_base", BASE_HIGHEST_YEAR):
        "長期継続契約は「契約期間中の各会計年度の支払予定額のうち最も高い額」の１００分の１０［004 特約条項 第２条第３項］",
    ("penalty_base", BASE_UNIT_PRICE):
        "単価契約は「契約単価に契約期間内の予定数量を乗じて計算した額（長期継続契約…にあっては、最高支払予定額）」"
        "［004 特約条項 第２条第３項第１号］",
    ("penalty_base", BASE_MONTHLY):
        "月額による契約は「月額に契約期間の月数…を乗じて計算した額（長期継続契約…にあっては、月額に１２を乗じて"
        "計算した額）」［004 特約条項 第２条第３項第２号］",
    ("long_term", True): "地方自治法 第234条の3・施行令 第167条の17の長期継続契約［004 特約条項 第２条第３項］",
    ("long_term", False): "長期継続契約ではない",
    ("shift_holidays", False):
        "種の文書は検査（10日・30日以内）・公表（72日・93日以内）の期限を休日で動かしていない"
        "（動かすのは入札心得 第17条の契約書の提出期限だけ）。文言どおり暦の日で数える",
    ("shift_holidays", True):
        "種の文書に定めはない。民法 第142条（末日が休日で取引をしない慣習があるときは翌日に満了）に"
        "ならい、末日が行政機関の休日なら翌開庁日とすると定めた",
    ("damages_cap", True):
        "「乙の負う賠償額は、乙に故意又は重大な過失がある場合を除き、第5条所定の契約金額を超えないものとする」"
        "［000・002 契約書 第14条第1項］",
    ("damages_cap", False): "種の文書（001・003・004）に損害賠償の上限の定めはない",
    ("defect", DEFECT_COMPLETION):
        "「請負業務完了の日から1年以内に…契約不適合…を発見したときは…履行の追完を乙に請求することができる。但し、"
        "発見後合理的期間内に乙に通知することを条件とする」［000・002 契約書 第9条第1項］",
    ("defect", DEFECT_RECOGNITION):
        "「認識した時点から 1年以内の間に受注者に対する通知を行うことにより…請求することができる。ただし、契約期間終了日"
        "から１年を過ぎた後の不適合認識については、修補又は損害賠償の請求を行えない」［004 仕様書 １３．］",
    ("subcontracting", SUBCONTRACT_NOTICE):
        "「乙は、請負業務の全部を第三者に請負わせてはならない」「一部を第三者…に請負わせようとするときは、事前に"
        "再請負先、再請負の対価、再請負作業内容その他甲所定の事項を、書面により甲に届け出なければならない」"
        "［000・002 契約書 第2条第1項・第2項］",
    ("subcontracting", SUBCONTRACT_APPROVAL):
        "「再委託先や内容、理由を明記し、書面により県の承諾を事前に得た場合は、この限りでない」［001 第7 2(8)］、"
        "「書面で提出し、その承諾を得た場合」［003 第7条］、「必ず発注者の承諾を得るものとする」［004 別記１ 第５条］",
    ("defect", DEFECT_NONE): "種の文書（001・003）に契約不適合の請求期間の定めはない（民法 第637条による）",
}


_LATE_RATE_SOURCE = (
    "「財務大臣が決定する率（政府契約の支払遅延に対する遅延利息の率（昭和24年12月12日大蔵省告示第991号））」"
    "［000・002 契約書 第10条第2項］。地方公共団体の契約も同じ（政府契約の支払遅延防止等に関する法律 第8条・第14条）。"
    "種の文書は率の時点を定めていない。この製品は契約締結の日の率による")


def parse_percent(text: str) -> Decimal:
    """画面で入力された年利（「2.5」「２．５」「年2.5%」）を Decimal に。0 より大きく 20 以下、小数第3位まで。"""
    cleaned = unicodedata.normalize("NFKC", str(text)).strip().removesuffix("%").removeprefix("年").strip()
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        raise ValueError("率は「2.5」のように年何パーセントかを数字で入力してください。") from None
    exponent = value.as_tuple().exponent
    if not value.is_finite() or not Decimal(0) < value <= Decimal(20) or (isinstance(exponent, int) and exponent < -3):
        raise ValueError("率は0より大きく20以下、小数第3位までで入力してください。")
    return value


def preset(name: str) -> Conditions:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"契約条件のプリセット「{name}」はありません。") from None


def problems(c: Conditions) -> list[str]:
    """条件の組合せの誤り（日本語）。空なら有効。"""
    out = []
    for key in ("payment", "interest_day_count", "collusion", "penalty_base", "defect", "subcontracting"):
        if getattr(c, key) not in CHOICES[key]:
            out.append(f"{FIELD_LABELS[key]}の値「{getattr(c, key)}」は選べません。")
    if str(c.penalty_rounding) not in CHOICES["penalty_rounding"]:
        out.append("違約金・賠償金の端数は100円未満切捨てか1円未満切捨てです。")
    if isinstance(c.payment_days, bool) or not isinstance(c.payment_days, int) or not 1 <= c.payment_days <= 60:
        out.append("支払までの日数は1〜60日で指定してください。")
    for key in ("penalty", "long_term", "shift_holidays", "damages_cap"):
        if not isinstance(getattr(c, key), bool):
            out.append(f"{FIELD_LABELS[key]}は「する・しない」で指定してください。")
    if not isinstance(c.late_rate, str):
        out.append("発注者の支払遅延の利率は「2.5」のように入力してください。")
    elif c.late_rate:
        try:
            parse_percent(c.late_rate)
        except ValueError as exc:
            out.append(f"発注者の支払遅延の利率：{exc}")
    if c.penalty_base == BASE_HIGHEST_YEAR and not c.long_term:
        out.append("「各会計年度の支払予定額のうち最も高い額」は長期継続契約の違約金の基礎です。")
    return out


def from_dict(data: dict | None) -> Conditions:
    """保存された条件（欠けた項目は IPA のプリセットの値。以前の契約は条件を持たない）。"""
    known = {f.name for f in fields(Conditions)}
    values = {k: v for k, v in (data or {}).items() if k in known}
    made = replace(PRESETS[DEFAULT_PRESET], **values)
    found = problems(made)
    if found:
        raise ValueError(" ".join(found))
    if made.late_rate:
        made = replace(made, late_rate=str(parse_percent(made.late_rate)))
    return made


def sources(c: Conditions) -> list[tuple[str, str, str]]:
    """(項目, 値の説明, 出典) の一覧。画面で担当者に、どの種のどの条項に従うかを示す。"""
    rows = []
    for f in fields(Conditions):
        value = getattr(c, f.name)
        if f.name == "payment_days":
            if c.payment == PAYMENT_WITHIN_DAYS:
                rows.append((FIELD_LABELS[f.name], f"{value}日", _SOURCES[("payment", PAYMENT_WITHIN_DAYS)]))
            continue
        if f.name == "late_rate":
            shown = f"年{value}%（担当者が官報で確かめた率）" if value else "契約締結の日に適用される告示の率"
            rows.append((FIELD_LABELS[f.name], shown, _LATE_RATE_SOURCE))
            continue
        if f.name in CHOICES:
            shown = CHOICES[f.name][str(value)]
        elif f.name == "penalty":
            shown = "基礎となる額の100分の10" if value else "定めなし"
        elif f.name == "long_term":
            shown = "該当する" if value else "該当しない"
        elif f.name == "shift_holidays":
            shown = "翌開庁日とする" if value else "動かさない"
        else:
            shown = "契約金額（故意・重過失を除く）" if value else "定めなし"
        rows.append((FIELD_LABELS[f.name], shown, _SOURCES[(f.name, value)]))
    return rows


# ---------------------------------------------------------------------------
# 期限
# ---------------------------------------------------------------------------


def payment_due(c: Conditions, invoice_received: date) -> date:
    """支払期限。翌月末日は暦の期日で、休日でも動かさない（実際の振込日は payment_processing_day）；
    「N日以内」は初日不算入、休日の扱いは条件による。"""
    received = _require_date(invoice_received, "支払請求書を受理した日")
    if c.payment == PAYMENT_NEXT_MONTH_END:
        return _next_month_end(received)
    return _within(received, _require_positive_int(c.payment_days, "支払までの日数"), c.shift_holidays)


def payment_rule(c: Conditions) -> str:
    """支払期限の定め（画面の説明）。"""
    if c.payment == PAYMENT_WITHIN_DAYS:
        return f"適法な支払請求書を受理した日から{c.payment_days}日以内"
    return "適法な支払請求書を受理した日の属する月の翌月末日まで"


def inspection_due(c: Conditions, delivered: date, days: int) -> date:
    """「納入を受けた日から days 日以内」の末日 [000 第8条（10日）・002 第8条（30日）]。"""
    return _inspection_due(delivered, days, shift_holidays=c.shift_holidays)


def incident_due(c: Conditions, recovered_on: date, weeks: int) -> date:
    return _incident_due(recovered_on, weeks, shift_holidays=c.shift_holidays)


def publication_deadline(c: Conditions, contract_date: date) -> date:
    """契約の公表期限（72日・4月は93日以内）[000 5.(注)(4)、002 I 14.(注)(4)]。"""
    return _publication_deadline(contract_date, shift_holidays=c.shift_holidays)


# ---------------------------------------------------------------------------
# 遅延利息
# ---------------------------------------------------------------------------


def _year_days(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def _days_by_year(first: date, last: date) -> list[tuple[int, int]]:
    """first から last まで（両端を含む）の日数を、暦年ごとに。"""
    out = []
    for year in range(first.year, last.year + 1):
        lo, hi = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
        out.append((year, (hi - lo).days + 1))
    return out


def accrued(c: Conditions, amount: int, rate: Decimal, due: date, days: int) -> tuple[Fraction, str]:
    """期限 due の翌日から days 日分の、年 rate の割合の利息（端数処理の前の正確な額）と計算式。
    日割りは契約の条件（:data:`DAY_COUNT_365` または :data:`DAY_COUNT_ACTUAL`）。"""
    percent = _percent(rate)
    if c.interest_day_count == DAY_COUNT_365:
        return (amount * Fraction(rate) * days / 365, f"{_yen(amount)} × 年{percent}% × {days}日 ÷ 365日")
    by_year = _days_by_year(due + timedelta(days=1), due + timedelta(days=days))
    exact = sum((amount * Fraction(rate) * d / _year_days(y) for y, d in by_year), Fraction(0))
    return exact, " ＋ ".join(f"{_yen(amount)} × 年{percent}% × {d}日 ÷ {_year_days(y)}日" for y, d in by_year)


def penalty_interest(c: Conditions, principal: int, deadline: date, paid_on: date,
                     rate: Decimal = Decimal("0.03")) -> Calculation:
    """違約金・損害賠償金を期間内に支払わないときの遅延利息 [000・002 契約書 第15条、特記事項 第3条第5項]。

    「当該期間を経過した日から支払をする日までの日数に応じ、年3パーセントの割合で計算した金額」。
    日数は期限の翌日から支払の日まで。日割りは契約の条件。1円未満切捨て。
    """
    amount = require_yen(principal, "元本", decimal=True)
    rate = _require_interest_rate(rate)
    deadline = _require_date(deadline, "期限")
    days = days_late(deadline, paid_on)
    basis = (f"当該期間を経過した日から支払をする日までの日数に応じ、年{_percent(rate)}パーセントの割合で計算した金額"
             f"（日割り：{CHOICES['interest_day_count'][c.interest_day_count]}、1円未満切捨て）")
    if days == 0:
        return Calculation(0, "遅延なし（遅延日数0日）= 0円", basis)
    exact, formula = accrued(c, amount, rate, deadline, days)
    interest = int(exact)  # 0以上なので切捨て
    return Calculation(interest, f"{formula} = {_yen(interest)}（1円未満切捨て）", basis)


# ---------------------------------------------------------------------------
# 違約金・賠償金
# ---------------------------------------------------------------------------


def _cut(c: Conditions, exact: Fraction) -> int:
    return int(exact) // c.penalty_rounding * c.penalty_rounding


def _rounding_note(c: Conditions, exact: Fraction, cut: int) -> str:
    if exact == cut:
        return ""
    return f" = {_exact_yen(exact)} → {_yen(cut)}（{CHOICES['penalty_rounding'][str(c.penalty_rounding)]}）"


def penalty_base(c: Conditions, *, amount: int, yearly: Sequence[int] = (), unit_price: int | None = None,
                 quantity: int | None = None, monthly: int | None = None, months: int | None = None,
                 unit_lines: Sequence[tuple[str, int, int]] = ()) -> Calculation:
    """違約金の基礎となる額 [004 特約条項 第２条第３項]。amount は契約金額（税込）。

    長期継続契約では、契約金額ではなく最高支払予定額（各会計年度の支払予定額のうち最も高い額、
    yearly）。単価契約は単価 × 予定数量、月額による契約は月額 × 月数（長期継続なら月額 × 12）。
    """
    amount = require_yen(amount, "契約金額", decimal=True)
    source = _SOURCES[("penalty_base", c.penalty_base)]
    if c.penalty_base == BASE_AMOUNT:
        return Calculation(amount, f"契約金額 {_yen(amount)}", source)
    if c.penalty_base == BASE_HIGHEST_YEAR or (c.long_term and c.penalty_base == BASE_UNIT_PRICE):
        if not yearly:
            raise ValueError("長期継続契約の違約金には、会計年度ごとの支払予定額が要ります。")
        amounts = [require_yen(y, "年度の支払予定額", decimal=True) for y in yearly]
        top = max(amounts)
        return Calculation(top, f"各会計年度の支払予定額（{'、'.join(_yen(a) for a in amounts)}）のうち最も高い額"
                                f" {_yen(top)}", _SOURCES[("penalty_base", BASE_HIGHEST_YEAR)])
    if c.penalty_base == BASE_UNIT_PRICE and unit_lines and unit_price is None:
        # 契約の内訳（品目, 税抜の契約単価, 予定数量）から：単価 × 予定数量の合計に消費税等（1円未満切捨て）。
        parts = [(item, require_yen(price, "契約単価", decimal=True), _require_positive_int(count, "予定数量"))
                 for item, price, count in unit_lines]
        excl = sum(price * count for _, price, count in parts)
        total = tax_included(excl)
        shown = " ＋ ".join(f"{item} {_yen(price)} × {count:,}" for item, price, count in parts)
        return Calculation(total, f"契約単価 × 予定数量（{shown} = {_yen(excl)}、税込 {_yen(total)}）", source)
    if c.penalty_base == BASE_UNIT_PRICE:
        price = require_yen(unit_price, "契約単価", decimal=True)
        count = _require_positive_int(quantity, "予定数量")
        return Calculation(price * count, f"契約単価 {_yen(price)} × 予定数量 {count:,} = {_yen(price * count)}", source)
    month_amount = require_yen(monthly, "月額", decimal=True)
    count = 12 if c.long_term else _require_positive_int(months, "契約期間の月数")
    label = "12（長期継続契約）" if c.long_term else f"{count}か月"
    return Calculation(month_amount * count, f"月額 {_yen(month_amount)} × {label} = {_yen(month_amount * count)}",
                       source)


def termination_penalty(c: Conditions, base: Calculation) -> Calculation | None:
    """契約を解除したときの違約金：基礎となる額の100分の10 [000・002 第13条第4項、004 特約条項 第２条第３項]。
    定めのない契約（003）では None。"""
    if not c.penalty:
        return None
    exact = Fraction(base.amount, 10)
    cut = _cut(c, exact)
    note = _rounding_note(c, exact, cut) or f" = {_yen(cut)}"
    sources = [_SOURCES[("penalty", True)]]
    if base.basis != _SOURCES[("penalty_base", BASE_AMOUNT)]:
        sources.append(base.basis)
    sources.append(_SOURCES[("penalty_rounding", c.penalty_rounding)])
    return Calculation(cut, f"{base.formula} × 10/100{note}", "；".join(sources))


def contract_months(start: date, end: date) -> int | None:
    """契約期間の月数：start が月の初日で end が月の末日のときだけ（例：4月1日〜翌年3月31日 → 12）。
    月の途中で始まる・終わる期間は月数を決めない（None）。"""
    start, end = _require_date(start, "契約期間の始期"), _require_date(end, "契約期間の終期")
    if start.day != 1 or (end + timedelta(days=1)).day != 1 or end < start:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def penalty_on_termination(c: Conditions, *, amount: int, yearly: Sequence[int] = (),
                           unit_lines: Sequence[tuple[str, int, int]] = (),
                           period: tuple[date, date] | None = None) -> tuple[Calculation | None, str | None]:
    """The penalty on termination as the contract's conditions give it, from what the contract
    records (its amount, and its yearly payments for a 長期継続契約): (the calculation, None), or
    (None, what is still needed) where the base needs figures not recorded (単価 × 予定数量, 月額),
    or (None, None) where the conditions set no penalty (003)."""
    if not c.penalty:
        return None, None
    if c.long_term and c.penalty_base in (BASE_HIGHEST_YEAR, BASE_UNIT_PRICE):
        if not yearly:
            return None, "年度ごとの支払予定額（期間ごとの契約金額）を入力すると、その最も高い額から計算します。"
        return termination_penalty(c, penalty_base(c, amount=amount, yearly=yearly)), None
    if c.penalty_base == BASE_AMOUNT:
        return termination_penalty(c, penalty_base(c, amount=amount)), None
    if c.penalty_base == BASE_UNIT_PRICE and unit_lines:
        return termination_penalty(c, penalty_base(c, amount=amount, unit_lines=unit_lines)), None
    if c.penalty_base == BASE_MONTHLY and period is not None:
        # 月額による契約：契約金額は月額 × 月数なので、月の初日から月の末日までの期間なら月額が決まる。
        months = contract_months(*period)
        if months and amount % months == 0:
            return termination_penalty(c, penalty_base(c, amount=amount, monthly=amount // months,
                                                       months=months)), None
        return None, "月額による契約の違約金は、契約期間が月の初日から月の末日までで、契約金額が月数で割り切れるときに計算します。"
    return None, f"違約金の基礎（{CHOICES['penalty_base'][c.penalty_base]}）から計算します（この画面では計算しません）。"


@dataclass(frozen=True)
class CollusionAmount:
    """談合等のときに請求する額の一つ。terminated_only：契約を解除したときだけ請求する。"""

    label: str
    calculation: Calculation
    terminated_only: bool


def collusion_amounts(c: Conditions, amount: int) -> list[CollusionAmount]:
    """談合等の事由に当たるときの違約金・賠償金（契約金額 amount、変更後の額）。

    IPA：解除するか否かにかかわらず違約金100分の10（100円未満切捨て）[000・002 特記事項 第3条第1項]。
    千葉県：解除したとき違約金10分の1 [001 別記4 第2条第3項]、解除するか否かにかかわらず賠償金
    10分の2 [同 第3条第1項]。二つは別の請求で、解除したときは両方になる。
    """
    amount = require_yen(amount, "契約金額", decimal=True)
    source = _SOURCES[("collusion", c.collusion)]

    def part(ratio: Fraction, shown: str) -> Calculation:
        exact = amount * ratio
        cut = _cut(c, exact)
        note = _rounding_note(c, exact, cut) or f" = {_yen(cut)}"
        return Calculation(cut, f"{_yen(amount)} × {shown}{note}", source)

    if c.collusion == COLLUSION_IPA:
        return [CollusionAmount("違約金（解除するか否かにかかわらず）", part(Fraction(10, 100), "10/100"), False)]
    if c.collusion == COLLUSION_CHIBA:
        return [CollusionAmount("違約金（契約を解除したとき）", part(Fraction(1, 10), "1/10"), True),
                CollusionAmount("賠償金（解除するか否かにかかわらず、履行後も）", part(Fraction(2, 10), "2/10"), False)]
    return []


def damages_limit(c: Conditions, amount: int) -> int | None:
    """損害賠償の上限（故意・重大な過失があるときを除く）。定めがなければ None [000・002 第14条第1項]。"""
    amount = require_yen(amount, "契約金額", decimal=True)
    return amount if c.damages_cap else None


# ---------------------------------------------------------------------------
# 契約不適合の期間
# ---------------------------------------------------------------------------


def one_year_after(start: date) -> date:
    """「start から1年以内」の末日：初日不算入（民法 第140条）、応当日の前日に満了（第143条第2項）＝翌年の同じ月日
    （2月29日の翌年は応当日がないので2月28日）。"""
    start = _require_date(start, "起算日")
    try:
        return start.replace(year=start.year + 1)
    except ValueError:  # 2月29日
        return date(start.year + 1, 2, 28)


@dataclass(frozen=True)
class DefectWindow:
    """契約不適合を請求できるか、その期限と理由（日本語）。"""

    open: bool
    notice_by: date | None
    reason: str


def defect_window(c: Conditions, *, found_on: date, completed_on: date | None, period_to: date) -> DefectWindow:
    """発見（認識）した日 found_on の契約不適合を請求できるか。

    IPA：業務完了の日から1年以内に発見したもの（通知は発見後合理的期間内。日付は定めない）。
    市川市：認識から1年以内に通知。契約期間終了日から1年を過ぎて認識したものは請求できない。
    定めなし：期間の制限を設けない（民法の規定による）。
    """
    found_on = _require_date(found_on, "発見した日")
    source = _SOURCES[("defect", c.defect)]
    if c.defect == DEFECT_COMPLETION:
        if completed_on is not None and found_on > one_year_after(completed_on):
            return DefectWindow(False, None, f"業務完了の日（{completed_on}）から1年を過ぎて発見したものは請求できません。{source}")
        return DefectWindow(True, None, f"発見後合理的期間内に通知してください。{source}")
    if c.defect == DEFECT_RECOGNITION:
        last = one_year_after(period_to)
        if found_on > last:
            return DefectWindow(False, None, f"契約期間終了日（{period_to}）から1年を過ぎた後に認識したものは請求できません。{source}")
        return DefectWindow(True, one_year_after(found_on), f"認識した日から1年以内に通知してください。{source}")
    return DefectWindow(True, None, source)


def defect_period_end(c: Conditions, *, completed_on: date | None, period_to: date) -> date | None:
    """契約不適合を見つけて請求できる最後の日（ホーム画面の期限）。定めがなければ None。"""
    if c.defect == DEFECT_COMPLETION:
        return one_year_after(completed_on) if completed_on is not None else None
    if c.defect == DEFECT_RECOGNITION:
        return one_year_after(period_to)
    return None

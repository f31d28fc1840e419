"""中小企業等の判定 [002 III 3]。

「サイバーセキュリティお助け隊事業における中小企業等の定義」（[002] 3. 業務概要の表）を
行ごとに写したもの。業種ごとに資本金（資本金の額又は出資の総額）と常時使用する従業員の数の
上限があり、どちらか一方を満たせば中小企業等に当たる。ただし法人格のない任意団体は対象外
（同表の注）。

「常時使用する従業員」は労働基準法第20条の「予め解雇の予告を必要とする者」をいい、会社役員
と個人事業主本人は含まない（同表の注）。数え方は入力する側の責任とする。
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tender.rules.money import format_yen

__all__ = ["Industry", "INDUSTRY_CHOICES", "PRINCIPAL_INDUSTRY_CHOICES", "LegalForm", "LEGAL_FORM_CHOICES",
           "SmeVerdict", "sme_verdict", "needs_principal_industry"]


class LegalForm(StrEnum):
    """事業者の形態。法人格の有無（000 応募要件(1)「法人格を有していること」）と、中小企業等の
    対象外（「法人格のない任意団体」[002 III 3 注]）を分けて表す：個人事業主は法人格を持たないが、
    中小企業等には当たりうる（表①～⑧「…の会社及び個人事業主」）。"""

    CORPORATION = "corporation"  # 法人（株式会社、医療法人、NPO法人、一般社団法人など）
    SOLE_PROPRIETOR = "sole_proprietor"  # 個人事業主
    UNINCORPORATED = "unincorporated"  # 法人格のない団体（任意団体）

    @property
    def label(self) -> str:
        return {"corporation": "法人", "sole_proprietor": "個人事業主",
                "unincorporated": "法人格のない団体（任意団体）"}[self.value]

    @property
    def incorporated(self) -> bool:
        """法人格を有するか。"""
        return self is LegalForm.CORPORATION


LEGAL_FORM_CHOICES: list[tuple[str, str]] = [(f.value, f.label) for f in LegalForm]


class Industry(StrEnum):
    """[002] の表の業種分類（①～⑮）。値は変えない ASCII のコード。"""

    MANUFACTURING = "manufacturing"  # ① 製造業、建設業、運輸業
    WHOLESALE = "wholesale"  # ②
    SERVICES = "services"  # ③
    RETAIL = "retail"  # ④
    RUBBER_PRODUCTS = "rubber_products"  # ⑤
    SOFTWARE = "software"  # ⑥
    INNS = "inns"  # ⑦
    OTHER = "other"  # ⑧
    MEDICAL_WELFARE = "medical_welfare"  # ⑨
    SCHOOL = "school"  # ⑩
    COMMERCE_CHAMBERS = "commerce_chambers"  # ⑪
    SME_ORGANIZATIONS = "sme_organizations"  # ⑫
    SPECIAL_LAW_ASSOCIATIONS = "special_law_associations"  # ⑬
    FOUNDATIONS_ASSOCIATIONS = "foundations_associations"  # ⑭
    NONPROFITS = "nonprofits"  # ⑮

    @property
    def label(self) -> str:
        """表の「業種分類」欄の名称（日本語）。"""
        return _ROWS[self].label

    @property
    def row(self) -> str:
        """表の行番号（①～⑮）。"""
        return _ROWS[self].row


@dataclass(frozen=True)
class _Row:
    row: str
    label: str
    capital_limit: int | None  # 資本金の額又は出資の総額の上限（円、以下）
    employee_limit: int | None  # 常時使用する従業員の数の上限（人、以下）
    # ⑫～⑮：「上記①～⑧の業種分類に基づき、その主たる業種に記載の従業員規模以下の者」
    by_principal_industry: bool = False


_OKU = 100_000_000  # 1億円
_MAN = 10_000  # 1万円

# [002 III 3] の表。資本金の上限は「会社」、従業員の上限は「会社及び個人事業主」に掛かる。
_ROWS: dict[Industry, _Row] = {
    Industry.MANUFACTURING: _Row("①", "製造業、建設業、運輸業", 3 * _OKU, 300),
    Industry.WHOLESALE: _Row("②", "卸売業", 1 * _OKU, 100),
    Industry.SERVICES: _Row("③", "サービス業（ソフトウェア業又は情報処理サービス業、旅館業を除く）", 5000 * _MAN, 100),
    Industry.RETAIL: _Row("④", "小売業", 5000 * _MAN, 50),
    Industry.RUBBER_PRODUCTS: _Row(
        "⑤",
        "ゴム製品製造業（自動車又は航空機用タイヤ及びチューブ製造業並びに工場用ベルト製造業を除く）",
        3 * _OKU,
        900,
    ),
    Industry.SOFTWARE: _Row("⑥", "ソフトウェア業又は情報処理サービス業", 3 * _OKU, 300),
    Industry.INNS: _Row("⑦", "旅館業", 5000 * _MAN, 200),
    Industry.OTHER: _Row("⑧", "その他の業種(上記以外)", 3 * _OKU, 300),
    # ⑨～⑪は従業員の数の上限だけ。
    Industry.MEDICAL_WELFARE: _Row("⑨", "医療法人、社会福祉法人", None, 300),
    Industry.SCHOOL: _Row("⑩", "学校法人", None, 300),
    Industry.COMMERCE_CHAMBERS: _Row("⑪", "商工会・都道府県商工会連合会及び商工会議所", None, 100),
    # ⑫～⑮は主たる業種（①～⑧）の従業員規模だけで判定する。
    Industry.SME_ORGANIZATIONS: _Row(
        "⑫", "中小企業支援法第2条第1項第4号に規定される中小企業団体", None, None, by_principal_industry=True
    ),
    Industry.SPECIAL_LAW_ASSOCIATIONS: _Row(
        "⑬", "特別の法律によって設立された組合又はその連合会", None, None, by_principal_industry=True
    ),
    Industry.FOUNDATIONS_ASSOCIATIONS: _Row(
        "⑭", "財団法人(一般・公益)、社団法人(一般・公益)", None, None, by_principal_industry=True
    ),
    Industry.NONPROFITS: _Row("⑮", "特定非営利活動法人", None, None, by_principal_industry=True),
}

INDUSTRY_CHOICES: list[tuple[str, str]] = [(industry.value, industry.label) for industry in Industry]
#: ⑫～⑮の「主たる業種」に選べる①～⑧。
PRINCIPAL_INDUSTRY_CHOICES: list[tuple[str, str]] = [
    (industry.value, f"{_ROWS[industry].row}{industry.label}") for industry in Industry
    if _ROWS[industry].capital_limit is not None]


def needs_principal_industry(industry: Industry | str) -> bool:
    """⑫～⑮（中小企業団体、組合、財団・社団法人、特定非営利活動法人）は主たる業種で判定する。"""
    return _ROWS[_industry(industry, "業種")].by_principal_industry


@dataclass(frozen=True)
class SmeVerdict:
    """判定結果：中小企業等に当たるか、と適用した上限を示す理由（日本語）。"""

    is_sme: bool
    reason: str


def _industry(value: Industry | str, what: str) -> Industry:
    if isinstance(value, Industry):
        return value
    if isinstance(value, str):
        try:
            return Industry(value)
        except ValueError:
            raise ValueError(f"{what}のコードが正しくありません: {value!r}") from None
    raise TypeError(f"{what}は Industry またはそのコードで指定してください。")


def _count(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what}は整数で指定してください（float は使えません）。")
    if value < 0:
        raise ValueError(f"{what}は0以上で指定してください。")
    return value


def _yen_limit_text(limit: int) -> str:
    # 表の書き方（「3億円」「5千万円」「1億円」）にそろえる。
    if limit % _OKU == 0:
        return f"{limit // _OKU}億円"
    if limit % (1000 * _MAN) == 0:
        return f"{limit // (1000 * _MAN)}千万円"
    return format_yen(limit, "plain")


def sme_verdict(
    industry: Industry | str,
    capital: int | None,
    employees: int | None,
    *,
    incorporated: bool = True,
    principal_industry: Industry | str | None = None,
) -> SmeVerdict:
    """中小企業等に当たるかを判定する [002 III 3]。

    * 資本金・従業員数のどちらか一方が上限以下なら該当（上限は「以下」で、上限ちょうどは該当）。
    * 値が不明（None）の項目では上限を満たしたとみなさない。
    * incorporated=False（法人格のない任意団体）は常に対象外。個人事業主は任意団体ではないので
      incorporated=True とし、資本金 None・従業員数で判定する。
    * ⑫～⑮（中小企業団体、特別法の組合、財団・社団法人、特定非営利活動法人）は
      principal_industry に主たる業種（①～⑧）を渡し、その従業員規模で判定する。
    """
    chosen = _industry(industry, "業種")
    capital = _count(capital, "資本金")
    employees = _count(employees, "従業員数")
    row = _ROWS[chosen]
    subject = f"{row.row}{row.label}"

    if not incorporated:
        return SmeVerdict(False, "法人格のない任意団体は中小企業等の対象外です。")

    capital_limit = row.capital_limit
    employee_limit = row.employee_limit
    if row.by_principal_industry:
        if principal_industry is None:
            return SmeVerdict(False, f"{subject}は主たる業種（①～⑧）の従業員規模で判定するため、主たる業種を指定してください。")
        principal = _industry(principal_industry, "主たる業種")
        principal_row = _ROWS[principal]
        if principal_row.capital_limit is None:
            raise ValueError("主たる業種は①～⑧の業種分類から指定してください。")
        # 資本金の上限は適用しない（「従業員規模以下の者」）。
        capital_limit = None
        employee_limit = principal_row.employee_limit
        subject = f"{subject}（主たる業種：{principal_row.row}{principal_row.label}）"

    criteria: list[str] = []
    met: list[str] = []
    if capital_limit is not None:
        criteria.append(f"資本金の額又は出資の総額{_yen_limit_text(capital_limit)}以下")
        if capital is not None and capital <= capital_limit:
            met.append("資本金")
    if employee_limit is not None:
        criteria.append(f"常時使用する従業員の数{employee_limit}人以下")
        if employees is not None and employees <= employee_limit:
            met.append("従業員数")

    shown: list[str] = []
    if capital_limit is not None:
        shown.append(f"資本金：{'不明' if capital is None else format_yen(capital, 'plain')}")
    if employee_limit is not None:
        shown.append(f"従業員数：{'不明' if employees is None else f'{employees}人'}")
    basis = f"{subject}の基準（{'又は'.join(criteria)}）"
    details = "、".join(shown)
    if met:
        return SmeVerdict(True, f"{basis}のうち{'及び'.join(met)}の上限を満たすため、中小企業等に該当します（{details}）。")
    neither = "をいずれも満たさない" if len(criteria) > 1 else "を満たさない"
    return SmeVerdict(False, f"{basis}{neither}ため、中小企業等に該当しません（{details}）。")

"""契約書(案)、特記事項、個人情報の取扱いに関する特則 [002 II. 契約書]。

当事者（甲：発注者、乙：受注者）、件名、契約期間、契約金額（税込と、うち消費税及び地方消費税の額）、
契約単価の内訳、条項（seed 002 の各条を _contract_text に写し、案件ごとの語を差し込む）、
記名押印欄。消費税は1円未満切捨て（tender.rules.money）。
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from string import Template

from forms.blocks import (
    Block,
    Cell,
    Clause,
    DateLine,
    FieldTable,
    NumberedClauses,
    PageBreak,
    Paragraph,
    Signature,
    Table,
    Title,
)
from forms.yoshiki import _contract_text as text
from forms.yoshiki._common import (
    SAMPLE_AUTHORITY,
    SAMPLE_AUTHORITY_ADDRESS,
    SAMPLE_AUTHORITY_HEAD,
    SAMPLE_CASE_TITLE,
    SAMPLE_COMPANY,
    SAMPLE_COMPANY_ADDRESS,
    SAMPLE_REPRESENTATIVE,
    quoted,
)
from tender.rules.money import consumption_tax, format_yen, tax_included
from tender.rules.wareki import format_wareki

CODE = "contract"
TITLE = "契約書（案）"
#: 締結した版の表題。
SIGNED_TITLE = "契約書"
SOURCE = "[002 II. 契約書]"
PAGE_NUMBERS = True


@dataclass
class PriceLine:
    """契約単価の内訳の一行（税抜）。一式の行は quantity を「一式」とし unit_price に金額を入れる。"""

    item: str
    quantity: str
    unit_price: int
    note: str = ""


@dataclass
class PeriodAmount:
    """期間ごとの契約金額（税抜）の一行：例「2026年度（2026年4月1日～2027年3月31日）」。"""

    label: str
    amount_excl: int


@dataclass
class ContractData:
    """契約書の記載事項。amount_excl は税抜の契約金額（円、int）。"""

    contract_number: str
    case_title: str
    contractor_name: str
    contractor_address: str
    contractor_representative: str
    period_start: date
    period_end: date
    amount_excl: int
    price_lines: list[PriceLine] = field(default_factory=list)
    authority: str = SAMPLE_AUTHORITY
    authority_address: str = SAMPLE_AUTHORITY_ADDRESS
    authority_head: str = SAMPLE_AUTHORITY_HEAD
    inspection_days: int = 30
    court: str = "東京地方裁判所"
    date: date | None = None
    period_amounts: list[PeriodAmount] = field(default_factory=list)
    payment_terms: str = ""
    #: The clause sets of the case (default: the seed's, as in _contract_text).
    main: tuple[Clause, ...] = text.MAIN
    special: tuple[Clause, ...] = text.SPECIAL
    privacy: tuple[Clause, ...] = text.PRIVACY
    #: 締結した契約書（表題は「契約書」）。案の間は「契約書（案）」。
    signed: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.amount_excl, bool) or not isinstance(self.amount_excl, int) or self.amount_excl <= 0:
            raise ValueError("契約金額（税抜）は1円以上の int で指定してください。")
        if self.period_end < self.period_start:
            raise ValueError("契約期間の終わりが始まりより前です。")

    @property
    def tax(self) -> int:
        return consumption_tax(self.amount_excl)

    @property
    def amount_incl(self) -> int:
        return tax_included(self.amount_excl)


DATA_CLASS = ContractData


def sample() -> ContractData:
    return ContractData(
        contract_number="2026 デ調第0123号",
        case_title=SAMPLE_CASE_TITLE,
        contractor_name=SAMPLE_COMPANY,
        contractor_address=SAMPLE_COMPANY_ADDRESS,
        contractor_representative=SAMPLE_REPRESENTATIVE,
        period_start=date(2026, 7, 1),
        period_end=date(2027, 3, 31),
        amount_excl=12_345_000,
        price_lines=[
            PriceLine("(1) 事務局運営", "一式", 4_845_000),
            PriceLine("(2) 事業進捗支援", "15件", 500_000, "予定数量"),
        ],
    )


def amount_text_of(amount_excl: int) -> str:
    """税抜の契約金額から「金13,579,500円（うち消費税及び地方消費税の額 金1,234,500円）」。"""
    return f"{format_yen(tax_included(amount_excl))}（うち消費税及び地方消費税の額 {format_yen(consumption_tax(amount_excl))}）"


def amount_text(data: ContractData) -> str:
    """「金13,579,500円（うち消費税及び地方消費税の額 金1,234,500円）」。"""
    return amount_text_of(data.amount_excl)


def period_text(start: date, end: date, *, broken: bool = False) -> str:
    """「令和8年7月1日から令和9年3月31日まで」。broken：狭い升目では「から」の後で改行する
    （日付の途中で折り返さないように）。"""
    return f"{format_wareki(start)}から{chr(10) if broken else ''}{format_wareki(end)}まで"


#: The words a clause may take from the contract: ``${name}`` in a clause's text.
VARIABLES = {
    "amount": "契約金額（税込と消費税額）",
    "authority": "甲の名称",
    "contractor": "乙の名称",
    "case_title": "件名",
    "period": "契約期間",
    "inspection_days": "検査の日数",
    "court": "合意管轄裁判所",
}


def variable_values(data: ContractData) -> dict[str, str]:
    return {
        "amount": amount_text(data),
        "authority": data.authority,
        "contractor": data.contractor_name,
        "case_title": data.case_title,
        "period": period_text(data.period_start, data.period_end),
        "inspection_days": str(data.inspection_days),
        "court": data.court,
    }


def _fill(clause: Clause, values: dict[str, str]) -> Clause:
    return Clause(
        clause.number,
        Template(clause.text).substitute(values),
        Template(clause.heading).substitute(values) if clause.heading else clause.heading,
        tuple(_fill(sub, values) for sub in clause.subclauses),
    )


# --- the clauses as editable text ------------------------------------------------------------
#
# One line per clause: two spaces of indent per level, the number (第1条, 2, 一, イ), the heading
# in full-width brackets for an article, a space, the text. For example:
#
#     第1条（契約の目的） 甲は、…
#       2 乙は、…
#       一 …

_INDENT = "  "
_LINE = re.compile(r"^(?P<indent>(?:  )*)(?P<number>[^\s（]+)(?:（(?P<heading>[^）]*)）)?[ \u3000]+(?P<text>\S.*)$")


def clauses_to_text(clauses: tuple[Clause, ...]) -> str:
    lines: list[str] = []

    def walk(clause: Clause, depth: int) -> None:
        heading = f"（{clause.heading}）" if clause.heading else ""
        lines.append(f"{_INDENT * depth}{clause.number}{heading} {clause.text}")
        for sub in clause.subclauses:
            walk(sub, depth + 1)

    for clause in clauses:
        walk(clause, 0)
    return "\n".join(lines)


class ClauseTextError(ValueError):
    """A Japanese message naming the line."""


def clauses_from_text(source: str) -> tuple[Clause, ...]:
    """Read clauses written as ``clauses_to_text`` writes them; a line that does not fit is named."""
    # (depth, number, heading, text, children) built on a stack of open clauses.
    roots: list[list] = []
    stack: list[list] = []
    for n, raw in enumerate(source.replace("\r\n", "\n").split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = _LINE.match(line.replace("\t", _INDENT))
        if match is None:
            raise ClauseTextError(f"{n}行目：「番号 本文」の形（例「第1条（目的） 甲は、…」「  2 乙は、…」）で書いてください。")
        depth = len(match["indent"]) // len(_INDENT)
        if depth > len(stack):
            raise ClauseTextError(f"{n}行目：字下げが深すぎます（上の行より一段だけ深くできます）。")
        if depth == 0 and not match["number"].startswith("第"):
            raise ClauseTextError(f"{n}行目：字下げのない行は「第○条」で始めてください。")
        _check_variables(line, n)
        node: list = [match["number"], match["heading"], match["text"].strip(), []]
        del stack[depth:]
        (stack[-1][3] if stack else roots).append(node)
        stack.append(node)
    if not roots:
        raise ClauseTextError("条項が空です。")

    def build(node: list) -> Clause:
        return Clause(node[0], node[2], node[1] or None, tuple(build(child) for child in node[3]))

    return tuple(build(node) for node in roots)


def _check_variables(line: str, n: int) -> None:
    try:
        names = {m.group("named") or m.group("braced") for m in Template.pattern.finditer(line)
                 if m.group("invalid") is None and (m.group("named") or m.group("braced"))}
        invalid = any(m.group("invalid") is not None for m in Template.pattern.finditer(line))
    except (ValueError, TypeError):  # pragma: no cover - the pattern always matches
        invalid, names = True, set()
    unknown = sorted(names - set(VARIABLES))
    if invalid or unknown:
        known = "、".join(f"${{{name}}}（{label}）" for name, label in VARIABLES.items())
        what = f"「${{{unknown[0]}}}」は差し込めません" if unknown else "「$」の使い方が正しくありません（$ を書くときは $$）"
        raise ClauseTextError(f"{n}行目：{what}。使えるもの：{known}。")


def layout(data: ContractData) -> list[Block]:
    values = variable_values(data)
    preamble = (
        f"{data.authority}（以下「甲」という。）と{data.contractor_name}（以下「乙」という。）とは、"
        f"次の条項により{quoted(data.case_title)}に関する請負契約を締結する。"
    )
    blocks: list[Block] = [
        Paragraph(data.contract_number, align="right"),
        Title(SIGNED_TITLE if data.signed else TITLE),
        FieldTable(
            (
                ("件名", quoted(data.case_title)),
                ("契約期間", period_text(data.period_start, data.period_end)),
                ("契約金額", amount_text(data)),
            ),
            label_width=18,
        ),
    ]
    if data.price_lines:
        blocks.append(
            Table(
                ("業務", "数量", "税抜単価（円）", "備考"),
                tuple((line.item, line.quantity, f"{line.unit_price:,}", line.note) for line in data.price_lines),
                column_widths=(40, 15, 25, 20),
                aligns=("left", "center", "right", "left"),
                totals_row=(Cell("契約金額（税抜）", colspan=2, align="center"), f"{data.amount_excl:,}", ""),
                caption="契約単価（第5条）",
            )
        )
    if data.period_amounts:
        blocks.append(
            Table(
                ("期間", "契約金額（税抜）", "消費税及び地方消費税の額", "合計"),
                tuple((p.label, format_yen(p.amount_excl, "plain"), format_yen(consumption_tax(p.amount_excl), "plain"),
                       format_yen(tax_included(p.amount_excl), "plain")) for p in data.period_amounts),
                column_widths=(40, 20, 20, 20),
                aligns=("left", "right", "right", "right"),
                caption="期間ごとの契約金額",
            )
        )
    if data.payment_terms:
        blocks.append(FieldTable((("支払条件", data.payment_terms),), label_width=18))
    blocks += [
        Paragraph(preamble, indent=1),
        NumberedClauses(None, tuple(_fill(clause, values) for clause in data.main)),
        NumberedClauses("特記事項", tuple(_fill(clause, values) for clause in data.special)),
        Paragraph(text.CLOSING, indent=1),
        DateLine(data.date, align="left"),
        Signature(
            (
                ("甲", (data.authority_address, data.authority, data.authority_head)),
                ("乙", (data.contractor_address, data.contractor_name, data.contractor_representative)),
            )
        ),
        PageBreak(),
        NumberedClauses("個人情報の取扱いに関する特則", tuple(_fill(c, values) for c in data.privacy)),
        Paragraph("以上", align="right"),
    ]
    return blocks

"""総合評価点一覧（機構が保管する記録）[002 VI. 評価手順書 1.2、DOMAIN §7]。

入札者ごとに技術点（基礎点＋加点）・価格点・総合評価点と順位。総合評価点と順位はここで
計算する（技術点＋価格点、同点は同順位）。価格点そのもの（110 ×（1 − 入札価格 ÷ 予定価格）、
小数点第2位以下切捨て）は評価の規則が計算して Decimal で渡す。float は使わない。
予定価格を超える入札・必須項目を満たさない入札は順位を付けない（eligible=False）。
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from forms.blocks import Block, DateLine, FieldTable, Paragraph, SealBox, Table, Title
from forms.yoshiki._common import SAMPLE_AUTHORITY, SAMPLE_CASE_TITLE, SAMPLE_COMPANY, quoted
from tender.rules.money import format_yen

CODE = "score_sheet"
TITLE = "総合評価点一覧"
SOURCE = "[002 VI. 評価手順書]"
VERSION = "2"
LANDSCAPE = True


@dataclass
class ScoreRow:
    bidder: str
    bid_amount: int
    base_points: int
    bonus_points: int
    price_points: Decimal | None
    eligible: bool = True
    remarks: str = ""
    #: 価格点の式の「入札価格」：比べる金額（税込の読み方なら入札書の金額＋消費税）。None なら入札書の金額。
    compared_price: int | None = None

    def __post_init__(self) -> None:
        if self.price_points is not None and not isinstance(self.price_points, (int, Decimal)):
            raise TypeError("価格点は Decimal で指定してください（float は使えません）。")
        if isinstance(self.price_points, int) and not isinstance(self.price_points, bool):
            self.price_points = Decimal(self.price_points)

    @property
    def technical_points(self) -> int:
        return self.base_points + self.bonus_points

    @property
    def total(self) -> Decimal | None:
        if self.price_points is None or not self.eligible:
            return None
        return Decimal(self.technical_points) + self.price_points


@dataclass
class ScoreSheetData:
    case_title: str
    evaluated_on: date | None
    estimated_price: int
    rows: list[ScoreRow] = field(default_factory=list)
    technical_max: int = 220
    price_max: int = 110
    authority: str = SAMPLE_AUTHORITY
    evaluators: list[str] = field(default_factory=list)
    #: 予定価格が税込か（案件の設定。見出しの「（税込）」「（税抜）」はここから）。
    estimated_price_includes_tax: bool = False
    #: 価格点の式の「入札価格」が何か（案件の設定の説明）。
    price_basis_label: str = "入札書に記載された金額（消費税抜き）"
    #: 式に入れる予定価格が予定価格そのものと違う（税の扱いをそろえて換算した）ときの説明。
    compared_ceiling_note: str = ""


DATA_CLASS = ScoreSheetData


def sample() -> ScoreSheetData:
    return ScoreSheetData(
        case_title=SAMPLE_CASE_TITLE,
        evaluated_on=date(2026, 6, 26),
        estimated_price=14_000_000,
        rows=[
            ScoreRow(SAMPLE_COMPANY, 12_345_000, 86, 98, Decimal("13.0")),
            ScoreRow("株式会社みどりテック", 11_800_000, 86, 80, Decimal("17.2")),
            ScoreRow("あおば総研株式会社", 14_500_000, 86, 102, None, False, "予定価格超過のため評価対象外"),
        ],
        evaluators=["審査員A　吉田　聡", "審査員B　山口　理恵", "審査員C　中島　亮"],
    )


def ranks(rows: list[ScoreRow]) -> dict[int, int]:
    """順位（行の位置 → 順位）。総合評価点の高い順、同点は同順位（次の順位は飛ぶ）。"""
    scored = sorted(
        ((row.total, index) for index, row in enumerate(rows) if row.total is not None),
        key=lambda pair: pair[0],
        reverse=True,
    )
    result: dict[int, int] = {}
    for position, (total, index) in enumerate(scored, start=1):
        previous = scored[position - 2] if position > 1 else None
        if previous is not None and previous[0] == total:
            result[index] = result[previous[1]]
        else:
            result[index] = position
    return result


def points(value: Decimal | None) -> str:
    """点数を小数第1位まで（Decimal のまま書式化）。"""
    return "-" if value is None else f"{value:.1f}"


def layout(data: ScoreSheetData) -> list[Block]:
    order = ranks(data.rows)
    rows = tuple(
        (
            str(order[index]) if index in order else "-",
            row.bidder,
            format_yen(row.bid_amount, "plain"),
            format_yen(row.compared_price if row.compared_price is not None else row.bid_amount, "plain"),
            str(row.base_points),
            str(row.bonus_points),
            str(row.technical_points),
            points(row.price_points),
            points(row.total),
            row.remarks,
        )
        for index, row in enumerate(data.rows)
    )
    tax = "税込" if data.estimated_price_includes_tax else "税抜"
    fields = [
        ("件名", quoted(data.case_title)),
        ("予定価格", f"{format_yen(data.estimated_price)}（{tax}）"),
        ("入札価格", data.price_basis_label),
    ]
    if data.compared_ceiling_note:
        fields.append(("式の予定価格", data.compared_ceiling_note))
    fields.append(("満点", f"技術点 {data.technical_max}点 ＋ 価格点 {data.price_max}点"))
    blocks: list[Block] = [
        DateLine(data.evaluated_on),
        Title(TITLE),
        FieldTable(tuple(fields), label_width=16),
        Table(
            ("順位", "入札者", "入札書の金額", "入札価格", "基礎点", "加点", "技術点", "価格点", "総合評価点", "備考"),
            rows,
            column_widths=(6, 21, 13, 13, 6, 6, 6, 7, 8, 14),
            aligns=("center", "left", "right", "right", "right", "right", "right", "right", "right", "left"),
            small=True,
        ),
        Paragraph(
            f"価格点 ＝ {data.price_max} ×（1 － 入札価格 ÷ 予定価格）、小数点第2位以下切捨て。"
            "総合評価点 ＝ 技術点 ＋ 価格点。入札価格は上の「入札価格」の欄の金額。",
            size="small",
        ),
    ]
    if data.evaluators:
        blocks.append(Paragraph("審査員（合議）：" + "、".join(data.evaluators), size="small"))
    blocks.append(SealBox((("", data.authority), ("契約担当職員", ""))))
    return blocks

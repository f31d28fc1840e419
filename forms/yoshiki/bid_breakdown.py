"""入札内訳書 [002 別紙1「入札内訳書」、入札説明書 1.(5)③、3.(3)]。

一式の行（事務局運営など）と、単価×数量の行（事業進捗支援 15件など）。合計が入札金額
（税抜）になる。各金額に1円未満の端数は認めない。落札者は契約締結時までに提出する。
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from forms.blocks import Addressee, Block, Cell, DateLine, FieldTable, Paragraph, SealBox, Table, Title
from forms.yoshiki._common import (
    SAMPLE_AUTHORITY,
    SAMPLE_AUTHORITY_HEAD,
    SAMPLE_CASE_TITLE,
    SAMPLE_COMPANY,
    SAMPLE_COMPANY_ADDRESS,
    SAMPLE_DATE,
    SAMPLE_REPRESENTATIVE,
    quoted,
)
from tender.rules.money import format_yen

CODE = "bid_breakdown"
TITLE = "入札内訳書"
SOURCE = "[002 別紙1 入札内訳書]"

#: 案件によらない注記 [002 入札内訳書 注2〜注4]。
STANDARD_NOTES = (
    "各金額について、1円未満の端数は認めない。",
    "落札者の決定に当たっては、入札金額に10パーセントに相当する額を加算した金額（当該金額に1円未満の"
    "端数があるときは、その端数金額を切り捨てるものとする。）をもって落札価格とする。",
    "落札者は、担当者が別途指示する期限までに本書を提出しなければならない。",
)


def _whole_yen(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}は円単位の int で指定してください。")
    if value < 0:
        raise ValueError(f"{name}は0以上にしてください。")


@dataclass
class BreakdownLine:
    """内訳の一行。

    一式の行は amount だけを渡す（quantity は None）。単価の行は quantity・unit・unit_price を渡し、
    金額は単価×数量（amount を渡すなら一致しなければならない）。
    """

    item: str
    amount: int | None = None
    quantity: int | None = None
    unit: str = ""
    unit_price: int | None = None

    def __post_init__(self) -> None:
        if self.quantity is None:
            if self.amount is None:
                raise ValueError(f"一式の行「{self.item}」には金額が要ります。")
            _whole_yen(self.amount, "金額")
            return
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity <= 0:
            raise ValueError("数量は1以上の整数にしてください。")
        if self.unit_price is None:
            raise ValueError(f"行「{self.item}」には単価が要ります。")
        _whole_yen(self.unit_price, "単価")
        if self.amount is not None and self.amount != self.quantity * self.unit_price:
            raise ValueError(f"行「{self.item}」の金額が単価×数量と一致しません。")

    @property
    def lump_sum(self) -> bool:
        return self.quantity is None

    @property
    def total(self) -> int:
        """この行の金額（税抜、円）。"""
        if self.quantity is None:
            assert self.amount is not None
            return self.amount
        assert self.unit_price is not None
        return self.quantity * self.unit_price


@dataclass
class BidBreakdownData:
    """入札内訳書の記載事項。入札金額は lines の合計（税抜）。"""

    case_title: str
    bidder_address: str
    bidder_name: str
    representative: str
    lines: list[BreakdownLine]
    notes: list[str] = field(default_factory=list)
    date: date | None = None
    addressee: list[str] = field(default_factory=lambda: [SAMPLE_AUTHORITY, SAMPLE_AUTHORITY_HEAD])

    # No lines: the blank form (forms.blank) a bidder writes in by hand.

    @property
    def bid_amount(self) -> int:
        """入札金額（税抜）＝内訳の合計。"""
        return sum(line.total for line in self.lines)


DATA_CLASS = BidBreakdownData


def sample() -> BidBreakdownData:
    return BidBreakdownData(
        case_title=SAMPLE_CASE_TITLE,
        bidder_address=SAMPLE_COMPANY_ADDRESS,
        bidder_name=SAMPLE_COMPANY,
        representative=SAMPLE_REPRESENTATIVE,
        lines=[
            BreakdownLine("(1) 事務局運営", amount=4_845_000),
            BreakdownLine("(2) 事業進捗支援", quantity=15, unit="件", unit_price=500_000),
        ],
        notes=["(2)について、実際の採択件数は予定件数よりも減少する場合があるが、その場合も単価の変更はできない。"],
        date=SAMPLE_DATE,
    )


#: 白紙の内訳の行数。
BLANK_LINES = 6


def _yen(amount: int) -> str:
    return f"{amount:,}"


def layout(data: BidBreakdownData) -> list[Block]:
    rows = []
    for line in data.lines:
        if line.lump_sum:
            rows.append((line.item, "一式", "", "", _yen(line.total)))
        else:
            assert line.quantity is not None and line.unit_price is not None
            rows.append((line.item, f"{line.quantity:,}", line.unit, _yen(line.unit_price), _yen(line.total)))
    if not rows:
        rows = [("", "", "", "", "")] * BLANK_LINES
    amount = (f"{format_yen(data.bid_amount, 'kanji')}（消費税及び地方消費税額を除く。）" if data.lines
              else "金　　　　　　　　　　　円（消費税及び地方消費税額を除く。）")
    notes = list(data.notes) + list(STANDARD_NOTES)
    return [
        # [002 入札説明書 1.(5)③] 「別紙1「入札内訳書」に基づき」: the form is the notice's 別紙1.
        Paragraph("（別紙1）", size="small"),
        DateLine(data.date),
        Addressee(tuple(data.addressee)),
        SealBox(
            (
                ("住所", data.bidder_address),
                ("法人名", data.bidder_name),
                ("代表者名", data.representative),
            )
        ),
        Title(TITLE),
        FieldTable(
            (
                ("1. 件名", quoted(data.case_title)),
                ("2. 入札金額", amount),
            ),
            label_width=20,
            bordered=False,
        ),
        Table(
            ("業務", "数量", "単位", "税抜単価（円）", "金額（円）"),
            tuple(rows),
            column_widths=(40, 12, 10, 19, 19),
            aligns=("left", "right", "center", "right", "right"),
            totals_row=(Cell("合計（入札金額）", colspan=4, align="center"), _yen(data.bid_amount) if data.lines else ""),
            caption="［内訳］",
            min_row_height=None if data.lines else 9,
        ),
        *(
            Paragraph(f"注{index}　{note}", size="small", hanging=3)
            for index, note in enumerate(notes, start=1)
        ),
    ]

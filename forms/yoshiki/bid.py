"""入札書（様式3）[002 様式3、入札説明書 1.(5)、入札心得 第5条]。

入札金額は税抜（見積もった契約金額の110分の100）で「金…円」と書く。入札者の記名押印、
代理人が入札するときはその記名押印、同点のときのくじに使う3桁のくじ番号を持つ。
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from forms.blocks import Addressee, Block, DateLine, FieldTable, Paragraph, SealBox, Spacer, Title
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

CODE = "bid"
TITLE = "入札書"
SOURCE = "[002 様式3]"

#: 入札金額の注記 [002 入札説明書 1.(5)③④、入札心得 第5条]。
AMOUNT_NOTE = (
    "※ 入札金額は、「入札内訳書」に基づき算出した額の合計額（総価）とし、1円未満の端数は認めない。"
    "落札決定に当たっては、入札書に記載された金額に当該金額の10パーセントに相当する額を加算した金額"
    "（当該金額に1円未満の端数が生じたときは、その端数金額を切り捨てるものとする。）をもって落札価格と"
    "するので、入札者は、消費税及び地方消費税に係る課税事業者であるか免税事業者であるかを問わず、"
    "見積もった契約金額の110分の100に相当する金額を記載すること。"
)
PLEDGE = "契約条項の内容及び貴機構入札心得を承知のうえ、入札いたします。"

_LOTTERY = re.compile(r"[0-9]{3}")


@dataclass
class BidData:
    """入札書の記載事項。amount は税抜の入札金額（円、int）。"""

    case_title: str
    amount: int | None
    bidder_address: str
    bidder_name: str
    representative: str
    lottery_number: str
    date: date | None = None
    addressee: list[str] = field(default_factory=lambda: [SAMPLE_AUTHORITY, SAMPLE_AUTHORITY_HEAD])
    agent_name: str | None = None

    def __post_init__(self) -> None:
        # None (and an empty くじ番号) make the blank form bidders fill in by hand.
        if self.amount is not None:
            if isinstance(self.amount, bool) or not isinstance(self.amount, int):
                raise TypeError("入札金額は円単位の int で指定してください。")
            if self.amount <= 0:
                raise ValueError("入札金額は1円以上にしてください。")
        if self.lottery_number and not _LOTTERY.fullmatch(self.lottery_number):
            raise ValueError("くじ番号は3桁の数字にしてください。")


DATA_CLASS = BidData


def sample() -> BidData:
    return BidData(
        case_title=SAMPLE_CASE_TITLE,
        amount=12_345_000,
        bidder_address=SAMPLE_COMPANY_ADDRESS,
        bidder_name=SAMPLE_COMPANY,
        representative=SAMPLE_REPRESENTATIVE,
        lottery_number="274",
        date=SAMPLE_DATE,
        agent_name="営業部長　中村　健太",
    )


def layout(data: BidData) -> list[Block]:
    blocks: list[Block] = [
        Paragraph("（様式3）", size="small"),
        DateLine(data.date),
        Addressee(tuple(data.addressee)),
        SealBox(
            (
                ("所在地", data.bidder_address),
                ("商号又は名称", data.bidder_name),
                ("代表者氏名", data.representative),
            )
        ),
    ]
    # [002 様式3] 「代表者氏名 印 ／（又は代理人、復代理人氏名）印」: the blank form keeps the line for an
    # agent to sign, a filled one shows it only when an agent bid.
    if data.agent_name or data.amount is None:
        blocks.append(SealBox((("氏名", data.agent_name or ""),), heading="（又は代理人、復代理人氏名）"))
    blocks += [
        Spacer(4),
        Title(TITLE),
        FieldTable(
            (
                ("入札金額", format_yen(data.amount, "kanji") if data.amount is not None else "金　　　　　　　　　　　円"),
                ("件名", quoted(data.case_title)),
                ("くじ番号", data.lottery_number),
            ),
            label_width=20,
        ),
        Paragraph(AMOUNT_NOTE, size="small", hanging=1),
        Paragraph("※ くじ番号は、落札となるべき同価格又は同総合評価点の入札をした者が二者以上あるときのくじに用いる任意の3桁の数字とする。", size="small", hanging=1),
        Spacer(6),
        Paragraph(PLEDGE, indent=1),
    ]
    return blocks

"""開札調書（機構が保管する記録）[002 VII 入札心得 第11条〜第16条]。

開札の日時・場所、予定価格、立会人（入札者又は入札事務に関係のない職員、第12条）、
入札者ごとの入札金額・有効無効・備考・結果（落札・保留・再度入札など）を記録し、
契約担当職員と立会人が記名押印する。
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from forms.blocks import Block, FieldTable, Paragraph, SealBox, Table, Title
from forms.yoshiki._common import JST, SAMPLE_AUTHORITY, SAMPLE_CASE_TITLE, SAMPLE_COMPANY, quoted
from tender.rules.money import format_yen
from tender.rules.wareki import format_wareki_datetime

CODE = "opening_record"
TITLE = "開札調書"
SOURCE = "[002 VII 入札心得 第12条]"


@dataclass
class OpeningBid:
    """一つの入札。amount は税抜の入札金額（辞退なら None）。"""

    bidder: str
    amount: int | None
    valid: bool = True
    remarks: str = ""
    result: str = ""
    round: int = 1


@dataclass
class OpeningRecordData:
    case_title: str
    method: str
    opened_at: datetime
    place: str
    estimated_price: int
    officer: str
    witnesses: list[str] = field(default_factory=list)
    bids: list[OpeningBid] = field(default_factory=list)
    estimated_price_includes_tax: bool = False
    authority: str = SAMPLE_AUTHORITY


DATA_CLASS = OpeningRecordData


def sample() -> OpeningRecordData:
    return OpeningRecordData(
        case_title=SAMPLE_CASE_TITLE,
        method="一般競争入札（総合評価落札方式・加算方式）",
        opened_at=datetime(2026, 6, 22, 14, 0, tzinfo=JST),
        place="デジタル調達推進機構 本部13階 第1会議室",
        estimated_price=14_000_000,
        officer="財務部長　木下　正人",
        witnesses=["総務部 総務課　岡田　恵"],
        bids=[
            OpeningBid(SAMPLE_COMPANY, 12_345_000, True, "", "落札"),
            OpeningBid("株式会社みどりテック", 11_800_000, True, "総合評価点で次点", ""),
            OpeningBid("あおば総研株式会社", 14_500_000, True, "予定価格超過", ""),
            OpeningBid("株式会社つばさシステムズ", 9_900_000, False, "委任状の提出なし（第11条）", "無効"),
        ],
    )


def layout(data: OpeningRecordData) -> list[Block]:
    basis = "税込" if data.estimated_price_includes_tax else "税抜"
    rows = tuple(
        (
            f"{index}",
            bid.bidder,
            format_yen(bid.amount, "symbol") if bid.amount is not None else "辞退",
            "有効" if bid.valid else "無効",
            bid.remarks,
            bid.result,
        )
        for index, bid in enumerate(data.bids, start=1)
    )
    rounds = {bid.round for bid in data.bids}
    blocks: list[Block] = [
        Title(TITLE),
        FieldTable(
            (
                ("件名", quoted(data.case_title)),
                ("入札方法", data.method),
                ("開札日時", format_wareki_datetime(data.opened_at)),
                ("開札場所", data.place),
                ("予定価格", f"{format_yen(data.estimated_price)}（{basis}）"),
                ("立会人", "、".join(data.witnesses) if data.witnesses else "（なし）"),
                ("入札者数", f"{len(data.bids)}者" + (f"（{max(rounds)}回目の入札）" if max(rounds, default=1) > 1 else "")),
            ),
            label_width=18,
        ),
        Table(
            ("No.", "入札者", "入札金額（税抜）", "有効・無効", "備考", "結果"),
            rows,
            column_widths=(6, 32, 17, 10, 25, 10),
            aligns=("center", "left", "right", "center", "left", "center"),
            caption="入札の状況",
        ),
        Paragraph("上記のとおり開札を行ったことを証する。", indent=1),
        SealBox((("", data.authority), ("契約担当職員", data.officer))),
    ]
    for witness in data.witnesses:
        blocks.append(SealBox((("立会人", witness),)))
    return blocks

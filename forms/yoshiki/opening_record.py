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
    """一つの入札。amount は入札書に記載された金額（税抜、辞退なら None）。compared は予定価格と比べた
    金額（予定価格が税込なら amount に消費税等を加えた額。None なら amount）。over_ceiling は予定価格の
    制限を超えるか（入札心得第14条：落札者とならない）。"""

    bidder: str
    amount: int | None
    valid: bool = True
    remarks: str = ""
    result: str = ""
    round: int = 1
    compared: int | None = None
    over_ceiling: bool = False


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
    #: 落札者と落札金額（税込。入札心得第5条）。決まる前は空・None。
    winner: str = ""
    award_amount: int | None = None


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
            OpeningBid(SAMPLE_COMPANY, 12_345_000, True, "", "落札者"),
            OpeningBid("株式会社みどりテック", 11_800_000, True, "総合評価点で次点", ""),
            OpeningBid("あおば総研株式会社", 14_500_000, True, "", "", over_ceiling=True),
            OpeningBid("株式会社つばさシステムズ", 9_900_000, False, "委任状の提出なし（第11条）", "無効"),
        ],
        winner=SAMPLE_COMPANY,
        award_amount=13_579_500,
    )


def _validity(bid: OpeningBid) -> str:
    if not bid.valid:
        return "無効"
    return "予定価格超過" if bid.over_ceiling else "有効"


def layout(data: OpeningRecordData) -> list[Block]:
    basis = "税込" if data.estimated_price_includes_tax else "税抜"
    with_tax = data.estimated_price_includes_tax
    rows = tuple(
        (
            f"{index}",
            bid.bidder,
            format_yen(bid.amount, "plain") if bid.amount is not None else "辞退",
            *((format_yen(bid.compared if bid.compared is not None else bid.amount, "plain")
               if bid.amount is not None else "—",) if with_tax else ()),
            _validity(bid),
            bid.remarks,
            bid.result,
        )
        for index, bid in enumerate(data.bids, start=1)
    )
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    aligns: tuple[str, ...]
    if with_tax:
        headers = ("No.", "入札者", "入札金額（税抜）", "税込の金額", "有効・無効", "備考", "結果")
        widths = (6, 22, 17, 17, 13, 15, 10)
        aligns = ("center", "left", "right", "right", "center", "left", "center")
        comparison = ("予定価格は税込のため、入札書に記載された金額（税抜）に消費税及び地方消費税の額（10%、"
                      "1円未満切捨て）を加えた「税込の金額」を予定価格と比べた（入札心得第5条・第14条）。")
    else:
        headers = ("No.", "入札者", "入札金額（税抜）", "有効・無効", "備考", "結果")
        widths = (6, 32, 17, 13, 22, 10)
        aligns = ("center", "left", "right", "center", "left", "center")
        comparison = "予定価格は税抜のため、入札書に記載された金額を予定価格と比べた（入札心得第14条）。"
    award = (f"{data.winner}　落札金額 {format_yen(data.award_amount)}（税込）" if data.winner and data.award_amount
             else "（未決定）")
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
                ("落札者", award),
            ),
            label_width=18,
        ),
        Table(
            headers,
            rows,
            column_widths=widths,
            aligns=aligns,
            caption="入札の状況",
            small=True,
        ),
        Paragraph(comparison, size="small"),
        Paragraph("上記のとおり開札を行ったことを証する。", indent=1),
        SealBox((("", data.authority), ("契約担当職員", data.officer))),
    ]
    for witness in data.witnesses:
        blocks.append(SealBox((("立会人", witness),)))
    return blocks

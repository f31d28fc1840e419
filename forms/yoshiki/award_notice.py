"""落札者決定通知書 [002 VII 入札心得 第14条・第17条、入札説明書 1.(5)④]。

落札金額は、入札金額（税抜）に10パーセントを加算した額（1円未満切捨て）＝落札価格。
落札者は落札決定の日から5日以内（行政機関の休日は算入しない）に記名押印した契約書を出す。
期限の日は評価・落札の側が暦（tender.rules.calendar）で計算して渡す。
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from forms.blocks import Addressee, Block, DateLine, FieldTable, Paragraph, SealBox, Title
from forms.yoshiki._common import (
    SAMPLE_AUTHORITY,
    SAMPLE_AUTHORITY_HEAD,
    SAMPLE_CASE_TITLE,
    SAMPLE_COMPANY,
    SAMPLE_REPRESENTATIVE,
    quoted,
)
from tender.rules.bids import contract_submission_deadline
from tender.rules.money import format_yen, tax_included
from tender.rules.wareki import format_wareki

CODE = "award_notice"
TITLE = "落札者決定通知書"
SOURCE = "[002 VII 入札心得 第17条]"


@dataclass
class AwardNoticeData:
    notice_number: str
    case_title: str
    company_name: str
    representative: str
    opened_on: date
    bid_amount: int
    contract_deadline: date
    date: date | None = None
    authority: str = SAMPLE_AUTHORITY
    authority_head: str = SAMPLE_AUTHORITY_HEAD
    contact: str = ""
    #: 代表者の役職（「代表取締役」など）。宛名で氏名の前に置く。
    representative_title: str = ""
    #: 公印を押すか。押さない（電子で送る）写しには「（公印省略）」と書く。
    official_seal: bool = False

    @property
    def award_price(self) -> int:
        """落札価格＝入札金額＋10%（1円未満切捨て）。"""
        return tax_included(self.bid_amount)


DATA_CLASS = AwardNoticeData


def sample() -> AwardNoticeData:
    return AwardNoticeData(
        notice_number="デ調第0456号",
        case_title=SAMPLE_CASE_TITLE,
        company_name=SAMPLE_COMPANY,
        representative=SAMPLE_REPRESENTATIVE,
        opened_on=date(2026, 6, 22),
        bid_amount=12_345_000,
        # 入札心得第17条：落札決定の日から5日以内（行政機関の休日を除く）。見本も規則で計算する。
        contract_deadline=contract_submission_deadline(date(2026, 6, 26)),
        date=date(2026, 6, 26),
        contact="財務部 契約課　電話 03-5555-9000　keiyaku@dpa.example.go.jp",
        representative_title="代表取締役",
    )


def _addressed(data: AwardNoticeData) -> str:
    """「代表取締役　青木　美咲」：the title once, whether or not the name already carries it."""
    if data.representative_title and not data.representative.startswith(data.representative_title):
        return f"{data.representative_title}　{data.representative}"
    return data.representative


def layout(data: AwardNoticeData) -> list[Block]:
    rows = [
        ("件名", quoted(data.case_title)),
        ("開札日", format_wareki(data.opened_on)),
        ("落札金額（税込）", f"{format_yen(data.award_price)}（消費税及び地方消費税の額を含む。）"),
        ("入札金額（税抜）", f"{format_yen(data.bid_amount)}（消費税及び地方消費税の額を除く。）"),
        ("契約書の提出期限", format_wareki(data.contract_deadline)),
    ]
    if data.contact:
        rows.append(("連絡先", data.contact))
    return [
        Paragraph(data.notice_number, align="right"),
        DateLine(data.date),
        Addressee((data.company_name, _addressed(data))),
        SealBox((("", data.authority), ("", data.authority_head)), seal="印" if data.official_seal else None),
        *(() if data.official_seal else (Paragraph("（公印省略）", align="right", size="small"),)),
        Title(TITLE),
        Paragraph(
            f"{format_wareki(data.opened_on)}に開札を行った下記の入札について、貴社を落札者として決定したので通知します。",
            indent=1,
        ),
        Paragraph(
            "つきましては、契約書に記名押印の上、下記の提出期限までに提出してください。期限までに提出がないときは、"
            "落札はその効力を失います（入札心得第17条）。",
            indent=1,
        ),
        Paragraph("記", align="center"),
        FieldTable(tuple(rows), label_width=24),
        Paragraph("以上", align="right"),
    ]

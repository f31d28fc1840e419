"""提案書受理票（様式4）と、切り取って入札者に返す受理票 [002 様式4、入札説明書 6.(4)⑦]。

上半分（控）は機構が保管する：受理番号、件名、入札者、提出日時、提出書類の有無、電子ファイルの
SHA-256（受理した後にファイルが差し替えられていないことを、入札者も職員も確かめられる）。
切り取り線の下半分は入札者に返す：受理番号・法人名・受理日時を繰り返し、担当者が押印する。
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from forms.blocks import (
    Addressee,
    Block,
    Cell,
    CutLine,
    FieldTable,
    Paragraph,
    SealBox,
    Table,
    Title,
)
from forms.yoshiki._common import (
    SAMPLE_AUTHORITY,
    SAMPLE_CASE_TITLE,
    SAMPLE_COMPANY,
    SAMPLE_COMPANY_ADDRESS,
    SAMPLE_DEPARTMENT,
    SAMPLE_RECEIVED_AT,
    quoted,
)
from tender.rules.wareki import format_wareki_datetime

CODE = "receipt"
TITLE = "提案書受理票"
SOURCE = "[002 様式4]"

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass
class ReceivedDocument:
    """提出書類の一行：書類名、部数（「1通」「7部」）、受理したか。"""

    name: str
    copies: str
    received: bool = True


@dataclass
class ReceivedFile:
    """電子ファイルの一行：ファイル名、大きさ（バイト）、SHA-256（16進64桁、小文字）。"""

    name: str
    size: int
    sha256: str

    def __post_init__(self) -> None:
        if not _SHA256.fullmatch(self.sha256):
            raise ValueError("SHA-256 は16進64桁（小文字）で指定してください。")


@dataclass
class ReceiptData:
    """提案書受理票の記載事項。received_at はタイムゾーン付きの日時（日本時間で表示する）。"""

    receipt_number: str
    case_title: str
    company_name: str
    company_address: str
    contact_position: str
    contact_name: str
    phone: str
    email: str
    received_at: datetime
    documents: list[ReceivedDocument] = field(default_factory=list)
    files: list[ReceivedFile] = field(default_factory=list)
    authority: str = SAMPLE_AUTHORITY
    department: str = SAMPLE_DEPARTMENT
    officer_name: str = ""
    #: 受理時乱数 (0–999), drawn when the bid was received: with the sealed くじ番号 it decides a
    #: 電子くじ, and being printed here the bidder can check the draw (入札心得第16条).
    receipt_random: int | None = None
    #: 〒（郵便番号）と FAX：原本の【入札者記載欄】の項目。
    postal_code: str = ""
    fax: str = ""


DATA_CLASS = ReceiptData


def sample() -> ReceiptData:
    return ReceiptData(
        receipt_number="R8-0042",
        case_title=SAMPLE_CASE_TITLE,
        company_name=SAMPLE_COMPANY,
        company_address=SAMPLE_COMPANY_ADDRESS,
        postal_code="108-0023",
        fax="03-5555-0124",
        contact_position="公共事業本部 第二営業部 主任",
        contact_name="佐藤　由紀",
        phone="03-5555-0123",
        email="y.sato@sakura-is.example.jp",
        received_at=SAMPLE_RECEIVED_AT,
        documents=[
            ReceivedDocument("委任状（委任する場合）", "1通", True),
            ReceivedDocument("入札書（封緘）", "1通", True),
            ReceivedDocument("提案書", "7部", True),
            ReceivedDocument("評価項目一覧", "7部", True),
            ReceivedDocument("資格審査結果通知書の写し", "1通", True),
            ReceivedDocument("提案書と評価項目一覧の電子ファイル", "各1部", True),
            ReceivedDocument("提案書受理票", "本紙", True),
        ],
        files=[
            ReceivedFile("提案書_さくら情報システム.pdf", 2_483_112,
                         "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b"),
            ReceivedFile("評価項目一覧_さくら情報システム.xlsx", 48_230,
                         "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        ],
        officer_name="高橋　誠",
        receipt_random=417,
    )


def _yes(received: bool) -> str:
    return "有" if received else "無"


def layout(data: ReceiptData) -> list[Block]:
    received = format_wareki_datetime(data.received_at)
    # 受理時乱数 on the same line as the time of receipt: the form keeps to one page.
    received_with_random = received if data.receipt_random is None else (
        f"{received}　受理時乱数 {data.receipt_random:03d}（電子くじに使用）")
    # 原本の様式と同じく、提出書類は2列に並べる（No. 提出書類 部数 有無 ×2）。
    cells = [
        (f"{index}", doc.name, doc.copies, _yes(doc.received))
        for index, doc in enumerate(data.documents, start=1)
    ]
    if len(cells) % 2:
        cells.append(("", "", "", ""))
    document_rows = tuple(cells[i] + cells[i + 1] for i in range(0, len(cells), 2))
    blocks: list[Block] = [
        Paragraph("（様式4）", size="small"),
        Title(f"{TITLE}（控）"),
        # 原本どおり、受理番号と件名は表の外の行に。
        Paragraph(f"提案書受理番号　{data.receipt_number}", size="small"),
        Paragraph(f"件名：{quoted(data.case_title)}に関する提案書", size="small"),
        Paragraph("【入札者記載欄】", size="small"),
        FieldTable(
            (
                ("提出年月日", received),
                ("法人名", data.company_name),
                ("所在地", f"〒{data.postal_code}　{data.company_address}" if data.postal_code
                 else f"〒　　　　　{data.company_address}"),
                ("担当者", f"所属・役職名　{data.contact_position}　氏名　{data.contact_name}\n"
                           f"TEL　{data.phone}　FAX　{data.fax}　E-Mail　{data.email}"),
            ),
            label_width=20,
            small=True,
        ),
        Table(
            ("No.", "提出書類", "部数", "有無") * 2,
            document_rows,
            column_widths=(5, 31, 8, 6) * 2,
            aligns=("center", "left", "center", "center") * 2,
            caption="【担当者使用欄】",
            small=True,
        ),
    ]
    if data.files:
        blocks.append(
            Table(
                ("No.", "電子ファイル名", "大きさ", "SHA-256"),
                tuple(
                    (f"{index}", file.name, f"{file.size:,}バイト", Cell(file.sha256))
                    for index, file in enumerate(data.files, start=1)
                ),
                column_widths=(6, 34, 16, 44),
                aligns=("center", "left", "right", "left"),
                caption="受理した電子ファイルの指紋（SHA-256）",
                small=True,
            )
        )
    blocks += [
        CutLine("切り取り線"),
        Title(TITLE),
        FieldTable(
            (
                ("提案書受理番号", data.receipt_number),
                ("件名", quoted(data.case_title)),
                ("法人名", data.company_name),
                ("受理日時", received_with_random),
            ),
            label_width=20,
            small=True,
        ),
        Addressee((f"{data.contact_position}　{data.contact_name}",)),
        Paragraph("貴殿から提出された標記提案書を受理しました。", indent=1),
        SealBox((("", f"{data.authority}\n{data.department}"), ("担当者名", data.officer_name)), offset=20),
    ]
    return blocks

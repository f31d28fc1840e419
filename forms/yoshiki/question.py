"""質問書（様式1）[002 様式1、入札説明書 4.]。

質問は書面（電子メール）で、本様式1枚につき1問。質問と回答は公表されるが、質問者の名前や
既得情報・個人情報に関する内容は公表しない。
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from forms.blocks import Addressee, Block, DateLine, FieldTable, Heading, Paragraph, Title
from forms.yoshiki._common import (
    SAMPLE_AUTHORITY,
    SAMPLE_CASE_TITLE,
    SAMPLE_COMPANY,
    SAMPLE_DATE,
    SAMPLE_DEPARTMENT,
    quoted,
)

CODE = "question"
TITLE = "質問書"
SOURCE = "[002 様式1]"

NOTES = (
    "1. 質問は、本様式1枚につき1問とし、簡潔にまとめて記載すること。",
    "2. 質問及び回答は、ホームページに公表する。（電話等による個別回答はしない。）また、質問者自身の"
    "既得情報（特殊な技術、ノウハウ等）、個人情報に関する内容については、公表しない。",
)


@dataclass
class QuestionData:
    """質問書の記載事項（1枚に1問）。"""

    case_title: str
    company_name: str
    department: str
    person: str
    phone: str
    email: str
    document: str
    page: str
    item: str
    body: str
    sheet_number: int = 1
    sheet_total: int = 1
    date: date | None = None
    addressee: list[str] = field(default_factory=lambda: [SAMPLE_AUTHORITY, f"{SAMPLE_DEPARTMENT} 担当者"])

    def __post_init__(self) -> None:
        if not 1 <= self.sheet_number <= self.sheet_total:
            raise ValueError("質問書の枚数が正しくありません（何枚中何枚目）。")


DATA_CLASS = QuestionData


def sample() -> QuestionData:
    return QuestionData(
        case_title=SAMPLE_CASE_TITLE,
        company_name=SAMPLE_COMPANY,
        department="公共事業本部 第二営業部",
        person="佐藤　由紀",
        phone="03-5555-0123",
        email="y.sato@sakura-is.example.jp",
        document="仕様書",
        page="P12",
        item="5. 業務の実施体制",
        body=(
            "実施要員の要件に「プロジェクト管理に関する実施経験」とありますが、"
            "再請負先の要員の経験も含めてよいか、ご教示ください。"
        ),
        sheet_number=1,
        sheet_total=2,
        date=SAMPLE_DATE,
    )


def layout(data: QuestionData) -> list[Block]:
    return [
        Paragraph("（様式1）", size="small"),
        DateLine(data.date),
        Addressee(tuple(data.addressee)),
        Title(TITLE),
        Paragraph(f"{quoted(data.case_title)}に関する質問書を提出します。", indent=1),
        FieldTable(
            (
                ("法人名", data.company_name),
                ("所属部署名", data.department),
                ("担当者名", data.person),
                ("電話番号", data.phone),
                ("E-mail", data.email),
            ),
            label_width=22,
        ),
        Paragraph(f"質問書枚数　{data.sheet_total}枚中　{data.sheet_number}枚目", align="right"),
        Heading("＜質問箇所について＞"),
        FieldTable(
            (
                ("資料名", data.document),
                ("ページ", data.page),
                ("項目名", data.item),
                ("質問内容", data.body),
            ),
            label_width=22,
        ),
        Heading("備考"),
        *(Paragraph(note, size="small", hanging=2) for note in NOTES),
    ]

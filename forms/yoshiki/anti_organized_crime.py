"""暴力団排除に関する誓約事項 [002 別記、000 別記、001 別記4]。

誓約は書類の提出をもって行う（入札説明書では入札書、事前確認公募では参加意思確認書）。
誓約が虚偽のときの入札は無効 [002 入札心得 第11条]。
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from forms.blocks import Addressee, Block, Clause, DateLine, Heading, NumberedClauses, Paragraph, SealBox, Title
from forms.yoshiki._common import (
    SAMPLE_AUTHORITY,
    SAMPLE_AUTHORITY_HEAD,
    SAMPLE_COMPANY,
    SAMPLE_COMPANY_ADDRESS,
    SAMPLE_DATE,
    SAMPLE_REPRESENTATIVE,
)

CODE = "anti_organized_crime"
TITLE = "暴力団排除に関する誓約事項"
SOURCE = "[002 別記、000 別記]"

PREAMBLE = (
    "当社（個人である場合は私、団体である場合は当団体）は、下記の「契約の相手方として不適当な者」のいずれにも該当しません。",
    "この誓約が虚偽であり、又はこの誓約に反したことにより、当方が不利益を被ることとなっても、異議は一切申し立てません。",
)

#: 契約の相手方として不適当な者 [002 別記 1.(1)〜(4)]。
UNSUITABLE = (
    Clause(
        "(1)",
        "法人等（個人、法人又は団体をいう。）が、暴力団（暴力団員による不当な行為の防止等に関する法律（平成3年法律"
        "第77号）第2条第2号に規定する暴力団をいう。以下同じ。）であるとき又は法人等の役員等（個人である場合はその者、"
        "法人である場合は役員又は支店若しくは営業所（常時契約を締結する事務所をいう。）の代表者、団体である場合は代表者、"
        "理事等、その他経営に実質的に関与している者をいう。以下同じ。）が、暴力団員（同法第2条第6号に規定する暴力団員を"
        "いう。以下同じ。）であるとき",
    ),
    Clause(
        "(2)",
        "役員等が、自己、自社若しくは第三者の不正の利益を図る目的又は第三者に損害を加える目的をもって、暴力団又は"
        "暴力団員を利用するなどしているとき",
    ),
    Clause(
        "(3)",
        "役員等が、暴力団又は暴力団員に対して、資金等を供給し、又は便宜を供与するなど直接的あるいは積極的に暴力団の"
        "維持、運営に協力し、若しくは関与しているとき",
    ),
    Clause("(4)", "役員等が、暴力団又は暴力団員であることを知りながらこれと社会的に非難されるべき関係を有しているとき"),
)


@dataclass
class AntiOrganizedCrimeData:
    """誓約事項。occasion は誓約の契機となる書類（「入札書」「参加意思確認書」）。"""

    address: str
    company_name: str
    representative: str
    occasion: str = "入札書"
    date: date | None = None
    addressee: list[str] = field(default_factory=lambda: [SAMPLE_AUTHORITY, SAMPLE_AUTHORITY_HEAD])


DATA_CLASS = AntiOrganizedCrimeData


def sample() -> AntiOrganizedCrimeData:
    return AntiOrganizedCrimeData(
        address=SAMPLE_COMPANY_ADDRESS,
        company_name=SAMPLE_COMPANY,
        representative=SAMPLE_REPRESENTATIVE,
        occasion="入札書",
        date=SAMPLE_DATE,
    )


def layout(data: AntiOrganizedCrimeData) -> list[Block]:
    return [
        Paragraph("（別記）", size="small"),
        DateLine(data.date),
        Addressee(tuple(data.addressee)),
        Title(TITLE),
        *(Paragraph(text, indent=1) for text in PREAMBLE),
        Paragraph("記", align="center"),
        Heading("1. 契約の相手方として不適当な者"),
        NumberedClauses(None, UNSUITABLE),
        Paragraph(f"上記事項について、{data.occasion}の提出をもって誓約します。", indent=1),
        SealBox(
            (("所在地", data.address), ("商号又は名称", data.company_name), ("代表者氏名", data.representative)),
            seal=None,
        ),
    ]

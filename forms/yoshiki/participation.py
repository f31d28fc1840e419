"""参加意思確認書（事前確認公募 様式1）[000 3.(2)、様式1]。

事前確認公募で、契約予定者以外の者が業務への参加を希望するときに出す。提出した者は辞退できない
[000 1.]。会社概要・応募要件を満たすことの説明を添える。
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from forms.blocks import Addressee, Block, DateLine, FieldTable, Heading, Paragraph, SealBox, Title
from forms.yoshiki._common import (
    SAMPLE_AUTHORITY,
    SAMPLE_AUTHORITY_HEAD,
    SAMPLE_COMPANY,
    SAMPLE_COMPANY_ADDRESS,
    SAMPLE_DATE,
    SAMPLE_REPRESENTATIVE,
    quoted,
)

CODE = "participation"
TITLE = "参加意思確認書"
SOURCE = "[000 様式1]"

STATEMENT = "{title}に係る事前確認公募において、応募要件を満たしており、業務への参加を希望しますので参加意思確認書を提出します。"


@dataclass
class ParticipationData:
    """参加意思確認書の記載事項。"""

    case_title: str
    address: str
    organisation: str
    representative: str
    contact: str
    email: str
    phone: str
    company_summary: str
    eligibility: str
    fax: str = ""
    date: date | None = None
    addressee: list[str] = field(default_factory=lambda: [SAMPLE_AUTHORITY, SAMPLE_AUTHORITY_HEAD])


DATA_CLASS = ParticipationData


def sample() -> ParticipationData:
    return ParticipationData(
        case_title="地域IoT推進ポータルサイト第二期システムの運用・保守",
        address=SAMPLE_COMPANY_ADDRESS,
        organisation=SAMPLE_COMPANY,
        representative=SAMPLE_REPRESENTATIVE,
        contact="公共事業本部 第二営業部 主任　佐藤　由紀",
        email="y.sato@sakura-is.example.jp",
        phone="03-5555-0123",
        fax="03-5555-0124",
        company_summary=(
            "1998年設立。官公庁・独立行政法人向けのウェブサイト構築・運用保守を主力とし、"
            "従業員数240名。ISMS（ISO/IEC 27001）認証取得。詳細は別添の会社概要（様式2）のとおり。"
        ),
        eligibility=(
            "令和7・8・9年度競争参加資格（全省庁統一資格）「役務の提供等」B等級（関東・甲信越）。"
            "同等規模のポータルサイトの運用・保守を過去5年間に3件受託し、運用・保守仕様書に定める"
            "保守サービス業務（障害対応、問合せ対応、月次報告）を提供できる体制を有する。"
        ),
        date=SAMPLE_DATE,
    )


#: 原本の記入の指示 [000 様式1]。
SUMMARY_NOTE = "※会社概要について記載すること（パンフレット等で代用できる場合は、パンフレットを添付すること）"
ELIGIBILITY_NOTE = "※応募要件を満たしている状況等について記載すること"
SIZE_NOTE = "サイズ：A4縦、記載しきれない場合は、別紙添付でも可。"


def layout(data: ParticipationData) -> list[Block]:
    # 原本どおり「連絡先」の下に メールアドレス・TEL・FAX（空でも欄を残す）。
    contacts = [("担当者所属役職氏名", data.contact),
                ("連絡先", f"メールアドレス　{data.email}\nTEL　{data.phone}\nFAX　{data.fax}")]
    return [
        Paragraph("（様式1）", size="small"),
        DateLine(data.date),
        Title(TITLE),
        Addressee(tuple(data.addressee)),
        SealBox(
            (
                ("住所", data.address),
                ("団体名", data.organisation),
                ("代表者役職氏名", data.representative),
            ),
            heading="提出者",
        ),
        FieldTable(tuple(contacts), label_width=26),
        Paragraph(STATEMENT.format(title=quoted(data.case_title)), indent=1),
        Paragraph("記", align="center"),
        Heading("1　会社概要"),
        Paragraph(SUMMARY_NOTE, size="small", indent=1),
        Paragraph(SIZE_NOTE, size="small", indent=1),
        Paragraph(data.company_summary, indent=1),
        Heading("2　応募要件"),
        Paragraph(ELIGIBILITY_NOTE, size="small", indent=1),
        Paragraph(SIZE_NOTE, size="small", indent=1),
        Paragraph(data.eligibility, indent=1),
        Paragraph("以上", align="right"),
    ]

"""秘密保持誓約書 [000 別記2、3.]。

事前確認公募で、設計書等の資料の閲覧を希望する者が代表者印を押して出す。閲覧は機構の職員の
立会いの下で行う。
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from forms.blocks import Addressee, Block, Clause, DateLine, NumberedClauses, Paragraph, SealBox, Title
from forms.yoshiki._common import (
    SAMPLE_AUTHORITY,
    SAMPLE_AUTHORITY_HEAD,
    SAMPLE_COMPANY,
    SAMPLE_COMPANY_ADDRESS,
    SAMPLE_DATE,
    SAMPLE_REPRESENTATIVE,
    quoted,
)

CODE = "nda"
TITLE = "秘密保持誓約書"
SOURCE = "[000 別記2]"

PREAMBLE = (
    "当社は、{title}に係る事前確認公募（以下「本公募」と言う）に関する手続において、貴機構から閲覧を"
    "許可された資料に関しては、下記の事項を厳守することを、ここに誓約致します。"
)
PLEDGES = (
    Clause("1.", "本公募に係る役職員以外の者に対して開示又は漏洩致しません。"),
    Clause("2.", "本公募のためだけに利用致します。"),
    Clause("3.", "閲覧した資料の内容を外部に開示又は漏洩したことにより、貴機構が損害を被った場合には、損害賠償等について真摯に対応致します。"),
)


@dataclass
class NdaData:
    case_title: str
    address: str
    company_name: str
    representative: str
    date: date | None = None
    addressee: list[str] = field(default_factory=lambda: [SAMPLE_AUTHORITY, SAMPLE_AUTHORITY_HEAD])


DATA_CLASS = NdaData


def sample() -> NdaData:
    return NdaData(
        case_title="地域IoT推進ポータルサイト第二期システムの運用・保守",
        address=SAMPLE_COMPANY_ADDRESS,
        company_name=SAMPLE_COMPANY,
        representative=SAMPLE_REPRESENTATIVE,
        date=SAMPLE_DATE,
    )


def layout(data: NdaData) -> list[Block]:
    return [
        Paragraph("（別記2）", size="small"),
        DateLine(data.date),
        Addressee(tuple(data.addressee)),
        Title(TITLE),
        Paragraph(PREAMBLE.format(title=quoted(data.case_title)), indent=1),
        Paragraph("記", align="center"),
        NumberedClauses(None, PLEDGES),
        Paragraph("以上", align="right"),
        SealBox((("住所", data.address), ("会社名", data.company_name), ("代表者名", data.representative))),
    ]

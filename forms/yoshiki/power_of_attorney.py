"""委任状（様式2）[002 様式2]。

代理人が入札するときに入札書と一緒に出す。委任者（代表者）の記名押印と、代理人の所在地・
所属役職・氏名と使用印鑑。委任状のない代理人の入札は無効 [002 入札心得 第11条]。
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from forms.blocks import Addressee, Block, DateLine, Paragraph, SealBox, Spacer, Title
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

CODE = "power_of_attorney"
TITLE = "委任状"
SOURCE = "[002 様式2]"

#: 委任する権限 [002 様式2]。
POWERS = "私は、下記の者を代理人と定め、{title}の入札に関する一切の権限を委任します。"


@dataclass
class PowerOfAttorneyData:
    """委任状の記載事項：委任者（入札者の代表者）と代理人。"""

    case_title: str
    principal_address: str
    principal_name: str
    representative: str
    agent_address: str
    agent_position: str
    agent_name: str
    date: date | None = None
    addressee: list[str] = field(default_factory=lambda: [SAMPLE_AUTHORITY, SAMPLE_AUTHORITY_HEAD])


DATA_CLASS = PowerOfAttorneyData


def sample() -> PowerOfAttorneyData:
    return PowerOfAttorneyData(
        case_title=SAMPLE_CASE_TITLE,
        principal_address=SAMPLE_COMPANY_ADDRESS,
        principal_name=SAMPLE_COMPANY,
        representative=SAMPLE_REPRESENTATIVE,
        agent_address="東京都港区芝浦五丁目3番2号 公共事業本部",
        agent_position="公共事業本部 営業部長",
        agent_name="中村　健太",
        date=SAMPLE_DATE,
    )


def layout(data: PowerOfAttorneyData) -> list[Block]:
    return [
        Paragraph("（様式2）", size="small"),
        DateLine(data.date),
        Addressee(tuple(data.addressee)),
        SealBox(
            (
                ("所在地", data.principal_address),
                ("商号又は名称", data.principal_name),
                ("代表者氏名", data.representative),
            )
        ),
        # [002 様式2] 「代表者 氏名 (又は代理人) 印」: a 復代理人 is appointed by the 代理人.
        Paragraph("（又は代理人）", size="small", align="right"),
        Spacer(4),
        Title(TITLE),
        Paragraph(POWERS.format(title=quoted(data.case_title)), indent=1),
        Spacer(4),
        Paragraph("記", align="center"),
        SealBox(
            (
                ("所在地", data.agent_address),
                ("所属・役職名", data.agent_position),
                ("氏名", data.agent_name),
                ("使用印鑑", ""),
            ),
            heading="代理人（又は復代理人）",
        ),
        Paragraph("以上", align="right"),
    ]

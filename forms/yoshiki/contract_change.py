"""変更契約書 [000・002 契約書 第12条]。

締結した契約の納入物件、納期、契約金額その他の契約内容を甲乙の合意で変える書面。変更の事由は
第12条第1項の一～四のいずれか、変更は合意の成立と同時に効力を生じ、変更の合意がない条項は元の
契約のとおり（同第2項）。変更前と変更後を並べ、契約金額は税込と消費税額（1円未満切捨て）を示す。
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from forms.blocks import Block, DateLine, FieldTable, Paragraph, Signature, Table, Title
from forms.yoshiki._common import (
    SAMPLE_AUTHORITY,
    SAMPLE_AUTHORITY_ADDRESS,
    SAMPLE_AUTHORITY_HEAD,
    SAMPLE_CASE_TITLE,
    SAMPLE_COMPANY,
    SAMPLE_COMPANY_ADDRESS,
    SAMPLE_REPRESENTATIVE,
    quoted,
)
from tender.rules.wareki import format_wareki

CODE = "contract_change"
TITLE = "変更契約書"
SOURCE = "[000・002 契約書 第12条]"

#: 変更の事由 [000・002 契約書 第12条第1項]。
GROUNDS = {
    "spec": "一 仕様書及び提案書その他契約条件の変更（乙に帰責事由ある場合を除く。）",
    "force_majeure": "二 天災地変、著しい経済情勢の変動、不可抗力その他やむを得ない事由に基づく諸条件の変更",
    "law": "三 税法その他法令の制定又は改廃",
    "value_engineering": "四 価格に影響のある技術変更提案の実施",
}


@dataclass
class ChangeRow:
    """変更する事項の一行：項目、変更前、変更後（表示用の文字列）。"""

    item: str
    before: str
    after: str


@dataclass
class ContractChangeData:
    change_number: int
    contract_number: str
    signed_on: date
    case_title: str
    contractor_name: str
    contractor_address: str
    contractor_representative: str
    ground: str
    reason: str
    rows: list[ChangeRow] = field(default_factory=list)
    date: date | None = None
    authority: str = SAMPLE_AUTHORITY
    authority_address: str = SAMPLE_AUTHORITY_ADDRESS
    authority_head: str = SAMPLE_AUTHORITY_HEAD

    def __post_init__(self) -> None:
        if self.ground not in GROUNDS:
            raise ValueError(f"変更の事由は {', '.join(GROUNDS)} のいずれかです。")


DATA_CLASS = ContractChangeData


def sample() -> ContractChangeData:
    return ContractChangeData(
        change_number=1,
        contract_number="2026 デ調第0123号",
        signed_on=date(2026, 7, 1),
        case_title=SAMPLE_CASE_TITLE,
        contractor_name=SAMPLE_COMPANY,
        contractor_address=SAMPLE_COMPANY_ADDRESS,
        contractor_representative=SAMPLE_REPRESENTATIVE,
        ground="spec",
        reason="事業進捗支援の件数を15件から18件に増やすため。",
        rows=[ChangeRow("契約金額", "金13,579,500円（うち消費税及び地方消費税の額 金1,234,500円）",
                        "金15,229,500円（うち消費税及び地方消費税の額 金1,384,500円）"),
              ChangeRow("契約期間", "令和8年7月1日から\n令和9年3月31日まで", "令和8年7月1日から\n令和9年6月30日まで")],
        date=date(2026, 11, 2),
    )


def layout(data: ContractChangeData) -> list[Block]:
    return [
        Paragraph(f"{data.contract_number}（第{data.change_number}回変更）", align="right"),
        Title(TITLE),
        FieldTable((("件名", quoted(data.case_title)),
                    ("原契約", f"{format_wareki(data.signed_on)}締結　契約番号 {data.contract_number}")), label_width=18),
        Paragraph(
            f"{data.authority}（以下「甲」という。）と{data.contractor_name}（以下「乙」という。）とは、"
            f"{format_wareki(data.signed_on)}に締結した{quoted(data.case_title)}に関する請負契約（以下「原契約」という。）の"
            "一部を、原契約第12条第1項の規定により、次のとおり変更する。",
            indent=1,
        ),
        Table(("変更する事項", "変更前", "変更後"),
              tuple((row.item, row.before, row.after) for row in data.rows),
              column_widths=(20, 40, 40), aligns=("left", "left", "left"), caption="変更の内容"),
        FieldTable((("変更の事由", f"原契約第12条第1項第{GROUNDS[data.ground]}"), ("変更の理由", data.reason)),
                   label_width=18),
        Paragraph("この変更は、甲乙の合意の成立と同時に効力を生じる。原契約の各条項のうち変更の合意がない部分は、"
                  "原契約の規定内容が引き続き有効に適用される（原契約第12条第2項）。", indent=1),
        Paragraph("この契約の締結を証するため、本書2通を作成し、甲乙記名押印の上、各自1通を保有する。", indent=1),
        DateLine(data.date, align="left"),
        Signature((
            ("甲", (data.authority_address, data.authority, data.authority_head)),
            ("乙", (data.contractor_address, data.contractor_name, data.contractor_representative)),
        )),
    ]

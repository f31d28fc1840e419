"""情報管理体制図（事前確認公募 様式4）[000 様式4、002 V. 評価項目一覧 ※情報管理体制図に記載すべき事項]。

情報管理責任者 → 情報取扱管理者 → 業務従事者（再委託先を含む）の入れ子を、字下げした行で表す。
図形は描かない（PDF と Word で同じに見え、読み上げ・検索もできる）。
"""
from __future__ import annotations

from dataclasses import dataclass, field

from forms.blocks import Block, Cell, Heading, Paragraph, Table, Title
from forms.yoshiki._common import SAMPLE_CASE_TITLE, SAMPLE_COMPANY, quoted

CODE = "information_structure"
TITLE = "情報管理体制図"
SOURCE = "[000 様式4]"

NOTES = (
    "・本業務の遂行にあたって保護すべき情報を取り扱う全ての者。（再委託先も含む。）",
    "・本業務の遂行のため最低限必要な範囲で情報取扱者を設定し記載すること。",
    "・情報管理規則等を有している場合は、情報管理規則等の内規の添付で代用可能。",
)


@dataclass
class StructureNode:
    """体制の一つの役割：役割名、氏名、所属、担う範囲、その下の役割。"""

    role: str
    name: str
    affiliation: str
    duty: str = ""
    members: list[StructureNode] = field(default_factory=list)


@dataclass
class InformationStructureData:
    case_title: str
    company_name: str
    #: None: the blank form — the roles of the original (責任者, 管理者, 従事者, 再委託先) with room to write.
    root: StructureNode | None
    rules: str = ""  # 情報管理規則等の名称（添付する場合）


DATA_CLASS = InformationStructureData


def sample() -> InformationStructureData:
    N = StructureNode
    return InformationStructureData(
        case_title=SAMPLE_CASE_TITLE,
        company_name=SAMPLE_COMPANY,
        root=N(
            "情報管理責任者", "石田　浩二", "公共事業本部 本部長", "情報取扱の全ての責任",
            members=[
                N("情報取扱管理者", "佐藤　由紀", "第二営業部 主任", "進捗管理・発注者との窓口",
                  members=[
                      N("業務従事者", "林　彩花", "第二開発部", "報告書の作成・集計"),
                      N("業務従事者", "グエン・ヴァン・アン", "第二開発部", "データの集計・分析"),
                  ]),
                N("情報取扱管理者", "松本　拓也", "品質管理部 課長", "納入物件のレビュー",
                  members=[
                      N("再委託先", "小川　誠一", "株式会社はやぶさクラウド 運用部", "集計基盤の運用（個人情報は扱わない）"),
                  ]),
            ],
        ),
        rules="情報セキュリティ管理規程（第4版）",
    )


def _rows(node: StructureNode, depth: int) -> list[tuple]:
    mark = "└ " if depth else ""
    rows = [(Cell(f"{mark}{node.role}", indent=depth), node.name, node.affiliation, node.duty)]
    for member in node.members:
        rows.extend(_rows(member, depth + 1))
    return rows


def _blank_root() -> StructureNode:
    N = StructureNode
    return N("情報管理責任者", "", "", "", members=[
        N("情報取扱管理者", "", "", "", members=[N("業務従事者", "", "", ""), N("業務従事者", "", "", "")]),
        N("再委託先", "", "", "")])


def layout(data: InformationStructureData) -> list[Block]:
    blocks: list[Block] = [
        Paragraph("（様式4）", size="small"),
        Title(TITLE),
        Paragraph(f"件名：{quoted(data.case_title)}"),
        Paragraph(f"事業者名：{data.company_name}"),
        Table(
            ("役割", "氏名", "所属・役職", "担う範囲"),
            tuple(_rows(data.root or _blank_root(), 0)),
            column_widths=(26, 25, 26, 23),
            min_row_height=None if data.root else 12,
            caption="体制（字下げは指揮系統：上の役割の下に置かれる者）",
        ),
    ]
    if data.rules:
        blocks.append(Paragraph(f"添付する内規：{data.rules}"))
    blocks.append(Heading("【情報管理体制図に記載すべき事項】"))
    blocks.extend(Paragraph(note, size="small", hanging=1) for note in NOTES)
    return blocks

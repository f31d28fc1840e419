"""評価項目一覧 [002 V. 評価項目一覧、IV. 入札資料作成要領 第2章]。

三つの表：
1. 遵守確認事項：入札者が各項目に ○ か × を記入する（一つでも × なら一次評価で不合格）。
2. 提案要求事項：大項目・中項目・小項目の下の要求事項ごとに、必須（基礎点）か任意（加点）か、
   得点配分、入札者が記入する提案書頁番号。
3. 添付資料：提案の要否（必須・任意）と提案書頁番号。

項目 ID（item_id）は表計算（render_xlsx）の A 列に置き、入札者が記入して返したファイルを
読み戻すときの鍵にする。得点は DOMAIN §7 の表（技術点 220 = 基礎点 86 + 加点 134）。
"""
from __future__ import annotations

from dataclasses import dataclass, field

from forms.blocks import Block, Cell, Paragraph, Table, Title
from forms.yoshiki._common import SAMPLE_AUTHORITY, SAMPLE_CASE_TITLE, quoted

CODE = "evaluation_items"
TITLE = "評価項目一覧"
SOURCE = "[002 V. 評価項目一覧]"
VERSION = "1"
PAGE_NUMBERS = True
LANDSCAPE = True

#: 遵守確認欄に書けるもの。
MARKS = ("○", "×")


@dataclass
class ComplianceItem:
    """遵守確認事項の一行。confirmed は入札者が記入する ○/×（空欄可）。"""

    item_id: str
    heading: str
    description: str
    confirmed: str = ""

    def __post_init__(self) -> None:
        if self.confirmed not in ("",) + MARKS:
            raise ValueError("遵守確認は ○ か × で記入してください。")


@dataclass
class RequirementItem:
    """提案要求事項の一行。mandatory（必須）なら基礎点、任意なら加点をもつ。"""

    item_id: str
    major: str
    middle: str
    minor: str
    requirement: str
    mandatory: bool
    points: int
    page_ref: str = ""

    @property
    def base_points(self) -> int:
        return self.points if self.mandatory else 0

    @property
    def bonus_points(self) -> int:
        return 0 if self.mandatory else self.points


@dataclass
class AttachmentItem:
    item_id: str
    major: str
    minor: str
    content: str
    mandatory: bool
    page_ref: str = ""


@dataclass
class EvaluationItemsData:
    case_title: str
    authority: str
    compliance: list[ComplianceItem]
    requirements: list[RequirementItem]
    attachments: list[AttachmentItem] = field(default_factory=list)
    bidder_name: str = ""

    def __post_init__(self) -> None:
        ids = [i.item_id for i in self.compliance] + [i.item_id for i in self.requirements]
        ids += [i.item_id for i in self.attachments]
        if len(ids) != len(set(ids)):
            raise ValueError("項目 ID が重複しています。")

    @property
    def base_total(self) -> int:
        return sum(item.base_points for item in self.requirements)

    @property
    def bonus_total(self) -> int:
        return sum(item.bonus_points for item in self.requirements)

    @property
    def total(self) -> int:
        return self.base_total + self.bonus_total


DATA_CLASS = EvaluationItemsData

#: 遵守確認事項の大項目 [002 V. 1.]。
COMPLIANCE_MAJOR = "0 遵守確認事項"

_M1 = "1 業務の実施方針等"
_M2 = "2 組織の経験・能力"
_M3 = "3 業務従事者の経験・能力"
_M4 = "4 ワーク・ライフ・バランス等の推進に関する指標"
_MID_12 = "1.2 業務方法の妥当性、独創性"

# (項目ID, 大項目, 中項目, 小項目, 要求事項, 必須か, 得点) [002 V. 2.、DOMAIN §7]。
_REQUIREMENTS = (
    ("1.1-1", _M1, "1.1 業務全般", "", "Ⅲ.仕様書の内容について、本業務の背景・目的・業務内容を十分理解の上、全て記載されているか。", True, 11),
    ("1.2.1-1", _M1, _MID_12, "1.2.1 説明会等の実施状況の把握", "各事業者が開催する説明会等について、実施状況の把握方法を記載しており、妥当なものとなっているか。", True, 5),
    ("1.2.1-2", _M1, _MID_12, "1.2.1 説明会等の実施状況の把握", "説明会等関係資料が事業主旨に沿ったものか確認する方法を記載しており、妥当なものとなっているか。", True, 5),
    ("1.2.2-1", _M1, _MID_12, "1.2.2 実証参加企業の募集状況の確認", "各事業者が行う実証参加企業の募集状況について、確認方法を記載しており、妥当なものとなっているか。", True, 5),
    ("1.2.2-2", _M1, _MID_12, "1.2.2 実証参加企業の募集状況の確認", "実証参加企業数の目標到達までの進捗確認方法、及び懸念等がある場合の対応方法について、具体的かつ有効な提案がされているか。", False, 15),
    ("1.2.2-3", _M1, _MID_12, "1.2.2 実証参加企業の募集状況の確認", "事業案内チラシ等の資料のひな形作成と運用について、具体的かつ有効な提案がされているか。", False, 10),
    ("1.2.3-1", _M1, _MID_12, "1.2.3 中小企業の実態把握方法の確認", "各事業者が行う中小企業の実態把握について、実施状況の確認方法を記載しており、妥当なものとなっているか。", True, 5),
    ("1.2.3-2", _M1, _MID_12, "1.2.3 中小企業の実態把握方法の確認", "中小企業の実態把握の実施に懸念等がある場合の対応方法について、具体的かつ有効な提案がされているか。", False, 10),
    ("1.2.4-1", _M1, _MID_12, "1.2.4 地域実証の実施状況の確認", "各事業者が行うサイバーセキュリティ対策支援の地域実証について、実施状況の確認方法を記載しており、妥当なものとなっているか。", True, 5),
    ("1.2.4-2", _M1, _MID_12, "1.2.4 地域実証の実施状況の確認", "サイバーインシデントが発生した場合の状況把握方法について、具体的かつ有効な提案がされているか。", False, 15),
    ("1.2.4-3", _M1, _MID_12, "1.2.4 地域実証の実施状況の確認", "地域実証の実施において生じる課題等について、解決に向けた提案、助言等の支援方法が具体的に提案されており、有効なものとなっているか。", False, 10),
    ("1.2.5-1", _M1, _MID_12, "1.2.5 報告会等の実施状況の把握", "各事業者が開催する報告会等について、実施状況の把握方法を記載しており、妥当なものとなっているか。", True, 5),
    ("1.2.5-2", _M1, _MID_12, "1.2.5 報告会等の実施状況の把握", "報告会等関係資料が事業主旨に沿ったものか確認する方法を記載しており、妥当なものとなっているか。", True, 5),
    ("1.2.6-1", _M1, _MID_12, "1.2.6 成果報告書の作成支援", "各事業者が作成する成果報告書について、品質確保の方法を記載しており、妥当なものとなっているか。", True, 5),
    ("1.2.6-2", _M1, _MID_12, "1.2.6 成果報告書の作成支援", "報告書作成要領の作成について、具体的かつ有効な提案がされているか。", False, 10),
    ("1.2.6-3", _M1, _MID_12, "1.2.6 成果報告書の作成支援", "報告書作成の進捗状況の把握方法について、具体的かつ有効な提案がされているか。", False, 10),
    ("1.2.7-1", _M1, _MID_12, "1.2.7 その他支援業務の実施方法", "事業者を集めた連絡会議について、開催方法を記載しており、妥当なものとなっているか。", True, 5),
    ("1.2.8-1", _M1, _MID_12, "1.2.8 実施報告書の作成", "報告書の作成について、報告書の構成や内容の案が記載されており、妥当なものとなっているか。", True, 5),
    ("1.3-1", _M1, "1.3 作業計画の妥当性、効率性", "", "日程等に無理がなく、実行可能な作業スケジュールとなっているか。", True, 5),
    ("1.3-2", _M1, "1.3 作業計画の妥当性、効率性", "", "業務を効果的・効率的に進めるための工夫がなされており、その有効性についての説明がなされているか。", False, 15),
    ("2.1-1", _M2, "2.1 業務の実施能力、実施体制", "", "業務の役割を定め、実動可能な人数の確保がされているか。", True, 5),
    ("2.1-2", _M2, "2.1 業務の実施能力、実施体制", "", "納入物件等の事前レビュー体制が整備されているか。", True, 5),
    ("2.1-3", _M2, "2.1 業務の実施能力、実施体制", "", "適切な情報管理体制が確保されているか。また、情報取扱担当者以外の者が、情報に接することができないか。", True, 5),
    ("2.1-4", _M2, "2.1 業務の実施能力、実施体制", "", "業務に当たる者に欠員が生じた場合は、速やかに同等又はそれ以上の経験を有する代替者を充てられる体制が整えられているか。", False, 10),
    ("2.2-1", _M2, "2.2 類似業務の経験", "", "組織として、本業務の実施に有効な実績を有していることが説明されているか。", False, 10),
    ("3.1-1", _M3, "3.1 業務従事者の実績・資格、専門知識、適格性", "", "実施要員に、プロジェクト管理に関する実施経験を有した者を含めているか。", True, 5),
    ("3.1-2", _M3, "3.1 業務従事者の実績・資格、専門知識、適格性", "", "実施要員は、本件に類似した業務等、本業務の実施に有効な経験や資格・専門知識を有していることが説明されているか。", False, 10),
    ("4-1", _M4, "", "", "企業として、女性活躍推進法に基づく認定（えるぼし・プラチナえるぼし）、次世代法に基づく認定（くるみん・プラチナくるみん）、若者雇用促進法に基づく認定（ユースエール）のいずれかに該当するワーク・ライフ・バランスの取組を推進しているか。", False, 9),
)

_COMPLIANCE = (
    ("0.1", "納入物件", "報告書等の各種資料は日本語で作成し、図表等は本文中に挿入すること（ただし、固有名詞や文献参照等に外国語表記を用いることは可能）。"),
    ("0.2", "業務の範囲", "Ⅲ.仕様書「4. 業務内容」に記載している項目を一括して受託すること（部分についての提案は認めない）。"),
    ("0.3", "業務従事者の経験・能力", "Ⅲ.仕様書「5. 業務の実施体制」に記載している実施要員に関する要件を満たすこと。"),
    ("0.4", "情報の取り扱い", "Ⅲ.仕様書「6. 情報セキュリティに関する事項」に記載している情報の取り扱い等に関する要件を守ること。"),
    ("0.5", "スケジュール", "業務実施計画を明確に定めた上で工程管理を行い、納入期限を守ること。"),
)

_ATTACHMENTS = (
    ("5.1-1", "5 添付資料", "5.1 実施体制及び業務担当者の専門性・実績", "入札者の概要の分かる資料", False),
    ("5.1-2", "5 添付資料", "5.1 実施体制及び業務担当者の専門性・実績", "業務履行のための体制図", True),
    ("5.1-3", "5 添付資料", "5.1 実施体制及び業務担当者の専門性・実績", "各業務担当者の所属・専門性（情報セキュリティに係る資格・研修実績等）・実績に関する情報", True),
    ("5.1-4", "5 添付資料", "5.1 実施体制及び業務担当者の専門性・実績", "受託者の情報管理体制がわかる「情報管理体制図」、情報を取扱う者の氏名・住所・生年月日・所属部署・役職・国籍等がわかる「情報取扱者名簿」", True),
    ("5.2-1", "5 添付資料", "5.2 会社としての実績", "本業務の類似案件実績", False),
    ("5.2-2", "5 添付資料", "5.2 会社としての実績", "本業務に有用な領域での資格、実績等", False),
    ("5.2-3", "5 添付資料", "5.2 会社としての実績", "ワーク・ライフ・バランス等の推進に関する認定通知書等の写し", False),
    ("5.3-1", "5 添付資料", "5.3 その他", "その他提案内容を補足する説明、業務実施における前提条件等", False),
)


def sample() -> EvaluationItemsData:
    return EvaluationItemsData(
        case_title=SAMPLE_CASE_TITLE,
        authority=SAMPLE_AUTHORITY,
        compliance=[ComplianceItem(*row) for row in _COMPLIANCE],
        requirements=[RequirementItem(*row) for row in _REQUIREMENTS],
        attachments=[AttachmentItem(*row) for row in _ATTACHMENTS],
    )


def category(mandatory: bool) -> str:
    return "必須" if mandatory else "任意"


def _dash(points: int) -> str:
    return str(points) if points else "-"


def group_totals(data: EvaluationItemsData) -> dict[tuple[str, str], int]:
    """得点配分の「合計」：(大項目, 中項目) ごとの基礎点と加点の和 [002 V. 2.（1.1 は 11、1.2 は 130 …）]。"""
    totals: dict[tuple[str, str], int] = {}
    for item in data.requirements:
        key = (item.major, item.middle)
        totals[key] = totals.get(key, 0) + item.points
    return totals


def requirement_rows(data: EvaluationItemsData) -> list[tuple]:
    """提案要求事項の表の行：大項目が変わるところに見出し行、中項目・小項目は変わったときだけ書く。
    得点配分の「合計」は、原本どおり中項目（中項目のない大項目は大項目）の最初の行に書く。"""
    rows: list[tuple] = []
    totals = group_totals(data)
    major = middle = minor = None
    for item in data.requirements:
        if item.major != major:
            rows.append((Cell(item.major, colspan=8, bold=True, shade=True),))
            major, middle, minor = item.major, None, None
            first_of_group = True
        else:
            first_of_group = item.middle != middle
        show_middle = item.middle if item.middle != middle else ""
        show_minor = item.minor if (item.minor != minor or show_middle) else ""
        middle, minor = item.middle, item.minor
        heading = "\n".join(part for part in (show_middle, show_minor) if part)
        rows.append(
            (
                item.item_id,
                heading,
                item.requirement,
                category(item.mandatory),
                _dash(item.base_points),
                _dash(item.bonus_points),
                str(totals[(item.major, item.middle)]) if first_of_group else "",
                item.page_ref,
            )
        )
    return rows


def layout(data: EvaluationItemsData) -> list[Block]:
    # 原本の大項目の行：「0 遵守確認事項」と「5 添付資料」（添付資料は各行の大項目ごと）。
    compliance = ((Cell(COMPLIANCE_MAJOR, colspan=4, bold=True, shade=True),),) + tuple(
        (item.item_id, item.heading, item.description, item.confirmed) for item in data.compliance
    ) if data.compliance else ()
    requirements = tuple(requirement_rows(data))
    attachment_rows: list[tuple] = []
    attachment_major = None
    for item in data.attachments:
        if item.major != attachment_major:
            attachment_rows.append((Cell(item.major, colspan=5, bold=True, shade=True),))
            attachment_major = item.major
        attachment_rows.append((item.item_id, item.minor, item.content, category(item.mandatory), item.page_ref))
    attachments = tuple(attachment_rows)
    blocks: list[Block] = [
        Title(TITLE, subtitle=quoted(data.case_title)),
        Paragraph(data.authority, align="right"),
    ]
    if data.bidder_name:
        blocks.append(Paragraph(f"入札者：{data.bidder_name}", align="right"))
    blocks += [
        Table(
            ("項番", "小項目", "内容説明", "遵守確認"),
            compliance,
            column_widths=(7, 18, 63, 12),
            aligns=("center", "left", "left", "center"),
            caption="1. 評価項目一覧－遵守確認事項－（遵守確認欄に ○ 又は × を記入すること）",
            small=True,
        ),
        Table(
            ("項番", "中項目・小項目", "提案要求事項", "評価区分", "得点配分\n基礎点", "得点配分\n加点", "得点配分\n合計",
             "提案書頁番号"),
            requirements,
            column_widths=(7, 20, 43, 6, 6, 6, 6, 6),
            aligns=("center", "left", "left", "center", "right", "right", "right", "center"),
            totals_row=(
                Cell("合計", colspan=4, align="center"),
                str(data.base_total),
                str(data.bonus_total),
                str(data.total),
                "",
            ),
            caption="2. 評価項目一覧－提案要求事項－（提案書頁番号欄に該当する提案書の頁番号を記入すること）",
            small=True,
        ),
        Table(
            ("項番", "小項目", "資料内容", "提案の要否", "提案書頁番号"),
            attachments,
            column_widths=(7, 26, 51, 8, 8),
            aligns=("center", "left", "left", "center", "center"),
            caption="3. 添付資料",
            small=True,
        ),
        Paragraph(
            f"技術点の満点 {data.total}点（基礎点 {data.base_total}点、加点 {data.bonus_total}点）。"
            "必須の項目を一つでも満たさないときは不合格とする。",
            size="small",
        ),
    ]
    return blocks

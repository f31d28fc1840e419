"""情報取扱者名簿（事前確認公募 様式3）[000 様式3、002 V. 評価項目一覧 ※情報取扱者名簿に記載すべき事項]。

本業務で保護すべき情報を取り扱う者の氏名・個人住所・生年月日・所属部署・役職・国籍・
パスポート番号。個人情報なので、利用は目的の範囲に限り、受領・使用・提供・複製・消去を記録する
（DOMAIN §11）。行が多いときは表がページをまたぎ、見出し行を各ページに繰り返す。
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from forms.blocks import Block, Paragraph, Table, Title
from forms.yoshiki._common import SAMPLE_CASE_TITLE, SAMPLE_COMPANY, quoted
from tender.rules.wareki import format_wareki

CODE = "information_handlers"
TITLE = "情報取扱者名簿"
SOURCE = "[000 様式3]"
PAGE_NUMBERS = True
LANDSCAPE = True

#: 区分 [000 様式3 ※1〜※3]。
ROLES = ("情報管理責任者", "情報取扱管理者", "業務従事者", "再委託先")

NOTES = (
    "（※1）情報管理責任者：受託事業者としての情報取扱の全ての責任を有する者。必ず明記すること。",
    "（※2）情報取扱管理者：本業務の遂行にあたって主に保護すべき情報を取り扱う者ではないが、本業務の進捗状況"
    "などの管理を行うもので、保護すべき情報を取り扱う可能性のある者。",
    "（※3）業務従事者：本業務の遂行にあたって保護すべき情報を取り扱う可能性のある者。",
    "（※4）日本国籍を有する者及び法務大臣から永住の許可を受けた者（入管特例法の「特別永住者」を除く。）以外の"
    "者は、パスポート番号等及び国籍を記載。",
    "（※5）個人住所、生年月日については、必ずしも契約前に提出することを要しないが、その場合であっても担当部門から"
    "求められた場合は速やかに提出すること。",
)


@dataclass
class InformationHandler:
    """名簿の一行。role は ROLES のいずれか。"""

    role: str
    name: str
    kana: str
    address: str
    birth_date: date | None
    department: str
    position: str
    nationality: str = "日本"
    passport_number: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"区分は {', '.join(ROLES)} のいずれかです: {self.role!r}")


@dataclass
class InformationHandlersData:
    case_title: str
    company_name: str
    handlers: list[InformationHandler] = field(default_factory=list)


DATA_CLASS = InformationHandlersData


def sample() -> InformationHandlersData:
    H = InformationHandler
    return InformationHandlersData(
        case_title=SAMPLE_CASE_TITLE,
        company_name=SAMPLE_COMPANY,
        handlers=[
            H("情報管理責任者", "石田　浩二", "いしだ　こうじ", "東京都品川区東大井一丁目2番3号",
              date(1967, 9, 12), "公共事業本部", "本部長"),
            H("情報取扱管理者", "佐藤　由紀", "さとう　ゆき", "神奈川県川崎市中原区新丸子町4番5号",
              date(1988, 2, 3), "公共事業本部 第二営業部", "主任"),
            H("情報取扱管理者", "松本　拓也", "まつもと　たくや", "東京都江東区豊洲六丁目7番8号",
              date(1982, 11, 20), "公共事業本部 品質管理部", "課長"),
            H("業務従事者", "林　彩花", "はやし　あやか", "埼玉県さいたま市浦和区高砂九丁目1番2号",
              date(1995, 5, 30), "公共事業本部 第二開発部", "担当"),
            H("業務従事者", "グエン・ヴァン・アン", "ぐえん・ゔぁん・あん", "東京都大田区蒲田三丁目4番5号",
              date(1993, 7, 14), "公共事業本部 第二開発部", "担当", "ベトナム", "C1234567"),
            H("再委託先", "小川　誠一", "おがわ　せいいち", "千葉県千葉市中央区富士見二丁目3番4号",
              date(1979, 1, 8), "株式会社はやぶさクラウド 運用部", "部長"),
        ],
    )


#: 白紙の名簿の行（原本の A〜F）：区分と、その区分の行数。
BLANK_ROWS = (("情報管理責任者", 1), ("情報取扱管理者", 2), ("業務従事者", 2), ("再委託先", 1))
_ROLE_NOTES = {"情報管理責任者": "（※1）", "情報取扱管理者": "（※2）", "業務従事者": "（※3）", "再委託先": ""}


def _letter(index: int) -> str:
    """行の記号：A, B, …, Z, AA, AB, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def layout(data: InformationHandlersData) -> list[Block]:
    # 原本どおり、区分ごとに行をまとめ（区分は最初の行にだけ書く）、行に A, B, … の記号を振る。
    # 白紙の名簿は原本の A〜F の行（情報管理責任者1、情報取扱管理者2、業務従事者2、再委託先1）を出す。
    if data.handlers:
        entries = [(h.role, (f"{h.kana}\n{h.name}", h.address,
                             format_wareki(h.birth_date) if h.birth_date else "", h.department, h.position,
                             "" if h.nationality == "日本" and not h.passport_number
                             else "　".join(p for p in (h.passport_number, h.nationality) if p)))
                   for h in sorted(data.handlers, key=lambda h: ROLES.index(h.role))]
    else:
        entries = [(role, ("", "", "", "", "", "")) for role, count in BLANK_ROWS for _ in range(count)]
    rows = []
    previous = None
    for index, (role, cells) in enumerate(entries):
        label = f"{role}{_ROLE_NOTES[role]}" if role != previous else ""
        previous = role
        rows.append((label, _letter(index), *cells))
    return [
        Paragraph("（様式3）", size="small"),
        Title(TITLE),
        Paragraph(f"件名：{quoted(data.case_title)}"),
        Paragraph(f"事業者名：{data.company_name}"),
        Table(
            ("区分", "", "（しめい）\n氏名", "個人住所", "生年月日", "所属部署", "役職", "パスポート番号及び国籍（※4）"),
            tuple(rows),
            column_widths=(15, 3, 14, 21, 13, 13, 8, 13),
            aligns=("left", "center", "left", "left", "left", "left", "left", "left"),
            repeat_header=True,
            small=True,
            min_row_height=12 if not data.handlers else None,
        ),
        *(Paragraph(note, size="small", hanging=4) for note in NOTES),
    ]

"""会社概要（事前確認公募 様式2、2ページ）[000 様式2 会社概要 (1/2)・(2/2)]。

1ページ目：会社の基本情報・沿革・主要役員・主要株主・関連企業。2ページ目：担当者の連絡先、
3期分の業績（百万円）、主要取引先と売上高、返済・税金の遅滞の有無。
金額は百万円単位の整数、株式の構成比は持株数と発行済株式総数から求める（float を使わない）。
"""
from __future__ import annotations

from dataclasses import dataclass, field

from forms.blocks import Block, Cell, CellValue, FieldTable, PageBreak, Paragraph, Table, Title
from forms.yoshiki._common import SAMPLE_COMPANY, SAMPLE_COMPANY_ADDRESS

CODE = "company_profile"
TITLE = "会社概要"
SOURCE = "[000 様式2]"


@dataclass
class Officer:
    """主要役員。非常勤は役職名の前に○印を付けて表す。"""

    name: str
    age: int
    position: str
    department: str
    career: str
    non_executive: bool = False


@dataclass
class Shareholder:
    name: str
    shares: int
    relation: str = ""


@dataclass
class PeriodResult:
    """一期分の業績（百万円）。label は「前々期（確定）」など、period は「2023/4〜2024/3」。"""

    label: str
    period: str
    sales: int
    operating_profit: int
    ordinary_profit: int
    equity: int
    retained_earnings: int
    borrowings: int
    time_deposits: int


@dataclass
class Customer:
    name: str
    sales: int  # 直近決算時点の売上高（百万円）


@dataclass
class CompanyProfileData:
    """会社概要の記載事項（金額は百万円）。"""

    company_name: str
    representative: str
    url: str
    head_office: str
    established_year: int | None
    established_month: int | None
    main_bank: str
    capital: int | None
    capital_group: str
    employees: int | None
    associations: str
    history: str
    officers: list[Officer]
    total_shares: int | None
    shareholders: list[Shareholder]
    related_companies: str
    main_suppliers: str
    contact_address: str
    contact_name: str
    contact_phone: str
    contact_fax: str
    contact_email: str
    results: list[PeriodResult]
    customers: list[Customer] = field(default_factory=list)
    debt_delay: bool | None = None
    tax_delay: bool | None = None

    def __post_init__(self) -> None:
        # A blank form (forms.blank) leaves every figure empty (None) for the company to write in.
        if self.total_shares is None:
            if self.shareholders:
                raise ValueError("主要株主を書くときは発行済株式総数も書いてください。")
            return
        if self.total_shares <= 0:
            raise ValueError("発行済株式総数は1以上にしてください。")
        if sum(holder.shares for holder in self.shareholders) > self.total_shares:
            raise ValueError("主要株主の持株数の合計が発行済株式総数を超えています。")


DATA_CLASS = CompanyProfileData


def sample() -> CompanyProfileData:
    return CompanyProfileData(
        company_name=SAMPLE_COMPANY,
        representative="代表取締役　青木　美咲",
        url="https://sakura-is.example.jp/",
        head_office=f"〒108-0023 {SAMPLE_COMPANY_ADDRESS}",
        established_year=1998,
        established_month=4,
        main_bank="みなと銀行 芝浦支店",
        capital=150,
        capital_group="独立系",
        employees=240,
        associations="一般社団法人 情報サービス産業協会（架空）",
        history=(
            "1998年4月 東京都港区にて設立\n"
            "2006年10月 官公庁向けウェブサイト構築事業を開始\n"
            "2015年3月 ISMS（ISO/IEC 27001）認証取得\n"
            "2021年7月 大阪事業所を開設"
        ),
        officers=[
            Officer("青木　美咲", 52, "代表取締役", "経営全般", "情報工学科卒。SIer を経て当社設立"),
            Officer("石田　浩二", 58, "取締役", "公共事業本部", "公共システム開発に30年従事"),
            Officer("森　真理子", 47, "取締役", "管理本部", "公認会計士"),
            Officer("川口　大輔", 61, "監査役", "監査", "元金融機関勤務", non_executive=True),
        ],
        total_shares=20_000,
        shareholders=[
            Shareholder("青木　美咲", 8_000, "代表取締役"),
            Shareholder("さくら従業員持株会", 5_000, "従業員持株会"),
            Shareholder("株式会社みなとキャピタル", 3_000, "取引先"),
        ],
        related_companies="さくらデータサービス株式会社（子会社）",
        main_suppliers="株式会社はやぶさクラウド、有限会社こだまデザイン",
        contact_address=f"〒108-0023 {SAMPLE_COMPANY_ADDRESS}",
        contact_name="公共事業本部 第二営業部　佐藤　由紀",
        contact_phone="03-5555-0123",
        contact_fax="03-5555-0124",
        contact_email="y.sato@sakura-is.example.jp",
        results=[
            PeriodResult("前々期（確定）", "2023/4〜2024/3", 3_120, 215, 220, 1_480, 160, 300, 250),
            PeriodResult("前期（確定）", "2024/4〜2025/3", 3_390, 248, 251, 1_640, 182, 260, 280),
            PeriodResult("今期（見込み）", "2025/4〜2026/3", 3_600, 270, 272, 1_820, 195, 220, 300),
        ],
        customers=[
            Customer("独立行政法人A機構（架空）", 620),
            Customer("B県（架空）", 410),
            Customer("株式会社C通信（架空）", 380),
        ],
        debt_delay=False,
        tax_delay=False,
    )


def _ratio(shares: int, total: int) -> str:
    """構成比（％、小数第1位まで、切捨て）を整数の演算で求める。"""
    tenths = shares * 1000 // total
    return f"{tenths // 10}.{tenths % 10}%"


def _million(value: int | None) -> str:
    return "　　　　百万円" if value is None else f"{value:,}百万円"


#: 白紙の会社概要の空き行の数と、業績の三期 [000 様式2]。
BLANK_LINES = 4
BLANK_PERIODS = ("前々期（確定）", "前期（確定）", "今期（見込み）")


def _either(value: bool | None) -> str:
    """原本の「有・無」（どちらかを丸で囲む）を、選んだ方を【】で示して書く。未記入なら「有・無」のまま。"""
    if value is None:
        return "有・無"
    return "【有】・無" if value else "有・【無】"


def layout(data: CompanyProfileData) -> list[Block]:
    blank = ("",) * 5
    officers = tuple(
        (
            officer.name,
            f"{officer.age}才",
            ("○" if officer.non_executive else "") + officer.position,
            officer.department,
            officer.career,
        )
        for officer in data.officers
    ) or ((("", "才", "", "", ""),) * BLANK_LINES)
    holders = tuple(
        (holder.name, f"{holder.shares:,}株", _ratio(holder.shares, data.total_shares), holder.relation)
        for holder in data.shareholders
    ) if data.total_shares else ((("", "株", "%", ""),) * BLANK_LINES)
    established = (f"西暦{data.established_year}年{data.established_month}月" if data.established_year
                   else "西暦　　　　年　　月")
    employees = "　　　　人" if data.employees is None else f"{data.employees:,}人"
    shares = "　　　　" if data.total_shares is None else f"{data.total_shares:,}"
    del blank
    page_one: list[Block] = [
        Paragraph("（様式2）", size="small"),
        Title(f"{TITLE}（1/2）"),
        FieldTable(
            (
                ("会社名", data.company_name),
                ("代表者氏名", data.representative),
                ("URL", data.url),
                ("本社住所", data.head_office),
                ("設立年月", established),
                ("主取引銀行", data.main_bank),
                ("資本金", _million(data.capital)),
                ("資本系列", data.capital_group),
                ("従業員数", employees),
                ("加盟協会", data.associations),
                ("会社の沿革", data.history),
            ),
            label_width=22,
        ),
        Table(
            ("氏名", "年齢", "役職名", "担当部門", "学歴・略歴"),
            officers,
            column_widths=(18, 9, 18, 18, 37),
            aligns=("left", "right", "left", "left", "left"),
            caption="主要役員（非常勤は役職の前に○印を記す）",
            small=True,
            min_row_height=None if data.officers else 8,
        ),
        Table(
            ("株主名", "持株数", "構成比", "貴社との関係"),
            holders,
            column_widths=(36, 18, 14, 32),
            aligns=("left", "right", "right", "left"),
            caption=f"主要株主（発行済株式総数 {shares}株）",
            small=True,
            min_row_height=None if data.shareholders else 8,
        ),
        FieldTable(
            (("関連企業", data.related_companies), ("主要外注先又は仕入先", data.main_suppliers)),
            label_width=26,
        ),
    ]
    items = (
        ("売上高", "sales"),
        ("営業利益", "operating_profit"),
        ("経常利益", "ordinary_profit"),
        ("資本勘定", "equity"),
        ("当期末処分利益", "retained_earnings"),
        ("借入残高（社債、割手含む）", "borrowings"),
        ("定期預金残高", "time_deposits"),
    )
    periods = data.results or [PeriodResult(label, "　　/　〜　　/　", None, None, None, None, None, None, None)  # type: ignore[arg-type]
                               for label in BLANK_PERIODS]
    result_width = 70 // max(len(periods), 1)
    widths = (100 - result_width * len(periods),) + (result_width,) * len(periods)
    result_rows: list[tuple[CellValue, ...]] = [
        (Cell("期間", shade=True),) + tuple(Cell(period.period, align="center") for period in periods)
    ]
    for label, attribute in items:
        result_rows.append((label,) + tuple(_million(getattr(period, attribute)) for period in periods))
    page_two: list[Block] = [
        PageBreak(),
        Title(f"{TITLE}（2/2）"),
        Paragraph("会社概要に関する担当者連絡先"),
        FieldTable(
            (
                ("所在地", data.contact_address),
                ("所属・氏名", data.contact_name),
                ("TEL・FAX", f"TEL：{data.contact_phone}　FAX：{data.contact_fax}"),
                ("E-mail", data.contact_email),
            ),
            label_width=22,
        ),
        Table(
            ("項目",) + tuple(period.label for period in periods),
            tuple(result_rows),
            column_widths=widths,
            aligns=("left",) + ("right",) * len(periods),
            caption="業績",
        ),
        Table(
            ("主要取引先", "直近決算時点における売上高"),
            tuple((customer.name, _million(customer.sales)) for customer in data.customers)
            or ((("", _million(None)),) * BLANK_LINES),
            column_widths=(60, 40),
            aligns=("left", "right"),
            caption="主要取引先とその売上高",
            min_row_height=None if data.customers else 8,
        ),
        FieldTable(
            (
                ("借入金、社債等の元本返済・利払いの遅延の有無", _either(data.debt_delay)),
                ("税金支払い遅滞の有無", _either(data.tax_delay)),
            ),
            label_width=62,
        ),
    ]
    return page_one + page_two

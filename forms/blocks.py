"""様式のレイアウトを組み立てる中立の部品（ブロック）。

各様式（forms/yoshiki/*.py）は ``layout(data) -> list[Block]`` でこの部品を並べるだけで、
HTML も Word も知らない。PDF（render_pdf）と DOCX（render_docx）の描画器はどの様式も知らず、
部品の種類だけを知る。どの部品も特定の様式の語を持たない（「入札書」などは呼び出し側が渡す）。

値はすべて表示用に整えた文字列で受け取る（和暦・金額の書式は様式の側で tender.rules を使う）。
例外は DateLine の date だけで、空欄の日付「令和　年　月　日」を描けるように date か None をとる。
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tender.rules.wareki import format_wareki

__all__ = [
    "Addressee",
    "Block",
    "Cell",
    "Clause",
    "CutLine",
    "DateLine",
    "FieldTable",
    "Heading",
    "Mark",
    "NumberedClauses",
    "PageBreak",
    "Paragraph",
    "SealBox",
    "Signature",
    "Spacer",
    "Table",
    "Title",
    "BLANK_DATE",
    "ALIGNS",
]

#: 日付欄を空けておくときの書き方（全角空白で記入欄を残す）。
BLANK_DATE = "令和　　年　　月　　日"

ALIGNS = ("left", "center", "right")


def _check_align(align: str) -> None:
    if align not in ALIGNS:
        raise ValueError(f"align は {', '.join(ALIGNS)} のいずれかです: {align!r}")


@dataclass(frozen=True)
class Title:
    """様式の表題（中央・大きめ）。subtitle は表題の下に小さく添える（例：「（控）」）。"""

    text: str
    subtitle: str | None = None


@dataclass(frozen=True)
class Mark:
    """用紙の右上に枠で囲んで示す印（例：見本から描いた様式の「見本」）。"""

    text: str


@dataclass(frozen=True)
class Heading:
    """本文中の見出し（左寄せ・ゴシック）。"""

    text: str


@dataclass(frozen=True)
class Addressee:
    """宛先。最後の行の後に敬称（殿・様）を付ける。"""

    lines: tuple[str, ...]
    honorific: str = "殿"


@dataclass(frozen=True)
class DateLine:
    """日付の行（既定は右寄せ）。date が None なら空欄「令和　　年　　月　　日」を描く。

    text を渡すと日付の代わりにその文字列を描く（日時など、様式の側で整えたもの）。
    """

    date: date | None = None
    align: str = "right"
    text: str | None = None

    def __post_init__(self) -> None:
        _check_align(self.align)

    def rendered(self) -> str:
        if self.text is not None:
            return self.text
        if self.date is None:
            return BLANK_DATE
        # 描画器が和暦を知らなくてよいよう、ここで和暦にする。
        return format_wareki(self.date)


@dataclass(frozen=True)
class Paragraph:
    """段落。text の改行はそのまま改行として描く。

    indent は左の字下げ（全角文字の数）、hanging は2行目以降だけの字下げ（ぶら下げ、全角文字の数）。
    size は "normal" か "small"（注記など）か "large"（入札金額など）。
    """

    text: str
    indent: int = 0
    align: str = "left"
    bold: bool = False
    size: str = "normal"
    hanging: int = 0

    def __post_init__(self) -> None:
        _check_align(self.align)
        if self.size not in ("normal", "small", "large"):
            raise ValueError(f"size は normal, small, large のいずれかです: {self.size!r}")


@dataclass(frozen=True)
class FieldTable:
    """項目名と値の2列の表（罫線あり）。label_width は項目名の列の幅（％）。small は小さめの字。"""

    rows: tuple[tuple[str, str], ...]
    label_width: int = 28
    bordered: bool = True
    small: bool = False


@dataclass(frozen=True)
class SealBox:
    """記名押印欄：右寄せの (項目名, 値) の行と、最後の行の右に「印」の四角い枠。

    heading は欄の上に添える語（例：「代理人」）。seal が None なら押印枠を描かない。
    offset は欄の左端の位置（本文の幅に対する％、既定 36 で右寄りに置く）。
    """

    lines: tuple[tuple[str, str], ...]
    seal: str | None = "印"
    heading: str | None = None
    offset: int = 36

    def __post_init__(self) -> None:
        if not 0 <= self.offset <= 60:
            raise ValueError("offset は0から60（％）の間にしてください。")


@dataclass(frozen=True)
class Clause:
    """条項：number（「第1条」「2」「一」「(1)」）、見出し（括弧なしで渡す）、本文、下位の項・号。"""

    number: str
    text: str
    heading: str | None = None
    subclauses: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class NumberedClauses:
    """条項の並び（契約書の各条、誓約事項の各号など）。title は並びの前に中央に置く題。"""

    title: str | None
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Cell:
    """表の一つの升目。colspan で横に結合、indent で字下げ（入れ子の行を表す）、shade で網掛け。"""

    text: str
    colspan: int = 1
    align: str | None = None
    bold: bool = False
    indent: int = 0
    shade: bool = False

    def __post_init__(self) -> None:
        if self.align is not None:
            _check_align(self.align)
        if self.colspan < 1:
            raise ValueError("colspan は1以上です。")


CellValue = str | Cell


@dataclass(frozen=True)
class Table:
    """罫線のある表。

    column_widths は各列の幅（％、合計100）。aligns は列ごとの揃え（金額の列は "right"）。
    totals_row は最後に太字で置く合計行。repeat_header が真なら、表がページをまたぐとき
    見出し行を各ページの頭に繰り返す。caption は表の上に添える語。
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    column_widths: tuple[int, ...]
    totals_row: tuple[CellValue, ...] | None = None
    repeat_header: bool = True
    aligns: tuple[str, ...] | None = None
    caption: str | None = None
    small: bool = False
    #: 行の最低の高さ（mm）。手で書き込む白紙の表に、書くだけの高さを残す。
    min_row_height: int | None = None

    def __post_init__(self) -> None:
        columns = len(self.column_widths)
        if self.headers and len(self.headers) != columns:
            raise ValueError("見出しの数と列の幅の数が合いません。")
        if sum(self.column_widths) != 100:
            raise ValueError("列の幅（％）の合計は100にしてください。")
        if self.aligns is not None:
            if len(self.aligns) != columns:
                raise ValueError("揃えの数と列の数が合いません。")
            for align in self.aligns:
                _check_align(align)
        for row in self.rows + ((self.totals_row,) if self.totals_row else ()):
            if span_width(row) != columns:
                raise ValueError(f"行の升目の数（結合を含む）が列の数 {columns} と合いません: {row!r}")


def span_width(row: tuple[CellValue, ...]) -> int:
    """行が占める列の数（結合した升目は colspan だけ数える）。"""
    return sum(cell.colspan if isinstance(cell, Cell) else 1 for cell in row)


def as_cell(value: CellValue) -> Cell:
    return value if isinstance(value, Cell) else Cell(value)


@dataclass(frozen=True)
class Signature:
    """契約書の末尾の記名押印欄：当事者ごとに役割（甲・乙）と行（住所・名称・代表者）。"""

    parties: tuple[tuple[str, tuple[str, ...]], ...]
    seal: str | None = "印"


@dataclass(frozen=True)
class PageBreak:
    """改ページ。"""


@dataclass(frozen=True)
class CutLine:
    """切り取り線（点線と、その中央の語）。"""

    label: str = "切り取り線"


@dataclass(frozen=True)
class Spacer:
    """縦の空き（mm）。"""

    height: int = 5


Block = (
    Title
    | Heading
    | Addressee
    | DateLine
    | Paragraph
    | FieldTable
    | SealBox
    | NumberedClauses
    | Table
    | Signature
    | PageBreak
    | CutLine
    | Spacer
)

"""部品（forms.blocks）の並び → python-docx で Word 文書（DOCX）。どの様式も知らない。

職員は Windows の Word で開くので、書体は Windows にあるものを名前で指定する：本文は
「ＭＳ 明朝」（欧文名 MS Mincho）、表題・見出しは「ＭＳ ゴシック」（MS Gothic）。

python-docx の既定テンプレートで実測した落とし穴と、その手当て：

* 既定の書式（docDefaults）とスタイルが ``w:asciiTheme`` / ``w:eastAsiaTheme`` / ``w:hAnsiTheme``
  でテーマの書体を指している。テーマ指定は ``font.name`` より優先されるので、日本語が
  テーマの東アジア書体で表示される。→ スタイルのすべての ``w:rFonts`` からテーマ属性を消し、
  ``w:ascii`` / ``w:hAnsi`` / ``w:eastAsia`` を明示する。ラン（run）にも毎回明示する。
* 言語が en-US のまま。→ ``w:lang w:eastAsia="ja-JP"``（禁則処理・和文の字詰めに効く）。
* 用紙は Letter。→ A4 縦と余白20mmを明示する。
* 表の幅は自動調整（autofit）で、開く環境ごとに崩れる。→ 固定レイアウトにして、
  列の幅（tblGrid）と各升目の幅（tcW）を明示する。
"""
from __future__ import annotations

import io
from collections.abc import Iterable

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from forms.blocks import (
    Addressee,
    Block,
    Cell,
    Clause,
    CutLine,
    DateLine,
    FieldTable,
    Heading,
    Mark,
    NumberedClauses,
    PageBreak,
    Paragraph,
    SealBox,
    Signature,
    Spacer,
    Table,
    Title,
    as_cell,
)

__all__ = ["BODY_FONT", "BODY_FONT_ASCII", "HEADING_FONT", "HEADING_FONT_ASCII", "render"]

BODY_FONT = "ＭＳ 明朝"
BODY_FONT_ASCII = "MS Mincho"
HEADING_FONT = "ＭＳ ゴシック"
HEADING_FONT_ASCII = "MS Gothic"

PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN = Mm(20)
BODY_SIZE = Pt(10.5)
SMALL_SIZE = Pt(9)
LARGE_SIZE = Pt(13)
TITLE_SIZE = Pt(16)
HEADING_SIZE = Pt(11)

_THEME_ATTRIBUTES = ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


# Word は要素の順序（スキーマの sequence）に厳しく、順序の違う文書を「壊れている」と言う。
# python-docx の API がない要素は、スキーマで後に来る要素の前に差し込む。
_TBLPR_AFTER_IND = ("w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                    "w:tblDescription", "w:tblPrChange")
_PPR_AFTER_BDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                  "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                  "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_TCPR_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
                   "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")


def _insert_before(parent, child, successors: tuple[str, ...]) -> None:
    """child を、successors のうち最初に見つかった子の前に置く（なければ末尾）。"""
    tags = {qn(name) for name in successors}
    for existing in parent:
        if existing.tag in tags:
            existing.addprevious(child)
            return
    parent.append(child)


# --- 書体・言語・用紙 -------------------------------------------------------------------


def _set_fonts(rfonts, gothic: bool = False) -> None:
    """w:rFonts にテーマでない書体を明示する（テーマ属性は消す）。"""
    for attribute in _THEME_ATTRIBUTES:
        key = qn(attribute)
        if key in rfonts.attrib:
            del rfonts.attrib[key]
    ascii_name = HEADING_FONT_ASCII if gothic else BODY_FONT_ASCII
    east_asia = HEADING_FONT if gothic else BODY_FONT
    rfonts.set(qn("w:ascii"), ascii_name)
    rfonts.set(qn("w:hAnsi"), ascii_name)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), ascii_name)


def _rfonts_of(rpr):
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    return rfonts


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "ja-JP")
    lang.set(qn("w:bidi"), "ar-SA")


def _prepare(document, landscape: bool = False) -> None:
    styles = document.styles.element
    # 既定の書式：書体・言語・段落の間隔（既定テンプレートは段落の後に10ptの空きがある）。
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(_rfonts_of(rpr_default))
    _set_lang(rpr_default)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        # The PDF's line pitch (10.5pt × 1.6 = 16.8pt), exactly: Word and LibreOffice then break pages
        # where the application's own PDF does, whatever the font's own leading.
        spacing.set(qn("w:line"), "336")
        spacing.set(qn("w:lineRule"), "exact")
    # どのスタイルもテーマ書体を指さないようにする（見出し・表スタイルを含む）。
    for rfonts in styles.iter(qn("w:rFonts")):
        gothic = False
        style = rfonts.getparent().getparent()
        if style is not None and style.tag == qn("w:style"):
            style_id = style.get(qn("w:styleId")) or ""
            gothic = style_id.startswith(("Heading", "Title"))
        _set_fonts(rfonts, gothic=gothic)
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    normal_rpr = normal.element.get_or_add_rPr()
    _set_fonts(_rfonts_of(normal_rpr))
    _set_lang(normal_rpr)
    # 和文の行頭・行末の禁則と、和欧間の空きは Word の既定に任せる。
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "ja-JP")

    for section in document.sections:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
            section.left_margin = section.right_margin = Mm(18)
            section.top_margin = section.bottom_margin = Mm(15)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width = PAGE_WIDTH
            section.page_height = PAGE_HEIGHT
            section.left_margin = section.right_margin = MARGIN
            section.top_margin = MARGIN
            section.bottom_margin = Mm(18)


# --- 段落とラン ----------------------------------------------------------------------------


def _run(paragraph, text: str, *, gothic: bool = False, size=None):
    """書体を明示したランを足す。text の改行は改行（w:br）にする。"""
    parts = text.split("\n")
    run = None
    for index, part in enumerate(parts):
        run = paragraph.add_run(part)
        rpr = run._r.get_or_add_rPr()
        _set_fonts(_rfonts_of(rpr), gothic=gothic)
        if size is not None:
            run.font.size = size
        if index < len(parts) - 1:
            run.add_break()
    return run


def _paragraph(container, text: str = "", *, align: str = "left", gothic: bool = False, size=None,
               indent_chars: float = 0, hanging_chars: float = 0, space_before=None, space_after=None):
    paragraph = container.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    char = (size or BODY_SIZE)
    fmt = paragraph.paragraph_format
    if indent_chars or hanging_chars:
        fmt.left_indent = int(char * (indent_chars + hanging_chars))
        fmt.first_line_indent = -int(char * hanging_chars)
    if space_before is not None:
        fmt.space_before = space_before
    if space_after is not None:
        fmt.space_after = space_after
    if size is not None and size != BODY_SIZE:
        _pitch(paragraph, size, 1.5 if size < BODY_SIZE else 1.4)  # .small 9pt × 1.5, titles × 1.4
    if text:
        _run(paragraph, text, gothic=gothic, size=size)
    return paragraph


def _pitch(paragraph, size, factor: float) -> None:
    """The line pitch the PDF gives text of this size (its CSS line-height), exactly."""
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(round(size.pt * factor, 1))


def _gap(document, height) -> None:
    """表の後などの小さな縦の空き：行の高さ（Length）を固定した空の段落。"""
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = height
    fmt.space_before = fmt.space_after = Pt(0)


def _cell_paragraph(cell, text: str, *, align: str | None = None, gothic: bool = False, size=None,
                    indent_chars: float = 0):
    """升目の最初の（空の）段落に書く。"""
    paragraph = cell.paragraphs[0]
    if align:
        paragraph.alignment = _ALIGN[align]
    if size is not None and size < BODY_SIZE:
        _pitch(paragraph, size, 1.4)  # the PDF's small table text: 8.5pt × 1.4
    if indent_chars:
        paragraph.paragraph_format.left_indent = int((size or BODY_SIZE) * indent_chars)
    if text:
        _run(paragraph, text, gothic=gothic, size=size)
    return paragraph


# --- 表 ------------------------------------------------------------------------------------


def _fixed_table(container, rows: int, widths: list[int], *, grid: bool, indent=0):
    """固定レイアウトの表：列の幅（EMU）を tblGrid と各升目に明示する。"""
    table = container.add_table(rows=rows, cols=len(widths))
    if grid:
        table.style = "Table Grid"
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(sum(widths) / 635)))  # EMU → twip（1 twip = 635 EMU）
    if indent:
        tbl_ind = OxmlElement("w:tblInd")
        tbl_ind.set(qn("w:w"), str(int(indent / 635)))
        tbl_ind.set(qn("w:type"), "dxa")
        _insert_before(tbl_pr, tbl_ind, _TBLPR_AFTER_IND)
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    return table


def _text_width(document) -> int:
    """本文の幅（用紙の幅 − 左右の余白、EMU）。表の列の幅（％）はこれに対して計算する。"""
    section = document.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def _percent_widths(document, percents: Iterable[int]) -> list[int]:
    total = _text_width(document)
    return [int(total * p / 100) for p in percents]


def _shade(cell, fill: str = "EEEEEE") -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    _insert_before(tc_pr, shd, _TCPR_AFTER_SHD)


def _row_properties(row, *, header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    # 行をページの境で割らない。見出し行は各ページの頭に繰り返す。
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _fill_row(table, row_index: int, values, widths, aligns, *, gothic=False, size=None, shade=False):
    row = table.rows[row_index]
    column = 0
    for value in values:
        cell_spec: Cell = as_cell(value)
        cell = row.cells[column]
        if cell_spec.colspan > 1:
            cell = cell.merge(row.cells[column + cell_spec.colspan - 1])
        align = cell_spec.align or (aligns[column] if aligns else None)
        _cell_paragraph(
            cell,
            cell_spec.text,
            align=align,
            gothic=gothic or cell_spec.bold,
            size=size,
            indent_chars=cell_spec.indent * 1.5,
        )
        if shade or cell_spec.shade:
            _shade(cell, "EEEEEE" if shade else "F3F3F3")
        column += cell_spec.colspan


def _table(document, block: Table) -> None:
    if block.caption:
        _paragraph(document, block.caption, space_before=Pt(6))
    widths = _percent_widths(document, block.column_widths)
    size = Pt(8.5) if block.small else None
    header_rows = 1 if block.headers else 0
    total_rows = header_rows + len(block.rows) + (1 if block.totals_row else 0)
    table = _fixed_table(document, total_rows, widths, grid=True)
    if block.headers:
        _fill_row(table, 0, block.headers, widths, ["center"] * len(widths), gothic=True, size=size, shade=True)
        _row_properties(table.rows[0], header=block.repeat_header)
    for index, row in enumerate(block.rows, start=header_rows):
        _fill_row(table, index, row, widths, block.aligns, size=size)
        _row_properties(table.rows[index])
        if block.min_row_height:
            table.rows[index].height = Mm(block.min_row_height)
            table.rows[index].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    if block.totals_row:
        index = total_rows - 1
        _fill_row(table, index, block.totals_row, widths, block.aligns, gothic=True, size=size)
        _row_properties(table.rows[index])
    _gap(document, Pt(6))


def _field_table(document, block: FieldTable) -> None:
    widths = _percent_widths(document, (block.label_width, 100 - block.label_width))
    table = _fixed_table(document, len(block.rows), widths, grid=block.bordered)
    size = Pt(8.5) if block.small else None
    for index, (label, value) in enumerate(block.rows):
        row = table.rows[index]
        _cell_paragraph(row.cells[0], label, gothic=True, size=size)
        if block.bordered:
            _shade(row.cells[0])
        _cell_paragraph(row.cells[1], value, size=size)
        row.cells[0].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _row_properties(row)
    _gap(document, Pt(6))


def _seal(cell, label: str) -> None:
    """升目の中に、1升の罫線付きの表として「印」の枠を置く（13mm 四方）。"""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    seal = cell.add_table(rows=1, cols=1)
    seal.style = "Table Grid"
    seal.autofit = False
    seal.alignment = WD_TABLE_ALIGNMENT.RIGHT
    seal.columns[0].width = Mm(13)
    box = seal.rows[0].cells[0]
    box.width = Mm(13)
    seal.rows[0].height = Mm(13)
    seal.rows[0].height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
    box.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _cell_paragraph(box, label, align="center", size=SMALL_SIZE)
    # Word は升目の最後に段落を要る。python-docx が足した空の段落を小さくしておく。
    trailing = cell.paragraphs[-1]
    trailing.paragraph_format.space_after = Pt(0)


def _seal_box(document, block: SealBox) -> None:
    text_width = _text_width(document)
    indent = int(text_width * block.offset / 100)
    width = text_width - indent
    if block.heading:
        _paragraph(document, block.heading, space_before=Pt(4)).paragraph_format.left_indent = indent
    seal_width = Mm(17)
    label_width = int(width * 30 / 100)
    widths = [label_width, width - label_width - seal_width, seal_width]
    table = _fixed_table(document, len(block.lines), widths, grid=False, indent=indent)
    last = len(block.lines) - 1
    for index, (label, value) in enumerate(block.lines):
        row = table.rows[index]
        _cell_paragraph(row.cells[0], label)
        _cell_paragraph(row.cells[1], value)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if index == last and block.seal:
            _seal(row.cells[2], block.seal)
    _gap(document, Pt(8))


def _signature(document, block: Signature) -> None:
    # The closing words, the date and the last article stay on the page of the signatures: a page
    # holding the signatures alone is a page anyone could put under another text.
    for paragraph in document.paragraphs[-3:]:
        paragraph.paragraph_format.keep_with_next = True
    widths = [Mm(14), _text_width(document) - Mm(14) - Mm(17), Mm(17)]
    table = _fixed_table(document, len(block.parties), widths, grid=False)
    for index, (role, lines) in enumerate(block.parties):
        row = table.rows[index]
        _cell_paragraph(row.cells[0], role, gothic=True).paragraph_format.keep_with_next = True
        _cell_paragraph(row.cells[1], "\n".join(lines)).paragraph_format.keep_with_next = True
        row.cells[2].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        if block.seal:
            _seal(row.cells[2], block.seal)
        _row_properties(row)
    _gap(document, Pt(8))


# --- 条項・切り取り線・その他 ------------------------------------------------------------


def _clause(document, clause: Clause, depth: int) -> None:
    if clause.heading:
        p = _paragraph(document, f"（{clause.heading}）", indent_chars=1, space_before=Pt(4))
        p.paragraph_format.keep_with_next = True
    _paragraph(
        document,
        f"{clause.number}　{clause.text}",
        indent_chars=depth,
        hanging_chars=1,
        align="justify",
        space_after=Pt(2),
    )
    for sub in clause.subclauses:
        _clause(document, sub, depth + (0 if sub.number.isdigit() and depth == 0 else 1))


def _clauses(document, block: NumberedClauses) -> None:
    if block.title:
        p = _paragraph(document, block.title, align="center", gothic=True, size=HEADING_SIZE,
                       space_before=Pt(8), space_after=Pt(4))
        p.paragraph_format.keep_with_next = True
    for clause in block.clauses:
        _clause(document, clause, 0)


def _cut_line(document, block: CutLine) -> None:
    """切り取り線：段落の下の罫線を破線にし、その段落に語を中央寄せで置く。"""
    paragraph = _paragraph(document, f"{block.label}", align="center", size=SMALL_SIZE,
                           space_before=Pt(14), space_after=Pt(14))
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "dashed")
    bottom.set(qn("w:sz"), "8")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    _insert_before(p_pr, borders, _PPR_AFTER_BDR)


def _mark(document, block: Mark) -> None:
    """A boxed mark at the top right (a run with a border, as Word's 囲み文字 would)."""
    paragraph = _paragraph(document, "", align="right", space_after=Pt(2))
    run = _run(paragraph, block.text, gothic=True, size=Pt(12))
    r_pr = run._r.get_or_add_rPr()
    border = OxmlElement("w:bdr")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "0"), ("w:color", "000000")):
        border.set(qn(key), value)
    r_pr.append(border)


def _add(document, block: Block) -> None:
    if isinstance(block, Title):
        _paragraph(document, block.text, align="center", gothic=True, size=TITLE_SIZE,
                   space_before=Pt(10), space_after=Pt(4 if block.subtitle else 12))
        if block.subtitle:
            _paragraph(document, block.subtitle, align="center", space_after=Pt(10))
    elif isinstance(block, Mark):
        _mark(document, block)
    elif isinstance(block, Heading):
        p = _paragraph(document, block.text, gothic=True, size=HEADING_SIZE, space_before=Pt(8), space_after=Pt(3))
        p.paragraph_format.keep_with_next = True
    elif isinstance(block, Addressee):
        lines = list(block.lines)
        if lines and block.honorific:
            lines[-1] = f"{lines[-1]}　{block.honorific}"
        _paragraph(document, "\n".join(lines), space_before=Pt(4), space_after=Pt(10))
    elif isinstance(block, DateLine):
        _paragraph(document, block.rendered(), align=block.align, space_before=Pt(4), space_after=Pt(6))
    elif isinstance(block, Paragraph):
        size = {"normal": None, "small": SMALL_SIZE, "large": LARGE_SIZE}[block.size]
        _paragraph(document, block.text, align=block.align, gothic=block.bold, size=size,
                   indent_chars=block.indent, hanging_chars=block.hanging, space_after=Pt(3))
    elif isinstance(block, FieldTable):
        _field_table(document, block)
    elif isinstance(block, SealBox):
        _seal_box(document, block)
    elif isinstance(block, NumberedClauses):
        _clauses(document, block)
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Signature):
        _signature(document, block)
    elif isinstance(block, PageBreak):
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif isinstance(block, CutLine):
        _cut_line(document, block)
    elif isinstance(block, Spacer):
        _gap(document, Mm(block.height))
    else:
        raise TypeError(f"描画できない部品です: {type(block).__name__}")


def _page_numbers(document) -> None:
    """「- 1 -」の形のページ番号を、各ページの下の中央に（PAGE フィールド：Word が数える）。"""
    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = _ALIGN["center"]
        _run(paragraph, "- ")
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif text == " PAGE ":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            else:
                element = OxmlElement("w:t")
                element.text = text
            run._r.append(element)
        _run(paragraph, " -")


def render(blocks: Iterable[Block], *, title: str = "", landscape: bool = False, page_numbers: bool = False) -> bytes:
    """部品の並びを DOCX のバイト列にする（A4 縦、landscape なら A4 横）。page_numbers：下中央にページ番号。"""
    document = Document()
    _prepare(document, landscape=landscape)
    if page_numbers:
        _page_numbers(document)
    document.core_properties.title = title
    document.core_properties.language = "ja-JP"
    for block in blocks:
        _add(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

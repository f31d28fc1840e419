"""部品（forms.blocks）の並び → HTML → WeasyPrint で PDF。どの様式も知らない。

* A4縦、余白20mm、``lang="ja"``。本文は IPAex明朝、表題・見出しは IPAexゴシック
  （Debian の fonts-ipaexfont）。フォントは WeasyPrint が使う字だけの部分集合（subset）で埋め込む。
* 利用者の入力（会社名など）はすべて html.escape してから HTML に入れる。
* 表の見出し行は ``thead { display: table-header-group }`` でページごとに繰り返し、
  行はページの境で割らない（``page-break-inside: avoid``）。
* スタイルシートと FontConfiguration はモジュールに一つだけ作って使い回す。毎回作ると
  フォントの読み込みに時間がかかる（温まった後は1ページ0.1秒程度が目安）。
"""
from __future__ import annotations

import html
import threading
from collections.abc import Iterable

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

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

__all__ = ["BODY_FONT", "HEADING_FONT", "blocks_to_html", "render", "stylesheet"]

#: 本文の書体。名前で指定する（fontconfig が Debian の IPAex明朝を見つける）。
BODY_FONT = "IPAexMincho"
#: 表題・見出しの書体。IPAex には太字がないので、強調もゴシックで表す。
HEADING_FONT = "IPAexGothic"

_CSS = f"""
@page {{ size: A4 portrait; margin: 20mm 20mm 18mm 20mm; }}
@page landscape {{ size: A4 landscape; margin: 15mm 18mm 15mm 18mm; }}
@page numbered {{
  @bottom-center {{ content: "- " counter(page) " -"; font-family: "{BODY_FONT}"; font-size: 9pt; }}
}}
@page landscape-numbered {{
  size: A4 landscape;
  margin: 15mm 18mm 15mm 18mm;
  @bottom-center {{ content: "- " counter(page) " -"; font-family: "{BODY_FONT}"; font-size: 9pt; }}
}}
html {{
  font-family: "{BODY_FONT}", serif;
  font-size: 10.5pt;
  line-height: 1.6;
  color: #000;
}}
body {{ margin: 0; }}
body.numbered {{ page: numbered; }}
body.landscape {{ page: landscape; }}
body.landscape-numbered {{ page: landscape-numbered; }}
p {{ margin: 0 0 1.5mm 0; }}
h1.title {{
  font-family: "{HEADING_FONT}", sans-serif;
  font-weight: normal;
  font-size: 16pt;
  line-height: 1.4;
  text-align: center;
  margin: 3mm 8mm 2mm 8mm;
}}
h1.title.spaced {{ letter-spacing: 0.5em; padding-left: 0.5em; }}
p.subtitle {{ text-align: center; font-size: 10.5pt; margin-bottom: 4mm; }}
p.mark {{ position: absolute; top: -6mm; right: 0; margin: 0; }}
p.mark span {{
  font-family: "{HEADING_FONT}", sans-serif; font-size: 12pt; letter-spacing: 0.3em;
  border: 1pt solid #000; padding: 0.5mm 1mm 0.5mm 2mm;
}}
h2.heading {{
  font-family: "{HEADING_FONT}", sans-serif;
  font-weight: normal;
  font-size: 11pt;
  margin: 4mm 0 2mm 0;
  page-break-after: avoid;
}}
.left {{ text-align: left; }}
.center {{ text-align: center; }}
.right {{ text-align: right; }}
.small {{ font-size: 9pt; line-height: 1.5; }}
.large {{ font-size: 13pt; }}
.strong {{ font-family: "{HEADING_FONT}", sans-serif; }}
.date {{ margin: 2mm 0 3mm 0; }}
.addressee {{ margin: 2mm 0 3mm 0; }}
table {{ border-collapse: collapse; width: 100%; }}
table.grid {{ table-layout: fixed; }}
table.grid {{ margin: 2mm 0 3mm 0; }}
table.grid th, table.grid td {{
  border: 0.6pt solid #000;
  padding: 1mm 1.8mm;
  vertical-align: top;
  overflow-wrap: anywhere;
}}
table.grid th {{
  font-family: "{HEADING_FONT}", sans-serif;
  font-weight: normal;
  background: #eeeeee;
  text-align: center;
  vertical-align: middle;
}}
table.small th, table.small td {{ font-size: 8.5pt; line-height: 1.4; padding: 0.8mm 1.2mm; }}
table.grid td.shade {{ background: #f3f3f3; }}
table.grid tfoot td, table.grid tr.totals td {{ font-family: "{HEADING_FONT}", sans-serif; }}
table.fields th {{ text-align: left; vertical-align: top; }}
table.plain td, table.plain th {{ border: none; padding: 0.6mm 1mm; vertical-align: middle; }}
thead {{ display: table-header-group; }}
tfoot {{ display: table-row-group; }}
tr {{ page-break-inside: avoid; }}
p.caption {{ margin: 3mm 0 0 0; }}
table.sealbox {{ margin-top: 2mm; margin-bottom: 3mm; }}
table.sealbox th {{
  font-weight: normal;
  text-align: left;
  white-space: nowrap;
  width: 1%;
  padding: 0.8mm 4mm 0.8mm 0;
  vertical-align: middle;
}}
table.sealbox td {{ padding: 0.8mm 1mm; vertical-align: middle; }}
table.sealbox td.seal-cell {{ width: 17mm; text-align: right; }}
p.sealbox-heading {{ margin-top: 2mm; margin-bottom: 0; }}
.seal {{
  display: inline-block;
  width: 13mm;
  height: 13mm;
  line-height: 13mm;
  border: 0.6pt solid #000;
  text-align: center;
  font-size: 9pt;
  color: #444;
}}
.clauses {{ margin: 2mm 0; }}
.clauses h2 {{ text-align: center; }}
p.clause-heading {{ margin: 2mm 0 0 1em; page-break-after: avoid; }}
p.clause {{ margin: 0 0 1mm 0; text-align: justify; }}
table.signature {{ margin: 4mm 0; page-break-inside: avoid; }}
table.signature td {{ border: none; padding: 1mm 1mm; vertical-align: top; }}
table.signature td.role {{ width: 10mm; font-family: "{HEADING_FONT}", sans-serif; }}
table.signature td.seal-cell {{ width: 17mm; vertical-align: bottom; }}
table.cutline {{ margin: 3mm 0 1mm 0; }}
table.cutline td {{ padding: 0; font-size: 9pt; line-height: 1.6; vertical-align: top; }}
table.cutline td.dash {{ width: 42%; }}
table.cutline td.dash div {{ height: 0.8em; border-bottom: 0.8pt dashed #000; }}
table.cutline td.label {{ text-align: center; }}
div.pagebreak {{ page-break-before: always; height: 0; }}
"""

_lock = threading.Lock()
_font_config: FontConfiguration | None = None
_stylesheet: CSS | None = None


def stylesheet() -> tuple[CSS, FontConfiguration]:
    """使い回すスタイルシートと FontConfiguration（最初の呼び出しで作る）。"""
    global _font_config, _stylesheet
    with _lock:
        if _stylesheet is None:
            _font_config = FontConfiguration()
            _stylesheet = CSS(string=_CSS, font_config=_font_config)
        assert _font_config is not None
        return _stylesheet, _font_config


def _text(value: str) -> str:
    """エスケープして、改行を <br> にする。"""
    return html.escape(value).replace("\n", "<br>")


def _hanging_style(depth: int, hanging: int = 1) -> str:
    return f"padding-left: {depth + hanging}em; text-indent: -{hanging}em;"


def _title(block: Title) -> list[str]:
    # 短い表題（「入札書」「委任状」）は字間を空けて様式らしく、長い表題は普通に折り返す。
    spaced = " spaced" if len(block.text) <= 5 else ""
    out = [f'<h1 class="title{spaced}">{_text(block.text)}</h1>']
    if block.subtitle:
        out.append(f'<p class="subtitle">{_text(block.subtitle)}</p>')
    else:
        out.append('<div style="height: 3mm"></div>')
    return out


def _paragraph(block: Paragraph) -> str:
    classes = [block.align]
    if block.size != "normal":
        classes.append(block.size)
    if block.bold:
        classes.append("strong")
    style = ""
    if block.indent or block.hanging:
        style = f' style="padding-left: {block.indent + block.hanging}em; text-indent: -{block.hanging}em"'
    return f'<p class="{" ".join(classes)}"{style}>{_text(block.text)}</p>'


def _cell_html(cell: Cell, tag: str, default_align: str | None) -> str:
    attrs = []
    if cell.colspan > 1:
        attrs.append(f'colspan="{cell.colspan}"')
    classes = []
    align = cell.align or default_align
    if align:
        classes.append(align)
    if cell.bold:
        classes.append("strong")
    if cell.shade:
        classes.append("shade")
    if classes:
        attrs.append(f'class="{" ".join(classes)}"')
    if cell.indent:
        attrs.append(f'style="padding-left: {cell.indent * 1.5 + 0.5}em"')
    joined = (" " + " ".join(attrs)) if attrs else ""
    return f"<{tag}{joined}>{_text(cell.text)}</{tag}>"


def _row_html(row: Iterable, aligns: tuple[str, ...] | None, css_class: str = "", min_height: int | None = None) -> str:
    cells = []
    column = 0
    for value in row:
        cell = as_cell(value)
        align = aligns[column] if aligns else None
        cells.append(_cell_html(cell, "td", align))
        column += cell.colspan
    klass = f' class="{css_class}"' if css_class else ""
    style = f' style="height: {int(min_height)}mm"' if min_height else ""
    return f"<tr{klass}{style}>{''.join(cells)}</tr>"


def _table(block: Table) -> list[str]:
    out = []
    if block.caption:
        out.append(f'<p class="caption">{_text(block.caption)}</p>')
    classes = "grid small" if block.small else "grid"
    out.append(f'<table class="{classes}">')
    out.append("<colgroup>" + "".join(f'<col style="width: {w}%">' for w in block.column_widths) + "</colgroup>")
    if block.headers:
        head = "".join(f"<th>{_text(h)}</th>" for h in block.headers)
        # repeat_header が偽なら見出しを本体の最初の行にして、ページごとに繰り返さない。
        if block.repeat_header:
            out.append(f"<thead><tr>{head}</tr></thead>")
    out.append("<tbody>")
    if block.headers and not block.repeat_header:
        out.append(f"<tr>{''.join(f'<th>{_text(h)}</th>' for h in block.headers)}</tr>")
    for row in block.rows:
        out.append(_row_html(row, block.aligns, min_height=block.min_row_height))
    if block.totals_row is not None:
        out.append(_row_html(block.totals_row, block.aligns, "totals"))
    out.append("</tbody></table>")
    return out


def _field_table(block: FieldTable) -> list[str]:
    klass = "grid fields" if block.bordered else "plain fields"
    if block.small:
        klass += " small"
    out = [f'<table class="{klass}">']
    out.append(f'<colgroup><col style="width: {block.label_width}%"><col></colgroup><tbody>')
    for label, value in block.rows:
        out.append(f"<tr><th>{_text(label)}</th><td>{_text(value)}</td></tr>")
    out.append("</tbody></table>")
    return out


def _seal_box(block: SealBox) -> list[str]:
    out = []
    if block.heading:
        out.append(f'<p class="sealbox-heading" style="margin-left: {block.offset}%">{_text(block.heading)}</p>')
    out.append(
        f'<table class="sealbox plain" style="width: {100 - block.offset}%; margin-left: {block.offset}%"><tbody>'
    )
    last = len(block.lines) - 1
    for index, (label, value) in enumerate(block.lines):
        seal = ""
        if index == last and block.seal:
            seal = f'<span class="seal">{_text(block.seal)}</span>'
        out.append(
            f"<tr><th>{_text(label)}</th><td>{_text(value)}</td>"
            f'<td class="seal-cell">{seal}</td></tr>'
        )
    out.append("</tbody></table>")
    return out


def _clause(clause: Clause, depth: int) -> list[str]:
    out = []
    if clause.heading:
        out.append(f'<p class="clause-heading">（{_text(clause.heading)}）</p>')
    number = _text(clause.number)
    # 条の番号は「第1条」と幅があるので、ぶら下げは1字にして本文は2行目から1字下げる（公用文の慣行）。
    out.append(f'<p class="clause" style="{_hanging_style(depth)}">{number}　{_text(clause.text)}</p>')
    for sub in clause.subclauses:
        # 項（2, 3…）は条と同じ深さ、号（一, 二…）は1字、その下（イ, ロ…）は2字下げる。
        out.extend(_clause(sub, depth + (0 if sub.number.isdigit() and depth == 0 else 1)))
    return out


def _clauses(block: NumberedClauses) -> list[str]:
    out = ['<div class="clauses">']
    if block.title:
        out.append(f'<h2 class="heading">{_text(block.title)}</h2>')
    for clause in block.clauses:
        out.extend(_clause(clause, 0))
    out.append("</div>")
    return out


def _signature(block: Signature) -> list[str]:
    out = ['<table class="signature plain"><colgroup><col style="width: 10%"><col><col style="width: 17mm"></colgroup><tbody>']
    for role, lines in block.parties:
        seal = f'<span class="seal">{_text(block.seal)}</span>' if block.seal else ""
        body = "<br>".join(_text(line) for line in lines)
        out.append(
            f'<tr><td class="role">{_text(role)}</td><td>{body}</td><td class="seal-cell">{seal}</td></tr>'
        )
    out.append("</tbody></table>")
    return out


def _cut_line(block: CutLine) -> list[str]:
    return [
        '<table class="cutline plain"><tbody><tr>'
        f'<td class="dash"><div></div></td><td class="label">{_text(block.label)}</td><td class="dash"><div></div></td>'
        "</tr></tbody></table>"
    ]


def _block_html(block: Block) -> list[str]:
    if isinstance(block, Title):
        return _title(block)
    if isinstance(block, Mark):
        return [f'<p class="mark"><span>{_text(block.text)}</span></p>']
    if isinstance(block, Heading):
        return [f'<h2 class="heading">{_text(block.text)}</h2>']
    if isinstance(block, Addressee):
        lines = list(block.lines)
        if lines:
            lines[-1] = f"{lines[-1]}　{block.honorific}" if block.honorific else lines[-1]
        return [f'<p class="addressee">{"<br>".join(_text(line) for line in lines)}</p>']
    if isinstance(block, DateLine):
        return [f'<p class="date {block.align}">{_text(block.rendered())}</p>']
    if isinstance(block, Paragraph):
        return [_paragraph(block)]
    if isinstance(block, FieldTable):
        return _field_table(block)
    if isinstance(block, SealBox):
        return _seal_box(block)
    if isinstance(block, NumberedClauses):
        return _clauses(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Signature):
        return _signature(block)
    if isinstance(block, PageBreak):
        return ['<div class="pagebreak"></div>']
    if isinstance(block, CutLine):
        return _cut_line(block)
    if isinstance(block, Spacer):
        return [f'<div style="height: {int(block.height)}mm"></div>']
    raise TypeError(f"描画できない部品です: {type(block).__name__}")


def blocks_to_html(
    blocks: Iterable[Block], *, title: str = "", page_numbers: bool = False, landscape: bool = False
) -> str:
    """部品の並びを一つの HTML 文書にする（スタイルは stylesheet() で別に渡す）。"""
    body: list[str] = []
    for block in blocks:
        body.extend(_block_html(block))
    # 用紙の向きとページ番号の有無は、body の class で名前付きのページ（@page landscape など）を選ぶ。
    page = "-".join(part for part in ("landscape" if landscape else "", "numbered" if page_numbers else "") if part)
    body_class = f' class="{page}"' if page else ""
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{_text(title)}</title></head><body{body_class}>" + "\n".join(body) + "</body></html>"
    )


def render(
    blocks: Iterable[Block], *, title: str = "", page_numbers: bool = False, landscape: bool = False
) -> bytes:
    """部品の並びを PDF のバイト列にする（A4 縦、landscape なら A4 横）。"""
    css, font_config = stylesheet()
    html_text = blocks_to_html(blocks, title=title, page_numbers=page_numbers, landscape=landscape)
    document = HTML(string=html_text)
    return document.write_pdf(stylesheets=[css], font_config=font_config)

"""様式の検査の道具：描いた PDF・DOCX を一度だけ作って使い回し、文字を取り出す。

--noconftest で走らせるので fixture ではなく、functools.cache の関数にしてある。
"""
from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import docx
from pypdf import PdfReader

import forms

PDFTOTEXT = shutil.which("pdftotext")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname} {record.getMessage()}")


def render_pdf_logged(code: str, data=None) -> tuple[bytes, list[str]]:
    """PDF を描き、そのあいだに weasyprint のロガーに出た警告を集める。"""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        pdf = forms.render_pdf(code, data)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
    return pdf, handler.messages


@cache
def sample_pdf(code: str) -> tuple[bytes, tuple[str, ...]]:
    pdf, messages = render_pdf_logged(code)
    return pdf, tuple(messages)


@cache
def sample_docx(code: str) -> bytes:
    return forms.render_docx(code)


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """pdftotext（poppler）で文字を取り出す。ページの境は改ページ文字（\\f）。

    既定は読み順（折り返した升目の文が続けて出る）。layout=True は紙面の行どおり（全角空白で
    区切った氏名が一行に並ぶ）。
    """
    if PDFTOTEXT is None:  # pragma: no cover - Debian の poppler-utils がないとき
        return "\f".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "form.pdf"
        path.write_bytes(pdf)
        options = ["-layout"] if layout else []
        result = subprocess.run([PDFTOTEXT, *options, str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_shows(pdf: bytes, expected: list[str]) -> list[str]:
    """expected のうち PDF に見つからないもの（読み順か紙面の行どおりの、どちらかにあればよい）。"""
    texts = (squeeze(pdf_text(pdf)), squeeze(pdf_text(pdf, layout=True)))
    return [s for s in expected if not any(squeeze(s) in text for text in texts)]


def _cell_texts(table) -> list[str]:
    texts = []
    for row in table.rows:
        for cell in row.cells:
            texts.extend(p.text for p in cell.paragraphs)
            for inner in cell.tables:
                texts.extend(_cell_texts(inner))
    return texts


def docx_text(content: bytes) -> str:
    """python-docx で段落と表（入れ子の表も）の文字を取り出す。"""
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(_cell_texts(table))
    return "\n".join(texts)


def docx_shows(content: bytes, expected: list[str]) -> list[str]:
    """expected のうち DOCX に見つからないもの。"""
    text = squeeze(docx_text(content))
    return [s for s in expected if squeeze(s) not in text]


_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """空白（全角空白・改行・改ページを含む）をすべて除く。折り返しで語が切れても比べられる。"""
    return _SPACE.sub("", text)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)

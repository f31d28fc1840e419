"""様式（yoshiki）：所定の様式を一度だけ宣言し、PDF・DOCX（一部は XLSX）に描く。

一つの様式は forms/yoshiki/<code>.py に一つ：記載事項のデータクラス、見本 ``sample()``、
部品の並び ``layout(data)``、定数 ``CODE``・``TITLE``・``SOURCE``。描画器（render_pdf,
render_docx, render_xlsx）はどの様式も知らない。

純粋性：このパッケージは Flask・SQLAlchemy・``tender.*``（``tender.rules.*`` を除く）を取り込まない。
アプリ（tender.documents など）がデータベースから値を取り出してデータクラスに詰め、ここに渡す。
描画は副作用を持たない（データベースにもファイルにも触れず、バイト列を返すだけ）。

    >>> import forms
    >>> pdf = forms.render_pdf("bid")            # 見本のデータで
    >>> docx = forms.render_docx("bid", data)    # data は forms.get("bid").BidData
"""
from __future__ import annotations

import dataclasses
import typing
from types import ModuleType
from typing import Any

# 描画器を先に読み込む。forms.render_pdf（モジュール）と forms.render_pdf()（下の関数）は同じ名前なので、
# 関数を後で定義して、パッケージの属性が関数を指すようにする（サブモジュールを後から初めて読み込むと、
# 取り込みの仕組みがパッケージの属性をモジュールで上書きしてしまう）。WeasyPrint の読み込みに0.8秒ほどかかる。
from forms import render_docx as _docx_renderer
from forms import render_pdf as _pdf_renderer
from forms import render_xlsx as _xlsx_renderer
from forms.blocks import Mark
from forms.yoshiki import (
    anti_organized_crime,
    award_notice,
    bid,
    bid_breakdown,
    company_profile,
    contract,
    contract_change,
    evaluation_items,
    information_handlers,
    information_structure,
    nda,
    opening_record,
    participation,
    power_of_attorney,
    question,
    receipt,
    score_sheet,
)

__all__ = ["BLANK_CODES", "REGISTRY", "XLSX_CODES", "blank", "codes", "get", "layout", "render_docx", "render_pdf", "render_xlsx"]

_MODULES: tuple[ModuleType, ...] = (
    question,
    power_of_attorney,
    bid,
    receipt,
    bid_breakdown,
    participation,
    company_profile,
    information_handlers,
    information_structure,
    nda,
    anti_organized_crime,
    evaluation_items,
    contract,
    contract_change,
    opening_record,
    score_sheet,
    award_notice,
)

#: 様式の識別子（ASCII、安定）→ 様式のモジュール。並びは提出・事務の順。
REGISTRY: dict[str, ModuleType] = {module.CODE: module for module in _MODULES}

#: 表計算（XLSX）でも出せる様式。入札者が記入して返す評価項目一覧と、職員の総合評価点一覧。
XLSX_CODES = ("evaluation_items", "score_sheet")


def codes() -> list[str]:
    """登録された様式の識別子の一覧。"""
    return list(REGISTRY)


def get(code: str) -> ModuleType:
    """識別子から様式のモジュール。知らない識別子は KeyError。"""
    try:
        return REGISTRY[code]
    except KeyError:
        raise KeyError(f"知らない様式です: {code!r}（{', '.join(REGISTRY)}）") from None


def _data(module: ModuleType, data: Any) -> Any:
    if data is None:
        return module.sample()
    if not isinstance(data, module.DATA_CLASS):
        raise TypeError(f"様式 {module.CODE} のデータは {module.DATA_CLASS.__name__} で渡してください。")
    return data


#: 見本のデータから描いた様式に付ける印（記入例と取り違えられないように）。
SPECIMEN_MARK = "見本"


def layout(code: str, data: Any = None) -> list:
    """様式の部品の並び（data が None なら見本：右上に「見本」の印）。"""
    module = get(code)
    blocks = list(module.layout(_data(module, data)))
    return [Mark(SPECIMEN_MARK), *blocks] if data is None else blocks


def render_pdf(code: str, data: Any = None) -> bytes:
    """様式を PDF（A4、IPAex フォントの部分集合を埋め込み）で描く。data が None なら見本。"""
    module = get(code)
    return _pdf_renderer.render(
        layout(code, data),
        title=module.TITLE,
        page_numbers=getattr(module, "PAGE_NUMBERS", False),
        landscape=getattr(module, "LANDSCAPE", False),
    )


def render_docx(code: str, data: Any = None) -> bytes:
    """様式を Word 文書（DOCX、ＭＳ 明朝・A4）で描く。data が None なら見本。"""
    module = get(code)
    return _docx_renderer.render(
        layout(code, data),
        title=module.TITLE,
        landscape=getattr(module, "LANDSCAPE", False),
        page_numbers=getattr(module, "PAGE_NUMBERS", False),
    )


def render_xlsx(code: str, data: Any = None) -> bytes:
    """評価項目一覧・総合評価点一覧を XLSX で描く。ほかの様式は ValueError。"""
    if code not in XLSX_CODES:
        raise ValueError(f"様式 {code!r} は XLSX では出せません（{', '.join(XLSX_CODES)} のみ）。")
    module = get(code)
    return _xlsx_renderer.render(code, _data(module, data), specimen=SPECIMEN_MARK if data is None else None)


#: The forms a bidder fills in by hand, offered blank on each notice.
BLANK_CODES = ("question", "power_of_attorney", "bid", "bid_breakdown", "participation", "company_profile",
               "information_handlers", "information_structure", "nda", "anti_organized_crime")


def blank(code: str, **known: Any) -> Any:
    """The form's data with every field empty but what is ``known`` (e.g. the case title).

    Names in ``known`` that the form does not have are ignored, so callers can offer the same
    facts (case title, addressee) to every form.
    """
    if code not in BLANK_CODES:
        raise ValueError(f"{code} is not offered blank")
    cls = get(code).DATA_CLASS
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if typing.get_origin(hints[f.name]) is list and f.name not in known:
            values[f.name] = []
        elif f.name in known:
            values[f.name] = known[f.name]
        elif f.default is not dataclasses.MISSING:
            values[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            values[f.name] = f.default_factory()
        else:
            values[f.name] = "" if hints[f.name] is str else None
    return cls(**values)

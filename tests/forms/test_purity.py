"""forms の純粋性：標準ライブラリ、描画のライブラリ、tender.rules.* のほかは取り込まない。"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import purity

FORMS = Path(__file__).resolve().parents[2] / "forms"
MODULES = sorted(FORMS.rglob("*.py"))
ALLOWED_THIRD_PARTY = {"weasyprint", "docx", "openpyxl", "jinja2", "lxml"}


def forbidden_imports(source: str) -> list[str]:
    """許されない import（関数の中の import も数える）。forms.* と相対 import は内側なので許す。"""
    return purity.forbidden_imports(source, allowed=ALLOWED_THIRD_PARTY, inner="forms", parent_relative_ok=True)


def test_the_purity_check_sees_every_form_module():
    names = {p.stem for p in MODULES}
    assert {"__init__", "blocks", "render_pdf", "render_docx", "render_xlsx", "bid", "contract"} <= names


@pytest.mark.parametrize("module", MODULES, ids=[str(p.relative_to(FORMS)) for p in MODULES])
def test_forms_modules_import_only_stdlib_renderers_and_tender_rules(module):
    assert forbidden_imports(module.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("import flask", ["flask"]),
        ("from sqlalchemy.orm import Session", ["sqlalchemy.orm"]),
        ("from tender.extensions import db", ["tender.extensions"]),
        ("from tender import rules", ["tender"]),
        ("def f():\n    from tender.notices.models import ProcurementCase", ["tender.notices.models"]),
        ("import weasyprint, docx, openpyxl\nfrom tender.rules.money import format_yen\nfrom forms.blocks import Title", []),
    ],
)
def test_the_purity_checker_catches_forbidden_imports(source, bad):
    assert forbidden_imports(source) == bad


def test_importing_and_rendering_forms_loads_neither_flask_nor_sqlalchemy_nor_the_app():
    code = (
        "import sys\n"
        "import tender\n"
        "before = set(sys.modules)\n"
        "import forms\n"
        "forms.render_docx('bid')\n"
        "loaded = [m for m in set(sys.modules) - before if m.split('.')[0] in ('flask', 'sqlalchemy', 'werkzeug')\n"
        "          or (m.startswith('tender.') and not m.startswith('tender.rules'))]\n"
        "print(','.join(sorted(loaded)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=FORMS.parent, check=True
    )
    assert result.stdout.strip() == ""


def test_the_package_attribute_render_pdf_stays_the_function_after_importing_the_renderer():
    import importlib

    import forms

    importlib.import_module("forms.render_pdf")
    assert callable(forms.render_pdf) and callable(forms.render_docx) and callable(forms.render_xlsx)

"""tender.rules の純粋性の検査：標準ライブラリと holidays・babel・zxcvbn・tender.rules.* 以外を取り込まない。"""
import sys
from pathlib import Path

import pytest

from tests import purity

RULES = Path(__file__).resolve().parents[2] / "tender" / "rules"
ALLOWED_THIRD_PARTY = {"holidays", "babel", "zoneinfo", "zxcvbn"}  # zxcvbn: a pure estimator with its lists
MODULES = sorted(RULES.glob("*.py"))


def forbidden_imports(source: str) -> list[str]:
    """ソースの中の許されない import（モジュール名）を返す。関数の中の import も数える。"""
    return purity.forbidden_imports(source, allowed=ALLOWED_THIRD_PARTY, inner="tender.rules",
                                    parent_relative_ok=False)


def test_the_purity_check_sees_the_rules_modules():
    assert {p.stem for p in MODULES} >= {
        "__init__", "calendar", "wareki", "money", "corporate_number", "passwords", "sme", "qualification",
    }


@pytest.mark.parametrize("module", MODULES, ids=[p.name for p in MODULES])
def test_rules_modules_import_only_the_standard_library_holidays_babel_and_tender_rules(module):
    assert forbidden_imports(module.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("import flask", ["flask"]),
        ("from sqlalchemy import select", ["sqlalchemy"]),
        ("from tender.extensions import db", ["tender.extensions"]),
        ("import tender.clock", ["tender.clock"]),
        ("from tender import rules", ["tender"]),
        ("def f():\n    import requests", ["requests"]),
        ("from .. import config", [".."]),
        ("import datetime, babel.numbers, holidays\nfrom tender.rules.money import TAX_RATE\nfrom . import calendar", []),
    ],
)
def test_the_purity_checker_catches_forbidden_imports(source, bad):
    assert forbidden_imports(source) == bad


def test_importing_the_rules_does_not_load_flask_or_sqlalchemy():
    import subprocess

    # tender パッケージ自体（アプリ側の __init__）が読み込むものは数えず、rules が増やした分だけ見る。
    code = (
        "import sys\n"
        "import tender\n"
        "before = set(sys.modules)\n"
        "import tender.rules.calendar, tender.rules.wareki, tender.rules.money\n"
        "import tender.rules.corporate_number, tender.rules.passwords, tender.rules.sme\n"
        "loaded = [m for m in set(sys.modules) - before if m.split('.')[0] in ('flask', 'sqlalchemy', 'werkzeug')\n"
        "          or (m.startswith('tender.') and not m.startswith('tender.rules'))]\n"
        "print(','.join(sorted(loaded)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=RULES.parents[1], check=True
    )
    assert result.stdout.strip() == ""

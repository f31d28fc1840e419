"""docs/ipa-checklist.md names tests that exist: a renamed or deleted test breaks this one."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_test_named_in_the_checklist_exists():
    text = (ROOT / "docs" / "ipa-checklist.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| 1.") or line.startswith("| 2 ")]
    assert len([r for r in rows if r.startswith("| 1.")]) == 11  # 1.1 … 1.11
    current = None
    named = 0
    for row in rows:
        for ref in re.findall(r"`([^`]+)`", row.split("|")[4]):
            file_part, _, test = ref.partition("::")
            if file_part:
                current = ROOT / "tests" / file_part
                assert current.exists(), ref
            if test:
                assert test in _tests_in(current), ref
                named += 1
    assert named >= 25

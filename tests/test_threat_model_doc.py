"""docs/threat-model.md names tests that exist: a renamed or deleted test breaks this one."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_test_named_in_the_threat_model_exists():
    text = (ROOT / "docs" / "threat-model.md").read_text(encoding="utf-8")
    named = 0
    for row in (line for line in text.splitlines() if line.startswith("| ")):
        current = None
        for ref in re.findall(r"`([^`]+::[^`]+|::[^`]+)`", row):
            file_part, _, test = ref.partition("::")
            if file_part:
                current = ROOT / "tests" / file_part
                assert current.exists(), ref
            assert current is not None and test in _tests_in(current), ref
            named += 1
    assert named >= 40


def test_every_actor_of_the_issue_has_a_section():
    text = (ROOT / "docs" / "threat-model.md").read_text(encoding="utf-8")
    for actor in ("Operator", "Database administrator", "backup holder", "Administrator", "Case officer",
                  "Second official", "Witness", "Evaluator", "Auditor", "Bidder", "Outsider"):
        assert actor in text, actor

"""Templates show what the code decided: they compare stored states by their enum members (a
misspelt member fails, a misspelt literal is silently false) and never test a role (access is the
policy's: ``can(...)``)."""
import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "templates").rglob("*.html"))
#: A stored state or decision compared with a literal: r.state == 'opened', case.state.value in (…).
STATE_LITERAL = re.compile(r"\.(state|status|decision|procedure|kind)(\.value)?\s*(==|!=|in|not in)\s*\(?\s*['\"]")
#: A role tested in a template: current_user.role == …, user.role.value in (…).
ROLE_TEST = re.compile(r"\brole(\.value)?\s*(==|!=|in|not in|is)\s")
#: Kinds that are not stored states: a criterion's kind and section are the 評価項目一覧's categories.
CATEGORY = re.compile(r"\b(c|item)\.kind\b")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_templates_compare_state_members_and_never_test_roles(path):
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for match in STATE_LITERAL.finditer(line):
            if not CATEGORY.search(line[max(0, match.start() - 6):match.end()]):
                problems.append(f"{number}: {match.group(0)}")
        if ROLE_TEST.search(line):
            problems.append(f"{number}: role tested")
    assert problems == []


def test_the_check_finds_what_it_forbids():
    assert STATE_LITERAL.search("{% if r.state == 'opened' %}")
    assert STATE_LITERAL.search("{% if case.state.value in ('draft', 'published') %}")
    assert not STATE_LITERAL.search("{% if r.state == RoundState.OPENED %}")
    assert ROLE_TEST.search("{% if current_user.role.value == 'auditor' %}")

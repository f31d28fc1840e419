"""`flask --app wsgi evaluate-case CASE.json` as another tool would run it: a real process,
stdout, stderr and the exit code (../shared/spec/evaluation-case.md)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "rules" / "evaluation_cases"
SPEC_CASE = {
    "method": "weighted_sum", "estimated_price": 11000000, "estimated_price_tax": "included",
    "tax_rate_percent": 10, "price_points": 110, "low_bid": {"ratio": "0.6", "min_estimated_price": 10000000},
    "criteria": [
        {"id": "1.1", "kind": "mandatory", "points": 11},
        {"id": "1.2.2", "kind": "ranked", "points": 15},
        {"id": "2.1", "kind": "ranked", "points": 20, "ranks": {"S": 20, "A": 12, "B": 5, "C": 0}},
        {"id": "4", "kind": "certification", "points": 9,
         "table": {"platinum_eruboshi": 9, "eruboshi_3": 8, "youth_yell": 6}}],
    "bids": [
        {"bidder": "A", "amount": 9000000, "compliance": True, "pages": True,
         "scores": {"1.1": "met", "1.2.2": "S", "2.1": "B", "4": ["youth_yell"]}},
        {"bidder": "B", "amount": 9500000, "invalid": "代理人が委任状を提出していない"}],
}


def _run(tmp_path, case):
    path = tmp_path / "case.json"
    path.write_text(case if isinstance(case, str) else json.dumps(case, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}", "FILE_STORAGE": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "evaluate-case", str(path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_spec_example_prints_the_specified_result(tmp_path):
    done = _run(tmp_path, SPEC_CASE)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "results": [
            {"bidder": "A", "status": "candidate", "compared_price": 9900000, "technical": 37, "price": 11.0,
             "total": 48.0},
            {"bidder": "B", "status": "invalid", "compared_price": None, "technical": None, "price": None,
             "total": None}],
        "award": {"status": "awarded", "bidder": "A", "candidates": ["A"]}}


@pytest.mark.parametrize("mutate, needle", [
    (lambda c: c["bids"][0]["scores"].__setitem__("1.2.2", "Z"), '"1.2.2"'),
    (lambda c: c["bids"][0].__setitem__("amount", -1), "amount"),
    (lambda c: c["bids"].append(dict(c["bids"][1])), "B"),
    (lambda c: c.pop("estimated_price"), "estimated_price"),
    (lambda c: c.__setitem__("surprise", 1), "surprise"),
])
def test_a_malformed_case_prints_one_line_on_stderr_and_exits_2(tmp_path, mutate, needle):
    case = json.loads(json.dumps(SPEC_CASE))
    mutate(case)
    done = _run(tmp_path, case)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and needle in done.stderr


def test_every_fixture_in_the_repository_recomputes_to_its_expected_result(tmp_path):
    inputs = sorted(CASES.glob("*.case.json"))
    assert len(inputs) >= 5, "fixtures missing"
    for case_path in inputs:
        expected = case_path.with_name(case_path.name.replace(".case.json", ".expected.json"))
        assert expected.exists(), expected.name
        done = _run(tmp_path, case_path.read_text(encoding="utf-8"))
        assert done.returncode == 0, (case_path.name, done.stderr)
        assert json.loads(done.stdout) == json.loads(expected.read_text(encoding="utf-8")), case_path.name

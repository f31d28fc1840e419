"""Benchmark: the public notice board with thousands of cases.

    .venv/bin/python benchmarks/board.py [--cases 5000] [--database-url URL]

Seeds a throw-away database (SQLite in a temporary directory unless --database-url is
given) with N published cases and times the board's first page, a later page, a keyword
search and a notice page through the WSGI app. Goal [000 表2]: each under about 1 second.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from tender.app import create_app  # noqa: E402
from tender.config import TestConfig  # noqa: E402
from tender.extensions import db  # noqa: E402
from tender.notices.models import ProcurementCase  # noqa: E402
from tender.rules.lifecycle import CaseState, Procedure  # noqa: E402


def seed(n: int) -> None:
    from tender.accounts.models import Role
    from tender.accounts.operations import create_user
    from tender.organisations.models import Authority, Department

    officer = create_user(email="bench@example.jp", name="計測", role=Role.OFFICER, password="Timing-Only-2026!")
    dept = Department(authority=Authority(name="計測機構"), name="契約課")
    db.session.add(dept)
    db.session.flush()
    start = datetime(2026, 4, 1, tzinfo=UTC)
    rows = []
    for i in range(n):
        t = start + timedelta(hours=i)
        rows.append(ProcurementCase(
            reference=f"B-{i:06d}", title=f"計測用案件 {i} {'清掃' if i % 7 == 0 else 'システム保守'}業務",
            procedure=Procedure.LOWEST_PRICE, state=CaseState.PUBLISHED, department_id=dept.id,
            created_by_id=officer.id, description="計測", created_at=t, published_at=t, notice_on=t.date(),
            questions_from=t, questions_until=t + timedelta(days=10), submissions_from=t,
            submission_deadline=t + timedelta(days=20), opening_at=t + timedelta(days=22)))
    db.session.add_all(rows)
    db.session.commit()


def timed(client, url: str, repeat: int = 5) -> tuple[float, int]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(response.data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig(args.database_url or f"sqlite:///{tmp}/bench.db", file_storage=tmp))
        with app.app_context():
            upgrade()
            t0 = time.perf_counter()
            seed(args.cases)
            print(f"seeded {args.cases} cases in {time.perf_counter() - t0:.1f}s")
            last = db.session.execute(db.select(ProcurementCase.id).order_by(ProcurementCase.id.desc())).scalar()
        client = app.test_client()
        for label, url in [("board, page 1", "/notices"), ("board, page 100", "/notices?page=100"),
                           ("keyword search", "/notices?q=清掃"), ("open only", "/notices?open=1"),
                           ("notice page", f"/notices/{last}")]:
            seconds, size = timed(client, url)
            flag = "" if seconds < 1.0 else "  <-- over 1 s"
            print(f"{label:<18} {seconds * 1000:8.1f} ms  ({size // 1024} KiB){flag}")


if __name__ == "__main__":
    main()

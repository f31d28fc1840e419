"""Erasing personal data at the end of its retention: the 情報取扱者名簿 and 情報管理体制図 of
participations (encrypted at rest) are overwritten, the freed database pages are wiped (SQLite
secure_delete + VACUUM; PostgreSQL VACUUM FULL of the table), and each erasure is recorded in
the audit trail (what, when, who) — the record of use, kept with the trail.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select, text

from tender.audit.operations import record
from tender.extensions import db
from tender.notices.models import Participation, ProcurementCase
from tender.rules import retention
from tender.rules.calendar import to_jst

ERASED = json.dumps([], ensure_ascii=False)


@dataclass
class Due:
    case: ProcurementCase
    ends_on: date
    participations: list[Participation]


def _years() -> int:
    return int(current_app.config.get("PERSONAL_DATA_RETENTION_YEARS", retention.DEFAULT_RETENTION_YEARS))


def retention_end(case: ProcurementCase) -> date | None:
    cancelled = to_jst(case.cancelled_at).date() if case.cancelled_at else None
    return retention.retention_end(case.contract_to, cancelled, _years())


def due(today: date, case: ProcurementCase | None = None) -> list[Due]:
    """Cases whose retention has ended and that still hold personal data."""
    stmt = select(Participation).where(Participation.personal_data_erased_at.is_(None)).order_by(Participation.id)
    if case is not None:
        stmt = stmt.where(Participation.case_id == case.id)
    by_case: dict[int, Due] = {}
    for row in db.session.execute(stmt).scalars():
        end = retention_end(row.case)
        if retention.is_due(end, today):
            by_case.setdefault(row.case_id, Due(row.case, end, [])).participations.append(row)
    return list(by_case.values())


def erase(items: list[Due], *, by: str | None, now: datetime) -> int:
    """Overwrite the personal data of every participation listed, record each erasure, commit,
    then wipe the freed pages so that nothing of the old values stays in the database file."""
    count = 0
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        db.session.execute(text("PRAGMA secure_delete = ON"))
    for item in items:
        for row in item.participations:
            handlers = len(json.loads(row.handlers_secret or "[]"))
            row.handlers_secret = ERASED
            row.structure_secret = ERASED
            row.personal_data_erased_at = now
            record("personal_data.erased", row, actor=by, summary={
                "case_id": item.case.id, "company_id": row.company_id, "fields": ["handlers", "structure"],
                "handlers": handlers, "retention_ended": item.ends_on.isoformat()})
            count += 1
    db.session.commit()
    if count:
        _wipe_free_space(dialect)
    return count


def _wipe_free_space(dialect: str) -> None:
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if dialect == "sqlite":
            conn.execute(text("VACUUM"))
        elif dialect == "postgresql":
            conn.execute(text("VACUUM FULL participations"))

"""A contractor's home lists, read already made (issue 16: a ministry's volume).

The busiest contractor's home page made its to-do list and its contract deadlines afresh at every
visit: nine statements, 16 ms in process, 4.7 ms of it in PostgreSQL walking 2,460 deliverables
for the 50 it lists. Here the lists are kept per company (``HomeSnapshot``), as the live functions
(``todo.company_tasks``, ``deadlines.company_deadlines``) made them, and a visit reads them in
one statement while they are still right. They are right while both hold:

- **No write has touched them since.** Every transaction that writes a row the lists are made
  from raises the ``generation`` of each company it can concern, in the same transaction, before it
  commits (``_note`` after each flush, ``_bump`` before the commit). Those rows are the cases, the
  registrations, bids, rounds, declines, contracts, deliverables, deliveries and invoices, and the
  company itself. The companies a case concerns are those registered for it, bidding in it or
  holding its contract. A list made at generation g is kept only if the row is still at g: a
  write that commits while a visit makes the lists makes them stale at once.
- **The clock has not changed them.** A bid can be sent until its deadline, and what is overdue is
  judged on the day in Japan time. So lists made at ``made_at`` are right until the next midnight
  in Japan or the first deadline of a task they list, whichever comes first (``valid_until``),
  and not before ``made_at``.

Every write to those tables goes through the ORM's unit of work (none is a bulk UPDATE), so the
hook sees it. ``tests/home`` visits the home pages after each step of the life cycle, with the
clock moved, so a missed write shows as a stale list.
"""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import has_app_context
from sqlalchemy import event, select, union, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tender.bidding.models import Bid, BidRound
from tender.contracts.models import Contract, Deliverable
from tender.extensions import db
from tender.home import deadlines, todo
from tender.home.models import HomeSnapshot
from tender.notices.models import CaseRegistration
from tender.rules.calendar import JST, to_jst

#: The tables a company's home lists are made from, by how their rows lead to the companies they
#: concern: the case itself, a row of a case (``case_id``), of a round, of a contract, of a
#: deliverable, or the company.
CASE_TABLES = frozenset({"case_registrations", "bids", "bid_rounds", "contracts"})
ROUND_TABLES = frozenset({"bid_declines"})
CONTRACT_TABLES = frozenset({"deliverables", "invoices"})
DELIVERABLE_TABLES = frozenset({"deliveries"})

_PENDING = "home_touched"


def _touched(session: Session) -> dict[str, set[int]]:
    return session.info.setdefault(_PENDING, {"case": set(), "round": set(), "contract": set(),
                                              "deliverable": set(), "company": set()})


def _note(session: Session, flush_context: Any) -> None:
    touched: dict[str, set[int]] | None = None
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table == "procurement_cases":
            kind, key = "case", obj.id
        elif table == "companies":
            kind, key = "company", obj.id
        elif table in CASE_TABLES:
            kind, key = "case", obj.case_id
        elif table in ROUND_TABLES:
            kind, key = "round", obj.round_id
        elif table in CONTRACT_TABLES:
            kind, key = "contract", obj.contract_id
        elif table in DELIVERABLE_TABLES:
            kind, key = "deliverable", obj.deliverable_id
        else:
            continue
        touched = touched if touched is not None else _touched(session)
        if key is not None:
            touched[kind].add(key)
        own = getattr(obj, "company_id", None)  # a row of a company: it concerns that one at least
        if own is not None and table != "companies":
            touched["company"].add(own)


def companies_concerned(touched: dict[str, set[int]]) -> set[int]:
    """The companies whose home lists the touched rows can change."""
    companies = set(touched["company"])
    cases = set(touched["case"])
    contracts = set(touched["contract"])
    if touched["deliverable"]:
        contracts |= set(db.session.scalars(select(Deliverable.contract_id).where(
            Deliverable.id.in_(sorted(touched["deliverable"])))))
    if contracts:
        cases |= set(db.session.scalars(select(Contract.case_id).where(Contract.id.in_(sorted(contracts)))))
    if touched["round"]:
        cases |= set(db.session.scalars(select(BidRound.case_id).where(BidRound.id.in_(sorted(touched["round"])))))
    if cases:
        ids = sorted(cases)
        companies |= set(db.session.scalars(union(
            select(CaseRegistration.company_id).where(CaseRegistration.case_id.in_(ids)),
            select(Bid.company_id).where(Bid.case_id.in_(ids)),
            select(Contract.company_id).where(Contract.case_id.in_(ids)))))
    return companies


def _insert():
    return (pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert)(HomeSnapshot)


def _bump(session: Session) -> None:
    if not has_app_context() or session is not db.session() or session.in_nested_transaction():
        return
    session.flush()  # the changes not flushed yet are noted now
    touched = session.info.pop(_PENDING, None)
    if not touched or not any(touched.values()):
        return
    readers = sorted(f"company:{c}" for c in companies_concerned(touched))  # in one order: no deadlock
    if readers:
        stmt = _insert().values([{"reader": reader, "generation": 1} for reader in readers])
        session.execute(stmt.on_conflict_do_update(index_elements=[HomeSnapshot.reader],
                                                   set_={"generation": HomeSnapshot.generation + 1}))


def _forget(session: Session, *args: Any) -> None:
    session.info.pop(_PENDING, None)


def init_readmodel(app) -> None:
    """Install the hook (once per process: it listens on every session of db)."""
    if not event.contains(Session, "after_flush", _note):
        event.listen(Session, "after_flush", _note)
        event.listen(Session, "before_commit", _bump)
        event.listen(Session, "after_commit", _forget)
        event.listen(Session, "after_rollback", _forget)


# --- reading -------------------------------------------------------------------------------------

def _next_midnight(now: datetime) -> datetime:
    return datetime.combine(to_jst(now).date() + timedelta(days=1), time(0), tzinfo=JST)


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parsed(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def encode(tasks: list[todo.Task], found: deadlines.Deadlines) -> str:
    return json.dumps({
        "tasks": [[t.what, t.case_title, t.url, _instant(t.due), _instant(t.since), t.detail] for t in tasks],
        "deadlines": [[d.on.isoformat(), d.kind, d.title, d.case_title, d.url, d.overdue] for d in found.items],
        "more": found.more}, ensure_ascii=False)


def decode(payload: str) -> tuple[list[todo.Task], deadlines.Deadlines]:
    data = json.loads(payload)
    tasks = [todo.Task(what, title, url, _parsed(due), _parsed(since), detail)
             for what, title, url, due, since, detail in data["tasks"]]
    items = [deadlines.Deadline(date.fromisoformat(on), kind, title, case_title, url, overdue)
             for on, kind, title, case_title, url, overdue in data["deadlines"]]
    return tasks, deadlines.Deadlines(items, data["more"])


def company_home(company_id: int, now: datetime, today: date) -> tuple[list[todo.Task], deadlines.Deadlines]:
    """The company's to-do list and contract deadlines: as kept, while right; else made afresh
    and kept (then the request has committed)."""
    reader = f"company:{company_id}"
    row = db.session.execute(select(HomeSnapshot.generation, HomeSnapshot.made_generation, HomeSnapshot.made_at,
                                    HomeSnapshot.valid_until, HomeSnapshot.payload)
                             .where(HomeSnapshot.reader == reader)).first()
    if (row is not None and row.payload is not None and row.made_generation == row.generation
            and row.made_at is not None and row.valid_until is not None and row.made_at <= now < row.valid_until):
        return decode(row.payload)
    tasks = todo.company_tasks(company_id, now)
    found = deadlines.company_deadlines(company_id, today)
    until = min([_next_midnight(now), *(t.due for t in tasks if t.due is not None and t.due > now)])
    _keep(reader, None if row is None else row.generation, now, until, encode(tasks, found))
    return tasks, found


def _keep(reader: str, generation: int | None, now: datetime, until: datetime, payload: str) -> None:
    """Keep the lists made at ``generation`` (None: the reader had no row), unless a write has
    raised it meanwhile."""
    values = {"made_at": now, "valid_until": until, "payload": payload}
    if generation is None:
        stmt = _insert().values(reader=reader, generation=0, made_generation=0, **values)
        stmt = stmt.on_conflict_do_nothing(index_elements=[HomeSnapshot.reader])
    else:
        stmt = (update(HomeSnapshot).where(HomeSnapshot.reader == reader, HomeSnapshot.generation == generation)
                .values(made_generation=generation, **values))
    try:
        db.session.execute(stmt)
        db.session.commit()
    except OperationalError:  # SQLite: another writer holds the database; the next visit keeps them
        db.session.rollback()


__all__ = ["company_home", "companies_concerned", "decode", "encode", "init_readmodel"]

"""The home pages' lists, read already made (issue 16: a ministry's volume).

The busiest contractor's home page made its to-do list and its contract deadlines afresh at every
visit: nine statements, 16 ms in process, 4.7 ms of it in PostgreSQL walking 2,460 deliverables
for the 50 it lists; an officer's took fourteen statements and 14 ms. Here the lists are kept per
reader (``HomeSnapshot``: ``company:<id>``, ``user:<id>`` for an officer) as the live functions
made them, and a visit reads them in one statement while they are still right. They are right
while both hold:

- **No write has touched them since.** Every transaction that writes a row the lists are made
  from raises the ``generation`` of each reader it can concern, in the same transaction, before
  it commits (``_note`` after each flush, ``_bump`` before the commit; ``TABLES`` says which rows
  and how they lead to their readers). Lists made at generation g are kept only if the row is
  still at g, so a write that commits while a visit makes them makes them stale at once.
- **The clock has not changed them.** A bid can be sent until its deadline, an opening is due the
  instant the submission deadline has passed, and what is overdue is judged on the day in Japan
  time. So lists made at ``made_at`` are right until the first of those instants
  (``valid_until``), and not before ``made_at``.

Every write to those tables goes through the ORM's unit of work (none is a bulk UPDATE), so the
hook sees it. ``tests/home`` visits the home pages after each step of the life cycle, with the
clock moved, so a missed write shows as a stale list. docs/home-read-model.md has the reasoning.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, func, inspect, select, union, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tender.bidding.models import Bid, BidRound
from tender.companies.models import Company, Qualification, QualificationCategory, Suspension
from tender.contracts.models import Contract, Deliverable
from tender.extensions import db
from tender.home import deadlines, todo
from tender.home.models import HomeSnapshot
from tender.notices.models import CaseOfficer, CaseRegistration, Participation
from tender.rules.calendar import JST, to_jst
from tender.sealing.models import CaseKey, KeyShare

#: The tables the home lists are made from, each with how its rows lead to the readers they concern
#: (the case itself, a row of a case by ``case_id``, of a round, of a contract, of a deliverable,
#: of a case key) and whether a company's lists are made from it (else only an officer's).
TABLES: dict[str, tuple[str, bool]] = {
    "procurement_cases": ("case", True), "case_registrations": ("case", True), "bids": ("case", True),
    "bid_rounds": ("case", True), "contracts": ("case", True), "bid_declines": ("round", True),
    "deliverables": ("contract", True), "invoices": ("contract", True), "deliveries": ("deliverable", True),
    "case_officers": ("case", False), "case_keys": ("case", False), "key_shares": ("case_key", False),
    "questions": ("case", False), "participations": ("case", False), "award_decisions": ("case", False),
    "defect_claims": ("contract", False),
}
_KEYS = {"case": "case_id", "round": "round_id", "contract": "contract_id", "deliverable": "deliverable_id",
         "case_key": "case_key_id"}

_PENDING = "home_touched"
#: The row whose lock gives writers their turn (never a reader's).
_TURN = "turn"


def _touched(session: Session) -> dict[str, set]:
    return session.info.setdefault(_PENDING, {"company": set(), "user": set(), "renamed_company": set(),
                                              "renamed_user": set(), "rows": set(), "authority": set()})


def _renamed(obj, session: Session) -> bool:
    return obj in session.deleted or bool(inspect(obj).attrs.name.history.deleted)


def _note(session: Session, flush_context: Any) -> None:
    """After each flush: the rows written that the home lists are made from, by what they lead to."""
    touched: dict[str, set] | None = None
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table == "companies":
            touched = touched if touched is not None else _touched(session)
            touched["company"].add(obj.id)
            if obj in session.new or _renamed(obj, session):
                touched["authority"].add(True)  # the officers' count of companies, the suspended ones' names
            if obj not in session.new and _renamed(obj, session):
                touched["renamed_company"].add(obj.id)
            continue
        if table in ("suspensions", "qualifications"):  # the company's card on its home
            touched = touched if touched is not None else _touched(session)
            touched["company"].add(obj.company_id)
            if table == "suspensions":
                touched["authority"].add(True)
            continue
        if table == "users":
            if obj in session.new or not _renamed(obj, session):  # a log-in writes its user: not a rename
                continue
            touched = touched if touched is not None else _touched(session)
            touched["renamed_user"].add(obj.id)
            continue
        if table not in TABLES:
            continue
        kind, for_companies = TABLES[table]
        key = obj.id if table == "procurement_cases" else getattr(obj, _KEYS[kind])
        touched = touched if touched is not None else _touched(session)
        if key is not None:
            touched["rows"].add((kind, key, for_companies))
        own_company, own_user = getattr(obj, "company_id", None), getattr(obj, "user_id", None)
        if for_companies and own_company is not None:
            touched["company"].add(own_company)  # a row of a company: it concerns that one at least
        if table in ("case_officers", "key_shares") and own_user is not None:
            touched["user"].add(own_user)  # an officer taken off a case, or a share handed over


def _cases(rows: set[tuple[str, int, bool]], *, companies_only: bool) -> set[int]:
    """The cases the touched rows belong to."""
    by_kind: dict[str, set[int]] = {kind: set() for kind in _KEYS}
    for kind, key, for_companies in rows:
        if for_companies or not companies_only:
            by_kind[kind].add(key)
    cases, contracts = set(by_kind["case"]), set(by_kind["contract"])
    if by_kind["deliverable"]:
        contracts |= set(db.session.scalars(select(Deliverable.contract_id).where(
            Deliverable.id.in_(sorted(by_kind["deliverable"])))))
    if contracts:
        cases |= set(db.session.scalars(select(Contract.case_id).where(Contract.id.in_(sorted(contracts)))))
    if by_kind["round"]:
        cases |= set(db.session.scalars(select(BidRound.case_id).where(BidRound.id.in_(sorted(by_kind["round"])))))
    if by_kind["case_key"]:
        cases |= set(db.session.scalars(select(CaseKey.case_id).where(CaseKey.id.in_(sorted(by_kind["case_key"])))))
    return cases


def companies_concerned(touched: dict[str, set]) -> set[int]:
    """The companies whose home lists the touched rows can change: the company a row names, and
    those registered for, bidding in, or holding the contract of a touched case."""
    companies = set(touched["company"])
    cases = _cases(touched["rows"], companies_only=True)
    if cases:
        ids = sorted(cases)
        companies |= set(db.session.scalars(union(
            select(CaseRegistration.company_id).where(CaseRegistration.case_id.in_(ids)),
            select(Bid.company_id).where(Bid.case_id.in_(ids)),
            select(Contract.company_id).where(Contract.case_id.in_(ids)))))
    return companies


def officers_concerned(touched: dict[str, set]) -> set[int]:
    """The officers whose home lists the touched rows can change: the officers and the holders of
    a key share of every touched case; a renamed company's cases (a participation to review, a
    contract to sign) and a renamed user's (an opening they asked for)."""
    users = set(touched["user"])
    cases = _cases(touched["rows"], companies_only=False)
    if touched["renamed_company"]:
        ids = sorted(touched["renamed_company"])
        cases |= set(db.session.scalars(union(
            select(Participation.case_id).where(Participation.company_id.in_(ids)),
            select(Contract.case_id).where(Contract.company_id.in_(ids)))))
    if touched["renamed_user"]:
        ids = sorted(touched["renamed_user"])
        cases |= set(db.session.scalars(union(
            select(CaseOfficer.case_id).where(CaseOfficer.user_id.in_(ids)),
            select(CaseKey.case_id).join(KeyShare, KeyShare.case_key_id == CaseKey.id).where(KeyShare.user_id.in_(ids)))))
    if cases:
        ids = sorted(cases)
        users |= set(db.session.scalars(union(
            select(CaseOfficer.user_id).where(CaseOfficer.case_id.in_(ids)),
            select(KeyShare.user_id).join(CaseKey, KeyShare.case_key_id == CaseKey.id).where(CaseKey.case_id.in_(ids)))))
    return users


def _insert():
    return (pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert)(HomeSnapshot)


def _bump(session: Session) -> None:
    if not has_app_context() or session is not db.session() or session.in_nested_transaction():
        return
    session.flush()  # the changes not flushed yet are noted now
    touched = session.info.pop(_PENDING, None)
    if not touched or not any(touched.values()):
        return
    # From here to its commit a writer has the turn: it finds whom its rows concern in what is
    # committed, so no other such writer may commit meanwhile (its rows would concern readers this
    # one cannot see, and a visit between the two commits would keep lists with one write and not
    # the other). The audit trail's head already gives writers turns; this does not rely on it.
    session.execute(_insert().values(reader=_TURN, generation=0).on_conflict_do_update(
        index_elements=[HomeSnapshot.reader], set_={"generation": HomeSnapshot.generation}))
    readers = sorted([*(f"company:{c}" for c in companies_concerned(touched)),
                      *(f"user:{u}" for u in officers_concerned(touched)),
                      *([AUTHORITY] if touched["authority"] else [])])  # in one order: no deadlock
    if readers:
        stmt = _insert().values([{"reader": reader, "generation": 1} for reader in readers])
        session.execute(stmt.on_conflict_do_update(index_elements=[HomeSnapshot.reader],
                                                   set_={"generation": HomeSnapshot.generation + 1}))


def _forget(session: Session, *args: Any) -> None:
    session.info.pop(_PENDING, None)


def init_readmodel(app) -> None:
    """Install the hook (once per process: it listens on every session of db), and fix the version
    of the code the lists are made by, now: files replaced on disk later (a deploy before this
    process restarts) do not make this process's lists look like the new code's."""
    app.extensions["home_lists_version"] = lists_version(app.config.get("APPLICATION_ROOT") or "/")
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


def _lists_data(tasks: list[todo.Task], found: deadlines.Deadlines) -> dict:
    return {"tasks": [[t.what, t.case_title, t.url, _instant(t.due), _instant(t.since), t.detail] for t in tasks],
            "deadlines": [[d.on.isoformat(), d.kind, d.title, d.case_title, d.url, d.overdue] for d in found.items],
            "more": found.more}


def _lists_from(data: dict) -> tuple[list[todo.Task], deadlines.Deadlines]:
    tasks = [todo.Task(what, title, url, _parsed(due), _parsed(since), detail)
             for what, title, url, due, since, detail in data["tasks"]]
    items = [deadlines.Deadline(date.fromisoformat(on), kind, title, case_title, url, overdue)
             for on, kind, title, case_title, url, overdue in data["deadlines"]]
    return tasks, deadlines.Deadlines(items, data["more"])


def encode(tasks: list[todo.Task], found: deadlines.Deadlines) -> str:
    return json.dumps(_lists_data(tasks, found), ensure_ascii=False)


def decode(payload: str) -> tuple[list[todo.Task], deadlines.Deadlines]:
    return _lists_from(json.loads(payload))


@dataclass(frozen=True)
class CardSuspension:
    issuer: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class CardQualification:
    category: QualificationCategory
    grade: str
    valid_from_fy: int
    valid_to_fy: int


@dataclass(frozen=True)
class Card:
    """What a company's home shows of the company itself: its suspensions in force, its qualifications."""

    suspensions: list[CardSuspension]
    qualifications: list[CardQualification]


def _card(company_id: int, today: date) -> Card:
    suspensions = db.session.execute(select(Suspension.issuer, Suspension.starts_on, Suspension.ends_on).where(
        Suspension.company_id == company_id, Suspension.in_force(today))
        .order_by(Suspension.starts_on.desc(), Suspension.id)).all()
    qualifications = db.session.execute(select(Qualification.category, Qualification.grade, Qualification.valid_from_fy,
                                               Qualification.valid_to_fy).where(Qualification.company_id == company_id)
                                        .order_by(Qualification.valid_to_fy.desc(), Qualification.id)).all()
    return Card([CardSuspension(*row) for row in suspensions], [CardQualification(*row) for row in qualifications])


def _encode_card(card: Card) -> dict:
    return {"suspensions": [[s.issuer, s.starts_on.isoformat(), s.ends_on.isoformat()] for s in card.suspensions],
            "qualifications": [[q.category.value, q.grade, q.valid_from_fy, q.valid_to_fy] for q in card.qualifications]}


def _decode_card(data: dict) -> Card:
    return Card([CardSuspension(issuer, date.fromisoformat(start), date.fromisoformat(end))
                 for issuer, start, end in data["suspensions"]],
                [CardQualification(QualificationCategory(category), grade, start, end)
                 for category, grade, start, end in data["qualifications"]])


def company_home(company_id: int, now: datetime, today: date
                 ) -> tuple[list[todo.Task], deadlines.Deadlines, Card]:
    """The company's to-do list, contract deadlines and card: as kept, while right; else made
    afresh and kept (then the request has committed). Its tasks are bids to send, each gone at its
    deadline."""
    def make():
        tasks, found, card = todo.company_tasks(company_id, now), deadlines.company_deadlines(company_id, today), \
            _card(company_id, today)
        data = {**_lists_data(tasks, found), "card": _encode_card(card)}
        return (tasks, found, card), json.dumps(data, ensure_ascii=False), [t.due for t in tasks if t.due is not None]

    def read(payload: str):
        data = json.loads(payload)
        return (*_lists_from(data), _decode_card(data["card"]))

    return _kept(f"company:{company_id}", now, make, read)


def officer_home(user, now: datetime, today: date) -> tuple[list[todo.Task], deadlines.Deadlines]:
    """An officer's to-do list and deadlines, as ``company_home``. An opening becomes a task once
    its submission deadline has passed: the lists are remade then."""
    def make():
        tasks, changes = todo.officer_tasks_and_changes(user, now)
        found = deadlines.officer_deadlines(user, today)
        return (tasks, found), encode(tasks, found), changes

    return _kept(f"user:{user.id}", now, make, decode)


#: The reader of what every officer's home shows of the authority's companies.
AUTHORITY = "authority"


@dataclass(frozen=True)
class ListedSuspension:
    company_id: int
    company_name: str
    issuer: str
    starts_on: date
    ends_on: date


def authority_facts(now: datetime, today: date) -> tuple[int, list[ListedSuspension]]:
    """The number of companies and the suspensions in force today, as ``company_home``: kept
    until a company is added or renamed, a suspension written, or the day ends."""
    def make():
        count = db.session.scalar(select(func.count()).select_from(Company)) or 0
        rows = db.session.execute(select(Suspension.company_id, Company.name, Suspension.issuer, Suspension.starts_on,
                                         Suspension.ends_on).join(Company, Company.id == Suspension.company_id)
                                  .where(Suspension.in_force(today))
                                  .order_by(Suspension.ends_on, Suspension.id)).all()
        suspensions = [ListedSuspension(*row) for row in rows]
        payload = json.dumps({"count": count, "suspensions": [
            [s.company_id, s.company_name, s.issuer, s.starts_on.isoformat(), s.ends_on.isoformat()] for s in suspensions]},
            ensure_ascii=False)
        return (count, suspensions), payload, []

    def read(payload: str):
        data = json.loads(payload)
        return data["count"], [ListedSuspension(company_id, name, issuer, date.fromisoformat(start), date.fromisoformat(end))
                               for company_id, name, issuer, start, end in data["suspensions"]]

    return _kept(AUTHORITY, now, make, read)


@cache
def code_version() -> str:
    """The application's code, as a digest of its sources: lists kept by other code (before a
    deploy, or by a server not yet updated) are made again, never read in a form or with rules
    this code does not have."""
    digest, package = hashlib.sha256(), Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):  # by their place in the package: the same on every server
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def lists_version(application_root: str) -> str:
    """What the kept lists depend on besides the data: the code, where the pages are (the links are
    paths under APPLICATION_ROOT), and the holiday tables (the deadlines' days)."""
    parts = [code_version(), application_root, importlib.metadata.version("holidays")]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def _kept(reader: str, now: datetime, make, read):
    """``read`` of the reader's kept payload while right; else ``make()`` — (value, payload, the
    instants at which the clock alone changes it) — kept, and its value."""
    row = db.session.execute(select(HomeSnapshot.generation, HomeSnapshot.made_generation, HomeSnapshot.made_at,
                                    HomeSnapshot.valid_until, HomeSnapshot.payload)
                             .where(HomeSnapshot.reader == reader)).first()
    version = current_app.extensions["home_lists_version"]
    if (row is not None and row.payload is not None and row.made_generation == row.generation
            and row.made_at is not None and row.valid_until is not None and row.made_at <= now < row.valid_until
            and row.payload.startswith(version + "\n")):
        return read(row.payload[len(version) + 1:])
    value, payload, changes = make()
    until = min([_next_midnight(now), *(at for at in changes if at > now)])
    _keep(reader, None if row is None else row.generation, now, until, f"{version}\n{payload}")
    return value


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


__all__ = ["AUTHORITY", "Card", "ListedSuspension", "authority_facts", "companies_concerned", "company_home", "decode",
           "encode", "init_readmodel", "lists_version", "officer_home",
           "officers_concerned"]

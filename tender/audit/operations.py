"""Appending to and verifying the audit trail.

``record`` is called by every operation that changes state, in the same transaction as
the change: the event exists exactly when the change does. It never commits.
"""
from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from tender import clock
from tender.audit.chain import HASHED_FIELDS, canonical_json, event_hash
from tender.audit.models import GENESIS, AuditEvent, AuditHead
from tender.extensions import db
from tender.locking import lock_row

#: Shown in place of a confidential value in an event's summary.
MASKED = "（秘匿）"


def head_seq() -> int | None:
    """The number of the newest event: every committed change moves it (the public page cache's key)."""
    return db.session.scalar(select(AuditHead.seq).where(AuditHead.id == 1))


def head_column():
    """``head_seq`` as a column, to be read within another statement."""
    return select(AuditHead.seq).where(AuditHead.id == 1).scalar_subquery()


def _head() -> AuditHead:
    """The chain's head, locked until the transaction ends: one appender at a time."""
    head = lock_row(AuditHead, 1)
    if head is None:  # a database emptied by hand; the migration creates the row
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        db.session.add(head)
        db.session.flush()
    return head


def _actor(actor: Any) -> tuple[int | None, str, str | None]:
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    if actor is None:
        if has_request_context():
            return None, "（未認証）", None
        return None, f"system:{_os_user()}", None
    if isinstance(actor, str):
        return None, actor, None
    return actor.id, actor.email, actor.role.value


def _user_agent() -> str | None:
    if not has_request_context():
        return None
    return request.user_agent.string[:300] or None


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"


def record(
    action: str,
    target: Any = None,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    summary: dict[str, Any] | None = None,
    actor: Any = None,
    when: datetime | None = None,
) -> AuditEvent:
    """Append one event. ``target`` is an ORM object (its table and id are recorded)."""
    if target is not None:
        db.session.flush()  # a new object needs its id
        object_type = object_type or target.__tablename__
        object_id = target.id
    actor_id, actor_name, actor_role = _actor(actor)
    head = _head()
    fields = {
        "seq": head.seq + 1,
        "occurred_at": when or clock.now(),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "actor_role": actor_role,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "summary": canonical_json(summary or {}),
        "ip": request.remote_addr if has_request_context() else None,
        "user_agent": _user_agent(),
        "prev_hash": head.hash,
    }
    fields["hash"] = event_hash(fields)
    event = AuditEvent(**fields)
    db.session.add(event)
    head.seq = fields["seq"]
    head.hash = fields["hash"]
    db.session.flush()
    return event


def changes(before: dict[str, Any], after: dict[str, Any], confidential: set[str] = frozenset()) -> dict[str, list[Any]]:
    """The fields that differ, as ``{field: [old, new]}``; confidential ones masked."""
    out: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            out[key] = [MASKED, MASKED] if key in confidential else [old, new]
    return out


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = value.value if hasattr(value, "value") else value
    return values


def apply_changes(obj: Any, values: dict[str, Any], fields: list[str], *, action: str,
         confidential: set[str] = frozenset(), **extra) -> dict:
    """Apply ``values`` to a new or existing object and record what changed."""
    is_new = obj.id is None
    before = {} if is_new else snapshot(obj, fields)
    for key, value in values.items():
        setattr(obj, key, value)
    db.session.add(obj)
    diff = changes(before, snapshot(obj, fields), confidential)
    if diff or is_new:
        record(f"{action}.{'created' if is_new else 'updated'}", obj, summary={"changes": diff, **extra})
    return diff



@dataclass
class Verification:
    ok: bool
    count: int
    broken_seq: int | None = None
    reason: str | None = None


def verify_chain() -> Verification:
    """Walk the chain up to its head; report the first event altered, removed or inserted.

    The head is read first: events appended while the check runs lie beyond it and are
    left for the next check, so a busy system is not reported as tampered.
    """
    head = db.session.execute(
        select(AuditHead).where(AuditHead.id == 1).execution_options(populate_existing=True)
    ).scalar_one_or_none()
    end = head.seq if head is not None else None
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    stmt = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=500)
    if end is not None:
        stmt = stmt.where(AuditEvent.seq <= end)
    for event in db.session.execute(stmt).scalars():
        fields = {name: getattr(event, name) for name in HASHED_FIELDS}
        if event.seq != expected_seq:
            return Verification(False, count, expected_seq, f"イベント {expected_seq} が欠落しています（次は {event.seq}）。")
        if event.prev_hash != expected_prev:
            return Verification(False, count, event.seq, f"イベント {event.seq} の直前ハッシュが連鎖と一致しません。")
        if event_hash(fields) != event.hash:
            return Verification(False, count, event.seq, f"イベント {event.seq} の内容がハッシュと一致しません（改ざんの疑い）。")
        expected_prev = event.hash
        expected_seq += 1
        count += 1
    if head is not None and (head.seq != count or head.hash != expected_prev):
        return Verification(False, count, count + 1, f"連鎖の末尾（{head.seq} 件目まで記録済み）のイベントが欠落しています。")
    return Verification(True, count)

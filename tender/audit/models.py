"""The audit trail: append-only events chained by SHA-256 hashes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from tender.extensions import db
from tender.types import UTCDateTime

#: prev_hash of the first event.
GENESIS = "0" * 64


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Position in the chain: 1, 2, 3 … without gaps.
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: Who: the user (None for the system or an unknown log-in name) and, frozen at the
    #: time of the event, how they were named and which role they acted in.
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_name: Mapped[str] = mapped_column(String(254))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    #: What: a dotted verb such as ``login.failed`` or ``company.updated``.
    action: Mapped[str] = mapped_column(String(80), index=True)
    #: Which object.
    object_type: Mapped[str | None] = mapped_column(String(50))
    object_id: Mapped[str | None] = mapped_column(String(50))
    #: A summary of the change as canonical JSON (confidential values masked).
    summary: Mapped[str] = mapped_column(Text, default="{}")
    #: From where.
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    """The single row that names the end of the chain.

    Appending locks this row, so two transactions cannot fork the chain, and deleting
    the newest events is detected because the head still names them.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


@event.listens_for(Session, "before_flush")
def _refuse_audit_rewrites(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("audit events are append-only")

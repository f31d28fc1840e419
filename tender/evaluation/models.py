"""The technical evaluation: evaluators and their declarations, marks, consensus and sign-off."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tender.extensions import db
from tender.types import UTCDateTime


class EvaluatorAssignment(db.Model):
    """An evaluator (審査員) of a case; one of them chairs the consensus (合議) [002 VI 2.2]."""

    __tablename__ = "evaluator_assignments"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The declaration of no conflict of interest with any bidder, before any proposal is shown.
    coi_declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    coi_statement: Mapped[str | None] = mapped_column(Text)
    #: The bidders named in the declaration (company ids), so a later bidder is not covered silently.
    coi_company_ids: Mapped[list | None] = mapped_column(JSON)
    #: A declared conflict: the evaluator sees no proposal and the officer replaces them.
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Own marks submitted: frozen, and the evaluator may now see the others'.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case = relationship("ProcurementCase")
    user = relationship("User", foreign_keys=[user_id])


class EvaluatorMark(db.Model):
    """One evaluator's mark for one item of one proposal, with a comment."""

    __tablename__ = "evaluator_marks"
    __table_args__ = (UniqueConstraint("assignment_id", "bid_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("evaluator_assignments.id"), index=True)
    #: The proposal: the first-round bid (re-bids change only the price).
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(20))
    #: "met"/"not_met", a rank "S"…"C", or a list of certification codes (the engine's vocabulary)
    value: Mapped[Any] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConsensusMark(db.Model):
    """The chair's record of the consensus (合議) for one item of one proposal: what counts."""

    __tablename__ = "consensus_marks"
    __table_args__ = (UniqueConstraint("bid_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(20))
    value: Mapped[Any] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HearingNote(db.Model):
    """Notes of a hearing (ヒアリング) with a bidder, which may inform the consensus [002 VI 2.2]."""

    __tablename__ = "hearing_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    file = relationship("StoredFile")
    recorded_by = relationship("User")


class TechnicalSignoff(db.Model):
    """The chair's sign-off: the consensus is frozen and the technical scores are final."""

    __tablename__ = "technical_signoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), unique=True)
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: {bid_id: {"screening": bool, "technical": int | None, "scores": {...}}} as signed
    snapshot: Mapped[dict] = mapped_column(JSON)

    signed_by = relationship("User")

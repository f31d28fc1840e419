"""In-app notifications (お知らせ): answers published, amendments, cancellations."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tender.extensions import db
from tender.types import UTCDateTime


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_key", "user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    message: Mapped[str] = mapped_column(Text)
    #: A path inside the application (never an external URL).
    link: Mapped[str | None] = mapped_column(String(300))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When it went out by e-mail (at once, or in the daily digest); None while it has not.
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: For reminders the daily sweep sends: what it is about (``due:deliverable:12:2026-12-01``), so
    #: that running the sweep twice tells nobody twice.
    key: Mapped[str | None] = mapped_column(String(120))

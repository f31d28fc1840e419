"""The home pages' lists as last made, per reader (``tender.home.readmodel``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tender.extensions import db
from tender.types import UTCDateTime


class HomeSnapshot(db.Model):
    """One reader's home lists (a company's to-do list and contract deadlines) as made at
    ``made_at``, right until ``valid_until`` while ``made_generation`` is still ``generation``.
    Every write that can change them raises ``generation`` in its own transaction."""

    __tablename__ = "home_snapshots"

    #: ``company:<id>``.
    reader: Mapped[str] = mapped_column(String(40), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    made_generation: Mapped[int | None] = mapped_column(Integer)
    made_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The lists as JSON.
    payload: Mapped[str | None] = mapped_column(Text)

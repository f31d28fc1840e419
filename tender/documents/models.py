"""Stored files: content-addressed, immutable once stored."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tender.extensions import db
from tender.types import UTCDateTime


class StoredFile(db.Model):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the content; the bytes live under FILE_STORAGE/<aa>/<bb>/<sha256>.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: The name the uploader gave (shown, never used as a path).
    filename: Mapped[str] = mapped_column(String(255))
    #: The type found by reading the content, not the one the browser claimed.
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

"""Stored files: content-addressed, immutable once stored."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tender.extensions import db
from tender.types import UTCDateTime


class StoredFile(db.Model):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the content (the fingerprint on receipts).
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: SHA-256 of the bytes kept, their name under FILE_STORAGE/<aa>/<bb>/: the content itself, or
    #: for a sealed file its envelope.
    blob_sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: A proposal file sealed to its case's proposals key until their release (tender.sealing).
    sealed_key_id: Mapped[int | None] = mapped_column(ForeignKey("case_keys.id"), index=True)
    #: The name the uploader gave (shown, never used as a path).
    filename: Mapped[str] = mapped_column(String(255))
    #: The type found by reading the content, not the one the browser claimed.
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    sealed_key = relationship("CaseKey")

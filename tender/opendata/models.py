"""The releases as published: written once, never changed (an auditor can rebuild the record)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tender.extensions import db
from tender.types import UTCDateTime


class OcdsRelease(db.Model):
    """One OCDS release of one case: what the public could know of it from ``published_at`` on."""

    __tablename__ = "ocds_releases"
    __table_args__ = (Index("ix_ocds_releases_feed", "published_at", "id"),
                      Index("ix_ocds_releases_case", "case_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"))
    ocid: Mapped[str] = mapped_column(String(100), index=True)
    #: The release's own ``id`` (unique within the ocid, and here across all).
    release_id: Mapped[str] = mapped_column(String(160), unique=True)
    #: The release's ``date``: when it became public.
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The ``tag`` list, as JSON.
    tags: Mapped[str] = mapped_column(String(300))
    #: SHA-256 of the content (tender, awards, contracts, parties…) without id, date and tag: a change
    #: of the case that changes nothing public makes no release.
    digest: Mapped[str] = mapped_column(String(64))
    #: The whole release as canonical JSON, exactly as served.
    data: Mapped[str] = mapped_column(Text)

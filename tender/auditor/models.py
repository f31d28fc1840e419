"""A case's record put together as one file by a worker (issue 20: bulk exports leave the request)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tender.extensions import db
from tender.types import UTCDateTime


class CaseFileExport(db.Model):
    __tablename__ = "case_file_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("job_runs.id"), index=True)
    #: The ZIP once made (in the file store: the local folder or the object store).
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case = relationship("ProcurementCase")
    requested_by = relationship("User")
    run = relationship("JobRun")
    file = relationship("StoredFile")

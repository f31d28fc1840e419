"""Each run of a job, as the administrator sees it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tender.extensions import db
from tender.rules.labels import Labelled
from tender.types import UTCDateTime, enum_column


class RunState(Labelled):
    QUEUED = "queued", "待機中"
    RUNNING = "running", "実行中"
    RETRYING = "retrying", "再試行待ち"
    SUCCEEDED = "succeeded", "完了"
    FAILED = "failed", "失敗"


class JobRun(db.Model):
    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    args: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[RunState] = mapped_column(enum_column(RunState), index=True)
    #: inline (run in the process that asked) or queue (a worker)
    where: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: What the job reported (a short summary), when it succeeded.
    outcome: Mapped[str | None] = mapped_column(Text)
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

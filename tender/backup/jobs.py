"""The nightly backup (tender.jobs)."""
from __future__ import annotations

from tender.backup import operations as ops
from tender.jobs import job


@job("backup.create", schedule="30 2 * * *", attempts=2, label="バックアップの作成")
def create() -> str:
    return f"バックアップを作成しました: {ops.create_backup()}"

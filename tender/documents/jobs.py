"""The clean-up of files nothing refers to (tender.jobs)."""
from __future__ import annotations

from datetime import timedelta

from tender.documents import storage
from tender.jobs import job


@job("files.clean", schedule="20 0 * * *", label="参照されていないファイルの削除")
def clean(older_than_hours: int = 24) -> str:
    count, size = storage.remove_orphans(older_than=timedelta(hours=older_than_hours))
    return f"参照されていないファイル {count} 件（{size:,} バイト）を削除しました。"

"""The erasure of personal data past its retention (tender.jobs)."""
from __future__ import annotations

from tender import clock
from tender.jobs import job
from tender.privacy import operations as ops


@job("personal_data.erase", schedule="15 0 * * *", label="保存期間の終わった個人情報の消去")
def erase() -> str:
    items = ops.due(clock.today_jst())
    count = ops.erase(items, by="system:job personal_data.erase", now=clock.now()) if items else 0
    return f"個人情報を {count} 件消去しました。"

"""The daily digest of お知らせ (tender.jobs)."""
from __future__ import annotations

from tender.extensions import db
from tender.jobs import job
from tender.mail.operations import deliver_pending
from tender.notifications.operations import send_digests


@job("notifications.digest", schedule="0 7 * * *", label="お知らせのまとめメール")
def digest() -> str:
    count = send_digests()
    db.session.commit()
    sent, failed = deliver_pending(max(count, 1) + 500)
    return f"まとめメール {count} 通（送信 {sent} 件、失敗 {failed} 件。失敗したものは mail send で再送）"

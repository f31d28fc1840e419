"""Delivering the outbox (tender.jobs): after each response that queued mail, and every five
minutes for what failed."""
from __future__ import annotations

from tender.jobs import job
from tender.mail.operations import deliver_pending


@job("mail.send", schedule="*/5 * * * *", label="メールの送信（未送信分の再送）")
def send(limit: int = 500) -> str:
    sent, failed = deliver_pending(limit)
    # A failed message stays in the outbox, listed for the administrator (/admin/mail) and tried
    # again by the next run: the job itself has done its part.
    return f"送信 {sent} 件、失敗 {failed} 件"

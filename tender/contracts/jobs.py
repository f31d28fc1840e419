"""The contracts' daily job (tender.jobs): lapses, deemed passes and reminders."""
from __future__ import annotations

from tender import clock
from tender.contracts import operations as ops
from tender.extensions import db
from tender.jobs import job
from tender.mail.operations import deliver_pending


@job("contracts.sweep", schedule="5 0 * * *", label="契約の日次処理（失効・検査合格とみなす・期限のお知らせ）")
def daily_sweep(echo=None) -> str:
    """Idempotent: a lapsed award, a deemed pass and a reminder each happen once, however often it runs."""
    now = clock.now()
    lapsed = ops.lapse_overdue(now)
    deemed = ops.record_deemed(now)
    reminded = ops.remind_deadlines(now)
    db.session.commit()
    deliver_pending(5000)  # what could not go now stays in the outbox for `mail send`
    if echo is not None:
        for contract in lapsed:
            echo(f"失効: {contract.case.reference} {contract.case.title}（{contract.company.name}、期限 {contract.deadline}）")
        for delivery in deemed:
            echo(f"合格とみなす: {delivery.deliverable.title}（検査期限 {delivery.inspection_due}）")
    return f"落札の失効 {len(lapsed)} 件、検査合格とみなした納入 {len(deemed)} 件、期限のお知らせ {reminded} 人。"

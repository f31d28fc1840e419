"""The daily sweep of contract deadlines: ``flask --app wsgi contracts sweep`` (see README, 運用)."""
import click
from flask import Blueprint

from tender import clock
from tender.contracts import operations as ops
from tender.extensions import db
from tender.mail.operations import deliver_pending

bp = Blueprint("contracts_cli", __name__, cli_group="contracts")


@bp.cli.command("sweep")
def sweep():
    """Lapse the awards whose signed contract did not come in by the deadline (第17条), and record the
    deliveries deemed to have passed inspection because no notice came within the period; remind
    contractors and officers of the deadlines of the next days (each once)."""
    now = clock.now()
    lapsed = ops.lapse_overdue(now)
    deemed = ops.record_deemed(now)
    reminded = ops.remind_deadlines(now)
    db.session.commit()
    deliver_pending(5000)  # what could not go now stays in the outbox for `mail send`
    for contract in lapsed:
        click.echo(f"失効: {contract.case.reference} {contract.case.title}（{contract.company.name}、期限 {contract.deadline}）")
    for delivery in deemed:
        click.echo(f"合格とみなす: {delivery.deliverable.title}（検査期限 {delivery.inspection_due}）")
    click.echo(f"落札の失効 {len(lapsed)} 件、検査合格とみなした納入 {len(deemed)} 件、期限のお知らせ {reminded} 人。")

"""flask --app wsgi mail send: retry what is still in the outbox."""
import click
from flask import Blueprint

from tender.mail.operations import deliver_pending

bp = Blueprint("mail_cli", __name__, cli_group="mail")


@bp.cli.command("send")
@click.option("--limit", default=500, show_default=True, help="at most this many messages")
def send_command(limit: int) -> None:
    """Deliver the messages still waiting in the outbox (run it every few minutes)."""
    sent, failed = deliver_pending(limit)
    click.echo(f"送信 {sent} 件、失敗 {failed} 件")
    if failed:
        raise SystemExit(1)

"""flask --app wsgi notifications digest: the daily digest of お知らせ (run it once each morning)."""
import click
from flask import Blueprint

from tender.extensions import db
from tender.mail.operations import deliver_pending
from tender.notifications.operations import send_digests

bp = Blueprint("notifications_cli", __name__, cli_group="notifications")


@bp.cli.command("digest")
def digest_command() -> None:
    """Mail each user who chose the daily digest what they were told since the last one."""
    count = send_digests()
    db.session.commit()
    sent, failed = deliver_pending(max(count, 1) + 500)
    click.echo(f"まとめメール {count} 通（送信 {sent} 件、失敗 {failed} 件。失敗したものは mail send で再送）")

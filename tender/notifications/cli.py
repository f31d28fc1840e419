"""flask --app wsgi notifications digest: the daily digest of お知らせ (run it once each morning)."""
import click
from flask import Blueprint

bp = Blueprint("notifications_cli", __name__, cli_group="notifications")


@bp.cli.command("digest")
def digest_command() -> None:
    """Mail each user who chose the daily digest what they were told since the last one (the queue
    runs the same job each morning: tender.notifications.jobs)."""
    from tender.notifications.jobs import digest

    click.echo(digest())

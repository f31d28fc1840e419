"""The daily sweep of contract deadlines: ``flask --app wsgi contracts sweep`` (see README, 運用)."""
import click
from flask import Blueprint

bp = Blueprint("contracts_cli", __name__, cli_group="contracts")


@bp.cli.command("sweep")
def sweep():
    """Lapse the awards whose signed contract did not come in by the deadline (第17条), and record the
    deliveries deemed to have passed inspection because no notice came within the period; remind
    contractors and officers of the deadlines of the next days (each once). The queue runs the
    same job daily (tender.contracts.jobs)."""
    from tender.contracts.jobs import daily_sweep

    click.echo(daily_sweep(echo=click.echo))

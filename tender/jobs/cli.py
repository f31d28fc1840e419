"""``flask --app wsgi jobs run NAME`` and ``jobs list``: a job by hand (to the queue, or at once)."""
import click
from flask import Blueprint

from tender.jobs import REGISTRY
from tender.jobs import operations as ops
from tender.jobs.models import RunState

bp = Blueprint("jobs_cli", __name__, cli_group="jobs")


@bp.cli.command("list")
def list_command() -> None:
    """The jobs and their schedules (Japan time, cron fields)."""
    for name, spec in sorted(REGISTRY.items()):
        click.echo(f"{name:22} {spec.schedule or '（随時）':14} {spec.label}")


@bp.cli.command("run")
@click.argument("name")
def run_command(name: str) -> None:
    """Hand NAME to the queue (or, without one, run it now); exit 1 if it failed here."""
    if name not in REGISTRY:
        raise click.ClickException(f"不明なジョブです: {name}（jobs list で一覧）")
    run = ops.enqueue(name)
    click.echo(f"{name}: {run.state.label}" + (f" — {run.outcome}" if run.outcome else "")
               + (f" — {run.last_error}" if run.last_error else ""))
    if run.state == RunState.FAILED:
        raise SystemExit(1)

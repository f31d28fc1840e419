"""flask --app wsgi cases tick: the states that move with the clock (run it every few minutes)."""
import click
from flask import Blueprint

bp = Blueprint("cases_cli", __name__, cli_group="cases")


@bp.cli.command("tick")
def tick() -> None:
    """Close the submissions of every published case past its deadline (受付終了). A case published
    ahead of its 公示日 needs nothing: it appears on the board at 0時 that day by itself. The queue
    runs the same job every five minutes (tender.notices.jobs)."""
    from tender.notices.jobs import tick as run

    click.echo(run())

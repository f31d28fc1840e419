"""flask --app wsgi cases tick: the states that move with the clock (run it every few minutes)."""
import click
from flask import Blueprint

from tender import clock
from tender.extensions import db
from tender.notices import operations as ops

bp = Blueprint("cases_cli", __name__, cli_group="cases")


@bp.cli.command("tick")
def tick() -> None:
    """Close the submissions of every published case past its deadline (受付終了). A case published
    ahead of its 公示日 needs nothing: it appears on the board at 0時 that day by itself."""
    closed = ops.close_due(clock.now())
    db.session.commit()
    for case in closed:
        click.echo(f"受付終了: {case.reference} {case.title}")
    click.echo(f"受付を締め切った案件 {len(closed)} 件。")

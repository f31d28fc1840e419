"""flask --app wsgi ocds export FILE | sync: the bulk package, and the sweep by hand."""
from __future__ import annotations

import click
from flask import Blueprint

from tender import clock

bp = Blueprint("ocds_cli", __name__, cli_group="ocds")


@bp.cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, allow_dash=True))
def export(path: str) -> None:
    """Write the release package of everything published (OCDS 1.1, with this publisher's extension)
    to PATH ('-' for standard output)."""
    from tender.opendata.operations import export as write
    from tender.web.urls import public_url_for

    uri = public_url_for("ocds.package")
    with click.open_file(path, "w", encoding="utf-8") as out:
        count = write(out, clock.now(), uri)
    if path != "-":
        click.echo(f"{count} 件のリリースを {path} に書き出しました。")


@bp.cli.command("sync")
@click.option("--all", "everything", is_flag=True,
              help="Compare every public case with its last release (after a release could not be made).")
def sync(everything: bool) -> None:
    """Make the first release of every public case that has none (the sweep the queue runs)."""
    from tender.extensions import db
    from tender.opendata import operations as ops

    if not everything:
        from tender.opendata.jobs import sync as run

        click.echo(run())
        return
    made = []
    for case_id in ops.public_case_ids(clock.now()):
        # Each release dated as it commits, a case at a time: a long run cannot slip releases behind
        # a reader's cursor (OCDS_FEED_SETTLE_SECONDS).
        release = ops.sync_case(case_id, clock.now())
        db.session.commit()
        if release is not None:
            made.append(release.release_id)
    click.echo(f"新しいリリース {len(made)} 件。" + "".join(f"\n{r}" for r in made))

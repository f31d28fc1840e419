"""flask --app wsgi files clean: remove stored files nothing refers to (run it with the daily sweep)."""
from datetime import timedelta

import click
from flask import Blueprint

from tender.documents import storage

bp = Blueprint("files_cli", __name__, cli_group="files")


@bp.cli.command("clean")
@click.option("--older-than-hours", default=24, show_default=True, help="leave younger files (uploads in flight)")
@click.option("--dry-run", is_flag=True, help="list what would be removed, remove nothing")
def clean_command(older_than_hours: int, dry_run: bool) -> None:
    """Remove files of refused or failed submissions (no record refers to them) and temporary files
    left by a crash, so that they neither fill the disk nor go into every backup."""
    age = timedelta(hours=older_than_hours)
    if dry_run:
        found = storage.orphans(older_than=age)
        for path in found:
            click.echo(path.relative)
        click.echo(f"参照されていないファイル {len(found)} 件（削除していません）")
        return
    count, size = storage.remove_orphans(older_than=age)
    click.echo(f"参照されていないファイル {count} 件（{size:,} バイト）を削除しました。")

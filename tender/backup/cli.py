"""Commands: ``flask --app wsgi backup create|verify|list|restore``.

Daily schedule (cron of the service user, 02:30 Japan time, keeping 7 copies)::

    30 2 * * *  cd /srv/tender && .venv/bin/flask --app wsgi backup create --keep 7 >> instance/backup.log 2>&1

The exit status is non-zero, with a one-line message, when a backup fails; copy the backup
directories to another machine as well (they are self-contained and carry their checksums).
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import Blueprint

from tender.backup import operations as ops

bp = Blueprint("backup_cli", __name__, cli_group="backup")


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def _fail(message: str) -> None:
    click.echo(f"エラー: {message}", err=True)
    raise SystemExit(1)


@bp.cli.command("create")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="Where to create the backup (default: BACKUP_DIR, else instance/backups).")
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="How many backups to keep in that directory (default: BACKUP_KEEP, else 7).")
def create(directory: Path | None, keep: int | None) -> None:
    """Copy the database and the stored files into DIR/tender-YYYYMMDD-HHMMSS, verified."""
    directory = directory or ops.default_dir()
    try:
        before = {b.path for b in ops.list_backups(directory)}
        path = ops.create_backup(directory, keep)
        after = {b.path for b in ops.list_backups(directory)}
        manifest = ops.read_manifest(path)
    except ops.BackupError as exc:
        _fail(str(exc))
    database = manifest["database"]
    storage = manifest["storage"]
    for warning in manifest.get("warnings", []):
        click.echo(f"警告: {warning}", err=True)
    for removed in sorted(before - after):
        click.echo(f"古いバックアップを削除しました: {removed.name}")
    click.echo(f"バックアップを作成しました: {path}（{ops.KIND_LABEL[database['kind']]}、"
               f"スキーマ版 {database['alembic_revision'] or 'なし'}、テーブル {len(database['tables'])} 件 "
               f"{database['rows']:,} 行、ファイル {storage['files']:,} 件 {_size(storage['bytes'])}、"
               "チェックサム検証済み）")


@bp.cli.command("verify")
@click.argument("path", type=click.Path(path_type=Path))
def verify(path: Path) -> None:
    """Re-check every checksum of a backup; exit 1 naming the first mismatch."""
    problems = ops.verify_backup(path)
    if problems:
        more = f"（ほか {len(problems) - 1} 件）" if len(problems) > 1 else ""
        click.echo(f"NG: {problems[0]}{more}", err=True)
        raise SystemExit(1)
    manifest = ops.read_manifest(path)
    click.echo(f"OK: バックアップ {Path(path).name} のファイル {len(manifest['files']):,} 件のチェックサムはすべて一致します。")


@bp.cli.command("list")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="Where the backups are (default: BACKUP_DIR, else instance/backups).")
def list_(directory: Path | None) -> None:
    """The backups in DIR, oldest first."""
    directory = directory or ops.default_dir()
    backups = ops.list_backups(directory)
    if not backups:
        click.echo(f"バックアップはありません（{directory}）。")
        return
    click.echo(f"{directory} のバックアップ {len(backups)} 件:")
    for b in backups:
        click.echo(f"  {b.name:<28} {b.created_at:%Y-%m-%d %H:%M:%S} {ops.KIND_LABEL.get(b.kind, b.kind):<10} "
                   f"版 {b.revision or 'なし':<8} ファイル {b.files:>6,} 件  合計 {_size(b.size):>10}")


@bp.cli.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Really replace the database and restore the files.")
def restore(path: Path, yes: bool) -> None:
    """Bring a backup back into the configured database and file storage (checked first)."""
    try:
        plan = ops.plan_restore(path)
    except ops.BackupError as exc:
        _fail(str(exc))
    current = (f"テーブル {plan.current_tables} 件 {plan.current_rows:,} 行" if plan.current_tables
               else "空（テーブルなし）")
    click.echo(f"バックアップ: {plan.backup.path}（{plan.backup.created_at:%Y-%m-%d %H:%M:%S} 作成、"
               f"スキーマ版 {plan.backup.revision or 'なし'}、{plan.backup_rows:,} 行、チェックサム一致）")
    click.echo(f"置き換えるデータベース: {plan.target}（{ops.KIND_LABEL[plan.target_kind]}、現在 {current}）")
    click.echo(f"ファイル保存領域: {plan.storage}（不足しているファイル {plan.files_missing:,} 件を復元）")
    if not yes:
        _fail("確認のため何も変更していません。上記を置き換えてよければ --yes を付けて実行してください。")
    try:
        result = ops.restore_backup(path)
    except ops.BackupError as exc:
        _fail(str(exc))
    for warning in result.warnings:
        click.echo(f"警告: {warning}", err=True)
    click.echo(f"復元しました: テーブル {result.tables} 件 {result.rows:,} 行、ファイル 復元 {result.files_copied:,} 件・"
               f"既存 {result.files_present:,} 件・修復 {result.files_repaired:,} 件、スキーマ版 {result.revision or 'なし'}。")

import click
from flask import Blueprint

from tender.audit.operations import verify_chain

bp = Blueprint("audit_cli", __name__, cli_group="audit")


@bp.cli.command("verify")
def verify():
    """Check the audit trail's hash chain; exit 1 naming the first broken event."""
    result = verify_chain()
    if result.ok:
        click.echo(f"OK: 監査証跡 {result.count} 件の連鎖は完全です。")
        return
    click.echo(f"NG: 最初に壊れているイベント seq={result.broken_seq}: {result.reason}", err=True)
    raise SystemExit(1)

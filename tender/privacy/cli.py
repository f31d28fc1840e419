"""``flask --app wsgi personal-data due|erase``: personal data past its retention."""
import click
from flask import Blueprint

from tender import clock
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.privacy import operations as ops

bp = Blueprint("privacy_cli", __name__, cli_group="personal-data")


def _case(reference: str | None):
    if not reference:
        return None
    case = db.session.execute(db.select(ProcurementCase).where(ProcurementCase.reference == reference)).scalar_one_or_none()
    if case is None:
        raise click.ClickException(f"案件番号 {reference} の案件はありません。")
    return case


@bp.cli.command("due")
@click.option("--case", "reference", help="案件番号（省略時はすべて）")
def due(reference):
    """List the cases whose personal data has passed its retention."""
    items = ops.due(clock.today_jst(), _case(reference))
    for item in items:
        click.echo(f"{item.case.reference} {item.case.title}: 保存期間 {item.ends_on} まで、参加意思確認書 {len(item.participations)} 件")
    click.echo(f"消去の対象 {sum(len(i.participations) for i in items)} 件。")


@bp.cli.command("erase")
@click.option("--case", "reference", help="案件番号（省略時は保存期間の終わったすべて）")
@click.option("--yes", is_flag=True, help="確認なしで消去する")
@click.option("--as", "operator", default=None, help="記録に残す実行者（既定：OS の利用者名）")
def erase(reference, yes, operator):
    """Erase the personal data whose retention has ended, irrecoverably, and record each erasure."""
    items = ops.due(clock.today_jst(), _case(reference))
    total = sum(len(i.participations) for i in items)
    if not total:
        click.echo("保存期間の終わった個人情報はありません。")
        return
    if not yes:
        for item in items:
            click.echo(f"{item.case.reference} {item.case.title}: {len(item.participations)} 件")
        raise click.ClickException(f"{total} 件の個人情報を復元できない形で消去します。--yes を付けて実行してください。")
    # Without --as the trail names the operating-system user (system:<name>), as for every command.
    count = ops.erase(items, by=operator or None, now=clock.now())
    click.echo(f"個人情報を {count} 件消去し、監査証跡に記録しました。")


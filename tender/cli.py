"""Commands: ``flask --app wsgi demo``, ``flask --app wsgi keys rotate``."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

import forms
from tender.accounts.models import User
from tender.accounts.operations import takes_password
from tender.audit.operations import record
from tender.award import exports as award
from tender.bidding import exports as bidding
from tender.demo import DEMO_EMAILS, DEMO_PASSWORD, load_demo
from tender.documents.yoshiki import export
from tender.extensions import db
from tender.notices import exports as notices
from tender.rules.evaluation_case import run
from tender.types import EncryptedText


def register_commands(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--if-empty", is_flag=True, help="Load only when the database has no users yet.")
    def demo(if_empty: bool) -> None:
        """Load the fictional demo authority, companies and one user of each role."""
        has_users = db.session.execute(select(User.id).limit(1)).first() is not None
        if has_users and if_empty:
            click.echo("デモデータは読み込み済みです。")
        elif has_users:
            raise click.ClickException("データベースが空ではありません。--if-empty を付けるか、空のデータベースで実行してください。")
        else:
            load_demo()
            db.session.commit()
            click.echo("デモデータを読み込みました。")
        # Only the demo's own accounts, and only while they still take the demo password (issue 19:
        # a repeated `make run` listed every user, with a password none but the demo's have).
        listed = [user for user in db.session.execute(select(User).where(User.email.in_(DEMO_EMAILS))
                                                      .order_by(User.id)).scalars()
                  if user.active and takes_password(user, DEMO_PASSWORD)]
        if listed:
            click.echo(f"\nデモアカウント（パスワードはすべて {DEMO_PASSWORD}）:")
            for user in listed:
                click.echo(f"  {user.role.label:<10} {user.email:<28} {user.name}")
        else:
            click.echo("\nデモのパスワードで入れるデモアカウントはありません。")

    @app.cli.command("evaluate-case")
    @click.argument("case_file", type=click.Path(dir_okay=False))
    def evaluate_case(case_file: str) -> None:
        """Recompute a tender's result from its exported data (../shared/spec/evaluation-case.md).

        Prints the result as JSON and exits 0; a malformed case prints one line on stderr and
        exits 2. The same engine decides awards in the application.
        """
        try:
            with open(case_file, "rb") as handle:
                text = handle.read().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            sys.stderr.write(f"cannot read {case_file}: {exc}\n")
            raise SystemExit(2) from exc
        code, out, err = run(text)
        sys.stdout.write(out)
        sys.stderr.write(err)
        raise SystemExit(code)

    yoshiki = AppGroup("forms", help="The prescribed forms (様式).")
    app.cli.add_command(yoshiki)

    @yoshiki.command("list")
    def list_forms() -> None:
        """List the forms: stable code, title and source."""
        for code in forms.codes():
            module = forms.get(code)
            formats = "pdf docx" + (" xlsx" if code in forms.XLSX_CODES else "")
            click.echo(f"{code:<24} {module.TITLE}  {module.SOURCE}  [{formats}]")

    @yoshiki.command("export")
    @click.argument("outdir", type=click.Path(file_okay=False))
    def export_forms(outdir: str) -> None:
        """Write every form, filled from the database where it can be, as OUTDIR/<code>.pdf/.docx."""
        for path in export(Path(outdir), {**notices.FROM_RECORDS, **bidding.FROM_RECORDS, **award.FROM_RECORDS}):
            click.echo(f"{path}  {path.stat().st_size:,} bytes")

    keys = AppGroup("keys", help="Keys of the confidential columns.")
    app.cli.add_command(keys)

    @keys.command("rotate")
    def rotate() -> None:
        """Re-encrypt every confidential value under the first key of TENDER_DATA_KEYS."""
        count = 0
        for mapper in db.Model.registry.mappers:
            columns = [c.key for c in mapper.columns if isinstance(c.type, EncryptedText)]
            if not columns:
                continue
            for obj in db.session.execute(select(mapper.class_)).scalars():
                for name in columns:
                    if getattr(obj, name) is not None:
                        flag_modified(obj, name)  # written back, hence encrypted with the new key
                        count += 1
        record("keys.rotated", summary={"values": count})
        db.session.commit()
        click.echo(f"{count} 件の秘匿項目を新しい鍵で暗号化し直しました。")

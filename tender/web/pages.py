"""Small helpers every route uses: load or 404, safe redirects."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, flash, redirect, render_template, request

from forms.render_xlsx import formula_safe
from tender.extensions import db
from tender.rules.errors import OperationError, afterwards_of
from tender.web.forms import ConfirmForm


def get_or_404(model, ident):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


#: Pages past this are not served (a page number is user input).
MAX_PAGE = 100_000


def paginate(stmt, per_page: int = 25):
    """One page of ``stmt``; a nonsense page number gives the first or an empty page, never an error."""
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(stmt, page=min(max(page, 1), MAX_PAGE), per_page=per_page, error_out=False)


def safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after log-in (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@dataclass
class Outcome:
    """What one operation came to: done (with what it returned), or refused with a Japanese reason."""

    ok: bool
    value: Any = None
    error: str = ""
    field: str | None = None

    def __bool__(self) -> bool:
        return self.ok


def perform(change: Callable[[], Any]) -> Outcome:
    """One operation as one transaction: commit what it did, or roll back everything when it
    refuses (OperationError) and then record what the refusal keeps (its ``afterwards``). The
    only place a request commits or rolls back an operation."""
    try:
        value = change()
    except OperationError as exc:
        db.session.rollback()
        kept = afterwards_of(exc)
        for step in kept:
            step()
        if kept:
            db.session.commit()
        return Outcome(False, error=str(exc), field=exc.field)
    db.session.commit()
    return Outcome(True, value)


def apply_form(form, change: Callable[[Any], Any], message=None, *, error_prefix: str = "",
               inline: bool = False) -> Outcome:
    """The POST pipeline of every action: check the form, run the operation on it
    (``change(form)``), commit once and flash what happened; or roll back and say why nothing
    did (the operation's OperationError, in Japanese). ``message``: a text, or a function of what
    the operation returned.

    The caller redirects when the outcome is ok (it is truthy, and holds what the operation
    returned). Otherwise an action button's page is redirected
    back to with the reason flashed; a form page (``inline``) is shown again with the reason above
    the form and each field's own message beside it (and on a GET nothing is said)."""
    if not form.validate_on_submit():
        if not inline:
            flash(" ".join(e for errs in form.errors.values() for e in errs) or "入力内容を確認してください。", "error")
        return Outcome(False, error="invalid form")
    done = perform(lambda: change(form))
    if not done.ok:
        if inline and done.field and done.field in form:
            form[done.field].errors = [*form[done.field].errors, done.error]
        elif inline:
            form.form_errors.append(f"{error_prefix}{done.error}")
        else:
            flash(f"{error_prefix}{done.error}", "error")
        return done
    said = message(done.value) if callable(message) else message  # a text, or (text, category)
    if said:
        text, category = said if isinstance(said, tuple) else (said, "success")
        flash(text, category)
    return done


def act(back: str, change: Callable[[Any], Any], message, form=None, *, error_prefix: str = ""):
    """apply_form (a confirmation-only form by default), then back to the page the action was
    taken on (Post/Redirect/Get)."""
    apply_form(form if form is not None else ConfirmForm(), change, message, error_prefix=error_prefix)
    return redirect(back)


def render_recorded(template: str, **context) -> str:
    """A page that records its own viewing (personal data, 予定価格, …): rendered first, then the
    record committed, so that the commit does not expire what the page shows and make each row
    load again one by one."""
    html = render_template(template, **context)
    db.session.commit()
    return html


def spreadsheet_safe(value):
    """A cell value that a spreadsheet will not run as a formula (CSV/XLSX formula injection): the
    forms' own rule (forms.render_xlsx.formula_safe), so CSV and XLSX follow one."""
    return formula_safe(value)


def csv_text(header: list[str], rows) -> str:
    """CSV with a UTF-8 BOM (so that Excel reads the Japanese), every cell spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return "\ufeff" + out.getvalue()


def send_csv(header: list[str], rows, filename: str):
    return Response(csv_text(header, rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})

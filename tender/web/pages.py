"""Small helpers every route uses: load or 404, safe redirects."""
from __future__ import annotations

import base64
import binascii
import csv
import enum
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, flash, redirect, render_template, request
from sqlalchemy import func, select, tuple_
from sqlalchemy.types import TypeDecorator

from forms.render_xlsx import formula_safe
from tender.extensions import db
from tender.rules.errors import OperationError, afterwards_of
from tender.web import feedback
from tender.web.forms import ConfirmForm


def get_or_404(model, ident):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


#: How many rows a list counts before it says "N件以上": counting is bounded like the pages are (a
#: search for a common word, 「清掃」 in one case of ten at 100,000, counts 1,001 rows, not all).
COUNT_LIMIT = 1_000


@dataclass
class KeysetPage:
    """One page of a list read by keyset (seek) pagination: every page, the last included, is one
    index range scan, however far into the list (OFFSET read and threw away every earlier row)."""

    items: list
    older: str | None = None  # the cursor of the next page (further down the list)
    newer: str | None = None  # the cursor of the previous page (back towards the start)
    at_start: bool = True
    at_end: bool = True
    total: int = 0
    more_than: bool = False  # more rows than COUNT_LIMIT: the total says "N件以上"


def _encode(values: tuple) -> str:
    out = []
    for v in values:
        if isinstance(v, datetime):
            out.append({"t": v.isoformat()})
        elif isinstance(v, date):
            out.append({"d": v.isoformat()})
        elif isinstance(v, enum.Enum):
            out.append(v.value)
        else:
            out.append(v)
    return base64.urlsafe_b64encode(json.dumps(out, ensure_ascii=False).encode()).decode().rstrip("=")


def _python_type(column) -> type:
    sql_type = column.type
    if isinstance(sql_type, TypeDecorator):  # UTCDateTime and the like: their stored type's
        sql_type = sql_type.impl_instance
    return sql_type.python_type


def _decode(cursor: str, order: Sequence) -> tuple | None:
    """The values a cursor carries, each of its column's type, or None for anything that is not
    one of ours (the page is then the first, never an error)."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(order):
            return None
        values = []
        for v, column in zip(raw, order):
            kind = _python_type(column)
            if isinstance(v, dict) and set(v) == {"t"} and issubclass(kind, datetime):
                value = datetime.fromisoformat(v["t"])
                if value.tzinfo is None:
                    return None
            elif isinstance(v, dict) and set(v) == {"d"} and kind is date:
                value = date.fromisoformat(v["d"])
            elif isinstance(v, str) and issubclass(kind, enum.Enum):
                value = kind(v)
            elif type(v) in (int, str) and issubclass(kind, type(v)) and not issubclass(kind, enum.Enum):
                value = v
                if isinstance(v, int) and not -(2**63) <= v < 2**63:
                    return None
            else:
                return None
            values.append(value)
        return tuple(values)
    except (ValueError, TypeError, NotImplementedError, binascii.Error, UnicodeDecodeError, RecursionError):
        return None


def keyset(stmt, order: Sequence, per_page: int = 25, *, descending: bool = True, count: bool = True,
           args: Mapping[str, str] | None = None, rows: bool = False, counted=None) -> KeysetPage:
    """A page of ``stmt`` ordered by ``order`` (columns that together are unique, the last one the
    id, none NULL), newest first unless ``descending`` is False. The request's query string says
    which page: ``after=<cursor>`` (the next), ``before=<cursor>`` (the previous), ``last=1`` (the
    last); nothing, or anything else, is the first. The items are the statement's first entity,
    or with ``rows`` its rows (a statement of columns, ``order`` among them by the same names).
    ``counted``: a statement of the same rows to count, if cheaper (without the page's joins)."""
    args = request.args if args is None else args
    key = tuple_(*order)
    after = _decode(args.get("after", ""), order) if args.get("after") else None
    before = _decode(args.get("before", ""), order) if args.get("before") else None
    towards_start = before is not None or (after is None and args.get("last") == "1")
    forward = [c.desc() if descending else c.asc() for c in order]
    backward = [c.asc() if descending else c.desc() for c in order]
    page = stmt.order_by(None)
    if after is not None:
        page = page.where(key < after if descending else key > after)
    elif before is not None:
        page = page.where(key > before if descending else key < before)
    result_rows = db.session.execute(page.order_by(*(backward if towards_start else forward)).limit(per_page + 1))
    items = result_rows.all() if rows else result_rows.scalars().all()
    more = len(items) > per_page
    items = items[:per_page]
    if towards_start:
        items.reverse()
    values = [tuple(_value(item, c) for c in order) for item in items]
    result = KeysetPage(items=items)
    if towards_start:
        result.at_start, result.at_end = not more, before is None
    else:
        result.at_start, result.at_end = after is None, not more
    if items:
        result.older = None if result.at_end else _encode(values[-1])
        result.newer = None if result.at_start else _encode(values[0])
    if count:
        # Counted over the last ordering column only (the id): no wide row is read to be counted.
        narrow = (stmt if counted is None else counted).order_by(None).with_only_columns(
            order[-1], maintain_column_froms=True)
        counted = db.session.scalar(select(func.count()).select_from(narrow.limit(COUNT_LIMIT + 1).subquery()))
        result.total, result.more_than = min(counted or 0, COUNT_LIMIT), (counted or 0) > COUNT_LIMIT
    return result


def _value(row, column):
    """The value of an ordering column on a loaded row (its attribute of the same name)."""
    return getattr(row, column.key)


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
    back to with the reason shown in the refused form, beside its fields, where the redirect lands
    (tender.web.feedback), or flashed when the form is a bare button; a form page (``inline``) is shown again with the reason above
    the form and each field's own message beside it (and on a GET nothing is said)."""
    if not form.validate_on_submit():
        if not inline and not feedback.keep(form, None):
            flash(" ".join(e for errs in form.errors.values() for e in errs) or "入力内容を確認してください。", "error")
        return Outcome(False, error="invalid form")
    done = perform(lambda: change(form))
    if not done.ok:
        if done.field and done.field in form:
            form[done.field].errors = [*form[done.field].errors, done.error]
        if inline and not (done.field and done.field in form):
            form.form_errors.append(f"{error_prefix}{done.error}")
        elif not inline and not feedback.keep(form, f"{error_prefix}{done.error}"):
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


def render_recorded(template: str, recording: Callable[[], Any], **context) -> str:
    """A page that records its own viewing (personal data, 予定価格, …): rendered first, then
    ``recording()`` makes the record and it is committed; the page is shown only once its record
    is. The audit trail takes one writer at a time: the record is made after the rendering, so
    that no page is rendered while it holds the trail, and the commit does not expire what the
    page shows and make each row load again one by one."""
    html = render_template(template, **context)
    recording()
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

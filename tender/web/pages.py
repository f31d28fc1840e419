"""Small helpers every route uses: load or 404, safe redirects."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, request

from tender.extensions import db


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


def apply_form(form, change, message, errors: tuple[type[Exception], ...], *, error_prefix: str = "") -> bool:
    """The POST pipeline of every action: check the form, run the operation, commit once, and
    flash what happened — or roll back and flash why nothing did. The caller redirects."""
    from flask import flash

    if not form.validate_on_submit():
        flash(" ".join(e for errs in form.errors.values() for e in errs) or "入力内容を確認してください。", "error")
        return False
    try:
        change()
    except errors as exc:
        db.session.rollback()
        flash(f"{error_prefix}{exc}", "error")
        return False
    db.session.commit()
    if message:
        flash(message() if callable(message) else message, "success")
    return True


def send_stored(stored):
    """A stored upload (StoredFile) as a download under the name it was uploaded with."""
    import io

    from flask import send_file

    from flask import render_template

    from tender.documents import storage

    try:
        data = storage.read(stored)
    except storage.Sealed:
        return render_template("errors/error.html", code=403, title="封印中の書類です",
                               message="この書類は、開札担当職員による開封（提案書の開封または開札）まで、誰も閲覧できません。"), 403
    return send_file(io.BytesIO(data), mimetype=stored.content_type, as_attachment=True,
                     download_name=storage.download_name(stored))


def send_form(code: str, data, ext: str, stem: str):
    """A 様式 rendered to PDF, DOCX or (where the form has one) XLSX; any other extension is a 404."""
    import io

    from flask import send_file

    import forms
    from tender.documents import storage

    renderers = {"pdf": (forms.render_pdf, storage.PDF), "docx": (forms.render_docx, storage.DOCX)}
    if code in forms.XLSX_CODES:
        renderers["xlsx"] = (forms.render_xlsx, storage.XLSX)
    if ext not in renderers:
        abort(404)
    render, mimetype = renderers[ext]
    return send_file(io.BytesIO(render(code, data)), mimetype=mimetype, as_attachment=True,
                     download_name=f"{stem}.{ext}")


def spreadsheet_safe(value):
    """A cell value that a spreadsheet will not run as a formula (CSV/XLSX formula injection): the
    forms' own rule (forms.render_xlsx.formula_safe), so CSV and XLSX follow one."""
    from forms.render_xlsx import formula_safe

    return formula_safe(value)


def csv_text(header: list[str], rows) -> str:
    """CSV with a UTF-8 BOM (so that Excel reads the Japanese), every cell spreadsheet-safe."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return "\ufeff" + out.getvalue()


def send_csv(header: list[str], rows, filename: str):
    from flask import Response

    return Response(csv_text(header, rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})

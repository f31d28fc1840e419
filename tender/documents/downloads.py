"""Files leave the application here: a stored upload under the name it was uploaded with, and a
様式 rendered to the format asked for."""
from __future__ import annotations

import io

from flask import abort, render_template, send_file

import forms
from tender.documents import storage
from tender.documents.models import StoredFile


def send_stored(stored: StoredFile):
    """A stored upload as a download; a file still sealed says so (403), and nothing is read."""
    try:
        data = storage.read(stored)
    except storage.Sealed:
        return render_template("errors/error.html", code=403, title="封印中の書類です",
                               message="この書類は、開札担当職員による開封（提案書の開封または開札）まで、誰も閲覧できません。"), 403
    return send_file(io.BytesIO(data), mimetype=stored.content_type, as_attachment=True,
                     download_name=storage.download_name(stored))


def send_form(code: str, data, ext: str, stem: str):
    """A 様式 rendered to PDF, DOCX or (where the form has one) XLSX; any other extension is a 404."""
    renderers = {"pdf": (forms.render_pdf, storage.PDF), "docx": (forms.render_docx, storage.DOCX)}
    if code in forms.XLSX_CODES:
        renderers["xlsx"] = (forms.render_xlsx, storage.XLSX)
    if ext not in renderers:
        abort(404)
    render, mimetype = renderers[ext]
    return send_file(io.BytesIO(render(code, data)), mimetype=mimetype, as_attachment=True,
                     download_name=f"{stem}.{ext}")

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

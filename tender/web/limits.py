"""Rate limits: log-in attempts per client address, and the pages that render documents or
exports per user (or address), so that neither guessing passwords nor rendering PDFs in a loop
can wear the service down (DOMAIN §11: throttling under overload). Over the limit: 429 with a
Japanese page and Retry-After. The per-account lock-out after failed log-ins stays as it is.
"""
from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

#: Endpoints that render a PDF/DOCX/XLSX or export a file: each costs far more than a page.
EXPENSIVE_ENDPOINTS = frozenset({
    "board.blank_form", "criteria.sheet", "bidding.receipt_document", "award.opening_record",
    "award.score_sheet", "award.notice", "award.evaluation_case", "contracts.version_file",
    "contracts.publication_csv", "audit.case_events", "audit.case_summary", "cases.briefing_csv",
})


def user_or_address() -> str:
    if current_user and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{get_remote_address()}"


def init_limits(app: Flask) -> Limiter:
    """A limiter of this application's own (``app.extensions["tender_limiter"]``): the storage is
    ``RATELIMIT_STORAGE_URI`` (memory by default; redis:// so that several workers share counts)."""
    limiter = Limiter(key_func=get_remote_address, app=app, default_limits=[])
    app.extensions["tender_limiter"] = limiter
    # Guessing a password or a link, or mailing links to someone in a loop.
    for endpoint, what in (("accounts.login", "ログインの試行"), ("accounts.forgot_password", "再設定の依頼"),
                           ("accounts.reset_password", "パスワード設定の試行")):
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = limiter.limit(
                lambda: app.config["LOGIN_RATE_LIMIT"], methods=["POST"], key_func=get_remote_address,
                error_message=f"{what}が多すぎます。しばらく待ってからお試しください。")(view)
    for endpoint in sorted(EXPENSIVE_ENDPOINTS & set(app.view_functions)):
        app.view_functions[endpoint] = limiter.limit(
            lambda: app.config["EXPENSIVE_RATE_LIMIT"], key_func=user_or_address,
            error_message="短時間に多くの出力を要求しました。しばらく待ってからお試しください。")(app.view_functions[endpoint])
    return limiter

"""The application factory."""
from __future__ import annotations

from flask import Flask, render_template
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, StatementError
from werkzeug.middleware.proxy_fix import ProxyFix

from tender import crypto, policy
from tender.accounts import access as _a  # noqa: F401
from tender.accounts import sessions
from tender.accounts.hooks import end_idle_session, require_password_change
from tender.accounts.routes import bp as accounts
from tender.administration.routes import bp as administration
from tender.api.auth import ApiRefused, rate_key
from tender.api.docs import bp as api_docs
from tender.api.routes import bp as api
from tender.audit.cli import bp as audit_cli
from tender.audit.operations import head_column, head_seq
from tender.auditor import access as _au  # noqa: F401
from tender.auditor import jobs as _auj  # noqa: F401
from tender.auditor import models as _aum  # noqa: F401
from tender.auditor.routes import bp as audit
from tender.award import access as _aw  # noqa: F401
from tender.award import models as _awm  # noqa: F401
from tender.award.models import DecisionKind
from tender.award.routes import bp as award
from tender.backup import jobs as _bj  # noqa: F401
from tender.backup.cli import bp as backup_cli
from tender.bidding import access as _b  # noqa: F401
from tender.bidding.models import BidStatus, RoundState
from tender.bidding.routes import bp as bidding
from tender.cli import register_commands
from tender.companies import access as _c  # noqa: F401
from tender.companies.routes import bp as companies
from tender.config import ROOT, Config, engine_options
from tender.contracts import access as _ct  # noqa: F401
from tender.contracts import jobs as _cj  # noqa: F401
from tender.contracts.cli import bp as contracts_cli
from tender.contracts.models import ContractState, InspectionResult, SubcontractStatus
from tender.contracts.routes import bp as contracts
from tender.criteria import access as _cr  # noqa: F401
from tender.criteria.routes import bp as criteria
from tender.documents import jobs as _dj  # noqa: F401
from tender.documents.cli import bp as files_cli
from tender.evaluation import access as _e  # noqa: F401
from tender.evaluation.routes import bp as evaluation
from tender.extensions import csrf, db, login_manager, migrate
from tender.home.readmodel import init_readmodel
from tender.home.routes import bp as home
from tender.jobs import models as _jm  # noqa: F401
from tender.jobs.cli import bp as jobs_cli
from tender.mail import jobs as _mj  # noqa: F401
from tender.mail import models as _ml  # noqa: F401
from tender.mail.cli import bp as mail_cli
from tender.notices import access as _n  # noqa: F401
from tender.notices import jobs as _nj  # noqa: F401
from tender.notices.cli import bp as cases_cli
from tender.notices.models import ParticipationDecision
from tender.notices.operations import JudgementState
from tender.notices.routes import board, cases
from tender.notifications import access as _nt  # noqa: F401
from tender.notifications import jobs as _ntj  # noqa: F401
from tender.notifications.cli import bp as notifications_cli
from tender.notifications.operations import unread_column, unread_count
from tender.notifications.routes import bp as notifications
from tender.opendata import jobs as _odj  # noqa: F401
from tender.opendata.cli import bp as ocds_cli
from tender.opendata.operations import init_opendata
from tender.opendata.routes import bp as ocds
from tender.organisations import access as _o  # noqa: F401
from tender.organisations.routes import bp as organisations
from tender.privacy import jobs as _pj  # noqa: F401
from tender.privacy.cli import bp as privacy_cli
from tender.rules.criteria import certification_label
from tender.rules.lifecycle import CaseState, Procedure
from tender.sealing import access as _s  # noqa: F401
from tender.sealing.routes import bp as sealing
from tender.types import include_name, render_item
from tender.web import filters, memo
from tender.web.feedback import init_feedback
from tender.web.input import BoundedInt, check_request, database_refused
from tender.web.limits import init_limits
from tender.web.logs import init_logging
from tender.web.openapi import ERROR_CODES, RequestRefused, error_response, wants_json
from tender.web.pagecache import init_page_cache
from tender.web.security import set_security_headers


def create_app(config: Config | None = None) -> Flask:
    app = Flask(
        "tender",
        root_path=str(ROOT / "tender"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config or Config())

    app.url_map.converters["int"] = BoundedInt  # before any route is declared
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    crypto.configure(app.config["TENDER_DATA_KEYS"])
    if app.config.get("FILE_STORE", "local") not in ("local", "s3"):
        raise RuntimeError(f"FILE_STORE must be local or s3, not {app.config['FILE_STORE']!r}")
    if app.config.get("FILE_STORE") == "s3" and not app.config.get("S3_BUCKET"):
        raise RuntimeError("FILE_STORE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL for a store other than AWS S3)")
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], jit=app.config.get("DATABASE_JIT", False),
        base=app.config.get("SQLALCHEMY_ENGINE_OPTIONS"))
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True,
                     render_item=render_item, include_name=include_name)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "このページを表示するにはログインしてください。"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    _register_blueprints(app)
    _register_web(app)

    limiter = init_limits(app)
    _limit_api(app, limiter)
    init_opendata(app)
    init_readmodel(app)
    init_feedback(app)
    init_logging(app)
    # What every page of a logged-in user shows is read in the statement that finds the user.
    sessions.read_with_user(unread=unread_column, generation=head_column)
    init_page_cache(app, lambda: sessions.known("generation", head_seq))
    return app


def _register_blueprints(app: Flask) -> None:
    # access.py modules declare the policy rules; importing them registers them.

    for bp in (home, accounts, administration, sealing, companies, organisations, audit, audit_cli, board, cases, notifications, criteria, bidding, evaluation,
               award, contracts, contracts_cli, privacy_cli, backup_cli, mail_cli, notifications_cli, cases_cli, files_cli, jobs_cli,
               ocds, ocds_cli, api, api_docs):
        app.register_blueprint(bp)
    register_commands(app)


def _limit_api(app: Flask, limiter) -> None:
    """The API and the open data's JSON, per token (or per address without one): API_RATE_LIMIT."""
    for endpoint in sorted(app.view_functions):
        if endpoint.startswith(("api.", "api_docs.", "ocds.")) and endpoint not in ("ocds.index", "api_docs.index"):
            app.view_functions[endpoint] = limiter.limit(
                lambda: app.config["API_RATE_LIMIT"], key_func=rate_key,
                error_message=ERROR_CODES[429][1])(app.view_functions[endpoint])


def _register_web(app: Flask) -> None:
    filters.register(app)
    # First of all hooks (before CSRF reads the form): the raw body is still there to check.
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
    app.before_request(policy.enforce_marked_views)
    app.before_request(end_idle_session)
    app.before_request(require_password_change)
    app.before_request(memo.serving)
    app.after_request(set_security_headers)
    # The stored states, so that templates compare members (a misspelt one fails), never literals.
    app.jinja_env.globals.update(
        CaseState=CaseState, Procedure=Procedure, RoundState=RoundState, BidStatus=BidStatus,
        ContractState=ContractState, DecisionKind=DecisionKind, ParticipationDecision=ParticipationDecision,
        InspectionResult=InspectionResult, JudgementState=JudgementState, SubcontractStatus=SubcontractStatus,
        certification_label=certification_label)

    @app.context_processor
    def _policy():
        def unread():
            if not current_user.is_authenticated:
                return 0
            return sessions.known("unread", lambda: unread_count(current_user))

        return {"can": lambda action, obj=None: policy.can(current_user, action, obj), "unread_notifications": unread}

    def page(code: int, title: str, message: str):
        def handler(error):
            # A description given by abort(…, description=…) is ours (Japanese); werkzeug's defaults are not.
            described = getattr(error, "description", None)
            custom = described if described and described != getattr(type(error), "description", None) else None
            if wants_json():  # the API and the open data answer in JSON, with a stable code
                response = error_response(code, custom)
            else:
                response = app.make_response((render_template("errors/error.html", code=code, title=title,
                                                              message=custom or message), code))
            valid = getattr(error, "valid_methods", None)
            if code == 405 and valid:  # RFC 9110: a 405 says which methods the resource allows
                response.headers["Allow"] = ", ".join(sorted(valid))
            return response
        return handler

    app.register_error_handler(400, page(400, "リクエストが正しくありません", "入力内容を確認して、もう一度お試しください。"))
    app.register_error_handler(403, page(403, "権限がありません", "このページを表示する権限がありません。"))
    app.register_error_handler(404, page(404, "ページが見つかりません", "お探しのページは存在しないか、移動した可能性があります。"))
    app.register_error_handler(405, page(405, "この操作はできません", "この方法ではページを利用できません。"))
    app.register_error_handler(413, page(413, "ファイルが大きすぎます", "アップロードできるサイズを超えています。"))
    app.register_error_handler(CSRFError, page(400, "フォームの有効期限が切れました",
                                               "ページを再読み込みしてから、もう一度送信してください。"))


    app.register_error_handler(DataError, database_refused)
    app.register_error_handler(RequestRefused, lambda e: error_response(422, errors=e.errors))

    @app.errorhandler(ApiRefused)
    def _api_refused(error: ApiRefused):
        response = error_response(error.status, error.message, code=error.code)
        if error.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="tender"'
        return response

    @app.errorhandler(StatementError)
    def _statement(error):
        if isinstance(error.orig, (OverflowError, ValueError)):  # a number SQLite cannot hold, a bad value
            return database_refused(error)
        app.logger.error("database error", exc_info=error)
        return _server_error(error)

    @app.errorhandler(500)
    def _server_error(error):
        # No stack trace, SQL or internal detail reaches the browser; the log has it, under the
        # request ID the page shows.
        db.session.rollback()
        if wants_json():
            return error_response(500)
        return render_template("errors/error.html", code=500, title="システムエラー",
                               message="処理中にエラーが発生しました。時間をおいて再度お試しください。"), 500

    @app.errorhandler(429)
    def _too_many(error):
        if wants_json():
            response = error_response(429)
        else:
            response = app.make_response((render_template(
                "errors/error.html", code=429, title="アクセスが集中しています",
                message=getattr(error, "description", None) or "しばらく待ってからお試しください。"), 429))
        limit = getattr(error, "limit", None)
        if limit is not None:
            response.headers["Retry-After"] = str(int(limit.limit.get_expiry()))
        return response

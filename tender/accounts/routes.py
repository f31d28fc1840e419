"""Log-in, log-out, profile and (for the administrator) user management."""
from __future__ import annotations

from flask import Blueprint, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from tender import clock
from tender.accounts import sessions, tokens
from tender.accounts.forms import ApiTokenForm, ForgotForm, LoginForm, PasswordChangeForm, ProfileForm, ResetForm
from tender.accounts.mails import send_password_link
from tender.accounts.models import ResetPurpose, User
from tender.accounts.operations import (
    AccountError,
    LoginOutcome,
    PasswordPolicyError,
    attempt_login,
    check_password,
    complete_reset,
    find_user,
    issue_reset,
    log_out,
    register_failure,
    reset_for,
    set_password,
    update_user,
)
from tender.extensions import db, login_manager
from tender.locking import lock_row
from tender.mail.operations import send
from tender.policy import public, require
from tender.web.filters import jst
from tender.web.forms import ConfirmForm
from tender.web.pages import apply_form, safe_next

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of this request, if the session the cookie names is still live on the server."""
    if not user_id.isdigit():
        return None
    found = sessions.find(session.get("sid"), int(user_id))
    if found is None:
        return None
    user, g.login_session, g.read_with_user = found
    return user


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        now = clock.now()
        result = attempt_login(form.email.data, form.password.data, now, request.remote_addr or "")
        token = sessions.start(result.user, now) if result.outcome is LoginOutcome.OK else None
        db.session.commit()
        if token is not None:
            session.clear()  # no session fixation: a fresh session for the new identity
            session["sid"] = token
            session.permanent = True
            login_user(result.user)
            return redirect(safe_next(request.args.get("next")) or url_for("home.dashboard"))
        if result.outcome is LoginOutcome.THROTTLED:
            # The same for accounts that exist and addresses that do not.
            form.form_errors.append(
                "メールアドレスまたはパスワードが正しくありません。失敗が続いたため、この接続からは"
                f" {jst(result.retry_at, 'time')} まで試せません。")
        else:
            form.form_errors.append("メールアドレスまたはパスワードが正しくありません。")
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@require("home.view")
def logout():
    log_out(current_user._get_current_object(), g.get("login_session"), "logout", clock.now())
    db.session.commit()
    logout_user()
    session.clear()
    flash("ログアウトしました。", "success")
    return redirect(url_for("accounts.login"))


@bp.route("/profile", methods=["GET", "POST"])
@require("profile.edit")
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)

    def change(form):
        old = user.email
        changing = form.email.data.strip().lower() != old
        if changing and not check_password(user, form.password.data or ""):
            raise AccountError("メールアドレスを変えるには、現在のパスワードを入力してください。", field="password")
        update_user(user, {"name": form.name.data, "title": form.title.data, "phone": form.phone.data,
                           "email": form.email.data}, by=user)
        if changing:  # the old address hears of it, so a hijacked session cannot move the account quietly
            send(old, "【tender 電子調達】メールアドレスが変更されました",
                 f"{user.name} 様\n\nアカウントのメールアドレスが {user.email} に変更されました。"
                 "心当たりがない場合は、直ちにシステム管理者に連絡してください。\n")

    if apply_form(form, change, "プロフィールを更新しました。", inline=True):
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, user=user)


@bp.route("/profile/password", methods=["GET", "POST"])
@require("profile.edit")
def change_password():
    user = current_user._get_current_object()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        now = clock.now()
        locked_user = lock_row(User, user.id)
        if not check_password(locked_user, form.current.data):
            # Guessing the current password from a stolen session counts like a failed log-in.
            if register_failure(locked_user, now, "wrong_password", action="password.change_failed"):
                log_out(locked_user, g.get("login_session"), "locked", now)
                db.session.commit()
                logout_user()
                session.clear()
                flash("現在のパスワードの誤りが続いたため、アカウントをロックしてログアウトしました。", "error")
                return redirect(url_for("accounts.login"))
            db.session.commit()
            form.current.errors.append("現在のパスワードが正しくありません。")
        else:
            try:
                set_password(locked_user, form.new.data, keep=g.get("login_session"))
            except PasswordPolicyError as exc:
                db.session.rollback()
                form.new.errors.extend(exc.problems)
            else:
                locked_user.failed_logins = 0
                db.session.commit()
                flash("パスワードを変更しました。他の端末のセッションは終了しました。", "success")
                return redirect(url_for("home.dashboard"))
    elif user.must_change_password and request.method == "GET":
        flash("管理者が設定したパスワードです。続けるには新しいパスワードに変更してください。", "warning")
    return render_template("accounts/password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
def forgot_password():
    """A user who forgot the password asks for a link. The answer is the same whether or not the
    address is known, so that nobody learns which addresses have accounts."""
    form = ForgotForm()
    def ask(form):
        user = find_user(form.email.data)
        if user is not None and user.active:
            send_password_link(user, issue_reset(user, by=None, now=clock.now()), ResetPurpose.RESET)

    if apply_form(form, ask, ("入力されたメールアドレスが登録されていれば、パスワード再設定のご案内を送りました。", "info"),
                  inline=True):
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    now = clock.now()
    row = reset_for(token, now)
    if row is None:
        return render_template("errors/error.html", code=404, title="リンクが無効です",
                               message="このリンクは使用済みか、期限が切れています。もう一度、再設定を依頼してください。"), 404
    form = ResetForm()
    if apply_form(form, lambda f: complete_reset(row, f.new.data, now=now),
                  lambda user: f"パスワードを設定しました。{user.email} でログインしてください。", inline=True):
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form, user=row.user,
                           invitation=row.purpose == ResetPurpose.INVITATION)


# --- API tokens (issue 21) --------------------------------------------------------------------

@bp.route("/profile/tokens", methods=["GET", "POST"])
@require("api_tokens.manage")
def api_tokens():
    """The user's API tokens: make one (shown once, on this response only), see when each was last
    used, revoke it."""
    user = current_user._get_current_object()
    form = ApiTokenForm()
    made = apply_form(form, lambda f: tokens.create_token(user, name=f.name.data, scopes=f.scopes.data,
                                                         days=f.days.data, now=clock.now()),
                      "API トークンを発行しました。この画面を離れると二度と表示されません。", inline=True)
    response = make_response(render_template(
        "accounts/tokens.html", form=ApiTokenForm(formdata=None) if made else form,
        made=made.value if made else None, rows=tokens.tokens_of(user), now=clock.now(), scopes=tokens.SCOPES,
        revoke_form=lambda row: ConfirmForm(prefix=f"revoke{row.id}")))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
@require("api_tokens.manage")
def revoke_api_token(token_id: int):
    user = current_user._get_current_object()
    apply_form(ConfirmForm(prefix=f"revoke{token_id}"), lambda f: tokens.revoke_token(user, token_id, clock.now()),
               "API トークンを失効させました。以後このトークンは使えません。")
    return redirect(url_for("accounts.api_tokens"))

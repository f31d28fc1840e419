"""Log-in, log-out, profile and (for the administrator) user management."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import or_, select

from tender import clock
from tender.accounts.forms import ForgotForm, LoginForm, PasswordChangeForm, ProfileForm, ResetForm, UserForm
from tender.accounts.mails import send_password_link
from tender.mail.operations import send
from tender.accounts.models import ResetPurpose, Role, User
from tender.audit.operations import record
from tender.accounts import sessions
from tender.accounts.operations import (
    LoginOutcome, PasswordPolicyError, attempt_login, check_password, complete_reset, create_user, find_user,
    issue_reset, log_out, register_failure, reset_for, set_password, unlock, update_user,
)
from tender.companies.models import Company
from tender.extensions import db, login_manager
from tender.locking import lock_row
from tender.organisations.models import Department
from tender.policy import public, require
from tender.web.filters import jst
from tender.web.forms import ConfirmForm, options
from tender.web.pages import get_or_404, paginate, safe_next

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of this request, if the session the cookie names is still live on the server."""
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    row = sessions.find(session.get("sid"), user.id)
    if row is None:
        return None
    g.login_session = row
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
                f" {jst(result.retry_at, 'HH:mm')} まで試せません。")
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
    if form.validate_on_submit():
        old = user.email
        changing = form.email.data.strip().lower() != old
        if changing and not check_password(user, form.password.data or ""):
            form.password.errors.append("メールアドレスを変えるには、現在のパスワードを入力してください。")
        else:
            try:
                update_user(user, {"name": form.name.data, "title": form.title.data, "phone": form.phone.data,
                                   "email": form.email.data}, by=user)
            except ValueError as exc:
                db.session.rollback()
                form.email.errors.append(str(exc))
            else:
                if changing:  # the old address hears of it, so a hijacked session cannot move the account quietly
                    send(old, "【tender 電子調達】メールアドレスが変更されました",
                         f"{user.name} 様\n\nアカウントのメールアドレスが {user.email} に変更されました。"
                         "心当たりがない場合は、直ちにシステム管理者に連絡してください。\n")
                db.session.commit()
                flash("プロフィールを更新しました。", "success")
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


# --- user management (administrator) -------------------------------------------------

def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    companies = db.session.execute(select(Company.id, Company.name).order_by(Company.name)).all()
    form.company_id.choices = options([(0, "（なし）")] + [(c.id, c.name) for c in companies])
    departments = db.session.execute(select(Department.id, Department.name).order_by(Department.name)).all()
    form.department_id.choices = options([(0, "（なし）")] + [(d.id, d.name) for d in departments])
    if user is not None and request.method == "GET":
        form.role.data = user.role.value
        form.company_id.data = user.company_id or 0
        form.department_id.data = user.department_id or 0
    return form


def _values(form: UserForm) -> dict:
    return {
        "email": form.email.data, "name": form.name.data, "role": Role(form.role.data),
        "title": form.title.data, "phone": form.phone.data,
        "company_id": form.company_id.data or None, "acts_as_agent": form.acts_as_agent.data,
        "department_id": form.department_id.data or None, "active": form.active.data,
    }


@bp.route("/admin/users")
@require("users.manage")
def users():
    stmt = select(User).order_by(User.role, User.email)
    q = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    if q:
        stmt = stmt.where(or_(User.email.icontains(q, autoescape=True), User.name.icontains(q, autoescape=True)))
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    if request.args.get("locked"):
        stmt = stmt.where(User.locked_until > clock.now())
    page = paginate(stmt)
    return render_template("accounts/users.html", page=page, q=q, role=role, roles=list(Role), now=clock.now())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@require("users.manage")
def new_user():
    """An account is created with no password anybody knows: the user gets a one-time link by mail
    and chooses it (issue 13 item 8: an administrator never learns a usable password of another)."""
    form = _user_form()
    if form.validate_on_submit():
        values = _values(form)
        try:
            user = create_user(password=None, by=current_user, **values)
        except ValueError as exc:
            form.email.errors.append(str(exc))
        else:
            send_password_link(user, issue_reset(user, by=current_user, now=clock.now(), purpose=ResetPurpose.INVITATION),
                               ResetPurpose.INVITATION)
            db.session.commit()
            flash(f"利用者「{user.name}」を登録し、{user.email} にパスワード設定の案内を送りました。"
                  + ("所属事業者の利用者の承認を待っています。" if user.pending_company_id else ""), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@require("users.manage")
def edit_user(user_id: int):
    user = get_or_404(User, user_id)
    form = _user_form(user)
    if request.method == "GET" and user.phone:
        record("user.personal_data.viewed", user, summary={"fields": ["phone"]})
        db.session.commit()
    if form.validate_on_submit():
        values = _values(form)
        if user.id == current_user.id and (values["role"] is not Role.ADMIN or not values["active"]):
            form.role.errors.append("自分自身の管理者権限を外したり、無効にしたりすることはできません。")
        else:
            try:
                update_user(user, values, by=current_user)
            except ValueError as exc:
                db.session.rollback()
                form.email.errors.append(str(exc))
            else:
                db.session.commit()
                flash(f"利用者「{user.name}」を更新しました。"
                      + ("所属事業者の利用者の承認を待っています。" if user.pending_company_id else ""), "success")
                return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, user=user, now=clock.now(), reset_form=ConfirmForm())


@bp.route("/admin/users/<int:user_id>/password-link", methods=["POST"])
@require("users.manage")
def send_reset(user_id: int):
    """The administrator asks for a reset: the link goes to the user's own address, not to the screen."""
    user = get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        send_password_link(user, issue_reset(user, by=current_user, now=clock.now()), ResetPurpose.RESET)
        db.session.commit()
        flash(f"{user.email} にパスワード再設定のリンクを送りました（リンクは管理者には表示されません）。", "success")
    return redirect(url_for("accounts.edit_user", user_id=user.id))


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
def forgot_password():
    """A user who forgot the password asks for a link. The answer is the same whether or not the
    address is known, so that nobody learns which addresses have accounts."""
    form = ForgotForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.active:
            send_password_link(user, issue_reset(user, by=None, now=clock.now()), ResetPurpose.RESET)
        db.session.commit()
        flash("入力されたメールアドレスが登録されていれば、パスワード再設定のご案内を送りました。", "info")
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
    if form.validate_on_submit():
        try:
            user = complete_reset(row, form.new.data, now=now)
        except PasswordPolicyError as exc:
            db.session.rollback()
            form.new.errors.extend(exc.problems)
        else:
            db.session.commit()
            flash(f"パスワードを設定しました。{user.email} でログインしてください。", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form, user=row.user,
                           invitation=row.purpose == ResetPurpose.INVITATION)


@bp.route("/admin/users/<int:user_id>/unlock", methods=["POST"])
@require("users.manage")
def unlock_user(user_id: int):
    user = get_or_404(User, user_id)
    unlock(user, by=current_user)
    db.session.commit()
    flash(f"利用者「{user.name}」のロックを解除しました。", "success")
    return redirect(url_for("accounts.edit_user", user_id=user.id))

"""The administrator's user management: accounts of every role, their company or department,
one-time password links and releases. Above companies and organisations, whose lists it offers."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from tender import clock
from tender.accounts.forms import UserForm
from tender.accounts.mails import send_password_link
from tender.accounts.models import ResetPurpose, Role, User
from tender.accounts.operations import AccountError, create_user, issue_reset, unlock, update_user
from tender.audit.operations import record
from tender.companies.models import Company
from tender.extensions import db
from tender.jobs import REGISTRY
from tender.jobs import operations as jobs
from tender.jobs.models import JobRun
from tender.mail import operations as mail
from tender.mail.models import OutboundMail
from tender.organisations.models import Department
from tender.policy import require
from tender.web.forms import ConfirmForm, options
from tender.web.pages import act, apply_form, get_or_404, keyset

bp = Blueprint("administration", __name__, url_prefix="/admin")


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


@bp.route("/users")
@require("users.manage")
def users():
    stmt = select(User)
    q = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    if q:
        stmt = stmt.where(or_(User.email.icontains(q, autoescape=True), User.name.icontains(q, autoescape=True)))
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    if request.args.get("locked"):
        stmt = stmt.where(User.locked_until > clock.now())
    page = keyset(stmt, (User.email, User.id), descending=False)
    return render_template("administration/users.html", page=page, q=q, role=role, roles=list(Role), now=clock.now())


@bp.route("/users/new", methods=["GET", "POST"])
@require("users.manage")
def new_user():
    """An account is created with no password anybody knows: the user gets a one-time link by mail
    and chooses it (issue 13 item 8: an administrator never learns a usable password of another)."""
    form = _user_form()
    def invite(form):
        user = create_user(password=None, by=current_user, **_values(form))
        send_password_link(user, issue_reset(user, by=current_user, now=clock.now(), purpose=ResetPurpose.INVITATION),
                           ResetPurpose.INVITATION)
        return user

    if apply_form(form, invite, lambda user: f"利用者「{user.name}」を登録し、{user.email} にパスワード設定の案内を送りました。"
                  + ("所属事業者の利用者の承認を待っています。" if user.pending_company_id else ""), inline=True):
        return redirect(url_for("administration.users"))
    return render_template("administration/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require("users.manage")
def edit_user(user_id: int):
    user = get_or_404(User, user_id)
    form = _user_form(user)
    if request.method == "GET" and user.phone:
        record("user.personal_data.viewed", user, summary={"fields": ["phone"]})
        db.session.commit()
    def change(form):
        values = _values(form)
        if user.id == current_user.id and (values["role"] is not Role.ADMIN or not values["active"]):
            raise AccountError("自分自身の管理者権限を外したり、無効にしたりすることはできません。", field="role")
        update_user(user, values, by=current_user)

    if apply_form(form, change, lambda _: f"利用者「{user.name}」を更新しました。"
                  + ("所属事業者の利用者の承認を待っています。" if user.pending_company_id else ""), inline=True):
        return redirect(url_for("administration.users"))
    return render_template("administration/user_form.html", form=form, user=user, now=clock.now(), reset_form=ConfirmForm())


@bp.route("/users/<int:user_id>/password-link", methods=["POST"])
@require("users.manage")
def send_reset(user_id: int):
    """The administrator asks for a reset: the link goes to the user's own address, not to the screen."""
    user = get_or_404(User, user_id)
    return act(url_for("administration.edit_user", user_id=user.id),
               lambda f: send_password_link(user, issue_reset(user, by=current_user, now=clock.now()), ResetPurpose.RESET),
               f"{user.email} にパスワード再設定のリンクを送りました（リンクは管理者には表示されません）。")


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@require("users.manage")
def unlock_user(user_id: int):
    user = get_or_404(User, user_id)
    return act(url_for("administration.edit_user", user_id=user.id), lambda f: unlock(user, by=current_user),
               f"利用者「{user.name}」のロックを解除しました。")


@bp.route("/mail")
@require("mail.manage")
def failed_mail():
    """Mail that could not be delivered: who, what, how many attempts and the last error."""
    return render_template("administration/mail.html", rows=mail.failed_mail(200), retryable=mail.retryable,
                           max_attempts=mail.MAX_ATTEMPTS, form=ConfirmForm())


@bp.route("/mail/<int:mail_id>/retry", methods=["POST"])
@require("mail.manage")
def retry_mail(mail_id: int):
    row = get_or_404(OutboundMail, mail_id)
    return act(url_for("administration.failed_mail"), lambda f: mail.retry(row),
               lambda ok: (f"{row.to} へのメールを送信しました。", "success") if ok
               else (f"{row.to} へのメールは今回も送信できませんでした：{row.last_error}", "error"))


@bp.route("/jobs")
@require("jobs.manage")
def job_runs():
    """The jobs: each scheduled one with its schedule, the failed runs, and the latest runs."""
    return render_template("administration/jobs.html", failed=jobs.failed_runs(), recent=jobs.recent_runs(),
                           registry=REGISTRY, queued=jobs.queued(), form=ConfirmForm())


@bp.route("/jobs/<int:run_id>/retry", methods=["POST"])
@require("jobs.manage")
def retry_job(run_id: int):
    run = get_or_404(JobRun, run_id)
    label = REGISTRY[run.name].label if run.name in REGISTRY else run.name
    return act(url_for("administration.job_runs"), lambda f: jobs.retry(run),
               lambda again: (f"「{label}」を再実行しました（{again.state.label}）。", "success"))

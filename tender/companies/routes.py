"""Companies: list, profile, 全省庁統一資格, 指名停止 and contacts."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import exists, or_, select

from tender import clock
from tender.accounts.models import User
from tender.companies import operations as ops
from tender.companies.forms import (
    CompanyForm,
    CompanyProfileForm,
    CreditEventForm,
    QualificationForm,
    SuspensionForm,
    fiscal_year_choices,
)
from tender.companies.models import (
    Company,
    CompanyContact,
    CreditEvent,
    Qualification,
    QualificationCategory,
    Suspension,
)
from tender.companies.operations import (
    COMPANY_FIELDS,
    record_contacts_viewed,
    remove_contact,
    save_company,
    save_contact,
    save_credit_event,
    save_qualification,
    save_suspension,
)
from tender.extensions import db
from tender.policy import can, require
from tender.rules.calendar import fiscal_year
from tender.rules.sme import LegalForm, SmeVerdict, sme_verdict
from tender.web.forms import ConfirmForm, ContactForm
from tender.web.pages import act, apply_form, get_or_404, keyset, render_recorded

bp = Blueprint("companies", __name__, url_prefix="/companies")


def load_company(company_id: int, **_) -> Company:
    return get_or_404(Company, company_id)


def _child_or_404(model, child_id: int, company: Company):
    child = get_or_404(model, child_id)
    if child.company_id != company.id:
        abort(404)
    return child


@bp.route("")
@require("companies.list")
def index():
    stmt = select(Company)
    q = request.args.get("q", "").strip()
    if q:
        stmt = stmt.where(or_(Company.name.icontains(q, autoescape=True),
                              Company.name_kana.icontains(q, autoescape=True),
                              Company.corporate_number.contains(q.replace("-", ""), autoescape=True)))
    today = clock.today_jst()
    if request.args.get("suspended"):
        stmt = stmt.where(exists().where(Suspension.company_id == Company.id, Suspension.in_force(today)))
    page = keyset(stmt, (Company.sort_name, Company.id), descending=False)
    return render_template("companies/index.html", page=page, q=q, today=today)


@bp.route("/new", methods=["GET", "POST"])
@require("companies.create")
def new():
    form = CompanyForm()
    company = Company()
    if apply_form(form, lambda f: save_company(company, {n: getattr(f, n).data for n in COMPANY_FIELDS}),
                  lambda _: f"事業者「{company.name}」を登録しました。", inline=True):
        return redirect(url_for("companies.show", company_id=company.id))
    return render_template("companies/form.html", form=form, company=None)


def _sme(company: Company) -> SmeVerdict:
    """中小企業等か [002 III 3]: 任意団体は対象外、⑫～⑮は主たる業種で判定。"""
    try:
        return sme_verdict(company.industry, company.capital, company.employees,
                           incorporated=company.legal is not LegalForm.UNINCORPORATED,
                           principal_industry=company.principal_industry)
    except (TypeError, ValueError) as exc:
        return SmeVerdict(False, str(exc))


@bp.route("/<int:company_id>")
@require("companies.view", load=load_company)
def show(company_id: int, obj: Company):
    today = clock.today_jst()
    return render_recorded(
        "companies/show.html", lambda: record_contacts_viewed(obj), company=obj, today=today, fy=fiscal_year(today),
        sme=_sme(obj),
        may_edit=can(current_user, "companies.edit_profile", obj),
        may_manage=can(current_user, "companies.manage_standing", obj),
        pending=ops.pending_members(obj) if can(current_user, "companies.approve_members", obj) else [],
        confirm=ConfirmForm(),
    )


@bp.route("/<int:company_id>/members/<int:user_id>/approve", methods=["POST"], defaults={"decision": "approve"})
@bp.route("/<int:company_id>/members/<int:user_id>/refuse", methods=["POST"], defaults={"decision": "refuse"})
@require("companies.approve_members", load=load_company)
def decide_member(company_id: int, user_id: int, decision: str, obj: Company):
    user = get_or_404(User, user_id)
    return act(url_for("companies.show", company_id=obj.id),
               lambda f: ops.decide_member(obj, user, decision == "approve", by=current_user),
               f"{user.name}さんを" + ("この事業者の利用者として承認しました。" if decision == "approve" else "承認しませんでした。"))


@bp.route("/<int:company_id>/edit", methods=["GET", "POST"])
@require("companies.edit_profile", load=load_company)
def edit(company_id: int, obj: Company):
    staff = can(current_user, "companies.manage_standing", obj)
    form = (CompanyForm if staff else CompanyProfileForm)(obj=obj)
    if request.method == "GET":
        form.industry.data = obj.industry
    fields = [f for f in COMPANY_FIELDS if getattr(form, f, None) is not None]
    if apply_form(form, lambda f: save_company(obj, {n: getattr(f, n).data for n in fields}),
                  lambda diff: "事業者情報を更新しました。" if diff else ("変更はありませんでした。", "info"), inline=True):
        return redirect(url_for("companies.show", company_id=obj.id))
    return render_template("companies/form.html", form=form, company=obj)


def _edit_child(company: Company, model, form_cls, child_id: int | None, fields: list[str], save, label: str,
                prepare=None):
    child = _child_or_404(model, child_id, company) if child_id else model(company_id=company.id)
    form = form_cls(obj=child if child_id else None)
    if child_id and request.method == "GET" and isinstance(child, CompanyContact):
        record_contacts_viewed(company, [child])
        db.session.commit()
    if prepare:
        prepare(form, child)
    if apply_form(form, lambda f: save(child, {n: getattr(f, n).data for n in fields}), f"{label}を保存しました。",
                  inline=True):
        return redirect(url_for("companies.show", company_id=company.id))
    return render_template("companies/child_form.html", form=form, company=company, label=label,
                           child=child if child_id else None)


def _prepare_qualification(form: QualificationForm, q: Qualification) -> None:
    fy = fiscal_year(clock.today_jst())
    form.valid_from_fy.choices = fiscal_year_choices(fy)
    form.valid_to_fy.choices = fiscal_year_choices(fy)
    if request.method == "GET":
        if q.id is None:
            form.valid_from_fy.data, form.valid_to_fy.data = fy, fy + 2
            form.category.data = QualificationCategory.SERVICES.value
        else:
            form.category.data = q.category.value


@bp.route("/<int:company_id>/qualifications/new", methods=["GET", "POST"], defaults={"child_id": None})
@bp.route("/<int:company_id>/qualifications/<int:child_id>", methods=["GET", "POST"])
@require("companies.manage_standing", load=load_company)
def qualification(company_id: int, child_id: int | None, obj: Company):
    def save(q, values):
        values["category"] = QualificationCategory(values["category"])
        return save_qualification(q, values)

    return _edit_child(obj, Qualification, QualificationForm, child_id,
                       ["category", "grade", "regions", "valid_from_fy", "valid_to_fy", "certificate_number", "pending",
                        "granted_on"],
                       save, "全省庁統一資格", _prepare_qualification)


@bp.route("/<int:company_id>/suspensions/new", methods=["GET", "POST"], defaults={"child_id": None})
@bp.route("/<int:company_id>/suspensions/<int:child_id>", methods=["GET", "POST"])
@require("companies.manage_standing", load=load_company)
def suspension(company_id: int, child_id: int | None, obj: Company):
    return _edit_child(obj, Suspension, SuspensionForm, child_id, ["issuer", "starts_on", "ends_on", "reason"],
                       save_suspension, "指名停止")


@bp.route("/<int:company_id>/credit-events/new", methods=["GET", "POST"], defaults={"child_id": None})
@bp.route("/<int:company_id>/credit-events/<int:child_id>", methods=["GET", "POST"])
@require("companies.manage_standing", load=load_company)
def credit_event(company_id: int, child_id: int | None, obj: Company):
    """経営の状況・信用度の事実 [000 応募要件(6)、002 2.(5)]."""
    def save(e, values):
        values["ends_on"] = values["ends_on"] or None
        return save_credit_event(e, values)

    return _edit_child(obj, CreditEvent, CreditEventForm, child_id, ["kind", "starts_on", "ends_on", "reason"],
                       save, "経営の状況・信用度の事実")


@bp.route("/<int:company_id>/contacts/new", methods=["GET", "POST"], defaults={"child_id": None})
@bp.route("/<int:company_id>/contacts/<int:child_id>", methods=["GET", "POST"])
@require("companies.edit_profile", load=load_company)
def contact(company_id: int, child_id: int | None, obj: Company):
    return _edit_child(obj, CompanyContact, ContactForm, child_id, ["name", "title", "phone", "email"],
                       save_contact, "担当者")


@bp.route("/<int:company_id>/contacts/<int:child_id>/delete", methods=["POST"])
@require("companies.edit_profile", load=load_company)
def delete_contact(company_id: int, child_id: int, obj: Company):
    remove_contact(_child_or_404(CompanyContact, child_id, obj))
    db.session.commit()
    flash("担当者を削除しました。", "success")
    return redirect(url_for("companies.show", company_id=obj.id))

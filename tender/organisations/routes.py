"""The contracting authority (発注機関): its profile, departments and contacts."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from tender.audit.operations import apply_changes, record
from tender.extensions import db
from tender.organisations.forms import AuthorityForm, DepartmentContactForm, DepartmentForm
from tender.organisations.models import Authority, Department, DepartmentContact
from tender.policy import can, require
from tender.web.pages import get_or_404

bp = Blueprint("organisations", __name__, url_prefix="/authority")

AUTHORITY_FIELDS = ["name", "contracting_officer", "postal_code", "address"]
DEPARTMENT_FIELDS = ["name", "phone", "email"]
CONTACT_FIELDS = ["name", "title", "phone", "email"]


def the_authority() -> Authority | None:
    return db.session.execute(select(Authority).order_by(Authority.id).limit(1)).scalar_one_or_none()


@bp.route("")
@require("authority.view")
def show():
    authority = the_authority()
    if authority is not None and any(d.contacts for d in authority.departments):
        record("department_contact.viewed", authority)
        db.session.commit()
    return render_template("organisations/show.html", authority=authority,
                           may_manage=can(current_user, "authority.manage"))


@bp.route("/edit", methods=["GET", "POST"])
@require("authority.manage")
def edit():
    authority = the_authority() or Authority()
    form = AuthorityForm(obj=authority)
    if form.validate_on_submit():
        apply_changes(authority, {f: getattr(form, f).data for f in AUTHORITY_FIELDS}, AUTHORITY_FIELDS,
                      action="authority")
        db.session.commit()
        flash("発注機関の情報を保存しました。", "success")
        return redirect(url_for("organisations.show"))
    return render_template("organisations/form.html", form=form, title="発注機関の編集")


@bp.route("/departments/new", methods=["GET", "POST"], defaults={"department_id": None})
@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@require("authority.manage")
def department(department_id: int | None):
    authority = the_authority()
    if authority is None:
        flash("先に発注機関を登録してください。", "error")
        return redirect(url_for("organisations.edit"))
    dept = get_or_404(Department, department_id) if department_id else Department(authority_id=authority.id)
    form = DepartmentForm(obj=dept if department_id else None)
    if form.validate_on_submit():
        apply_changes(dept, {f: getattr(form, f).data for f in DEPARTMENT_FIELDS}, DEPARTMENT_FIELDS,
                      action="department")
        db.session.commit()
        flash("部署を保存しました。", "success")
        return redirect(url_for("organisations.show"))
    return render_template("organisations/form.html", form=form,
                           title="部署の編集" if department_id else "部署の追加")


@bp.route("/departments/<int:department_id>/contacts/new", methods=["GET", "POST"], defaults={"contact_id": None})
@bp.route("/departments/<int:department_id>/contacts/<int:contact_id>", methods=["GET", "POST"])
@require("authority.manage")
def contact(department_id: int, contact_id: int | None):
    dept = get_or_404(Department, department_id)
    contact = get_or_404(DepartmentContact, contact_id) if contact_id else DepartmentContact(department_id=dept.id)
    if contact.department_id != dept.id:
        abort(404)
    form = DepartmentContactForm(obj=contact if contact_id else None)
    if contact_id and request.method == "GET":
        record("department_contact.viewed", contact, summary={"fields": ["email", "phone"]})
        db.session.commit()
    if form.validate_on_submit():
        apply_changes(contact, {f: getattr(form, f).data for f in CONTACT_FIELDS}, CONTACT_FIELDS,
                      action="department_contact", confidential={"phone", "email"}, department_id=dept.id)
        db.session.commit()
        flash("担当者を保存しました。", "success")
        return redirect(url_for("organisations.show"))
    return render_template("organisations/form.html", form=form,
                           title=f"{dept.name}：担当者の" + ("編集" if contact_id else "追加"))

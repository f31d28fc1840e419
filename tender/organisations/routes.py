"""The contracting authority (発注機関): its profile, departments and contacts."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tender.audit.operations import apply_changes, record
from tender.extensions import db
from tender.organisations.forms import AuthorityForm, DepartmentContactForm, DepartmentForm
from tender.organisations.models import Authority, Department, DepartmentContact
from tender.organisations.operations import the_authority
from tender.policy import can, require
from tender.rules.conditions import PRESET_LABELS
from tender.web.pages import apply_form, get_or_404, render_recorded

bp = Blueprint("organisations", __name__, url_prefix="/authority")

AUTHORITY_FIELDS = ["name", "contracting_officer", "postal_code", "address", "preset"]
DEPARTMENT_FIELDS = ["name", "phone", "email"]
CONTACT_FIELDS = ["name", "title", "phone", "email"]


@bp.route("")
@require("authority.view")
def show():
    authority = the_authority()

    def recording() -> None:
        if authority is not None and any(d.contacts for d in authority.departments):
            record("department_contact.viewed", authority)

    return render_recorded("organisations/show.html", recording, authority=authority, preset_labels=PRESET_LABELS,
                           may_manage=can(current_user, "authority.manage"))


@bp.route("/edit", methods=["GET", "POST"])
@require("authority.manage")
def edit():
    authority = the_authority() or Authority()
    form = AuthorityForm(obj=authority)
    if apply_form(form, lambda f: apply_changes(authority, {n: getattr(f, n).data for n in AUTHORITY_FIELDS},
                                                AUTHORITY_FIELDS, action="authority"),
                  "発注機関の情報を保存しました。", inline=True):
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
    if apply_form(form, lambda f: apply_changes(dept, {n: getattr(f, n).data for n in DEPARTMENT_FIELDS},
                                                DEPARTMENT_FIELDS, action="department"),
                  "部署を保存しました。", inline=True):
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
    if apply_form(form, lambda f: apply_changes(contact, {n: getattr(f, n).data for n in CONTACT_FIELDS}, CONTACT_FIELDS,
                                                action="department_contact", confidential={"phone", "email"},
                                                department_id=dept.id),
                  "担当者を保存しました。", inline=True):
        return redirect(url_for("organisations.show"))
    return render_template("organisations/form.html", form=form,
                           title=f"{dept.name}：担当者の" + ("編集" if contact_id else "追加"))

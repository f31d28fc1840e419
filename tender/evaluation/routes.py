"""The 評価項目一覧 editor (officers) and the sheet bidders fill in (public, with the notice)."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from tender.evaluation import operations as ops
from tender.evaluation.forms import CriterionForm
from tender.evaluation.models import EvaluationCriterion
from tender.extensions import db
from tender.notices.forms import ConfirmForm
from tender.notices.routes import load_case, load_public_case
from tender.policy import can, public, require
from tender.rules.criteria import KINDS, SECTIONS, CriterionSpec
from tender.web.pages import get_or_404

bp = Blueprint("evaluation", __name__)


@bp.route("/cases/<int:case_id>/criteria")
@require("criteria.view", load=load_case)
def criteria(case_id: int, obj):
    rows = ops.criteria_of(obj)
    return render_template("evaluation/criteria.html", case=obj, rows=rows, allocation=ops.allocation(obj),
                           sections=SECTIONS, kinds=KINDS, form=CriterionForm(), confirm=ConfirmForm(),
                           editable=can(current_user, "criteria.edit", obj) and obj.state.value == "draft")


def _done(case, change, message, form=None):
    form = form or ConfirmForm()
    if form.validate_on_submit():
        try:
            change(form)
        except (ops.CriteriaError, ValueError) as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(message, "success")
    else:
        flash(" ".join(e for errs in form.errors.values() for e in errs) or "入力内容を確認してください。", "error")
    return redirect(url_for("evaluation.criteria", case_id=case.id))


@bp.route("/cases/<int:case_id>/criteria", methods=["POST"])
@require("criteria.edit", load=load_case)
def add(case_id: int, obj):
    def change(form: CriterionForm):
        spec = CriterionSpec(form.section.data, form.item_id.data, form.title.data, kind=form.kind.data,
                             points=form.points.data or 0, major=form.major.data or "", middle=form.middle.data or "",
                             table=form.parsed_table(), mandatory_attachment=form.mandatory_attachment.data)
        ops.add(obj, spec, by=current_user)

    return _done(obj, change, "評価項目を追加しました。", CriterionForm())


@bp.route("/cases/<int:case_id>/criteria/template", methods=["POST"])
@require("criteria.edit", load=load_case)
def template(case_id: int, obj):
    return _done(obj, lambda f: ops.apply_template(obj, by=current_user),
                 "評価項目一覧のテンプレート（入札説明書の表）を読み込みました。")


@bp.route("/cases/<int:case_id>/criteria/<int:criterion_id>/delete", methods=["POST"])
@require("criteria.edit", load=load_case)
def remove(case_id: int, criterion_id: int, obj):
    row = get_or_404(EvaluationCriterion, criterion_id)
    if row.case_id != obj.id:
        abort(404)
    return _done(obj, lambda f: ops.remove(obj, row, by=current_user), f"項目「{row.item_id}」を削除しました。")


_TYPES = {"pdf": "application/pdf",
          "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.route("/notices/<int:case_id>/evaluation-items.<ext>")
@public
def sheet(case_id: int, ext: str):
    """The published 評価項目一覧 of the case; the XLSX is what bidders fill in and submit."""
    import forms

    case = load_public_case(case_id)
    if ext not in _TYPES or not ops.criteria_of(case):
        abort(404)
    render = {"pdf": forms.render_pdf, "docx": forms.render_docx, "xlsx": forms.render_xlsx}[ext]
    return send_file(io.BytesIO(render("evaluation_items", ops.sheet_data(case))), mimetype=_TYPES[ext],
                     as_attachment=True, download_name=f"{case.reference}-evaluation-items.{ext}")

"""The 評価項目一覧 editor (officers) and the sheet bidders fill in (public, with the notice)."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from tender.criteria import operations as ops
from tender.criteria.forms import AllocationForm, CriterionForm, RanksForm
from tender.criteria.models import EvaluationCriterion
from tender.documents.downloads import send_form
from tender.notices.routes import load_case, load_public_case
from tender.policy import can, public, require
from tender.rules.criteria import KINDS, SECTIONS, CriterionSpec
from tender.rules.evaluation import RANK_TABLES
from tender.rules.lifecycle import CaseState
from tender.web.forms import ConfirmForm
from tender.web.pages import act, apply_form, get_or_404

bp = Blueprint("criteria", __name__)


@bp.route("/cases/<int:case_id>/criteria")
@require("criteria.view", load=load_case)
def criteria(case_id: int, obj):
    rows = ops.criteria_of(obj)
    allocation_form = AllocationForm(technical_points=obj.technical_points, price_points=obj.price_points,
                                     low_bid=obj.low_bid_ratio or "")
    return render_template("criteria/criteria.html", case=obj, rows=rows, allocation=ops.allocation(obj),
                           sections=SECTIONS, kinds=KINDS, form=CriterionForm(), confirm=ConfirmForm(),
                           allocation_form=allocation_form, ranks_form=RanksForm(), rank_tables=RANK_TABLES,
                           editable=can(current_user, "criteria.edit", obj) and obj.state is CaseState.DRAFT)


def _page(case) -> str:
    return url_for("criteria.criteria", case_id=case.id)


@bp.route("/cases/<int:case_id>/criteria", methods=["POST"])
@require("criteria.edit", load=load_case)
def add(case_id: int, obj):
    return act(_page(obj), lambda f: ops.add(obj, _spec(f), by=current_user), "評価項目を追加しました。", CriterionForm())


def _spec(form: CriterionForm) -> CriterionSpec:
    return CriterionSpec(form.section.data, form.item_id.data, form.title.data, kind=form.kind.data,
                         points=form.points.data or 0, major=form.major.data or "", middle=form.middle.data or "",
                         table=form.parsed_table(), mandatory_attachment=form.mandatory_attachment.data)


@bp.route("/cases/<int:case_id>/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@require("criteria.edit", load=load_case)
def edit(case_id: int, criterion_id: int, obj):
    """An item changed in place (issue 19), on its own page with what it holds now."""
    row = get_or_404(EvaluationCriterion, criterion_id)
    if row.case_id != obj.id:
        abort(404)
    form = CriterionForm(obj=row)
    if request.method == "GET":
        form.kind.data = row.kind or "mandatory"
        form.table.data = ", ".join(f"{k}={v}" for k, v in (row.table or {}).items()) or None
    if apply_form(form, lambda f: ops.update(obj, row, _spec(f), by=current_user),
                  f"項目「{form.item_id.data}」を修正しました。", inline=True):
        return redirect(_page(obj))
    return render_template("criteria/edit.html", case=obj, row=row, form=form)


@bp.route("/cases/<int:case_id>/criteria/template", methods=["POST"])
@require("criteria.edit", load=load_case)
def template(case_id: int, obj):
    return act(_page(obj), lambda f: ops.apply_template(obj, by=current_user),
                 "評価項目一覧のテンプレート（入札説明書の表）を読み込みました。")


@bp.route("/cases/<int:case_id>/criteria/<int:criterion_id>/delete", methods=["POST"])
@require("criteria.edit", load=load_case)
def remove(case_id: int, criterion_id: int, obj):
    row = get_or_404(EvaluationCriterion, criterion_id)
    if row.case_id != obj.id:
        abort(404)
    return act(_page(obj), lambda f: ops.remove(obj, row, by=current_user), f"項目「{row.item_id}」を削除しました。")


@bp.route("/cases/<int:case_id>/criteria/allocation", methods=["POST"])
@require("criteria.edit", load=load_case)
def allocation(case_id: int, obj):
    return act(_page(obj), lambda f: ops.set_allocation(obj, technical_points=f.technical_points.data,
                                                   price_points=f.price_points.data,
                                                   low_bid_ratio=f.low_bid.data or None, by=current_user),
                 "配点を変更しました。", AllocationForm())


@bp.route("/cases/<int:case_id>/criteria/<int:criterion_id>/ranks", methods=["POST"])
@require("criteria.edit", load=load_case)
def ranks(case_id: int, criterion_id: int, obj):
    row = get_or_404(EvaluationCriterion, criterion_id)
    if row.case_id != obj.id:
        abort(404)
    return act(_page(obj), lambda f: ops.set_ranks(obj, row, f.parsed(), by=current_user),
               f"項目「{row.item_id}」の得点表を変更しました。", RanksForm(), error_prefix=f"項目「{row.item_id}」の得点表：")


@bp.route("/notices/<int:case_id>/evaluation-items.<ext>")
@public
def sheet(case_id: int, ext: str):
    """The published 評価項目一覧 of the case; the XLSX is what bidders fill in and submit."""
    case = load_public_case(case_id)
    if not ops.criteria_of(case):
        abort(404)
    return send_form("evaluation_items", ops.sheet_data(case), ext, f"{case.reference}-evaluation-items")

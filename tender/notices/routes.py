"""Procurement cases: the public notice board, bidders taking part, and officers' management."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import forms
from tender import clock
from tender.audit.operations import record
from tender.companies.models import Company
from tender.documents import storage
from tender.documents.downloads import send_form, send_stored
from tender.extensions import db
from tender.notices import exports, search
from tender.notices import operations as ops
from tender.notices.forms import (
    AmendForm,
    AnswerForm,
    AttachmentForm,
    BriefingForm,
    CancelForm,
    CaseForm,
    DecisionForm,
    ParticipationForm,
    QuestionForm,
    RequiredDocumentForm,
    RuleForm,
    ViewingForm,
)
from tender.notices.models import (
    Amendment,
    AmendmentAcknowledgement,
    BriefingRegistration,
    CaseAttachment,
    CaseOfficer,
    CaseRegistration,
    EligibilityRule,
    Participation,
    ProcurementCase,
    Question,
    RequiredDocument,
)
from tender.organisations.models import Department
from tender.policy import can, public, require
from tender.rules import eligibility, schedule
from tender.rules.lifecycle import CaseState, Procedure, allowed_actions
from tender.rules.wareki import format_wareki
from tender.sealing import operations as sealing
from tender.web import pagecache
from tender.web.forms import ConfirmForm, options
from tender.web.pagecache import cached_for_visitors
from tender.web.pages import act, apply_form, get_or_404, keyset, render_recorded, send_csv

board = Blueprint("board", __name__, url_prefix="/notices")
cases = Blueprint("cases", __name__, url_prefix="/cases")


def load_case(case_id: int, **_) -> ProcurementCase:
    return get_or_404(ProcurementCase, case_id)


def load_public_case(case_id: int, **_) -> ProcurementCase:
    case = get_or_404(ProcurementCase, case_id)
    if not case.is_public_at(clock.now()):
        abort(404)  # a draft, or a notice before its 公示日, does not exist for the public
    return case


def _child(model, child_id: int, case: ProcurementCase):
    child = get_or_404(model, child_id)
    if child.case_id != case.id:
        abort(404)
    return child


# --- the public notice board -------------------------------------------------------------

@board.route("")
@public
@cached_for_visitors
def index():
    q = request.args.get("q", "").strip()
    procedure = request.args.get("procedure", "")
    if procedure not in {p.value for p in Procedure}:
        procedure = ""

    def listing() -> str:
        now = clock.now()
        stmt = search.matching(select(ProcurementCase).where(ProcurementCase.state != CaseState.DRAFT,
                                                             ProcurementCase.published_at.is_not(None),
                                                             ProcurementCase.published_at <= now), q)
        if procedure:
            stmt = stmt.where(ProcurementCase.procedure == Procedure(procedure))
        if request.args.get("open"):
            stmt = stmt.where(ProcurementCase.state == CaseState.PUBLISHED, ProcurementCase.submission_deadline >= now)
        stmt = stmt.options(selectinload(ProcurementCase.department).selectinload(Department.authority))
        page = keyset(stmt, (ProcurementCase.published_at, ProcurementCase.id), per_page=20)
        return render_template("notices/_board_list.html", page=page, now=now, countdown=schedule.countdown)

    return render_template("notices/board.html", listing=pagecache.shared("board", listing, request.full_path),
                           q=q, procedure=procedure, procedures=[p for p in Procedure if p.selectable])


def _key_fingerprint(case) -> str | None:
    """The price key's fingerprint, published with the notice: a key swapped later shows a different one."""
    key = sealing.case_keys(case.id).get("price")
    return sealing.fingerprint(key) if key is not None else None


@board.route("/<int:case_id>")
@public
@cached_for_visitors
def show(case_id: int):
    case = load_public_case(case_id)
    now = clock.now()
    company = current_user.company if current_user.is_authenticated and can(current_user, "notices.take_part", case) \
        else None

    def public_top() -> str:
        return render_template(
            "notices/_notice_public.html", case=case, now=now, countdown=schedule.countdown,
            rules=[(r, eligibility.describe(s)) for r, s in zip(case.eligibility_rules, ops.rule_specs(case))],
            blank_forms=_blank_forms(case), key_fingerprint=_key_fingerprint(case),
            # A 総合評価 notice is published only with its 評価項目一覧 (criteria.operations).
            has_criteria=case.procedure.has_technical_evaluation)

    def public_questions() -> str:
        return render_template("notices/_notice_questions.html",
                               answered=[q for q in case.questions if q.published_at is not None])

    ctx = {"case": case, "now": now, "company": company,
           "public_top": pagecache.shared("notice", public_top, case.id),
           "public_questions": pagecache.shared("notice-questions", public_questions, case.id),
           "amendment_rows": ops.amendment_rows}
    if company is not None:
        participation = ops.participation_of(case, company)
        ctx["registration"] = ops.registration_of(case, company)
        ctx["verdicts"] = ops.verdicts(case, company, now, submitted=participation is not None,
                                       registration=ctx["registration"])
        ctx["my_questions"] = db.session.execute(select(Question).where(
            Question.case_id == case.id, Question.company_id == company.id).order_by(Question.number)).scalars().all()
        ctx["acknowledged"] = set(db.session.execute(
            select(AmendmentAcknowledgement.amendment_id).join(Amendment)
            .where(Amendment.case_id == case.id, AmendmentAcknowledgement.company_id == company.id)).scalars())
        ctx["confirm"] = ConfirmForm()
        ctx["participation"] = participation
        # The 質問書 button only while questions are taken (issue 19); otherwise why not.
        ctx["questions_closed"] = schedule.period_message(now, case.questions_from, case.questions_until, "質問")
    return render_template("notices/show.html", **ctx)


@board.route("/<int:case_id>/files/<int:attachment_id>")
@public
def attachment(case_id: int, attachment_id: int):
    case = load_public_case(case_id)
    item = _child(CaseAttachment, attachment_id, case)
    return send_stored(item.file)


def _blank_forms(case: ProcurementCase) -> list[tuple[str, str, bool]]:
    """(code, title, has an XLSX) of the forms this case offers blank."""
    return [(code, forms.get(code).TITLE, code in forms.XLSX_CODES) for code in exports.blank_codes(case)]


def _company():
    return current_user.company


@board.route("/<int:case_id>/register", methods=["POST"])
@require("notices.take_part", load=load_public_case)
def register(case_id: int, obj: ProcurementCase):
    return act(url_for("board.show", case_id=obj.id), lambda f: ops.register(obj, _company(), by=current_user, now=clock.now()),
               "参加予定として登録しました。訂正や取り止めがあればお知らせします。")


@board.route("/<int:case_id>/questions/new", methods=["GET", "POST"])
@require("notices.take_part", load=load_public_case)
def ask(case_id: int, obj: ProcurementCase):
    form = QuestionForm()
    now = clock.now()
    closed = schedule.period_message(now, obj.questions_from, obj.questions_until, "質問")
    if apply_form(form, lambda f: ops.ask(obj, _company(), {n: getattr(f, n).data for n in ("document", "page", "item", "body")},
                                          by=current_user, now=now),
                  lambda question: f"質問（No.{question.number}）を受け付けました。回答は公告ページで公開されます。", inline=True):
        return redirect(url_for("board.show", case_id=obj.id))
    return render_template("notices/ask.html", case=obj, form=form, closed=closed)


@board.route("/<int:case_id>/briefing", methods=["GET", "POST"])
@require("notices.take_part", load=load_public_case)
def briefing(case_id: int, obj: ProcurementCase):
    form = BriefingForm()
    now = clock.now()
    if apply_form(form, lambda f: ops.register_for_briefing(obj, _company(), f.attendees(), by=current_user, now=now),
                  "説明会の参加登録を受け付けました。", inline=True):
        return redirect(url_for("board.show", case_id=obj.id))
    closed = schedule.period_message(now, None, obj.briefing_registration_until, "説明会の参加登録")
    return render_template("notices/briefing.html", case=obj, form=form, closed=closed)


@board.route("/<int:case_id>/amendments/<int:amendment_id>/acknowledge", methods=["POST"])
@require("notices.take_part", load=load_public_case)
def acknowledge(case_id: int, amendment_id: int, obj: ProcurementCase):
    amendment = _child(Amendment, amendment_id, obj)
    return act(url_for("board.show", case_id=obj.id),
               lambda f: ops.acknowledge(amendment, _company(), by=current_user, now=clock.now()),
               f"訂正{amendment.number}の内容を確認したことを記録しました。")


# --- officers: cases -------------------------------------------------------------------

@cases.route("")
@require("cases.list")
def list_cases():
    stmt = select(ProcurementCase)
    state = request.args.get("state", "")
    if state in {s.value for s in CaseState}:
        stmt = stmt.where(ProcurementCase.state == CaseState(state))
    procedure = request.args.get("procedure", "")
    if procedure in {p.value for p in Procedure}:
        stmt = stmt.where(ProcurementCase.procedure == Procedure(procedure))
    mine = bool(request.args.get("mine"))
    if mine:
        stmt = stmt.where(ProcurementCase.id.in_(select(CaseOfficer.case_id).where(CaseOfficer.user_id == current_user.id)))
    q = request.args.get("q", "").strip()
    stmt = search.matching(stmt, q)
    sort = request.args.get("sort", "")
    if sort == "deadline":  # the earliest deadline first: what is due soonest (cases without one are left out)
        page = keyset(stmt.where(ProcurementCase.submission_deadline.is_not(None)),
                      (ProcurementCase.submission_deadline, ProcurementCase.id), descending=False)
    else:
        sort, page = "", keyset(stmt, (ProcurementCase.id,))
    return render_template("notices/cases.html", page=page, states=list(CaseState), state=state, q=q, now=clock.now(),
                           procedures=[p for p in Procedure if p.selectable], procedure=procedure, mine=mine, sort=sort)


def _case_form(form_cls, case: ProcurementCase | None = None):
    form = form_cls(obj=case)
    form.department_id.choices = options([(0, "（未設定）")] + [
        (d.id, d.name) for d in db.session.execute(select(Department).order_by(Department.name)).scalars()])
    form.planned_party_id.choices = options([(0, "（なし）")] + [
        (c.id, c.name) for c in db.session.execute(select(Company).order_by(Company.name)).scalars()])
    others = select(ProcurementCase).order_by(ProcurementCase.id.desc())
    if case is not None:
        others = others.where(ProcurementCase.id != case.id)
    form.linked_case_id.choices = options([(0, "（なし）")] + [
        (c.id, f"{c.reference} {c.title}") for c in db.session.execute(others.limit(200)).scalars()])
    officials_field = getattr(form, "opening_officials", None) is not None
    if officials_field:
        form.opening_officials.choices = options(
            (u.id, f"{u.name}（{u.department.name if u.department else '部署なし'}）")
            for u in ops.eligible_officials(case))
    if request.method == "GET":
        if case is not None:
            form.procedure.data = case.procedure.value
            form.department_id.data = case.department_id or 0
            form.planned_party_id.data = case.planned_party_id or 0
            form.linked_case_id.data = case.linked_case_id or 0
            # A sealed 予定価格 cannot be shown, not even to the officer who typed it: left blank, it stays.
            form.estimated_price.data = None if case.estimated_price_sealed else case.estimated_price
            if officials_field:
                key = sealing.case_keys(case.id).get("price")
                form.opening_officials.data = [s.user_id for s in key.shares] if key else []
                form.opening_threshold.data = key.threshold if key else 2
        else:
            if current_user.department_id:
                form.department_id.data = current_user.department_id
            if officials_field:
                form.opening_officials.data = [u.id for u in ops.eligible_officials(None)
                                               if u.department_id == current_user.department_id][:3]
    return form


def _values(form: CaseForm) -> dict:
    names = ["title", "description", "place_of_performance", "contact_text", *CaseForm.SCHEDULE, "bid_bond",
             "performance_bond", "payment_terms", "price_basis", "estimated_price", "estimated_price_tax_included",
             "price_score_basis", "budget_ceiling"]
    values = {n: getattr(form, n).data for n in names}
    if values.get("estimated_price") is None:
        values.pop("estimated_price")  # blank: a sealed 予定価格 stays as it is
    if getattr(form, "opening_officials", None) is not None:
        values["opening_officials"] = list(form.opening_officials.data or [])
        values["opening_threshold"] = form.opening_threshold.data or 2
    values["procedure"] = Procedure(form.procedure.data)
    for key in ("department_id", "planned_party_id", "linked_case_id"):
        values[key] = getattr(form, key).data or None
    return values


@cases.route("/new", methods=["GET", "POST"])
@require("cases.create")
def new():
    form = _case_form(CaseForm)
    created = apply_form(form, lambda f: ops.create_case(_values(f), by=current_user, now=clock.now()),
                         lambda case: f"案件「{case.title}」（{case.reference}）を下書きとして作成しました。", inline=True)
    if created:
        return redirect(url_for("cases.show", case_id=created.value.id))
    return render_template("notices/case_form.html", form=form, case=None)


@cases.route("/<int:case_id>", endpoint="show")
@require("cases.view", load=load_case)
def case_page(case_id: int, obj: ProcurementCase):
    case = obj
    now = clock.now()
    manage = can(current_user, "cases.manage", case)
    ctx = {
        "case": case, "now": now, "manage": manage, "countdown": schedule.countdown,
        "see_price": can(current_user, "cases.view_estimated_price", case),
        "see_registrants": can(current_user, "cases.view_registrants", case),
        "actions": allowed_actions(case.state, case.procedure) if manage else [],
        "problems": ops.schedule_problems(case, for_publication=case.state is CaseState.DRAFT),
        "blocking": ops.publication_problems(case) if case.state is CaseState.DRAFT else [],
        "rules": [(r, eligibility.describe(s)) for r, s in zip(case.eligibility_rules, ops.rule_specs(case))],
        "confirm": ConfirmForm(), "doc_form": RequiredDocumentForm(), "rule_form": RuleForm(),
        "cancel_form": CancelForm(), "attachment_form": AttachmentForm(), "viewing_form": lambda reg: ViewingForm(prefix=f"viewing{reg.id}"),
        "personal": can(current_user, "cases.view_personal_data", case),
        "officials": sealing.officials(case.id),
        "threshold": getattr(sealing.case_keys(case.id).get("price"), "threshold", None),
    }
    if ctx["see_registrants"]:
        registrations = db.session.execute(select(CaseRegistration).where(CaseRegistration.case_id == case.id)
                                           .order_by(CaseRegistration.id)).scalars().all()
        judged = ops.verdicts_of(case, [r.company for r in registrations], now)
        ctx["registrations"] = [(r, judged[r.company_id]) for r in registrations]
        ctx["briefings"] = db.session.execute(select(BriefingRegistration).where(
            BriefingRegistration.case_id == case.id).order_by(BriefingRegistration.id)).scalars().all()
        ctx["attendees_of"] = ops.attendees_of
        ctx["participations"] = db.session.execute(select(Participation).where(
            Participation.case_id == case.id).order_by(Participation.id)).scalars().all()

    def recording() -> None:
        if ctx.get("briefings"):
            record("briefing.attendees_viewed", case, summary={"registrations": len(ctx["briefings"])})
        if ctx["see_price"] and case.estimated_price is not None:
            record("case.estimated_price_viewed", case)

    return render_recorded("notices/case.html", recording, **ctx)


@cases.route("/<int:case_id>/edit", methods=["GET", "POST"])
@require("cases.manage", load=load_case)
def edit(case_id: int, obj: ProcurementCase):
    if obj.state is not CaseState.DRAFT:
        if obj.state is CaseState.PUBLISHED:
            return redirect(url_for("cases.amend", case_id=obj.id))
        flash(f"{obj.state.label}の案件は変更できません。", "error")
        return redirect(url_for("cases.show", case_id=obj.id))
    form = _case_form(CaseForm, obj)
    if apply_form(form, lambda f: ops.update_draft(obj, _values(f), by=current_user, now=clock.now()),
                  lambda diff: "下書きを保存しました。" if diff else ("変更はありませんでした。", "info"), inline=True):
        return redirect(url_for("cases.show", case_id=obj.id))
    return render_template("notices/case_form.html", form=form, case=obj)


@cases.route("/<int:case_id>/amend", methods=["GET", "POST"])
@require("cases.manage", load=load_case)
def amend(case_id: int, obj: ProcurementCase):
    form = _case_form(AmendForm, obj)
    if apply_form(form, lambda f: ops.amend(obj, _values(f), f.amendment_summary.data, by=current_user, now=clock.now(),
                                            shortening_reason=f.shortening_reason.data or ""),
                  lambda amendment: f"訂正{amendment.number}を公告しました。登録事業者に通知しました。", inline=True):
        return redirect(url_for("cases.show", case_id=obj.id))
    return render_template("notices/case_form.html", form=form, case=obj, amending=True)


@cases.route("/<int:case_id>/publish", methods=["GET", "POST"])
@require("cases.manage", load=load_case)
def publish(case_id: int, obj: ProcurementCase):
    """GET: the confirmation page (what will be published, and that it cannot be taken back)."""
    if request.method == "POST":
        now = clock.now()
        return act(_page(obj), lambda f: ops.publish(obj, by=current_user, now=now),
                   lambda _: "公告しました。公告掲示板に掲載されています。" if obj.published_at <= now else
                   f"公告しました。公示日（{format_wareki(obj.notice_on, weekday=True)}）の0時に公告掲示板に掲載されます。"
                   "それまでは職員だけが見られます。", error_prefix="公告できません：")
    if obj.state != CaseState.DRAFT:
        flash("この案件は公告済みです。", "error")
        return redirect(_page(obj))
    problems = ops.publication_problems(obj)
    if problems:
        flash("公告できません：" + " ".join(problems), "error")
        return redirect(_page(obj))
    return render_template("_confirm.html", title="公告", lead="この案件を公告し、公告掲示板に掲載します。誰でも閲覧でき、"
                           "参加登録した事業者には以後の訂正・質問回答が通知されます。",
                           facts=ops.publication_facts(obj, clock.now()), irreversible=[
                               "公告した内容は変更できません。変更は「訂正」として番号を付けて公表され、更新履歴に残ります。",
                               "公告を取り消すことはできません。取り止める場合も、その理由とともに公表されます。",
                               "公告後、予定価格・開札担当職員は変更できません。"],
                           form=ConfirmForm(), action=url_for("cases.publish", case_id=obj.id), submit="公告する",
                           back=_page(obj))


@cases.route("/<int:case_id>/copy", methods=["POST"])
@require("cases.create", load=load_case)
def copy(case_id: int, obj: ProcurementCase):
    """A new draft from this case (issue 19: copy a past case)."""
    done = apply_form(ConfirmForm(), lambda f: ops.copy_case(obj, by=current_user, now=clock.now()),
                      lambda new: f"「{obj.title}」（{obj.reference}）を写して下書き（{new.reference}）を作りました。"
                                  "日程・予定価格・開札担当職員を設定してください。")
    if done:
        return redirect(url_for("cases.edit", case_id=done.value.id))
    return redirect(_page(obj))


@cases.route("/<int:case_id>/cancel", methods=["POST"])
@require("cases.manage", load=load_case)
def cancel(case_id: int, obj: ProcurementCase):
    form = CancelForm()
    return act(_page(obj), lambda f: ops.cancel(obj, f.reason.data, by=current_user, now=clock.now()),
               "案件を取り止めました。登録事業者に通知しました。", form)


@cases.route("/<int:case_id>/documents", methods=["POST"])
@require("cases.manage", load=load_case)
def add_document(case_id: int, obj: ProcurementCase):
    form = RequiredDocumentForm()
    return act(_page(obj, "#documents"), lambda f: ops.add_required_document(
        obj, f.name.data, f.copies.data, f.mandatory.data, f.note.data, by=current_user, on_screen=f.on_screen.data,
        unit=f.unit.data or None),
        lambda _: f"提出書類「{form.name.data}」を追加しました。", form)


@cases.route("/<int:case_id>/documents/<int:doc_id>/delete", methods=["POST"])
@require("cases.manage", load=load_case)
def remove_document(case_id: int, doc_id: int, obj: ProcurementCase):
    doc = _child(RequiredDocument, doc_id, obj)
    return act(_page(obj, "#documents"), lambda f: ops.remove_required_document(obj, doc, by=current_user),
               f"提出書類「{doc.name}」を削除しました。")


@cases.route("/<int:case_id>/rules", methods=["POST"])
@require("cases.manage", load=load_case)
def add_rule(case_id: int, obj: ProcurementCase):
    form = RuleForm()

    def add(form):
        kind = eligibility.RuleKind(form.kind.data)
        params = eligibility.default_params(kind)
        if kind is eligibility.RuleKind.UNIFIED_QUALIFICATION:
            params = {"category": form.category.data, "grades": form.grades.data, "regions": form.regions.data,
                      "fiscal_year": form.fiscal_year.data}
        ops.add_rule(obj, kind, params, by=current_user)

    return act(_page(obj, "#rules"), add, lambda _: f"参加資格「{eligibility.RuleKind(form.kind.data).label}」を追加しました。",
               form)


@cases.route("/<int:case_id>/rules/<int:rule_id>/delete", methods=["POST"])
@require("cases.manage", load=load_case)
def remove_rule(case_id: int, rule_id: int, obj: ProcurementCase):
    rule = _child(EligibilityRule, rule_id, obj)
    return act(_page(obj, "#rules"), lambda f: ops.remove_rule(obj, rule, by=current_user), "参加資格を削除しました。")


@cases.route("/<int:case_id>/questions/<int:question_id>/answer", methods=["GET", "POST"])
@require("cases.manage", load=load_case)
def answer(case_id: int, question_id: int, obj: ProcurementCase):
    question = _child(Question, question_id, obj)
    form = AnswerForm(obj=question)
    if apply_form(form, lambda f: ops.answer(question, f.answer.data, by=current_user, now=clock.now()),
                  f"質問No.{question.number}への回答を公開しました。", inline=True):
        return redirect(url_for("cases.show", case_id=obj.id) + f"#question-{question.number}")
    return render_template("notices/answer.html", case=obj, question=question, form=form)


@cases.route("/<int:case_id>/briefing.csv")
@require("cases.view_registrants", load=load_case)
def briefing_csv(case_id: int, obj: ProcurementCase):
    rows = db.session.execute(select(BriefingRegistration).where(BriefingRegistration.case_id == obj.id)
                              .order_by(BriefingRegistration.id)).scalars().all()
    lines = [[row.company.name, row.company.corporate_number, person["name"], person["email"],
              row.registered_at.isoformat()] for row in rows for person in ops.attendees_of(row)]
    record("briefing.attendees_exported", obj, summary={"registrations": len(rows)})
    db.session.commit()
    return send_csv(["事業者", "法人番号", "参加者氏名", "メールアドレス", "登録日時"], lines,
                    f"briefing-{obj.reference}.csv")


# --- 事前確認公募: participation ---------------------------------------------------------

@board.route("/<int:case_id>/participation", methods=["GET", "POST"])
@require("notices.take_part", load=load_public_case)
def participation(case_id: int, obj: ProcurementCase):
    if obj.procedure is not Procedure.PRIOR_CONFIRMATION:
        abort(404)
    company = _company()
    existing = ops.participation_of(obj, company)
    if existing is not None:
        return render_template("notices/participation_receipt.html", case=obj, row=existing)
    form = ParticipationForm()
    now = clock.now()
    def submit(form):
        return ops.submit_participation(
            obj, company, business_summary=form.business_summary.data, track_record=form.track_record.data,
            handlers=[v for v in (f.form.value() for f in form.handlers) if v],
            structure=[v for v in (f.form.value() for f in form.structure) if v],
            qualification_file=storage.store(form.qualification_file.data, allowed=(storage.PDF,), user=current_user),
            declarations_affirmed=form.declarations.data, by=current_user, now=now)

    if apply_form(form, submit, "参加意思確認書を受け付けました。提出後の撤回・差し替えはできません。", inline=True):
        return redirect(url_for("board.participation", case_id=obj.id))
    closed = schedule.period_message(now, obj.submissions_from, obj.submission_deadline, "参加意思確認書")
    return render_template("notices/participation.html", case=obj, form=form, closed=closed)


@cases.route("/<int:case_id>/participations/<int:participation_id>", methods=["GET", "POST"])
@require("cases.view_personal_data", load=load_case)
def participation_detail(case_id: int, participation_id: int, obj: ProcurementCase):
    row = _child(Participation, participation_id, obj)
    form = DecisionForm()
    if apply_form(form, lambda f: ops.decide_participation(row, f.decision.data == "accepted", f.reason.data or "",
                                                           by=current_user, now=clock.now()),
                  lambda _: f"{row.company.name} の参加意思確認書を「{row.decision_label}」と判定しました。", inline=True):
        return redirect(url_for("cases.show", case_id=obj.id) + "#participations")
    return render_recorded("notices/participation_detail.html",
                           lambda: record("participation.personal_data_viewed", row,
                                          summary={"case_id": obj.id, "fields": ["handlers", "structure"]}),
                           case=obj, row=row, form=form,
                           handlers=ops.handlers_of(row), structure=ops.structure_of(row),
                           verdicts=ops.verdicts(obj, row.company, clock.now()))


@cases.route("/<int:case_id>/participations/<int:participation_id>/file")
@require("cases.view_personal_data", load=load_case)
def participation_file(case_id: int, participation_id: int, obj: ProcurementCase):
    row = _child(Participation, participation_id, obj)
    if row.qualification_file is None:
        abort(404)
    record("participation.file_downloaded", row, summary={"sha256": row.qualification_file.sha256})
    db.session.commit()
    return send_stored(row.qualification_file)


@cases.route("/<int:case_id>/close-submissions", methods=["POST"])
@require("cases.manage", load=load_case)
def close_submissions(case_id: int, obj: ProcurementCase):
    return act(_page(obj), lambda f: ops.close_submissions(obj, by=current_user, now=clock.now()),
               "提出の受付を締め切りました。")


@cases.route("/<int:case_id>/conclude", methods=["POST"])
@require("cases.manage", load=load_case)
def conclude(case_id: int, obj: ProcurementCase):
    return act(_page(obj, "#participations"),
               lambda f: ops.conclude_prior_confirmation(obj, by=current_user, now=clock.now()),
               "事前確認公募の結果を確定しました。")


def _page(case: ProcurementCase, anchor: str = "") -> str:
    return url_for("cases.show", case_id=case.id) + anchor


@cases.route("/<int:case_id>/attachments", methods=["POST"])
@require("cases.manage", load=load_case)
def add_attachment(case_id: int, obj: ProcurementCase):
    form = AttachmentForm()
    return act(_page(obj, "#attachments"), lambda f: ops.add_attachment(
        obj, f.title.data, storage.store(f.file.data, user=current_user), by=current_user),
        lambda _: f"資料「{form.title.data}」を添付しました。", form)


@cases.route("/<int:case_id>/registrations/<int:registration_id>", methods=["POST"])
@require("cases.manage", load=load_case)
def record_viewing(case_id: int, registration_id: int, obj: ProcurementCase):
    registration = _child(CaseRegistration, registration_id, obj)
    form = ViewingForm(prefix=f"viewing{registration.id}")  # one form per registrant: its own ids
    return act(_page(obj, "#registrants"), lambda f: ops.record_viewing(
        registration, nda_signed_on=f.nda_signed_on.data, viewing_appointment_at=f.viewing_appointment_at.data,
        documents_viewed_on=f.documents_viewed_on.data, by=current_user),
        f"{registration.company.name} の秘密保持誓約・閲覧の記録を保存しました。", form)

# --- blank forms (様式) for bidders ---------------------------------------------------------

@board.route("/<int:case_id>/forms/<code>.<ext>")
@public
def blank_form(case_id: int, code: str, ext: str):
    """A 様式 to fill in by hand, with this case's title and addressee already on it."""
    case = load_public_case(case_id)
    if code not in exports.blank_codes(case):
        abort(404)
    authority = case.department.authority.name if case.department else ""
    data = forms.blank(code, case_title=case.title, addressee=exports.addressee(case, code), authority=authority,
                       occasion=exports.occasion(case))
    return send_form(code, data, ext, f"{case.reference}-{code}")

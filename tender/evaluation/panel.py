"""The technical evaluation of a case: 一次評価 from each bid's sheet, evaluators, their
independent marks, the chair's consensus (合議) and its sign-off [002 VI 2.1–2.2].

Each operation validates, changes, records the audit event and flushes; the route commits.
Nothing here reads a price: proposals are the first-round bids, whose amounts stay sealed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tender.accounts.models import Role, User
from tender.audit.operations import record
from tender.bidding.models import Bid, BidStatus
from tender.bidding.operations import proposals_released, rounds_of
from tender.criteria.operations import engine_criteria, specs
from tender.documents import storage
from tender.evaluation.models import (
    ConsensusMark,
    EvaluatorAssignment,
    EvaluatorMark,
    HearingNote,
    TechnicalSignoff,
)
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.notifications.operations import notify, page
from tender.rules import criteria as sheet_rules
from tender.rules import evaluation as engine
from tender.rules.errors import OperationError

COI_STATEMENT = ("私は、本件の入札者のいずれとも、資本・人事・取引・親族その他の利害関係がなく、"
                 "公正に審査を行うことを申告します。")


class PanelError(OperationError):
    """A Japanese message; nothing was changed."""


# --- proposals and the 一次評価 --------------------------------------------------------------

def proposals(case: ProcurementCase) -> list[Bid]:
    """The proposals: the bids of the first round, in order of submission (re-bids change only the price).
    None until two opening officials have released them, which they can do only after the submission
    deadline: who has bid is nobody's to know before (issue 13 items 4 and 6)."""
    if not proposals_released(case):
        return []
    first = next((r for r in rounds_of(case) if r.number == 1), None)
    return list(first.bids) if first else []


def proposal_of(case: ProcurementCase, bid_id: int) -> Bid:
    bid = next((b for b in proposals(case) if b.id == bid_id), None)
    if bid is None:
        raise PanelError("この案件の提案書ではありません。")
    return bid


def screening(case: ProcurementCase, bid: Bid, items: list | None = None) -> sheet_rules.Screening:
    """The 一次評価 of a proposal; ``items``: the case's 評価項目一覧 when already read (lists of
    proposals read it once, not once per proposal)."""
    return sheet_rules.screen(specs(case) if items is None else items, bid.sheet)


def deadline_passed(case: ProcurementCase, now: datetime) -> bool:
    return case.submission_deadline is not None and now > case.submission_deadline


def scored_proposals(case: ProcurementCase) -> list[Bid]:
    """The proposals the evaluators score: passed the 一次評価 and not (yet) invalid."""
    items = specs(case)
    return [b for b in proposals(case) if b.status != BidStatus.INVALID and screening(case, b, items).passed]


# --- evaluators ------------------------------------------------------------------------------

def assignments(case: ProcurementCase) -> list[EvaluatorAssignment]:
    return db.session.execute(select(EvaluatorAssignment).where(EvaluatorAssignment.case_id == case.id)
                              .order_by(EvaluatorAssignment.id)).scalars().all()


def assignment_of(case: ProcurementCase, user: User) -> EvaluatorAssignment | None:
    return db.session.execute(select(EvaluatorAssignment).where(
        EvaluatorAssignment.case_id == case.id, EvaluatorAssignment.user_id == user.id)).scalar_one_or_none()


def signoff_of(case: ProcurementCase) -> TechnicalSignoff | None:
    return db.session.execute(select(TechnicalSignoff).where(TechnicalSignoff.case_id == case.id)
                              ).scalar_one_or_none()


def _not_signed(case: ProcurementCase) -> None:
    if signoff_of(case) is not None:
        raise PanelError("合議は確定（署名）済みです。技術評価は変更できません。")


def assign(case: ProcurementCase, evaluator: User, *, chair: bool, by: User, now: datetime) -> EvaluatorAssignment:
    if not case.procedure.has_technical_evaluation:
        raise PanelError("この調達方式では技術評価を行いません。")
    if not case.state.is_public:
        raise PanelError("審査員は公告後に指名します。")
    _not_signed(case)
    if evaluator.role is not Role.EVALUATOR or not evaluator.active:
        raise PanelError("審査員の役割をもつ有効な利用者を選んでください。")
    if assignment_of(case, evaluator) is not None:
        raise PanelError(f"{evaluator.name}さんは既に審査員に指名されています。")
    if chair and any(a.is_chair for a in assignments(case)):
        raise PanelError("審査委員長は既に指名されています。")
    row = EvaluatorAssignment(case_id=case.id, user_id=evaluator.id, is_chair=chair, assigned_by_id=by.id,
                              assigned_at=now)
    db.session.add(row)
    db.session.flush()
    record("evaluator.assigned", row, actor=by, summary={"case_id": case.id, "user_id": evaluator.id,
                                                        "chair": chair})
    notify([evaluator], f"「{case.title}」の審査員に指名されました。利害関係の申告をしてください。",
           page("evaluation.review", case_id=case.id))
    return row


def unassign(case: ProcurementCase, row: EvaluatorAssignment, *, by: User) -> None:
    _not_signed(case)
    has_marks = db.session.scalar(select(EvaluatorMark.id).where(EvaluatorMark.assignment_id == row.id).limit(1))
    if has_marks is not None and not row.conflict:
        raise PanelError("評価を始めた審査員は外せません（記録は残します）。")
    record("evaluator.unassigned", row, actor=by, summary={"case_id": case.id, "user_id": row.user_id,
                                                          "conflict": row.conflict})
    db.session.delete(row)


def declare(row: EvaluatorAssignment, *, conflict: bool, detail: str, by: User, now: datetime) -> None:
    """The evaluator's declaration before any proposal is shown: no conflict, or the conflict."""
    case = row.case
    if row.user_id != by.id:
        raise PanelError("申告は審査員本人が行います。")
    if row.coi_declared_at is not None:
        raise PanelError("利害関係の申告は済んでいます。")
    if not deadline_passed(case, now):
        raise PanelError("入札者が確定する提出期限の後に申告してください。")
    if not proposals_released(case):
        raise PanelError("提案書の開封（開札担当職員による）の後に、入札者との利害関係を申告してください。")
    detail = (detail or "").strip()
    if conflict and not detail:
        raise PanelError("利害関係の内容を記入してください。")
    companies = sorted({b.company_id for b in proposals(case)})
    row.coi_declared_at, row.coi_company_ids, row.conflict = now, companies, conflict
    row.coi_statement = detail if conflict else COI_STATEMENT
    record("evaluator.declared", row, actor=by, summary={"case_id": case.id, "conflict": conflict,
                                                        "companies": companies, "statement": row.coi_statement})
    if conflict:
        officers = [o.user for o in case.officers]
        notify(officers, f"「{case.title}」の審査員 {by.name} さんが利害関係を申告しました。交代を検討してください。",
               page("evaluation.panel_page", case_id=case.id))


def may_review(row: EvaluatorAssignment | None, now: datetime) -> bool:
    """Proposals are shown only once released (two opening officials, after the deadline) and after
    a declaration of no conflict covering every bidder."""
    if row is None or row.coi_declared_at is None or row.conflict:
        return False
    if not proposals_released(row.case):
        return False
    return set(row.coi_company_ids or []) >= {b.company_id for b in proposals(row.case)}


def _review_allowed(row: EvaluatorAssignment, now: datetime) -> None:
    if row.coi_declared_at is not None and not row.conflict and not proposals_released(row.case):
        raise PanelError("提案書はまだ開封されていません。開札担当職員による提案書の開封の後に審査できます。")
    if not may_review(row, now):
        raise PanelError("利害関係がない旨の申告の後に、提案書を審査できます。")


# --- marks -------------------------------------------------------------------------------

def _criteria_by_id(case: ProcurementCase) -> dict[str, engine.Criterion]:
    return {c.id: c for c in engine_criteria(case)}


def parse_value(criterion: engine.Criterion, raw: Any) -> Any:
    """A mark from a form into the engine's vocabulary, checked against the item; PanelError if not."""
    if criterion.kind == engine.CERTIFICATION:
        value = sorted(set(raw or []))
    else:
        value = (raw or "").strip() if isinstance(raw, str) else raw
        if not value:
            return None
    try:
        engine.criterion_points(criterion, value, bidder="-")
    except engine.ScoreError:
        raise PanelError(f"項目 {criterion.id} の評価が正しくありません。") from None
    return value


def marks_of(row: EvaluatorAssignment) -> dict[tuple[int, str], EvaluatorMark]:
    rows = db.session.execute(select(EvaluatorMark).where(EvaluatorMark.assignment_id == row.id)).scalars()
    return {(m.bid_id, m.item_id): m for m in rows}


def consensus_values(case: ProcurementCase) -> dict[tuple[int, str], Any]:
    """The agreed value of each (proposal, item): the scores need only these, not the marks
    (1,400 of them for 50 proposals)."""
    rows = db.session.execute(select(ConsensusMark.bid_id, ConsensusMark.item_id, ConsensusMark.value)
                              .where(ConsensusMark.case_id == case.id))
    return {(bid_id, item_id): value for bid_id, item_id, value in rows}


def signed_values(signoff: TechnicalSignoff) -> dict[tuple[int, str], Any]:
    """The agreed values as the chair signed them: once signed the consensus cannot change
    (_not_signed), and the signed record is what the award rests on [002 VI 2.2]; one row to
    read instead of the 1,400 consensus marks of 50 proposals."""
    return {(int(bid_id), item_id): value for bid_id, entry in (signoff.snapshot or {}).items()
            for item_id, value in (entry.get("scores") or {}).items()}


def save_marks(row: EvaluatorAssignment, bid: Bid, entries: dict[str, tuple[Any, str]], *, by: User,
               now: datetime) -> int:
    """Save an evaluator's marks for one proposal (a draft until the evaluator submits them all)."""
    case = row.case
    if row.user_id != by.id:
        raise PanelError("評価は審査員本人が入力します。")
    _review_allowed(row, now)
    _not_signed(case)
    if row.submitted_at is not None:
        raise PanelError("評価は提出済みです。提出後は変更できません。")
    if bid.id not in {b.id for b in scored_proposals(case)}:
        raise PanelError("一次評価に合格した提案書だけを評価します。")
    criteria = _criteria_by_id(case)
    existing = marks_of(row)
    saved = 0
    problems = []
    parsed: dict[str, tuple[Any, str]] = {}
    for item_id, (raw, comment) in entries.items():
        criterion = criteria.get(item_id)
        if criterion is None:
            problems.append(f"項目 {item_id} はこの案件の評価項目にありません。")
            continue
        try:
            parsed[item_id] = (parse_value(criterion, raw), (comment or "").strip())
        except PanelError as exc:
            problems.append(str(exc))
    if problems:
        raise PanelError(" ".join(problems))
    for item_id, (value, comment) in parsed.items():
        mark = existing.get((bid.id, item_id))
        if value is None:
            if mark is not None:
                db.session.delete(mark)
            continue
        if mark is None:
            db.session.add(EvaluatorMark(assignment_id=row.id, bid_id=bid.id, item_id=item_id, value=value,
                                         comment=comment, updated_at=now))
        else:
            mark.value, mark.comment, mark.updated_at = value, comment, now
        saved += 1
    db.session.flush()
    return saved


def missing_marks(row: EvaluatorAssignment) -> list[tuple[Bid, str]]:
    case = row.case
    have = marks_of(row)
    criteria = engine_criteria(case)
    return [(b, c.id) for b in scored_proposals(case) for c in criteria if (b.id, c.id) not in have]


def submit_marks(row: EvaluatorAssignment, *, by: User, now: datetime) -> None:
    if row.user_id != by.id:
        raise PanelError("評価は審査員本人が提出します。")
    _review_allowed(row, now)
    _not_signed(row.case)
    if row.submitted_at is not None:
        raise PanelError("評価は提出済みです。")
    missing = missing_marks(row)
    if missing:
        shown = "、".join(f"{b.receipt_number} の {item}" for b, item in missing[:10])
        more = f" ほか{len(missing) - 10}件" if len(missing) > 10 else ""
        raise PanelError(f"評価していない項目があります：{shown}{more}。")
    row.submitted_at = now
    record("evaluation.marks_submitted", row, actor=by, summary={
        "case_id": row.case_id, "marks": {f"{m.bid_id}:{m.item_id}": m.value for m in marks_of(row).values()}})
    chairs = [a.user for a in assignments(row.case) if a.is_chair and a.id != row.id]
    notify(chairs, f"「{row.case.title}」で {by.name} さんが評価を提出しました。", page("evaluation.consensus", case_id=row.case_id))


def active_assignments(case: ProcurementCase) -> list[EvaluatorAssignment]:
    return [a for a in assignments(case) if not a.conflict]


def all_submitted(case: ProcurementCase) -> bool:
    rows = active_assignments(case)
    return bool(rows) and all(a.submitted_at is not None for a in rows)


# --- consensus (合議) ---------------------------------------------------------------------

def consensus_of(case: ProcurementCase) -> dict[tuple[int, str], ConsensusMark]:
    rows = db.session.execute(select(ConsensusMark).where(ConsensusMark.case_id == case.id)).scalars()
    return {(m.bid_id, m.item_id): m for m in rows}


@dataclass
class ItemView:
    """One item of one proposal as the chair sees it: every evaluator's mark and the consensus."""

    criterion: engine.Criterion
    spec: sheet_rules.CriterionSpec
    page: str
    marks: list[tuple[EvaluatorAssignment, EvaluatorMark | None]] = field(default_factory=list)
    consensus: ConsensusMark | None = None

    @property
    def disagree(self) -> bool:
        return sheet_rules.disagrees([m.value if m else None for _, m in self.marks])

    @property
    def unanimous(self) -> Any:
        values = [m.value for _, m in self.marks if m is not None]
        if values and len(values) == len(self.marks) and not sheet_rules.disagrees(values):
            return values[0]
        return None


def side_by_side(case: ProcurementCase, bid: Bid) -> list[ItemView]:
    rows = active_assignments(case)
    marks = {a.id: marks_of(a) for a in rows}
    agreed = consensus_of(case)
    by_id = {s.item_id: s for s in specs(case)}
    pages = (bid.sheet or {}).get("pages") or {}
    return [ItemView(c, by_id[c.id], str(pages.get(c.id, "")),
                     [(a, marks[a.id].get((bid.id, c.id))) for a in rows], agreed.get((bid.id, c.id)))
            for c in engine_criteria(case)]


def _chair(case: ProcurementCase, by: User) -> EvaluatorAssignment:
    row = assignment_of(case, by)
    if row is None or not row.is_chair:
        raise PanelError("合議の記録は審査委員長が行います。")
    return row


def record_consensus(case: ProcurementCase, bid: Bid, entries: dict[str, tuple[Any, str]], *, by: User,
                     now: datetime) -> int:
    """The chair records the agreed mark per item; a reason is required where the evaluators differ
    or the consensus departs from what they all gave."""
    _chair(case, by)
    _not_signed(case)
    if not all_submitted(case):
        raise PanelError("すべての審査員が評価を提出した後に合議を記録します。")
    if bid.id not in {b.id for b in scored_proposals(case)}:
        raise PanelError("一次評価に合格した提案書だけを評価します。")
    views = {v.criterion.id: v for v in side_by_side(case, bid)}
    problems: list[str] = []
    parsed: dict[str, tuple[Any, str]] = {}
    for item_id, (raw, reason) in entries.items():
        view = views.get(item_id)
        if view is None:
            problems.append(f"項目 {item_id} はこの案件の評価項目にありません。")
            continue
        try:
            value = parse_value(view.criterion, raw)
        except PanelError as exc:
            problems.append(str(exc))
            continue
        if value is not None and view.criterion.kind == engine.CERTIFICATION:
            found = sheet_rules.certification_problems(list(value), bid.company.employees, bid.company.name)
            if found:
                problems.extend(found)
                continue
        if value is None:
            if view.disagree and view.consensus is None:
                problems.append(f"項目 {item_id}：審査員の評価が分かれているため、合議の結果を選んでください。")
            continue
        reason = (reason or "").strip()
        unanimous = view.unanimous
        if not reason:
            if unanimous is not None and not sheet_rules.disagrees([unanimous, value]):
                reason = "審査員全員の評価が一致"
            else:
                problems.append(f"項目 {item_id}：審査員の評価が分かれている（または合議の結果が異なる）ため、理由を記入してください。")
                continue
        parsed[item_id] = (value, reason)
    if problems:
        raise PanelError(" ".join(problems))
    agreed = consensus_of(case)
    for item_id, (value, reason) in parsed.items():
        row = agreed.get((bid.id, item_id))
        if row is None:
            db.session.add(ConsensusMark(case_id=case.id, bid_id=bid.id, item_id=item_id, value=value, reason=reason,
                                         recorded_by_id=by.id, recorded_at=now))
        else:
            row.value, row.reason, row.recorded_by_id, row.recorded_at = value, reason, by.id, now
    db.session.flush()
    record("consensus.recorded", bid, actor=by, summary={
        "case_id": case.id, "items": {k: {"value": v, "reason": r} for k, (v, r) in parsed.items()}})
    return len(parsed)


def add_hearing_note(case: ProcurementCase, bid: Bid, text: str, upload, *, by: User, now: datetime) -> HearingNote:
    _not_signed(case)
    text = (text or "").strip()
    if not text:
        raise PanelError("ヒアリングの記録を入力してください。")
    stored = None
    if upload:
        try:
            stored = storage.store(upload, user=by)
        except storage.UploadError as exc:
            raise PanelError(str(exc)) from exc
    row = HearingNote(case_id=case.id, bid_id=bid.id, text=text, file=stored, recorded_by_id=by.id, recorded_at=now)
    db.session.add(row)
    db.session.flush()
    record("hearing.recorded", row, actor=by, summary={"case_id": case.id, "bid_id": bid.id,
                                                      "file_sha256": stored.sha256 if stored else None})
    return row


def hearing_notes(case: ProcurementCase, bid: Bid | None = None) -> list[HearingNote]:
    query = select(HearingNote).where(HearingNote.case_id == case.id)
    if bid is not None:
        query = query.where(HearingNote.bid_id == bid.id)
    return db.session.execute(query.order_by(HearingNote.recorded_at)).scalars().all()


# --- technical results and sign-off --------------------------------------------------------

@dataclass
class TechnicalResult:
    bid: Bid
    screening: sheet_rules.Screening
    scores: dict[str, Any] | None  # consensus per item (None: not scored — failed screening or invalid)
    technical: int | None
    base: int | None
    bonus: int | None
    failed_mandatory: tuple[str, ...] = ()


def technical_results(case: ProcurementCase, agreed: dict[tuple[int, str], Any] | None = None) -> list[TechnicalResult]:
    """Per proposal: the 一次評価 and, when the consensus is complete, its technical score;
    ``agreed``: the agreed values when already at hand (signed_values)."""
    criteria = engine_criteria(case)
    items = specs(case)
    agreed = consensus_values(case) if agreed is None else agreed
    out = []
    for bid in proposals(case):
        check = screening(case, bid, items)
        scores = None
        technical = base = bonus = None
        failed: tuple[str, ...] = ()
        bid_id = bid.id  # read once: 34 items × 50 proposals
        if bid.status != BidStatus.INVALID and check.passed:  # scored_proposals, without reading again
            values = {c.id: agreed[(bid_id, c.id)] for c in criteria if (bid_id, c.id) in agreed}
            if len(values) == len(criteria):
                scores = values
                points = {c.id: engine.criterion_points(c, values[c.id], bidder=str(bid_id)) for c in criteria}
                base = sum(points[c.id] for c in criteria if c.kind == engine.MANDATORY)
                bonus = sum(points[c.id] for c in criteria if c.kind != engine.MANDATORY)
                technical = base + bonus
                failed = tuple(c.id for c in criteria if c.kind == engine.MANDATORY and values[c.id] == engine.NOT_MET)
        out.append(TechnicalResult(bid, check, scores, technical, base, bonus, failed))
    return out


def sign_off(case: ProcurementCase, *, by: User, now: datetime) -> TechnicalSignoff:
    _chair(case, by)
    _not_signed(case)
    if not all_submitted(case):
        raise PanelError("すべての審査員が評価を提出した後に確定できます。")
    results = technical_results(case)
    incomplete = [r.bid.receipt_number for r in results if r.screening.passed and r.bid.status != BidStatus.INVALID
                  and r.scores is None]
    if incomplete:
        raise PanelError("合議を記録していない項目がある提案書があります：" + "、".join(incomplete) + "。")
    snapshot = {str(r.bid.id): {"receipt_number": r.bid.receipt_number, "screening": r.screening.passed,
                                "screening_failures": [f.item_id for f in r.screening.failures],
                                "scores": r.scores, "technical": r.technical, "base": r.base, "bonus": r.bonus}
                for r in results}
    row = TechnicalSignoff(case_id=case.id, signed_by_id=by.id, signed_at=now, snapshot=snapshot)
    db.session.add(row)
    db.session.flush()
    record("consensus.signed_off", row, actor=by, summary={"case_id": case.id, "results": snapshot})
    notify([o.user for o in case.officers], f"「{case.title}」の技術評価（合議）が確定しました。",
           page("award.show", case_id=case.id))
    return row

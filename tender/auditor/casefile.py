"""A case's record as an auditor reconstructs it: every audit event about the case and the objects
that hang off it, and every decision with its grounds, read from the domain records.

Which events belong to a case is found from the schema, not from a hand-kept list: the rows of
every table that points at the case (``case_id``), then of every table that points at those rows
(a contract's versions and deliverables, a deliverable's deliveries, an assignment's marks…),
so a table added later is covered without touching this module.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import and_, not_, or_, select

from forms import _pdf_renderer
from forms.blocks import FieldTable, Paragraph, Table, Title
from forms.render_xlsx import guard
from tender import clock
from tender.audit.chain import HASHED_FIELDS, event_hash
from tender.audit.models import AuditEvent
from tender.award.models import AwardDecision, LowBidInvestigation
from tender.bidding.models import Bid, BidStatus, Lottery
from tender.bidding.operations import bids_before_deadline, rounds_of, verify_lottery
from tender.contracts.models import Contract
from tender.evaluation import panel
from tender.evaluation.models import ConsensusMark, EvaluatorAssignment, EvaluatorMark
from tender.extensions import db
from tender.notices import operations as notices
from tender.notices.models import Participation, ProcurementCase
from tender.rules.calendar import to_jst
from tender.rules.money import format_yen
from tender.web.pages import csv_text, spreadsheet_safe

#: Tables that many cases share: reaching them does not make their rows part of one case.
_SHARED = {"users", "companies", "stored_files", "departments", "authorities", "audit_events", "audit_head",
           "notifications", "login_sessions", "login_throttles", "password_resets", "outbound_mail", "opening_keys"}
_MAX_DEPTH = 4

ACTION_LABELS = {
    "case.created": "案件の作成", "case.updated": "案件の修正", "case.published": "公告", "case.amended": "訂正",
    "case.cancelled": "取り止め", "case.submissions_closed": "受付の締切", "case.estimated_price_viewed": "予定価格の閲覧",
    "question.asked": "質問", "question.answered": "質問への回答", "bid.submitted": "入札書の提出",
    "bid.invalidated": "入札の無効", "opening.requested": "開札の請求", "opening.confirmed": "開札（確認）",
    "lottery.drawn": "くじ", "rebid.started": "再度入札の開始", "evaluator.assigned": "審査員の指名",
    "evaluator.declared": "利害関係の申告", "evaluation.marks_submitted": "審査員の評価の提出",
    "consensus.recorded": "合議の記録", "consensus.signed_off": "技術評価の確定", "award.award": "落札者の決定",
    "award.hold": "落札決定の保留", "award.investigation_concluded": "低入札価格調査の結論", "award.lottery": "くじによる決定",
    "award.rebid": "再度入札の決定", "award.no_award": "落札者なし", "contract.drafted": "契約書（案）の作成",
    "contract.revised": "契約書（案）の改版", "contract.deadline_extended": "契約書提出期限の延長",
    "contract.lapsed": "落札の失効", "contract.signed": "契約の締結", "contract.delivered": "納入",
    "contract.inspected": "検査", "contract.deemed_passed": "検査合格とみなす", "contract.invoice_received": "請求書の受理",
    "contract.paid": "支払", "contract.published": "契約の公表", "contract.completed": "履行完了",
    "contract.changed": "変更契約", "award.revoked": "落札決定の取消",
    "contract.subcontract_notified": "再委託の届出", "contract.subcontract_requested": "再委託の承諾の申請",
    "contract.subcontract_approved": "再委託の承諾", "contract.subcontract_refused": "再委託の不承諾", "contract.defect_found": "契約不適合の記録",
    "contract.defect_notified": "契約不適合の通知", "contract.defect_resolved": "契約不適合の解決",
    "contract.incident": "障害復旧作業の終了（報告書の期限）",
}


def _tables() -> list[sa.Table]:
    return [t for t in db.metadata.sorted_tables if t.name not in _SHARED]


def case_objects(case: ProcurementCase) -> dict[str, set[str]]:
    """Every row of the case and of what hangs off it, as ``{table: {id, …}}`` (ids as strings).

    Breadth first over the schema's foreign keys, one query per level: the rows that point at the
    rows found at the level before, in every table at once (UNION ALL)."""
    found: dict[str, set[Any]] = {"procurement_cases": {case.id}}
    frontier: dict[str, set[Any]] = dict(found)
    for _ in range(_MAX_DEPTH):
        parts = []
        for table in _tables():
            if table.name == "procurement_cases" or "id" not in table.c:
                continue
            conditions = [column.in_(sorted(frontier[fk.column.table.name]))
                          for column in table.c for fk in column.foreign_keys if fk.column.table.name in frontier]
            if conditions:
                parts.append(select(sa.literal(table.name).label("t"), sa.cast(table.c.id, sa.BigInteger).label("i"))
                             .where(or_(*conditions)))
        if not parts:
            break
        frontier = {}
        for name, row_id in db.session.execute(sa.union_all(*parts)).all():
            if row_id not in found.setdefault(name, set()):
                found[name].add(row_id)
                frontier.setdefault(name, set()).add(row_id)
        if not frontier:
            break
    return {name: {str(i) for i in ids} for name, ids in found.items() if ids}


def visible(now):
    """Events an auditor may see now: all but those about bids still in a submission period."""
    return not_(and_(AuditEvent.object_type == "bids", AuditEvent.object_id.in_(bids_before_deadline(now))))


def about(objects: dict[str, set[str]]):
    """Events about any of ``objects`` (``{table: {id, …}}``, as case_objects gives them)."""
    return or_(*[and_(AuditEvent.object_type == name, AuditEvent.object_id.in_(sorted(ids)))
                 for name, ids in objects.items()])


def case_events_statement(case: ProcurementCase, action_prefix: str | None = None,
                          objects: dict[str, set[str]] | None = None):
    """The statement of the case's events (those an auditor may see now), optionally of one kind;
    ``objects``: the case's rows when already found (case_objects)."""
    objects = case_objects(case) if objects is None else objects
    stmt = select(AuditEvent).where(about(objects), visible(clock.now()))
    return stmt.where(AuditEvent.action.startswith(action_prefix)) if action_prefix else stmt


def case_events(case: ProcurementCase, action_prefix: str | None = None,
                objects: dict[str, set[str]] | None = None) -> list[AuditEvent]:
    """Every event of the case in order (the exports; the page reads them a page at a time)."""
    return db.session.execute(case_events_statement(case, action_prefix, objects)
                              .order_by(AuditEvent.seq)).scalars().all()


def event_intact(event: AuditEvent) -> bool:
    """The event's content still gives its recorded hash (the chain as a whole: verify_chain)."""
    return event_hash({name: getattr(event, name) for name in HASHED_FIELDS}) == event.hash


def label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def summary_lines(event: AuditEvent) -> list[tuple[str, str]]:
    """The summary as (key, value) lines; a change shows as 「before → after」."""
    data = json.loads(event.summary or "{}")
    lines = []
    for key, value in data.items():
        if key == "changes" and isinstance(value, dict):
            for name, pair in value.items():
                if isinstance(pair, list) and len(pair) == 2:
                    lines.append((name, f"{_short(pair[0])} → {_short(pair[1])}"))
                else:
                    lines.append((name, _short(pair)))
        else:
            lines.append((key, _short(value)))
    return lines


def _short(value: Any, limit: int = 400) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


# --- decisions with their grounds ------------------------------------------------------------

@dataclass
class Decisions:
    invalid_bids: list = field(default_factory=list)
    rounds: list = field(default_factory=list)
    assignments: list = field(default_factory=list)
    marks: dict = field(default_factory=dict)  # assignment id → [EvaluatorMark]
    consensus: list = field(default_factory=list)
    signoff: Any = None
    lotteries: list = field(default_factory=list)  # (Lottery, verified: bool)
    awards: list = field(default_factory=list)
    investigations: list = field(default_factory=list)
    contracts: list = field(default_factory=list)
    participations: list = field(default_factory=list)
    eligibility: list = field(default_factory=list)  # (company, [Judgement]) as of the case's judgement date


def decisions(case: ProcurementCase) -> Decisions:
    out = Decisions()
    out.rounds = rounds_of(case)
    out.invalid_bids = db.session.execute(select(Bid).where(Bid.case_id == case.id, Bid.status == BidStatus.INVALID)
                                          .order_by(Bid.id)).scalars().all()
    out.assignments = db.session.execute(select(EvaluatorAssignment).where(EvaluatorAssignment.case_id == case.id)
                                         .order_by(EvaluatorAssignment.id)).scalars().all()
    ids = [a.id for a in out.assignments]
    for mark in db.session.execute(select(EvaluatorMark).where(EvaluatorMark.assignment_id.in_(ids))
                                   .order_by(EvaluatorMark.bid_id, EvaluatorMark.id)).scalars() if ids else []:
        out.marks.setdefault(mark.assignment_id, []).append(mark)
    out.consensus = db.session.execute(select(ConsensusMark).where(ConsensusMark.case_id == case.id)
                                       .order_by(ConsensusMark.bid_id, ConsensusMark.id)).scalars().all()
    out.signoff = panel.signoff_of(case)
    round_ids = [r.id for r in out.rounds]
    if round_ids:
        for lottery in db.session.execute(select(Lottery).where(Lottery.round_id.in_(round_ids))
                                          .order_by(Lottery.id)).scalars():
            out.lotteries.append((lottery, _lottery_verified(lottery)))
    out.awards = db.session.execute(select(AwardDecision).where(AwardDecision.case_id == case.id)
                                    .order_by(AwardDecision.id)).scalars().all()
    out.investigations = db.session.execute(select(LowBidInvestigation).where(LowBidInvestigation.case_id == case.id)
                                            .order_by(LowBidInvestigation.id)).scalars().all()
    out.contracts = db.session.execute(select(Contract).where(Contract.case_id == case.id)
                                       .order_by(Contract.id)).scalars().all()
    out.participations = db.session.execute(select(Participation).where(Participation.case_id == case.id)
                                            .order_by(Participation.id)).scalars().all()

    now = clock.now()
    closed = [r for r in out.rounds if r.submission_deadline is not None and now > r.submission_deadline]
    bidders = {b.company_id: b.company for r in closed for b in r.bids}  # who bid: only once the period is over
    bidders.update({p.company_id: p.company for p in out.participations})
    bid = {b.company_id for r in closed for b in r.bids}
    companies = sorted(bidders.values(), key=lambda c: c.id)
    judged = notices.verdicts_of(case, companies, now, submitted={c.id: (c.id in bid) or None for c in companies})
    out.eligibility = [(company, judged[company.id]) for company in companies]
    return out


def _lottery_verified(lottery) -> bool:
    """Re-draw the lottery from its recorded inputs with the rules' own check, and check that those
    inputs are the bids' committed values (the sealed くじ番号, the 受理時乱数 on each receipt)."""
    try:
        return verify_lottery(lottery)
    except (KeyError, TypeError, ValueError):
        return False


# --- exports ---------------------------------------------------------------------------------

HEADERS = ["連番", "日時（日本時間）", "実行者", "役割", "操作", "操作の名称", "対象", "対象ID", "内容", "接続元", "ハッシュ"]


def _row(event: AuditEvent) -> list:
    return [event.seq, to_jst(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"), event.actor_name, event.actor_role or "",
            event.action, label(event.action), event.object_type or "", event.object_id or "", event.summary,
            event.ip or "", event.hash]


def events_csv(events: list[AuditEvent]) -> str:
    return csv_text(HEADERS, (_row(event) for event in events))


def events_xlsx(case: ProcurementCase, events: list[AuditEvent]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "監査証跡"
    sheet.append([f"{case.reference} {case.title}：監査証跡"])
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for event in events:
        sheet.append([spreadsheet_safe(cell) for cell in _row(event)])
    for column, width in zip("ABCDEFGHIJK", (8, 20, 28, 10, 28, 22, 22, 8, 80, 16, 66)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    guard(book).save(buffer)
    return buffer.getvalue()


def summary_pdf(case: ProcurementCase, events: list[AuditEvent], found: Decisions, chain_ok: bool, count: int) -> bytes:
    """A PDF summary of the case's record: the decisions with their grounds, then every event."""
    blocks: list = [
        Title("案件の監査記録", case.title),
        FieldTable((("案件番号", case.reference), ("調達方式", case.procedure.label), ("状態", case.state.label),
                    ("監査証跡", f"この案件のイベント {len(events)} 件。連鎖全体（{count} 件）の検査："
                                 + ("改ざんは検出されませんでした" if chain_ok else "不整合があります")))),
    ]
    if found.rounds:
        blocks.append(Table(("回", "開札の請求", "立会人", "開札（確認）"), tuple(
            (f"第{r.number}回", f"{to_jst(r.requested_at):%Y-%m-%d %H:%M}" if r.requested_at else "",
             r.witness_name or "", f"{to_jst(r.opened_at):%Y-%m-%d %H:%M}" if r.opened_at else "")
            for r in found.rounds), column_widths=(10, 30, 30, 30), caption="開札"))
    if found.invalid_bids:
        blocks.append(Table(("受理番号", "入札者", "無効の理由"), tuple(
            (b.receipt_number, b.company.name, b.invalid_reason or "") for b in found.invalid_bids),
            column_widths=(20, 30, 50), caption="無効とした入札"))
    if found.consensus:
        blocks.append(Table(("入札", "項目", "合議の評価", "理由"), tuple(
            (str(m.bid_id), m.item_id, _short(m.value, 40), m.reason or "") for m in found.consensus),
            column_widths=(10, 15, 25, 50), caption="合議の評価"))
    if found.awards:
        blocks.append(Table(("日時", "決定", "対象", "根拠"), tuple(
            (f"{to_jst(d.decided_at):%Y-%m-%d %H:%M}", d.kind_label, d.bid.company.name if d.bid else "", d.grounds)
            for d in found.awards), column_widths=(18, 18, 20, 44), caption="落札者の決定"))
    if found.contracts:
        blocks.append(Table(("相手方", "状態", "契約金額", "締結日"), tuple(
            (c.company.name, c.state_label, format_yen(c.amount_total), str(c.signed_on or "")) for c in found.contracts),
            column_widths=(35, 25, 25, 15), caption="契約"))
    blocks.append(Table(("連番", "日時", "実行者", "操作", "内容"), tuple(
        (str(e.seq), f"{to_jst(e.occurred_at):%Y-%m-%d %H:%M:%S}", f"{e.actor_name}（{e.actor_role or 'system'}）",
         label(e.action), "；".join(f"{k}: {v}" for k, v in summary_lines(e))[:300]) for e in events),
        column_widths=(7, 17, 20, 16, 40), caption="監査証跡（時系列）"))
    blocks.append(Paragraph("各イベントの内容はハッシュで連鎖しており、CSV・XLSX の出力にハッシュ値を含む。", size="small"))
    return _pdf_renderer.render(blocks, title="案件の監査記録", page_numbers=True, landscape=True)

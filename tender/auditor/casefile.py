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
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import and_, not_, or_, select
from sqlalchemy.orm import aliased, lazyload

from forms import _pdf_renderer
from forms.blocks import FieldTable, Paragraph, Table, Title
from forms.render_xlsx import guard
from tender import clock
from tender.audit.chain import HASHED_FIELDS, event_hash
from tender.audit.models import AuditEvent
from tender.award.models import AwardDecision, LowBidInvestigation
from tender.bidding.models import Bid, BidRound, BidStatus, Lottery
from tender.bidding.operations import bids_before_deadline, verify_lottery
from tender.companies.models import Company
from tender.contracts.models import Contract
from tender.evaluation import panel
from tender.evaluation.models import ConsensusMark, EvaluatorAssignment, EvaluatorMark
from tender.extensions import among, among_named, db
from tender.notices import operations as notices
from tender.notices.models import Participation, ProcurementCase
from tender.rules.calendar import to_jst
from tender.rules.money import format_yen
from tender.rules.wareki import format_wareki, format_wareki_datetime
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
        stmt = _level(db.session.get_bind().dialect.name, frozenset(frontier))
        if stmt is None:
            break
        ids = {f"ids_{name}": sorted(values) for name, values in frontier.items()}
        frontier = {}
        for name, row_id in db.session.execute(stmt, ids).all():
            if row_id not in found.setdefault(name, set()):
                found[name].add(row_id)
                frontier.setdefault(name, set()).add(row_id)
        if not frontier:
            break
    return {name: {str(i) for i in ids} for name, ids in found.items() if ids}


@cache
def _level(dialect: str, parents: frozenset[str]):
    """The rows of every table that point at rows of ``parents`` (their ids given as the
    parameters ``ids_<table>``), or None if no table does: built once for each dialect and set of
    tables a frontier holds (building and keying a union over the schema's tables cost more than
    running it)."""
    parts = []
    for table in _tables():
        if table.name == "procurement_cases" or "id" not in table.c:
            continue
        conditions = [among_named(column, f"ids_{fk.column.table.name}")
                      for column in table.c for fk in column.foreign_keys if fk.column.table.name in parents]
        if conditions:
            parts.append(select(sa.literal(table.name).label("t"), sa.cast(table.c.id, sa.BigInteger).label("i"))
                         .where(or_(*conditions)))
    return sa.union_all(*parts) if parts else None


def visible(now):
    """Events an auditor may see now: all but those about bids still in a submission period."""
    return not_(and_(AuditEvent.object_type == "bids", AuditEvent.object_id.in_(bids_before_deadline(now))))


def about(objects: dict[str, set[str]]):
    """Events about any of ``objects`` (``{table: {id, …}}``, as case_objects gives them)."""
    return or_(*[and_(AuditEvent.object_type == name, among(AuditEvent.object_id, sorted(ids)))
                 for name, ids in objects.items()])


def case_events_statement(case: ProcurementCase, action_prefix: str | tuple[str, ...] | None = None,
                          objects: dict[str, set[str]] | None = None):
    """The statement of the case's events (those an auditor may see now), optionally of some kinds
    (actions beginning with the prefix, or with any of the prefixes); ``objects``: the case's rows
    when already found (case_objects)."""
    objects = case_objects(case) if objects is None else objects
    stmt = select(AuditEvent).where(about(objects), visible(clock.now()))
    if not action_prefix:
        return stmt
    prefixes = (action_prefix,) if isinstance(action_prefix, str) else action_prefix
    return stmt.where(or_(*[AuditEvent.action.startswith(p, autoescape=True) for p in prefixes]))


def fenced(stmt):
    """``stmt`` (of events about some rows) to be read a page at a time: a derived table that the
    database plans on its own (OFFSET 0 keeps the page's ordering and cursor out of it), so that the
    events are found by the index of their objects first and then sorted by ``seq``. Without it,
    PostgreSQL answers ``ORDER BY seq LIMIT n`` by walking the whole trail by seq in the hope of
    meeting the case's events early: a case viewed 5,000 times, its events old, read 1.1 million
    rows (0.3 s). Returns the statement and the events' alias, whose ``seq`` orders the page."""
    events = aliased(AuditEvent, stmt.offset(0).subquery("events"))
    return select(events), events


def case_events(case: ProcurementCase, action_prefix: str | tuple[str, ...] | None = None,
                objects: dict[str, set[str]] | None = None) -> list[AuditEvent]:
    """Every event of the case in order (the exports; the page reads them a page at a time)."""
    return db.session.execute(case_events_statement(case, action_prefix, objects)
                              .order_by(AuditEvent.seq)).scalars().all()


def event_intact(event: AuditEvent) -> bool:
    """The event's content still gives its recorded hash (the chain as a whole: verify_chain)."""
    return event_hash({name: getattr(event, name) for name in HASHED_FIELDS}) == event.hash


def label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


#: What the auditor reads for the stored names (issue 19: the auditor saw table names, English
#: roles and keys). Names not listed show as stored.
OBJECT_LABELS = {
    "amendments": "訂正公告", "amendment_acknowledgements": "訂正の確認", "authorities": "発注機関",
    "award_decisions": "落札者の決定", "bid_declines": "入札の辞退", "bid_files": "入札の添付ファイル",
    "bid_rounds": "入札の回", "bids": "入札", "briefing_registrations": "説明会の参加登録",
    "case_attachments": "公告の添付資料", "case_keys": "案件の鍵", "case_officers": "開札担当職員",
    "case_registrations": "参加予定登録", "companies": "事業者", "company_contacts": "事業者の担当者",
    "consensus_marks": "合議の評価", "contract_changes": "変更契約", "contract_due_rules": "納入期限の定め",
    "contract_versions": "契約書（案）の版", "contracts": "契約", "credit_events": "経営状況の事実",
    "defect_claims": "契約不適合", "deliverables": "納入物件", "deliveries": "納入", "delivery_files": "納入ファイル",
    "department_contacts": "部署の担当者", "departments": "部署", "eligibility_rules": "参加資格",
    "evaluation_criteria": "評価項目", "evaluator_assignments": "審査員の指名", "evaluator_marks": "審査員の評価",
    "hearing_notes": "ヒアリングの記録", "invoices": "請求書", "key_shares": "鍵の分割片", "lotteries": "くじ",
    "low_bid_investigations": "低入札価格調査", "notifications": "通知", "opening_keys": "開札用の鍵",
    "participations": "参加意思確認書", "password_resets": "パスワードの再設定", "procurement_cases": "案件",
    "qualifications": "競争参加資格", "questions": "質問", "required_documents": "提出書類",
    "settlements": "数量精算", "stored_files": "ファイル", "subcontracts": "再委託", "suspensions": "指名停止",
    "technical_signoffs": "技術評価の確定", "users": "利用者", "waiting_shares": "鍵の分割片（待機）",
}

KEY_LABELS = {
    "case_id": "案件", "company_id": "事業者", "user_id": "利用者", "bid_id": "入札", "contract_id": "契約",
    "round": "回", "receipt_number": "受理番号", "fingerprint": "指紋（SHA-256）", "receipt_random": "受理時乱数",
    "amount": "金額", "amount_excl": "金額（税抜）", "amount_total": "金額（税込）", "tax": "消費税等",
    "reason": "理由", "grounds": "根拠", "ground": "事由", "name": "名称", "reference": "案件番号",
    "changes": "変更", "witness": "立会人", "attendees": "立会った入札者", "officials": "開札担当職員",
    "threshold": "開札に要る人数", "deadline": "期限", "due_on": "期限", "paid_on": "支払日",
    "received_on": "受理日", "signed_on": "締結日", "published_on": "公表日", "conflict": "利害関係",
    "chair": "審査委員長", "marks": "評価", "results": "結果", "files": "ファイル", "copies": "部数",
    "unit": "数え方", "mandatory": "必須", "kind": "種類", "params": "設定", "statement": "申告",
    "late_days": "遅延日数", "late_interest": "遅延利息", "formula": "計算式", "settled_on": "精算日",
    "actual": "実績数量", "reduction_excl": "減額（税抜）", "result": "結果", "findings": "所見",
}

_BOOLEANS = {True: "はい", False: "いいえ"}


def object_label(object_type: str | None) -> str:
    return OBJECT_LABELS.get(object_type or "", object_type or "")


def role_label(role: str | None) -> str:
    """The actor's role in Japanese; 「システム」 for the application itself."""
    from tender.accounts.models import Role

    if not role:
        return "システム"
    try:
        return Role(role).label
    except ValueError:
        return role


def summary_lines(event: AuditEvent) -> list[tuple[str, str]]:
    """The summary as (key, value) lines in Japanese where the key is known; a change shows as
    「before → after」; true/false as はい/いいえ."""
    data = json.loads(event.summary or "{}")
    lines = []
    for key, value in data.items():
        if key == "changes" and isinstance(value, dict):
            for name, pair in value.items():
                shown = KEY_LABELS.get(name, name)
                if isinstance(pair, list) and len(pair) == 2:
                    lines.append((shown, f"{_short(pair[0])} → {_short(pair[1])}"))
                else:
                    lines.append((shown, _short(pair)))
        else:
            lines.append((KEY_LABELS.get(key, key), _short(value)))
    return lines


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)")


def _when(text: str) -> str | None:
    """An ISO date or moment of a summary as the screens write them (issue 19: no ISO dates)."""
    try:
        if _ISO_DATE.fullmatch(text):
            return format_wareki(date.fromisoformat(text))
        if _ISO_MOMENT.fullmatch(text):
            return format_wareki_datetime(datetime.fromisoformat(text.replace("Z", "+00:00")), seconds=True)
    except (ValueError, OverflowError):  # not a date after all, or one no clock can show
        return None
    return None


def _short(value: Any, limit: int = 400) -> str:
    if isinstance(value, bool):
        return _BOOLEANS[value]
    if value is None:
        return "—"
    if isinstance(value, str) and (shown := _when(value)):
        return shown
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
    # The rounds' own records (the page shows each round's opening, not its bids): the bids are read
    # below only where the eligibility needs them, as their companies.
    out.rounds = db.session.execute(select(BidRound).where(BidRound.case_id == case.id).order_by(BidRound.number)
                                    .options(lazyload(BidRound.bids), lazyload(BidRound.declines))).scalars().all()
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
    closed = [r.id for r in out.rounds if r.submission_deadline is not None and now > r.submission_deadline]
    # Who bid: only once the period is over.
    bid = set(db.session.scalars(select(Bid.company_id).where(among(Bid.round_id, closed)))) if closed else set()
    wanted = bid | {p.company_id for p in out.participations}
    companies = db.session.execute(select(Company).where(among(Company.id, sorted(wanted)))
                                   .order_by(Company.id)).scalars().all() if wanted else []
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

"""Operations on procurement cases. Each validates, changes, records the audit event and
flushes; the route commits once. Periods are decided by the server's clock in Japan time."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from tender import clock, integrity, signals
from tender.accounts.models import Role, User
from tender.audit.operations import MASKED, changes, record, snapshot
from tender.companies.models import Company
from tender.extensions import db
from tender.locking import lock_row
from tender.notices.models import (
    SCHEDULE_FIELDS,
    Amendment,
    AmendmentAcknowledgement,
    BriefingRegistration,
    CaseAttachment,
    CaseOfficer,
    CaseRegistration,
    EligibilityRule,
    Participation,
    ParticipationDecision,
    ProcurementCase,
    Question,
    RequiredDocument,
)
from tender.notifications.operations import notify, notify_companies, page
from tender.organisations.models import Department
from tender.rules import bids as bid_rules
from tender.rules import eligibility, schedule
from tender.rules.calendar import fiscal_year, to_jst
from tender.rules.errors import OperationError
from tender.rules.evaluation import PRICE_AS_WRITTEN, PRICE_WITH_TAX
from tender.rules.labels import Labelled
from tender.rules.lifecycle import Action, CaseState, Procedure, next_state
from tender.rules.sme import LegalForm
from tender.rules.wareki import format_wareki, format_wareki_datetime
from tender.sealing import envelope
from tender.sealing import operations as sealing
from tender.sealing.models import KeyPurpose


class CaseError(OperationError):
    """A Japanese message explaining why the operation was refused; nothing was changed."""


#: The fields of the notice an officer edits (予定価格 is handled apart: never in diffs).
NOTICE_FIELDS = ["title", "procedure", "department_id", "description", "place_of_performance", "contact_text",
                 *SCHEDULE_FIELDS, "briefing_place", "opening_place", "bid_bond", "performance_bond",
                 "payment_terms", "price_basis", "estimated_price_tax_included", "price_score_basis", "budget_ceiling",
                 "planned_party_id", "linked_case_id"]
SECRET_FIELDS = {"estimated_price"}


def _snapshot(case: ProcurementCase) -> dict[str, Any]:
    values = snapshot(case, NOTICE_FIELDS)
    # Masked in every diff; a new envelope (a re-entered 予定価格) counts as a change.
    values["estimated_price"] = case.estimated_price_envelope or case.estimated_price
    return {k: _plain(v) for k, v in values.items()}


def _plain(value: Any) -> Any:
    """An instant in one zone (UTC), so that the same moment typed in Japan time and read back from
    the database is not a change (issue 14: false changes on unchanged date-times)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat() if isinstance(value, date) else value


# --- the 予定価格 and the opening officials ------------------------------------------------------

def _price_aad(case: ProcurementCase) -> bytes:
    return envelope.aad("tender-estimated-price", case=case.id)


#: Sealed as 16 digits, so the envelope's length tells nothing of the 予定価格's size.
_PRICE_DIGITS = 16


def _price_mark(case: ProcurementCase) -> str:
    return integrity.mark("estimated-price", case.id, integrity.digest(case.estimated_price_envelope or ""))


def set_estimated_price(case: ProcurementCase, value: int) -> None:
    """Seal the 予定価格 to the case's price key (cases that take bids), or keep it under the data
    keys (cases without bids, which have no opening). Nobody reads a sealed one before the opening."""
    if any(state != "accepting" for state in _round_states(case)):
        raise CaseError("開札の手続に入った後は、予定価格を変更できません。")
    if case.procedure.has_bids:
        try:
            key = sealing.public_key(case.id, KeyPurpose.PRICE)
        except sealing.SealingError as exc:
            raise CaseError(str(exc)) from exc
        if key is None:
            raise CaseError("予定価格を封印するには、先に開札担当職員（2名以上）を指定してください。")
        case.estimated_price_envelope = envelope.seal(key, f"{int(value):0{_PRICE_DIGITS}d}".encode("ascii"),
                                                      _price_aad(case))
        case.estimated_price_mark = _price_mark(case)
        case.estimated_price_secret = None
    else:
        case.estimated_price_secret, case.estimated_price_envelope = str(int(value)), None


def unseal_estimated_price(case: ProcurementCase, private) -> int | None:
    """At the opening, with the rebuilt price key: the 予定価格 from then on in clear (data keys)."""
    if case.estimated_price_envelope is None or case.estimated_price_secret is not None:
        return case.estimated_price
    if not integrity.intact(case.estimated_price_mark, "estimated-price", case.id,
                            integrity.digest(case.estimated_price_envelope)):
        raise CaseError("封印された予定価格の記録が、入力されたときのものと一致しません（改ざんのおそれ）。"
                        "開札を中止しました。管理者に連絡してください。")
    text = envelope.open_(private, case.estimated_price_envelope, _price_aad(case)).decode("ascii")
    case.estimated_price = int(text)
    return case.estimated_price


def _round_states(case: ProcurementCase) -> list[str]:
    """The states of the case's bid rounds. bid_rounds belongs to bidding, a layer above this one:
    read by table name rather than by importing it."""
    return list(db.session.execute(text("SELECT state FROM bid_rounds WHERE case_id = :c"), {"c": case.id}).scalars())


def eligible_officials(case: ProcurementCase | None) -> list[User]:
    """Officers who may be named: active, with an opening passphrase, of the case's department
    (or among the case's officers)."""
    people = db.session.execute(select(User).where(User.role == Role.OFFICER, User.active.is_(True))
                                .order_by(User.department_id, User.name)).scalars().all()
    people = [u for u in people if case is None or _may_open(case, u)]
    keys = sealing.opening_keys_of(people)  # one statement, however many officers the authority has
    return [u for u in people if sealing.may_hold_shares(u, keys.get(u.id))]


def _may_open(case: ProcurementCase, user: User) -> bool:
    return case.department_id is None or user.department_id == case.department_id or case.is_officer(user)


def name_officials(case: ProcurementCase, user_ids: list[int], k: int, *, by: User, now: datetime) -> bool:
    """Name the opening officials (k of them needed): the case's keys are made and dealt to them.
    False when nothing changed. A sealed 予定価格 cannot follow new keys: the caller seals it again."""
    people = [db.session.get(User, i) for i in dict.fromkeys(user_ids)]
    if any(p is None for p in people):
        raise CaseError("開札担当職員を選び直してください。")
    outside = [p.name for p in people if not _may_open(case, p)]
    if outside:
        raise CaseError("開札担当職員には、案件の担当部署の職員（または案件の担当者）を指定してください："
                        + "、".join(outside) + "。")
    keys = sealing.case_keys(case.id)
    current = keys.get(KeyPurpose.PRICE)
    if current is not None and [s.user_id for s in current.shares] == [p.id for p in people] \
            and current.threshold == k:
        return False
    if _round_states(case):
        raise CaseError("入札を受け付けた後は、開札担当職員の変更の手続（現在の開札担当職員の確認）が必要です。")
    clear = case.estimated_price if case.procedure.has_bids else None
    try:
        sealing.create_case_keys(case.id, people, k, by=by, now=now)
    except sealing.SealingError as exc:
        raise CaseError(str(exc)) from exc
    case.estimated_price_envelope = None
    if clear is not None:  # a price kept in clear before the case had keys is sealed now
        set_estimated_price(case, clear)
    return True


def _apply_sealed(case: ProcurementCase, values: dict[str, Any], *, by: User, now: datetime) -> None:
    """The 予定価格 and the officials from a form: officials first (new keys), then the price."""
    price = values.pop("estimated_price", None)
    people = values.pop("opening_officials", None)
    k = values.pop("opening_threshold", None) or 2
    had_sealed = case.estimated_price_envelope is not None
    if people is not None and (people or sealing.case_keys(case.id)):
        changed = name_officials(case, people, k, by=by, now=now)
        if changed and had_sealed and price is None:
            raise CaseError("開札担当職員を変更したため、予定価格をもう一度入力してください（封印し直します）。")
    if price is not None:
        set_estimated_price(case, price)


def _transition(case: ProcurementCase, action: Action) -> None:
    case.state = next_state(case.state, action, case.procedure)  # TransitionError is a CaseError too


def _next_reference(now: datetime) -> str:
    fy = fiscal_year(to_jst(now).date())
    prefix = f"{fy}-"
    count = db.session.scalar(select(func.count()).select_from(ProcurementCase)
                              .where(ProcurementCase.reference.startswith(prefix))) or 0
    return f"{prefix}{count + 1:04d}"


def create_case(values: dict[str, Any], *, by: User, now: datetime) -> ProcurementCase:
    case = ProcurementCase(reference=_next_reference(now), state=CaseState.DRAFT, created_by_id=by.id,
                           created_at=now)
    values = dict(values)
    sealed = {k: values.pop(k) for k in ("estimated_price", "opening_officials", "opening_threshold") if k in values}
    _apply(case, values)
    case.officers.append(CaseOfficer(user_id=by.id))
    db.session.add(case)
    db.session.flush()
    _apply_sealed(case, sealed, by=by, now=now)
    summary = changes({}, _snapshot(case), SECRET_FIELDS)
    record("case.created", case, actor=by, summary={"reference": case.reference, "changes": summary})
    return case


#: What a copy takes from a past case: the notice's wording and conditions, not its dates, its
#: 予定価格 (sealed, typed again), its opening officials (a ceremony of their own), its 予定業者 or its
#: link to another case.
COPIED_FIELDS = ("title", "procedure", "department_id", "description", "place_of_performance", "contact_text",
                 "briefing_place", "opening_place", "bid_bond", "performance_bond", "payment_terms", "price_basis",
                 "estimated_price_tax_included", "price_score_basis", "budget_ceiling")


def copy_case(source: ProcurementCase, *, by: User, now: datetime) -> ProcurementCase:
    """A new draft from a past case (issue 19): its wording, conditions, 提出書類, 参加資格 and
    attachments (and, through ``signals.case_copied``, its 評価項目一覧), with a new 整理番号 and
    the copying officer as its officer. Dates, the 予定価格 and the opening officials are set anew."""
    case = ProcurementCase(reference=_next_reference(now), state=CaseState.DRAFT, created_by_id=by.id, created_at=now)
    for name in COPIED_FIELDS:
        setattr(case, name, getattr(source, name))
    case.officers.append(CaseOfficer(user_id=by.id))
    for doc in source.required_documents:
        case.required_documents.append(RequiredDocument(position=doc.position, name=doc.name, copies=doc.copies,
                                                        unit=doc.unit, mandatory=doc.mandatory, note=doc.note))
    for rule in source.eligibility_rules:
        case.eligibility_rules.append(EligibilityRule(position=rule.position, kind=rule.kind, params=dict(rule.params or {})))
    for attachment in source.attachments:
        case.attachments.append(CaseAttachment(file_id=attachment.file_id, title=attachment.title))
    db.session.add(case)
    db.session.flush()
    signals.case_copied.send(source, copy=case)
    record("case.created", case, actor=by, summary={"reference": case.reference, "copied_from": source.reference,
                                                    "changes": changes({}, _snapshot(case), SECRET_FIELDS)})
    return case


def _apply(case: ProcurementCase, values: dict[str, Any]) -> None:
    if "price_score_basis" in values and not values["price_score_basis"]:
        values = {**values, "price_score_basis": None}  # like with like
    if values.get("price_score_basis") not in (None, PRICE_WITH_TAX, PRICE_AS_WRITTEN):
        raise CaseError("価格点・予定価格の制限で比べる入札価格の選択が正しくありません。", field="price_score_basis")
    for key, value in values.items():
        setattr(case, key, value)


def update_draft(case: ProcurementCase, values: dict[str, Any], *, by: User, now: datetime | None = None) -> dict:
    if case.state is not CaseState.DRAFT:
        raise CaseError("公告後の案件は「訂正」として変更してください。")
    before = _snapshot(case)
    values = dict(values)
    sealed = {k: values.pop(k) for k in ("estimated_price", "opening_officials", "opening_threshold") if k in values}
    _apply(case, values)
    _apply_sealed(case, sealed, by=by, now=now or clock.now())
    diff = changes(before, _snapshot(case), SECRET_FIELDS)
    if diff:
        record("case.updated", case, actor=by, summary={"changes": diff})
    return diff


def schedule_problems(case: ProcurementCase, *, for_publication: bool) -> list[schedule.Problem]:
    return schedule.check_schedule(case.schedule, case.procedure, for_publication=for_publication)


def publication_problems(case: ProcurementCase) -> list[str]:
    """Everything that must be put right before the case can be published."""
    problems = [p.message for p in schedule_problems(case, for_publication=True) if p.severity == "error"]
    if not case.title.strip():
        problems.append("件名を入力してください。")
    if not case.description.strip():
        problems.append("業務の概要・仕様を入力してください。")
    if case.procedure.has_bids and KeyPurpose.PRICE not in sealing.case_keys(case.id):
        problems.append("開札担当職員（開札用パスフレーズを設定した職員2名以上）を指定してください。"
                        "入札書と予定価格は、その職員の分割鍵でしか開封できないよう封印されます。")
    elif case.price_basis == "estimated" and case.procedure.has_bids and not case.has_estimated_price:
        problems.append("予定価格を入力してください。")
    if case.price_basis == "ceiling" and case.budget_ceiling is None:
        problems.append("執行限度額を入力してください。")
    if case.procedure is Procedure.PRIOR_CONFIRMATION and case.planned_party_id is None:
        problems.append("事前確認公募では予定業者（契約予定者）を選択してください。")
    if not case.required_documents:
        problems.append("提出書類を1つ以上登録してください。")
    for _receiver, found in signals.publication_checked.send(case):
        problems.extend(found)
    return problems


def publication_facts(case: ProcurementCase, now: datetime) -> list[tuple[str, str]]:
    """What the publication confirmation restates: the notice's identity and its schedule."""
    def when(value):
        return format_wareki_datetime(value, weekday=True) if value else "—"

    facts = [("件名", case.title), ("整理番号", case.reference or "—"), ("調達方式", case.procedure.label),
             ("公示日", format_wareki(case.notice_on, weekday=True) if case.notice_on else "公告する日")]
    if case.questions_until:
        facts.append(("質問の受付期限", when(case.questions_until)))
    public_from = publication_time(case, now)
    facts.append(("公告掲示板への掲載", "直ちに" if public_from <= now else
                  f"{when(public_from)}から（公示日まで、公告は職員だけが見られます）"))
    facts.append(("提出期限", when(case.submission_deadline)))
    if case.opening_at:
        facts.append(("開札日時", when(case.opening_at)))
    return facts


def publication_time(case: ProcurementCase, now: datetime) -> datetime:
    return schedule.public_from(case.notice_on, now)


def publish(case: ProcurementCase, *, by: User, now: datetime) -> None:
    problems = publication_problems(case)
    if problems:
        raise CaseError(" ".join(problems))
    _transition(case, Action.PUBLISH)
    case.published_at = publication_time(case, now)
    record("case.published", case, actor=by, summary={"reference": case.reference,
                                                      "public_from": case.published_at.astimezone(UTC).isoformat()})


#: The names of a notice's fields in the public 更新履歴 (what a 訂正 changed).
NOTICE_LABELS: dict[str, str] = {
    **schedule.FIELD_LABELS, "title": "件名", "procedure": "調達方式", "department_id": "担当部署",
    "description": "業務の概要", "place_of_performance": "履行場所", "contact_text": "問合せ先",
    "briefing_place": "説明会の場所", "opening_place": "開札場所", "bid_bond": "入札保証金",
    "performance_bond": "契約保証金", "payment_terms": "支払条件", "price_basis": "価格の上限",
    "estimated_price_tax_included": "予定価格の消費税", "price_score_basis": "価格点で比べる入札価格",
    "budget_ceiling": "執行限度額", "planned_party_id": "予定業者", "linked_case_id": "関連する案件",
}
def _shown(field: str, value: Any) -> str:
    """A value of the 更新履歴 as the notice shows it: dates in 和暦 with 曜日, money in yen."""
    if value is None or value == "":
        return "（なし）"
    if field in schedule.FIELD_LABELS and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if "T" in value:
            return format_wareki_datetime(moment, weekday=True)
        return format_wareki(moment.date(), weekday=True)
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if field == "budget_ceiling" and isinstance(value, int):
        return f"{value:,}円"
    if field == "department_id":
        department = db.session.get(Department, value)
        return department.name if department else str(value)
    if field == "planned_party_id":
        company = db.session.get(Company, value)
        return company.name if company else str(value)
    if field == "procedure":
        try:
            return Procedure(value).label
        except ValueError:
            return str(value)
    return str(value)


def amendment_rows(amendment: Amendment) -> list[tuple[str, str, str]]:
    """What a 訂正 changed, for everyone: (項目, 訂正前, 訂正後), in the notice's order."""
    order = {name: i for i, name in enumerate(NOTICE_FIELDS)}
    rows = []
    for field, (old, new) in sorted((amendment.changes or {}).items(), key=lambda kv: order.get(kv[0], 999)):
        if field in SECRET_FIELDS:
            continue
        rows.append((NOTICE_LABELS.get(field, field), _shown(field, old), _shown(field, new)))
    return rows


def amend(case: ProcurementCase, values: dict[str, Any], summary: str, *, by: User, now: datetime,
          shortening_reason: str = "") -> Amendment:
    """A 訂正 of a published notice: recorded, numbered, shown to everyone, told to registrants. A
    訂正 that shortens a period (moves its end earlier) needs its reason, published with it."""
    if not summary.strip():
        raise CaseError("訂正の内容（公告に掲載する説明）を入力してください。")
    before = _snapshot(case)
    new_state = next_state(case.state, Action.AMEND, case.procedure)
    if case.submission_deadline is not None and now > case.submission_deadline:
        # Who has bid is known from the deadline on: moving it again would let bidding reopen with that knowledge.
        raise CaseError("提出期限を過ぎた案件は訂正できません。")
    values = dict(values)
    price = values.pop("estimated_price", None)
    values.pop("opening_officials", None)
    values.pop("opening_threshold", None)
    _apply(case, values)
    if price is not None:
        set_estimated_price(case, price)
    problems = [p.message for p in schedule_problems(case, for_publication=True) if p.severity == "error"]
    if problems:
        raise CaseError(" ".join(problems))
    deadline = case.submission_deadline
    if deadline is not None and schedule.amendment_needs_extension(now, deadline):
        earliest = schedule.earliest_deadline_after_amendment(now, deadline)
        raise CaseError("提出期限が近いため、訂正には提出期限の延長が必要です。"
                        f"提出期限を {format_wareki_datetime(earliest)} 以降にしてください。")
    after = _snapshot(case)
    diff = changes(before, after, SECRET_FIELDS)
    if not diff:
        raise CaseError("変更された項目がありません。")
    shortened = schedule.shortened_periods(before, after)
    if shortened and not shortening_reason.strip():
        raise CaseError(f"この訂正は{'・'.join(shortened)}を早めます（期間の短縮）。参加を予定している事業者の準備に影響するため、"
                        "短縮の理由を入力してください（訂正とともに公表します）。", field="shortening_reason")
    if shortened:
        summary = f"{summary.strip()}\n\n（{'・'.join(shortened)}を早める理由）{shortening_reason.strip()}"
    case.state = new_state
    number = len(case.amendments) + 1
    public_diff = {k: v for k, v in diff.items() if k not in SECRET_FIELDS}
    amendment = Amendment(case=case, number=number, made_at=now, made_by_id=by.id, summary=summary.strip(),
                          changes=public_diff)
    db.session.add(amendment)
    db.session.flush()
    record("case.amended", case, actor=by, summary={"amendment": number, "changes": diff, "text": summary.strip()})
    notify_companies(registered_company_ids(case) | _bidder_company_ids(case),
                     f"「{case.title}」の公告が訂正されました（訂正{number}）。"
                     + (f"{'・'.join(shortened)}が早まっています。" if shortened else "") + "内容を確認してください。",
                     page("board.show", f"amendment-{number}", case_id=case.id))
    return amendment


def cancel(case: ProcurementCase, reason: str, *, by: User, now: datetime) -> None:
    if not reason.strip():
        raise CaseError("取り止めの理由を入力してください。")
    _transition(case, Action.CANCEL)
    case.cancelled_at = now
    case.cancel_reason = reason.strip()
    record("case.cancelled", case, actor=by, summary={"reason": case.cancel_reason})
    notify_companies(registered_company_ids(case), f"「{case.title}」は取り止めとなりました。理由：{case.cancel_reason}",
                     page("board.show", case_id=case.id))


def _bidder_company_ids(case: ProcurementCase) -> set[int]:
    """Companies that have bid: told of a 訂正 like the registered ones, without a bid making a company
    appear among the registrations, which officers see before the deadline (issue 13 item 6)."""
    return set(db.session.execute(text("SELECT DISTINCT company_id FROM bids WHERE case_id = :c"),
                                  {"c": case.id}).scalars())


def registered_company_ids(case: ProcurementCase) -> set[int]:
    return set(db.session.execute(
        select(CaseRegistration.company_id).where(CaseRegistration.case_id == case.id)).scalars())


# --- parts of the notice kept as lists -------------------------------------------------

def _draft_only(case: ProcurementCase) -> None:
    if case.state is not CaseState.DRAFT:
        raise CaseError("公告後は変更できません。変更が必要な場合は訂正してください。")


def add_required_document(case: ProcurementCase, name: str, copies: int, mandatory: bool, note: str | None,
                          *, by: User, on_screen: bool = False, unit: str | None = None) -> RequiredDocument:
    """A document bidders submit; its copies counted in 通 or 部 (from its name unless given)."""
    _draft_only(case)
    unit = unit or bid_rules.copies_unit(name)
    if unit not in bid_rules.COPY_UNITS:
        raise CaseError("部数の単位は「部」か「通」です。")
    doc = RequiredDocument(case=case, name=name, copies=copies, mandatory=mandatory, note=note, on_screen=on_screen,
                           unit=unit, position=len(case.required_documents) + 1)
    db.session.add(doc)
    record("case.document_required", case, actor=by, summary={"name": name, "copies": copies, "unit": unit,
                                                               "mandatory": mandatory})
    return doc


def remove_required_document(case: ProcurementCase, doc: RequiredDocument, *, by: User) -> None:
    _draft_only(case)
    record("case.document_removed", case, actor=by, summary={"name": doc.name})
    case.required_documents.remove(doc)


def add_rule(case: ProcurementCase, kind: eligibility.RuleKind, params: dict, *, by: User) -> EligibilityRule:
    _draft_only(case)
    problems = eligibility.param_problems(kind, params)
    if problems:
        raise CaseError(" ".join(problems))
    rule = EligibilityRule(case=case, kind=kind.value, params=params, position=len(case.eligibility_rules) + 1)
    db.session.add(rule)
    record("case.rule_added", case, actor=by, summary={"kind": kind.value, "params": params})
    return rule


def remove_rule(case: ProcurementCase, rule: EligibilityRule, *, by: User) -> None:
    _draft_only(case)
    record("case.rule_removed", case, actor=by, summary={"kind": rule.kind, "params": rule.params})
    case.eligibility_rules.remove(rule)


def rule_specs(case: ProcurementCase) -> list[eligibility.RuleSpec]:
    return [eligibility.RuleSpec(eligibility.RuleKind(r.kind), dict(r.params)) for r in case.eligibility_rules]


# --- bidders taking part ----------------------------------------------------------------

def _open_for(case: ProcurementCase, now: datetime, start, end, what: str) -> None:
    if case.state is not CaseState.PUBLISHED:
        raise CaseError(f"この案件は{case.state.label}のため、{what}を受け付けていません。")
    message = schedule.period_message(now, start, end, what)
    if message:
        raise CaseError(message)


def register(case: ProcurementCase, company: Company, *, by: User, now: datetime) -> CaseRegistration:
    existing = registration_of(case, company)
    if existing is not None:
        return existing
    if case.state is not CaseState.PUBLISHED:
        raise CaseError(f"この案件は{case.state.label}のため、参加予定の登録はできません。")
    row = CaseRegistration(case_id=case.id, company_id=company.id, registered_at=now, registered_by_id=by.id)
    db.session.add(row)
    db.session.flush()
    record("case.registered", case, actor=by, summary={"company_id": company.id})
    return row


def registration_of(case: ProcurementCase, company: Company) -> CaseRegistration | None:
    return db.session.execute(select(CaseRegistration).where(
        CaseRegistration.case_id == case.id, CaseRegistration.company_id == company.id)).scalar_one_or_none()


def ask(case: ProcurementCase, company: Company, values: dict[str, Any], *, by: User, now: datetime) -> Question:
    _open_for(case, now, case.questions_from, case.questions_until, "質問")
    lock_row(ProcurementCase, case.id)  # numbers questions one at a time
    number = (db.session.scalar(select(func.max(Question.number)).where(Question.case_id == case.id)) or 0) + 1
    question = Question(case_id=case.id, number=number, company_id=company.id, asked_by_id=by.id, asked_at=now,
                        **values)
    db.session.add(question)
    register(case, company, by=by, now=now)
    db.session.flush()
    record("question.asked", question, actor=by, summary={"case_id": case.id, "number": number})
    notify(_officers(case), f"「{case.title}」に質問（No.{number}）が届きました。", page("cases.show", f"question-{number}", case_id=case.id))
    return question


def answer(question: Question, text: str, *, by: User, now: datetime) -> None:
    """Answer and publish to everyone, without the questioner's identity [002 §4]."""
    if not text.strip():
        raise CaseError("回答を入力してください。")
    before = question.answer
    question.answer = text.strip()
    question.answered_by_id = by.id
    first = question.published_at is None
    question.published_at = question.published_at or now
    record("question.answered", question, actor=by,
           summary={"case_id": question.case_id, "number": question.number, "changed": before is not None})
    case = question.case
    if first:
        notify_companies({question.company_id}, f"「{case.title}」のご質問（No.{question.number}）への回答を公開しました。",
                         page("board.show", f"question-{question.number}", case_id=case.id))
        others = registered_company_ids(case) - {question.company_id}
        notify_companies(others, f"「{case.title}」の質問回答（No.{question.number}）が公開されました。",
                         page("board.show", f"question-{question.number}", case_id=case.id))


def register_for_briefing(case: ProcurementCase, company: Company, attendees: list[dict[str, str]], *, by: User,
                          now: datetime) -> BriefingRegistration:
    if case.briefing_at is None:
        raise CaseError("この案件では説明会を開催しません。")
    _open_for(case, now, None, case.briefing_registration_until, "説明会の参加登録")
    if not attendees:
        raise CaseError("参加者を1名以上入力してください。")
    row = db.session.execute(select(BriefingRegistration).where(
        BriefingRegistration.case_id == case.id, BriefingRegistration.company_id == company.id)).scalar_one_or_none()
    is_new = row is None
    if is_new:
        row = BriefingRegistration(case_id=case.id, company_id=company.id)
        db.session.add(row)
    row.registered_by_id, row.registered_at = by.id, now
    row.attendees_secret = json.dumps(attendees, ensure_ascii=False)
    register(case, company, by=by, now=now)
    db.session.flush()
    record("briefing.registered" if is_new else "briefing.updated", row, actor=by,
           summary={"case_id": case.id, "attendees": len(attendees), "names": MASKED})
    return row


def attendees_of(row: BriefingRegistration) -> list[dict[str, str]]:
    return json.loads(row.attendees_secret)


def acknowledge(amendment: Amendment, company: Company, *, by: User, now: datetime) -> AmendmentAcknowledgement:
    existing = next((a for a in amendment.acknowledgements if a.company_id == company.id), None)
    if existing is not None:
        return existing
    ack = AmendmentAcknowledgement(amendment=amendment, company_id=company.id, user_id=by.id, acknowledged_at=now)
    db.session.add(ack)
    record("amendment.acknowledged", amendment, actor=by, summary={"case_id": amendment.case_id,
                                                                  "number": amendment.number, "company_id": company.id})
    return ack


def _officers(case: ProcurementCase) -> list[User]:
    return [o.user for o in case.officers if o.user.active and o.user.role is Role.OFFICER]


# --- eligibility -----------------------------------------------------------------------

def applicant_facts(case: ProcurementCase, company: Company, *, declarations_affirmed: bool = False,
                    registration: CaseRegistration | None | bool = False,
                    linked_registered: set[int] | None = None) -> eligibility.ApplicantFacts:
    """What the rules judge a company on. ``registration`` and ``linked_registered`` may be given
    already read (verdicts_of reads them once for many companies)."""
    if registration is False:
        registration = registration_of(case, company)
    if linked_registered is None:
        linked_registered = registered_company_ids(case.linked_case) if case.linked_case is not None else set()
    return eligibility.ApplicantFacts(
        name=company.name, incorporated=company.legal.incorporated,
        unincorporated_association=company.legal is LegalForm.UNINCORPORATED,
        principal_industry=company.principal_industry, industry=company.industry, capital=company.capital,
        employees=company.employees,
        qualifications=tuple(eligibility.QualificationFact(q.category.value, q.grade, tuple(q.regions or ()),
                                                           q.valid_from_fy, q.valid_to_fy, pending=bool(q.pending),
                                                           granted_on=q.granted_on)
                             for q in company.qualifications),
        suspensions=tuple(eligibility.SuspensionFact(s.issuer, s.starts_on, s.ends_on) for s in company.suspensions),
        credit_events=tuple(eligibility.CreditEventFact(e.kind, e.starts_on, e.ends_on) for e in company.credit_events),
        declarations_affirmed=declarations_affirmed,
        nda_signed_on=registration.nda_signed_on if registration else None,
        documents_viewed_on=registration.documents_viewed_on if registration else None,
        proposer_in_linked_case=company.id in linked_registered,
    )


def judgement_date(case: ProcurementCase, now: datetime) -> date:
    """Eligibility is judged as at the submission deadline (or today, before one is set)."""
    return to_jst(case.submission_deadline or now).date()


def judgement_period(case: ProcurementCase, now: datetime) -> tuple[date, date]:
    """The span over which a 指名停止 counts: from the notice's publication to its opening (or the
    judgement date, for what is not set yet) — one that begins after the deadline, before the
    opening, still counts (issue 17; the seeds do not say when the condition is judged)."""
    day = judgement_date(case, now)
    start = to_jst(case.published_at).date() if case.published_at else day
    end = to_jst(case.opening_at).date() if case.opening_at else day
    return (min(start, day), max(end, day))


class JudgementState(Labelled):
    PASS = "pass", "適合"
    FAIL = "fail", "不適合"
    PENDING = "pending", "提出時に誓約"


@dataclass(frozen=True)
class Judgement:
    """A verdict as shown: passed, failed, or pending — the declarations are given by
    submitting [002 §2], so before a submission they are neither kept nor broken."""

    label: str
    reason: str
    state: JudgementState
    #: met only by a qualification under review (入札心得第9条): not awarded unless granted by the opening
    conditional: bool = False


_UNREAD: Any = object()


def verdicts(case: ProcurementCase, company: Company, now: datetime, *, submitted: bool | None = None,
             registration: CaseRegistration | None = _UNREAD) -> list[Judgement]:
    """Each rule's verdict for the company; the declarations count as affirmed once it has
    submitted (a 参加意思確認書 here, or a bid, which the caller says); ``registration``: the
    company's registration for the case (or None) when the caller has read it."""
    known = None if registration is _UNREAD else {company.id: registration}
    return verdicts_of(case, [company], now, submitted={company.id: submitted}, registrations=known)[company.id]


def verdicts_of(case: ProcurementCase, companies: list[Company], now: datetime, *,
                submitted: Mapping[int, bool | None] | None = None,
                registrations: Mapping[int, CaseRegistration | None] | None = None) -> dict[int, list[Judgement]]:
    """``verdicts`` for many companies in a fixed number of queries, however many they are (the case
    page's registrants, the auditor's record): company id → judgements. ``submitted``: company id →
    whether it has submitted (None or absent: it has if it sent a 参加意思確認書); ``registrations``:
    each company's registration when already read (else read here)."""
    ids = [c.id for c in companies]
    if not ids:
        return {}
    db.session.execute(select(Company).where(Company.id.in_(ids)).options(
        selectinload(Company.qualifications), selectinload(Company.suspensions),
        selectinload(Company.credit_events))).scalars().all()
    if registrations is None:
        registrations = {r.company_id: r for r in db.session.execute(select(CaseRegistration).where(
            CaseRegistration.case_id == case.id, CaseRegistration.company_id.in_(ids))).scalars()}
    # Only whose declarations are not said by the caller: have they sent a 参加意思確認書?
    unsaid = [i for i in ids if (submitted or {}).get(i) is None]
    participants = set(db.session.execute(select(Participation.company_id).where(
        Participation.case_id == case.id, Participation.company_id.in_(unsaid))).scalars()) if unsaid else set()
    linked = registered_company_ids(case.linked_case) if case.linked_case is not None else set()
    specs, day = rule_specs(case), judgement_date(case, now)
    period = judgement_period(case, now)
    out: dict[int, list[Judgement]] = {}
    for company in companies:
        given = (submitted or {}).get(company.id)
        affirmed = given if given is not None else company.id in participants
        facts = applicant_facts(case, company, declarations_affirmed=affirmed,
                                registration=registrations.get(company.id), linked_registered=linked)
        judged = []
        for v in eligibility.check_all(specs, facts, day, period=period):
            if v.kind is eligibility.RuleKind.DECLARATIONS and not affirmed:
                judged.append(Judgement(v.label, "提出書類の提出をもって誓約したものとみなします（未提出）。",
                                        JudgementState.PENDING))
            else:
                judged.append(Judgement(v.label, v.reason, JudgementState.PASS if v.passed else JudgementState.FAIL,
                                        v.conditional))
        out[company.id] = judged
    return out


# --- 事前確認公募: participation confirmations ------------------------------------------------

HANDLER_FIELDS = ("name", "address", "birth_date", "department", "position", "nationality", "passport_number")


def participation_of(case: ProcurementCase, company: Company) -> Participation | None:
    return db.session.execute(select(Participation).where(
        Participation.case_id == case.id, Participation.company_id == company.id)).scalar_one_or_none()


def submit_participation(case: ProcurementCase, company: Company, *, business_summary: str, track_record: str | None,
                         handlers: list[dict[str, str]], structure: list[dict[str, str]], qualification_file,
                         declarations_affirmed: bool, by: User, now: datetime) -> Participation:
    """参加意思確認書: accepted once, within the period, and never withdrawn [000 §4]."""
    if case.procedure is not Procedure.PRIOR_CONFIRMATION:
        raise CaseError("この案件は事前確認公募ではありません。")
    _open_for(case, now, case.submissions_from, case.submission_deadline, "参加意思確認書")
    if case.planned_party_id == company.id:
        raise CaseError("予定業者は参加意思確認書を提出できません。")
    lock_row(ProcurementCase, case.id)
    if participation_of(case, company) is not None:
        raise CaseError("参加意思確認書は提出済みです。提出後の撤回・差し替えはできません。")
    if not declarations_affirmed:
        raise CaseError("誓約事項に同意のうえ提出してください。")
    if not handlers:
        raise CaseError("情報取扱者名簿に1名以上記入してください。")
    if not structure:
        raise CaseError("情報管理体制図に1名以上記入してください。")
    row = Participation(case_id=case.id, company_id=company.id, submitted_by_id=by.id, submitted_at=now,
                        business_summary=business_summary, track_record=track_record,
                        handlers_secret=json.dumps(handlers, ensure_ascii=False),
                        structure_secret=json.dumps(structure, ensure_ascii=False),
                        qualification_file=qualification_file)
    db.session.add(row)
    register(case, company, by=by, now=now)
    db.session.flush()
    record("participation.submitted", row, actor=by, summary={
        "case_id": case.id, "company_id": company.id, "handlers": len(handlers), "personal_data": MASKED,
        "file_sha256": qualification_file.sha256 if qualification_file else None})
    notify(_officers(case), f"「{case.title}」に参加意思確認書が提出されました（{company.name}）。", page("cases.show", "participations", case_id=case.id))
    return row


def handlers_of(row: Participation) -> list[dict[str, str]]:
    return json.loads(row.handlers_secret)


def structure_of(row: Participation) -> list[dict[str, str]]:
    return json.loads(row.structure_secret)


def decide_participation(row: Participation, accepted: bool, reason: str, *, by: User, now: datetime) -> None:
    case = row.case
    if case.state not in (CaseState.PUBLISHED, CaseState.SUBMISSIONS_CLOSED):
        raise CaseError(f"この案件は{case.state.label}のため、判定を変更できません。")
    if not accepted and not reason.strip():
        raise CaseError("不受理とする理由を入力してください。")
    before = row.decision
    row.decision = ParticipationDecision.ACCEPTED if accepted else ParticipationDecision.REFUSED
    row.decision_reason = reason.strip() or None
    row.decided_by_id, row.decided_at = by.id, now
    record("participation.decided", row, actor=by, summary={"case_id": case.id, "company_id": row.company_id,
                                                            "decision": [before, row.decision],
                                                            "reason": row.decision_reason})
    notify_companies({row.company_id}, f"「{case.title}」の参加意思確認書の確認結果：{row.decision_label}",
                     page("board.show", "participation", case_id=case.id))


def close_submissions(case: ProcurementCase, *, by: User, now: datetime) -> None:
    if case.submission_deadline is None or now <= case.submission_deadline:
        raise CaseError("提出期限を過ぎるまで受付を締め切ることはできません。")
    _transition(case, Action.CLOSE_SUBMISSIONS)
    record("case.submissions_closed", case, actor=by)


def close_due(now: datetime) -> list[ProcurementCase]:
    """States move at their deadlines by themselves (issue 19): every published case whose
    submission deadline has passed closes its submissions (受付終了), recorded with no actor, as
    an officer's 「受付を締め切る」 would. Run every few minutes (``flask --app wsgi cases tick``)."""
    ids = db.session.execute(select(ProcurementCase.id).where(
        ProcurementCase.state == CaseState.PUBLISHED, ProcurementCase.submission_deadline < now)
        .order_by(ProcurementCase.id)).scalars().all()
    due = []
    for case_id in ids:
        # Under the case's lock, as the officers' actions take it: an opening confirmed or a
        # cancellation made meanwhile is not overwritten (read again, the state has moved on).
        case = lock_row(ProcurementCase, case_id)
        if case is None or case.state != CaseState.PUBLISHED or not (case.submission_deadline and
                                                                      case.submission_deadline < now):
            continue
        due.append(case)
        _transition(case, Action.CLOSE_SUBMISSIONS)
        record("case.submissions_closed", case, actor=None, summary={"deadline": case.submission_deadline.isoformat(),
                                                                      "by": "提出期限の経過（自動）"})
    db.session.flush()
    return due


def conclude_prior_confirmation(case: ProcurementCase, *, by: User, now: datetime) -> CaseState:
    """No accepted applicant → 随意契約 with the planned party; otherwise → competition [000 §1]."""
    rows = db.session.execute(select(Participation).where(Participation.case_id == case.id)).scalars().all()
    pending = [r for r in rows if r.decision == ParticipationDecision.PENDING]
    if pending:
        raise CaseError(f"判定していない参加意思確認書が{len(pending)}件あります。すべて判定してから確定してください。")
    accepted = [r for r in rows if r.decision == ParticipationDecision.ACCEPTED]
    _transition(case, Action.MOVE_TO_COMPETITION if accepted else Action.CONCLUDE_PRIVATE_CONTRACT)
    record("case.concluded", case, actor=by, summary={"accepted": [r.company_id for r in accepted],
                                                      "applications": len(rows), "outcome": case.state.value})
    message = (f"「{case.title}」は、参加意思確認書の提出者との競争に移行します。" if accepted else
               f"「{case.title}」は、予定業者との随意契約に移行します。")
    notify_companies(registered_company_ids(case) | ({case.planned_party_id} if case.planned_party_id else set()),
                     message, page("board.show", case_id=case.id))
    return case.state


# --- attachments and NDA-gated viewing --------------------------------------------------------

def add_attachment(case: ProcurementCase, title: str, stored, *, by: User) -> CaseAttachment:
    _draft_only(case)
    item = CaseAttachment(case=case, title=title, file=stored)
    db.session.add(item)
    db.session.flush()
    record("case.attachment_added", case, actor=by, summary={"title": title, "filename": stored.filename,
                                                             "sha256": stored.sha256, "size": stored.size})
    return item


def record_viewing(registration: CaseRegistration, *, nda_signed_on: date | None,
                   viewing_appointment_at: datetime | None, documents_viewed_on: date | None, by: User) -> dict:
    """秘密保持誓約書 and viewing of design documents, as the officer recorded them [000 §3]."""
    if nda_signed_on and documents_viewed_on and documents_viewed_on < nda_signed_on:
        raise CaseError("閲覧日は秘密保持誓約書の提出日以降にしてください。")
    if documents_viewed_on and not nda_signed_on:
        raise CaseError("秘密保持誓約書の提出日を先に記録してください。")
    before = snapshot(registration, ["nda_signed_on", "viewing_appointment_at", "documents_viewed_on"])
    registration.nda_signed_on = nda_signed_on
    registration.viewing_appointment_at = viewing_appointment_at
    registration.documents_viewed_on = documents_viewed_on
    diff = changes(before, snapshot(registration, ["nda_signed_on", "viewing_appointment_at", "documents_viewed_on"]))
    if diff:
        record("case.viewing_recorded", registration, actor=by,
               summary={"case_id": registration.case_id, "company_id": registration.company_id, "changes": diff})
    return diff

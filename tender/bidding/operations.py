"""Sealed-bid operations. Each validates, changes, records the audit event and flushes;
the route commits once. Amounts exist in clear only from the confirmed opening on."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tender import clock
from tender.accounts.models import Role, User
from tender.audit.operations import record
from tender.bidding import sealing
from tender.bidding.models import Bid, BidDecline, BidFile, BidRound, BidStatus, CaseSeal, Lottery, RoundState
from tender.companies.models import Company
from tender.documents import storage
from tender.extensions import db
from tender.locking import lock_row
from tender.notices import operations as notices
from tender.notices.models import ProcurementCase, RequiredDocument
from tender.notifications.operations import notify_companies
from tender.rules import bids as rules
from tender.rules import schedule
from tender.rules.lifecycle import Action, CaseState, next_state


class BidError(ValueError):
    """A Japanese message explaining why nothing was accepted or changed."""


# --- rounds and seals --------------------------------------------------------------------

def rounds_of(case: ProcurementCase) -> list[BidRound]:
    return db.session.execute(select(BidRound).where(BidRound.case_id == case.id)
                              .order_by(BidRound.number)).scalars().all()


def current_round(case: ProcurementCase) -> BidRound | None:
    rounds = rounds_of(case)
    return rounds[-1] if rounds else None


def _first_round(case: ProcurementCase) -> BidRound:
    existing = current_round(case)
    if existing is not None:
        return existing
    if case.submission_deadline is None or case.opening_at is None:
        raise BidError("この案件には提出期限・開札日時が設定されていません。")
    row = BidRound(case=case, number=1, state=RoundState.ACCEPTING)  # its times are the case's
    db.session.add(row)
    db.session.flush()
    return row


def _seal(case: ProcurementCase) -> CaseSeal:
    seal = db.session.execute(select(CaseSeal).where(CaseSeal.case_id == case.id)).scalar_one_or_none()
    if seal is None:
        public_pem, private_pem = sealing.new_key_pair()
        seal = CaseSeal(case_id=case.id, public_key_pem=public_pem, private_key_sealed=private_pem,
                        created_at=clock.now())
        db.session.add(seal)
        db.session.flush()
        record("case.seal_created", case, summary={"public_key_sha256": sealing.fingerprint({"pem": public_pem})})
    return seal


def bid_of(bid_round: BidRound, company: Company) -> Bid | None:
    return db.session.execute(select(Bid).where(Bid.round_id == bid_round.id, Bid.company_id == company.id)
                              ).scalar_one_or_none()


def declined(bid_round: BidRound, company: Company) -> BidDecline | None:
    return next((d for d in bid_round.declines if d.company_id == company.id), None)


# --- submission ------------------------------------------------------------------------

@dataclass
class Submitted:
    bid: Bid
    #: Shown to the bidder once with the receipt; with the amount it reproduces the fingerprint.
    nonce: str
    payload: dict[str, Any]


def upload_slots(case: ProcurementCase, user: User) -> list[RequiredDocument]:
    """The documents uploaded with a bid: the case's list, but the 入札書 entered on screen."""
    return [d for d in case.required_documents if not d.on_screen]


def sheet_items(case: ProcurementCase, bid_round: BidRound | None) -> list:
    """The 評価項目一覧 lines a bid of this round must answer (first round of a technical evaluation)."""
    if not case.procedure.has_technical_evaluation or (bid_round is not None and bid_round.number > 1):
        return []
    from tender.evaluation.operations import specs

    return specs(case)


def _read_sheet(case: ProcurementCase, items: list, upload, marks: dict, pages: dict) -> tuple[dict, dict, str]:
    """The sheet from the uploaded XLSX (the form the officer published) or from the screen."""
    if not upload:
        return marks, pages, "screen"
    from forms.render_xlsx import read_back

    content = upload.read()
    upload.seek(0)
    try:
        data = read_back(content)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not the form
        raise BidError("評価項目一覧のファイルを読み取れません。公告とともに公開した様式（XLSX）に記入して提出してください。"
                       ) from exc
    return data["marks"], data["pages"], "xlsx"


def submit(case: ProcurementCase, company: Company, user: User, *, amount: int, lottery_number: str,
           breakdown: list[rules.BreakdownLine], files: dict[int, Any], power_of_attorney=None,
           sheet_marks: dict | None = None, sheet_pages: dict | None = None, sheet_file=None,
           now: datetime | None = None) -> Submitted:
    """Accept a sealed bid whole, or refuse it whole with the reason.

    The deadline is checked again after the files have been read, with the server's clock:
    a submission that finishes one second late is refused. ``now`` is for back-dated demo
    data only; requests always use the clock.
    """
    moment = (lambda: now) if now is not None else clock.now
    if not case.procedure.has_bids:
        raise BidError("この案件は入札を受け付けません。")
    lock_row(ProcurementCase, case.id)  # one submission of a case at a time: numbering, seal, round
    bid_round = current_round(case) or _first_round(case)
    _check_open(case, bid_round, company, moment())
    if bid_of(bid_round, company) is not None:
        raise BidError("この回の入札書は提出済みです。提出後の変更・差し替え・撤回はできません（入札説明書 1(5)⑤）。")
    problems = rules.breakdown_problems(breakdown, amount)
    number_problem = rules.lottery_number_problem(lottery_number or "")
    if number_problem:
        problems.append(number_problem)
    missing = [d.name for d in upload_slots(case, user) if d.mandatory and not files.get(d.id)]
    if user.acts_as_agent and power_of_attorney is None:
        missing.append("委任状（代理人による入札のため）")
    if missing:
        problems.append("次の書類が添付されていません：" + "、".join(missing) + "。")
    items = sheet_items(case, bid_round)
    sheet = None
    if items:
        from tender.rules import criteria as sheet_rules

        marks, pages, source = _read_sheet(case, items, sheet_file, sheet_marks or {}, sheet_pages or {})
        problems += [("評価項目一覧：" + p) for p in sheet_rules.sheet_problems(items, marks, pages)]
        sheet = dict(sheet_rules.clean_sheet(items, marks, pages), source=source)
    if problems:
        raise BidError(" ".join(problems))

    stored = []
    try:
        for doc in upload_slots(case, user):
            if files.get(doc.id):
                stored.append((doc, doc.name, storage.store(files[doc.id], user=user)))
        if power_of_attorney is not None:
            stored.append((None, "委任状", storage.store(power_of_attorney, allowed=(storage.PDF,), user=user)))
        if sheet is not None and sheet["source"] == "xlsx":
            stored.append((None, "評価項目一覧（記入済み）", storage.store(sheet_file, allowed=(storage.XLSX,), user=user)))
    except storage.UploadError as exc:
        raise BidError(str(exc)) from exc

    nonce = sealing.new_nonce()
    payload = {"case": case.reference, "round": bid_round.number, "company_id": company.id, "amount": amount,
               "lottery_number": rules.normalise_lottery_number(lottery_number),
               "breakdown": [{"item": b.item, "quantity": b.quantity, "unit": b.unit, "unit_price": b.unit_price}
                             for b in breakdown],
               "files": {name: f.sha256 for _, name, f in stored}, "nonce": nonce}
    if sheet is not None:
        payload["sheet"] = {"marks": sheet["marks"], "pages": sheet["pages"]}
    ciphertext, ephemeral = sealing.seal(_seal(case).public_key_pem, payload)

    now = moment()  # the moment the submission completes decides, not when it started
    if now > bid_round.submission_deadline:
        raise BidError(schedule.period_message(now, None, bid_round.submission_deadline, "入札書") or
                       "提出期限を過ぎたため受け付けられません。")
    count = db.session.scalar(select(func.count()).select_from(Bid).where(Bid.case_id == case.id)) or 0
    bid = Bid(case_id=case.id, round_id=bid_round.id, company_id=company.id, submitted_by_id=user.id,
              as_agent=bool(user.acts_as_agent), submitted_at=now,
              receipt_number=f"{case.reference}-{bid_round.number}-{count + 1:03d}",
              sealed_payload=ciphertext, ephemeral_key=ephemeral, fingerprint=sealing.fingerprint(payload),
              status=BidStatus.SEALED, sheet=sheet)
    db.session.add(bid)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same company, at the same moment, from another window
        raise BidError("この回の入札書は提出済みです。提出後の変更・差し替え・撤回はできません。") from exc
    for doc, name, f in stored:
        db.session.add(BidFile(bid_id=bid.id, document_id=doc.id if doc else None, label=name, file_id=f.id))
    if case.state is CaseState.PUBLISHED:
        notices.register(case, company, by=user, now=now)
    record("bid.submitted", bid, actor=user, summary={
        "case_id": case.id, "round": bid_round.number, "receipt_number": bid.receipt_number,
        "fingerprint": bid.fingerprint, "files": {name: f.sha256 for _, name, f in stored}})
    return Submitted(bid, nonce, payload)


def _check_open(case: ProcurementCase, bid_round: BidRound, company: Company, now: datetime) -> None:
    if bid_round.state != RoundState.ACCEPTING:
        raise BidError("この回の入札は締め切られています。")
    if bid_round.number == 1:
        if case.state is not CaseState.PUBLISHED:
            raise BidError(f"この案件は{case.state.label}のため、入札を受け付けていません。")
        message = schedule.period_message(now, case.submissions_from, bid_round.submission_deadline, "入札書")
    else:
        if bid_round.eligible_company_ids is not None and company.id not in bid_round.eligible_company_ids:
            raise BidError("再度入札は、開札に立ち会った入札者に限られます（入札心得第15条）。")
        if declined(bid_round, company) is not None:
            raise BidError("この回の入札は辞退済みです。")
        message = schedule.period_message(now, None, bid_round.submission_deadline, "再度入札")
    if message:
        raise BidError(message)


# --- opening ----------------------------------------------------------------------------

def request_opening(case: ProcurementCase, *, by: User, now: datetime, witness_name: str, witness_kind: str,
                    attendee_ids: list[int]) -> BidRound:
    """The officer of the case asks to open; nothing is decrypted until a second official confirms."""
    bid_round = current_round(case)
    if bid_round is None:
        bid_round = _first_round(case)
    if bid_round.state != RoundState.ACCEPTING:
        raise BidError("この回はすでに開札の手続き中、または開札済みです。")
    if now < bid_round.opening_at:
        from tender.rules.wareki import format_wareki_datetime
        raise BidError(f"開札は開札日時（{format_wareki_datetime(bid_round.opening_at)}）以降に行えます。")
    if not witness_name.strip():
        raise BidError("立会人の氏名を入力してください（入札心得第12条）。")
    bidders = {b.company_id for b in bid_round.bids}
    unknown = set(attendee_ids) - bidders
    if unknown:
        raise BidError("立会者には、この回に入札した事業者だけを選べます。")
    if not attendee_ids and witness_kind != "staff":
        raise BidError("入札者が立ち会わない場合は、入札事務に関係のない職員を立会人としてください（入札心得第12条）。")
    bid_round.state = RoundState.REQUESTED
    bid_round.requested_by_id, bid_round.requested_at = by.id, now
    bid_round.witness_name, bid_round.witness_kind = witness_name.strip(), witness_kind
    bid_round.attendee_company_ids = sorted(attendee_ids)
    record("opening.requested", bid_round, actor=by, summary={
        "case_id": case.id, "round": bid_round.number, "witness": bid_round.witness_name,
        "witness_kind": witness_kind, "attendees": bid_round.attendee_company_ids, "bids": len(bid_round.bids)})
    return bid_round


def confirm_opening(case: ProcurementCase, *, by: User, now: datetime) -> BidRound:
    """The second official confirms: the case key is released and every bid of the round opened."""
    bid_round = current_round(case)
    if bid_round is None or bid_round.state != RoundState.REQUESTED:
        raise BidError("開札の確認を求められている回がありません。")
    if by.role is not Role.OFFICER:
        raise BidError("開札の確認は職員が行います。")
    if by.id == bid_round.requested_by_id:
        raise BidError("開札は、開札を求めた職員とは別の職員が確認してください（二者確認）。")
    if now < bid_round.opening_at:
        raise BidError("開札日時前は開札できません。")
    if bid_round.number == 1:
        if case.state is CaseState.PUBLISHED:
            case.state = next_state(case.state, Action.CLOSE_SUBMISSIONS, case.procedure)
        case.state = next_state(case.state, Action.OPEN, case.procedure)
    seal = _seal(case)
    opened = sealing.unseal_all(seal.private_key_sealed, [(b.sealed_payload, b.ephemeral_key, b.fingerprint)
                                                          for b in bid_round.bids])
    for bid, payload in zip(bid_round.bids, opened):
        sealed_sheet = payload.get("sheet")
        if sealed_sheet is not None and (bid.sheet is None or sealed_sheet != {"marks": bid.sheet.get("marks"),
                                                                               "pages": bid.sheet.get("pages")}):
            raise BidError(f"受理番号 {bid.receipt_number} の評価項目一覧の記録が、封印した内容と一致しません。"
                           "開札を中止し、管理者に連絡してください。")
        bid.amount = payload["amount"]
        bid.lottery_number = int(payload["lottery_number"])
        bid.breakdown = payload["breakdown"]
        bid.status = BidStatus.VALID
        failing = [j for j in notices.verdicts(case, bid.company, now, submitted=True) if j.state == "fail"]
        if failing:
            _mark(bid, rules.InvalidGround.NO_QUALIFICATION,
                  "；".join(f"{j.label}：{j.reason}" for j in failing), by=None, now=now)
    bid_round.state = RoundState.OPENED
    bid_round.confirmed_by_id, bid_round.opened_at = by.id, now
    record("opening.confirmed", bid_round, actor=by, summary={
        "case_id": case.id, "round": bid_round.number, "requested_by": bid_round.requested_by_id,
        "witness": bid_round.witness_name, "bids": [
            {"receipt_number": b.receipt_number, "company_id": b.company_id, "amount": b.amount,
             "status": b.status} for b in bid_round.bids]})
    notify_companies({b.company_id for b in bid_round.bids}, f"「{case.title}」の開札（第{bid_round.number}回）を行いました。",
                     f"/notices/{case.id}/bid")
    return bid_round


def _mark(bid: Bid, ground: rules.InvalidGround, reason: str, *, by: User | None, now: datetime) -> None:
    bid.status = BidStatus.INVALID
    bid.invalid_ground, bid.invalid_reason = ground.value, reason
    bid.invalid_marked_by_id, bid.invalid_marked_at = (by.id if by else None), now
    record("bid.invalidated", bid, actor=by, summary={"ground": ground.value, "article": ground.article,
                                                      "reason": reason, "automatic": by is None})


def mark_invalid(bid: Bid, ground: rules.InvalidGround, reason: str, *, by: User, now: datetime) -> None:
    if bid.round.state != RoundState.OPENED:
        raise BidError("無効の判定は開札後に行います。")
    if bid.status == BidStatus.INVALID:
        raise BidError("この入札はすでに無効とされています。")
    if not reason.strip():
        raise BidError("無効とする理由を入力してください。")
    if _lottery(bid.round) is not None:
        raise BidError("くじを実施した後は、判定を変更できません。")
    _mark(bid, ground, reason.strip(), by=by, now=now)
    notify_companies({bid.company_id}, f"入札（受理番号 {bid.receipt_number}）は無効となりました：{ground.label}",
                     f"/notices/{bid.case_id}/bid")


# --- result of a lowest-price round, re-bids and lotteries ---------------------------------

def ceiling_of(case: ProcurementCase) -> tuple[int | None, bool]:
    if case.price_basis == "ceiling":
        return case.budget_ceiling, True
    return case.estimated_price, case.estimated_price_tax_included


def outcome(bid_round: BidRound) -> rules.Outcome | None:
    if bid_round.state != RoundState.OPENED:
        return None
    ceiling, tax_included = ceiling_of(bid_round.case)
    facts = [rules.BidFact(b.id, b.amount, b.status == BidStatus.VALID, i + 1) for i, b in enumerate(bid_round.bids)]
    return rules.lowest_price_outcome(facts, ceiling, ceiling_tax_included=tax_included)


def _lottery(bid_round: BidRound) -> Lottery | None:
    return db.session.execute(select(Lottery).where(Lottery.round_id == bid_round.id)).scalar_one_or_none()


def lottery_of(bid_round: BidRound) -> Lottery | None:
    return _lottery(bid_round)


def start_rebid(case: ProcurementCase, *, by: User, now: datetime, minutes: int,
                rebid_bid_ids: set[int] | None = None) -> BidRound:
    """No bid within the ceiling: a new round at once for the bidders present (入札心得第15条).

    ``rebid_bid_ids``: the bids that stay in competition, when the award engine decided the re-bid
    (総合評価: valid, passed the technical evaluation, above 予定価格); by default the lowest-price
    outcome of the round decides and every valid bid stays in.
    """
    previous = current_round(case)
    if rebid_bid_ids is None:
        result = outcome(previous) if previous else None
        if result is None or result.kind != "rebid":
            raise BidError("再度入札は、予定価格の制限の範囲内の入札がなかった場合に行います。")
    elif previous is None or previous.state != RoundState.OPENED or not rebid_bid_ids:
        raise BidError("再度入札は、予定価格の制限の範囲内の入札がなかった場合に行います。")
    if not 5 <= minutes <= 24 * 60:
        raise BidError("再度入札の受付時間は5分から24時間の間で指定してください。")
    present = set(previous.attendee_company_ids or [])
    valid = {b.company_id for b in previous.bids if b.status == BidStatus.VALID
             and (rebid_bid_ids is None or b.id in rebid_bid_ids)}
    eligible = sorted(present & valid)
    if not eligible:
        raise BidError("開札に立ち会った有効な入札者がいないため、再度入札を行えません。")
    deadline = now + timedelta(minutes=minutes)
    new = BidRound(case=case, number=previous.number + 1, rebid_deadline=deadline, rebid_opening_at=deadline,
                   eligible_company_ids=eligible, state=RoundState.ACCEPTING)
    db.session.add(new)
    db.session.flush()
    for company_id in sorted(valid - present):
        db.session.add(BidDecline(round_id=new.id, company_id=company_id, reason="absent", declined_at=now))
    record("rebid.started", new, actor=by, summary={"case_id": case.id, "round": new.number,
                                                   "deadline": deadline.isoformat(), "eligible": eligible,
                                                   "deemed_declined": sorted(valid - present)})
    notify_companies(set(eligible), f"「{case.title}」の再度入札（第{new.number}回）を受け付けています。",
                     f"/notices/{case.id}/bid")
    return new


def decline(case: ProcurementCase, company: Company, *, by: User, now: datetime) -> BidDecline:
    bid_round = current_round(case)
    if bid_round is None or bid_round.number == 1 or bid_round.state != RoundState.ACCEPTING:
        raise BidError("辞退できる再度入札はありません。")
    _check_open(case, bid_round, company, now)
    if bid_of(bid_round, company) is not None:
        raise BidError("入札書を提出済みのため、辞退できません。")
    row = BidDecline(round_id=bid_round.id, company_id=company.id, reason="declined", declined_at=now,
                     declined_by_id=by.id)
    db.session.add(row)
    record("rebid.declined", bid_round, actor=by, summary={"case_id": case.id, "company_id": company.id})
    return row


def draw_lottery(case: ProcurementCase, *, by: User, now: datetime, witness_name: str,
                 tied_ids: tuple[int, ...] | None = None) -> Lottery:
    """電子くじ between tied bids: the sealed くじ番号 plus a server random number, recorded whole.

    ``tied_ids``: the tied bids in order of submission when the award engine found the tie (総合評価:
    the same 総合評価点); by default the lowest-price outcome of the round decides.
    """
    bid_round = current_round(case)
    if tied_ids is None:
        result = outcome(bid_round) if bid_round else None
        if result is None or result.kind != "tie":
            raise BidError("くじは、落札となるべき同価格の入札が二者以上ある場合に行います（入札心得第16条）。")
        tied_ids = result.tied_ids
    elif bid_round is None or bid_round.state != RoundState.OPENED or len(tied_ids) < 2:
        raise BidError("くじは、落札となるべき同点の入札が二者以上ある場合に行います（入札心得第16条）。")
    if _lottery(bid_round) is not None:
        raise BidError("この回のくじは実施済みです。結果は変更できません。")
    if not witness_name.strip():
        raise BidError("くじの立会人の氏名を入力してください。")
    order = {b.id: i + 1 for i, b in enumerate(bid_round.bids)}
    by_id = {b.id: b for b in bid_round.bids}
    entries = [rules.LotteryEntry(bid_id, by_id[bid_id].lottery_number, order[bid_id]) for bid_id in tied_ids]
    server_random = secrets.randbelow(1_000_000)
    drawn = rules.draw(entries, server_random)
    row = Lottery(round_id=bid_round.id, drawn_at=now, drawn_by_id=by.id, witness_name=witness_name.strip(),
                  server_random=server_random, algorithm=drawn.algorithm,
                  entries=[{"bid_id": e.bid_id, "number": e.number, "order": e.order} for e in entries],
                  steps=[{"remaining": list(s.remaining), "total": s.total, "index": s.index, "picked": s.picked}
                         for s in drawn.steps],
                  ranking=list(drawn.ranking))
    db.session.add(row)
    record("lottery.drawn", bid_round, actor=by, summary={
        "case_id": case.id, "round": bid_round.number, "server_random": server_random, "entries": row.entries,
        "ranking": row.ranking, "witness": row.witness_name})
    return row

"""Sealed-bid operations. Each validates, changes, records the audit event and flushes;
the route commits once. Amounts exist in clear only from the confirmed opening on."""
from __future__ import annotations

import secrets
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forms.render_xlsx import NotTheForm, read_back
from tender import clock, integrity
from tender.accounts.models import Role, User
from tender.audit.operations import record
from tender.bidding import sealed
from tender.bidding.models import Bid, BidDecline, BidFile, BidRound, BidStatus, Lottery, RoundState
from tender.companies.models import Company
from tender.criteria.operations import specs
from tender.documents import storage
from tender.extensions import db
from tender.locking import lock_row
from tender.notices import operations as notices
from tender.notices.models import ProcurementCase, RequiredDocument
from tender.notifications.operations import notify, notify_companies, page
from tender.rules import bids as rules
from tender.rules import criteria as sheet_rules
from tender.rules import schedule
from tender.rules.errors import OperationError
from tender.rules.lifecycle import Action, CaseState, next_state
from tender.rules.wareki import format_wareki_datetime
from tender.sealing import envelope
from tender.sealing import operations as sealing
from tender.sealing.models import CaseKey, KeyPurpose


class BidError(OperationError):
    """A Japanese message explaining why nothing was accepted or changed."""


# --- rounds and seals --------------------------------------------------------------------

def rounds_of(case: ProcurementCase) -> list[BidRound]:
    """The case's rounds in order: the case's collection, loaded once (with their bids) however many
    parts of a page ask, and holding a round just added."""
    return list(case.rounds)


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


def bids_before_deadline(now: datetime):
    """The ids (as text, as the audit trail names objects) of bids whose round is still accepting:
    who has bid, and how many, is nobody's to know before the deadline (issue 13 item 6)."""
    # From the few rounds still open, by the deadlines' indexes (never a scan of every bid): a
    # re-bid by its own deadline, a first round by the case's.
    rebids = select(BidRound.id).where(BidRound.rebid_deadline >= now)
    firsts = (select(BidRound.id).join(ProcurementCase, BidRound.case_id == ProcurementCase.id)
              .where(BidRound.rebid_deadline.is_(None), ProcurementCase.submission_deadline >= now))
    return select(cast(Bid.id, String)).where(Bid.round_id.in_(union_all(rebids, firsts)))


def keys_of(case: ProcurementCase) -> dict[str, CaseKey]:
    return sealing.case_keys(case.id)


def price_key(case: ProcurementCase, round_number: int) -> CaseKey | None:
    """The key bids of this round are sealed to (each re-bid round has its own)."""
    return keys_of(case).get(KeyPurpose.price(round_number))


def bid_mark(bid: Bid) -> str:
    """The receipt's facts under the integrity key: the 受理番号, the round, the company, the time, the
    受理時乱数 and what was sealed. A change in the database (a steered lottery, a swapped envelope)
    no longer matches."""
    return integrity.mark("bid", *_bid_facts(bid))


def bid_intact(bid: Bid) -> bool:
    return integrity.intact(bid.mark, "bid", *_bid_facts(bid))


def _bid_facts(bid: Bid) -> tuple:
    return (bid.receipt_number, bid.case_id, bid.round_id, bid.company_id,
            bid.submitted_at.astimezone(UTC).isoformat(), bid.receipt_random, bid.fingerprint,
            integrity.digest(bid.sealed_payload))


def bid_of(bid_round: BidRound, company: Company) -> Bid | None:
    return db.session.execute(select(Bid).where(Bid.round_id == bid_round.id, Bid.company_id == company.id)
                              ).scalar_one_or_none()


def declined(bid_round: BidRound, company: Company) -> BidDecline | None:
    return next((d for d in bid_round.declines if d.company_id == company.id), None)


# --- submission ------------------------------------------------------------------------

def ticket_for(case: ProcurementCase, company: Company) -> sealed.Ticket:
    """What the bid page carries: the round and a fresh 受理番号, which the browser seals into the
    envelope's associated data."""
    bid_round = current_round(case)
    number = bid_round.number if bid_round is not None else 1
    return sealed.Ticket(case.id, number, company.id, sealed.new_receipt_number(case.reference, number))


def upload_slots(case: ProcurementCase, user: User) -> list[RequiredDocument]:
    """The documents uploaded with a bid: the case's list, but the 入札書 entered on screen."""
    return [d for d in case.required_documents if not d.on_screen]


def sheet_items(case: ProcurementCase, bid_round: BidRound | None) -> list:
    """The 評価項目一覧 lines a bid of this round must answer (first round of a technical evaluation)."""
    if not case.procedure.has_technical_evaluation or (bid_round is not None and bid_round.number > 1):
        return []

    return specs(case)


def _read_sheet(case: ProcurementCase, items: list, upload, marks: dict, pages: dict) -> tuple[dict, dict, str]:
    """The sheet from the uploaded XLSX (the form the officer published) or from the screen."""
    if not upload:
        return marks, pages, "screen"

    content = upload.read()
    upload.seek(0)
    try:
        data = read_back(content)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not the form
        detail = str(exc) if isinstance(exc, NotTheForm) else ""
        raise BidError("評価項目一覧のファイルを読み取れません。" + detail +
                       "公告とともに公開した様式（XLSX）に記入して提出してください。") from exc
    return data["marks"], data["pages"], "xlsx"


def submit(case: ProcurementCase, company: Company, user: User, *, ticket: str, sealed_bid: str, fingerprint: str,
           files: dict[int, Any], power_of_attorney=None, sheet_marks: dict | None = None,
           sheet_pages: dict | None = None, sheet_file=None, now: datetime | None = None) -> Bid:
    """Accept a sealed bid whole, or refuse it whole with the reason.

    ``sealed_bid`` is the envelope the bidder's browser made; nothing here can read it. The
    deadline is checked again once the files are kept, with the server's clock: a submission
    that completes one second late is refused. ``now`` is for back-dated demo data only.
    """
    moment = (lambda: now) if now is not None else clock.now
    if not case.procedure.has_bids:
        raise BidError("この案件は入札を受け付けません。")
    try:
        pass_ = sealed.read_ticket(ticket)
    except sealed.TicketError as exc:
        raise BidError(str(exc)) from exc
    if (pass_.case_id, pass_.company_id) != (case.id, company.id):
        raise BidError("入札画面の情報がこの案件・事業者のものではありません。入札画面を開き直してください。")
    try:
        envelope.parse(sealed_bid or "")
    except envelope.EnvelopeError as exc:
        raise BidError("入札書が封印（暗号化）されていません。JavaScript を有効にしたブラウザで、入札画面から提出してください。"
                       ) from exc
    if not sealed.FINGERPRINT.fullmatch(fingerprint or ""):
        raise BidError("入札書の指紋（SHA-256）が正しくありません。入札画面から提出し直してください。")
    keys = keys_of(case)
    if KeyPurpose.price(pass_.round_number) not in keys or KeyPurpose.PROPOSALS not in keys:
        raise BidError("この案件には封印の鍵がないため、入札を受け付けられません。担当部署に連絡してください。")

    # Everything that reads the request's files happens before the case is locked, so that a slow
    # upload delays nobody else's bid.
    bid_round = current_round(case)
    round_number = bid_round.number if bid_round is not None else 1
    if pass_.round_number != round_number:
        raise BidError("入札の回が変わりました。入札画面を開き直して、もう一度提出してください。")
    if bid_round is not None:
        _check_open(case, bid_round, company, moment())
        if bid_of(bid_round, company) is not None:
            raise BidError(_ALREADY)
    elif case.state is not CaseState.PUBLISHED:
        raise BidError(f"この案件は{case.state.label}のため、入札を受け付けていません。")
    problems = []
    missing = [d.name for d in upload_slots(case, user) if d.mandatory and not files.get(d.id)]
    if user.acts_as_agent and power_of_attorney is None:
        missing.append("委任状（代理人による入札のため）")
    if missing:
        problems.append("次の書類が添付されていません：" + "、".join(missing) + "。")
    items = sheet_items(case, bid_round)
    sheet = None
    if items:
        marks, pages, source = _read_sheet(case, items, sheet_file, sheet_marks or {}, sheet_pages or {})
        problems += [("評価項目一覧：" + p) for p in sheet_rules.sheet_problems(items, marks, pages)]
        sheet = dict(sheet_rules.clean_sheet(items, marks, pages), source=source)
    if problems:
        raise BidError(" ".join(problems))
    stored = _store_files(case, keys[KeyPurpose.PROPOSALS], user, files, power_of_attorney,
                          sheet_file if sheet is not None and sheet["source"] == "xlsx" else None)

    lock_row(ProcurementCase, case.id)  # one submission of a case at a time: the round, the duplicate check
    bid_round = current_round(case) or _first_round(case)
    if bid_round.number != pass_.round_number:
        raise BidError("入札の回が変わりました。入札画面を開き直して、もう一度提出してください。")
    _check_open(case, bid_round, company, moment())
    if bid_of(bid_round, company) is not None:
        raise BidError(_ALREADY)
    now = moment()  # the moment the submission completes decides, not when it started
    if now > bid_round.submission_deadline:
        raise BidError(schedule.period_message(now, None, bid_round.submission_deadline, "入札書") or
                       "提出期限を過ぎたため受け付けられません。")
    bid = Bid(case_id=case.id, round_id=bid_round.id, company_id=company.id, submitted_by_id=user.id,
              as_agent=bool(user.acts_as_agent), submitted_at=now, receipt_number=pass_.receipt_number,
              sealed_payload=sealed_bid, fingerprint=fingerprint, status=BidStatus.SEALED, sheet=sheet,
              receipt_random=secrets.randbelow(rules.RECEIPT_RANDOM_MAX + 1))
    bid.mark = bid_mark(bid)
    db.session.add(bid)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same company from another window, or a reused 受理番号
        raise BidError(_ALREADY + "（別の画面から提出済みでないか、受理票で確認してください。）") from exc
    for slot, doc, name, f in stored:
        db.session.add(BidFile(bid_id=bid.id, document_id=doc.id if doc else None, slot=slot, label=name, file_id=f.id))
    record("bid.submitted", bid, actor=user, summary={
        "case_id": case.id, "round": bid_round.number, "receipt_number": bid.receipt_number,
        "fingerprint": bid.fingerprint, "receipt_random": bid.receipt_random,
        "files": {slot: f.sha256 for slot, _, _, f in stored}})
    return bid


_ALREADY = "この回の入札書は提出済みです。提出後の変更・差し替え・撤回はできません（入札説明書 1(5)⑤）。"


def _store_files(case: ProcurementCase, key: CaseKey, user: User, files: dict[int, Any], power_of_attorney,
                 sheet_file) -> list[tuple[str, RequiredDocument | None, str, Any]]:
    """The bid's files, each sealed to the case's proposals key: nobody reads a proposal before its
    release (issue 13 item 4)."""
    out = []
    try:
        for doc in upload_slots(case, user):
            if files.get(doc.id):
                out.append((f"doc_{doc.id}", doc, doc.name, storage.store(files[doc.id], user=user, seal_to=key)))
        if power_of_attorney is not None:
            out.append(("power_of_attorney", None, "委任状",
                        storage.store(power_of_attorney, allowed=(storage.PDF,), user=user, seal_to=key)))
        if sheet_file is not None:
            out.append(("sheet_file", None, "評価項目一覧（記入済み）",
                        storage.store(sheet_file, allowed=(storage.XLSX,), user=user, seal_to=key)))
    except storage.UploadError as exc:
        raise BidError(str(exc)) from exc
    except storage.StorageError as exc:
        raise BidError("ファイルを保存できませんでした（サーバーの保存領域の障害）。入札書は受理されていません。"
                       "時間をおいて、もう一度提出してください。") from exc
    except sealing.SealingError as exc:
        raise BidError(str(exc)) from exc
    return out


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


# --- the ceremonies: opening, and the release of proposals ------------------------------------

def _same_person(a: str | None, b: str | None) -> bool:
    def key(name: str | None) -> str:
        return "".join(unicodedata.normalize("NFKC", name or "").split())
    return bool(key(a)) and key(a) == key(b)


def _opening_keys(case: ProcurementCase, bid_round: BidRound) -> list[CaseKey]:
    """The keys the opening rebuilds: the round's price key, and the proposals key if still sealed."""
    keys = keys_of(case)
    price = keys.get(KeyPurpose.price(bid_round.number))
    if price is None or KeyPurpose.PROPOSALS not in keys:
        raise BidError("この案件（この回）には封印の鍵がありません。")
    return [price] + ([keys[KeyPurpose.PROPOSALS]] if not keys[KeyPurpose.PROPOSALS].released else [])


def _provide(keys: list[CaseKey], by: User, passphrase: str, now: datetime) -> dict:
    try:
        return sealing.provide(keys, by, passphrase or "", now=now)
    except sealing.SealingError as exc:
        raise BidError(str(exc)) from exc


def staff_witnesses(case: ProcurementCase) -> list[User]:
    """Who may witness as staff: active officers and auditors who are neither the case's officers
    nor its opening officials (入札事務に関係のない職員, 入札心得第12条)."""
    involved = {o.user_id for o in case.officers} | {u.id for u in sealing.officials(case.id)}
    people = db.session.execute(select(User).where(User.role.in_([Role.OFFICER, Role.AUDITOR]), User.active.is_(True))
                                .order_by(User.name)).scalars().all()
    return [u for u in people if u.id not in involved]


def request_opening(case: ProcurementCase, *, by: User, now: datetime, witness_name: str, witness_kind: str,
                    attendee_ids: list[int], passphrase: str, witness_user_id: int | None = None) -> BidRound:
    """The officer of the case asks to open and gives a share of the case's keys (the opening
    passphrase); nothing can be decrypted until enough other officials give theirs."""
    lock_row(ProcurementCase, case.id)  # one ceremony step of a case at a time
    bid_round = current_round(case)
    if bid_round is None:
        bid_round = _first_round(case)
    if bid_round.state != RoundState.ACCEPTING:
        raise BidError("この回はすでに開札の手続き中、または開札済みです。")
    if now <= bid_round.submission_deadline:
        raise BidError("提出期限を過ぎるまでは開札できません。")
    if now < bid_round.opening_at:
        raise BidError(f"開札は開札日時（{format_wareki_datetime(bid_round.opening_at)}）以降に行えます。")
    bidders = {b.company_id for b in bid_round.bids}
    unknown = set(attendee_ids) - bidders
    if unknown:
        raise BidError("立会者には、この回に入札した事業者だけを選べます。")
    witness = None
    if witness_kind == "staff":
        witness = next((u for u in staff_witnesses(case) if u.id == witness_user_id), None)
        if witness is None:
            raise BidError("立会人には、この案件の担当者・開札担当職員以外の職員を選んでください（入札心得第12条）。")
        witness_name = witness.name
    elif not attendee_ids:
        raise BidError("入札者が立ち会わない場合は、入札事務に関係のない職員を立会人としてください（入札心得第12条）。")
    if not (witness_name or "").strip():
        raise BidError("立会人の氏名を入力してください（入札心得第12条）。")
    if any(_same_person(witness_name, u.name) for u in sealing.officials(case.id)) or _same_person(witness_name, by.name):
        raise BidError("立会人は、開札を行う職員とは別の人にしてください。")
    _provide(_opening_keys(case, bid_round), by, passphrase, now)
    bid_round.state = RoundState.REQUESTED
    bid_round.requested_by_id, bid_round.requested_at = by.id, now
    bid_round.witness_name, bid_round.witness_kind = witness_name.strip(), witness_kind
    bid_round.witness_user_id = witness.id if witness else None
    bid_round.attendee_company_ids = sorted(attendee_ids)
    record("opening.requested", bid_round, actor=by, summary={
        "case_id": case.id, "round": bid_round.number, "witness": bid_round.witness_name,
        "witness_kind": witness_kind, "witness_user_id": bid_round.witness_user_id,
        "attendees": bid_round.attendee_company_ids, "bids": len(bid_round.bids)})
    others = [u for u in sealing.officials(case.id) if u.id != by.id]
    notify(others, f"「{case.title}」の開札（第{bid_round.number}回）の確認を求められています。",
           page("bidding.opening", case_id=case.id))
    return bid_round


def withdraw_opening(case: ProcurementCase, *, by: User, now: datetime) -> BidRound:
    """The request is taken back: every share given so far is wiped."""
    bid_round = current_round(case)
    if bid_round is None or bid_round.state != RoundState.REQUESTED:
        raise BidError("取り下げられる開札の請求はありません。")
    sealing.withdraw(_opening_keys(case, bid_round))
    bid_round.state = RoundState.ACCEPTING
    bid_round.requested_by_id = bid_round.requested_at = None
    record("opening.withdrawn", bid_round, actor=by, summary={"case_id": case.id, "round": bid_round.number})
    return bid_round


def confirm_opening(case: ProcurementCase, *, by: User, now: datetime, passphrase: str) -> BidRound:
    """Another official confirms with their share. When k shares are in, the case's price key is
    rebuilt in memory, every bid of the round and the 予定価格 are opened and checked, and the key
    is forgotten again (a re-bid round is opened by its own ceremony)."""
    lock_row(ProcurementCase, case.id)
    bid_round = current_round(case)
    if bid_round is None or bid_round.state != RoundState.REQUESTED:
        raise BidError("開札の確認を求められている回がありません。")
    if by.role is not Role.OFFICER:
        raise BidError("開札の確認は職員が行います。")
    if by.id == bid_round.requested_by_id:
        raise BidError("開札は、開札を求めた職員とは別の職員が確認してください（二者確認）。")
    if by.id == bid_round.witness_user_id or _same_person(by.name, bid_round.witness_name):
        raise BidError("立会人は開札の確認を行えません。")
    if now < bid_round.opening_at:
        raise BidError("開札日時前は開札できません。")
    keys = _opening_keys(case, bid_round)
    ready = _provide(keys, by, passphrase, now)
    price = keys[0]
    if price.purpose not in ready:
        record("opening.share_given", bid_round, actor=by, summary={
            "case_id": case.id, "round": bid_round.number, "missing": sealing.missing(price)})
        return bid_round
    private = ready[price.purpose]
    if len(keys) > 1:
        sealing.release(keys[1], ready[keys[1].purpose], now=now, keep=True)
    if bid_round.number == 1:
        if case.state is CaseState.PUBLISHED:
            case.state = next_state(case.state, Action.CLOSE_SUBMISSIONS, case.procedure)
        case.state = next_state(case.state, Action.OPEN, case.procedure)
        try:
            notices.unseal_estimated_price(case, private)
        except notices.CaseError as exc:
            raise BidError(str(exc)) from exc
    # Each envelope is checked against the files received with it: all the round's, in one query.
    db.session.execute(select(Bid).where(Bid.round_id == bid_round.id).options(selectinload(Bid.files))).scalars().all()
    for bid in bid_round.bids:
        _open_bid(case, bid_round, bid, private, now)
    del private
    bid_round.state = RoundState.OPENED
    bid_round.confirmed_by_id, bid_round.opened_at = by.id, now
    record("opening.confirmed", bid_round, actor=by, summary={
        "case_id": case.id, "round": bid_round.number, "requested_by": bid_round.requested_by_id,
        "witness": bid_round.witness_name, "officials": [s.user_id for s in price.shares], "bids": [
            {"receipt_number": b.receipt_number, "company_id": b.company_id, "amount": b.amount,
             "status": b.status} for b in bid_round.bids]})
    notify_companies({b.company_id for b in bid_round.bids}, f"「{case.title}」の開札（第{bid_round.number}回）を行いました。",
                     page("bidding.submit", case_id=case.id))
    return bid_round


def _open_bid(case: ProcurementCase, bid_round: BidRound, bid: Bid, private, now: datetime) -> None:
    """Open one envelope and check it (入札心得第11条). An envelope that does not belong to this bid,
    a fingerprint that differs from the receipt's, a 内訳 that does not add up or files other than
    those received make the bid invalid, with the reason recorded; the opening goes on."""
    if not bid_intact(bid):
        record("bid.record_altered", bid, summary={"case_id": case.id, "receipt_number": bid.receipt_number})
        _mark(bid, rules.InvalidGround.UNCLEAR_INTENT, f"受理番号 {bid.receipt_number} の受理の記録（時刻・受理時乱数・"
              "封印の内容）が受理したときのものと一致しません。記録の改ざんのおそれがあるため無効とし、その旨を記録しました。",
              by=None, now=now)
        return
    aad = sealed.bid_aad(case.reference, bid_round.number, bid.company_id, bid.receipt_number)
    try:
        plaintext = envelope.open_(private, bid.sealed_payload, aad)
    except envelope.EnvelopeError:
        record("bid.envelope_rejected", bid, summary={"case_id": case.id, "receipt_number": bid.receipt_number})
        _mark(bid, rules.InvalidGround.UNCLEAR_INTENT, "封印された入札書が、この入札（受理番号 "
              f"{bid.receipt_number}）のものとして開封できません。記録の改ざん・破損のおそれがあるため無効とし、"
              "その旨を記録しました。", by=None, now=now)
        return
    if sealed.fingerprint_of(plaintext) != bid.fingerprint:
        _mark(bid, rules.InvalidGround.UNCLEAR_INTENT, "開封した入札書の指紋（SHA-256）が受理票の指紋と一致しません。",
              by=None, now=now)
        return
    try:
        opened = sealed.read_payload(plaintext, case_reference=case.reference, round_number=bid_round.number,
                                     company_id=bid.company_id, receipt_number=bid.receipt_number)
    except sealed.Unreadable as exc:
        _mark(bid, rules.InvalidGround.UNCLEAR_INTENT, str(exc), by=None, now=now)
        return
    bid.amount, bid.lottery_number, bid.breakdown, bid.nonce = (opened.amount, opened.lottery_number,
                                                                opened.breakdown, opened.nonce)
    bid.status = BidStatus.VALID
    received = {f.slot: f.file.sha256 for f in bid.files}
    if opened.files != received:
        _mark(bid, rules.InvalidGround.OTHER_BREACH, "入札書に封印された添付書類の指紋が、受理した書類と一致しません。",
              by=None, now=now)
        return
    try:
        received = _sheet_as_received(case, bid, opened) if bid.sheet is not None else None
    except Exception:  # an XLSX that no longer reads is a mismatch like any other
        received = None
    if bid.sheet is not None and received != {"marks": bid.sheet.get("marks"), "pages": bid.sheet.get("pages")}:
        record("bid.sheet_mismatch", bid, summary={"case_id": case.id, "receipt_number": bid.receipt_number})
        _mark(bid, rules.InvalidGround.OTHER_BREACH, "封印された評価項目一覧が、受理した評価項目一覧の記録と一致しません。",
              by=None, now=now)
        return
    failing = [j for j in notices.verdicts(case, bid.company, now, submitted=True) if j.state is notices.JudgementState.FAIL]
    if failing:
        _mark(bid, rules.InvalidGround.NO_QUALIFICATION, "；".join(f"{j.label}：{j.reason}" for j in failing),
              by=None, now=now)


def _sheet_as_received(case: ProcurementCase, bid: Bid, opened: sealed.Opened) -> dict | None:
    """The 評価項目一覧 as the bidder sealed it: entered on screen (in the payload), or the XLSX whose
    SHA-256 the payload names, read again now that it can be."""
    if bid.sheet.get("source") != "xlsx":
        if not isinstance(opened.sheet, dict):
            return None
        marks, pages = opened.sheet.get("marks"), opened.sheet.get("pages")
        if not isinstance(marks, dict) or not isinstance(pages, dict):
            return None
    else:
        row = next((f for f in bid.files if f.slot == "sheet_file"), None)
        if row is None:
            return None
        data = read_back(storage.read(row.file))
        marks, pages = data["marks"], data["pages"]
    clean = sheet_rules.clean_sheet(sheet_items(case, bid.round), {k: str(v) for k, v in marks.items()},
                                    {k: str(v) for k, v in pages.items()})
    return {"marks": clean["marks"], "pages": clean["pages"]}


def proposals_key(case: ProcurementCase) -> CaseKey | None:
    return keys_of(case).get(KeyPurpose.PROPOSALS)


def proposals_released(case: ProcurementCase) -> bool:
    key = proposals_key(case)
    return key is not None and key.released


def proposal_release_requested_by(case: ProcurementCase) -> User | None:
    key = proposals_key(case)
    given = sorted(sealing.provided(key), key=lambda s: s.provided_at) if key and not key.released else []
    return given[0].user if given else None


def release_proposals(case: ProcurementCase, *, by: User, now: datetime, passphrase: str) -> bool:
    """提案書の開封 (総合評価): after the submission deadline, k opening officials give their share of
    the proposals key — never the price key — and the proposals become readable to those the policy
    lets read them (evaluators after their declaration). True once released."""
    if not case.procedure.has_technical_evaluation:
        raise BidError("提案書の開封は、総合評価の案件で行います（最低価格の案件は開札で開封します）。")
    first = db.session.execute(select(BidRound).where(BidRound.case_id == case.id, BidRound.number == 1)
                               ).scalar_one_or_none()
    deadline = first.submission_deadline if first else case.submission_deadline
    if deadline is None or now <= deadline:
        raise BidError("提案書は、提出期限の後に開封します。")
    key = proposals_key(case)
    if key is None or key.released:
        raise BidError("開封できる提案書はありません（開封済みか、封印の鍵がありません）。")
    ready = _provide([key], by, passphrase, now)
    if key.purpose not in ready:
        record("proposals.share_given", object_type="procurement_cases", object_id=case.id, actor=by,
               summary={"missing": sealing.missing(key)})
        others = [u for u in sealing.officials(case.id) if u.id != by.id]
        notify(others, f"「{case.title}」の提案書の開封の確認を求められています。", page("bidding.opening", case_id=case.id))
        return False
    sealing.release(key, ready[key.purpose], now=now, keep=True)
    record("proposals.released", object_type="procurement_cases", object_id=case.id, actor=by,
           summary={"officials": [s.user_id for s in key.shares]})
    return True


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
                     page("bidding.submit", case_id=bid.case_id))


# --- result of a lowest-price round, re-bids and lotteries ---------------------------------

def _lottery(bid_round: BidRound) -> Lottery | None:
    return db.session.execute(select(Lottery).where(Lottery.round_id == bid_round.id)).scalar_one_or_none()


def lottery_of(bid_round: BidRound) -> Lottery | None:
    return _lottery(bid_round)


def start_rebid(case: ProcurementCase, *, by: User, now: datetime, minutes: int, rebid_bid_ids: set[int]) -> BidRound:
    """No bid within the ceiling: a new round at once for the bidders present (入札心得第15条).

    Only the award page decides it (award.operations.rebid), on the award engine's standing:
    ``rebid_bid_ids`` are the bids that stay in competition (valid, passed any technical
    evaluation, above the price limit).
    """
    previous = current_round(case)
    if previous is None or previous.state != RoundState.OPENED or not rebid_bid_ids:
        raise BidError("再度入札は、予定価格の制限の範囲内の入札がなかった場合に行います。")
    if not rules.REBID_MINUTES[0] <= minutes <= rules.REBID_MINUTES[1]:
        raise BidError(f"再度入札の受付時間は{rules.REBID_MINUTES[0]}分から{rules.REBID_MINUTES[1]}分の間で指定してください。")
    present = set(previous.attendee_company_ids or [])
    valid = {b.company_id for b in previous.bids if b.status == BidStatus.VALID and b.id in rebid_bid_ids}
    eligible = sorted(present & valid)
    if not eligible:
        raise BidError("開札に立ち会った有効な入札者がいないため、再度入札を行えません。")
    deadline = now + timedelta(minutes=minutes)
    new = BidRound(case=case, number=previous.number + 1, rebid_deadline=deadline, rebid_opening_at=deadline,
                   eligible_company_ids=eligible, state=RoundState.ACCEPTING)
    db.session.add(new)
    db.session.flush()
    try:
        sealing.create_round_key(case.id, new.number, by=by, now=now)
    except sealing.SealingError as exc:
        raise BidError(str(exc)) from exc
    for company_id in sorted(valid - present):
        db.session.add(BidDecline(round_id=new.id, company_id=company_id, reason="absent", declined_at=now))
    record("rebid.started", new, actor=by, summary={"case_id": case.id, "round": new.number,
                                                   "deadline": deadline.isoformat(), "eligible": eligible,
                                                   "deemed_declined": sorted(valid - present)})
    notify_companies(set(eligible), f"「{case.title}」の再度入札（第{new.number}回）を受け付けています。",
                     page("bidding.submit", case_id=case.id))
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
                 tied_ids: tuple[int, ...]) -> Lottery:
    """電子くじ between tied bids, from values all fixed before the deadline: each bid's sealed
    くじ番号 and the 受理時乱数 printed on its receipt. Nothing is drawn now, so nobody can choose
    the result once the tie is known; anyone can recompute it (issue 13 item 7).

    Only the award page draws it (award.operations.lottery): ``tied_ids`` are the bids the award
    engine found tied (the same price, or the same 総合評価点), in order of submission.
    """
    bid_round = current_round(case)
    if bid_round is None or bid_round.state != RoundState.OPENED or len(tied_ids) < 2:
        raise BidError("くじは、落札となるべき同点の入札が二者以上ある場合に行います（入札心得第16条）。")
    if _lottery(bid_round) is not None:
        raise BidError("この回のくじは実施済みです。結果は変更できません。")
    if not witness_name.strip():
        raise BidError("くじの立会人の氏名を入力してください。")
    entries = lottery_entries(bid_round, tied_ids)
    drawn = rules.draw(entries)
    row = Lottery(round_id=bid_round.id, drawn_at=now, drawn_by_id=by.id, witness_name=witness_name.strip(),
                  algorithm=drawn.algorithm,
                  entries=[{"bid_id": e.bid_id, "number": e.number, "order": e.order,
                            "receipt_random": e.receipt_random} for e in entries],
                  steps=[{"remaining": list(s.remaining), "total": s.total, "index": s.index, "picked": s.picked}
                         for s in drawn.steps],
                  ranking=list(drawn.ranking))
    db.session.add(row)
    record("lottery.drawn", bid_round, actor=by, summary={
        "case_id": case.id, "round": bid_round.number, "entries": row.entries, "ranking": row.ranking,
        "witness": row.witness_name})
    return row


def lottery_entries(bid_round: BidRound, tied_ids) -> list[rules.LotteryEntry]:
    """The tied bids as the lottery takes them: くじ番号, order of submission, 受理時乱数."""
    order = {b.id: i + 1 for i, b in enumerate(bid_round.bids)}
    by_id = {b.id: b for b in bid_round.bids}
    return [rules.LotteryEntry(i, by_id[i].lottery_number, order[i], by_id[i].receipt_random) for i in tied_ids]


def recorded_entries(lottery: Lottery) -> list[rules.LotteryEntry]:
    return [rules.LotteryEntry(e["bid_id"], e["number"], e["order"], e["receipt_random"]) for e in lottery.entries]


def verify_lottery(lottery: Lottery) -> bool:
    """The auditor's check: the recorded entries are the bids' own committed values, and the
    recorded result is what the algorithm gives for them."""
    entries = recorded_entries(lottery)
    by_id = {b.id: b for b in lottery.round.bids}
    if not all(e.bid_id in by_id and bid_intact(by_id[e.bid_id]) for e in entries):
        return False  # a 受理時乱数 or an order changed in the database after the receipt
    committed = lottery_entries(lottery.round, [e.bid_id for e in entries])
    steps = tuple(rules.LotteryStep(tuple(s["remaining"]), s["total"], s["index"], s["picked"]) for s in lottery.steps)
    result = rules.LotteryResult(tuple(lottery.ranking), steps, lottery.algorithm)
    return committed == entries and rules.verify(entries, result)

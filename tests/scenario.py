"""One scenario builder for cases with bids: sealing a bid as a bidder's client does, over the
operations or over HTTP, and the two-person ceremonies (opening, release of proposals).

Bids are sealed with tender.bidding.client — the Python twin of the browser's seal-bid.js — so the
server only ever receives an envelope, as in production.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from freezegun import freeze_time
from werkzeug.datastructures import FileStorage

from tender.accounts.models import Role
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tests.helpers import OPENING_PASSPHRASE, csrf_from, email_of, login, make_case, make_company, make_user, post_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="teian.pdf", data=PDF) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/pdf")


@dataclass
class Sealed:
    bid_id: int
    nonce: str
    payload: bytes
    fingerprint: str
    receipt_number: str


def lump_sum(amount: int):
    from tender.rules.bids import BreakdownLine

    return [BreakdownLine("業務一式", 1, "式", amount)]


def seal_bid(app, case_id: int, company_id: int, user_id: int, amount: int, *, lottery: str = "123",
               breakdown=None, files: dict | None = None, power_of_attorney=None, marks=None, pages=None,
               sheet_file=None, now: datetime | None = None, envelope=None) -> Sealed:
    """Seal (client side) and submit a bid through the operation; by default with a PDF for each
    mandatory document. ``envelope``: a function (SealedBid) -> (envelope, fingerprint) to tamper with."""
    from tender.accounts.models import User
    from tender.bidding import client, sealed
    from tender.bidding import operations as ops
    from tender.companies.models import Company
    from tender.notices.models import ProcurementCase

    with app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        company, user = db.session.get(Company, company_id), db.session.get(User, user_id)
        if files is None:
            files = {d.id: pdf() for d in ops.upload_slots(case, user) if d.mandatory}
        contents = {f"doc_{doc_id}": _bytes(f) for doc_id, f in files.items() if f}
        if power_of_attorney is not None:
            contents["power_of_attorney"] = _bytes(power_of_attorney)
        items = ops.sheet_items(case, ops.current_round(case))
        sheet = None
        if items and sheet_file is not None:
            contents["sheet_file"] = _bytes(sheet_file)
        elif items:
            sheet = {"marks": marks or {}, "pages": pages or {}}
        ticket = ops.ticket_for(case, company)
        done = client.seal_bid(ops.price_key(case, ticket.round_number).public_key, ticket, case.reference, amount=amount,
                               lottery_number=lottery, breakdown=breakdown or lump_sum(amount), files=contents,
                               sheet=sheet)
        sealed_bid, fingerprint = envelope(done) if envelope else (done.envelope, done.fingerprint)
        bid = ops.submit(case, company, user, ticket=sealed.issue(ticket), sealed_bid=sealed_bid,
                         fingerprint=fingerprint, files=files, power_of_attorney=power_of_attorney,
                         sheet_marks=marks, sheet_pages=pages, sheet_file=sheet_file, now=now)
        db.session.commit()
        return Sealed(bid.id, done.nonce, done.payload, done.fingerprint, bid.receipt_number)


def _bytes(upload) -> bytes:
    data = upload.read()
    upload.seek(0)
    return data


_DATA = re.compile(r'data-(seal-key|case|round|company|receipt)="([^"]*)"')
_TICKET = re.compile(r'name="ticket" type="hidden" value="([^"]+)"|name="ticket" value="([^"]+)"')


def bid_page(html: str) -> dict:
    """What the bid page gives the browser to seal with: the public key, the ticket and the names
    bound into the envelope."""
    found = dict(_DATA.findall(html))
    ticket = _TICKET.search(html)
    assert ticket and "seal-key" in found, "not a bid page"
    return {"public_key": found["seal-key"], "case": found["case"], "round": int(found["round"]),
            "company": int(found["company"]), "receipt": found["receipt"], "ticket": ticket.group(1) or ticket.group(2)}


def post_bid(client, case_id: int, amount: int, *, lottery: str = "271", breakdown=None,
             uploads: dict[str, tuple[bytes, str]] | None = None, sheet: dict | None = None, extra: dict | None = None,
             seal: bool = True):
    """Do what a browser does on the bid page: read the key and ticket from the page, seal, post.
    ``uploads``: field name → (bytes, filename). Returns (response, sealed bid, page fields)."""
    from tender.bidding import client as bid_client
    from tender.bidding import sealed

    page = client.get(f"/notices/{case_id}/bid")
    assert page.status_code == 200, page.status_code
    fields = bid_page(page.text)
    uploads = uploads or {}
    ticket = sealed.Ticket(case_id, fields["round"], fields["company"], fields["receipt"])
    done = bid_client.seal_bid(fields["public_key"], ticket, fields["case"], amount=amount, lottery_number=lottery,
                               breakdown=breakdown or lump_sum(amount),
                               files={name: data for name, (data, _) in uploads.items()}, sheet=sheet)
    data = {"csrf_token": csrf_from(page.text), "ticket": fields["ticket"]}
    if seal:
        data.update(sealed_bid=done.envelope, fingerprint=done.fingerprint)
    for name, (content, filename) in uploads.items():
        data[name] = (io.BytesIO(content), filename)
    data.update(extra or {})
    response = client.post(f"/notices/{case_id}/bid", data=data, content_type="multipart/form-data")
    return response, done, fields


def request_opening(app, case_id: int, officer_id: int, now: datetime, *, attendees=None, witness_user_id=None,
                    witness_name="立会 一郎", passphrase: str = OPENING_PASSPHRASE):
    """The officer asks to open with their passphrase. Every bidder of the round attends by default
    (a bidder witness); ``attendees=[]`` with ``witness_user_id``: a staff witness."""
    from tender.accounts.models import User
    from tender.bidding import operations as ops
    from tender.notices.models import ProcurementCase

    with app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        if attendees is None:
            attendees = [b.company_id for b in ops.current_round(case).bids]
        staff = witness_user_id is not None
        ops.request_opening(case, by=db.session.get(User, officer_id), now=now, witness_name="" if staff else witness_name,
                            witness_kind="staff" if staff else "bidder", witness_user_id=witness_user_id,
                            attendee_ids=list(attendees), passphrase=passphrase)
        db.session.commit()


def confirm_opening(app, case_id: int, official_id: int, now: datetime, *, passphrase: str = OPENING_PASSPHRASE):
    from tender.accounts.models import User
    from tender.bidding import operations as ops
    from tender.notices.models import ProcurementCase

    with app.app_context():
        bid_round = ops.confirm_opening(db.session.get(ProcurementCase, case_id), by=db.session.get(User, official_id),
                                        now=now, passphrase=passphrase)
        db.session.commit()
        return bid_round.state


def open_sealed(app, case_id: int, officer_id: int, second_id: int, now: datetime, *, attendees=None,
              witness_user_id=None):
    """The whole two-person opening."""
    request_opening(app, case_id, officer_id, now, attendees=attendees, witness_user_id=witness_user_id)
    return confirm_opening(app, case_id, second_id, now)


def release_sealed(app, case_id: int, officer_id: int, second_id: int, now: datetime) -> None:
    """提案書の開封 by two opening officials (総合評価, after the deadline)."""
    from tender.accounts.models import User
    from tender.bidding import operations as ops
    from tender.notices.models import ProcurementCase

    with app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        for official in (officer_id, second_id):
            ops.release_proposals(case, by=db.session.get(User, official), now=now, passphrase=OPENING_PASSPHRASE)
        db.session.commit()


# --- a published case as a dict ``t`` (the fixtures of tests/fixtures.py build them) ------------

def published_case(app, procedure, *, estimated_price: int, company_prefix: str, evaluators: int = 0) -> dict:
    """A published case (予定価格 tax included, the no-suspension rule), two officers who are its
    opening officials (the second confirms), three bidding companies with a user each and, for a
    総合評価 case, evaluators; with its times and ``during`` (an hour into the submission period)
    and ``after`` (a minute past the deadline)."""
    officer = make_user(app, Role.OFFICER)
    second = make_user(app, Role.OFFICER)
    case_id = make_case(app, officer, procedure=procedure, estimated_price=estimated_price,
                        estimated_price_tax_included=True, rules=[("no_suspension", {})], officials=[officer, second])
    companies = [make_company(app, name=f"{company_prefix}{c}株式会社") for c in "ABC"]
    bidders = [make_user(app, Role.BIDDER, company_id=c) for c in companies]
    with app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        times = {"opens": case.submissions_from, "deadline": case.submission_deadline, "opening": case.opening_at,
                 "document_id": case.required_documents[0].id}
    return {"officer": officer, "second": second, "case": case_id, "companies": companies, "bidders": bidders,
            "evaluators": [make_user(app, Role.EVALUATOR) for _ in range(evaluators)], **times,
            "during": times["opens"] + timedelta(hours=1), "after": times["deadline"] + timedelta(minutes=1)}


def submit(app, t, i, amount, lottery="123", **kw):
    """Bidder i seals and submits a bid through the operation (the HTTP path has its own tests):
    (bid id, 照合用コード, payload bytes)."""
    kw.setdefault("now", t["during"])
    done = seal_bid(app, t["case"], t["companies"][i], t["bidders"][i], amount, lottery=lottery, **kw)
    return done.bid_id, done.nonce, done.payload


def full_sheet(app, case_id, **pages):
    """Every compliance item ○ and a page number for every line (override with item_id=value)."""
    from tender.criteria.operations import specs

    with app.app_context():
        items = specs(db.session.get(ProcurementCase, case_id))
    marks = {i.item_id: "○" for i in items if i.section == "compliance"}
    numbers = {i.item_id: str(n + 1) for n, i in enumerate(items) if i.section != "compliance"}
    for key, value in pages.items():
        (marks if key in marks else numbers)[key.replace("_", ".")] = value
    return marks, numbers


def submit_bid(app, t, i, amount, *, lottery="123", marks=None, pages=None, sheet_file=None, now=None):
    default_marks, default_pages = full_sheet(app, t["case"])
    return seal_bid(app, t["case"], t["companies"][i], t["bidders"][i], amount, lottery=lottery,
                       marks=default_marks if marks is None else marks, pages=default_pages if pages is None else pages,
                       sheet_file=sheet_file, now=now or t["during"]).bid_id


def release_proposals(app, t, now):
    """提案書の開封 by the two officers (after the deadline)."""
    release_sealed(app, t["case"], t["officer"], t["second"], now)


def xlsx_upload(content: bytes, name="評価項目一覧.xlsx"):
    import io

    return FileStorage(stream=io.BytesIO(content), filename=name,
                       content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def marks_for(app, case_id, *, rank="A", certifications=("youth_yell",), not_met=()):
    """A full set of marks: mandatory met (except not_met), every ranked item `rank`, the certifications."""
    from tender.criteria.operations import engine_criteria

    with app.app_context():
        criteria = engine_criteria(db.session.get(ProcurementCase, case_id))
    out = {}
    for c in criteria:
        if c.kind == "mandatory":
            out[c.id] = "not_met" if c.id in not_met else "met"
        elif c.kind == "ranked":
            out[c.id] = rank
        else:
            out[c.id] = list(certifications)
    return out


def seat_panel(app, t, now):
    """Release the proposals (if still sealed), assign the three evaluators (the first chairs) and let
    each declare no conflict."""
    from tender.accounts.models import User
    from tender.bidding.operations import proposals_released
    from tender.evaluation import panel

    with app.app_context():
        released = proposals_released(db.session.get(ProcurementCase, t["case"]))
    if not released:
        release_proposals(app, t, now)
    with app.app_context():
        case = db.session.get(ProcurementCase, t["case"])
        officer = db.session.get(User, t["officer"])
        for n, user_id in enumerate(t["evaluators"]):
            user = db.session.get(User, user_id)
            row = panel.assign(case, user, chair=n == 0, by=officer, now=now)
            panel.declare(row, conflict=False, detail="", by=user, now=now)
        db.session.commit()


def score(app, t, evaluator_index, bid_id, marks, now, *, submit=True):
    from tender.accounts.models import User
    from tender.bidding.models import Bid
    from tender.evaluation import panel

    with app.app_context():
        case = db.session.get(ProcurementCase, t["case"])
        user = db.session.get(User, t["evaluators"][evaluator_index])
        row = panel.assignment_of(case, user)
        panel.save_marks(row, db.session.get(Bid, bid_id), {k: (v, "") for k, v in marks.items()}, by=user, now=now)
        db.session.commit()


def submit_marks(app, t, evaluator_index, now):
    from tender.accounts.models import User
    from tender.evaluation import panel

    with app.app_context():
        case = db.session.get(ProcurementCase, t["case"])
        user = db.session.get(User, t["evaluators"][evaluator_index])
        panel.submit_marks(panel.assignment_of(case, user), by=user, now=now)
        db.session.commit()


def agree(app, t, bid_id, marks, now, reason="合議により決定"):
    from tender.accounts.models import User
    from tender.bidding.models import Bid
    from tender.evaluation import panel

    with app.app_context():
        case = db.session.get(ProcurementCase, t["case"])
        chair = db.session.get(User, t["evaluators"][0])
        panel.record_consensus(case, db.session.get(Bid, bid_id), {k: (v, reason) for k, v in marks.items()},
                               by=chair, now=now)
        db.session.commit()


def sign_off(app, t, now):
    from tender.accounts.models import User
    from tender.evaluation import panel

    with app.app_context():
        panel.sign_off(db.session.get(ProcurementCase, t["case"]), by=db.session.get(User, t["evaluators"][0]),
                       now=now)
        db.session.commit()


def evaluate_all(app, t, marks_by_bid: dict[int, dict], now):
    """Every evaluator gives the same marks, the chair records them as the consensus and signs off."""
    seat_panel(app, t, now)
    for e in range(3):
        for bid_id, marks in marks_by_bid.items():
            score(app, t, e, bid_id, marks, now)
        submit_marks(app, t, e, now)
    for bid_id, marks in marks_by_bid.items():
        agree(app, t, bid_id, marks, now)
    sign_off(app, t, now)


def open_bids(app, t, now, attendees=None):
    open_sealed(app, t["case"], t["officer"], t["second"], now, attendees=attendees)


# --- over HTTP: the opening, the award, the draft contract ---------------------------------------

def client_of(app, user_id):
    client = app.test_client()
    login(client, email_of(app, user_id))
    return client


def request_opening_over_http(app, auction, attendees=(), witness="立会 一郎", kind=None, client=None, passphrase=OPENING_PASSPHRASE):
    client = client or client_of(app, auction["officer"])
    kind = kind or ("bidder" if attendees else "staff")
    data = {"witness_name": witness, "witness_kind": kind, "attendees": [str(a) for a in attendees],
            "passphrase": passphrase}
    if kind == "staff":  # an auditor: staff unrelated to the procurement
        data["witness_user_id"] = str(make_user(app, Role.AUDITOR, name="監理 立会"))
    response = post_form(client, f"/cases/{auction['case']}/opening/request", data,
                         form_url=f"/cases/{auction['case']}/opening", follow=True)
    return client, response


def open_over_http(app, auction, attendees=()):
    """Request (the first officer, a witness) and confirm (the second) the opening over HTTP:
    (the second official's client, the confirmation's page)."""
    request_opening_over_http(app, auction, attendees)
    second = client_of(app, auction["second"])
    return second, post_form(second, f"/cases/{auction['case']}/opening/confirm", {"passphrase": OPENING_PASSPHRASE},
                             form_url=f"/cases/{auction['case']}/opening", follow=True)


def decide(app, case_id, officer_id):
    client = client_of(app, officer_id)
    url = f"/cases/{case_id}/award"
    response = post_form(client, f"{url}/decide", {"grounds": "最低価格"}, form_url=url, follow=True)
    assert "落札者を決定し" in response.text, response.text
    return client


def draft(app, t, when=None):
    """The officer creates the draft through HTTP; returns (client, contract id)."""
    from sqlalchemy import select

    from tender.contracts.models import Contract

    with freeze_time(when or t["decided_at"] + timedelta(minutes=5)):
        officer = client_of(app, t["officer"])
        url = f"/cases/{t['case']}/contract"
        response = post_form(officer, url, {}, form_url=url, follow=True)
        assert "契約書（案）を作成しました" in response.text, response.text
    with app.app_context():
        contract_id = db.session.execute(select(Contract.id).order_by(Contract.id.desc())).scalars().first()
    return officer, contract_id


def signed(app, t, number: str = "R8-契-001"):
    """The draft (``draft``) signed over HTTP on its deadline day; returns (contract id, that day)."""
    from datetime import time

    from tender.contracts.models import Contract
    from tender.rules.calendar import JST

    _, contract_id = draft(app, t)
    with app.app_context():
        signed_on = db.session.get(Contract, contract_id).deadline
    with freeze_time(datetime.combine(signed_on, time(10), tzinfo=JST)):
        officer = client_of(app, t["officer"])
        done = post_form(officer, f"/contracts/{contract_id}/sign", {"contract_number": number,
                                                                     "signed_on": signed_on.isoformat()},
                         form_url=f"/contracts/{contract_id}", follow=True)
        assert "締結を記録しました" in done.text
    return contract_id, signed_on


def published(app, t):
    """The signed contract (``signed``) published over HTTP (契約の公表) the day it was signed, at 11時;
    returns (contract id, that day)."""
    contract_id, signed_on = signed(app, t)
    publish(app, t, contract_id, signed_on)
    return contract_id, signed_on


def publish(app, t, contract_id: int, signed_on) -> None:
    """The officer publishes the signed contract's information (契約の公表) on ``signed_on`` at 11時."""
    from datetime import time

    from tender.rules.calendar import JST
    from tests.helpers import post_form

    with freeze_time(datetime.combine(signed_on, time(11), tzinfo=JST)):
        officer = client_of(app, t["officer"])
        done = post_form(officer, f"/contracts/{contract_id}/publish", {"published_on": signed_on.isoformat()},
                         form_url=f"/contracts/{contract_id}", follow=True)
        assert "公表" in done.text


def post_row(client, url: str, prefix: str, data: dict, *, form_url: str, files=None):
    """Post a per-row form (its fields, CSRF token included, carry the row's prefix), as the page would."""
    from tests.helpers import csrf_from

    token = csrf_from(client.get(form_url).text)
    body = {f"{prefix}-{k}": v for k, v in data.items()} | {f"{prefix}-csrf_token": token}
    if files:
        body |= {f"{prefix}-{k}": v for k, v in files.items()}
        return client.post(url, data=body, content_type="multipart/form-data", follow_redirects=True)
    return client.post(url, data=body, follow_redirects=True)


def evaluated_and_awarded(app, t):
    """Two proposals evaluated (A ranks above B), opened, and the award decided over HTTP: (a, b)."""
    marks, _ = full_sheet(app, t["case"])
    with freeze_time(t["during"]):
        a = submit_bid(app, t, 0, 9_000_000, lottery="111")
        b = submit_bid(app, t, 1, 8_000_000, lottery="222")
    evaluate_all(app, t, {a: marks_for(app, t["case"], rank="A"), b: marks_for(app, t["case"], rank="B")}, t["after"])
    open_bids(app, t, t["opening"])
    with freeze_time(t["opening"] + timedelta(minutes=5)):
        officer = app.test_client()
        login(officer, email_of(app, t["officer"]))
        url = f"/cases/{t['case']}/award"
        done = post_form(officer, f"{url}/decide", {"grounds": "総合評価点が最も高い者を落札者とする"}, form_url=url,
                         follow=True)
        assert "落札者を決定し" in done.text
    return a, b


# --- 事前確認公募: a participation over HTTP -------------------------------------------------------

def participation_form(file_bytes=PDF, filename="shikaku.pdf", **extra):
    data = {
        "business_summary": "システム運用保守を主たる事業とする。", "track_record": "官公庁の運用保守 5件",
        "handlers-0-name": "情報 太郎", "handlers-0-address": "東京都千代田区1-1", "handlers-0-birth_date": "1980-04-01",
        "handlers-0-department": "運用部", "handlers-0-position": "部長", "handlers-0-nationality": "日本",
        "handlers-0-passport_number": "",
        "structure-0-role": "情報管理責任者", "structure-0-name": "情報 太郎", "structure-0-department": "運用部",
        "declarations": "y",
        "qualification_file": (io.BytesIO(file_bytes), filename),
    }
    data.update(extra)
    return data


def submit_participation(app, world, client=None, **form):
    if client is None:
        client = app.test_client()
        login(client, email_of(app, world["bidder"]))
    page = client.get(f"/notices/{world['case']}/participation")
    data = participation_form(**form)
    data["csrf_token"] = csrf_from(page.text)
    return client.post(f"/notices/{world['case']}/participation", data=data, content_type="multipart/form-data")


def authority_preset(app, name: str) -> None:
    """The installation's authority (made if there is none), its contracts starting from the
    conditions of ``name``'s seed (tender.rules.conditions.PRESETS)."""
    from sqlalchemy import select, update

    from tender.extensions import db
    from tender.organisations.models import Authority

    with app.app_context():
        if db.session.execute(select(Authority)).first() is None:
            db.session.add(Authority(name="試験市"))
            db.session.flush()
        db.session.execute(update(Authority).values(preset=name))
        db.session.commit()

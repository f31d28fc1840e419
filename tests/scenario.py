"""One scenario builder for cases with bids: sealing a bid as a bidder's client does, over the
operations or over HTTP, and the two-person ceremonies (opening, release of proposals).

Bids are sealed with tender.bidding.client — the Python twin of the browser's seal-bid.js — so the
server only ever receives an envelope, as in production.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime

from werkzeug.datastructures import FileStorage

from tender.extensions import db
from tests.conftest import csrf_from
from tests.helpers import OPENING_PASSPHRASE

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


def submit_bid(app, case_id: int, company_id: int, user_id: int, amount: int, *, lottery: str = "123",
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


def open_bids(app, case_id: int, officer_id: int, second_id: int, now: datetime, *, attendees=None,
              witness_user_id=None):
    """The whole two-person opening."""
    request_opening(app, case_id, officer_id, now, attendees=attendees, witness_user_id=witness_user_id)
    return confirm_opening(app, case_id, second_id, now)


def release_proposals(app, case_id: int, officer_id: int, second_id: int, now: datetime) -> None:
    """提案書の開封 by two opening officials (総合評価, after the deadline)."""
    from tender.accounts.models import User
    from tender.bidding import operations as ops
    from tender.notices.models import ProcurementCase

    with app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        for official in (officer_id, second_id):
            ops.release_proposals(case, by=db.session.get(User, official), now=now, passphrase=OPENING_PASSPHRASE)
        db.session.commit()

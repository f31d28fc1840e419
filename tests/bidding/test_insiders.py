"""Regression tests from a review of the sealing by a second pair of eyes (issue 13): each one an
attack that worked, now refused. A bidder must not block an opening; a database administrator
must not swap a key, replace the 予定価格, steer the lottery or read a waiting share; an
administrator must not take an account over or slip a user into a company; an officer must not
reopen bidding once who has bid is known."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from tender.accounts.models import Role, User
from tender.award import operations as award
from tender.bidding import operations as ops
from tender.bidding import sealed
from tender.bidding.models import Bid
from tender.companies.models import Company
from tender.extensions import db
from tender.notices import operations as notices
from tender.notices.models import ProcurementCase
from tender.sealing import envelope
from tender.sealing import operations as sealing
from tender.sealing.models import CaseKey
from tests.helpers import email_of, login, make_company, make_user, post_form
from tests.scenario import confirm_opening, open_sealed, pdf, request_opening, submit


def _raw_bid(app, auction, i, payload: bytes):
    """A client that seals whatever it likes (the server cannot read it before the opening)."""
    with app.app_context():
        case = db.session.get(ProcurementCase, auction["case"])
        company, user = db.session.get(Company, auction["companies"][i]), db.session.get(User, auction["bidders"][i])
        ticket = ops.ticket_for(case, company)
        aad = sealed.bid_aad(case.reference, ticket.round_number, ticket.company_id, ticket.receipt_number)
        env = envelope.seal(envelope.unb64u(ops.price_key(case, 1).public_key), payload, aad)
        ops.submit(case, company, user, ticket=sealed.issue(ticket), sealed_bid=env,
                   fingerprint=sealed.fingerprint_of(payload), files={auction["document_id"]: pdf()},
                   now=auction["during"])
        db.session.commit()


@pytest.mark.parametrize("payload", [
    b"[" * 5000 + b"]" * 5000,  # nesting deep enough to exhaust the parser's stack
    b'{"amount": 1, "amount": 2}',  # which amount was meant?
    b"\xff\xfe not utf-8",
    json.dumps({"amount": 1.0e6}).encode(),
])
def test_a_malicious_payload_makes_one_bid_invalid_and_the_opening_goes_on(clean_app, auction, payload):
    submit(clean_app, auction, 0, 9_000_000)
    _raw_bid(clean_app, auction, 1, payload)
    assert open_sealed(clean_app, auction["case"], auction["officer"], auction["second"], auction["opening"]) == "opened"
    with clean_app.app_context():
        honest, evil = db.session.execute(select(Bid).order_by(Bid.id)).scalars().all()
        assert honest.status == "valid" and honest.amount == 9_000_000
        assert evil.status == "invalid" and evil.amount is None


def test_a_swapped_case_key_is_refused_before_anything_is_sealed_to_it(clean_app, auction):
    mine = envelope.new_private_key()
    with clean_app.app_context():
        db.session.execute(text("UPDATE case_keys SET public_key = :p WHERE purpose = 'price'"),
                           {"p": envelope.b64u(envelope.public_raw(mine))})
        db.session.commit()
    from freezegun import freeze_time

    with freeze_time(auction["during"]):
        bidder = clean_app.test_client()
        login(bidder, email_of(clean_app, auction["bidders"][0]))
        page = bidder.get(f"/notices/{auction['case']}/bid").text
    assert "改変されています" in page and "data-seal-key" not in page
    with clean_app.app_context(), pytest.raises(sealing.SealingError):
        key = db.session.execute(select(CaseKey).where(CaseKey.purpose == "price")).scalar_one()
        sealing.trusted_public_key(key)


def test_a_replaced_estimate_stops_the_opening(clean_app, auction):
    submit(clean_app, auction, 0, 9_500_000)
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, auction["case"])
        forged = envelope.seal(sealing.public_key(case.id, "price"), b"0000000099000000",
                               envelope.aad("tender-estimated-price", case=case.id))
        db.session.execute(text("UPDATE procurement_cases SET estimated_price_envelope = :e WHERE id = :i"),
                           {"e": forged, "i": case.id})
        db.session.commit()
    request_opening(clean_app, auction["case"], auction["officer"], auction["opening"])
    with pytest.raises(ops.BidError, match="予定価格の記録"):
        confirm_opening(clean_app, auction["case"], auction["second"], auction["opening"])
    with clean_app.app_context():
        assert db.session.get(ProcurementCase, auction["case"]).estimated_price is None


def test_a_receipt_random_changed_after_the_opening_fails_the_lottery_check(clean_app, auction):
    a = submit(clean_app, auction, 0, 9_000_000, lottery="111")[0]
    b = submit(clean_app, auction, 1, 9_000_000, lottery="222")[0]
    open_sealed(clean_app, auction["case"], auction["officer"], auction["second"], auction["opening"])
    with clean_app.app_context():
        bids = {x.id: x for x in db.session.execute(select(Bid)).scalars()}
        total = bids[a].lottery_number + bids[b].lottery_number + bids[a].receipt_random
        # b first, by a value b did not draw (the same value would change nothing to detect)
        steer = next(r for r in range(1000) if (total + r) % 2 == 1 and r != bids[b].receipt_random)
        db.session.execute(text("UPDATE bids SET receipt_random = :r WHERE id = :i"), {"r": steer, "i": b})
        db.session.commit()
        lottery = award.lottery(db.session.get(ProcurementCase, auction["case"]), "立会",
                                by=db.session.get(User, auction["officer"]), now=auction["opening"])
        db.session.commit()
        assert ops.verify_lottery(lottery) is False  # the auditor's check names it


def test_the_administrator_cannot_move_an_address_to_take_an_account_over(clean_app, auction):
    admin = make_user(clean_app, Role.ADMIN)
    client = clean_app.test_client()
    login(client, email_of(clean_app, admin))
    victim = auction["second"]
    with clean_app.app_context():
        user = db.session.get(User, victim)
        form = {"email": "attacker@evil.example", "name": user.name, "role": "officer", "title": "", "phone": "",
                "company_id": "0", "department_id": "0", "active": "y"}
    response = post_form(client, f"/admin/users/{victim}", form)
    assert response.status_code == 200 and "本人だけが変更できます" in response.text
    assert email_of(clean_app, victim) != "attacker@evil.example"


def test_deactivating_the_members_does_not_open_a_company_to_the_administrator(clean_app):
    from tender.accounts.operations import create_user, update_user

    company = make_company(clean_app)
    member = make_user(clean_app, Role.BIDDER, company_id=company)
    admin = make_user(clean_app, Role.ADMIN)
    with clean_app.app_context():
        by, m = db.session.get(User, admin), db.session.get(User, member)
        update_user(m, {"active": False}, by=by)
        puppet = create_user(email="puppet@evil.example", name="傀儡", role=Role.BIDDER, password=None, by=by,
                             company_id=company)
        db.session.commit()
        assert puppet.company_id is None and puppet.pending_company_id == company


def test_no_amendment_reopens_bidding_after_the_deadline(clean_app, auction):
    submit(clean_app, auction, 0, 9_000_000)
    after = auction["deadline"] + timedelta(minutes=5)
    with clean_app.app_context(), pytest.raises(notices.CaseError, match="提出期限を過ぎた"):
        case = db.session.get(ProcurementCase, auction["case"])
        notices.amend(case, {"submission_deadline": auction["deadline"] + timedelta(days=14),
                             "opening_at": auction["deadline"] + timedelta(days=16)}, "期限の延長",
                      by=db.session.get(User, auction["officer"]), now=after)

"""Sealed bids: submitted whole or not at all, unreadable by anyone until a two-person opening."""
import hashlib
import io
import threading
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select, text

from tender import clock
from tender.accounts.models import Role
from tender.bidding import operations as ops
from tender.bidding import sealing
from tender.bidding.models import Bid, BidFile
from tender.documents import storage
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tests.bidding.conftest import PDF, submit
from tests.conftest import csrf_from
from tests.helpers import email_of, events, login, make_user

AMOUNT = 31_415_926


def _bid_form(auction, amount="31,415,926", lottery="271", document=True, **extra):
    data = {"amount": amount, "lottery_number": lottery, "lines-0-item": "運用支援一式", "lines-0-quantity": "1",
            "lines-0-unit": "式", "lines-0-unit_price": amount}
    if document:
        data[f"doc_{auction['document_id']}"] = (io.BytesIO(PDF), "teian.pdf")
    data.update(extra)
    return data


def _post_bid(app, auction, client=None, **form):
    if client is None:
        client = app.test_client()
        login(client, email_of(app, auction["bidders"][0]))
    page = client.get(f"/notices/{auction['case']}/bid")
    data = _bid_form(auction, **form)
    data["csrf_token"] = csrf_from(page.text)
    return client, client.post(f"/notices/{auction['case']}/bid", data=data, content_type="multipart/form-data")


def test_bidder_submits_and_gets_a_receipt_with_fingerprints(clean_app, auction):
    with freeze_time(auction["during"]):
        client, response = _post_bid(clean_app, auction)
        assert response.status_code == 302 and response.headers["Location"].endswith("/bid/receipt")
        receipt = client.get(response.headers["Location"]).text
        again = client.get(response.headers["Location"]).text
    with clean_app.app_context():
        bid = db.session.execute(select(Bid)).scalar_one()
        stored = bid.files[0].file
        assert bid.receipt_number in receipt and bid.fingerprint in receipt and stored.sha256 in receipt
        assert hashlib.sha256(storage.read(stored)).hexdigest() == stored.sha256 == hashlib.sha256(PDF).hexdigest()
        assert "封印中" in receipt and "31,415,926" not in receipt
    nonce = receipt.split("照合用コード</dt><dd><code class=\"hash\">")[1].split("<")[0]
    assert len(nonce) == 32 and nonce not in again  # shown once only
    # From what it sent and the code on the receipt, the bidder recomputes the fingerprint.
    with clean_app.app_context():
        reference = db.session.get(ProcurementCase, auction["case"]).reference
    sent = {"case": reference, "round": 1, "company_id": auction["companies"][0], "amount": AMOUNT,
            "lottery_number": "271", "breakdown": [{"item": "運用支援一式", "quantity": 1, "unit": "式",
                                                   "unit_price": AMOUNT}],
            "files": {"提出書類1": hashlib.sha256(PDF).hexdigest()}, "nonce": nonce}
    assert sealing.fingerprint(sent) == bid.fingerprint
    assert events(clean_app, "bid.submitted")[0].summary.count(bid.fingerprint) == 1


def test_no_amount_is_readable_before_the_opening(clean_app, auction, database_url):
    with freeze_time(auction["during"]):
        bid_id, nonce, payload = submit(clean_app, auction, 0, AMOUNT, lottery="777")
    with clean_app.app_context():
        row = db.session.execute(text("SELECT * FROM bids")).mappings().one()
        assert row["amount"] is None and row["lottery_number"] is None and row["breakdown"] is None
        everything = " ".join(str(v) for v in row.values())
        assert str(AMOUNT) not in everything and "31,415,926" not in everything
        summaries = " ".join(db.session.execute(text("SELECT summary FROM audit_events")).scalars())
        assert str(AMOUNT) not in summaries
        assert sealing.fingerprint(payload) == row["fingerprint"] and payload["nonce"] == nonce
    if database_url.startswith("sqlite"):
        with clean_app.app_context():
            db.session.execute(text("PRAGMA wal_checkpoint(FULL)"))
        raw = open(database_url.removeprefix("sqlite:///"), "rb").read()
        assert str(AMOUNT).encode() not in raw
    for role in (Role.ADMIN, Role.AUDITOR, Role.OFFICER, Role.EVALUATOR):
        client = clean_app.test_client()
        login(client, email_of(clean_app, make_user(clean_app, role)))
        for url in (f"/cases/{auction['case']}/opening", f"/cases/{auction['case']}", "/audit", "/home"):
            assert "31,415,926" not in client.get(url).text, (role, url)
    owner = clean_app.test_client()
    login(owner, email_of(clean_app, auction["officer"]))
    assert "31,415,926" not in owner.get(f"/cases/{auction['case']}/opening").text


@pytest.mark.parametrize("offset, accepted", [(timedelta(seconds=-1), True), (timedelta(0), True),
                                              (timedelta(seconds=1), False)])
def test_deadline_to_the_second(clean_app, auction, offset, accepted):
    with freeze_time(auction["deadline"] + offset):
        _, response = _post_bid(clean_app, auction)
    assert (response.status_code == 302) is accepted
    with clean_app.app_context():
        assert len(db.session.execute(select(Bid)).scalars().all()) == (1 if accepted else 0)
        assert len(db.session.execute(select(BidFile)).scalars().all()) == (1 if accepted else 0)
    if not accepted:
        assert "締め切りました" in response.text


def test_a_submission_that_finishes_late_is_refused_whole(clean_app, auction, monkeypatch):
    moments = iter([auction["deadline"] - timedelta(seconds=1)] + [auction["deadline"] + timedelta(seconds=1)] * 50)
    monkeypatch.setattr(clock, "now", lambda: next(moments))
    with pytest.raises(ops.BidError, match="締め切りました"):
        submit(clean_app, auction, 0, AMOUNT)
    monkeypatch.undo()
    with clean_app.app_context():
        assert db.session.execute(select(Bid)).first() is None
        assert db.session.execute(select(BidFile)).first() is None


def test_two_racing_submissions_cannot_both_land(clean_app, auction):
    results = []
    barrier = threading.Barrier(2)

    def attempt(amount):
        client = clean_app.test_client()
        login(client, email_of(clean_app, auction["bidders"][0]))
        page = client.get(f"/notices/{auction['case']}/bid")
        data = _bid_form(auction, amount=str(amount))
        data["csrf_token"] = csrf_from(page.text)
        barrier.wait()
        results.append(client.post(f"/notices/{auction['case']}/bid", data=data,
                                   content_type="multipart/form-data").status_code)

    with freeze_time(auction["during"], tick=True):
        threads = [threading.Thread(target=attempt, args=(a,)) for a in (9_000_000, 8_000_000)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert sorted(results) == [200, 302]
    with clean_app.app_context():
        assert len(db.session.execute(select(Bid)).scalars().all()) == 1


def test_a_submitted_bid_cannot_be_changed_or_resubmitted(clean_app, auction):
    with freeze_time(auction["during"]):
        submit(clean_app, auction, 0, AMOUNT)
        with pytest.raises(ops.BidError, match="提出後の変更・差し替え・撤回はできません"):
            submit(clean_app, auction, 0, AMOUNT - 1)
        client = clean_app.test_client()
        login(client, email_of(clean_app, auction["bidders"][0]))
        assert client.get(f"/notices/{auction['case']}/bid").headers["Location"].endswith("/bid/receipt")


@pytest.mark.parametrize("form, message", [
    ({"document": False}, "次の書類が添付されていません：提出書類1。"),
    ({"lines-0-unit_price": "31,415,925"}, "一致しません"),
    ({"lottery": "12"}, "くじ番号は3桁の数字（000〜999）で入力してください。"),
    ({"amount": "3.5"}, "金額は円単位の整数で入力してください。"),
])
def test_bad_bids_are_explained_and_nothing_is_stored(clean_app, auction, form, message):
    with freeze_time(auction["during"]):
        _, response = _post_bid(clean_app, auction, **form)
    assert response.status_code == 200 and message in response.text
    with clean_app.app_context():
        assert db.session.execute(select(Bid)).first() is None


def test_an_agent_must_attach_a_power_of_attorney(clean_app, auction):
    agent = make_user(clean_app, Role.BIDDER, company_id=auction["companies"][1], acts_as_agent=True)
    with freeze_time(auction["during"]):
        client = clean_app.test_client()
        login(client, email_of(clean_app, agent))
        _, response = _post_bid(clean_app, auction, client=client)
        assert "委任状（代理人による入札のため）" in response.text
        _, response = _post_bid(clean_app, auction, client=client, power_of_attorney=(io.BytesIO(PDF), "inin.pdf"))
        assert response.status_code == 302
    with clean_app.app_context():
        bid = db.session.execute(select(Bid)).scalar_one()
        assert bid.as_agent and [f.label for f in bid.files] == ["提出書類1", "委任状"]


def test_a_tampered_sealed_bid_is_refused_at_the_opening(clean_app, auction):
    with freeze_time(auction["during"]):
        submit(clean_app, auction, 0, AMOUNT)
    with clean_app.app_context():
        bid = db.session.execute(select(Bid)).scalar_one()
        seal = db.session.execute(text("SELECT private_key_sealed FROM case_seals")).scalar_one()
        token = bid.sealed_payload
        broken = token[:-8] + ("A" if token[-8] != "A" else "B") + token[-7:]
        with pytest.raises(sealing.SealError):
            sealing.unseal_all(seal, [(broken, bid.ephemeral_key, bid.fingerprint)])
        with pytest.raises(sealing.SealError):
            sealing.unseal_all(seal, [(token, bid.ephemeral_key, "0" * 64)])
        clean_app.config["TENDER_SEALING_KEY"] = "someone-elses-passphrase"
        try:
            with pytest.raises(ValueError):
                sealing.unseal_all(seal, [(token, bid.ephemeral_key, bid.fingerprint)])
        finally:
            clean_app.config["TENDER_SEALING_KEY"] = "test-sealing-passphrase"

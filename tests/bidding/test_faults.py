"""Faults in the middle of submissions (issue 14 asks to keep such a test in the suite): bidders
submit at once while the database fails some of them halfway. Every accepted bid is intact, every
failed one left nothing behind, and the audit chain still verifies."""
import threading

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from tender.accounts.models import Role
from tender.audit.operations import verify_chain
from tender.bidding import operations as ops
from tender.bidding.models import Bid, BidFile
from tender.extensions import db
from tests.helpers import make_company, make_user
from tests.scenario import seal_bid


def test_concurrent_submissions_with_database_faults_lose_nothing_accepted(clean_app, auction, monkeypatch):
    companies = [make_company(clean_app, name=f"並行{n}株式会社") for n in range(12)]
    bidders = [make_user(clean_app, Role.BIDDER, company_id=c) for c in companies]
    doomed = set(companies[::3])  # every third submission meets a database fault after its insert
    real_record = ops.record

    def faulty(action, target=None, **kw):
        if action == "bid.submitted" and getattr(target, "company_id", None) in doomed:
            raise OperationalError("INSERT INTO audit_events", {}, Exception("connection lost"))
        return real_record(action, target, **kw)

    monkeypatch.setattr(ops, "record", faulty)
    accepted, failed, barrier = {}, [], threading.Barrier(len(companies))

    def attempt(n):
        barrier.wait()
        try:
            done = seal_bid(clean_app, auction["case"], companies[n], bidders[n], 1_000_000 + n,
                              now=auction["during"])
        except OperationalError:
            failed.append(companies[n])
        else:
            accepted[companies[n]] = done

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(len(companies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert set(failed) == doomed and set(accepted) == set(companies) - doomed
    with clean_app.app_context():
        bids = db.session.execute(select(Bid)).scalars().all()
        assert {b.company_id for b in bids} == set(accepted)
        for bid in bids:
            done = accepted[bid.company_id]
            assert (bid.receipt_number, bid.fingerprint) == (done.receipt_number, done.fingerprint)
            assert ops.bid_intact(bid) and len(bid.files) == 1
        assert db.session.scalar(select(func.count()).select_from(BidFile)) == len(accepted)
        assert verify_chain().ok

from datetime import timedelta

import pytest

from tender.accounts.models import Role
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import Procedure
from tests.helpers import make_case, make_company, make_user
from tests.scenario import PDF, pdf, submit_bid  # noqa: F401  (PDF and pdf: used by this package's tests)


@pytest.fixture
def auction(clean_app):
    """A published lowest-price case with 予定価格 10,000,000 (tax included), three bidders and
    two officers who are its opening officials (the second confirms openings)."""
    officer = make_user(clean_app, Role.OFFICER)
    second = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, procedure=Procedure.LOWEST_PRICE, estimated_price=10_000_000,
                        estimated_price_tax_included=True, rules=[("no_suspension", {})], officials=[officer, second])
    companies = [make_company(clean_app, name=f"入札{c}株式会社") for c in "ABC"]
    bidders = [make_user(clean_app, Role.BIDDER, company_id=c) for c in companies]
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        times = {"opens": case.submissions_from, "deadline": case.submission_deadline, "opening": case.opening_at,
                 "document_id": case.required_documents[0].id}
    return {"officer": officer, "second": second, "case": case_id, "companies": companies, "bidders": bidders,
            **times, "during": times["opens"] + timedelta(hours=1)}


def submit(app, auction, i, amount, lottery="123", **kw):
    """Bidder i seals and submits a bid through the operation (the HTTP path has its own tests):
    (bid id, 照合用コード, payload bytes)."""
    kw.setdefault("now", auction["during"])
    done = submit_bid(app, auction["case"], auction["companies"][i], auction["bidders"][i], amount, lottery=lottery, **kw)
    return done.bid_id, done.nonce, done.payload

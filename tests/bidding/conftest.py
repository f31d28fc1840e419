import io
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage

from tender.accounts.models import Role
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import Procedure
from tests.helpers import make_case, make_company, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="teian.pdf", data=PDF):
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/pdf")


@pytest.fixture
def auction(clean_app):
    """A published lowest-price case with 予定価格 10,000,000 (tax included), three bidders and
    two officers (the second confirms openings)."""
    officer = make_user(clean_app, Role.OFFICER)
    second = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, procedure=Procedure.LOWEST_PRICE, estimated_price=10_000_000,
                        estimated_price_tax_included=True, rules=[("no_suspension", {})])
    companies = [make_company(clean_app, name=f"入札{c}株式会社") for c in "ABC"]
    bidders = [make_user(clean_app, Role.BIDDER, company_id=c) for c in companies]
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        times = {"opens": case.submissions_from, "deadline": case.submission_deadline, "opening": case.opening_at,
                 "document_id": case.required_documents[0].id}
    return {"officer": officer, "second": second, "case": case_id, "companies": companies, "bidders": bidders,
            **times, "during": times["opens"] + timedelta(hours=1)}


def submit(app, auction, i, amount, lottery="123", **kw):
    """Submit bidder i's sealed bid through the operation (the HTTP path has its own tests)."""
    from tender.accounts.models import User
    from tender.bidding import operations as ops
    from tender.companies.models import Company
    from tender.rules.bids import BreakdownLine

    with app.app_context():
        case = db.session.get(ProcurementCase, auction["case"])
        user = db.session.get(User, auction["bidders"][i])
        company = db.session.get(Company, auction["companies"][i])
        done = ops.submit(case, company, user, amount=amount, lottery_number=lottery,
                          breakdown=[BreakdownLine("業務一式", 1, "式", amount)],
                          files={auction["document_id"]: pdf()}, **kw)
        db.session.commit()
        return done.bid.id, done.nonce, done.payload

"""The fixtures every test package shares (registered by tests/conftest.py as a plugin): a
published case as a dict, built by tests/scenario.py's one builder. Tests import builders from
tests.scenario, never another package's conftest."""
from datetime import timedelta

import pytest
from freezegun import freeze_time

from tender.accounts.models import Role
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import Procedure
from tests.helpers import make_case, make_company, make_user
from tests.scenario import decide, open_over_http, published_case, submit


@pytest.fixture
def auction(clean_app):
    """A published lowest-price case with 予定価格 10,000,000 (tax included), three bidders and
    two officers who are its opening officials (the second confirms openings)."""
    return published_case(clean_app, Procedure.LOWEST_PRICE, estimated_price=10_000_000, company_prefix="入札")


@pytest.fixture
def tender(clean_app):
    """A published 総合評価 case (the seed's 評価項目一覧, 220 + 110, 予定価格 11,000,000 tax
    included), three bidders, two officers and three evaluators (the first chairs)."""
    return published_case(clean_app, Procedure.COMPREHENSIVE_ADDITION, estimated_price=11_000_000,
                          company_prefix="提案", evaluators=3)


@pytest.fixture
def awarded(clean_app, auction):
    a = auction
    with freeze_time(a["during"]):
        bids = [submit(clean_app, a, i, amount)[0] for i, amount in enumerate([9_000_000, 8_500_000, 9_500_000])]
    decided_at = a["opening"] + timedelta(minutes=5)
    with freeze_time(a["opening"] + timedelta(minutes=1)):
        open_over_http(clean_app, a, attendees=a["companies"])
    with freeze_time(decided_at):
        decide(clean_app, a["case"], a["officer"])
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, a["case"])
        period = (case.contract_from, case.contract_to)
    return {**a, "bids": bids, "decided_at": decided_at, "period": period, "winner": a["companies"][1],
            "winner_user": a["bidders"][1], "runner_up": a["companies"][0]}


@pytest.fixture
def world(clean_app):
    """A published 事前確認公募 with its planned party and one applicant company."""
    officer = make_user(clean_app, Role.OFFICER)
    planned = make_company(clean_app, name="予定業者株式会社")
    case_id = make_case(clean_app, officer, procedure=Procedure.PRIOR_CONFIRMATION, planned_party_id=planned,
                        opening_at=None, estimated_price=None, price_basis="ceiling", budget_ceiling=50_000_000,
                        rules=[("declarations", {})])
    applicant = make_company(clean_app, name="応募株式会社")
    bidder = make_user(clean_app, Role.BIDDER, company_id=applicant)
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        times = {"opens": case.submissions_from, "deadline": case.submission_deadline}
    return {"officer": officer, "case": case_id, "applicant": applicant, "bidder": bidder, "planned": planned, **times}

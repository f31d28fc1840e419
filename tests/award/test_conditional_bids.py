"""入札心得第9条 (条件付きの入札), issue 17: a company whose qualification is still under review may bid
on condition that it is granted; if it is not granted by the opening, its bid is not awarded."""
from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import update

from tender.award import operations as award
from tender.companies.models import Qualification, QualificationCategory
from tender.extensions import db
from tender.notices.models import EligibilityRule, ProcurementCase
from tender.rules.calendar import to_jst
from tests.scenario import open_over_http, submit


def _qualify(app, a, pending_company):
    """The case asks for a 役務 qualification; every bidder holds one, one only under review."""
    with app.app_context():
        db.session.add(EligibilityRule(case_id=a["case"], position=9, kind="unified_qualification",
                                       params={"category": "services", "grades": ["A", "B", "C", "D"],
                                               "regions": [], "fiscal_year": None}))
        for company_id in a["companies"]:
            db.session.add(Qualification(company_id=company_id, category=QualificationCategory("services"), grade="B",
                                         regions=["関東・甲信越"], valid_from_fy=2025, valid_to_fy=2027,
                                         pending=company_id == pending_company))
        db.session.commit()


def test_a_bid_under_a_qualification_still_under_review_is_not_awarded(clean_app, auction):
    a = auction
    cheapest = a["companies"][1]
    _qualify(clean_app, a, cheapest)
    with freeze_time(a["during"]):
        submit(clean_app, a, 0, 9_000_000)
        submit(clean_app, a, 1, 8_500_000)
    with freeze_time(a["opening"] + timedelta(minutes=1)):
        open_over_http(clean_app, a, attendees=a["companies"][:2])
    with clean_app.app_context():
        standing = award.standing(db.session.get(ProcurementCase, a["case"]))
        by_company = {standing.bids[r.bidder].company_id: r for r in standing.evaluation.results}
        assert by_company[cheapest].status == "invalid"
        grounds = {standing.bids[b.bidder].company_id: b.invalid for b in standing.case_input.bids}
        assert "入札心得第9条" in grounds[cheapest]
        assert standing.bids[standing.evaluation.award.bidder].company_id == a["companies"][0]
        # Granted, but only the day after the opening: still not granted by the opening.
        opening_day = to_jst(a["opening"]).date()
        mine = update(Qualification).where(Qualification.company_id == cheapest)
        db.session.execute(mine.values(pending=False, granted_on=opening_day + timedelta(days=1)))
        db.session.commit()
        standing = award.standing(db.session.get(ProcurementCase, a["case"]))
        assert standing.bids[standing.evaluation.award.bidder].company_id == a["companies"][0]
        grounds = {standing.bids[b.bidder].company_id: b.invalid for b in standing.case_input.bids}
        assert "入札心得第9条" in grounds[cheapest]
        # Granted on the opening day: the bid counts again.
        db.session.execute(mine.values(granted_on=opening_day))
        db.session.commit()
        standing = award.standing(db.session.get(ProcurementCase, a["case"]))
        assert standing.bids[standing.evaluation.award.bidder].company_id == cheapest

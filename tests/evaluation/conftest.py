"""A published 総合評価 case (the seed's 評価項目一覧, 220 + 110, 予定価格 11,000,000 tax included),
three bidders, two officers and three evaluators (the first chairs), with helpers that go
through the operations; the HTTP paths have their own tests."""
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage

from tender.accounts.models import Role
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import Procedure
from tests.helpers import make_case, make_company, make_user
from tests.scenario import open_bids as _open_bids
from tests.scenario import release_proposals as _release
from tests.scenario import submit_bid as _submit_bid


@pytest.fixture
def tender(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    second = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, procedure=Procedure.COMPREHENSIVE_ADDITION, estimated_price=11_000_000,
                        estimated_price_tax_included=True, rules=[("no_suspension", {})], officials=[officer, second])
    companies = [make_company(clean_app, name=f"提案{c}株式会社") for c in "ABC"]
    bidders = [make_user(clean_app, Role.BIDDER, company_id=c) for c in companies]
    evaluators = [make_user(clean_app, Role.EVALUATOR) for _ in range(3)]
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        times = {"opens": case.submissions_from, "deadline": case.submission_deadline, "opening": case.opening_at,
                 "document_id": case.required_documents[0].id}
    return {"officer": officer, "second": second, "case": case_id, "companies": companies, "bidders": bidders,
            "evaluators": evaluators, **times, "during": times["opens"] + timedelta(hours=1),
            "after": times["deadline"] + timedelta(minutes=1)}


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
    return _submit_bid(app, t["case"], t["companies"][i], t["bidders"][i], amount, lottery=lottery,
                       marks=default_marks if marks is None else marks, pages=default_pages if pages is None else pages,
                       sheet_file=sheet_file, now=now or t["during"]).bid_id


def release_proposals(app, t, now):
    """提案書の開封 by the two officers (after the deadline)."""
    _release(app, t["case"], t["officer"], t["second"], now)


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
    _open_bids(app, t["case"], t["officer"], t["second"], now, attendees=attendees)

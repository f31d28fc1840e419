"""A case's price-score basis (issue 17): shown on the notice, and what the award's engine reads as
the 入札価格 — the amount written, or that amount with tax (the default for a tax-included 予定価格)."""
from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import update

from tender.award import operations as award
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tests.scenario import open_over_http, submit


def _basis(app, case_id, value):
    with app.app_context():
        db.session.execute(update(ProcurementCase).where(ProcurementCase.id == case_id).values(price_score_basis=value))
        db.session.commit()


def test_the_notice_states_the_basis_and_the_award_reads_it(clean_app, auction):
    a = auction
    visitor = clean_app.test_client()
    assert "入札書に記載された金額に消費税（10%）を加えた金額（1円未満切捨て。落札価格）" in visitor.get(
        f"/notices/{a['case']}").text
    _basis(clean_app, a["case"], "as_written")
    assert "入札書に記載された金額（消費税抜き）を予定価格の制限と比べます" in clean_app.test_client().get(
        f"/notices/{a['case']}").text
    with freeze_time(a["during"]):
        submit(clean_app, a, 0, 9_000_000)
        submit(clean_app, a, 1, 8_500_000)
    with freeze_time(a["opening"] + timedelta(minutes=1)):
        open_over_http(clean_app, a, attendees=a["companies"][:2])
    with clean_app.app_context():
        standing = award.standing(db.session.get(ProcurementCase, a["case"]))
        assert standing is not None and standing.case_input.price_basis == "as_written"
        # Compared as written (8,500,000), not with tax (9,350,000), against 10,000,000 ÷ 1.1.
        assert sorted(r.compared_price for r in standing.evaluation.results) == [8_500_000, 9_000_000]
    _basis(clean_app, a["case"], None)
    with clean_app.app_context():
        standing = award.standing(db.session.get(ProcurementCase, a["case"]))
        assert sorted(r.compared_price for r in standing.evaluation.results) == [9_350_000, 9_900_000]


def test_an_unknown_basis_is_refused_with_a_message(clean_app):
    from tender.notices.operations import CaseError, _apply

    case = ProcurementCase()
    try:
        _apply(case, {"price_score_basis": "gross"})
    except CaseError as exc:
        assert "比べる入札価格" in str(exc) and exc.field == "price_score_basis"
    else:
        raise AssertionError("refused")

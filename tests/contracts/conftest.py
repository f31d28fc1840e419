"""A lowest-price case awarded to 入札B株式会社 (8,500,000 yen tax excluded), 入札A株式会社 second
(9,000,000), 入札C株式会社 over the estimate: the ground every contract test starts from."""
from datetime import timedelta

import pytest
from freezegun import freeze_time

from tender.extensions import db
from tests.bidding.conftest import auction, pdf, submit  # noqa: F401  (the fixture)
from tests.bidding.test_opening import _open
from tests.helpers import email_of, login, post_form


def client_of(app, user_id):
    client = app.test_client()
    login(client, email_of(app, user_id))
    return client


def decide(app, case_id, officer_id):
    client = client_of(app, officer_id)
    url = f"/cases/{case_id}/award"
    response = post_form(client, f"{url}/decide", {"grounds": "最低価格"}, form_url=url, follow=True)
    assert "落札者を決定し" in response.text, response.text
    return client


@pytest.fixture
def awarded(clean_app, auction):  # noqa: F811
    a = auction
    with freeze_time(a["during"]):
        bids = [submit(clean_app, a, i, amount)[0] for i, amount in enumerate([9_000_000, 8_500_000, 9_500_000])]
    decided_at = a["opening"] + timedelta(minutes=5)
    with freeze_time(a["opening"] + timedelta(minutes=1)):
        _open(clean_app, a, attendees=a["companies"])
    with freeze_time(decided_at):
        decide(clean_app, a["case"], a["officer"])
    with clean_app.app_context():
        from tender.notices.models import ProcurementCase

        case = db.session.get(ProcurementCase, a["case"])
        period = (case.contract_from, case.contract_to)
    return {**a, "bids": bids, "decided_at": decided_at, "period": period, "winner": a["companies"][1],
            "winner_user": a["bidders"][1], "runner_up": a["companies"][0]}


def draft(app, t, when=None):
    """The officer creates the draft through HTTP; returns (client, contract id)."""
    from sqlalchemy import select

    from tender.contracts.models import Contract

    with freeze_time(when or t["decided_at"] + timedelta(minutes=5)):
        officer = client_of(app, t["officer"])
        url = f"/cases/{t['case']}/contract"
        response = post_form(officer, url, {}, form_url=url, follow=True)
        assert "契約書（案）を作成しました" in response.text, response.text
    with app.app_context():
        contract_id = db.session.execute(select(Contract.id).order_by(Contract.id.desc())).scalars().first()
    return officer, contract_id


def post_row(client, url: str, prefix: str, data: dict, *, form_url: str, files=None):
    """Post a per-row form (its fields, CSRF token included, carry the row's prefix), as the page would."""
    from tests.conftest import csrf_from

    token = csrf_from(client.get(form_url).text)
    body = {f"{prefix}-{k}": v for k, v in data.items()} | {f"{prefix}-csrf_token": token}
    if files:
        body |= {f"{prefix}-{k}": v for k, v in files.items()}
        return client.post(url, data=body, content_type="multipart/form-data", follow_redirects=True)
    return client.post(url, data=body, follow_redirects=True)

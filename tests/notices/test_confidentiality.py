"""予定価格 is sealed when entered: nobody — the officer who typed it included — reads it before the
two-person opening; afterwards officers and auditors do [002 §1; issue 13 item 2]."""
import pytest
from sqlalchemy import select

from tender.accounts.models import Role
from tender.audit.models import AuditEvent
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import CaseState
from tests.helpers import email_of, login, make_case, make_company, make_user

PRICE = 12_345_678
SHOWN = "金12,345,678円"


def _page_texts(client, case_id):
    texts = []
    for url in [f"/cases/{case_id}", f"/notices/{case_id}", "/notices", "/cases", f"/cases/{case_id}/amend",
                f"/cases/{case_id}/edit", "/audit", "/home"]:
        response = client.get(url, follow_redirects=True)
        texts.append(response.get_data(as_text=True))
    return "\n".join(texts)


@pytest.mark.parametrize("role, sees", [
    ("case_officer", False),  # sealed when entered: not even the officer who typed it reads it back
    (Role.OFFICER, False),
    (Role.AUDITOR, False),
    (Role.ADMIN, False),
    (Role.EVALUATOR, False),
    (Role.BIDDER, False),
    ("anonymous", False),
])
def test_estimated_price_before_opening(clean_app, role, sees):
    owner = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, owner, estimated_price=PRICE)
    client = clean_app.test_client()
    if role == "case_officer":
        login(client, email_of(clean_app, owner))
    elif role != "anonymous":
        extra = {"company_id": make_company(clean_app)} if role is Role.BIDDER else {}
        login(client, email_of(clean_app, make_user(clean_app, role, **extra)))
    text = _page_texts(client, case_id)
    assert (SHOWN in text) is sees
    assert "12345678" not in text  # never in raw form (exports, JSON, logs shown on screens)


def test_estimated_price_is_encrypted_at_rest_and_absent_from_the_audit_trail(clean_app):
    owner = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, owner, estimated_price=PRICE)
    client = clean_app.test_client()
    login(client, email_of(clean_app, owner))
    client.get(f"/cases/{case_id}")
    with clean_app.app_context():
        clear, sealed = db.session.execute(db.text(
            "SELECT estimated_price_secret, estimated_price_envelope FROM procurement_cases")).one()
        assert clear is None and str(PRICE) not in sealed
        summaries = " ".join(db.session.execute(select(AuditEvent.summary)).scalars())
        assert str(PRICE) not in summaries and "12,345,678" not in summaries
        # Nothing was shown, so no view is recorded.
        assert not db.session.execute(select(AuditEvent).where(
            AuditEvent.action == "case.estimated_price_viewed")).scalars().all()


def test_after_the_opening_officers_and_auditors_see_it_but_not_the_public(clean_app):
    from tests.scenario import open_sealed

    owner, second = make_user(clean_app, Role.OFFICER), make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, owner, estimated_price=PRICE, officials=[owner, second])
    with clean_app.app_context():
        opening = db.session.get(ProcurementCase, case_id).opening_at
    # The two-person opening unseals it (no bids came; an auditor witnesses).
    open_sealed(clean_app, case_id, owner, second, opening, attendees=[], witness_user_id=make_user(clean_app, Role.AUDITOR))
    with clean_app.app_context():
        assert db.session.get(ProcurementCase, case_id).state is CaseState.OPENED
    for role, sees in [(Role.OFFICER, True), (Role.AUDITOR, True), (Role.ADMIN, False)]:
        client = clean_app.test_client()
        login(client, email_of(clean_app, make_user(clean_app, role)))
        assert (SHOWN in _page_texts(client, case_id)) is sees, role
    assert SHOWN not in _page_texts(clean_app.test_client(), case_id)

"""In a real browser: an auditor goes from the list of cases to a case's record, finds an
evaluator's marks among the decisions, and follows them to the audit event that recorded them."""
import pytest
from playwright.sync_api import expect

from tender.accounts.models import Role, User
from tender.extensions import db
from tests.browser.conftest import log_in
from tests.helpers import email_of, events, make_user
from tests.scenario import evaluated_and_awarded as _evaluated_and_awarded

pytestmark = pytest.mark.browser


def test_auditor_walks_from_a_case_to_an_evaluators_mark_and_its_event(page, clean_app, tender):
    t = tender
    with clean_app.app_context():  # a name to find the evaluator by among the decisions
        db.session.get(User, t["evaluators"][1]).name = "審査 花子"
        db.session.commit()
    _evaluated_and_awarded(clean_app, t)
    recorded = next(e for e in events(clean_app, "evaluation.marks_submitted") if e.actor_id == t["evaluators"][1])
    auditor = make_user(clean_app, Role.AUDITOR)

    log_in(page, email_of(clean_app, auditor))
    page.get_by_role("link", name="案件の記録").first.click()
    page.get_by_role("link", name="令和8年度 電子調達システム運用保守業務").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("案件の記録")
    decisions = page.locator("#decisions")
    expect(decisions).to_contain_text("総合評価点が最も高い者を落札者とする")
    card = decisions.locator(".card", has_text="審査 花子")
    expect(card).to_contain_text("評価の提出")
    expect(card.locator("table")).to_contain_text("met")  # the marks themselves
    card.get_by_role("link", name=f"記録したイベント #{recorded.seq}").click()
    page.wait_for_url(f"**/audit/events/{recorded.seq}")
    event = page.locator("#event")
    expect(event).to_contain_text("審査員の評価の提出")
    expect(event).to_contain_text(email_of(clean_app, t["evaluators"][1]))  # the trail names the account
    expect(event).to_contain_text("内容はハッシュと一致")
    expect(event).to_contain_text(f"直前のイベント（#{recorded.seq - 1}）と連鎖")

"""The same award page decides a lowest-price case: the engine's lowest_price method."""
from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tender.award.models import AwardDecision
from tender.extensions import db
from tender.rules.lifecycle import CaseState
from tests.helpers import case_state, email_of, login, post_form
from tests.scenario import open_over_http as _open
from tests.scenario import submit


def test_the_lowest_valid_bid_within_the_estimate_is_awarded(clean_app, auction):
    with freeze_time(auction["during"]):
        for i, amount in enumerate([9_000_000, 8_500_000, 9_500_000]):
            submit(clean_app, auction, i, amount)
    with freeze_time(auction["opening"] + timedelta(minutes=1)):
        _open(clean_app, auction, attendees=auction["companies"])
        officer = clean_app.test_client()
        login(officer, email_of(clean_app, auction["officer"]))
        url = f"/cases/{auction['case']}/award"
        page = officer.get(url).text
        assert "落札候補：</b>入札B株式会社" in page and "予定価格超過" in page
        # One 落札候補; the other valid bid ranks after it (issue 19: both read 落札候補).
        assert page.count("<td>落札候補</td>") == 1 and page.count("<td>有効（落札候補に次ぐ順位）</td>") == 1
        assert f'href="{url}/decide"' in page  # the decision is a confirmation page away
        confirm = officer.get(f"{url}/decide").text  # issue 19: what will happen, and that it cannot be undone
        assert "最低の価格をもって入札した入札B株式会社を落札者とする" in confirm  # the grounds, prefilled
        assert "落札者の決定（確認）" in confirm and "この操作は取り消せません" in confirm and "入札者全員に" in confirm
        assert "入札B株式会社" in confirm and "契約書の提出期限" in confirm
        assert "落札候補：</b>入札B株式会社" in officer.get(url).text  # looking decided nothing
        assert officer.get(f"{url}/score-sheet.xlsx").status_code == 404  # no 総合評価点 here
        assert officer.get(f"{url}/evaluation-case.json").json["method"] == "lowest_price"
        done = post_form(officer, f"{url}/decide", {"grounds": "最低価格"}, form_url=url, follow=True)
        assert "落札者を決定し" in done.text
        again = post_form(officer, f"{url}/decide", {"grounds": "二度目"}, form_url=url, follow=True)
        assert "決定済み" in again.text or "落札者を決定する" not in again.text
    assert case_state(clean_app, auction["case"]) is CaseState.AWARDED
    with clean_app.app_context():
        assert len(db.session.execute(select(AwardDecision)).scalars().all()) == 1

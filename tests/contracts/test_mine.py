"""自社の入札と契約 (issue 19): a bidder lists its company's bids with their state and result, and its
contracts; another company's never shows, and the page is the bidders' own."""
from datetime import timedelta

from freezegun import freeze_time

from tender.bidding.models import Bid
from tender.extensions import db
from tests.scenario import client_of, draft


def test_the_winner_and_the_runner_up_each_see_their_own_bid_result_and_contract(clean_app, awarded):
    t = awarded
    _, contract_id = draft(clean_app, t)
    with clean_app.app_context():
        receipts = {b.company_id: b.receipt_number for b in db.session.query(Bid).all()}
    with freeze_time(t["decided_at"] + timedelta(minutes=30)):
        winner = client_of(clean_app, t["winner_user"]).get("/mine").text
        runner_up = client_of(clean_app, t["bidders"][0]).get("/mine").text
    assert receipts[t["winner"]] in winner and "落札</span>" in winner
    assert receipts[t["runner_up"]] not in winner
    assert f'href="/contracts/{contract_id}"' in winner and "金9,350,000円" in winner
    assert receipts[t["runner_up"]] in runner_up and "落札に至らず" in runner_up
    assert f'href="/contracts/{contract_id}"' not in runner_up and "契約はまだありません" in runner_up
    assert "自社の入札と契約" in winner  # the menu links it


def test_everyone_sees_the_result_and_the_contract_once_published(clean_app, awarded):
    """Issue 19: the public 入札結果 — 落札者, 落札金額 (税込), 入札者数 — linked from the notice, and the
    contract's information once it is published (公表); nothing before the award."""
    from datetime import datetime, time

    from tender.rules.calendar import JST
    from tests.scenario import published

    t = awarded
    visitor = clean_app.test_client()
    with freeze_time(t["decided_at"] + timedelta(minutes=1)):
        page = visitor.get(f"/notices/{t['case']}/outcome").text
        assert "入札B株式会社" in page and "金9,350,000円" in page and "3者" in page
        assert "契約に係る情報の公表" not in page
        assert f"/notices/{t['case']}/outcome" in visitor.get(f"/notices/{t['case']}").text
    _, signed_on = published(clean_app, t)
    with freeze_time(datetime.combine(signed_on, time(12), tzinfo=JST)):
        page = clean_app.test_client().get(f"/notices/{t['case']}/outcome").text
    assert "契約に係る情報の公表" in page and "一者応札・応募" in page


def test_no_result_before_the_award(clean_app, auction):
    assert clean_app.test_client().get(f"/notices/{auction['case']}/outcome").status_code == 404


def test_the_contract_list_filters_by_name_or_number_what_is_unpublished_and_the_officers_own(clean_app, awarded):
    """Issue 19: filterable lists — a word of the company or the contract number, full or half width
    alike; the contracts still to publish; the officer's own cases."""
    import re
    from datetime import datetime, time

    from tender.accounts.models import Role
    from tender.rules.calendar import JST
    from tests.helpers import make_user, post_form
    from tests.scenario import signed

    t = awarded
    contract_id, signed_on = signed(clean_app, t, number="R8-契-042")
    with freeze_time(datetime.combine(signed_on, time(11), tzinfo=JST)):
        officer = client_of(clean_app, t["officer"])

        def listed(query):
            html = officer.get(f"/contracts{query}").text.split("締結した契約と公表", 1)[1]
            return re.findall(r'href="/contracts/(\d+)"', html)

        assert listed("") == [str(contract_id)]
        assert listed("?q=入札Ｂ") == [str(contract_id)]  # full-width Ｂ finds 入札B株式会社
        assert listed("?q=契-042") == [str(contract_id)]
        assert listed("?q=存在しない会社") == []
        assert listed("?unpublished=1") == [str(contract_id)]
        post_form(officer, f"/contracts/{contract_id}/publish", {"published_on": signed_on.isoformat()},
                  form_url=f"/contracts/{contract_id}")
        assert listed("?unpublished=1") == []
        assert listed("?mine=1") == [str(contract_id)]
        other = client_of(clean_app, make_user(clean_app, Role.OFFICER))
        html = other.get("/contracts?mine=1").text.split("締結した契約と公表", 1)[1]
        assert f'href="/contracts/{contract_id}"' not in html

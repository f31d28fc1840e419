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

"""The opening (開札): two officials, a witness, then amounts; invalid bids, the lowest-price
outcome, re-bids (再度入札) and the electronic lottery (電子くじ)."""
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from tender.accounts.models import Role
from tender.bidding.models import Bid, BidDecline, BidRound, Lottery
from tender.companies.models import Suspension
from tender.extensions import db
from tender.rules import bids as rules
from tender.rules.lifecycle import CaseState
from tests.helpers import OPENING_PASSPHRASE, award_standing, case_state, email_of, events, login, make_user, post_form
from tests.scenario import client_of as _officer
from tests.scenario import open_over_http as _open
from tests.scenario import post_row, submit
from tests.scenario import request_opening_over_http as _request


def db_count(app, model) -> int:
    with app.app_context():
        return len(db.session.execute(select(model)).scalars().all())


def _bids(app):
    with app.app_context():
        rows = db.session.execute(select(Bid).order_by(Bid.id)).scalars().all()
        db.session.expunge_all()
        return rows


def test_opening_waits_for_the_opening_time(clean_app, auction):
    with freeze_time(auction["during"]):
        submit(clean_app, auction, 0, 9_000_000)
    with freeze_time(auction["opening"] - timedelta(seconds=1)):
        _, response = _request(clean_app, auction)
    assert "開札は開札日時" in response.text and "以降に行えます" in response.text


def test_the_officer_who_asked_cannot_confirm_alone(clean_app, auction):
    with freeze_time(auction["during"]):
        submit(clean_app, auction, 0, 9_000_000)
    with freeze_time(auction["opening"]):
        client, response = _request(clean_app, auction)
        assert "別の開札担当職員の確認" in response.text
        response = post_form(client, f"/cases/{auction['case']}/opening/confirm", {"passphrase": OPENING_PASSPHRASE},
                             form_url=f"/cases/{auction['case']}/opening", follow=True)
        assert "開札を求めた職員とは別の職員が確認してください" in response.text
    assert _bids(clean_app)[0].amount is None


def test_without_bidders_present_the_witness_must_be_unrelated_staff(clean_app, auction):
    with freeze_time(auction["during"]):
        submit(clean_app, auction, 0, 9_000_000)
    with freeze_time(auction["opening"]):
        _, response = _request(clean_app, auction, attendees=(), kind="bidder")
    assert "入札事務に関係のない職員を立会人としてください" in response.text


def test_two_officials_and_a_witness_open_the_bids(clean_app, auction):
    with freeze_time(auction["during"]):
        for i, amount in enumerate([9_000_000, 8_500_000, 9_500_000]):
            submit(clean_app, auction, i, amount)
    with freeze_time(auction["opening"] + timedelta(minutes=1)):
        second, response = _open(clean_app, auction, attendees=auction["companies"][:2])
        standing = award_standing(second, auction["case"])
    assert "開札しました。" in response.text
    page = response.text
    assert "金8,500,000円" in page and "金9,350,000円" in page  # bid and its 落札価格 basis
    assert "落札候補：入札B株式会社" in standing
    assert standing.count("予定価格超過") == 1  # 9,500,000 + 10% = 10,450,000 > 10,000,000
    assert case_state(clean_app, auction["case"]) is CaseState.OPENED
    opened = events(clean_app, "opening.confirmed")[0]
    assert opened.actor_id == auction["second"] and "立会 一郎" in opened.summary
    requested = events(clean_app, "opening.requested")[0]
    assert requested.actor_id == auction["officer"]
    bidder = clean_app.test_client()
    login(bidder, email_of(clean_app, auction["bidders"][1]))
    receipt = bidder.get(f"/notices/{auction['case']}/bid/receipt").text
    assert "有効" in receipt and "金8,500,000円" in receipt


def test_administrator_never_reaches_the_opening(clean_app, auction):
    admin = _officer(clean_app, make_user(clean_app, Role.ADMIN))
    assert admin.get(f"/cases/{auction['case']}/opening").status_code == 403


def test_an_unqualified_bidder_is_marked_invalid_automatically(clean_app, auction):
    with clean_app.app_context():
        deadline = auction["deadline"]
        from tender.rules.calendar import to_jst
        day = to_jst(deadline).date()
        db.session.add(Suspension(company_id=auction["companies"][0], issuer="某省", starts_on=day - timedelta(days=1),
                                  ends_on=day + timedelta(days=30), reason="談合"))
        db.session.commit()
    with freeze_time(auction["during"]):
        # Warned before it bids, and told why (issue 19); a qualified company is not.
        page = _officer(clean_app, auction["bidders"][0]).get(f"/notices/{auction['case']}/bid").text
        assert "貴社は次の参加資格を満たしていません" in page and "某省による指名停止" in page
        other = _officer(clean_app, auction["bidders"][1]).get(f"/notices/{auction['case']}/bid").text
        assert "参加資格を満たしていません" not in other
        submit(clean_app, auction, 0, 8_000_000)
        submit(clean_app, auction, 1, 9_000_000)
    with freeze_time(auction["opening"]):
        officer, _ = _open(clean_app, auction, attendees=auction["companies"][:2])
        standing = award_standing(officer, auction["case"])
    first, second = _bids(clean_app)
    assert first.status == "invalid" and first.invalid_ground == "no_qualification"
    assert "指名停止" in first.invalid_reason
    assert second.status == "valid"
    assert "落札候補：入札B株式会社" in standing
    invalidated = events(clean_app, "bid.invalidated")[0]
    assert '"automatic":true' in invalidated.summary


@pytest.mark.parametrize("ground", [g for g in rules.InvalidGround])
def test_every_invalid_ground_can_be_recorded_with_its_reason(clean_app, auction, ground):
    with freeze_time(auction["during"]):
        submit(clean_app, auction, 0, 8_000_000)
        submit(clean_app, auction, 1, 9_000_000)
    with freeze_time(auction["opening"]):
        _open(clean_app, auction, attendees=auction["companies"][:2])
        officer = _officer(clean_app, auction["officer"])
        bid = _bids(clean_app)[0]
        response = post_row(officer, f"/cases/{auction['case']}/bids/{bid.id}/invalid", f"invalid{bid.id}",
                            {"ground": ground.value, "reason": "金額欄に訂正の跡があった。"},
                            form_url=f"/cases/{auction['case']}/opening")
        assert f"受理番号 {bid.receipt_number} を無効としました。" in response.text
        # The invalid bid takes no further part.
        assert "落札候補：入札B株式会社" in award_standing(officer, auction["case"])
        bidder = _officer(clean_app, auction["bidders"][0])
        receipt = bidder.get(f"/notices/{auction['case']}/bid/receipt").text
    assert "無効" in receipt and ground.article in receipt and "金額欄に訂正の跡があった。" in receipt


def test_invalidating_needs_a_reason(clean_app, auction):
    with freeze_time(auction["during"]):
        submit(clean_app, auction, 0, 8_000_000)
    with freeze_time(auction["opening"]):
        _open(clean_app, auction, attendees=auction["companies"][:1])
        officer = _officer(clean_app, auction["officer"])
        bid = _bids(clean_app)[0]
        response = post_row(officer, f"/cases/{auction['case']}/bids/{bid.id}/invalid", f"invalid{bid.id}",
                            {"ground": "collusion", "reason": ""}, form_url=f"/cases/{auction['case']}/opening")
    assert "無効とする理由を入力してください。" in response.text and _bids(clean_app)[0].status == "valid"


def test_nothing_within_the_ceiling_leads_to_a_rebid_for_those_present(clean_app, auction):
    with freeze_time(auction["during"]):
        for i, amount in enumerate([9_500_000, 9_200_000, 9_900_000]):  # all over 10,000,000 with tax
            submit(clean_app, auction, i, amount)
    with freeze_time(auction["opening"]):
        _open(clean_app, auction, attendees=auction["companies"][:2])
        officer = _officer(clean_app, auction["officer"])
        assert "予定価格の制限内の入札なし：再度入札" in award_standing(officer, auction["case"])
        url = f"/cases/{auction['case']}/award"
        response = post_form(officer, f"{url}/rebid", {"minutes": "30", "grounds": "予定価格超過のため"},
                             form_url=url, follow=True)
        assert "再度入札" in response.text and response.status_code == 200
    with clean_app.app_context():
        second_round = db.session.execute(select(BidRound).where(BidRound.number == 2)).scalar_one()
        assert second_round.eligible_company_ids == sorted(auction["companies"][:2])
        declines = db.session.execute(select(BidDecline)).scalars().all()
        assert [(d.company_id, d.reason) for d in declines] == [(auction["companies"][2], "absent")]
    with freeze_time(auction["opening"] + timedelta(minutes=10)):
        from tender.bidding.operations import BidError
        with pytest.raises(BidError, match="開札に立ち会った入札者に限られます"):
            submit(clean_app, auction, 2, 8_000_000)
        bidder_b = _officer(clean_app, auction["bidders"][1])
        post_form(bidder_b, f"/notices/{auction['case']}/bid/decline", {}, form_url=f"/notices/{auction['case']}/bid/receipt")
        submit(clean_app, auction, 0, 8_900_000)
    with freeze_time(auction["opening"] + timedelta(minutes=31)):
        officer, _ = _open(clean_app, auction, attendees=auction["companies"][:1])
        assert "落札候補：入札A株式会社" in award_standing(officer, auction["case"])
    assert _bids(clean_app)[-1].amount == 8_900_000


def test_a_tie_is_settled_by_a_recorded_verifiable_lottery(clean_app, auction):
    with freeze_time(auction["during"]):
        submit(clean_app, auction, 0, 8_000_000, lottery="123")
        submit(clean_app, auction, 1, 8_000_000, lottery="456")
        submit(clean_app, auction, 2, 8_000_000, lottery="789")
    with freeze_time(auction["opening"]):
        _open(clean_app, auction, attendees=auction["companies"])
        officer = _officer(clean_app, auction["officer"])
        assert "同点：くじにより決定" in award_standing(officer, auction["case"])
        url = f"/cases/{auction['case']}/award"
        response = post_form(officer, f"{url}/lottery", {"witness_name": "くじ 立会"}, form_url=url, follow=True)
        assert "電子くじの結果" in response.text and "受理時乱数" in response.text
        again = post_form(officer, f"{url}/lottery", {"witness_name": "くじ 立会"}, form_url=url, follow=True)
        assert "くじは" in again.text and db_count(clean_app, Lottery) == 1
    with clean_app.app_context():
        lot = db.session.execute(select(Lottery)).scalar_one()
        bids = {b.id: b for b in db.session.execute(select(Bid)).scalars()}
        entries = [rules.LotteryEntry(e["bid_id"], e["number"], e["order"], e["receipt_random"]) for e in lot.entries]
        assert [e.number for e in entries] == [123, 456, 789]
        # Every input was committed before the deadline: the receipt's random, the sealed number.
        assert [e.receipt_random for e in entries] == [bids[e.bid_id].receipt_random for e in entries]
        redrawn = rules.draw(entries)
        assert list(redrawn.ranking) == lot.ranking and rules.verify(entries, redrawn)
        assert sorted(lot.ranking) == sorted(bids)
    assert '"receipt_random"' in events(clean_app, "lottery.drawn")[0].summary

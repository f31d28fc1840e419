"""Issue 13 item 1: a 訂正 that moves the submission deadline or the opening moves the bid round
with it, in the same transaction, whether or not a bid has arrived; a re-bid keeps its own times.

The bug this guards against: the first round copied the case's times when its first bid
arrived, so a later amendment moved the public notice but not the round — a bidder was refused
as late while the notice showed ten more days, and the bids could be opened 11 days before the
published deadline.
"""
from datetime import timedelta

import pytest

from tender.accounts.models import Role, User
from tender.award import operations as award
from tender.bidding import operations as ops
from tender.extensions import db
from tender.notices import operations as notices
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import TransitionError
from tests.helpers import email_of, login
from tests.scenario import submit


def _amend(app, auction, *, deadline_days: int, opening_days: int, at):
    """Move the deadline and the opening ``deadline_days`` / ``opening_days`` from their current values."""
    with app.app_context():
        case = db.session.get(ProcurementCase, auction["case"])
        values = {"submission_deadline": case.submission_deadline + timedelta(days=deadline_days),
                  "opening_at": case.opening_at + timedelta(days=opening_days)}
        notices.amend(case, values, "提出期限と開札日時を変更します。", by=db.session.get(User, auction["officer"]), now=at,
                      shortening_reason="予算執行の日程が早まったため" if deadline_days < 0 else "")
        db.session.commit()
        return values["submission_deadline"], values["opening_at"]


def _request_opening(app, auction, now):
    from tests.helpers import make_user
    from tests.scenario import request_opening

    request_opening(app, auction["case"], auction["officer"], now, attendees=[],
                    witness_user_id=make_user(app, Role.AUDITOR))


def _round_times(app, auction):
    with app.app_context():
        bid_round = ops.current_round(db.session.get(ProcurementCase, auction["case"]))
        return bid_round.submission_deadline, bid_round.opening_at


@pytest.mark.parametrize("first_bid_before_amendment", [True, False])
def test_deadline_and_opening_moved_later(clean_app, auction, first_bid_before_amendment):
    old_deadline, old_opening = auction["deadline"], auction["opening"]
    if first_bid_before_amendment:
        submit(clean_app, auction, 0, 9_000_000, now=auction["during"])
    deadline, opening = _amend(clean_app, auction, deadline_days=10, opening_days=10,
                               at=auction["during"] + timedelta(hours=1))
    if not first_bid_before_amendment:
        submit(clean_app, auction, 0, 9_000_000, now=auction["during"])
    assert _round_times(clean_app, auction) == (deadline, opening)
    # After the old deadline, before the new one: accepted, as the notice says.
    bid_id, _, _ = submit(clean_app, auction, 1, 8_500_000, now=old_deadline + timedelta(days=2))
    assert bid_id
    # The old opening time no longer opens anything (it is even before the new deadline).
    with pytest.raises(ops.BidError, match="開札"):
        _request_opening(clean_app, auction, old_opening + timedelta(hours=1))
    _request_opening(clean_app, auction, opening)


@pytest.mark.parametrize("first_bid_before_amendment", [True, False])
def test_deadline_and_opening_moved_earlier(clean_app, auction, first_bid_before_amendment):
    if first_bid_before_amendment:
        submit(clean_app, auction, 0, 9_000_000, now=auction["during"])
    deadline, opening = _amend(clean_app, auction, deadline_days=-5, opening_days=-5,
                               at=auction["during"] + timedelta(hours=1))
    if not first_bid_before_amendment:
        submit(clean_app, auction, 0, 9_000_000, now=auction["during"])
    assert _round_times(clean_app, auction) == (deadline, opening)
    with pytest.raises(ops.BidError, match="締め切りました"):
        submit(clean_app, auction, 1, 8_500_000, now=deadline + timedelta(seconds=1))
    with pytest.raises(ops.BidError, match="開札日時"):
        _request_opening(clean_app, auction, opening - timedelta(minutes=1))
    _request_opening(clean_app, auction, opening)


def test_the_bid_page_shows_the_amended_deadline(clean_app, auction):
    from freezegun import freeze_time

    submit(clean_app, auction, 0, 9_000_000, now=auction["during"])
    deadline, _ = _amend(clean_app, auction, deadline_days=10, opening_days=10, at=auction["during"] + timedelta(hours=1))
    client = clean_app.test_client()
    with freeze_time(auction["during"] + timedelta(hours=2)):
        login(client, email_of(clean_app, auction["bidders"][1]))
        page = client.get(f"/notices/{auction['case']}/bid").text
    from tender.rules.calendar import to_jst

    assert f"{to_jst(deadline).hour}時{to_jst(deadline):%M分%S秒}" in page
    from tender.rules.wareki import format_wareki

    assert format_wareki(to_jst(deadline).date()) in page
    assert format_wareki(to_jst(auction["deadline"]).date()) not in page


def test_a_rebid_round_keeps_its_own_times_and_the_notice_cannot_move_them(clean_app, auction):
    # Every bid over 予定価格 (10,000,000 tax included): the officer starts a 30-minute re-bid.
    for i in range(2):
        submit(clean_app, auction, i, 9_500_000, now=auction["during"])
    opening = auction["opening"]
    from tests.scenario import open_sealed

    open_sealed(clean_app, auction["case"], auction["officer"], auction["second"], opening, attendees=auction["companies"][:2])
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, auction["case"])
        second = award.rebid(case, 30, "予定価格の制限に達した入札なし", by=db.session.get(User, auction["officer"]),
                             now=opening + timedelta(minutes=10))
        db.session.commit()
        assert second.number == 2
        assert second.submission_deadline == opening + timedelta(minutes=40) == second.opening_at
    with clean_app.app_context(), pytest.raises((notices.CaseError, TransitionError)):
        notices.amend(db.session.get(ProcurementCase, auction["case"]),
                      {"submission_deadline": auction["deadline"] + timedelta(days=30)}, "延長",
                      by=db.session.get(User, auction["officer"]), now=opening + timedelta(minutes=15))
    with clean_app.app_context():
        assert ops.current_round(db.session.get(ProcurementCase, auction["case"])).submission_deadline \
            == opening + timedelta(minutes=40)
    submit(clean_app, auction, 0, 9_000_000, now=opening + timedelta(minutes=39))
    with pytest.raises(ops.BidError):
        submit(clean_app, auction, 1, 8_900_000, now=opening + timedelta(minutes=41))

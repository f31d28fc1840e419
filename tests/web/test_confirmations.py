"""Issue 19: irreversible steps confirm first. Publishing a case, confirming an opening, deciding an
award (tests/award/test_lowest_price_award.py), signing off the consensus (tests/evaluation/
test_panel.py) and recording a contract's signature each have a confirmation page at the step's own
URL: it restates what will happen and what cannot be undone, looking at it changes nothing, its
button does the step, and a mistake (a wrong passphrase) is said on that page without losing it."""
import re
from datetime import datetime, time, timedelta

from freezegun import freeze_time

from tender.bidding.models import BidRound, RoundState
from tender.contracts.models import Contract, ContractState
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules.calendar import JST
from tender.rules.lifecycle import CaseState
from tests.helpers import OPENING_PASSPHRASE, login_as, make_case, post_form
from tests.scenario import client_of, draft, request_opening, submit


def test_publishing_restates_the_notice_and_happens_only_from_the_confirmation(client, clean_app):
    officer = login_as(client, clean_app)
    case_id = make_case(clean_app, officer, publish=False, title="庁舎清掃業務")
    page = client.get(f"/cases/{case_id}").text
    assert f'href="/cases/{case_id}/publish"' in page and "公告する（確認へ）" in page
    confirm = client.get(f"/cases/{case_id}/publish").text
    assert "公告（確認）" in confirm and "庁舎清掃業務" in confirm and "提出期限" in confirm
    assert "この操作は取り消せません" in confirm and "訂正" in confirm
    assert re.search(r"令和\d+年\d+月\d+日（[月火水木金土日]） \d+時\d\d分", confirm)  # 和暦 with 曜日
    with clean_app.app_context():
        assert db.session.get(ProcurementCase, case_id).state == CaseState.DRAFT  # looking published nothing
    done = post_form(client, f"/cases/{case_id}/publish", {}, follow=True)
    assert "公告しました" in done.text
    with clean_app.app_context():
        assert db.session.get(ProcurementCase, case_id).state == CaseState.PUBLISHED
    again = client.get(f"/cases/{case_id}/publish", follow_redirects=True)
    assert "公告済みです" in again.text  # nothing left to confirm


def test_the_opening_confirmation_restates_the_round_and_a_wrong_passphrase_is_said_there(clean_app, auction):
    a = auction
    with freeze_time(a["during"]):
        for i, amount in enumerate([9_000_000, 8_500_000]):
            submit(clean_app, a, i, amount)
    request_opening(clean_app, a["case"], a["officer"], a["opening"] + timedelta(minutes=1))
    url = f"/cases/{a['case']}/opening/confirm"
    with freeze_time(a["opening"] + timedelta(minutes=2)):
        second = client_of(clean_app, a["second"])
        assert f'href="{url}"' in second.get(f"/cases/{a['case']}/opening").text
        confirm = second.get(url).text
        assert "開札（第1回）（確認）" in confirm and "2件（封印中）" in confirm and "立会 一郎" in confirm
        assert "封印に戻せません" in confirm and 'name="passphrase"' in confirm
        wrong = post_form(second, url, {"passphrase": "まちがったパスフレーズです"})
        assert wrong.status_code == 200 and "開札（第1回）（確認）" in wrong.text  # still on the confirmation
        assert "パスフレーズ" in wrong.text and 'role="alert"' in wrong.text
        with clean_app.app_context():
            assert db.session.query(BidRound).one().state == RoundState.REQUESTED
        done = post_form(second, url, {"passphrase": OPENING_PASSPHRASE}, follow=True)
    assert "開札しました" in done.text
    with clean_app.app_context():
        assert db.session.query(BidRound).one().state == RoundState.OPENED


def test_signing_a_contract_restates_it_and_keeps_what_was_typed_when_refused(clean_app, awarded):
    t = awarded
    officer, contract_id = draft(clean_app, t)
    with clean_app.app_context():
        deadline = db.session.get(Contract, contract_id).deadline
    url = f"/contracts/{contract_id}/sign"
    with freeze_time(datetime.combine(deadline, time(10), tzinfo=JST)):
        officer = client_of(clean_app, t["officer"])
        assert f'href="{url}"' in officer.get(f"/contracts/{contract_id}").text
        confirm = officer.get(url).text
        assert "契約の締結（確認）" in confirm and "入札B株式会社" in confirm and "金9,350,000円" in confirm
        assert "締結の記録は取り消せません" in confirm
        future = (deadline + timedelta(days=400)).isoformat()
        refused = post_form(officer, url, {"contract_number": "R8-契-777", "signed_on": future})
        assert refused.status_code == 200 and "契約の締結（確認）" in refused.text
        assert "R8-契-777" in refused.text  # what was typed is kept
        with clean_app.app_context():
            assert db.session.get(Contract, contract_id).state == ContractState.DRAFT
        done = post_form(officer, url, {"contract_number": "R8-契-777", "signed_on": deadline.isoformat()}, follow=True)
    assert "締結を記録しました" in done.text
    with clean_app.app_context():
        assert db.session.get(Contract, contract_id).state == ContractState.SIGNED


def test_an_award_confirmed_for_one_company_is_not_decided_for_another(clean_app, auction):
    """The confirmation names the bid it restates: if the standing changes between the page and the
    button (the proposed bid is found invalid meanwhile), nothing is decided and the page says why."""
    from tender.accounts.models import User
    from tender.award.models import AwardDecision
    from tender.bidding import operations as bidding
    from tender.bidding.models import Bid
    from tender.rules.bids import InvalidGround
    from tests.scenario import open_over_http

    a = auction
    with freeze_time(a["during"]):
        for i, amount in enumerate([9_000_000, 8_500_000]):
            submit(clean_app, a, i, amount)
    with freeze_time(a["opening"] + timedelta(minutes=1)):
        open_over_http(clean_app, a, attendees=a["companies"][:2])  # the two that bid
    url = f"/cases/{a['case']}/award/decide"
    with freeze_time(a["opening"] + timedelta(minutes=5)):
        officer = client_of(clean_app, a["officer"])
        confirm = officer.get(url, follow_redirects=True).text
        assert "入札B株式会社" in confirm, re.findall(r'role="alert">([^<]+)', confirm)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', confirm).group(1)
        bid_id = re.search(r'name="bid_id" type="hidden" value="(\d+)"', confirm).group(1)
        with clean_app.app_context():  # meanwhile the proposed bid is found invalid
            bid = db.session.get(Bid, int(bid_id))
            bidding.mark_invalid(bid, InvalidGround.NO_QUALIFICATION, "資格を欠く",
                                 by=db.session.get(User, a["officer"]), now=a["opening"] + timedelta(minutes=4))
            db.session.commit()
        refused = officer.post(url, data={"csrf_token": token, "bid_id": bid_id, "grounds": "最低価格"})
        assert refused.status_code == 200 and "確認した後に順位が変わりました" in refused.text
        assert "入札A株式会社" in refused.text  # the page now restates the new 落札候補
        with clean_app.app_context():
            assert db.session.query(AwardDecision).count() == 0

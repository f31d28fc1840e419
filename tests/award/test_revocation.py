"""落札決定の取消 [002 入札心得 第19条] (issue 17): after an award, when collusion or another cause shows
the bid was not a proper one, the officer revokes it with its grounds; the bid is then invalid on
that ground, a draft contract lapses, and the award is decided again. A signed contract is not
revoked (it is terminated under the contract)."""
import json
from datetime import timedelta

from freezegun import freeze_time

from tender.award import operations as award
from tender.contracts.models import Contract, ContractState
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import CaseState
from tests.helpers import case_state, events, post_form
from tests.scenario import client_of, draft, post_row, signed


def _revoke(app, t, grounds, when):
    with freeze_time(when):
        officer = client_of(app, t["officer"])
        url = f"/cases/{t['case']}/award"
        return post_row(officer, f"/cases/{t['case']}/award/revoke", "revoke", {"grounds": grounds}, form_url=url)


def test_a_revoked_award_invalidates_the_bid_lapses_the_draft_and_is_decided_again(clean_app, awarded):
    t = awarded
    _, contract_id = draft(clean_app, t)
    page = _revoke(clean_app, t, "公正取引委員会の排除措置命令により談合が判明したため。", t["decided_at"] + timedelta(days=1))
    assert "落札決定を取り消しました" in page.text
    assert case_state(clean_app, t["case"]) == CaseState.OPENED
    with clean_app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.state == ContractState.LAPSED and "入札心得第19条" in contract.lapse_reason
        standing = award.standing(db.session.get(ProcurementCase, t["case"]))
        invalid = [r for r in standing.evaluation.results if r.status == "invalid"]
        assert [standing.bids[r.bidder].company_id for r in invalid] == [t["winner"]]
        assert "入札心得第19条" in standing.case_input.bids[[b.bidder for b in standing.case_input.bids].index(
            invalid[0].bidder)].invalid
        # The next best (9,000,000) is proposed now.
        assert standing.evaluation.award.status == "awarded"
        proposed = standing.bids[standing.evaluation.award.bidder]
        assert proposed.company_id == t["runner_up"]
    [event] = events(clean_app, "award.revoked")
    assert json.loads(event.summary)["contract_id"] == contract_id
    with freeze_time(t["decided_at"] + timedelta(days=1, minutes=5)):
        officer = client_of(clean_app, t["officer"])
        shown = officer.get(f"/cases/{t['case']}/award").text
        assert "落札決定の取消（入札心得第19条）：公正取引委員会" in shown
        again = post_form(officer, f"/cases/{t['case']}/award/decide", {"grounds": "次順位者"},
                          form_url=f"/cases/{t['case']}/award", follow=True)
        assert "落札者を決定し" in again.text
    with clean_app.app_context():
        assert award.award_of(db.session.get(ProcurementCase, t["case"])).bid.company_id == t["runner_up"]


def test_revocation_needs_its_grounds_and_spares_a_signed_contract(clean_app, awarded):
    t = awarded
    blank = _revoke(clean_app, t, "", t["decided_at"] + timedelta(hours=1))
    assert "入力してください" in blank.text
    assert case_state(clean_app, t["case"]) == CaseState.AWARDED
    contract_id, signed_on = signed(clean_app, t)
    from datetime import datetime, time

    from tender.rules.calendar import JST
    refused = _revoke(clean_app, t, "談合の判明", datetime.combine(signed_on, time(15), tzinfo=JST))
    assert "締結した契約の落札決定は取り消せません" in refused.text
    with clean_app.app_context():
        assert db.session.get(Contract, contract_id).state == ContractState.SIGNED
    assert not events(clean_app, "award.revoked")

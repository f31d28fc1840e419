"""第17条: the signed contract within 5 days of the award (holidays skipped), or the award lapses and
the next best is proposed — unless the officer extends the deadline, with a reason."""
from datetime import datetime, time, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tender.award.models import AwardDecision
from tender.contracts.models import Contract
from tender.extensions import db
from tender.rules.calendar import JST
from tender.rules.lifecycle import CaseState
from tests.helpers import case_state, events, post_form
from tests.scenario import client_of, decide, draft


def _day_after(d, hour=9):
    return datetime.combine(d + timedelta(days=1), time(hour), tzinfo=JST)


def _state(app, contract_id):
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        return contract.state, contract.deadline


def test_a_missed_deadline_lapses_the_award_and_the_next_best_is_awarded(clean_app, awarded, runner):
    t = awarded
    _, contract_id = draft(clean_app, t)
    _, deadline = _state(clean_app, contract_id)
    # On the last day nothing lapses, and the officer cannot lapse it by hand.
    with freeze_time(datetime.combine(deadline, time(20), tzinfo=JST)):
        assert "落札の失効 0 件" in runner.invoke(args=["contracts", "sweep"]).output
        officer = client_of(clean_app, t["officer"])
        early = post_form(officer, f"/contracts/{contract_id}/lapse", {"lapse_reason": ""}, form_url=f"/contracts/{contract_id}",
                          follow=True)
        assert "過ぎるまでは失効させられません" in early.text
    assert _state(clean_app, contract_id)[0] == "draft"
    # The next day the page says so, and the daily sweep lapses it.
    with freeze_time(_day_after(deadline)):
        officer = client_of(clean_app, t["officer"])
        assert "提出期限を過ぎています" in officer.get(f"/contracts/{contract_id}").text
        out = runner.invoke(args=["contracts", "sweep"]).output
        assert "落札の失効 1 件" in out and "入札B株式会社" in out
    assert _state(clean_app, contract_id)[0] == "lapsed"
    assert case_state(clean_app, t["case"]) is CaseState.OPENED
    assert events(clean_app, "contract.lapsed")[0].actor_id is None  # the system, by the rule
    with freeze_time(_day_after(deadline, 10)):
        officer = client_of(clean_app, t["officer"])
        page = officer.get(f"/cases/{t['case']}/award").text
        assert "落札候補：</b>入札A株式会社" in page and "落札の失効（契約書の提出なし）" in page
        winner = client_of(clean_app, t["winner_user"])
        assert "効力を失いました" in winner.get("/notifications").text
    with freeze_time(_day_after(deadline, 11)):
        decide(clean_app, t["case"], t["officer"])
        _, second_id = draft(clean_app, t, when=_day_after(deadline, 12))
    with clean_app.app_context():
        decisions = db.session.execute(select(AwardDecision).order_by(AwardDecision.id)).scalars().all()
        assert [d.bid.company.name for d in decisions] == ["入札B株式会社", "入札A株式会社"]
        second = db.session.get(Contract, second_id)
        assert second.company_id == t["runner_up"] and second.amount_total == 9_900_000
        assert second.submission_deadline > deadline
    assert case_state(clean_app, t["case"]) is CaseState.AWARDED


def test_an_extension_with_a_reason_keeps_the_award(clean_app, awarded, runner):
    t = awarded
    _, contract_id = draft(clean_app, t)
    _, deadline = _state(clean_app, contract_id)
    with freeze_time(datetime.combine(deadline, time(10), tzinfo=JST)):
        officer = client_of(clean_app, t["officer"])
        url = f"/contracts/{contract_id}/extend"
        no_reason = post_form(officer, url, {"new_deadline": (deadline + timedelta(days=7)).isoformat(), "reason": ""},
                              form_url=f"/contracts/{contract_id}", follow=True)
        assert "延長の理由を入力してください" in no_reason.text
        earlier = post_form(officer, url, {"new_deadline": deadline.isoformat(), "reason": "押印手続の遅れ"},
                            form_url=f"/contracts/{contract_id}", follow=True)
        assert "より後の日にしてください" in earlier.text
        done = post_form(officer, url, {"new_deadline": (deadline + timedelta(days=7)).isoformat(),
                                        "reason": "代表者の海外出張により押印が遅れるため"},
                         form_url=f"/contracts/{contract_id}", follow=True)
        assert "延長しました" in done.text
    with freeze_time(_day_after(deadline)):
        assert "落札の失効 0 件" in runner.invoke(args=["contracts", "sweep"]).output
    state, new_deadline = _state(clean_app, contract_id)
    assert state == "draft" and new_deadline == deadline + timedelta(days=7)
    [event] = events(clean_app, "contract.deadline_extended")
    assert "代表者の海外出張" in event.summary
    # Past the extension, the officer records the lapse by hand and is taken to the award.
    with freeze_time(_day_after(new_deadline)):
        officer = client_of(clean_app, t["officer"])
        response = post_form(officer, f"/contracts/{contract_id}/lapse", {"lapse_reason": "延長後の期限も経過"},
                             form_url=f"/contracts/{contract_id}")
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{t['case']}/award")
    assert _state(clean_app, contract_id)[0] == "lapsed"

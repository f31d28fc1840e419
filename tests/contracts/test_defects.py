"""契約不適合 (issue 17): claims recorded within the period the contract's conditions allow
[000/002 第9条: found within a year of completion; 004 １３．: told within a year of recognition, and
nothing recognised more than a year after the contract's end], with their deadlines on the home page."""
from datetime import datetime, time, timedelta

from freezegun import freeze_time
from sqlalchemy import select, update

from tender.contracts.models import Contract, ContractState, DefectClaim
from tender.extensions import db
from tender.rules.calendar import JST
from tests.helpers import events
from tests.scenario import authority_preset, client_of, post_row, signed


def at(d, hour=10):
    return datetime.combine(d, time(hour), tzinfo=JST)


def _claims(app):
    with app.app_context():
        rows = db.session.execute(select(DefectClaim).order_by(DefectClaim.id)).scalars().all()
        return [(c.number, c.found_on, c.notice_by, c.notified_on, c.resolved_on) for c in rows]


def test_a_claim_is_recorded_told_and_resolved(clean_app, awarded):
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    found = signed_on + timedelta(days=10)
    with freeze_time(at(found)):
        officer = client_of(clean_app, t["officer"])
        done = post_row(officer, f"/contracts/{contract_id}/defects", "newdefect",
                        {"found_on": found.isoformat(), "description": "帳票の集計に誤りがある。", "remedy": "repair"},
                        form_url=f"/contracts/{contract_id}")
        assert "契約不適合（第1号）を記録しました" in done.text and "発見後合理的期間内" in done.text
        [claim_id] = [c.id for c in _rows(clean_app)]
        told = post_row(officer, f"/contracts/{contract_id}/defects/{claim_id}/notified", f"defect{claim_id}",
                        {"notified_on": found.isoformat()}, form_url=f"/contracts/{contract_id}")
        assert "受注者への通知を記録しました" in told.text
        fixed = post_row(officer, f"/contracts/{contract_id}/defects/{claim_id}/resolved", f"resolve{claim_id}",
                         {"resolved_on": found.isoformat(), "resolution": "修補を確認した。"},
                         form_url=f"/contracts/{contract_id}")
        assert "解決を記録しました" in fixed.text
    assert _claims(clean_app) == [(1, found, None, found, found)]
    assert [e.action for e in events(clean_app)[-3:]] == ["contract.defect_found", "contract.defect_notified",
                                                          "contract.defect_resolved"]


def _rows(app):
    with app.app_context():
        rows = db.session.execute(select(DefectClaim)).scalars().all()
        db.session.expunge_all()
        return rows


def test_ipa_refuses_what_is_found_more_than_a_year_after_completion(clean_app, awarded):
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    completed = signed_on + timedelta(days=30)
    with clean_app.app_context():
        db.session.execute(update(Contract).where(Contract.id == contract_id).values(
            state=ContractState.COMPLETED, completed_on=completed))
        db.session.commit()
    late = completed.replace(year=completed.year + 1) + timedelta(days=1)
    with freeze_time(at(late)):
        officer = client_of(clean_app, t["officer"])
        refused = post_row(officer, f"/contracts/{contract_id}/defects", "newdefect",
                           {"found_on": late.isoformat(), "description": "不具合", "remedy": "repair"},
                           form_url=f"/contracts/{contract_id}")
        assert refused.status_code == 422 and "1年を過ぎて発見したものは請求できません" in refused.text
        # The day before, the period is open; the home page showed its end beforehand.
    assert _claims(clean_app) == []
    with freeze_time(at(late - timedelta(days=20))):
        home = client_of(clean_app, t["officer"]).get("/home").text
        assert "契約不適合の請求期間の終わり" in home


def test_ichikawa_notice_is_due_a_year_after_recognition_and_shows_on_the_home_page(clean_app, awarded):
    t = awarded
    authority_preset(clean_app, "ichikawa")
    contract_id, signed_on = signed(clean_app, t)
    found = signed_on + timedelta(days=5)
    with freeze_time(at(found)):
        officer = client_of(clean_app, t["officer"])
        post_row(officer, f"/contracts/{contract_id}/defects", "newdefect",
                 {"found_on": found.isoformat(), "description": "保守記録の欠落", "remedy": "damages"},
                 form_url=f"/contracts/{contract_id}")
    [(number, found_on, notice_by, notified, _)] = _claims(clean_app)
    assert notice_by == found.replace(year=found.year + 1) and notified is None
    with freeze_time(at(notice_by - timedelta(days=10))):
        home = client_of(clean_app, t["officer"]).get("/home").text
        assert "契約不適合の通知" in home and "保守記録の欠落" in home
    claim_id = _rows(clean_app)[0].id
    with freeze_time(at(notice_by + timedelta(days=1))):
        officer = client_of(clean_app, t["officer"])
        late = post_row(officer, f"/contracts/{contract_id}/defects/{claim_id}/notified", f"defect{claim_id}",
                        {"notified_on": (notice_by + timedelta(days=1)).isoformat()}, form_url=f"/contracts/{contract_id}")
        assert "通知の期限" in late.text and "過ぎた通知です" in late.text
    assert _claims(clean_app)[0][3] is None

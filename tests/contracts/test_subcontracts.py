"""再委託・再請負 (issue 17), per the contract's clauses: under IPA's a notice in writing before the work
is handed over [000/002 第2条第2項]; under the local seeds' a request the authority approves or
refuses [001 第7 2(8); 003 第7条; 004 別記１ 第５条]."""
from datetime import datetime, time, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tender.contracts.models import Subcontract
from tender.extensions import db
from tender.rules.calendar import JST
from tests.helpers import events
from tests.scenario import authority_preset, client_of, post_row, signed

FORM = {"name": "下請情報株式会社", "address": "東京都港区1-1", "scope": "帳票の印刷と封入（業務の一部）",
        "amount": "550,000", "reason": "専用の印刷設備を要するため。"}


def at(d, hour=10):
    return datetime.combine(d, time(hour), tzinfo=JST)


def _rows(app):
    with app.app_context():
        return [(r.number, r.status, r.decision_note) for r in db.session.execute(select(Subcontract)).scalars()]


def test_under_ipa_clauses_the_contractor_notifies_and_it_stands(clean_app, awarded):
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    with freeze_time(at(signed_on + timedelta(days=3))):
        contractor = client_of(clean_app, t["winner_user"])
        done = post_row(contractor, f"/contracts/{contract_id}/subcontracts", "subcontract", FORM,
                        form_url=f"/contracts/{contract_id}")
        assert "再委託を届け出ました" in done.text and "届出済み" in done.text and "第2条" in done.text
    assert _rows(clean_app) == [(1, "notified", None)]
    assert events(clean_app, "contract.subcontract_notified")


def test_under_a_local_governments_clauses_it_waits_for_approval(clean_app, awarded):
    t = awarded
    authority_preset(clean_app, "chiba")
    contract_id, signed_on = signed(clean_app, t)
    day = signed_on + timedelta(days=3)
    with freeze_time(at(day)):
        contractor = client_of(clean_app, t["winner_user"])
        asked = post_row(contractor, f"/contracts/{contract_id}/subcontracts", "subcontract", FORM,
                         form_url=f"/contracts/{contract_id}")
        assert "再委託の承諾を申請しました" in asked.text and "承諾待ち" in asked.text
        officer = client_of(clean_app, t["officer"])
        [row_id] = [r.id for r in _objects(clean_app)]
        url = f"/contracts/{contract_id}/subcontracts/{row_id}/decide"
        blank = post_row(officer, url, f"sub{row_id}", {"decision": "refuse", "note": ""},
                         form_url=f"/contracts/{contract_id}")
        assert "承諾しない理由を入力してください" in blank.text
        assert _rows(clean_app) == [(1, "pending", None)]
        done = post_row(officer, url, f"sub{row_id}", {"decision": "approve", "note": "情報の取扱いは別記のとおり。"},
                        form_url=f"/contracts/{contract_id}")
        assert "再委託について決定しました" in done.text
        # A decided request is not decided again.
        again = post_row(officer, url, f"sub{row_id}", {"decision": "refuse", "note": "x"},
                         form_url=f"/contracts/{contract_id}")
        assert "承諾を待っている申請だけ" in again.text
    assert _rows(clean_app) == [(1, "approved", "情報の取扱いは別記のとおり。")]


def test_an_incomplete_request_is_refused_and_nothing_is_kept(clean_app, awarded):
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    with freeze_time(at(signed_on + timedelta(days=3))):
        contractor = client_of(clean_app, t["winner_user"])
        for change, message in (({"name": ""}, "再委託先の名称を入力してください"),
                                ({"amount": "99,999,999,999"}, "契約金額以下")):
            response = post_row(contractor, f"/contracts/{contract_id}/subcontracts", "subcontract", {**FORM, **change},
                                form_url=f"/contracts/{contract_id}")
            assert response.status_code == 422 and message in response.text
    assert _rows(clean_app) == []


def _objects(app):
    with app.app_context():
        rows = db.session.execute(select(Subcontract)).scalars().all()
        db.session.expunge_all()
        return rows

"""変更契約 [000/002 契約書 第12条] (issue 17): a signed contract's amount or period changed by
agreement, kept with its ground and the terms before it, with its 変更契約書; bad changes are refused
and change nothing."""
import json
import subprocess
from datetime import datetime, time, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tender.contracts.models import Contract, ContractChange
from tender.extensions import db
from tender.rules.calendar import JST
from tests.helpers import csrf_from, events
from tests.scenario import client_of, post_row, signed


def post_change(client, url, data, *, form_url):
    """The 変更契約 form (its fields prefixed ``change-``), without following the refusal's page."""
    token = csrf_from(client.get(form_url).text)
    return client.post(url, data={f"change-{k}": v for k, v in data.items()} | {"change-csrf_token": token})


def at(d, hour=10):
    return datetime.combine(d, time(hour), tzinfo=JST)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "change.pdf"
    path.write_bytes(data)
    return "".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                                  text=True).stdout.split())


def _contract(app, contract_id):
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        row = (contract.amount_excl, contract.amount_total, contract.period_from, contract.period_to,
               [v.number for v in contract.versions], len(contract.changes))
        return row


def test_a_change_of_amount_and_period_takes_effect_with_its_record_and_form(clean_app, awarded, tmp_path):
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    amount, total, start, end, versions, _ = _contract(clean_app, contract_id)
    assert (amount, total) == (8_500_000, 9_350_000)
    later = signed_on + timedelta(days=20)
    with freeze_time(at(later)):
        officer = client_of(clean_app, t["officer"])
        done = post_row(officer, f"/contracts/{contract_id}/changes", "change", {
            "ground": "spec", "amount_excl": "9,000,000", "period_to": (end + timedelta(days=31)).isoformat(),
            "reason": "対象システムの追加に伴い作業量が増えるため。", "agreed_on": later.isoformat()},
            form_url=f"/contracts/{contract_id}")
        assert "変更契約（第1回）を記録しました" in done.text
        # The amount the penalties read is the changed one [特記事項 第3条: 変更後の契約金額].
        assert "金990,000円" in done.text and "金9,900,000円" in done.text
        pdf = _pdf_text(officer.get(f"/contracts/{contract_id}/changes/1.pdf").data, tmp_path)
        docx = officer.get(f"/contracts/{contract_id}/changes/1.docx")
        assert docx.status_code == 200 and docx.data[:2] == b"PK"
        bidder = client_of(clean_app, t["winner_user"])
        assert bidder.get(f"/contracts/{contract_id}/changes/1.pdf").status_code == 200
    new = _contract(clean_app, contract_id)
    assert new[:4] == (9_000_000, 9_900_000, start, end + timedelta(days=31))
    assert new[4] == versions + [versions[-1] + 1] and new[5] == 1
    for text in ("変更契約書", "第1回変更", "金9,350,000円", "金9,900,000円", "第12条第1項第一",
                 "対象システムの追加", "変更の合意がない部分は"):
        assert text in pdf, text
    [event] = events(clean_app, "contract.changed")
    summary = json.loads(event.summary)
    assert summary["before"]["amount_excl"] == 8_500_000 and summary["after"]["amount_excl"] == 9_000_000


def test_changes_that_cannot_be_are_refused_and_change_nothing(clean_app, awarded):
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    before = _contract(clean_app, contract_id)
    url = f"/contracts/{contract_id}/changes"
    base = {"ground": "spec", "reason": "理由", "agreed_on": (signed_on + timedelta(days=1)).isoformat()}
    with freeze_time(at(signed_on + timedelta(days=2))):
        officer = client_of(clean_app, t["officer"])
        cases = [
            ({"amount_excl": ""}, "変更前と変わるところがありません"),
            ({"ground": "", "amount_excl": "9,000,000"}, "変更の事由"),
            ({"amount_excl": "9,000,000", "agreed_on": (signed_on - timedelta(days=1)).isoformat()}, "締結日より前"),
            ({"amount_excl": "9,000,000", "agreed_on": (signed_on + timedelta(days=5)).isoformat()}, "未来の日"),
            ({"period_to": (signed_on - timedelta(days=400)).isoformat()}, "終期が始期より前"),
            ({"amount_excl": "9.5"}, "円"),
        ]
        for change, message in cases:
            response = post_change(officer, url, {**base, **change}, form_url=f"/contracts/{contract_id}")
            assert response.status_code == 422 and message in response.text, (change, message)
    assert _contract(clean_app, contract_id) == before
    assert not events(clean_app, "contract.changed")
    with clean_app.app_context():
        assert db.session.execute(select(ContractChange)).first() is None


def test_a_draft_is_revised_not_changed(clean_app, awarded):
    from tests.scenario import draft

    t = awarded
    officer, contract_id = draft(clean_app, t)
    with freeze_time(t["decided_at"] + timedelta(hours=1)):
        officer = client_of(clean_app, t["officer"])
        response = post_change(officer, f"/contracts/{contract_id}/changes", {
            "ground": "spec", "amount_excl": "9,000,000", "reason": "x",
            "agreed_on": t["decided_at"].date().isoformat()}, form_url=f"/contracts/{contract_id}")
        assert response.status_code == 422 and "締結済み（履行中）の契約だけ" in response.text

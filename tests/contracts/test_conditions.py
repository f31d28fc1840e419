"""A contract carries the conditions of its authority's seed (issue 17): Chiba's collusion amounts,
a local government's 30-day payment, Ichikawa's long-term penalty base — each shown with its source,
and changed only through a new version of the draft."""
from datetime import date, datetime, time, timedelta

from freezegun import freeze_time
from sqlalchemy import select, update

from tender.contracts.models import Contract, Invoice
from tender.extensions import db
from tender.rules.calendar import JST
from tests.contracts.test_draft import _contract, _revision
from tests.helpers import events, post_form
from tests.scenario import authority_preset, client_of, draft, signed


def test_a_chiba_contract_claims_a_tenth_on_termination_and_two_tenths_in_any_case(clean_app, awarded):
    t = awarded
    authority_preset(clean_app, "chiba")
    officer, contract_id = draft(clean_app, t)
    contract, versions = _contract(clean_app, contract_id)
    assert contract.conditions.collusion == "chiba" and versions[0][2]["conditions"]["collusion"] == "chiba"
    with freeze_time(t["decided_at"] + timedelta(minutes=30)):
        officer = client_of(clean_app, t["officer"])
        page = officer.get(f"/contracts/{contract_id}").text
    # 9,350,000 × 1/10 and × 2/10, no 100-yen cut [001 別記4 第2条第3項・第3条第1項].
    assert "違約金（契約を解除したとき）：金935,000円" in page
    assert "賠償金（解除するか否かにかかわらず、履行後も）：金1,870,000円" in page
    assert "001 別記4" in page and "20/100" not in page
    # No cap on damages in 001; the IPA cap is not shown.
    assert "損害賠償の上限" not in page.split('id="penalties"')[1]
    assert "請求書を受理した日から定めた日数以内" in page and "支払遅延防止等に関する法律" in page


def test_an_ipa_contract_shows_its_sources_and_the_100_yen_cut(clean_app, awarded):
    t = awarded
    officer, contract_id = draft(clean_app, t)
    with freeze_time(t["decided_at"] + timedelta(minutes=30)):
        page = client_of(clean_app, t["officer"]).get(f"/contracts/{contract_id}").text
    assert "違約金（解除するか否かにかかわらず）：金935,000円" in page
    assert "000・002 特記事項 第3条第1項" in page and "第14条第1項" in page
    assert "損害賠償の上限：</b>金9,350,000円" in page
    assert "翌月末日" in page


def test_a_long_term_contracts_penalty_follows_the_highest_yearly_payment(clean_app, awarded):
    """004 特約条項 第２条第３項: the base of a 長期継続契約 is the highest fiscal year's payment."""
    t = awarded
    authority_preset(clean_app, "ichikawa")
    officer, contract_id = draft(clean_app, t)
    contract, versions = _contract(clean_app, contract_id)
    url = f"/contracts/{contract_id}/revise"
    with freeze_time(t["decided_at"] + timedelta(hours=1)):
        officer = client_of(clean_app, t["officer"])
        before = officer.get(f"/contracts/{contract_id}").text
        assert "年度ごとの支払予定額（期間ごとの契約金額）を入力すると" in before
        done = post_form(officer, url, _revision(contract, versions, version_note="年度ごとの支払予定額",
                                                 period_amounts="令和8年度, 4,000,000\n令和9年度, 4,500,000"),
                         form_url=f"/contracts/{contract_id}", follow=True)
        assert "第2版を保存しました" in done.text
        # 4,500,000 + 10% = 4,950,000 → 1/10 = 495,000 (not 935,000 of the whole amount).
        assert "解除の場合の違約金：金495,000円" in done.text and "最も高い額" in done.text


def test_conditions_that_do_not_fit_are_refused_and_nothing_changes(clean_app, awarded):
    t = awarded
    officer, contract_id = draft(clean_app, t)
    contract, versions = _contract(clean_app, contract_id)
    url = f"/contracts/{contract_id}/revise"
    with freeze_time(t["decided_at"] + timedelta(hours=1)):
        officer = client_of(clean_app, t["officer"])
        bad = post_form(officer, url, _revision(contract, versions, penalty_base="highest_year", version_note="x"),
                        form_url=f"/contracts/{contract_id}")
        assert bad.status_code == 422 and "長期継続契約の違約金の基礎です" in bad.text
        days = post_form(officer, url, _revision(contract, versions, payment="within_days", payment_days="0",
                                                 version_note="x"), form_url=f"/contracts/{contract_id}")
        assert days.status_code == 422 and "支払までの日数は1〜60日です" in days.text
        odd = post_form(officer, url, _revision(contract, versions, collusion="osaka", version_note="x"),
                        form_url=f"/contracts/{contract_id}")
        assert odd.status_code == 422
    contract, versions = _contract(clean_app, contract_id)
    assert len(versions) == 1 and contract.conditions.collusion == "ipa"
    assert not events(clean_app, "contract.revised")


def test_a_local_governments_invoice_is_due_30_days_after_receipt(clean_app, awarded):
    """000/002 第10条 pays by the end of the next month; the local seeds are silent, and the 30-day
    limit of the 支払遅延防止法 applies: the invoice's due date follows the contract's conditions."""
    t = awarded
    authority_preset(clean_app, "meguro")
    contract_id, signed_on = signed(clean_app, t)
    received = signed_on + timedelta(days=1)
    with freeze_time(datetime.combine(received, time(10), tzinfo=JST)):
        officer = client_of(clean_app, t["officer"])
        done = post_form(officer, f"/contracts/{contract_id}/invoices",
                         {"amount": "100,000", "received_on": received.isoformat(), "deliverable_id": "0"},
                         form_url=f"/contracts/{contract_id}", follow=True)
        assert "請求書の受理を記録しました" in done.text
        page = officer.get(f"/contracts/{contract_id}").text
    with clean_app.app_context():
        invoice = db.session.execute(select(Invoice)).scalar_one()
        assert invoice.due_on == received + timedelta(days=30)
        contract = db.session.get(Contract, contract_id)
        assert contract.conditions.penalty is False
    # 003 has no termination penalty: the page says so instead of computing one.
    assert "この契約の条件に定めはありません" in page


def test_contracts_made_before_the_conditions_read_as_the_ipaauthority_preset(clean_app, awarded):
    t = awarded
    officer, contract_id = draft(clean_app, t)
    with clean_app.app_context():
        db.session.execute(update(Contract).values(conditions_data=None))
        db.session.commit()
        contract = db.session.get(Contract, contract_id)
        assert contract.conditions.payment == "next_month_end" and contract.conditions.penalty_rounding == 100
    assert date(2026, 1, 1)  # the module's dates are real dates


def _late_invoice(app, t, *, amount="1,100,000"):
    """A signed contract whose invoice is received the day after signing; returns (contract id,
    invoice id, due date)."""
    contract_id, signed_on = signed(app, t)
    received = signed_on + timedelta(days=1)
    with freeze_time(datetime.combine(received, time(10), tzinfo=JST)):
        officer = client_of(app, t["officer"])
        done = post_form(officer, f"/contracts/{contract_id}/invoices",
                         {"amount": amount, "received_on": received.isoformat(), "deliverable_id": "0"},
                         form_url=f"/contracts/{contract_id}", follow=True)
        assert "請求書の受理を記録しました" in done.text
    with app.app_context():
        invoice = db.session.execute(select(Invoice)).scalar_one()
        return contract_id, invoice.id, invoice.due_on


def test_the_authority_paying_late_owes_interest_at_the_finance_ministers_rate(clean_app, awarded):
    """000・002 第10条第2項: interest at the rate of 大蔵省告示第991号 as amended — 年2.5% since
    令和3年財務省告示第49号 — from the day after the deadline, cut below 100 yen (支払遅延防止法 第8条)."""
    import json

    from tests.scenario import post_row

    t = awarded
    contract_id, invoice_id, due = _late_invoice(clean_app, t)
    paid_on = due + timedelta(days=45)
    with freeze_time(datetime.combine(due + timedelta(days=10), time(10), tzinfo=JST)):
        officer = client_of(clean_app, t["officer"])
        page = officer.get(f"/contracts/{contract_id}").text
        # Ten days late and still unpaid: 1,100,000 × 2.5% × 10 / 365 = 753.42 → 700.
        assert "支払遅延" in page and "遅延利息（今日支払う場合）：<b>金700円</b>" in page
        assert "年2.5%（令和3年財務省告示第49号" in page
    with freeze_time(datetime.combine(paid_on, time(10), tzinfo=JST)):
        officer = client_of(clean_app, t["officer"])
        paid = post_row(officer, f"/contracts/{contract_id}/invoices/{invoice_id}/paid", f"invoice{invoice_id}",
                        {"paid_on": paid_on.isoformat()}, form_url=f"/contracts/{contract_id}")
        assert "支払を記録しました" in paid.text
        page = officer.get(f"/contracts/{contract_id}").text
    # 1,100,000 × 2.5% × 45 / 365 = 3,390.41 → 3,300.
    assert "遅延利息：<b>金3,300円</b>" in page and "45日 ÷ 365日" in page
    summary = json.loads(events(clean_app, "contract.paid")[-1].summary)
    assert summary["late_days"] == 45 and summary["late_interest"] == 3_300


def test_a_rate_stated_on_the_contract_replaces_the_table(clean_app, awarded):
    """When the 告示 changes after the table was last confirmed, the officer states the rate on the
    draft; the calculation then uses it."""
    t = awarded
    officer, contract_id = draft(clean_app, t)
    contract, versions = _contract(clean_app, contract_id)
    with freeze_time(t["decided_at"] + timedelta(hours=1)):
        officer = client_of(clean_app, t["officer"])
        bad = post_form(officer, f"/contracts/{contract_id}/revise",
                        _revision(contract, versions, late_rate="高い", version_note="率"),
                        form_url=f"/contracts/{contract_id}")
        assert bad.status_code == 422 and "発注者の支払遅延の利率" in bad.text
        done = post_form(officer, f"/contracts/{contract_id}/revise",
                         _revision(contract, versions, late_rate="３．０", version_note="官報で確かめた率"),
                         form_url=f"/contracts/{contract_id}", follow=True)
        assert "第2版を保存しました" in done.text
        assert "年3.0%（担当者が官報で確かめた率）" in done.text
    with clean_app.app_context():
        assert db.session.get(Contract, contract_id).conditions.late_rate == "3.0"

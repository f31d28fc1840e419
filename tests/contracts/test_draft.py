"""From the award to the signed contract: the draft's figures, its versions, the 第17条 deadline."""
import json
import subprocess
from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tender.contracts.models import Contract
from tender.extensions import db
from tender.rules.bids import contract_submission_deadline
from tender.rules.calendar import to_jst
from tender.rules.lifecycle import CaseState
from tests.helpers import case_state, events, post_form
from tests.scenario import client_of, draft


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def _contract(app, contract_id):
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        db.session.refresh(contract)
        versions = [(v.number, v.note, v.terms) for v in contract.versions]
        db.session.expunge_all()
        return contract, versions


def _revision(contract, versions, **changes):
    terms = versions[-1][2]
    data = {"period_from": contract.period_from.isoformat(), "period_to": contract.period_to.isoformat(),
            "inspection_days": "30", "quantity": "一式", "payment_terms": terms["payment_terms"], "period_amounts": "",
            "main": terms["clauses"]["main"], "special": terms["clauses"]["special"],
            "privacy": terms["clauses"]["privacy"], "version_note": "検査期間を10日に"}
    for name, value in (terms.get("conditions") or {}).items():
        if value is True:
            data[name] = "y"
        elif value is not False:
            data[name] = str(value)
    data.update(changes)
    return data


def test_the_draft_takes_the_winners_bid_with_tax_cut_below_one_yen_and_the_article_17_deadline(clean_app, awarded, tmp_path):
    t = awarded
    officer, contract_id = draft(clean_app, t)
    contract, versions = _contract(clean_app, contract_id)
    assert contract.company_id == t["winner"] and contract.bid_id == t["bids"][1]
    # 8,500,000 × 10% = 850,000 → 9,350,000 (the 落札価格 basis)
    assert (contract.amount_excl, contract.tax, contract.amount_total) == (8_500_000, 850_000, 9_350_000)
    assert (contract.period_from, contract.period_to) == t["period"]
    assert contract.submission_deadline == contract_submission_deadline(to_jst(t["decided_at"]).date())
    assert contract.one_bidder is False
    assert [v[0] for v in versions] == [1] and versions[0][2]["price_lines"] == [
        {"item": "業務一式", "quantity": "一式", "unit_price": 8_500_000, "note": ""}]
    assert events(clean_app, "contract.drafted")
    with freeze_time(t["decided_at"] + timedelta(minutes=10)):
        assert f'href="/cases/{t["case"]}/contract"' in officer.get(f"/cases/{t['case']}").text
        assert f'href="/cases/{t["case"]}/contract"' in officer.get(f"/cases/{t['case']}/award").text
        page = officer.get(f"/contracts/{contract_id}").text
        assert "金9,350,000円" in page and "入札B株式会社" in page and "契約書の提出期限" in page
        text = _pdf_text(officer.get(f"/contracts/{contract_id}/versions/1.pdf").data, tmp_path)
    flat = "".join(text.split())
    assert "契約書（案）" in flat and "入札B株式会社" in flat and "金9,350,000円" in flat and "金850,000円" in flat
    # The same case cannot be drafted twice.
    with freeze_time(t["decided_at"] + timedelta(minutes=15)):
        url = f"/cases/{t['case']}/contract"
        again = officer.post(url, data={}, follow_redirects=True)
        assert again.status_code in (200, 400)
    with clean_app.app_context():
        assert len(db.session.execute(select(Contract)).scalars().all()) == 1


def test_each_change_is_a_new_version_and_earlier_ones_stay(clean_app, awarded, tmp_path):
    t = awarded
    officer, contract_id = draft(clean_app, t)
    contract, versions = _contract(clean_app, contract_id)
    url = f"/contracts/{contract_id}/revise"
    with freeze_time(t["decided_at"] + timedelta(hours=1)):
        officer = client_of(clean_app, t["officer"])
        main = versions[0][2]["clauses"]["main"].replace("甲は、別紙仕様書記載の", "甲は、${case_title}について、別紙仕様書記載の", 1)
        done = post_form(officer, url, _revision(contract, versions, inspection_days="10", main=main,
                                                 period_amounts="令和8年度, 4,000,000\n令和9年度, 4,500,000",
                                                 collusion="chiba", penalty_rounding="1"),
                         form_url=f"/contracts/{contract_id}", follow=True)
        assert "第2版を保存しました" in done.text
        # A clause with a word that cannot be filled in: refused, named, nothing stored, typed text kept.
        bad = post_form(officer, url, _revision(contract, versions, main=main + "\n  9 ${unknown}を支払う。",
                                                version_note="誤り"), form_url=f"/contracts/{contract_id}")
        assert bad.status_code == 422 and "「${unknown}」は差し込めません" in bad.text and "9 ${unknown}を支払う。" in bad.text
        # Period amounts that do not add up to the contract amount: refused.
        sums = post_form(officer, url, _revision(contract, versions, period_amounts="令和8年度, 4,000,000", version_note="x"),
                         form_url=f"/contracts/{contract_id}")
        assert sums.status_code == 422 and "一致しません" in sums.text
        v1 = _pdf_text(officer.get(f"/contracts/{contract_id}/versions/1.pdf").data, tmp_path)
        v2 = _pdf_text(officer.get(f"/contracts/{contract_id}/versions/2.pdf").data, tmp_path)
    contract, versions = _contract(clean_app, contract_id)
    assert [v[0] for v in versions] == [1, 2] and contract.inspection_days == 10
    assert contract.conditions.collusion == "chiba" and versions[0][2]["conditions"]["collusion"] == "ipa"
    assert versions[1][2]["conditions"]["collusion"] == "chiba"
    assert versions[0][2]["inspection_days"] == 30 and versions[1][2]["inspection_days"] == 10
    assert "".join(v1.split()).count("30日以内") >= 1 and "10日以内" in "".join(v2.split())
    flat2 = "".join(v2.split())
    assert "甲は、令和8年度電子調達システム運用保守業務について、別紙仕様書" in flat2
    assert "甲は、別紙仕様書記載の" in "".join(v1.split())
    assert "期間ごとの契約金額" in flat2 and "4,500,000" in flat2
    assert [json.loads(e.summary)["version"] for e in events(clean_app, "contract.revised")] == [2]


def test_signing_records_the_number_and_date_and_moves_the_case(clean_app, awarded):
    t = awarded
    officer, contract_id = draft(clean_app, t)
    with freeze_time(t["decided_at"] + timedelta(days=1)):
        officer = client_of(clean_app, t["officer"])
        day = to_jst(t["decided_at"] + timedelta(days=1)).date()
        future = post_form(officer, f"/contracts/{contract_id}/sign",
                           {"contract_number": "R8-001", "signed_on": (day + timedelta(days=3)).isoformat()},
                           form_url=f"/contracts/{contract_id}", follow=True)
        assert "未来の日" in future.text
        done = post_form(officer, f"/contracts/{contract_id}/sign", {"contract_number": "R8-001", "signed_on": day.isoformat()},
                         form_url=f"/contracts/{contract_id}", follow=True)
        assert "契約の締結を記録しました" in done.text
        # No more versions once signed.
        contract, versions = _contract(clean_app, contract_id)
        refused = post_form(officer, f"/contracts/{contract_id}/revise", _revision(contract, versions, version_note="後から"),
                            form_url=f"/contracts/{contract_id}")
        assert refused.status_code == 422 and "締結した" in refused.text
    contract, versions = _contract(clean_app, contract_id)
    assert contract.state == "signed" and contract.contract_number == "R8-001" and contract.signed_version == 1
    assert case_state(clean_app, t["case"]) is CaseState.CONTRACTED
    assert json.loads(events(clean_app, "contract.signed")[0].summary)["contract_number"] == "R8-001"


def test_only_the_cases_officers_draft_and_strangers_see_nothing(clean_app, awarded):
    t = awarded
    _, contract_id = draft(clean_app, t)
    with freeze_time(t["decided_at"] + timedelta(hours=1)):
        winner = client_of(clean_app, t["winner_user"])
        assert winner.get(f"/contracts/{contract_id}").status_code == 200
        assert winner.get(f"/contracts/{contract_id}/versions/1.pdf").status_code == 200
        loser = client_of(clean_app, t["bidders"][0])
        assert loser.get(f"/contracts/{contract_id}").status_code == 403
        assert loser.get(f"/contracts/{contract_id}/versions/1.pdf").status_code == 403
        second = client_of(clean_app, t["second"])  # an officer, but not of this case
        assert second.get(f"/contracts/{contract_id}").status_code == 200
        assert "締結を記録する" not in second.get(f"/contracts/{contract_id}").text
        assert post_form(second, f"/contracts/{contract_id}/extend", {"new_deadline": "2099-01-01", "reason": "x"},
                         form_url=f"/contracts/{contract_id}").status_code == 403


def test_the_signed_version_is_the_contract_not_a_draft_and_its_tax_clause_adds_no_tax_twice(clean_app, awarded, tmp_path):
    """Issue 18: once signed, the signed version reads 「契約書」; 第5条第2項 states the tax within the
    tax-included amount of 第1項 instead of adding tax to it; the Word copy numbers its pages and keeps
    the signatures with the closing words."""
    import io
    from datetime import datetime, time

    from docx import Document

    from tender.rules.calendar import JST
    from tests.scenario import signed

    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    with freeze_time(datetime.combine(signed_on, time(11), tzinfo=JST)):
        officer = client_of(clean_app, t["officer"])
        text = _pdf_text(officer.get(f"/contracts/{contract_id}/versions/1.pdf").data, tmp_path)
        docx = officer.get(f"/contracts/{contract_id}/versions/1.docx").data
    flat = "".join(text.split())
    assert "契約書（案）" not in flat and "契約書" in flat
    assert "前項の契約金額のうち消費税額及び地方消費税額は" in flat and "前項の金額に対して" not in flat
    document = Document(io.BytesIO(docx))
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer
    closing = next(p for p in document.paragraphs if p.text.startswith("本契約の締結を証するため"))
    assert closing.paragraph_format.keep_with_next

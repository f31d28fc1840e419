"""In a real browser: the officer awards an opened lowest-price case, drafts the contract, records
its signature and a deliverable; the contractor delivers it with a file; the officer inspects it
and records the invoice, and the payment deadline shows on the contract and on the home page.

Bids and the opening go through the operations with back-dated times; the live server runs on
the real clock, so every date typed in the browser is today's (Japan time).
"""
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tender.accounts.models import Role
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules import contracts as rules
from tender.rules.calendar import to_jst
from tender.rules.lifecycle import Procedure
from tests.browser.conftest import log_in, log_out
from tests.helpers import email_of, make_case, make_company, make_user
from tests.scenario import PDF, open_sealed, seal_bid

pytestmark = pytest.mark.browser


def _opened_case(app):
    """A lowest-price case opened eight days ago: 入札甲 8,000,000 (the lowest), 入札乙 9,000,000."""
    officer, second = make_user(app, Role.OFFICER), make_user(app, Role.OFFICER)
    companies = [make_company(app, name=name) for name in ("入札甲株式会社", "入札乙株式会社")]
    bidders = [make_user(app, Role.BIDDER, company_id=c) for c in companies]
    case_id = make_case(app, officer, procedure=Procedure.LOWEST_PRICE, estimated_price=11_000_000,
                        title="ブラウザ契約試験業務", now=datetime.now(UTC) - timedelta(days=30), officials=[officer, second])
    with app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        during, opening = case.submissions_from + timedelta(hours=1), case.opening_at
    for company_id, user_id, amount in zip(companies, bidders, (8_000_000, 9_000_000)):
        seal_bid(app, case_id, company_id, user_id, amount, now=during)
    open_sealed(app, case_id, officer, second, opening, attendees=companies)
    return case_id, officer, bidders[0]


def _submit(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _flash(page, text):
    expect(page.get_by_role("status").first).to_contain_text(text)


def test_award_draft_sign_deliver_inspect_and_payment_due(page, clean_app, tmp_path):
    case_id, officer, contractor = _opened_case(clean_app)
    today = to_jst(datetime.now(UTC)).date()
    report = tmp_path / "houkoku.pdf"
    report.write_bytes(PDF)

    log_in(page, email_of(clean_app, officer))
    page.locator("#tasks").get_by_role("link", name="落札者の決定").click()  # from あなたの作業 (issue 19)
    page.wait_for_url(f"**/cases/{case_id}/award")
    expect(page.locator("main")).to_contain_text("落札候補：入札甲株式会社")
    page.get_by_role("link", name="落札者を決定する（確認へ）").click()
    expect(page.locator("main")).to_contain_text("この操作は取り消せません")  # the confirmation page
    _submit(page, "落札者を決定する")
    _flash(page, "落札者を決定し")

    page.goto("/home")
    page.locator("#tasks").get_by_role("link", name="契約書（案）の作成").click()
    _submit(page, "契約書（案）を作成する")
    _flash(page, "契約書（案）を作成しました")
    summary = page.locator("#summary")
    expect(summary).to_contain_text("金8,800,000円")  # 8,000,000 + 10% (cut below 1 yen)
    expect(summary).to_contain_text("金800,000円")
    expect(page.locator("#deadline")).to_contain_text("契約書の提出期限")

    page.get_by_role("link", name="締結を記録する（確認へ）").click()
    expect(page.locator("main")).to_contain_text("締結の記録は取り消せません")
    page.get_by_label("契約番号").fill("R8-ブラウザ-1")
    page.get_by_label("締結日").fill(today.isoformat())
    _submit(page, "締結を記録する")
    _flash(page, "契約の締結を記録しました")
    expect(page.locator("#summary")).to_contain_text("R8-ブラウザ-1")

    page.locator("summary", has_text="期限の定めを追加する").click()
    page.get_by_label("期限の定め方").select_option("fixed")
    page.get_by_label("納入物件", exact=False).first.fill("業務計画書")
    with clean_app.app_context():
        start = db.session.get(ProcurementCase, case_id).contract_from
    page.get_by_label("期日（期日を定める場合）").fill((start + timedelta(days=5)).isoformat())
    _submit(page, "追加して納入物件を作る")
    _flash(page, "納入物件を1件作成しました")
    expect(page.locator("#deliverables")).to_contain_text("業務計画書")
    log_out(page)

    # The contractor delivers, with the file.
    log_in(page, email_of(clean_app, contractor))
    expect(page.locator("#deadlines")).to_contain_text("業務計画書")
    page.locator("#deadlines").get_by_role("link", name="業務計画書").click()
    page.locator("summary", has_text="納入の記録").click()
    page.get_by_label("納入日").fill(today.isoformat())
    page.get_by_label("納入物件のファイル").set_input_files(str(report))
    _submit(page, "納入を記録する")
    _flash(page, "納入を記録しました")
    expect(page.locator("#deliverables")).to_contain_text("houkoku.pdf")
    expect(page.locator("#deliverables")).to_contain_text("検査待ち")
    log_out(page)

    # The officer inspects it and records the invoice: the payment deadline is the end of next month.
    log_in(page, email_of(clean_app, officer))
    expect(page.locator("#deadlines")).to_contain_text("検査")
    page.locator("#deadlines").get_by_role("link", name="業務計画書").first.click()
    page.get_by_label("検査の結果").select_option("passed")
    page.get_by_label("検査日").fill(today.isoformat())
    _submit(page, "検査結果を記録する")
    _flash(page, "検査の結果を記録し")
    expect(page.locator("#deliverables")).to_contain_text("検査合格")

    page.locator("summary", has_text="請求書の受理を記録する").click()
    page.get_by_label("請求金額（税込）").fill("8,800,000")
    page.get_by_label("適法な支払請求書を受理した日").fill(today.isoformat())
    _submit(page, "記録する")
    _flash(page, "請求書の受理を記録しました")
    due = rules.payment_due(today)
    from tender.rules.wareki import format_wareki

    expect(page.locator("#payments")).to_contain_text(format_wareki(due))
    expect(page.locator("#payments")).to_contain_text("支払予定")
    page.goto("/home")
    expect(page.locator("#deadlines")).to_contain_text("支払")
    expect(page.locator("#deadlines")).to_contain_text("請求 8,800,000円")

"""In a real browser: a bidder submits a sealed bid and receives the receipt; an officer asks
to open with a witness, and a second official confirms the opening."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from tender.accounts.models import Role
from tender.bidding.models import BidRound
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import Procedure
from tests.browser.conftest import log_in, log_out
from tests.helpers import email_of, make_case, make_company, make_user

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"




def test_bidder_submits_and_two_officials_open_with_a_witness(page, clean_app, tmp_path):
    officer = make_user(clean_app, Role.OFFICER)
    second = make_user(clean_app, Role.OFFICER)
    company = make_company(clean_app, name="封印株式会社")
    bidder = make_user(clean_app, Role.BIDDER, company_id=company)
    now = datetime.now(timezone.utc)
    case_id = make_case(clean_app, officer, procedure=Procedure.LOWEST_PRICE, estimated_price=10_000_000,
                        title="ブラウザ開札試験業務", now=now - timedelta(days=2))
    proposal = tmp_path / "teian.pdf"
    proposal.write_bytes(PDF)

    log_in(page, email_of(clean_app, bidder))
    page.goto(f"/notices/{case_id}")
    page.get_by_role("link", name="入札書を提出・受理票").click()
    page.get_by_label("入札金額（消費税抜き・円）").fill("8,765,432")
    page.get_by_label("くじ番号（3桁）").fill("357")
    page.get_by_label("項目1").fill("業務一式")
    page.get_by_label("単価1").fill("8765432")
    page.get_by_label("提出書類1（必須・PDF/DOCX/XLSX）").set_input_files(str(proposal))
    page.get_by_role("button", name="入札書を提出する").click()
    page.wait_for_url("**/bid/receipt")
    receipt = page.locator("main").inner_text()
    assert "受理番号" in receipt and "照合用コード" in receipt and "封印中" in receipt
    assert "8,765,432" not in receipt
    log_out(page)

    # Time passes: the deadline and the opening time are now behind us.
    with clean_app.app_context():
        past = datetime.now(timezone.utc) - timedelta(minutes=5)
        db.session.execute(update(ProcurementCase).where(ProcurementCase.id == case_id)
                           .values(submission_deadline=past - timedelta(minutes=1), opening_at=past))
        db.session.execute(update(BidRound).values(submission_deadline=past - timedelta(minutes=1), opening_at=past))
        db.session.commit()

    log_in(page, email_of(clean_app, officer))
    page.goto(f"/cases/{case_id}")
    page.get_by_role("link", name="入札・開札").click()
    assert "8,765,432" not in page.content()
    page.get_by_label("封印株式会社").check()
    page.get_by_label("立会人の区分").select_option("bidder")
    page.get_by_label("立会人の氏名").fill("封印株式会社 立会 太郎")
    page.get_by_role("button", name="開札を請求する").click()
    assert "別の職員の確認" in page.get_by_role("status").first.inner_text()
    assert "8,765,432" not in page.content()
    log_out(page)

    log_in(page, email_of(clean_app, second))
    page.goto(f"/cases/{case_id}/opening")
    page.get_by_role("button", name="開札を確認して開封する").click()
    assert "開札しました。" in page.get_by_role("status").first.inner_text()
    opened = page.locator("main").inner_text()
    assert "金8,765,432円" in opened and "落札候補者：封印株式会社" in opened and "封印株式会社 立会 太郎" in opened

"""In a real browser: a bidder's browser seals the bid before it leaves (the POST carries no
amount), the receipt shows the bidder's own copy, an officer asks to open with a witness and a
second official confirms with their opening passphrase — the server opens what Chromium sealed."""
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from tender.accounts.models import Role
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import Procedure
from tests.browser.conftest import assert_accessible, log_in, log_out
from tests.helpers import OPENING_PASSPHRASE, email_of, make_case, make_company, make_user

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"




def _record_bid_posts(app, path, posted, monkeypatch):
    """Keep the raw body of every POST to ``path`` as it reached the server over HTTP."""
    import io

    inner = app.wsgi_app

    def middleware(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == path:
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            posted.append(body)
            environ["wsgi.input"] = io.BytesIO(body)
        return inner(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", middleware)  # the application is shared by the session: undone after


def test_bidder_submits_and_two_officials_open_with_a_witness(page, clean_app, tmp_path, monkeypatch):
    officer = make_user(clean_app, Role.OFFICER)
    second = make_user(clean_app, Role.OFFICER)
    company = make_company(clean_app, name="封印株式会社")
    bidder = make_user(clean_app, Role.BIDDER, company_id=company)
    now = datetime.now(UTC)
    case_id = make_case(clean_app, officer, procedure=Procedure.LOWEST_PRICE, estimated_price=10_000_000,
                        title="ブラウザ開札試験業務", now=now - timedelta(days=2), officials=[officer, second])
    proposal = tmp_path / "teian.pdf"
    proposal.write_bytes(PDF)

    posted = []
    _record_bid_posts(clean_app, f"/notices/{case_id}/bid", posted, monkeypatch)
    log_in(page, email_of(clean_app, bidder))
    page.goto(f"/notices/{case_id}")
    page.get_by_role("link", name="入札書を提出・受理票").click()
    page.get_by_label("入札金額（消費税抜き・円）").fill("8,765,432")
    # With tax, as typed: the page's script writes it on input (waited for, not read at once).
    expect(page.locator("#bid-amount-tax")).to_contain_text("9,641,975円")
    page.get_by_label("くじ番号（3桁）").fill("357")
    page.get_by_label("項目1", exact=True).fill("業務一式")
    page.get_by_label("単価1", exact=True).fill("8765431")  # one yen short: the browser refuses to seal
    page.get_by_label("提出書類1（必須・PDF/DOCX/XLSX）").set_input_files(str(proposal))
    page.get_by_role("button", name="提出する内容を確認する").click()
    expect(page.locator("#seal-errors")).to_contain_text("一致しません")
    assert not posted
    page.get_by_label("単価1", exact=True).fill("8765432")
    # Issue 19: the bid is restated, with what cannot be undone, before it is sealed and sent.
    page.get_by_role("button", name="提出する内容を確認する").click()
    confirm = page.locator("#bid-confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("8,765,432円")
    expect(confirm).to_contain_text("9,641,975円")
    expect(confirm).to_contain_text("357")
    expect(confirm).to_contain_text("teian.pdf")
    expect(confirm).to_contain_text("取り消しはできません")
    assert_accessible(page, "the bid page, confirming")
    assert not posted  # nothing sent yet
    page.get_by_role("button", name="この内容で入札書を封印して提出する").click()
    page.wait_for_url("**/bid/receipt")
    # What left the browser: the envelope, its fingerprint and the file — never the amount, the
    # 内訳 or the くじ番号 (typed with or without commas).
    assert len(posted) == 1
    body = posted[0].replace(PDF, b"")
    for clear in (b"8765432", b"8,765,432", "業務一式".encode(), b"lottery"):
        assert clear not in body, clear
    # A 3-digit number can occur by chance inside base64: no posted field may *be* it.
    parts = body.split(body[:body.index(b"\r\n")])
    values = [part.split(b"\r\n\r\n", 1)[1].rstrip(b"\r\n-") for part in parts if b"\r\n\r\n" in part]
    assert values and all(value.strip() != b"357" for value in values)
    assert b"tender-seal-1" in posted[0]
    receipt = page.locator("main").inner_text()
    assert "受理番号" in receipt and "封印中" in receipt and "受理時乱数" in receipt
    assert "8,765,432" not in receipt
    # The bidder's own copy, kept by its browser, shows the 照合用コード and matches the receipt.
    assert "照合用コード" in receipt and "受理票の指紋と一致しています" in receipt
    log_out(page)

    # Time passes: the deadline and the opening time are now behind us.
    with clean_app.app_context():
        past = datetime.now(UTC) - timedelta(minutes=5)
        db.session.execute(update(ProcurementCase).where(ProcurementCase.id == case_id)
                           .values(submission_deadline=past - timedelta(minutes=1), opening_at=past))
        db.session.commit()

    log_in(page, email_of(clean_app, officer))
    # The officer's home says what waits: the opening, due now (issue 19, to-do lists).
    page.goto("/home")
    page.locator("#tasks").get_by_role("link", name="開札（第1回）").click()
    assert "8,765,432" not in page.content()
    page.get_by_label("封印株式会社").check()
    page.get_by_label("立会人の区分").select_option("bidder")
    page.get_by_label("立会人の氏名（入札者の場合）").fill("封印株式会社 立会 太郎")
    page.get_by_label("開札用パスフレーズ（開札の請求）").fill(OPENING_PASSPHRASE)
    page.get_by_role("button", name="開札を請求する").click()
    assert "別の開札担当職員の確認" in page.get_by_role("status").first.inner_text()
    assert "8,765,432" not in page.content()
    log_out(page)

    log_in(page, email_of(clean_app, second))
    page.goto("/home")
    assert_accessible(page, "the second official's home")
    page.locator("#tasks").get_by_role("link", name="開札の確認（第1回）").click()
    page.get_by_role("link", name="開札を確認する（確認へ）").click()
    assert "封印に戻せません" in page.locator("main").inner_text()  # the confirmation page
    assert_accessible(page, "the opening's confirmation")
    page.get_by_label("開札用パスフレーズ（開札の確認）").fill(OPENING_PASSPHRASE)
    page.get_by_role("button", name="開札を確認して開封する").click()
    assert "開札しました。" in page.get_by_role("status").first.inner_text()
    opened = page.locator("main").inner_text()
    assert "金8,765,432円" in opened and "封印株式会社 立会 太郎" in opened
    # Where the round stands is said on the award page, the one place that decides it.
    page.get_by_role("link", name="落札者の決定へ").click()
    assert "落札候補：封印株式会社" in page.locator("main").inner_text()


def test_an_amount_typed_while_the_page_loads_gets_its_figure_with_tax(page, clean_app):
    """The field is on the page before its script has run (a slow network, a busy server): what was
    typed by then is shown with tax once the script starts, not only what is typed afterwards."""
    officer, second = make_user(clean_app, Role.OFFICER), make_user(clean_app, Role.OFFICER)
    company = make_company(clean_app, name="読込中株式会社")
    bidder = make_user(clean_app, Role.BIDDER, company_id=company)
    case_id = make_case(clean_app, officer, procedure=Procedure.LOWEST_PRICE, estimated_price=10_000_000,
                        title="読込中の入札業務", now=datetime.now(UTC) - timedelta(days=2), officials=[officer, second])
    log_in(page, email_of(clean_app, bidder))
    held = []
    page.route("**/static/js/seal-bid.js", lambda route: held.append(route))  # the script waits
    page.goto(f"/notices/{case_id}/bid", wait_until="commit")
    page.get_by_label("入札金額（消費税抜き・円）").fill("8,765,432")
    expect(page.locator("#bid-amount-tax")).to_have_text("")  # no script yet
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#bid-amount-tax")).to_contain_text("9,641,975円")

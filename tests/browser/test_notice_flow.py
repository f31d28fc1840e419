"""In a real browser: an officer publishes a case; a bidder finds it, asks a question and
reads the answer once the officer publishes it."""
from datetime import datetime, timedelta

import pytest

from tender.accounts.models import Role
from tender.rules.calendar import JST
from tests.browser.conftest import log_in, log_out
from tests.helpers import email_of, make_company, make_user

pytestmark = pytest.mark.browser




def test_officer_publishes_bidder_asks_and_reads_the_answer(page, clean_app):
    officer = make_user(clean_app, Role.OFFICER, name="担当 一郎")
    make_user(clean_app, Role.OFFICER, name="同僚 二郎")  # the colleague who opens with the officer
    bidder = make_user(clean_app, Role.BIDDER, company_id=make_company(clean_app, name="ブラウザ株式会社"))
    now = datetime.now(JST)
    stamp = lambda d: (now + timedelta(days=d)).strftime("%Y-%m-%dT%H:%M")  # noqa: E731

    log_in(page, email_of(clean_app, officer))
    page.get_by_role("link", name="案件管理").click()
    page.get_by_role("link", name="案件を作成").click()
    page.get_by_label("件名").fill("ブラウザ試験 運用支援業務")
    page.get_by_label("調達方式").select_option("lowest_price")
    page.get_by_label("業務の概要・仕様").fill("運用支援を行う。")
    page.get_by_label("公示日").fill(now.strftime("%Y-%m-%d"))
    page.get_by_label("質問受付開始").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("質問受付終了").fill(stamp(10))
    page.get_by_label("提出受付開始").fill(stamp(1))
    page.get_by_label("提出期限（必着）").fill(stamp(20))
    page.get_by_label("開札日時").fill(stamp(22))
    page.get_by_label("契約期間（開始）").fill((now + timedelta(days=40)).strftime("%Y-%m-%d"))
    page.get_by_label("契約期間（終了）").fill((now + timedelta(days=400)).strftime("%Y-%m-%d"))
    # The opening officials: the officer and a colleague (both hold opening passphrases).
    page.get_by_label("担当 一郎（部署なし）").check()
    page.get_by_label("同僚 二郎（部署なし）").check()
    page.get_by_label("予定価格（円）").fill("5,500,000")
    page.get_by_role("button", name="下書きを保存").click()
    assert "下書きとして作成しました" in page.get_by_role("status").first.inner_text()
    assert "提出書類を1つ以上登録してください。" in page.content()
    page.get_by_label("書類名").fill("入札書")
    page.get_by_role("button", name="追加", exact=True).click()
    page.get_by_role("link", name="公告する（確認へ）").click()
    assert "公告（確認）" in page.locator("h1").inner_text() and "訂正" in page.locator("main").inner_text()
    page.get_by_role("button", name="公告する").click()
    assert "公告しました" in page.get_by_role("status").first.inner_text()
    log_out(page)

    log_in(page, email_of(clean_app, bidder))
    page.get_by_role("link", name="公告", exact=True).click()
    page.get_by_label("キーワード").fill("ブラウザ試験")
    page.get_by_role("button", name="検索").click()
    page.get_by_role("link", name="ブラウザ試験 運用支援業務").click()
    assert "5,500,000" not in page.content()  # 予定価格 stays secret
    page.get_by_role("link", name="質問書を提出").click()
    page.get_by_label("資料名").fill("仕様書")
    page.get_by_label("質問内容（1様式につき1問）").fill("作業報告の様式は任意でしょうか。")
    page.get_by_role("button", name="質問を提出").click()
    assert "質問（No.1）を受け付けました" in page.get_by_role("status").first.inner_text()
    log_out(page)

    log_in(page, email_of(clean_app, officer))
    page.get_by_role("link", name="案件管理").click()
    page.get_by_role("link", name="ブラウザ試験 運用支援業務").click()
    page.get_by_role("link", name="回答する").click()
    page.get_by_label("回答（公開されます。質問者名は公開されません）").fill("任意の様式で差し支えありません。")
    page.get_by_role("button", name="回答を公開").click()
    log_out(page)

    log_in(page, email_of(clean_app, bidder))
    assert page.locator(".count").inner_text() == "1"  # お知らせ: the answer was published
    page.get_by_role("link", name="お知らせ").click()
    page.get_by_role("link", name="回答を公開しました").first.click()
    answers = page.locator("#questions").inner_text()
    assert "作業報告の様式は任意でしょうか。" in answers and "任意の様式で差し支えありません。" in answers
    assert "ブラウザ株式会社" not in answers

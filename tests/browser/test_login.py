"""The log-in and lock-out paths in a real browser."""
import pytest

from tender.accounts.models import Role
from tests.helpers import PASSWORD, email_of, events, make_user

pytestmark = pytest.mark.browser


def _submit(page, email, password):
    page.goto("/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()


def test_officer_logs_in_sees_home_and_logs_out(page, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    _submit(page, email_of(clean_app, uid), PASSWORD)
    page.wait_for_url("**/home")
    assert "さんのホーム" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="事業者", exact=True).is_visible()
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url("**/login")
    assert "ログアウトしました。" in page.content()


def test_five_wrong_passwords_make_this_browser_wait(page, clean_app):
    uid = make_user(clean_app, Role.BIDDER)
    email = email_of(clean_app, uid)
    for attempt in range(4):
        _submit(page, email, f"Wrong-Password-{attempt}")
        assert page.get_by_role("alert").inner_text().strip() == "メールアドレスまたはパスワードが正しくありません。"
    _submit(page, email, "Wrong-Password-5")
    assert "この接続からは" in page.get_by_role("alert").inner_text()
    assert "まで試せません" in page.get_by_role("alert").inner_text()
    # From here the right password waits too; the account itself is not locked for anyone else.
    _submit(page, email, PASSWORD)
    assert "まで試せません" in page.get_by_role("alert").inner_text()
    assert page.url.endswith("/login")
    assert events(clean_app, "account.locked") == []


def test_login_form_errors_are_announced_and_fields_are_labelled(page, clean_app):
    page.goto("/login")
    page.get_by_role("button", name="ログイン").click()
    assert "メールアドレスを入力してください。" in page.content()
    field = page.get_by_label("メールアドレス")
    assert field.get_attribute("aria-invalid") == "true"
    assert "email-error" in field.get_attribute("aria-describedby")

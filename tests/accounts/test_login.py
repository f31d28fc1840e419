"""Log-in, lock-out after consecutive failures, idle time-out and log-out, through HTTP."""
from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from tender.accounts.models import Role, User
from tender.extensions import db
from tests.conftest import csrf_from
from tests.helpers import PASSWORD, email_of, events, login, make_user, post_form

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)  # 10:00 JST


def _user(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_correct_password_logs_in_and_lands_on_role_home(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    response = login(client, email_of(clean_app, uid))
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    home = client.get("/home")
    assert "さんのホーム" in home.text and "調達担当者" in home.text
    [event] = events(clean_app, "login.succeeded")
    assert event.actor_id == uid and event.actor_role == "officer" and event.ip == "127.0.0.1"


def test_email_is_case_insensitive(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER, email="Mixed.Case@Example.jp")
    assert login(client, "  MIXED.case@example.JP ").status_code == 302
    assert email_of(clean_app, uid) == "mixed.case@example.jp"


def test_wrong_password_gives_one_message_for_unknown_and_known_accounts(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    known = login(client, email_of(clean_app, uid), "Wrong-password-1")
    unknown = login(client, "nobody@example.jp", "Wrong-password-1")
    for response in (known, unknown):
        assert response.status_code == 200
        assert "メールアドレスまたはパスワードが正しくありません。" in response.text
    failed = events(clean_app, "login.failed")
    assert [e.actor_name for e in failed] == [email_of(clean_app, uid), "nobody@example.jp"]
    assert '"reason":"unknown_email"' in failed[1].summary


def test_five_consecutive_failures_lock_the_account_for_fifteen_minutes(client, clean_app):
    uid = make_user(clean_app, Role.BIDDER)
    email = email_of(clean_app, uid)
    with freeze_time(T0) as frozen:
        for attempt in range(1, 5):
            response = login(client, email, f"Wrong-password-{attempt}")
            assert "正しくありません" in response.text
        response = login(client, email, "Wrong-password-5")
        assert "このアカウントは 10:15 までロックされています" in response.text
        # While locked, even the right password is refused.
        frozen.tick(timedelta(minutes=14, seconds=59))
        response = login(client, email, PASSWORD)
        assert response.status_code == 200 and "ロックされています" in response.text
        assert _user(clean_app, uid).locked_until == T0 + timedelta(minutes=15)
        # The lock is released by time, and the release is recorded.
        frozen.tick(timedelta(seconds=2))
        assert login(client, email, PASSWORD).status_code == 302
    actions = [e.action for e in events(clean_app) if e.object_type == "users"]
    assert actions[-9:] == ["login.failed"] * 5 + ["account.locked", "login.refused", "account.unlocked",
                                                    "login.succeeded"]
    assert _user(clean_app, uid).failed_logins == 0


def test_a_success_resets_the_failure_count(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    email = email_of(clean_app, uid)
    for _ in range(4):
        login(client, email, "Wrong-password-x")
    assert login(client, email).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/home").text)})
    for _ in range(4):
        login(client, email, "Wrong-password-x")
    assert _user(clean_app, uid).locked_until is None


def test_lock_threshold_is_configurable(client, clean_app):
    clean_app.config["LOGIN_MAX_FAILURES"] = 3
    try:
        uid = make_user(clean_app, Role.OFFICER)
        for _ in range(3):
            response = login(client, email_of(clean_app, uid), "Wrong-password-x")
        assert "ロックされています" in response.text
    finally:
        clean_app.config["LOGIN_MAX_FAILURES"] = 5


def test_administrator_unlocks_and_the_release_is_recorded(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    for _ in range(5):
        login(client, email_of(clean_app, uid), "Wrong-password-x")
    admin = make_user(clean_app, Role.ADMIN)
    assert login(client, email_of(clean_app, admin)).status_code == 302
    response = post_form(client, f"/admin/users/{uid}/unlock", {}, form_url=f"/admin/users/{uid}")
    assert response.status_code == 302
    assert _user(clean_app, uid).locked_until is None
    [event] = events(clean_app, "account.unlocked")
    assert event.actor_id == admin and '"reason":"administrator"' in event.summary


def test_deactivated_user_cannot_log_in(client, clean_app):
    uid = make_user(clean_app, Role.EVALUATOR)
    with clean_app.app_context():
        db.session.get(User, uid).active = False
        db.session.commit()
    response = login(client, email_of(clean_app, uid))
    assert response.status_code == 200 and "正しくありません" in response.text
    assert '"reason":"inactive"' in events(clean_app, "login.failed")[0].summary


def test_logout_requires_post_and_ends_the_session(client, clean_app):
    uid = make_user(clean_app, Role.AUDITOR)
    login(client, email_of(clean_app, uid))
    assert client.get("/logout").status_code == 405
    token = csrf_from(client.get("/home").text)
    assert client.post("/logout", data={"csrf_token": token}).headers["Location"] == "/login"
    assert client.get("/home").headers["Location"].startswith("/login")
    assert events(clean_app, "logout")[0].actor_id == uid


def test_form_without_csrf_token_is_refused_and_changes_nothing(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    response = client.post("/login", data={"email": email_of(clean_app, uid), "password": PASSWORD})
    assert response.status_code == 400 and "フォームの有効期限が切れました" in response.text
    assert events(clean_app, "login.succeeded") == []


def test_idle_session_times_out(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    with freeze_time(T0) as frozen:
        login(client, email_of(clean_app, uid))
        frozen.tick(timedelta(minutes=29))
        assert client.get("/home").status_code == 200  # activity restarts the clock
        frozen.tick(timedelta(minutes=30, seconds=1))
        response = client.get("/home")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
        assert "一定時間操作がなかったため" in client.get("/login").text
        assert client.get("/home").status_code == 302
    assert '"reason":"idle_timeout"' in events(clean_app, "logout")[0].summary


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, clean_app, target):
    uid = make_user(clean_app, Role.OFFICER)
    page = client.get("/login")
    response = client.post(f"/login?next={target}", data={
        "email": email_of(clean_app, uid), "password": PASSWORD, "csrf_token": csrf_from(page.text)})
    assert response.headers["Location"] == "/home"


def test_login_follows_a_local_next_page(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    first = client.get("/companies")
    assert first.status_code == 302 and "next=%2Fcompanies" in first.headers["Location"]
    page = client.get(first.headers["Location"])
    response = client.post(first.headers["Location"], data={
        "email": email_of(clean_app, uid), "password": PASSWORD, "csrf_token": csrf_from(page.text)})
    assert response.headers["Location"] == "/companies"


def test_session_cookie_is_httponly_and_samesite(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    response = login(client, email_of(clean_app, uid))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_changing_the_password_ends_other_sessions(clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    email = email_of(clean_app, uid)
    laptop, phone = clean_app.test_client(), clean_app.test_client()
    login(laptop, email)
    login(phone, email)
    new = "Another-Secret-77"
    response = post_form(laptop, "/profile/password", {"current": PASSWORD, "new": new, "confirm": new})
    assert response.status_code == 302
    assert laptop.get("/home").status_code == 200
    assert phone.get("/home").status_code == 302
    assert login(clean_app.test_client(), email, new).status_code == 302


@pytest.mark.parametrize("new, message", [
    ("short-A1", "12文字以上"),
    ("alllowercaseletters", "3種類以上"),
])
def test_weak_new_password_is_refused_in_japanese(client, clean_app, new, message):
    uid = make_user(clean_app, Role.OFFICER)
    login(client, email_of(clean_app, uid))
    response = post_form(client, "/profile/password", {"current": PASSWORD, "new": new, "confirm": new})
    assert response.status_code == 200 and message in response.text
    assert login(clean_app.test_client(), email_of(clean_app, uid)).status_code == 302


def test_password_containing_the_email_is_refused(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER, email="hanako@example.jp")
    login(client, "hanako@example.jp")
    new = "Hanako@example.jp-2026"
    response = post_form(client, "/profile/password", {"current": PASSWORD, "new": new, "confirm": new})
    assert response.status_code == 200 and "メールアドレス" in response.text
    assert events(clean_app, "password.changed") == []
    del uid


def test_production_hashes_use_owasps_argon2id_parameters(clean_app, monkeypatch):
    """The suite hashes cheaply (TestConfig); the production parameters are proven here once."""
    from tender.accounts import operations

    monkeypatch.setitem(clean_app.config, "PASSWORD_HASH_PARAMS", operations.OWASP_PARAMS)
    keys = ("tender_password_hasher", "tender_dummy_hash")
    for key in keys:
        monkeypatch.delitem(clean_app.extensions, key, raising=False)
    try:
        with clean_app.app_context():
            digest = operations.hash_password("Correct-Horse-42!")
            assert digest.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    finally:
        for key in keys:  # the next test builds the cheap hasher again (or monkeypatch restores it)
            clean_app.extensions.pop(key, None)

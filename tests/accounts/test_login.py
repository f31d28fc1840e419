"""Log-in, lock-out after consecutive failures, idle time-out and log-out, through HTTP."""
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from tender.accounts.models import Role, User
from tender.config import PASSWORD_ARGON2
from tender.extensions import db
from tests.helpers import PASSWORD, csrf_from, email_of, events, login, make_user, post_form

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 10:00 JST


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


def _login_from(client, address, email, password):
    page = client.get("/login", environ_base={"REMOTE_ADDR": address})
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
                       environ_base={"REMOTE_ADDR": address})


def test_wrong_password_gives_one_message_and_keeps_no_typed_address(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    known = login(client, email_of(clean_app, uid), "Wrong-password-1")
    unknown = login(client, "nobody@example.jp", "Wrong-password-1")
    for response in (known, unknown):
        assert response.status_code == 200
        assert "メールアドレスまたはパスワードが正しくありません。" in response.text
    failed = events(clean_app, "login.failed")
    # The audit trail keeps the matched account, never text typed as an address that matches none.
    assert [e.actor_name for e in failed] == [email_of(clean_app, uid), "（登録のないアドレス）"]
    assert all("nobody" not in e.summary for e in events(clean_app))
    assert '"reason":"unknown_email"' in failed[1].summary


def test_failures_slow_down_the_guesser_with_growing_delays_not_the_owner(clean_app):
    """Issue 14: five wrong passwords locked any account for 15 minutes, renewable forever by anyone."""
    uid = make_user(clean_app, Role.BIDDER)
    email = email_of(clean_app, uid)
    attacker, owner = clean_app.test_client(), clean_app.test_client()
    with freeze_time(T0) as frozen:
        for attempt in range(1, 5):
            assert "試せません" not in _login_from(attacker, "203.0.113.9", email, f"Wrong-{attempt}-aaaa").text
        response = _login_from(attacker, "203.0.113.9", email, "Wrong-5-aaaa")
        assert "10時01分 まで試せません" in response.text  # 1 minute after the fifth failure
        # The guesser is refused even with the right password while waiting…
        assert "試せません" in _login_from(attacker, "203.0.113.9", email, PASSWORD).text
        # …but the owner, from their own address, logs in at once.
        assert _login_from(owner, "198.51.100.7", email, PASSWORD).status_code == 302
        # The guesser's delays grow: 1, 2, 4, 8 minutes, then at most 15.
        waits = []
        for n in range(6):
            frozen.tick(timedelta(minutes=16))
            text = _login_from(attacker, "203.0.113.9", email, f"Wrong-{n}-bbbb").text
            waits.append(text.split("接続からは ")[1].split(" まで")[0] if "まで試せません" in text else None)
        # 10:16 +2 → 10:18, 10:32 +4 → 10:36, 10:48 +8 → 10:56, 11:04 +15 (at most) → 11:19, 11:20 +15 → 11:35
        assert waits[:5] == ["10時18分", "10時36分", "10時56分", "11時19分", "11時35分"]
    with clean_app.app_context():
        user = db.session.get(User, uid)
        assert user.locked_until is None  # the account itself is never locked by failures


def test_an_unknown_address_is_throttled_exactly_like_a_known_one(clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    answers = []
    for email in (email_of(clean_app, uid), "nobody@example.jp"):
        client = clean_app.test_client()
        with freeze_time(T0):
            for n in range(5):
                response = _login_from(client, "203.0.113.20", email, f"Wrong-{n}-cccc")
        answers.append(response.text.split('class="flash flash--error"')[1].split("</div>")[0])
    assert answers[0] == answers[1] and "試せません" in answers[0]


def test_the_owner_is_told_when_log_ins_keep_failing(clean_app, smtp):
    uid = make_user(clean_app, Role.OFFICER)
    client = clean_app.test_client()
    with freeze_time(T0):
        for n in range(5):
            _login_from(client, f"203.0.113.{n}", email_of(clean_app, uid), f"Wrong-{n}-dddd").close()
    [mail] = smtp.to(email_of(clean_app, uid))
    assert "ログインの失敗が続いています" in mail["Subject"] and "5回" in smtp.body(mail)
    owner = clean_app.test_client()
    login(owner, email_of(clean_app, uid))
    assert "5回続けて失敗しました" in owner.get("/notifications").text


def test_a_success_resets_the_failure_count(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    email = email_of(clean_app, uid)
    for _ in range(4):
        login(client, email, "Wrong-password-x")
    assert login(client, email).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/home").text)})
    for _ in range(4):
        assert "試せません" not in login(client, email, "Wrong-password-x").text
    assert _user(clean_app, uid).failed_logins == 4


def test_the_number_of_free_failures_is_configurable(client, clean_app, monkeypatch):
    monkeypatch.setitem(clean_app.config, "LOGIN_MAX_FAILURES", 3)
    uid = make_user(clean_app, Role.OFFICER)
    for _ in range(3):
        response = login(client, email_of(clean_app, uid), "Wrong-password-x")
    assert "試せません" in response.text


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

    monkeypatch.setitem(clean_app.config, "PASSWORD_HASH_PARAMS", PASSWORD_ARGON2)
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


def test_a_session_ends_at_its_absolute_lifetime_however_active(client, clean_app):
    """Issue 14: a session 30 hours old still worked although the lifetime is 12 hours."""
    uid = make_user(clean_app, Role.OFFICER)
    with freeze_time(T0) as frozen:
        login(client, email_of(clean_app, uid))
        for _ in range(35):  # active every 20 minutes: never idle
            frozen.tick(timedelta(minutes=20))
            assert client.get("/home").status_code == 200
        frozen.tick(timedelta(minutes=20))  # 12 hours after logging in
        response = client.get("/home")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
        assert "長時間が経ったため" in client.get("/login").text
    from sqlalchemy import select

    from tender.accounts.models import LoginSession

    with clean_app.app_context():
        assert db.session.execute(select(LoginSession.end_reason)).scalar_one() == "expired"

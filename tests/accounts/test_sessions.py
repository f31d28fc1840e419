"""Sessions live on the server: log-out really ends them; concurrency cannot dodge the lock."""
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from tender.accounts.models import LoginSession, Role
from tender.audit.operations import verify_chain
from tender.extensions import db
from tests.helpers import PASSWORD, csrf_from, email_of, events, login, make_user, post_form


def test_a_cookie_copied_before_logout_is_worthless_after(clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    browser = clean_app.test_client()
    login(browser, email_of(clean_app, uid))
    stolen = browser.get_cookie("tender_session").value
    browser.post("/logout", data={"csrf_token": csrf_from(browser.get("/home").text)})
    attacker = clean_app.test_client()
    attacker.set_cookie("tender_session", stolen)
    response = attacker.get("/home")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    with clean_app.app_context():
        row = db.session.execute(select(LoginSession).where(LoginSession.user_id == uid)).scalar_one()
        assert row.end_reason == "logout" and row.ended_at is not None
        assert len(row.token_hash) == 64 and row.ip == "127.0.0.1"


def test_parallel_wrong_passwords_are_all_counted_and_throttle_the_guesser(clean_app):
    uid = make_user(clean_app, Role.BIDDER)
    email = email_of(clean_app, uid)

    def attempt(i):
        return login(clean_app.test_client(), email, f"Wrong-Password-{i}").status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(attempt, range(12)))
    assert codes == [200] * 12  # every attempt answered, none crashed
    with clean_app.app_context():
        from tender.accounts.models import LoginThrottle

        throttle = db.session.execute(select(LoginThrottle)).scalar_one()
        assert throttle.failures == 5 and throttle.blocked_until is not None  # counted under its row lock
        assert verify_chain().ok
    assert len(events(clean_app, "login.failed")) == 5 and len(events(clean_app, "login.refused")) == 7
    # From this address the guesser waits, even with the right password.
    assert "試せません" in login(clean_app.test_client(), email, PASSWORD).text


def test_parallel_writers_never_fork_the_audit_chain(clean_app):
    def attempt(i):
        return login(clean_app.test_client(), f"nobody{i}@example.jp", "Wrong-Password-1").status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(attempt, range(16)))
    assert codes == [200] * 16
    rows = events(clean_app, "login.failed")
    assert len(rows) == 16 and sorted(e.seq for e in rows) == list(range(1, 17))
    with clean_app.app_context():
        assert verify_chain().ok


def test_guessing_the_current_password_locks_the_account_and_logs_out(client, clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    login(client, email_of(clean_app, uid))
    for i in range(4):
        response = post_form(client, "/profile/password", {"current": f"Guess-{i}-aaaaaa", "new": "X", "confirm": "X"})
        assert "現在のパスワードが正しくありません。" in response.text
    response = post_form(client, "/profile/password", {"current": "Guess-5-aaaaaa", "new": "X", "confirm": "X"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/home").status_code == 302
    assert len(events(clean_app, "password.change_failed")) == 5
    assert events(clean_app, "account.locked")
    # Even the right password is refused now, with the one message every refusal gets.
    refused = login(clean_app.test_client(), email_of(clean_app, uid))
    assert refused.status_code == 200 and "正しくありません" in refused.text


def test_viewing_personal_data_in_edit_forms_is_recorded(client, clean_app):
    admin = make_user(clean_app, Role.ADMIN)
    target = make_user(clean_app, Role.OFFICER, phone="03-5555-6666")
    login(client, email_of(clean_app, admin))
    assert "03-5555-6666" in client.get(f"/admin/users/{target}").text
    [event] = events(clean_app, "user.personal_data.viewed")
    assert event.actor_id == admin and event.object_id == str(target)

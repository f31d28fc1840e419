"""Issue 13 item 8: an administrator never learns a usable password of someone else.

Accounts are created without a password anybody knows and reset without one: a one-time link goes
to the user's own address (a real SMTP server here), only its SHA-256 is kept, and the administrator
sees neither the link nor a password. Mail goes out after the response, so a failing mail server
changes nothing of the action.
"""
import re
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select, text

from tender import clock
from tender.accounts.models import PasswordReset, Role, User
from tender.extensions import db
from tender.mail.models import OutboundMail
from tests.helpers import PASSWORD, csrf_from, email_of, events, login, login_as, make_company, make_user, post_form

NEW = {"email": "new.officer@example.jp", "name": "新任 花子", "role": "officer", "title": "主任",
       "phone": "03-1234-5678", "company_id": "0", "department_id": "0", "active": "y"}
LINK = re.compile(r"http://127\.0\.0\.1:5000(/password/reset/[A-Za-z0-9_-]+)")


def _sent(response):
    """A WSGI server closes each response once sent: that is when the outbox is delivered."""
    response.close()
    return response


def _link(smtp, address):
    [message] = smtp.to(address)[-1:]
    return LINK.search(smtp.body(message)).group(1)


def _set(client, link, password):
    page = client.get(link)
    assert page.status_code == 200, page.text
    return client.post(link, data={"new": password, "confirm": password, "csrf_token": csrf_from(page.text)})


def test_an_invited_user_sets_their_own_password_and_the_administrator_never_sees_it(client, clean_app, smtp):
    admin = login_as(client, clean_app, Role.ADMIN)
    response = _sent(post_form(client, "/admin/users/new", NEW))
    assert response.status_code == 302
    listing = client.get("/admin/users").text
    link = _link(smtp, "new.officer@example.jp")
    assert link not in listing and link.rsplit("/", 1)[1] not in response.get_data(as_text=True)
    with clean_app.app_context():
        row = db.session.execute(select(PasswordReset)).scalar_one()
        assert row.purpose == "invitation" and row.requested_by_id == admin
        assert link.rsplit("/", 1)[1] not in row.token_hash  # only its SHA-256 is kept
        # The mail's body is erased once delivered: the database keeps no usable link either.
        assert link not in db.session.execute(select(OutboundMail.body)).scalar_one()
    event = events(clean_app, "user.created")[-1]
    assert "03-1234-5678" not in event.summary and "（秘匿）" in event.summary
    user = clean_app.test_client()
    assert _set(user, link, "Only-I-Know-This-77").status_code == 302
    assert login(user, "new.officer@example.jp", "Only-I-Know-This-77").status_code == 302
    # The link is spent.
    assert clean_app.test_client().get(link).status_code == 404


def test_an_administrator_reset_sends_a_link_to_the_user_and_logs_in_as_nobody(client, clean_app, smtp):
    officer = make_user(clean_app, Role.OFFICER)
    login_as(client, clean_app, Role.ADMIN)
    edit = client.get(f"/admin/users/{officer}").text
    assert 'name="password"' not in edit  # no field to type someone else's password into
    _sent(post_form(client, f"/admin/users/{officer}/password-link", {}, form_url=f"/admin/users/{officer}"))
    link = _link(smtp, email_of(clean_app, officer))
    assert link not in client.get(f"/admin/users/{officer}").text
    # The officer's password is unchanged until the officer uses the link.
    assert login(clean_app.test_client(), email_of(clean_app, officer), PASSWORD).status_code == 302
    theirs = clean_app.test_client()
    login(theirs, email_of(clean_app, officer))
    assert _set(clean_app.test_client(), link, "Officer-Chose-This-9").status_code == 302
    assert theirs.get("/home").status_code == 302  # every session ended
    assert login(clean_app.test_client(), email_of(clean_app, officer), PASSWORD).status_code == 200
    assert [e.action for e in events(clean_app) if e.action.startswith("password.")][-2:] == [
        "password.link_issued", "password.changed"]


def test_a_link_expires_and_a_new_one_replaces_the_old(client, clean_app, smtp):
    officer = make_user(clean_app, Role.OFFICER)
    login_as(client, clean_app, Role.ADMIN)
    for _ in range(2):
        _sent(post_form(client, f"/admin/users/{officer}/password-link", {}, form_url=f"/admin/users/{officer}"))
    first, second = [LINK.search(smtp.body(m)).group(1) for m in smtp.to(email_of(clean_app, officer))]
    assert clean_app.test_client().get(first).status_code == 404
    with freeze_time(clock.now() + timedelta(hours=25)):
        assert clean_app.test_client().get(second).status_code == 404


def test_forgotten_passwords_get_the_same_answer_for_known_and_unknown_addresses(client, clean_app, smtp):
    officer = make_user(clean_app, Role.OFFICER)
    answers = []
    for address in (email_of(clean_app, officer), "nobody@example.jp"):
        page = client.get("/password/forgot")
        response = _sent(client.post("/password/forgot", data={"email": address, "csrf_token": csrf_from(page.text)},
                                     follow_redirects=True))
        answers.append(re.sub(r'value="[^"]+"', "", response.get_data(as_text=True)))
    assert answers[0] == answers[1] and "登録されていれば" in answers[0]
    assert len(smtp.to(email_of(clean_app, officer))) == 1 and not smtp.to("nobody@example.jp")


def test_a_mail_server_that_is_down_changes_nothing_and_the_message_waits(client, clean_app, monkeypatch, runner):
    monkeypatch.setitem(clean_app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(clean_app.config, "MAIL_PORT", 9)  # nothing listens there
    login_as(client, clean_app, Role.ADMIN)
    response = _sent(post_form(client, "/admin/users/new", NEW))
    assert response.status_code == 302
    with clean_app.app_context():
        assert db.session.execute(select(User).where(User.email == "new.officer@example.jp")).scalar_one()
        mail = db.session.execute(select(OutboundMail)).scalar_one()
        assert mail.sent_at is None and mail.attempts == 1 and "Error" in mail.last_error
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1 and "失敗 1 件" in result.output


# --- company membership --------------------------------------------------------------------------

def test_an_administrator_cannot_put_a_user_into_a_company_to_read_its_receipts(client, clean_app):
    """Issue 13 item 8: an administrator moved a bidder user into another company and read its receipts."""

    mine, theirs = make_company(clean_app, name="自社株式会社"), make_company(clean_app, name="他社株式会社")
    member = make_user(clean_app, Role.BIDDER, company_id=theirs)
    accomplice = make_user(clean_app, Role.BIDDER, company_id=mine)
    login_as(client, clean_app, Role.ADMIN)
    data = {**NEW, "email": email_of(clean_app, accomplice), "name": "協力 者", "role": "bidder",
            "company_id": str(theirs), "department_id": "0"}
    response = post_form(client, f"/admin/users/{accomplice}", data, follow=True)
    assert "承認を待っています" in response.text
    with clean_app.app_context():
        user = db.session.get(User, accomplice)
        assert user.company_id is None and user.pending_company_id == theirs
    moved = clean_app.test_client()
    login(moved, email_of(clean_app, accomplice))
    assert moved.get(f"/companies/{theirs}").status_code == 403
    assert moved.get(f"/companies/{mine}").status_code == 403  # and nothing of the old company either
    # A member of the company decides.
    their_member = clean_app.test_client()
    login(their_member, email_of(clean_app, member))
    page = their_member.get(f"/companies/{theirs}").text
    assert "承認を待っている利用者" in page and email_of(clean_app, accomplice) in page
    assert "貴社の利用者として登録されました" in their_member.get("/notifications").text
    post_form(their_member, f"/companies/{theirs}/members/{accomplice}/refuse", {}, form_url=f"/companies/{theirs}")
    with clean_app.app_context():
        user = db.session.get(User, accomplice)
        assert user.company_id is None and user.pending_company_id is None
    assert events(clean_app, "company.member_refused")[0].actor_id == member


def test_a_user_moved_out_of_a_company_loses_its_sessions_and_notifications(client, clean_app):
    first, second = make_company(clean_app), make_company(clean_app)
    bidder = make_user(clean_app, Role.BIDDER, company_id=first)
    with clean_app.app_context():
        from tender.notifications.operations import notify_companies

        notify_companies({first}, "貴社の入札の結果です。", "/home")
        db.session.commit()
    theirs = clean_app.test_client()
    login(theirs, email_of(clean_app, bidder))
    assert "貴社の入札の結果です。" in theirs.get("/notifications").text
    login_as(client, clean_app, Role.ADMIN)
    data = {**NEW, "email": email_of(clean_app, bidder), "name": "移動 者", "role": "bidder",
            "company_id": str(second), "department_id": "0"}
    post_form(client, f"/admin/users/{bidder}", data)  # the second company has no members: no approval needed
    assert theirs.get("/home").status_code == 302  # logged out
    login(theirs, email_of(clean_app, bidder))
    assert "貴社の入札の結果です。" not in theirs.get("/notifications").text
    with clean_app.app_context():
        assert db.session.get(User, bidder).company_id == second
        assert not db.session.execute(text("SELECT id FROM notifications WHERE user_id = :u"), {"u": bidder}).all()


@pytest.mark.parametrize("field, value, message", [
    ("email", "not-an-email", "メールアドレスの形式が正しくありません。"),
    ("name", "", "氏名を入力してください。"),
    ("role", "superuser", "選択肢が正しくありません。"),
])
def test_bad_user_input_is_explained_and_nothing_is_created(client, clean_app, field, value, message):
    login_as(client, clean_app, Role.ADMIN)
    response = post_form(client, "/admin/users/new", {**NEW, field: value})
    assert response.status_code == 200 and message in response.text
    with clean_app.app_context():
        assert db.session.execute(select(User).where(User.email == "new.officer@example.jp")).first() is None


def test_the_current_password_and_common_ones_are_refused_as_new(client, clean_app):
    """Issue 14: common passwords and the current password were accepted."""
    from tests.helpers import PASSWORD as current

    uid = make_user(clean_app, Role.OFFICER)
    login(client, email_of(clean_app, uid))
    for new, message in ((current, "現在のパスワードと同じです"), ("Password12345", "よく使われるパスワード"),
                         ("Qwertyuiop12", "よく使われるパスワード")):
        response = post_form(client, "/profile/password", {"current": current, "new": new, "confirm": new})
        assert response.status_code == 200 and message in response.text, new
    assert login(clean_app.test_client(), email_of(clean_app, uid), current).status_code == 302

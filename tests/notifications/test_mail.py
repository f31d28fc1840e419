"""Issue 19: お知らせ reach people by e-mail — a real SMTP server (aiosmtpd on a loopback port)
receives them — each at once, in a daily digest, or not at all as each user chose; a failed send
changes nothing of the action, waits in the outbox and is visible to the administrator, who can
send it again; the daily sweep reminds of the coming deadlines once each."""
from datetime import datetime, time, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tender.accounts.models import MailMode, Role, User
from tender.contracts.models import Contract, Deliverable
from tender.extensions import db
from tender.mail.models import OutboundMail
from tender.mail.operations import deliver_pending
from tender.notifications.models import Notification
from tender.notifications.operations import notify
from tender.rules.calendar import JST
from tests.helpers import email_of, login_as, make_user, post_form
from tests.scenario import client_of, signed


def _deliver(app):
    with app.app_context():
        deliver_pending(1000)


def test_the_award_is_mailed_to_the_winner_and_to_the_other_bidders(smtp, clean_app, awarded):
    t = awarded
    _deliver(clean_app)
    [won] = [m for m in smtp.to(email_of(clean_app, t["winner_user"])) if "落札者に決定しました" in m["Subject"]]
    body = smtp.body(won)
    assert "様" in body and "契約書は" in body
    with clean_app.test_request_context():
        from flask import url_for

        results = "http://127.0.0.1:5000" + url_for("award.results", case_id=t["case"])
    assert results in body  # the page, at the configured public address
    assert "/notifications/settings" in body  # how to change what arrives
    others = smtp.to(email_of(clean_app, t["bidders"][0]))
    assert any("落札者が決定しました" in m["Subject"] for m in others)
    assert won["From"].addresses[0].addr_spec == clean_app.config["MAIL_FROM"]


def test_the_second_official_is_mailed_that_an_opening_waits_for_them(smtp, clean_app, auction):
    from tests.scenario import request_opening, submit

    a = auction
    with freeze_time(a["during"]):
        submit(clean_app, a, 0, 9_000_000)
    request_opening(clean_app, a["case"], a["officer"], a["opening"] + timedelta(minutes=1))
    _deliver(clean_app)
    mails = smtp.to(email_of(clean_app, a["second"]))
    assert any("開札" in m["Subject"] and "確認を求められています" in m["Subject"] for m in mails)
    assert not any("確認を求められています" in m["Subject"] for m in smtp.to(email_of(clean_app, a["officer"])))


def test_a_user_chooses_the_daily_digest_and_gets_one_mail_once(smtp, clean_app, runner):
    client = clean_app.test_client()
    user_id = login_as(client, clean_app, Role.OFFICER)
    page = client.get("/notifications/settings").text
    assert "その都度メールで受け取る" in page and 'checked' in page
    done = post_form(client, "/notifications/settings", {"mode": "digest"}, follow=True)
    assert "メールの受け取り方を変更しました" in done.text
    with clean_app.app_context():
        user = db.session.get(User, user_id)
        assert user.mail_mode is MailMode.DIGEST
        notify([user], "「庁舎清掃」に質問（No.1）が届きました。", "/home")
        notify([user], "「庁舎清掃」に質問（No.2）が届きました。", "/home")
        db.session.commit()
    _deliver(clean_app)
    assert smtp.to(email_of(clean_app, user_id)) == []  # nothing at once
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and "まとめメール 1 通" in result.output, result.output
    [digest] = smtp.to(email_of(clean_app, user_id))
    body = smtp.body(digest)
    assert "（2件）" in digest["Subject"] and body.index("No.1") < body.index("No.2")
    assert "http://127.0.0.1:5000/home" in body
    result = runner.invoke(args=["notifications", "digest"])
    assert "まとめメール 0 通" in result.output and len(smtp.to(email_of(clean_app, user_id))) == 1


def test_a_user_who_wants_no_mail_gets_none_and_the_digest_does_not_bring_back_the_old(smtp, clean_app, runner):
    client = clean_app.test_client()
    user_id = login_as(client, clean_app, Role.BIDDER)
    post_form(client, "/notifications/settings", {"mode": "off"})
    with clean_app.app_context():
        notify([db.session.get(User, user_id)], "古いお知らせです。", "/home")
        db.session.commit()
    _deliver(clean_app)
    assert smtp.to(email_of(clean_app, user_id)) == []
    assert "古いお知らせです" in client.get("/notifications").text  # still on the screen
    post_form(client, "/notifications/settings", {"mode": "digest"})
    runner.invoke(args=["notifications", "digest"])
    assert smtp.to(email_of(clean_app, user_id)) == []


def test_a_choice_that_is_not_offered_changes_nothing(clean_app):
    client = clean_app.test_client()
    user_id = login_as(client, clean_app, Role.BIDDER)
    response = post_form(client, "/notifications/settings", {"mode": "weekly"})
    assert response.status_code == 200 and "入力内容に誤りがあります" in response.text
    with clean_app.app_context():
        assert db.session.get(User, user_id).mail_mode is MailMode.IMMEDIATE


def test_a_failed_send_keeps_the_action_and_the_administrator_sends_it_again(smtp, clean_app, monkeypatch):
    port = clean_app.config["MAIL_PORT"]
    monkeypatch.setitem(clean_app.config, "MAIL_PORT", 9)  # nothing listens there
    officer = make_user(clean_app, Role.OFFICER)
    with clean_app.app_context():
        notify([db.session.get(User, officer)], "「庁舎清掃」の開札の確認を求められています。", "/home")
        db.session.commit()
        assert db.session.scalar(select(Notification.id))  # the notification is there whatever mail does
    _deliver(clean_app)
    admin = clean_app.test_client()
    login_as(admin, clean_app, Role.ADMIN)
    assert "1 件のメールが送信できていません" in admin.get("/home").text
    listing = admin.get("/admin/mail").text
    assert email_of(clean_app, officer) in listing and "開札の確認" in listing and "Error" in listing
    assert "様" not in listing  # the body is never shown
    with clean_app.app_context():
        mail_id = db.session.scalar(select(OutboundMail.id))
    failed = post_form(admin, f"/admin/mail/{mail_id}/retry", {}, form_url="/admin/mail", follow=True)
    assert "今回も送信できませんでした" in failed.text
    monkeypatch.setitem(clean_app.config, "MAIL_PORT", port)
    sent = post_form(admin, f"/admin/mail/{mail_id}/retry", {}, form_url="/admin/mail", follow=True)
    assert "メールを送信しました" in sent.text and "送信できなかったメールはありません" in sent.text
    assert len(smtp.to(email_of(clean_app, officer))) == 1
    with clean_app.app_context():
        row = db.session.get(OutboundMail, mail_id)
        assert row.sent_at is not None and row.attempts == 3
    # Others may not look.
    assert client_of(clean_app, officer).get("/admin/mail").status_code == 403


def test_the_sweep_reminds_of_a_deliverable_due_once_and_then_of_it_being_late(smtp, clean_app, awarded, runner):
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    with freeze_time(datetime.combine(signed_on, time(11), tzinfo=JST)):
        post_form(client_of(clean_app, t["officer"]), f"/contracts/{contract_id}/rules",
                  {"kind": "monthly", "title": "作業実績報告書", "days": "10"}, form_url=f"/contracts/{contract_id}")
    with clean_app.app_context():
        contract = db.session.get(Contract, contract_id)
        item = db.session.execute(select(Deliverable).where(Deliverable.contract_id == contract_id)
                                  .order_by(Deliverable.due_on)).scalars().first()
        assert item is not None, "the scenario's contract has deliverables"
        due, title, item_id = item.due_on, item.title, item.id
        assert contract.company_id == t["winner"]
    _deliver(clean_app)
    winner = email_of(clean_app, t["winner_user"])
    before = len(smtp.to(winner))
    for _ in range(2):  # run twice the same morning: told once
        with freeze_time(datetime.combine(due - timedelta(days=2), time(6), tzinfo=JST)):
            assert runner.invoke(args=["contracts", "sweep"]).exit_code == 0
    reminders = [m for m in smtp.to(winner)[before:] if title in m["Subject"]]
    assert len(reminders) == 1 and "納入期限は" in smtp.body(reminders[0])
    with freeze_time(datetime.combine(due + timedelta(days=1), time(6), tzinfo=JST)):
        runner.invoke(args=["contracts", "sweep"])
    late = [m for m in smtp.to(winner)[before:] if "過ぎています" in smtp.body(m)]
    assert len(late) == 1 and title in smtp.body(late[0])
    with clean_app.app_context():
        keys = db.session.execute(select(Notification.key).where(Notification.key.is_not(None))).scalars().all()
    assert sorted(k.split(":")[0] for k in keys if k.split(":")[1] == str(item_id)) == ["due", "overdue"]

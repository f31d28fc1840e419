"""Queue a message with the action; deliver it after the response; retry what failed."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import after_this_request, current_app, g, has_request_context
from sqlalchemy import func, select

from tender import clock
from tender.extensions import db
from tender.mail.models import OutboundMail
from tender.rules.errors import OperationError
from tender.web.urls import public_url  # noqa: F401 — links in mails (tender.notifications, accounts)

log = logging.getLogger("tender.mail")
#: Give up retrying after this many attempts (visible to the administrator as failed).
MAX_ATTEMPTS = 10
ERASED = "（送信済み。本文はパスワード再設定の案内を含むため保存していません）"
ERASED_UNSENT = "（送信できませんでした。本文はパスワード再設定の案内を含むため消去しました）"


def send(to: str, subject: str, body: str, *, sensitive: bool = False) -> OutboundMail:
    """Put a message in the outbox (same transaction as the caller's change). In a request it is
    delivered once the response has gone out; elsewhere the caller (a command) delivers it."""
    row = OutboundMail(to=to, subject=subject, body=body, sensitive=sensitive, created_at=clock.now(), attempts=0)
    db.session.add(row)
    db.session.flush()
    if has_request_context():
        _deliver_after_response()
    return row


def _deliver_after_response() -> None:
    if g.get("mail_delivery_scheduled"):  # one delivery run after the response, however many messages
        return
    g.mail_delivery_scheduled = True
    app = current_app._get_current_object()

    @after_this_request
    def later(response):
        def run():
            with app.app_context():
                try:
                    from tender.jobs import operations as jobs

                    if jobs.queued():  # a worker talks to the mail server, never a web server
                        jobs.enqueue("mail.send")
                        return
                    deliver_pending()
                except Exception:  # never let delivery break anything: the outbox keeps the message
                    log.exception("mail delivery failed")
                finally:
                    db.session.remove()
        response.call_on_close(run)
        return response


def _message(row: OutboundMail) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = formataddr((config["MAIL_FROM_NAME"], config["MAIL_FROM"]))
    message["To"] = row.to
    message["Subject"] = row.subject
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(row.body)  # UTF-8, as Japanese mail clients read it
    return message


def deliver(row: OutboundMail) -> bool:
    config = current_app.config
    row.attempts += 1
    try:
        if config.get("MAIL_SERVER"):
            with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
                if config.get("MAIL_STARTTLS"):
                    smtp.starttls()
                if config.get("MAIL_USERNAME"):
                    smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
                smtp.send_message(_message(row))
        else:
            # The demo's stand-in for a mail server. A production set-up has MAIL_SERVER: links never reach its logs.
            log.info("mail (no MAIL_SERVER: logged, not sent) to=%s subject=%s\n%s", row.to, row.subject, row.body)
    except (OSError, smtplib.SMTPException, ValueError) as exc:  # ValueError: a header with a line break
        row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        if row.sensitive and row.attempts >= MAX_ATTEMPTS:
            row.body = ERASED_UNSENT  # a link nobody received must not wait in the database forever
        return False
    row.sent_at, row.last_error = clock.now(), None
    if row.sensitive:
        row.body = ERASED
    return True


def _claim(after: int) -> OutboundMail | None:
    """The oldest unsent message after ``after``, locked until this transaction ends: two workers
    delivering at once never send the same message (each claims one, sends it, commits)."""
    return db.session.execute(select(OutboundMail).where(OutboundMail.sent_at.is_(None),
                                                         OutboundMail.attempts < MAX_ATTEMPTS, OutboundMail.id > after)
                              .order_by(OutboundMail.id).limit(1).with_for_update(skip_locked=True)).scalar_one_or_none()


def deliver_pending(limit: int = 100) -> tuple[int, int]:
    """Try every unsent message (oldest first) once: (sent, failed)."""
    sent = failed = 0
    last = 0
    while sent + failed < limit:
        row = _claim(last)
        if row is None:
            break
        last = row.id
        if deliver(row):
            sent += 1
        else:
            failed += 1
        db.session.commit()
    return sent, failed


def failed_mail(limit: int = 50) -> list[OutboundMail]:
    """What was tried and not delivered, newest first (the administrator's list)."""
    return db.session.execute(select(OutboundMail).where(OutboundMail.sent_at.is_(None), OutboundMail.attempts > 0)
                              .order_by(OutboundMail.id.desc()).limit(limit)).scalars().all()


def failed_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboundMail).where(
        OutboundMail.sent_at.is_(None), OutboundMail.attempts > 0)) or 0


def retryable(row: OutboundMail) -> bool:
    """A message can be tried again unless it was sent, or its body (a password link) was erased."""
    return row.sent_at is None and row.body != ERASED_UNSENT


class MailError(OperationError):
    pass


def retry(row: OutboundMail) -> bool:
    """The administrator's 再送: try now, whatever the count of earlier attempts (the attempt and
    its error are kept either way)."""
    row = db.session.execute(select(OutboundMail).where(OutboundMail.id == row.id)
                             .with_for_update().execution_options(populate_existing=True)
                             ).scalar_one()  # read again under the lock: not while a worker is sending it
    if row.sent_at is not None:
        raise MailError("このメールは送信済みです。")
    if not retryable(row):
        raise MailError("このメールは本文（パスワード再設定の案内）を消去したため再送できません。"
                        "利用者管理から改めて案内を送ってください。")
    return deliver(row)

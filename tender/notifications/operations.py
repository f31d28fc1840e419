from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, select, update

from tender import clock, signals
from tender.accounts.models import MailMode, User
from tender.extensions import db
from tender.mail import operations as mail
from tender.notifications.models import Notification
from tender.rules.wareki import format_wareki_datetime

SUBJECT = "【tender 電子調達】"
#: The longest headline a subject carries (the message is in the body in full).
HEADLINE = 60


def page(endpoint: str, anchor: str | None = None, **values: object) -> str:
    """The path of a page, built from its endpoint as url_for builds it, in a request or not (the
    daily sweep notifies too): a notification never carries a hand-written URL."""
    adapter = current_app.url_map.bind("", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    path = adapter.build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path


def _url(path: str | None) -> str | None:
    return mail.public_url(path) if path else None


def headline(message: str) -> str:
    """A subject for the message: its first sentence, cut at ``HEADLINE`` characters."""
    first = message.split("。", 1)[0]
    return first if len(first) <= HEADLINE else first[:HEADLINE - 1] + "…"


def _footer() -> str:
    return ("\n―\nこのメールは tender 電子調達システムから自動で送信しています。返信はできません。\n"
            "メールの受け取り方（その都度・1日1回まとめて・受け取らない）は次のページで変えられます。\n"
            f"{_url(page('notifications.settings'))}\n")


def _mail_one(user: User, message: str, link: str | None) -> None:
    url = _url(link)
    body = f"{user.name} 様\n\n{message}\n"
    if url:
        body += f"\n詳しくは次のページをご覧ください（ログインが必要です）。\n{url}\n"
    mail.send(user.email, SUBJECT + headline(message), body + _footer())


def notify(users: Iterable[User], message: str, link: str | None = None, *, key: str | None = None,
           mail_too: bool = True) -> int:
    """Tell each user (once each) in the application, and by e-mail as each chose (``MailMode``):
    at once, in the next daily digest, or not. ``key`` names a reminder: a user who already has a
    notification with that key is not told again. ``mail_too=False`` when the caller sends a mail
    of its own."""
    now = clock.now()
    targets = {u.id: u for u in users}
    if key is not None and targets:
        told = set(db.session.execute(select(Notification.user_id).where(
            Notification.key == key, Notification.user_id.in_(targets))).scalars())
        targets = {i: u for i, u in targets.items() if i not in told}
    for user in targets.values():
        row = Notification(user_id=user.id, created_at=now, message=message, link=link, key=key)
        if not mail_too:
            row.mailed_at = now  # the caller's own mail told them: not again in the digest
        elif user.active and user.mail_mode is MailMode.IMMEDIATE:
            _mail_one(user, message, link)
            row.mailed_at = now
        db.session.add(row)
    return len(targets)


def set_mail_mode(user: User, mode: MailMode) -> None:
    """Change how the user hears by e-mail. What came before the change is not mailed afterwards:
    a user who turns the digest on gets tomorrow's news, not a backlog."""
    if user.mail_mode is mode:
        return
    user.mail_mode = mode
    db.session.execute(update(Notification).where(Notification.user_id == user.id, Notification.mailed_at.is_(None))
                       .values(mailed_at=clock.now()))


def send_digests(now: datetime | None = None) -> int:
    """One mail to each user who chose the daily digest, listing what they were told since the last
    one, oldest first; the notifications are marked as mailed in the same transaction as the mail
    is queued, so running it twice sends nothing twice. Returns the number of mails."""
    now = now or clock.now()
    rows = db.session.execute(
        select(Notification, User).join(User, Notification.user_id == User.id)
        .where(Notification.mailed_at.is_(None), User.mail_mode == MailMode.DIGEST, User.active.is_(True),
               Notification.created_at <= now)
        .order_by(Notification.user_id, Notification.created_at, Notification.id)).all()
    by_user: dict[int, tuple[User, list[Notification]]] = {}
    grouped: dict[int, list[Notification]] = defaultdict(list)
    for note, user in rows:
        by_user.setdefault(user.id, (user, grouped[user.id]))
        grouped[user.id].append(note)
    for user, notes in by_user.values():
        lines = [f"{user.name} 様\n", f"前回のまとめ以降のお知らせが {len(notes)} 件あります（古い順）。\n"]
        for note in notes:
            lines.append(f"■ {format_wareki_datetime(note.created_at)}\n{note.message}")
            if note.link:
                lines.append(_url(note.link) or "")
            lines.append("")
            note.mailed_at = now
        mail.send(user.email, f"{SUBJECT}お知らせのまとめ（{len(notes)}件）", "\n".join(lines) + _footer())
    return len(by_user)


def notify_companies(company_ids: Iterable[int], message: str, link: str | None = None, *,
                     key: str | None = None) -> int:
    """Every active user of each company is told."""
    ids = set(company_ids)
    if not ids:
        return 0
    users = db.session.execute(select(User).where(User.company_id.in_(ids), User.active.is_(True))).scalars()
    return notify(users, message, link, key=key)


def unread_column():
    """The unread count as a column correlated to ``User``, read with the user on every page
    (``accounts.sessions.read_with_user``)."""
    return (select(func.count()).select_from(Notification)
            .where(Notification.user_id == User.id, Notification.read_at.is_(None)).scalar_subquery())


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


@signals.company_left.connect
def _forget_company(user, company_id: int, **_) -> None:
    """A user who left a company keeps nothing they were told about it."""
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))


@signals.membership_requested.connect
def _ask_members(user, company_id: int, **_) -> None:
    members = db.session.execute(select(User).where(User.company_id == company_id, User.active.is_(True),
                                                    User.acts_as_agent.is_(False))).scalars().all()
    notify(members, f"{user.name}さん（{user.email}）がシステム管理者により貴社の利用者として登録されました。"
                    "心当たりがあれば承認してください。", page("companies.show", "pending-members", company_id=company_id))


@signals.login_failures.connect
def _tell_owner(user, count: int, **_) -> None:
    notify([user], f"あなたのアカウントへのログインが{count}回続けて失敗しました。心当たりがなければパスワードを変更してください。",
           page("accounts.change_password"), mail_too=False)  # accounts.mails.send_failures_notice mailed it

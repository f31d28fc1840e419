from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import delete, func, select

from tender import clock, signals
from tender.accounts.models import User
from tender.extensions import db
from tender.notifications.models import Notification


def page(endpoint: str, anchor: str | None = None, **values: object) -> str:
    """The path of a page, built from its endpoint as url_for builds it, in a request or not (the
    daily sweep notifies too): a notification never carries a hand-written URL."""
    adapter = current_app.url_map.bind("", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    path = adapter.build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path


def notify(users: Iterable[User], message: str, link: str | None = None) -> int:
    now = clock.now()
    count = 0
    for user in {u.id: u for u in users}.values():
        db.session.add(Notification(user_id=user.id, created_at=now, message=message, link=link))
        count += 1
    return count


def notify_companies(company_ids: Iterable[int], message: str, link: str | None = None) -> int:
    """Every active user of each company is told."""
    ids = set(company_ids)
    if not ids:
        return 0
    users = db.session.execute(select(User).where(User.company_id.in_(ids), User.active.is_(True))).scalars()
    return notify(users, message, link)


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
           page("accounts.change_password"))

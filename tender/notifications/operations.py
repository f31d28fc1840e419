from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from tender import clock
from tender.accounts.models import User
from tender.extensions import db
from tender.notifications.models import Notification


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

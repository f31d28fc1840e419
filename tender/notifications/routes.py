from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select, update

from tender import clock
from tender.extensions import db
from tender.notifications.models import Notification
from tender.policy import require
from tender.web.pages import keyset

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("")
@require("notifications.view")
def index():
    stmt = select(Notification).where(Notification.user_id == current_user.id)
    page = keyset(stmt, (Notification.id,), per_page=30)
    unread = {n.id for n in page.items if n.read_at is None}
    if unread:  # shown now, so read
        db.session.execute(update(Notification).where(Notification.id.in_(unread)).values(read_at=clock.now()))
        db.session.commit()
    return render_template("notifications/index.html", page=page, unread=unread)

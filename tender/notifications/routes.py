from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select, update

from tender import clock
from tender.accounts.models import MailMode
from tender.extensions import db
from tender.notifications.forms import MailSettingsForm
from tender.notifications.models import Notification
from tender.notifications.operations import set_mail_mode
from tender.policy import require
from tender.web.pages import apply_form, keyset

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


@bp.route("/settings", methods=["GET", "POST"])
@require("notifications.view")
def settings():
    user = current_user._get_current_object()
    form = MailSettingsForm()
    if request.method == "GET":
        form.mode.data = user.mail_mode.value
    if apply_form(form, lambda f: set_mail_mode(user, MailMode(f.mode.data)),
                  "メールの受け取り方を変更しました。", inline=True):
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, user=user)

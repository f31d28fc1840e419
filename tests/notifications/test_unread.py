"""The menu's count of unread notifications (お知らせ) is read with the user: it is never the
count from before the page itself read them, nor misses one that came since."""
from tender.accounts.models import Role, User
from tender.extensions import db
from tender.notifications.operations import notify
from tests.helpers import email_of, login, make_user

BADGE = 'aria-label="未読 {n} 件"'


def _tell(app, uid: int, message: str) -> None:
    with app.app_context():
        notify([db.session.get(User, uid)], message, "/home")
        db.session.commit()


def test_the_menu_counts_the_unread_and_the_notifications_page_shows_them_read(clean_app):
    uid = make_user(clean_app, Role.OFFICER)
    client = clean_app.test_client()
    login(client, email_of(clean_app, uid))
    _tell(clean_app, uid, "「庁舎清掃」に質問（No.1）が届きました。")
    _tell(clean_app, uid, "「庁舎清掃」に質問（No.2）が届きました。")
    assert BADGE.format(n=2) in client.get("/profile").text
    # The page marks what it shows as read: its own menu counts none left.
    page = client.get("/notifications").text
    assert "質問（No.2）" in page and 'aria-label="未読' not in page
    assert 'aria-label="未読' not in client.get("/profile").text
    _tell(clean_app, uid, "「庁舎清掃」の開札の確認を求められています。")
    assert BADGE.format(n=1) in client.get("/profile").text

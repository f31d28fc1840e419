"""The public page cache (tender.web.pagecache, issue 16): an anonymous visitor's board and notice
are served again while nothing changed; a committed change shows at once; nothing personal is
ever kept or served."""
import time

import pytest
from sqlalchemy import update

from tender.accounts.models import Role
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.web import pagecache
from tests.helpers import email_of, login, make_case, make_company, make_user, post_form


@pytest.fixture
def cached(clean_app):
    clean_app.config["PUBLIC_PAGE_CACHE_SECONDS"] = 30
    pagecache.pages.clear()
    pagecache.fragments.clear()
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, title="キャッシュ試験の清掃業務")
    yield clean_app, officer, case_id
    clean_app.config["PUBLIC_PAGE_CACHE_SECONDS"] = 0
    pagecache.pages.clear()
    pagecache.fragments.clear()


def _retitle_behind_the_trail(app, case_id: int, title: str) -> None:
    """A change that no operation made (no audit event): only the cache can hide it."""
    with app.app_context():
        db.session.execute(update(ProcurementCase).where(ProcurementCase.id == case_id).values(title=title))
        db.session.commit()


def test_a_visitor_gets_the_page_made_for_the_one_before(cached):
    app, _, case_id = cached
    visitor = app.test_client()
    assert "キャッシュ試験の清掃業務" in visitor.get("/notices").text
    assert "キャッシュ試験の清掃業務" in visitor.get(f"/notices/{case_id}").text
    _retitle_behind_the_trail(app, case_id, "書き換えた件名")
    # Served from the cache: the database was not read again for the page.
    board = app.test_client().get("/notices")
    assert board.status_code == 200 and "キャッシュ試験の清掃業務" in board.text
    assert board.headers["Content-Type"].startswith("text/html")
    assert "X-Request-ID" in board.headers and board.headers["X-Frame-Options"] == "DENY"  # hooks still run
    assert "キャッシュ試験の清掃業務" in app.test_client().get(f"/notices/{case_id}").text
    # Another query string is another page.
    assert "書き換えた件名" in app.test_client().get("/notices?procedure=").text


def test_the_cache_forgets_after_its_seconds(cached, monkeypatch):
    app, _, case_id = cached
    app.test_client().get("/notices")
    _retitle_behind_the_trail(app, case_id, "書き換えた件名")
    later = time.monotonic() + 31
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: later)
    assert "書き換えた件名" in app.test_client().get("/notices").text


def test_a_committed_change_shows_at_once(cached):
    """A cancellation is recorded in the audit trail in its transaction: the head moves and the
    next visitor gets a page made after it."""
    app, officer, case_id = cached
    assert "取り止め" not in app.test_client().get(f"/notices/{case_id}").text
    client = app.test_client()
    login(client, email_of(app, officer))
    done = post_form(client, f"/cases/{case_id}/cancel", {"reason": "予算の都合により"}, form_url=f"/cases/{case_id}",
                     follow=True)
    assert done.status_code == 200
    assert "予算の都合により" in app.test_client().get(f"/notices/{case_id}").text


def test_nothing_personal_is_kept_or_served(cached):
    """A request with a cookie (a user, a flash, a CSRF token) is neither served from the cache nor
    stored in it: the logged-in user's page is never shown to a visitor, nor the other way."""
    app, officer, case_id = cached
    user = make_user(app, Role.OFFICER, name="閲覧 次郎")
    client = app.test_client()
    login(client, email_of(app, user))
    mine = client.get("/notices").text
    assert "閲覧 次郎" in mine
    assert "閲覧 次郎" not in app.test_client().get("/notices").text
    # The user's page is made for them (their name, their CSRF token), around the board's list,
    # which is the same for everyone and kept like a visitor's page.
    _retitle_behind_the_trail(app, case_id, "書き換えた件名")
    again = client.get("/notices").text
    assert "閲覧 次郎" in again and "キャッシュ試験の清掃業務" in again
    assert "キャッシュ試験の清掃業務" in app.test_client().get("/notices").text
    assert all("csrf" not in fragment.lower() and "閲覧 次郎" not in fragment
               for _, fragment in pagecache.fragments._rows.values())


def test_a_bidders_notice_page_keeps_its_own_part_fresh(cached):
    """The public text of a notice is shared; the company's part (registration, verdicts) is
    made for each request, so a registration shows at once, and never on another's page."""
    app, officer, case_id = cached
    bidder = make_user(app, Role.BIDDER, company_id=make_company(app, name="鮮度確認株式会社"))
    client = app.test_client()
    login(client, email_of(app, bidder))
    page = client.get(f"/notices/{case_id}").text
    assert "鮮度確認株式会社 の参加" in page and "参加予定として登録" in page
    _retitle_behind_the_trail(app, case_id, "書き換えた件名")
    done = post_form(client, f"/notices/{case_id}/register", {}, form_url=f"/notices/{case_id}", follow=True)
    assert done.status_code == 200
    page = client.get(f"/notices/{case_id}").text
    assert "参加予定登録済み" in page
    # The registration was recorded in the trail: the shared parts were made again.
    assert "書き換えた件名" in page
    other = app.test_client()
    login(other, email_of(app, make_user(app, Role.BIDDER, company_id=make_company(app, name="別会社株式会社"))))
    theirs = other.get(f"/notices/{case_id}").text
    assert "別会社株式会社 の参加" in theirs and "鮮度確認株式会社" not in theirs
    assert "鮮度確認株式会社" not in app.test_client().get(f"/notices/{case_id}").text


def test_off_when_configured_off(cached):
    app, _, case_id = cached
    app.config["PUBLIC_PAGE_CACHE_SECONDS"] = 0
    app.test_client().get("/notices")
    _retitle_behind_the_trail(app, case_id, "書き換えた件名")
    assert "書き換えた件名" in app.test_client().get("/notices").text

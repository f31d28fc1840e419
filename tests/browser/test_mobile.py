"""Issue 19: on a phone (390 px wide) the header is compact — one row for the brand and the user's
menu, one scrolling row for the navigation — and no page scrolls sideways as a whole; a wide table
scrolls inside its own frame."""
import pytest

from tender.accounts.models import Role
from tests.browser.conftest import log_in
from tests.helpers import email_of, make_case, make_user

pytestmark = pytest.mark.browser


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_officers_pages_fit_a_phone(page, clean_app):
    officer = make_user(clean_app, Role.OFFICER, name="調達 花子")
    case_id = make_case(clean_app, officer, title="庁舎の清掃業務及び設備保守点検業務（長い件名の例）")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, email_of(clean_app, officer))
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 110, header
    assert page.get_by_role("link", name="案件管理").is_visible()
    for path in ("/home", "/cases", f"/cases/{case_id}", "/notices", f"/notices/{case_id}", "/notifications", "/ocds", "/api"):
        page.goto(path)
        assert _overflow(page) <= 0, (path, _overflow(page))

"""Issue 19: axe-core finds no accessibility violation on the main pages of each role, on the
demo-like world of a published case, a bid, an opening and a draft contract."""
import pytest

from tender.accounts.models import Role
from tests.browser.conftest import assert_accessible, log_in, log_out
from tests.helpers import email_of, make_case, make_company, make_user

pytestmark = pytest.mark.browser


def test_the_main_pages_of_each_role_have_no_violation(page, clean_app):
    officer = make_user(clean_app, Role.OFFICER, name="調達 花子")
    company = make_company(clean_app, name="アクセス株式会社")
    bidder = make_user(clean_app, Role.BIDDER, company_id=company)
    case_id = make_case(clean_app, officer, title="アクセシビリティ確認業務")
    draft_id = make_case(clean_app, officer, publish=False, title="下書きの業務")
    admin, auditor, evaluator = (make_user(clean_app, r) for r in (Role.ADMIN, Role.AUDITOR, Role.EVALUATOR))
    visits = {
        None: ["/login", "/notices", f"/notices/{case_id}", "/ocds", "/api"],
        officer: ["/home", "/cases", f"/cases/{case_id}", f"/cases/{draft_id}", f"/cases/{draft_id}/publish",
                  f"/cases/{case_id}/opening", "/companies", f"/companies/{company}", "/notifications",
                  "/notifications/settings", "/profile"],
        bidder: ["/home", f"/notices/{case_id}", f"/notices/{case_id}/bid", "/mine", f"/companies/{company}",
                 "/profile/tokens"],
        admin: ["/home", "/admin/users", "/admin/mail", "/admin/users/new"],
        auditor: ["/home", "/audit", "/audit/cases", f"/audit/cases/{case_id}"],
        evaluator: ["/home"],
    }
    for user, paths in visits.items():
        if user is not None:
            log_in(page, email_of(clean_app, user))
        for path in paths:
            page.goto(path)
            assert_accessible(page, path)
        if user is not None:
            log_out(page)

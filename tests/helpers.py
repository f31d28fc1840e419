"""Small builders for tests (cf. CTFd's tests/helpers.py): each returns an id."""
from __future__ import annotations

from itertools import count

from tender.accounts.models import Role
from tender.accounts.operations import create_user
from tender.companies.models import Company
from tender.companies.operations import save_company
from tender.extensions import db
from tender.rules.corporate_number import corporate_number_check_digit
from tests.conftest import csrf_from

PASSWORD = "Correct-Horse-42!"
_seq = count(1)


def make_corporate_number(n: int | None = None) -> str:
    base = f"{(n if n is not None else next(_seq)) + 700000000000:012d}"
    return f"{corporate_number_check_digit(base)}{base}"


def make_company(app, **values) -> int:
    with app.app_context():
        company = Company()
        defaults = {"name": f"テスト株式会社{next(_seq)}", "corporate_number": make_corporate_number(),
                    "address": "東京都千代田区1-1", "representative_title": "代表取締役",
                    "representative_name": "試験 太郎", "capital": 10_000_000, "employees": 20,
                    "industry": "software"}
        save_company(company, defaults | values)
        db.session.commit()
        return company.id


def make_user(app, role: Role = Role.OFFICER, email: str | None = None, password: str = PASSWORD, **attrs) -> int:
    with app.app_context():
        if role is Role.BIDDER and "company_id" not in attrs:
            attrs["company_id"] = None
        user = create_user(email=email or f"{role.value}{next(_seq)}@example.jp", name=f"{role.label} 利用者",
                           role=role, password=password, **attrs)
        db.session.commit()
        return user.id


def email_of(app, user_id: int) -> str:
    from tender.accounts.models import User

    with app.app_context():
        return db.session.get(User, user_id).email


def login(client, email: str, password: str = PASSWORD, follow: bool = False):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
                       follow_redirects=follow)


def login_as(client, app, role: Role = Role.OFFICER, **attrs) -> int:
    user_id = make_user(app, role, **attrs)
    response = login(client, email_of(app, user_id))
    assert response.status_code == 302, response.text
    return user_id


def post_form(client, url: str, data: dict, *, form_url: str | None = None, follow: bool = False):
    """Submit a form as a browser would: fetch the page for its CSRF token, then post."""
    page = client.get(form_url or url)
    assert page.status_code == 200, f"{form_url or url}: {page.status_code}"
    return client.post(url, data={**data, "csrf_token": csrf_from(page.text)}, follow_redirects=follow)


def events(app, action: str | None = None) -> list:
    from sqlalchemy import select

    from tender.audit.models import AuditEvent

    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.seq)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        rows = db.session.execute(stmt).scalars().all()
        db.session.expunge_all()
        return rows

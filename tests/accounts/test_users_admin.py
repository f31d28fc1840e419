"""The administrator manages users; nobody else may."""
import pytest
from sqlalchemy import select

from tender.accounts.models import Role, User
from tender.extensions import db
from tests.helpers import email_of, events, login, login_as, make_company, make_user, post_form

NEW = {"email": "new.officer@example.jp", "name": "新任 花子", "role": "officer", "title": "主任",
       "phone": "03-1234-5678", "company_id": "0", "department_id": "0", "active": "y"}


def _users(app):
    with app.app_context():
        return {u.email: (u.role, u.company_id, u.active) for u in db.session.execute(select(User)).scalars()}


def _id(app, email):
    with app.app_context():
        return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


def test_duplicate_email_is_refused(client, clean_app):
    login_as(client, clean_app, Role.ADMIN)
    make_user(clean_app, Role.OFFICER, email="new.officer@example.jp")
    response = post_form(client, "/admin/users/new", {**NEW, "email": "NEW.officer@example.jp"})
    assert "既に登録されています" in response.text


def test_bidder_needs_a_company(client, clean_app):
    login_as(client, clean_app, Role.ADMIN)
    response = post_form(client, "/admin/users/new", {**NEW, "role": "bidder"})
    assert "所属事業者を選択してください" in response.text
    company = make_company(clean_app)
    response = post_form(client, "/admin/users/new", {**NEW, "role": "bidder", "company_id": str(company),
                                                      "acts_as_agent": "y"})
    assert response.status_code == 302
    assert _users(clean_app)["new.officer@example.jp"] == (Role.BIDDER, company, True)


def test_deactivating_a_user_ends_their_sessions(clean_app):
    user = make_user(clean_app, Role.EVALUATOR)
    their = clean_app.test_client()
    login(their, email_of(clean_app, user))
    assert their.get("/home").status_code == 200
    admin = clean_app.test_client()
    login_as(admin, clean_app, Role.ADMIN)
    data = {**NEW, "email": email_of(clean_app, user), "role": "evaluator"}
    del data["active"]
    assert post_form(admin, f"/admin/users/{user}", data).status_code == 302
    assert their.get("/home").status_code == 302
    [event] = events(clean_app, "user.updated")
    assert '"active":[true,false]' in event.summary


def test_administrator_cannot_remove_their_own_administrator_role(client, clean_app):
    admin = login_as(client, clean_app, Role.ADMIN)
    data = {**NEW, "email": email_of(clean_app, admin), "role": "officer", "password": ""}
    response = post_form(client, f"/admin/users/{admin}", data)
    assert response.status_code == 200 and "自分自身の管理者権限" in response.text
    assert _users(clean_app)[email_of(clean_app, admin)][0] is Role.ADMIN


@pytest.mark.parametrize("role", [Role.OFFICER, Role.BIDDER, Role.EVALUATOR, Role.AUDITOR])
def test_other_roles_cannot_manage_users(client, clean_app, role):
    login_as(client, clean_app, role)
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/users/new").status_code == 403


def test_user_list_filters_by_role_and_search(client, clean_app):
    login_as(client, clean_app, Role.ADMIN)
    make_user(clean_app, Role.AUDITOR, email="kansa@example.jp")
    make_user(clean_app, Role.OFFICER, email="chotatsu@example.jp")
    page = client.get("/admin/users?role=auditor").text
    assert "kansa@example.jp" in page and "chotatsu@example.jp" not in page
    page = client.get("/admin/users?q=chotatsu").text
    assert "chotatsu@example.jp" in page and "kansa@example.jp" not in page

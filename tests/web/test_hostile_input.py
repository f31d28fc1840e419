"""Odd or hostile input gets a page or a Japanese message, never a server error."""
import pytest

from tender.accounts.models import Role
from tests.helpers import login_as, make_company, make_corporate_number, make_user, post_form


@pytest.mark.parametrize("query", ["page=2&endpoint=x", "page=99999999999999999999", "page=-5", "page=abc",
                                   "q=%25", "q=_", "q=' OR 1=1 --", "_x=1&page=2"])
def test_list_pages_survive_odd_query_strings(client, clean_app, query):
    login_as(client, clean_app, Role.ADMIN)
    for path in ["/companies", "/admin/users"]:
        assert client.get(f"{path}?{query}").status_code == 200, path


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31", "from=2026-13-45", "action=%25", "object_id=x"])
def test_audit_search_survives_odd_dates(client, clean_app, query):
    login_as(client, clean_app, Role.AUDITOR)
    assert client.get(f"/audit?{query}").status_code == 200


def test_wildcards_in_searches_are_taken_literally(client, clean_app):
    make_company(clean_app, name="普通株式会社")
    make_company(clean_app, name="百％株式会社")
    login_as(client, clean_app, Role.OFFICER)
    assert "普通株式会社" not in client.get("/companies?q=_").text
    assert "普通株式会社" not in client.get("/companies?q=%25").text


def test_search_is_case_insensitive_on_every_database(client, clean_app):
    make_user(clean_app, Role.AUDITOR, email="kansa.taro@example.jp")
    login_as(client, clean_app, Role.ADMIN)
    assert "kansa.taro@example.jp" in client.get("/admin/users?q=KANSA").text


def test_absurd_capital_is_refused_in_japanese(client, clean_app):
    login_as(client, clean_app, Role.OFFICER)
    response = post_form(client, "/companies/new", {
        "name": "巨大株式会社", "corporate_number": make_corporate_number(), "address": "東京都",
        "representative_title": "代表", "representative_name": "某", "capital": "99999999999999999999",
        "industry": "software"})
    assert response.status_code == 200 and "金額が大きすぎます" in response.text


def test_tampered_region_gets_a_japanese_message(client, clean_app):
    company = make_company(clean_app)
    login_as(client, clean_app, Role.OFFICER)
    response = post_form(client, f"/companies/{company}/qualifications/new", {
        "category": "services", "grade": "A", "regions": ["火星"], "valid_from_fy": "2026", "valid_to_fy": "2026"})
    assert response.status_code == 200 and "選択肢が正しくありません。" in response.text
    assert "not a valid choice" not in response.text

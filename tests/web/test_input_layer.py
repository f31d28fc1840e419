"""Issue 14: one input layer — NFC text, control characters and direction overrides refused with a
message at the field, plausible dates, NUL and non-UTF-8 refused for the whole request."""
import unicodedata

import pytest
from sqlalchemy import func, select

from tender.accounts.models import Role
from tender.companies.models import Company, Suspension
from tender.extensions import db
from tender.web.input import forbidden_characters, search_key
from tests.helpers import csrf_from, login_as, make_company, make_corporate_number, post_form


def _new_company(client, **overrides):
    data = {"name": "入力株式会社", "corporate_number": make_corporate_number(), "address": "東京都千代田区1-1",
            "representative_title": "代表取締役", "representative_name": "入力 太郎", "capital": "10,000,000",
            "employees": "10", "industry": "software"}
    return post_form(client, "/companies/new", {**data, **overrides})


def _companies(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Company))


@pytest.mark.parametrize("name, shown", [
    ("\u202e株式会社反転", "U+202E"),
    ("株式会社\x07ベル", "U+0007"),
    ("株式会社\u200fマーク", "U+200F"),
    ("株式会社\u2028改行", "U+2028"),
])
def test_control_and_direction_characters_are_refused_with_their_name(client, clean_app, name, shown):
    login_as(client, clean_app, Role.OFFICER)
    response = _new_company(client, name=name)
    assert response.status_code == 200 and "使えない文字" in response.text and shown in response.text
    assert _companies(clean_app) == 0


def test_text_is_stored_in_nfc(client, clean_app):
    login_as(client, clean_app, Role.OFFICER)
    decomposed = unicodedata.normalize("NFD", "株式会社ガギグ")
    assert decomposed != "株式会社ガギグ"
    assert _new_company(client, name=decomposed).status_code == 302
    with clean_app.app_context():
        assert db.session.execute(select(Company.name)).scalar_one() == "株式会社ガギグ"


def test_a_text_area_keeps_its_line_breaks(client, clean_app):
    company = make_company(clean_app)
    login_as(client, clean_app, Role.OFFICER)
    response = post_form(client, f"/companies/{company}/suspensions/new", {
        "issuer": "某省", "starts_on": "2026-04-01", "ends_on": "2026-05-01", "reason": "一行目\r\n二行目\t（字下げ）"})
    assert response.status_code == 302
    with clean_app.app_context():
        assert "\n二行目" in db.session.execute(select(Suspension.reason)).scalar_one()


@pytest.mark.parametrize("starts, ends", [("0001-01-01", "2026-05-01"), ("2026-04-01", "9999-12-31")])
def test_implausible_dates_are_refused(client, clean_app, starts, ends):
    company = make_company(clean_app)
    login_as(client, clean_app, Role.OFFICER)
    response = post_form(client, f"/companies/{company}/suspensions/new", {
        "issuer": "某省", "starts_on": starts, "ends_on": ends, "reason": "試験"})
    assert response.status_code == 200 and "1900年から2099年の間" in response.text
    with clean_app.app_context():
        assert db.session.execute(select(Suspension)).first() is None


@pytest.mark.parametrize("body", [b"name=a%00b", b"name=%ff%fe", b"q=%C3%28"])
def test_nul_and_text_that_is_not_utf8_are_refused_for_the_whole_request(client, clean_app, body):
    login_as(client, clean_app, Role.OFFICER)
    token = csrf_from(client.get("/companies/new").text)
    response = client.post("/companies/new", data=body + b"&csrf_token=" + token.encode(),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "UTF-8 でない文字" in response.text
    assert _companies(clean_app) == 0
    assert client.get("/notices?q=" + body.decode().split("=", 1)[1]).status_code == 400


def test_ids_beyond_the_database_are_not_found(client, clean_app):
    login_as(client, clean_app, Role.OFFICER)
    for url in ("/companies/2147483648", "/cases/1000000000000000000000000000000", "/notices/2147483647"):
        assert client.get(url).status_code == 404, url


def test_search_keys_fold_width_and_drop_control_characters():
    assert search_key("２０２６－０００９") == "2026-0009"
    assert search_key("ｳｪﾌﾞ") == "ウェブ"
    assert search_key(" 清掃\x00 ") == "清掃"
    assert forbidden_characters("a\nb\tc", multiline=True) == []
    assert forbidden_characters("a\nb", multiline=False) == ["U+000A"]

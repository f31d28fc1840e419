"""Issue 21, the public API: what the board publishes, as JSON — cases (searched, filtered, paged by
keyset), a notice, its 訂正 and answers, the 入札結果 once decided, the published contracts — and
nothing the board does not show (drafts, notices before their 公示日). Errors are JSON with a
Japanese message and a stable code; the OpenAPI 3.1 document describes every operation, and a page
reads it to people without JavaScript."""
from __future__ import annotations

from datetime import datetime, timedelta

from tender.accounts.models import Role, User
from tender.extensions import db
from tender.notices import operations as notices
from tender.notices.models import ProcurementCase
from tender.rules.calendar import JST
from tender.rules.lifecycle import Procedure
from tests.helpers import make_case, make_user
from tests.scenario import publish, signed


def test_cases_are_the_public_ones_newest_first_paged_by_cursor(clean_app, client):
    officer = make_user(clean_app)
    public = [make_case(clean_app, officer, title=f"公開案件{i}") for i in range(5)]
    draft = make_case(clean_app, officer, publish=False, title="下書きの案件")
    seen, cursor = [], None
    while True:
        body = client.get("/api/v1/cases", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})}).get_json()
        seen += [c["id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(public) and draft not in seen and len(seen) == len(set(seen))
    first = client.get("/api/v1/cases").get_json()["items"][0]
    assert first["ocid"].startswith("ocds-jptndr-") and first["url"].endswith(f"/notices/{first['id']}")
    assert first["published_at"].endswith("+09:00")
    missing = client.get(f"/api/v1/cases/{draft}")
    assert missing.status_code == 404 and missing.get_json() == {
        "code": "not_found", "message": "指定されたものは存在しないか、公開されていません。", "errors": []}


def test_search_ignores_width_and_finds_two_character_words(clean_app, client):
    officer = make_user(clean_app)
    make_case(clean_app, officer, title="庁舎清掃業務")
    make_case(clean_app, officer, title="ウェブサイト保守", procedure=Procedure.LOWEST_PRICE)
    assert [c["title"] for c in client.get("/api/v1/cases?q=清掃").get_json()["items"]] == ["庁舎清掃業務"]
    assert [c["title"] for c in client.get("/api/v1/cases?q=ｳｪﾌﾞ").get_json()["items"]] == ["ウェブサイト保守"]
    lowest = client.get("/api/v1/cases?procedure=lowest_price").get_json()["items"]
    assert [c["procedure_label"] for c in lowest] == ["一般競争入札（最低価格落札方式）"]


def test_refused_parameters_answer_422_in_japanese_with_each_field(client):
    for query in ("limit=0", "limit=101", "limit=abc", "procedure=auction", "q=" + "x" * 101):
        response = client.get(f"/api/v1/cases?{query}")
        body = response.get_json()
        assert response.status_code == 422 and body["code"] == "invalid_parameter", query
        assert body["message"] == "パラメータが正しくありません。" and body["errors"][0]["field"] == query.split("=")[0]
        assert body["errors"][0]["message"] in ("小さすぎます。", "大きすぎます。", "整数で指定してください。",
                                                "指定できる値ではありません。", "長すぎます。")
    assert client.get("/api/v1/cases?q=%00").get_json()["code"] == "bad_request"
    assert client.get("/api/v1/cases/99999999999").get_json()["code"] == "not_found"
    assert client.get("/api/v1/nothing").get_json()["code"] == "not_found"
    refused = client.post("/api/v1/cases")
    assert refused.status_code == 405 and refused.get_json()["code"] == "method_not_allowed"
    assert "GET" in refused.headers["Allow"]


def test_a_notice_its_amendments_and_its_answers(clean_app, client):
    from tests.helpers import make_company

    officer = make_user(clean_app)
    case_id = make_case(clean_app, officer, place_of_performance="本庁舎")
    company = make_company(clean_app, name="質問者株式会社")
    asker = make_user(clean_app, Role.BIDDER, company_id=company)
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        by = db.session.get(User, officer)
        now = max(case.published_at, case.questions_from or case.published_at) + timedelta(minutes=1)
        notices.amend(case, {"place_of_performance": "別館"}, "履行場所を訂正します。", by=by, now=now)
        question = notices.ask(case, db.session.get(User, asker).company, {"document": "仕様書", "page": "3", "item": "体制",
                                                                          "body": "要員は何名ですか。"},
                               by=db.session.get(User, asker), now=now)
        notices.answer(question, "3名以上です。", by=by, now=now + timedelta(minutes=5))
        db.session.commit()
    detail = client.get(f"/api/v1/cases/{case_id}").get_json()
    assert detail["place_of_performance"] == "別館" and detail["amendment_count"] == 1
    [amendment] = client.get(f"/api/v1/cases/{case_id}/amendments").get_json()["items"]
    assert amendment["summary"] == "履行場所を訂正します。" and amendment["number"] == 1
    [answer] = client.get(f"/api/v1/cases/{case_id}/answers").get_json()["items"]
    assert answer["answer"] == "3名以上です。" and answer["question"] == "要員は何名ですか。"
    assert "質問者株式会社" not in str(answer)  # who asked is not published


def test_the_result_appears_with_the_award_and_the_contract_with_its_publication(clean_app, awarded, client):
    t = awarded
    result = client.get(f"/api/v1/cases/{t['case']}/result").get_json()
    assert result["winner"] == {"name": "入札B株式会社", "corporate_number": result["winner"]["corporate_number"]}
    assert result["award_price"] == 9_350_000 and result["bidders"] == 3 and result["contract"] is None
    assert client.get("/api/v1/contracts").get_json()["items"] == []
    contract_id, signed_on = signed(clean_app, t)
    assert client.get(f"/api/v1/contracts/{contract_id}").status_code == 404  # signed, not yet published
    publish(clean_app, t, contract_id, signed_on)
    contract = client.get(f"/api/v1/contracts/{contract_id}").get_json()
    assert contract["amount_total"] == 9_350_000 and contract["contractor"]["name"] == "入札B株式会社"
    assert client.get(f"/api/v1/cases/{t['case']}/result").get_json()["contract"]["id"] == contract_id
    assert [c["id"] for c in client.get("/api/v1/contracts").get_json()["items"]] == [contract_id]


def test_no_result_before_the_award(clean_app, auction, client):
    response = client.get(f"/api/v1/cases/{auction['case']}/result")
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"


def test_the_openapi_document_describes_every_api_route(app, client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0" and doc["info"]["title"] == "tender 電子調達 API"
    assert doc["components"]["securitySchemes"]["token"] == {"type": "http", "scheme": "bearer",
                                                             "description": "API トークン（tdr_ で始まる文字列）"}
    documented = {path for path in doc["paths"]}
    routes = {rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert routes <= documented and len(routes) == 12
    for path in ("/ocds/releases", "/ocds/records/{ocid}", "/ocds/package.json"):
        assert path in documented
    me = doc["paths"]["/api/v1/me/bids"]["get"]
    assert me["security"] == [{"token": []}] and {"200", "401", "403", "422"} <= set(me["responses"])
    assert "security" not in doc["paths"]["/api/v1/cases"]["get"]  # the public reads need no token


def test_the_description_page_reads_the_document_without_javascript(client):
    page = client.get("/api")
    assert page.status_code == 200
    assert "GET /api/v1/me/bids" in page.text and "自社の入札の受付" in page.text and "<script" not in page.text
    assert "invalid_parameter" in page.text and "トークン" in page.text
    assert client.get("/ocds").status_code == 200 and "予定価格" in client.get("/ocds").text


def test_an_amendment_of_the_contact_shows_no_person(clean_app, client):
    """Review of issue 21: a 訂正's changed items came out raw — a changed 問い合わせ先 gave the
    officers' names, telephones and e-mails, and internal ids. The API shows the notice's public items."""
    officer = make_user(clean_app)
    case_id = make_case(clean_app, officer, contact_text="総務課 山田太郎 03-1234-5678 yamada@example.go.jp")
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        now = max(case.published_at, datetime.now(JST)) + timedelta(minutes=1)
        notices.amend(case, {"contact_text": "総務課 佐藤花子 03-9999-0000 sato@example.go.jp", "place_of_performance": "別館"},
                      "問い合わせ先と履行場所を訂正します。", by=db.session.get(User, officer), now=now)
        db.session.commit()
    [amendment] = client.get(f"/api/v1/cases/{case_id}/amendments").get_json()["items"]
    assert "place_of_performance" in amendment["changes"] and "contact_text" not in amendment["changes"]
    text = client.get(f"/api/v1/cases/{case_id}/amendments").text + client.get("/ocds/package.json").text
    for person in ("山田", "佐藤", "03-1234-5678", "sato@example.go.jp", "yamada@example.go.jp"):
        assert person not in text


def test_responses_are_checked_against_their_schema_where_configured(clean_app, client, monkeypatch):
    """The tests check every API and open-data response against its schema (API_CHECK_RESPONSES);
    production sends what the route made without checking it again (the check changes nothing sent,
    and a feed page took a third of its time in it)."""
    from tender.opendata import operations as ocds

    monkeypatch.setattr(ocds, "release_package_text", lambda *args, **kwargs: '{"not": "a release package"}')
    assert clean_app.config["API_CHECK_RESPONSES"] is True
    assert client.get("/ocds/releases").status_code == 500  # a response that breaks its schema is stopped
    monkeypatch.setitem(clean_app.config, "API_CHECK_RESPONSES", False)
    response = client.get("/ocds/releases")
    assert response.status_code == 200 and response.get_json() == {"not": "a release package"}

"""The 評価項目一覧 per case: the seed's template, totals checked, frozen at publication, the XLSX
bidders fill in, and the same items feeding the award engine."""

import pytest
from sqlalchemy import select

from forms.render_xlsx import read_back
from tender.accounts.models import Role
from tender.criteria import operations as ops
from tender.criteria.models import EvaluationCriterion
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules import evaluation as engine
from tender.rules.lifecycle import CaseState, Procedure
from tests.helpers import case_state, csrf_from, email_of, events, login, make_case, make_user, post_form


def _draft_without_criteria(app, officer):
    case_id = make_case(app, officer, publish=False)
    with app.app_context():
        for row in db.session.execute(select(EvaluationCriterion)).scalars():
            db.session.delete(row)
        db.session.commit()
    return case_id


def test_the_template_gives_the_seeds_allocation(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = _draft_without_criteria(clean_app, officer)
    client = clean_app.test_client()
    login(client, email_of(clean_app, officer))
    page = client.get(f"/cases/{case_id}/criteria").text
    assert "テンプレートとして読み込む" in page and "提案要求事項を1つ以上登録してください。" in page
    response = post_form(client, f"/cases/{case_id}/criteria/template", {}, form_url=f"/cases/{case_id}/criteria",
                         follow=True)
    assert "基礎点 <b>86</b> 点 ＋ 加点 <b>134</b> 点 ＝ 技術点 <b>220</b> 点" in response.text
    assert "配点は整っています" in response.text


def test_a_comprehensive_case_is_not_published_without_complete_criteria(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = _draft_without_criteria(clean_app, officer)
    client = clean_app.test_client()
    login(client, email_of(clean_app, officer))
    response = post_form(client, f"/cases/{case_id}/publish", {}, form_url=f"/cases/{case_id}", follow=True)
    assert "評価項目一覧：提案要求事項を1つ以上登録してください。" in response.text
    post_form(client, f"/cases/{case_id}/criteria/template", {}, form_url=f"/cases/{case_id}/criteria")
    with clean_app.app_context():
        row = db.session.execute(select(EvaluationCriterion).where(EvaluationCriterion.item_id == "2.2")).scalar_one()
        row_id = row.id
    post_form(client, f"/cases/{case_id}/criteria/{row_id}/delete", {}, form_url=f"/cases/{case_id}/criteria")
    response = post_form(client, f"/cases/{case_id}/publish", {}, form_url=f"/cases/{case_id}", follow=True)
    assert "基礎点（86点）と加点（124点）の合計（210点）が技術点の配分（220点）と一致しません。" in response.text
    assert case_state(clean_app, case_id) is CaseState.DRAFT


@pytest.mark.parametrize("data, message", [
    ({"kind": "ranked", "points": "20"}, "S/A/B/Cの得点表を設定してください"),
    ({"item_id": "1.1"}, "既に登録されています"),
    ({"kind": "certification", "points": "9", "table": "eruboshi"}, "コード=点数"),
    ({"title": ""}, "要求内容を入力してください。"),
])
def test_bad_criteria_are_refused_in_japanese(clean_app, data, message):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, publish=False)
    client = clean_app.test_client()
    login(client, email_of(clean_app, officer))
    form = {"section": "requirement", "item_id": "9.9", "major": "9 追加", "middle": "", "title": "追加の要求",
            "kind": "mandatory", "points": "5", "table": ""}
    response = post_form(client, f"/cases/{case_id}/criteria", {**form, **data}, form_url=f"/cases/{case_id}/criteria",
                         follow=True)
    assert message in response.text
    with clean_app.app_context():
        assert db.session.execute(select(EvaluationCriterion).where(EvaluationCriterion.item_id == "9.9")).first() is None


def test_criteria_are_frozen_at_publication(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer)
    client = clean_app.test_client()
    login(client, email_of(clean_app, officer))
    page = client.get(f"/cases/{case_id}/criteria").text
    assert "公告とともに確定しています。" in page and "項目の追加" not in page
    response = client.post(f"/cases/{case_id}/criteria", data={
        "csrf_token": csrf_from(page), "section": "requirement", "item_id": "9.9", "title": "x", "kind": "mandatory",
        "points": "5"}, follow_redirects=True)
    assert "公告後は評価項目を変更できません" in response.text


def test_lowest_price_cases_have_no_technical_criteria(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, publish=False, procedure=Procedure.LOWEST_PRICE)
    client = clean_app.test_client()
    login(client, email_of(clean_app, officer))
    response = post_form(client, f"/cases/{case_id}/criteria/template", {}, form_url=f"/cases/{case_id}/criteria",
                         follow=True)
    assert "この調達方式では技術評価を行いません。" in response.text


def test_bidders_download_the_published_sheet_as_xlsx_with_the_item_ids(client, clean_app):
    case_id = make_case(clean_app, make_user(clean_app, Role.OFFICER))
    response = client.get(f"/notices/{case_id}/evaluation-items.xlsx")
    assert response.status_code == 200
    back = read_back(response.data)
    text = repr(back)
    for item_id in ("1.1", "1.2.2b", "4", "C1", "A1"):
        assert item_id in text
    assert "Excel（記入して提出）" in client.get(f"/notices/{case_id}").text
    lowest = make_case(clean_app, make_user(clean_app, Role.OFFICER), procedure=Procedure.LOWEST_PRICE)
    assert client.get(f"/notices/{lowest}/evaluation-items.xlsx").status_code == 404


def test_the_cases_criteria_feed_the_award_engine(clean_app):
    case_id = make_case(clean_app, make_user(clean_app, Role.OFFICER))
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        criteria = ops.engine_criteria(case)
    best = {c.id: ("met" if c.kind == "mandatory" else ["platinum_eruboshi"] if c.kind == "certification" else "S")
            for c in criteria}
    result = engine.evaluate(engine.Case(method="weighted_sum", estimated_price=11_000_000, criteria=criteria,
                                         bids=(engine.BidInput("A", 9_000_000, scores=best),)))
    assert result.results[0].technical == 220  # every item at its maximum: the whole allocation
    assert result.award.status == "awarded"


def test_the_allocation_and_the_low_bid_rule_are_edited_on_screen(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, publish=False)
    client = clean_app.test_client()
    login(client, email_of(clean_app, officer))
    url = f"/cases/{case_id}/criteria"
    response = post_form(client, f"{url}/allocation", {"technical_points": "200", "price_points": "100", "low_bid": ""},
                         form_url=url, follow=True)
    assert "配点を変更しました" in response.text
    # The seed's items add up to 220, so the changed allocation is flagged until the items follow.
    assert "技術点の配分（200点）と一致しません" in response.text and "調査基準価格（入札心得第13条）：適用しない" in response.text
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        assert (case.technical_points, case.price_points, case.low_bid_ratio) == (200, 100, None)
    bad = post_form(client, f"{url}/allocation", {"technical_points": "0", "price_points": "110", "low_bid": "0.6"},
                    form_url=url, follow=True)
    assert "技術点の配分" in bad.text
    with clean_app.app_context():
        assert db.session.get(ProcurementCase, case_id).technical_points == 200


@pytest.mark.parametrize("ranks, message", [
    ("S=15, A=9, B=4", "4つのランクすべて"),
    ("S=14, A=9, B=4, C=0", "Sの得点は項目の配点（15点）と同じ"),
    ("S=15, A=4, B=9, C=0", "S ≧ A ≧ B ≧ C ≧ 0"),
    ("S=15, A=nine", "のように入力してください"),
])
def test_a_bad_rank_table_is_explained_and_nothing_changes(clean_app, ranks, message):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, publish=False)
    with clean_app.app_context():
        row = db.session.execute(select(EvaluationCriterion).where(EvaluationCriterion.item_id == "1.2.2b")).scalar_one()
    client = clean_app.test_client()
    login(client, email_of(clean_app, officer))
    url = f"/cases/{case_id}/criteria"
    response = post_form(client, f"{url}/{row.id}/ranks", {"ranks": ranks}, form_url=url, follow=True)
    assert message in response.text
    with clean_app.app_context():
        assert db.session.get(EvaluationCriterion, row.id).ranks is None


def test_a_custom_rank_table_feeds_the_engine_and_freezes_at_publication(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, publish=False)
    with clean_app.app_context():
        row = db.session.execute(select(EvaluationCriterion).where(EvaluationCriterion.item_id == "1.2.2b")).scalar_one()
    client = clean_app.test_client()
    login(client, email_of(clean_app, officer))
    url = f"/cases/{case_id}/criteria"
    done = post_form(client, f"{url}/{row.id}/ranks", {"ranks": "S=15, A=10, B=5, C=0"}, form_url=url, follow=True)
    assert "得点表を変更しました" in done.text and "S=15, A=10, B=5, C=0" in done.text
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        criterion = next(c for c in ops.engine_criteria(case) if c.id == "1.2.2b")
        assert criterion.rank_table == {"S": 15, "A": 10, "B": 5, "C": 0}
        assert engine.criterion_points(criterion, "A", bidder="x") == 10
        from tender.accounts.models import User
        from tender.notices import operations as notices
        notices.publish(case, by=db.session.get(User, officer), now=case.created_at)
        db.session.commit()
    late = post_form(client, f"{url}/{row.id}/ranks", {"ranks": ""}, form_url=url, follow=True)
    assert "公告後は評価項目を変更できません" in late.text or "得点表を設定" not in late.text
    with clean_app.app_context():
        assert db.session.get(EvaluationCriterion, row.id).ranks == {"S": 15, "A": 10, "B": 5, "C": 0}


def test_an_item_is_corrected_in_place_and_the_change_is_recorded(clean_app):
    """Issue 19: criteria items editable in place, not deleted and added again; refused changes keep
    what was typed; after publication the item cannot be changed."""
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, publish=False)
    with clean_app.app_context():
        row = db.session.execute(select(EvaluationCriterion).where(EvaluationCriterion.item_id == "1.2.2b")).scalar_one()
        row_id, title, points = row.id, row.title, row.points
    client = clean_app.test_client()
    login(client, email_of(clean_app, officer))
    url = f"/cases/{case_id}/criteria/{row_id}/edit"
    assert f'href="{url}"' in client.get(f"/cases/{case_id}/criteria").text
    page = client.get(url).text
    assert title in page and f'value="{points}"' in page  # what the item holds now
    data = {"section": "requirement", "item_id": "1.2.2b", "major": "", "middle": "", "title": title + "（具体的に）",
            "kind": "ranked", "points": str(points), "table": ""}
    taken = post_form(client, url, {**data, "item_id": "1.1"})
    assert taken.status_code == 200 and "項目番号「1.1」は既に登録されています" in taken.text
    assert "（具体的に）" in taken.text  # what was typed is kept
    done = post_form(client, url, data, follow=True)
    assert "項目「1.2.2b」を修正しました" in done.text
    with clean_app.app_context():
        row = db.session.get(EvaluationCriterion, row_id)
        assert row.title.endswith("（具体的に）") and row.points == points
        count = db.session.execute(select(EvaluationCriterion).where(EvaluationCriterion.case_id == case_id)).all()
    assert len(count) > 1
    [event] = events(clean_app, "criterion.changed")
    assert '"title"' in event.summary and "1.2.2b" in event.summary
    with clean_app.app_context():
        from tender.accounts.models import User
        from tender.notices import operations as notices

        notices.publish(db.session.get(ProcurementCase, case_id), by=db.session.get(User, officer),
                        now=db.session.get(ProcurementCase, case_id).created_at)
        db.session.commit()
    frozen = post_form(client, url, {**data, "title": "公告後の修正"})
    assert "公告後は評価項目を変更できません" in frozen.text

"""Bidders take part: questions and briefing within their periods, to the second, in Japan time;
answers published without the questioner; eligibility verdicts for their own company."""
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select, text

from tender.accounts.models import Role
from tender.companies.models import Qualification, QualificationCategory, Suspension
from tender.extensions import db
from tender.notices.models import BriefingRegistration, ProcurementCase, Question
from tender.notifications.models import Notification
from tests.helpers import csrf_from, email_of, events, login, make_case, make_company, make_user, post_form

QUESTION = {"document": "仕様書", "page": "3", "item": "2.1 業務内容", "body": "作業場所は貴機構内に限られますか。"}


@pytest.fixture
def world(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer)
    company = make_company(clean_app, name="質問株式会社")
    bidder = make_user(clean_app, Role.BIDDER, company_id=company)
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        times = {k: getattr(case, k) for k in ("questions_from", "questions_until", "briefing_registration_until")}
    return {"officer": officer, "case": case_id, "company": company, "bidder": bidder, **times}


def _questions(app):
    with app.app_context():
        return db.session.execute(select(Question)).scalars().all()


@pytest.mark.parametrize("offset, accepted", [
    (timedelta(seconds=-1), True),
    (timedelta(0), True),
    (timedelta(seconds=1), False),
    (timedelta(days=3), False),
])
def test_questions_close_at_the_second(client, clean_app, world, offset, accepted):
    with freeze_time(world["questions_until"] + offset):
        login(client, email_of(clean_app, world["bidder"]))
        response = post_form(client, f"/notices/{world['case']}/questions/new", QUESTION)
    assert (response.status_code == 302) is accepted
    assert len(_questions(clean_app)) == (1 if accepted else 0)
    if not accepted:
        assert "質問の受付は" in response.text and "締め切りました" in response.text
        # Issue 19: after the period the form is not offered at all, nor the button on the notice.
        with freeze_time(world["questions_until"] + offset):
            assert 'name="body"' not in client.get(f"/notices/{world['case']}/questions/new").text
            notice = client.get(f"/notices/{world['case']}").text
            assert f'/notices/{world["case"]}/questions/new' not in notice and "質問の受付は" in notice
    else:
        with freeze_time(world["questions_until"] + offset):
            assert f'/notices/{world["case"]}/questions/new' in client.get(f"/notices/{world['case']}").text


def test_questions_do_not_open_early(client, clean_app, world):
    from tender.notices.models import ProcurementCase

    with clean_app.app_context():  # published the day before its questions open
        db.session.get(ProcurementCase, world["case"]).published_at = world["questions_from"] - timedelta(days=1)
        db.session.commit()
    with freeze_time(world["questions_from"] - timedelta(seconds=1)):
        login(client, email_of(clean_app, world["bidder"]))
        response = post_form(client, f"/notices/{world['case']}/questions/new", QUESTION)
    assert response.status_code == 200 and "から開始します" in response.text
    assert _questions(clean_app) == []


def test_answer_is_published_without_the_questioners_identity(clean_app, world):
    bidder = clean_app.test_client()
    with freeze_time(world["questions_from"] + timedelta(hours=1)):
        login(bidder, email_of(clean_app, world["bidder"]))
        assert post_form(bidder, f"/notices/{world['case']}/questions/new", QUESTION).status_code == 302
        officer = clean_app.test_client()
        login(officer, email_of(clean_app, world["officer"]))
        case_page = officer.get(f"/cases/{world['case']}").text
        assert "質問株式会社" in case_page and "作業場所は貴機構内に限られますか。" in case_page
        [question] = _questions(clean_app)
        response = post_form(officer, f"/cases/{world['case']}/questions/{question.id}/answer",
                             {"answer": "原則として貴社内での作業も可とします。"})
        assert response.status_code == 302
        public = clean_app.test_client().get(f"/notices/{world['case']}").text
        assert "原則として貴社内での作業も可とします。" in public and "作業場所は貴機構内に限られますか。" in public
        assert "質問株式会社" not in public
    with clean_app.app_context():
        told = db.session.execute(select(Notification).where(Notification.user_id == world["bidder"])).scalars().all()
        assert any("回答を公開しました" in n.message for n in told)
        officer_notes = db.session.execute(select(Notification).where(Notification.user_id == world["officer"])).scalars()
        assert any("質問（No.1）が届きました" in n.message for n in officer_notes)


def test_each_question_gets_the_next_number(clean_app, world):
    with freeze_time(world["questions_from"] + timedelta(hours=1)):
        client = clean_app.test_client()
        login(client, email_of(clean_app, world["bidder"]))
        for i in range(3):
            post_form(client, f"/notices/{world['case']}/questions/new", {**QUESTION, "body": f"質問{i}"})
    assert [q.number for q in _questions(clean_app)] == [1, 2, 3]
    assert len(events(clean_app, "question.asked")) == 3


@pytest.mark.parametrize("offset, accepted", [(timedelta(seconds=-1), True), (timedelta(seconds=1), False)])
def test_briefing_registration_closes_at_its_deadline(client, clean_app, world, offset, accepted):
    with freeze_time(world["briefing_registration_until"] + offset):
        login(client, email_of(clean_app, world["bidder"]))
        response = post_form(client, f"/notices/{world['case']}/briefing",
                             {"name1": "参加 一郎", "email1": "ichiro@example.com"})
    assert (response.status_code == 302) is accepted
    with clean_app.app_context():
        rows = db.session.execute(select(BriefingRegistration)).scalars().all()
        assert len(rows) == (1 if accepted else 0)
        if accepted:
            raw = db.session.execute(text("SELECT attendees_secret FROM briefing_registrations")).scalar_one()
            assert "ichiro" not in raw and "参加 一郎" not in raw


def test_officer_exports_the_briefing_list(clean_app, world):
    with freeze_time(world["briefing_registration_until"] - timedelta(hours=1)):
        bidder = clean_app.test_client()
        login(bidder, email_of(clean_app, world["bidder"]))
        post_form(bidder, f"/notices/{world['case']}/briefing",
                  {"name1": "参加 一郎", "email1": "ichiro@example.com", "name2": "=HYPERLINK(\"x\")", "email2": "b@example.com"})
        officer = clean_app.test_client()
        login(officer, email_of(clean_app, world["officer"]))
        response = officer.get(f"/cases/{world['case']}/briefing.csv")
        assert bidder.get(f"/cases/{world['case']}/briefing.csv").status_code == 403
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff事業者,法人番号,参加者氏名")
    assert "質問株式会社" in body and "参加 一郎" in body and "'=HYPERLINK" in body
    assert events(clean_app, "briefing.attendees_exported")


def test_bidder_sees_its_own_eligibility_verdicts(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, rules=[
        ("unified_qualification", {"category": "services", "grades": ["A", "B", "C"], "regions": ["関東・甲信越"]}),
        ("no_suspension", {}), ("sme", {})])
    good = make_company(clean_app, name="適格株式会社", capital=10_000_000, employees=20, industry="software")
    grade_d = make_company(clean_app, name="D等級株式会社", capital=500_000_000, employees=900, industry="services")
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        from tender.rules.calendar import fiscal_year, to_jst
        fy = fiscal_year(to_jst(case.submission_deadline).date())
        for company, grade in [(good, "B"), (grade_d, "D")]:
            db.session.add(Qualification(company_id=company, category=QualificationCategory.SERVICES, grade=grade,
                                         regions=["関東・甲信越"], valid_from_fy=fy - 1, valid_to_fy=fy + 1))
        db.session.add(Suspension(company_id=grade_d, issuer="某省", starts_on=to_jst(case.submission_deadline).date(),
                                  ends_on=to_jst(case.submission_deadline).date() + timedelta(days=30), reason="談合"))
        db.session.commit()
    for company, expected in [(good, ["適合", "適合", "適合"]), (grade_d, ["不適合", "不適合", "不適合"])]:
        client = clean_app.test_client()
        login(client, email_of(clean_app, make_user(clean_app, Role.BIDDER, company_id=company)))
        page = client.get(f"/notices/{case_id}").text
        section = page.split('id="take-part"')[1].split("</section>")[0]
        assert section.count('badge--ok">適合') == expected.count("適合")
        assert section.count('badge--danger">不適合') == expected.count("不適合")
    assert "D等級" in page  # the reason names what was found


def test_drafts_refuse_bidders(client, clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, publish=False)
    login(client, email_of(clean_app, make_user(clean_app, Role.BIDDER, company_id=make_company(clean_app))))
    assert client.get(f"/notices/{case_id}").status_code == 404
    assert client.get(f"/notices/{case_id}/questions/new").status_code == 404
    token = csrf_from(client.get("/home").text)
    assert client.post(f"/notices/{case_id}/register", data={"csrf_token": token}).status_code == 404

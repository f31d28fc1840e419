"""事前確認公募 [000]: participation confirmations that cannot be withdrawn, the officer's
decisions, and the outcome: 随意契約 with the planned party, or competition."""
import io
import re
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select, text

from tender.accounts.models import Role
from tender.extensions import db
from tender.notices.models import Participation
from tender.rules.lifecycle import CaseState
from tests.helpers import case_state, csrf_from, email_of, events, login, make_case, make_company, make_user, post_form
from tests.scenario import participation_form as _form
from tests.scenario import submit_participation as _submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_applicant_submits_once_and_cannot_withdraw_or_resubmit(clean_app, world):
    with freeze_time(world["opens"] + timedelta(hours=1)):
        client = clean_app.test_client()
        login(client, email_of(clean_app, world["bidder"]))
        response = _submit(clean_app, world, client)
        assert response.status_code == 302, re.findall(r'<(?:li|p)[^>]*>([^<]*)</', response.text)
        receipt = client.get(f"/notices/{world['case']}/participation").text
        assert "提出後の撤回・差し替えはできません" in receipt and "SHA-256" in receipt
        again = _submit(clean_app, world, client)  # the page now shows the receipt, and a POST changes nothing
        assert again.status_code == 200 and "提出済み" in again.text
    with clean_app.app_context():
        rows = db.session.execute(select(Participation)).scalars().all()
        assert len(rows) == 1
        raw = db.session.execute(text("SELECT handlers_secret, structure_secret FROM participations")).one()
        assert "情報 太郎" not in raw[0] and "1980-04-01" not in raw[0] and "情報 太郎" not in raw[1]
    event = events(clean_app, "participation.submitted")[0]
    assert "情報 太郎" not in event.summary and "（秘匿）" in event.summary


@pytest.mark.parametrize("offset, accepted", [(timedelta(seconds=-1), True), (timedelta(seconds=1), False)])
def test_participation_closes_at_the_deadline(clean_app, world, offset, accepted):
    with freeze_time(world["deadline"] + offset):
        response = _submit(clean_app, world)
    assert (response.status_code == 302) is accepted
    if not accepted:
        assert "締め切りました" in response.text
    with clean_app.app_context():
        assert len(db.session.execute(select(Participation)).scalars().all()) == (1 if accepted else 0)


@pytest.mark.parametrize("data, filename, message", [
    (b"MZ\x90\x00this is an executable", "shikaku.pdf", "「shikaku.pdf」は受け付けられない形式です。"),
    (b"", "empty.pdf", "「empty.pdf」は空です。"),
])
def test_the_qualification_copy_is_checked_by_its_content(clean_app, world, data, filename, message):
    with freeze_time(world["opens"] + timedelta(hours=1)):
        response = _submit(clean_app, world, file_bytes=data, filename=filename)
    assert response.status_code == 200 and message in response.text
    with clean_app.app_context():
        assert db.session.execute(select(Participation)).first() is None


def test_declarations_must_be_affirmed(clean_app, world):
    with freeze_time(world["opens"] + timedelta(hours=1)):
        response = _submit(clean_app, world, declarations="")
    assert "誓約事項に同意してください。" in response.text


def test_only_case_officers_see_the_handlers_and_each_view_is_recorded(clean_app, world):
    with freeze_time(world["opens"] + timedelta(hours=1)):
        _submit(clean_app, world)
    with clean_app.app_context():
        pid = db.session.execute(select(Participation.id)).scalar_one()
    other_officer = clean_app.test_client()
    login(other_officer, email_of(clean_app, make_user(clean_app, Role.OFFICER)))
    assert other_officer.get(f"/cases/{world['case']}/participations/{pid}").status_code == 403
    auditor = clean_app.test_client()
    login(auditor, email_of(clean_app, make_user(clean_app, Role.AUDITOR)))
    assert auditor.get(f"/cases/{world['case']}/participations/{pid}").status_code == 403
    officer = clean_app.test_client()
    login(officer, email_of(clean_app, world["officer"]))
    page = officer.get(f"/cases/{world['case']}/participations/{pid}").text
    assert "情報 太郎" in page and "1980-04-01" in page
    assert officer.get(f"/cases/{world['case']}/participations/{pid}/file").data == PDF
    assert [e.actor_id for e in events(clean_app, "participation.personal_data_viewed")] == [world["officer"]]
    assert events(clean_app, "participation.file_downloaded")


def _decide(app, world, decision, reason=""):
    with app.app_context():
        pid = db.session.execute(select(Participation.id)).scalar_one()
    officer = app.test_client()
    login(officer, email_of(app, world["officer"]))
    return officer, post_form(officer, f"/cases/{world['case']}/participations/{pid}",
                              {"decision": decision, "reason": reason})


def test_refusal_needs_a_reason(clean_app, world):
    with freeze_time(world["opens"] + timedelta(hours=1)):
        _submit(clean_app, world)
        _, response = _decide(clean_app, world, "refused")
    assert response.status_code == 200 and "不受理とする理由を入力してください。" in response.text


@pytest.mark.parametrize("decision, outcome", [("accepted", CaseState.COMPETITION),
                                               ("refused", CaseState.PRIVATE_CONTRACT)])
def test_outcome_follows_the_decisions(clean_app, world, decision, outcome):
    with freeze_time(world["opens"] + timedelta(hours=1)):
        _submit(clean_app, world)
    with freeze_time(world["deadline"] + timedelta(minutes=1)):
        officer, response = _decide(clean_app, world, decision, "要件を満たさないため" if decision == "refused" else "")
        assert response.status_code == 302
        post_form(officer, f"/cases/{world['case']}/close-submissions", {}, form_url=f"/cases/{world['case']}")
        assert case_state(clean_app, world["case"]) is CaseState.SUBMISSIONS_CLOSED
        post_form(officer, f"/cases/{world['case']}/conclude", {}, form_url=f"/cases/{world['case']}")
    assert case_state(clean_app, world["case"]) is outcome
    assert events(clean_app, "case.concluded")


def test_no_applicant_means_private_contract(clean_app, world):
    with freeze_time(world["deadline"] + timedelta(minutes=1)):
        officer = clean_app.test_client()
        login(officer, email_of(clean_app, world["officer"]))
        post_form(officer, f"/cases/{world['case']}/close-submissions", {}, form_url=f"/cases/{world['case']}")
        post_form(officer, f"/cases/{world['case']}/conclude", {}, form_url=f"/cases/{world['case']}")
    assert case_state(clean_app, world["case"]) is CaseState.PRIVATE_CONTRACT


def test_submissions_cannot_be_closed_before_the_deadline(clean_app, world):
    with freeze_time(world["deadline"]):
        officer = clean_app.test_client()
        login(officer, email_of(clean_app, world["officer"]))
        response = post_form(officer, f"/cases/{world['case']}/close-submissions", {},
                             form_url=f"/cases/{world['case']}", follow=True)
    assert "提出期限を過ぎるまで受付を締め切ることはできません。" in response.text
    assert case_state(clean_app, world["case"]) is CaseState.PUBLISHED


def test_pending_decisions_block_the_outcome(clean_app, world):
    with freeze_time(world["opens"] + timedelta(hours=1)):
        _submit(clean_app, world)
    with freeze_time(world["deadline"] + timedelta(minutes=1)):
        officer = clean_app.test_client()
        login(officer, email_of(clean_app, world["officer"]))
        post_form(officer, f"/cases/{world['case']}/close-submissions", {}, form_url=f"/cases/{world['case']}")
        response = post_form(officer, f"/cases/{world['case']}/conclude", {}, form_url=f"/cases/{world['case']}",
                             follow=True)
    assert "判定していない参加意思確認書が1件あります" in response.text
    assert case_state(clean_app, world["case"]) is CaseState.SUBMISSIONS_CLOSED


def test_the_planned_party_cannot_apply(clean_app, world):
    planned_user = make_user(clean_app, Role.BIDDER, company_id=world["planned"])
    with freeze_time(world["opens"] + timedelta(hours=1)):
        client = clean_app.test_client()
        login(client, email_of(clean_app, planned_user))
        page = client.get(f"/notices/{world['case']}/participation")
        data = _form()
        data["csrf_token"] = csrf_from(page.text)
        response = client.post(f"/notices/{world['case']}/participation", data=data, content_type="multipart/form-data")
    assert "予定業者は参加意思確認書を提出できません。" in response.text


def test_nda_and_viewing_records_decide_the_eligibility_rule(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, rules=[("nda_and_viewing", {})])
    company = make_company(clean_app, name="閲覧株式会社")
    bidder = make_user(clean_app, Role.BIDDER, company_id=company)
    bidder_client = clean_app.test_client()
    login(bidder_client, email_of(clean_app, bidder))
    post_form(bidder_client, f"/notices/{case_id}/register", {}, form_url=f"/notices/{case_id}")
    assert 'badge--danger">不適合' in bidder_client.get(f"/notices/{case_id}").text
    officer_client = clean_app.test_client()
    login(officer_client, email_of(clean_app, officer))
    with clean_app.app_context():
        from tender.notices.models import CaseRegistration
        reg = db.session.execute(select(CaseRegistration)).scalar_one().id
    page = officer_client.get(f"/cases/{case_id}").text
    p = f"viewing{reg}-"  # one form per registrant (unique ids in the page)
    wrong = officer_client.post(f"/cases/{case_id}/registrations/{reg}", data={
        f"{p}csrf_token": csrf_from(page), f"{p}nda_signed_on": "2026-11-25", f"{p}documents_viewed_on": "2026-11-24"},
        follow_redirects=True)
    assert "閲覧日は秘密保持誓約書の提出日以降にしてください。" in wrong.text
    officer_client.post(f"/cases/{case_id}/registrations/{reg}", data={
        f"{p}csrf_token": csrf_from(page), f"{p}nda_signed_on": "2026-11-24",
        f"{p}viewing_appointment_at": "2026-11-25T10:00", f"{p}documents_viewed_on": "2026-11-25"})
    assert 'badge--ok">適合' in bidder_client.get(f"/notices/{case_id}").text
    assert events(clean_app, "case.viewing_recorded")


def test_officer_attaches_a_specification_checked_by_content(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer, publish=False)
    client = clean_app.test_client()
    login(client, email_of(clean_app, officer))
    token = csrf_from(client.get(f"/cases/{case_id}").text)
    bad = client.post(f"/cases/{case_id}/attachments", data={"csrf_token": token, "title": "仕様書",
                                                             "file": (io.BytesIO(b"<html>not a pdf"), "spec.pdf")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "ファイルの内容で判定しています" in bad.text
    client.post(f"/cases/{case_id}/attachments", data={"csrf_token": token, "title": "仕様書",
                                                      "file": (io.BytesIO(PDF), "spec.pdf")},
                content_type="multipart/form-data")
    post_form(client, f"/cases/{case_id}/publish", {}, form_url=f"/cases/{case_id}")
    public = clean_app.test_client()
    notice = public.get(f"/notices/{case_id}").text
    assert "仕様書" in notice
    with clean_app.app_context():
        from tender.notices.models import CaseAttachment
        att = db.session.execute(select(CaseAttachment)).scalar_one().id
    assert public.get(f"/notices/{case_id}/files/{att}").data == PDF


def test_declarations_are_pending_until_the_submission_affirms_them(clean_app, world):
    with freeze_time(world["opens"] + timedelta(hours=1)):
        client = clean_app.test_client()
        login(client, email_of(clean_app, world["bidder"]))
        before = client.get(f"/notices/{world['case']}").text.split('id="take-part"')[1].split("</section>")[0]
        assert 'badge--muted">提出時に誓約' in before and "不適合" not in before
        _submit(clean_app, world, client)
        after = client.get(f"/notices/{world['case']}").text.split('id="take-part"')[1].split("</section>")[0]
    assert 'badge--ok">適合' in after and "提出時に誓約" not in after

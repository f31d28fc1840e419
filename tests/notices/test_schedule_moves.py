"""Issue 19: the case publishes on its 公示日, and states move at their deadlines by themselves.

「公告する」 on a notice whose 公示日 is tomorrow used to publish at once; now the notice waits, unseen
by anyone outside the authority, until 0時 of that day, and the officers see 公告予定. Past the
submission deadline, `flask --app wsgi cases tick` closes the submissions (受付終了) of every case
without anyone pressing a button, recorded in the audit trail with no actor; running it again
changes nothing."""
from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from tender.accounts.models import Role
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import CaseState
from tests.helpers import email_of, events, login, make_case, make_user, post_form

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # Tue 10:00 JST


def test_a_case_published_before_its_notice_day_appears_at_midnight_that_day(client, clean_app):
    tomorrow = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 0時 on Wed 25 November, Japan time
    with freeze_time(NOW):
        officer = make_user(clean_app, Role.OFFICER)
        # The notice's schedule starts tomorrow: 公示日 25 November.
        case_id = make_case(clean_app, officer, now=NOW + timedelta(days=1), publish=False, title="翌日公示の清掃業務")
        login(client, email_of(clean_app, officer))
        confirm = client.get(f"/cases/{case_id}/publish").text
        assert "令和8年11月25日（水） 0時00分から" in confirm  # the confirmation says when it will appear
        done = post_form(client, f"/cases/{case_id}/publish", {}, follow=True)
        assert "公示日（令和8年11月25日（水））の0時に公告掲示板に掲載されます" in done.text
        assert "公告予定" in client.get(f"/cases/{case_id}").text
        visitor = clean_app.test_client()
        assert visitor.get(f"/notices/{case_id}").status_code == 404
        assert "翌日公示の清掃業務" not in visitor.get("/notices").text
        bidder = clean_app.test_client()
        login(bidder, email_of(clean_app, make_user(clean_app, Role.BIDDER)))
        assert bidder.get(f"/notices/{case_id}").status_code == 404
    with freeze_time(tomorrow - timedelta(seconds=1)):
        assert clean_app.test_client().get(f"/notices/{case_id}").status_code == 404
    with freeze_time(tomorrow):
        visitor = clean_app.test_client()
        assert visitor.get(f"/notices/{case_id}").status_code == 200
        assert "翌日公示の清掃業務" in visitor.get("/notices").text
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        assert case.published_at == tomorrow
    assert '"public_from":"2026-11-24T15:00:00+00:00"' in events(clean_app, "case.published")[0].summary


def test_a_case_published_on_its_notice_day_appears_at_once(client, clean_app):
    with freeze_time(NOW):
        officer = make_user(clean_app, Role.OFFICER)
        case_id = make_case(clean_app, officer, now=NOW)
        assert clean_app.test_client().get(f"/notices/{case_id}").status_code == 200


def test_the_tick_closes_submissions_past_the_deadline_once(clean_app, runner):
    with freeze_time(NOW):
        officer = make_user(clean_app, Role.OFFICER)
        case_id = make_case(clean_app, officer, now=NOW)
        other = make_case(clean_app, officer, now=NOW + timedelta(days=3))
    with clean_app.app_context():
        deadline = db.session.get(ProcurementCase, case_id).submission_deadline
    with freeze_time(deadline):  # at the deadline itself, still open
        assert "0 件" in runner.invoke(args=["cases", "tick"]).output
    with freeze_time(deadline + timedelta(minutes=1)):
        result = runner.invoke(args=["cases", "tick"])
        assert result.exit_code == 0 and "1 件" in result.output, result.output
        assert "0 件" in runner.invoke(args=["cases", "tick"]).output  # nothing twice
    with clean_app.app_context():
        assert db.session.get(ProcurementCase, case_id).state == CaseState.SUBMISSIONS_CLOSED
        assert db.session.get(ProcurementCase, other).state == CaseState.PUBLISHED  # its deadline is later
    [event] = events(clean_app, "case.submissions_closed")
    assert event.actor_id is None and "自動" in event.summary

"""The home page's deadlines across cases: officers see their cases', contractors their own; overdue
items stand out."""
from datetime import datetime, time, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tender.contracts.models import Contract
from tender.extensions import db
from tender.rules import contracts as rules
from tender.rules.calendar import JST
from tests.helpers import make_case, post_form
from tests.scenario import client_of, draft, signed


def _at(d, hour=10):
    return datetime.combine(d, time(hour), tzinfo=JST)


def _rows(html: str) -> str:
    start = html.index('id="deadlines"')
    return html[start:html.index("</section>", start)]


def _row_of(html: str, text: str) -> str:
    at = html.index(text)
    return html[html.rindex("<tr", 0, at):html.index("</tr>", at)]


def _signed_with_items(app, t, number: str, items) -> tuple[int, object, object]:
    """The awarded case's contract drafted, signed (as ``number``) and given fixed items, each
    ``(title, days after the period starts)``: (contract id, signed on, period start)."""
    _, contract_id = draft(app, t)
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        signed_on, start = contract.deadline, contract.period_from
    with freeze_time(_at(signed_on)):
        officer = client_of(app, t["officer"])
        post_form(officer, f"/contracts/{contract_id}/sign", {"contract_number": number, "signed_on": signed_on.isoformat()},
                  form_url=f"/contracts/{contract_id}", follow=True)
        for title, days in items:
            post_form(officer, f"/contracts/{contract_id}/rules", {"kind": "fixed", "title": title,
                                                                   "on": (start + timedelta(days=days)).isoformat()},
                      form_url=f"/contracts/{contract_id}", follow=True)
    return contract_id, signed_on, start


def test_officers_and_the_contractor_see_what_is_due_and_what_is_late(clean_app, awarded):
    t = awarded
    _, contract_id = draft(clean_app, t)
    with clean_app.app_context():
        deadline = db.session.get(Contract, contract_id).deadline
    # Another case of the same officer whose opening is coming: on the list too.
    with freeze_time(_at(deadline - timedelta(days=1))):
        other_case = make_case(clean_app, t["officer"], title="別件の清掃業務")
    with clean_app.app_context():
        from tender.notices.models import ProcurementCase, Question

        case = db.session.get(ProcurementCase, other_case)
        db.session.add(Question(case_id=other_case, number=1, company_id=t["companies"][0], asked_by_id=t["bidders"][0],
                                asked_at=case.created_at, document="仕様書", body="納期について"))
        db.session.commit()
    with freeze_time(_at(deadline)):
        home = _rows(client_of(clean_app, t["officer"]).get("/home").text)
        assert "契約書の提出" in home and "入札B株式会社の記名押印した契約書" in home and "期限切れ" not in home
        assert "今日" in home
        assert "開札" in home and "未回答の質問 1件" in home and "別件の清掃業務" in home
        mine = _rows(client_of(clean_app, t["winner_user"]).get("/home").text)
        assert "契約書の提出" in mine
        # The other bidders have no contract: no deadlines shown at all.
        assert 'id="deadlines"' not in client_of(clean_app, t["bidders"][0]).get("/home").text
        # An officer who is not on the case sees none of it.
        assert "入札B株式会社の記名押印した契約書" not in client_of(clean_app, t["second"]).get("/home").text
    with freeze_time(_at(deadline + timedelta(days=1))):
        home = _rows(client_of(clean_app, t["officer"]).get("/home").text)
        overdue_row = _row_of(home, "契約書の提出")
        assert "row--overdue" in overdue_row and "期限切れ" in overdue_row


def test_signed_contract_shows_deliverables_and_the_publication(clean_app, awarded):
    t = awarded
    contract_id, signed_on, start = _signed_with_items(clean_app, t, "D-1", [("実施計画書", 3)])
    publication = rules.publication_deadline(signed_on)
    with freeze_time(_at(start + timedelta(days=4))):
        home = _rows(client_of(clean_app, t["officer"]).get("/home").text)
        assert "実施計画書" in home and "納入" in home
        row = _row_of(home, "実施計画書")
        assert "row--overdue" in row
        if publication <= start + timedelta(days=4 + 45):
            assert "契約の公表" in home
        mine = _rows(client_of(clean_app, t["winner_user"]).get("/home").text)
        assert "実施計画書" in mine and "契約の公表" not in mine


def test_a_busy_contractor_sees_the_most_urgent_deadlines_first_and_is_told_of_the_rest(clean_app, awarded):
    """Issue 16: a company with hundreds of overdue items loaded every contract and listed them
    all (2,460 rows, 400 ms). The list is the SHOWN most urgent, read in SQL, and says there are more;
    an item inspected and passed leaves it."""
    from tender.contracts.models import Deliverable, Delivery, InspectionResult
    from tender.home.deadlines import SHOWN

    t = awarded
    contract_id, signed_on = signed(clean_app, t, "D-2")
    with clean_app.app_context():
        for n in range(SHOWN + 10):
            db.session.add(Deliverable(contract_id=contract_id, title=f"日報{n:03d}", due_on=signed_on + timedelta(days=n)))
        db.session.commit()
        first = db.session.execute(select(Deliverable).where(Deliverable.title == "日報000")).scalar_one()
    today = signed_on + timedelta(days=SHOWN + 20)
    with freeze_time(_at(today)):
        page = client_of(clean_app, t["winner_user"]).get("/home").text
    rows = _rows(page)
    assert rows.count("row--overdue") == SHOWN
    assert "日報000" in rows and f"日報{SHOWN - 1:03d}" in rows and f"日報{SHOWN:03d}" not in rows
    assert f"期限の近い順に{SHOWN}件を表示しています" in page
    # The first item delivered and passed: it leaves the list and the next one comes in.
    with clean_app.app_context():
        db.session.add(Delivery(deliverable_id=first.id, number=1, delivered_on=signed_on + timedelta(days=1),
                                recorded_at=_at(signed_on + timedelta(days=1)), recorded_by_id=t["winner_user"],
                                inspection_due=signed_on + timedelta(days=11), result=InspectionResult.PASSED))
        db.session.commit()
    with freeze_time(_at(today)):
        rows = _rows(client_of(clean_app, t["winner_user"]).get("/home").text)
    assert "日報000" not in rows and f"日報{SHOWN:03d}" in rows


def test_a_delivered_item_waits_for_its_inspection_and_a_failed_one_for_its_redelivery(clean_app, awarded):
    """An item delivered is the officer's to inspect by the delivery's inspection deadline (the
    contractor waits); one that failed its inspection is the contractor's to deliver again."""
    from tender.accounts.models import User
    from tender.contracts import operations as contracts
    from tender.contracts.models import Deliverable

    t = awarded
    contract_id, _, start = _signed_with_items(clean_app, t, "D-2", [("作業報告書", 3), ("成果物一式", 5)])
    delivered_at = _at(start + timedelta(days=2))
    with freeze_time(delivered_at), clean_app.app_context():
        contractor = db.session.get(User, t["winner_user"])
        items = {i.title: i for i in db.session.execute(select(Deliverable).where(
            Deliverable.contract_id == contract_id)).scalars()}
        report = contracts.deliver(items["作業報告書"], "紙で提出", [], by=contractor, now=delivered_at)
        product = contracts.deliver(items["成果物一式"], "媒体で提出", [], by=contractor, now=delivered_at)
        db.session.flush()
        contracts.inspect(product, False, delivered_at.date(), "仕様を満たさない", by=db.session.get(User, t["officer"]),
                          now=delivered_at)
        inspection_due = report.inspection_due
        db.session.commit()
    with freeze_time(delivered_at + timedelta(hours=1)):
        home = _rows(client_of(clean_app, t["officer"]).get("/home").text)
        inspect_row = _row_of(home, "作業報告書")
        assert "検査" in inspect_row and "row--overdue" not in inspect_row
        assert "再納入" in _row_of(home, "成果物一式")
        mine = _rows(client_of(clean_app, t["winner_user"]).get("/home").text)
        assert "再納入" in _row_of(mine, "成果物一式") and "作業報告書" not in mine  # the inspection is not the contractor's
    with freeze_time(_at(inspection_due + timedelta(days=1))):  # deemed passed once the period is over: gone
        assert "作業報告書" not in _rows(client_of(clean_app, t["officer"]).get("/home").text)

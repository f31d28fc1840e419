"""Performance: deliverables generated from due-date rules, delivered, inspected (failed, delivered
again, passed; or deemed passed when the period lapses), late-delivery damages, invoices and the
payment deadline, publication — through HTTP as officers and the contractor use them."""
import io
import json
from datetime import date, datetime, time, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tender.contracts.models import Contract, Deliverable
from tender.extensions import db
from tender.rules import contracts as rules
from tender.rules.calendar import JST
from tender.rules.lifecycle import CaseState
from tests.helpers import case_state, events, post_form
from tests.scenario import PDF, client_of, draft, post_row, signed


def at(d: date, hour=10):
    return datetime.combine(d, time(hour), tzinfo=JST)


def _items(app, contract_id):
    with app.app_context():
        rows = db.session.execute(select(Deliverable).where(Deliverable.contract_id == contract_id)
                                  .order_by(Deliverable.due_on, Deliverable.id)).scalars().all()
        db.session.expunge_all()
        return rows


def _add_rule(client, contract_id, **fields):
    return post_form(client, f"/contracts/{contract_id}/rules", fields, form_url=f"/contracts/{contract_id}", follow=True)


def test_rules_generate_dated_items_over_the_period(clean_app, awarded):
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    start, end = t["period"]
    with freeze_time(at(signed_on, 11)):
        officer = client_of(clean_app, t["officer"])
        monthly = _add_rule(officer, contract_id, kind="monthly", title="作業実績報告書", days="10",
                            fiscal_year_last_month_on_month_end="y")
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        assert f"納入物件を{months}件作成しました" in monthly.text
        _add_rule(officer, contract_id, kind="after_contract", title="年間計画表", days="7")
        _add_rule(officer, contract_id, kind="at_end", title="完了届")
        _add_rule(officer, contract_id, kind="incident", title="障害復旧作業報告書", weeks="2")
        bad = _add_rule(officer, contract_id, kind="quarterly", title="運用実績報告書", day="31")
        # Refused with the rule's own words, and no 運用実績報告書 was scheduled.
        assert "「期限の日」は1以上28以下の整数で指定してください。" in bad.text
        blank = _add_rule(officer, contract_id, kind="monthly", title="", days="10")
        assert "納入物件の名称を入力してください" in blank.text
    items = _items(clean_app, contract_id)
    assert not any(i.title.startswith("運用実績報告書") for i in items)
    monthly_items = [i for i in items if i.title.startswith("作業実績報告書")]
    assert len(monthly_items) == months
    expected = rules.generate(rules.DueRule(rules.MONTHLY, "作業実績報告書", days=10,
                                            fiscal_year_last_month_on_month_end=True), start, end, contract_date=signed_on)
    assert [(i.title, i.due_on) for i in monthly_items] == [(e.title, e.due) for e in expected]
    march = [i for i in monthly_items if i.period_from and i.period_from.month == 3]
    assert all(i.due_on == date(i.period_from.year, 3, 31) for i in march)
    [plan] = [i for i in items if i.title.startswith("年間計画表")]
    assert plan.due_on == signed_on + timedelta(days=7)  # 「契約日から７日以内」: the calendar day, as the text says
    assert [i.due_on for i in items if i.title.startswith("完了届")] == [end]
    assert not [i for i in items if i.title.startswith("障害復旧")]  # only when an incident happens
    # An incident makes its report due two weeks later.
    incident_day = signed_on + timedelta(days=3) if signed_on + timedelta(days=3) >= start else start
    with freeze_time(at(incident_day + timedelta(days=1))):
        officer = client_of(clean_app, t["officer"])
        with clean_app.app_context():
            rule_id = db.session.execute(select(Deliverable.rule_id)).scalars().first()
            from tender.contracts.models import DueRuleRow
            rule_id = db.session.execute(select(DueRuleRow.id).where(DueRuleRow.kind == "incident")).scalar_one()
        done = post_form(officer, f"/contracts/{contract_id}/incidents",
                         {"rule_id": str(rule_id), "incident_on": incident_day.isoformat()},
                         form_url=f"/contracts/{contract_id}", follow=True)
    if start <= incident_day:
        assert "報告書の期限を設けました" in done.text
        [report] = [i for i in _items(clean_app, contract_id) if i.title.startswith("障害復旧")]
        assert report.due_on == incident_day + timedelta(days=14)  # 「障害復旧作業後２週間以内」 [004]


def test_deliver_fail_redeliver_pass_deemed_damages_invoice_and_payment(clean_app, awarded, runner):
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    start, end = t["period"]
    with freeze_time(at(signed_on, 11)):
        officer = client_of(clean_app, t["officer"])
        _add_rule(officer, contract_id, kind="monthly", title="作業実績報告書", days="10")
    first, second = _items(clean_app, contract_id)[:2]
    # The contractor delivers the first report two days late, with its PDF.
    late_day = first.due_on + timedelta(days=2)
    with freeze_time(at(late_day)):
        contractor = client_of(clean_app, t["winner_user"])
        page = contractor.get(f"/contracts/{contract_id}").text
        assert "納入遅延（2日）" in page
        url = f"/contracts/{contract_id}/deliverables/{first.id}/deliver"
        response = post_row(contractor, url, f"item{first.id}", {"note": ""},
                            form_url=f"/contracts/{contract_id}", files={"files": (io.BytesIO(PDF), "report-1.pdf")})
        assert "納入を記録しました" in response.text
        # 9,350,000 × 1/1000 × 2 = 18,700 yen of late-delivery damages, with the arithmetic.
        assert "18,700円" in response.text and "9,350,000円" in response.text
        # Not the contractor's to inspect.
        other = client_of(clean_app, t["bidders"][0])
        assert other.get(f"/contracts/{contract_id}").status_code == 403
    [delivery] = events(clean_app, "contract.delivered")
    delivery_id = delivery.object_id
    inspection_due = rules.inspection_due(late_day, 30)
    assert json.loads(delivery.summary)["inspection_due"] == inspection_due.isoformat()
    # The officer fails it with findings; the contractor is told and delivers again.
    with freeze_time(at(late_day + timedelta(days=3))):
        officer = client_of(clean_app, t["officer"])
        url = f"/contracts/{contract_id}/deliveries/{delivery_id}/inspect"
        # No result is chosen for the inspector (issue 19): unanswered, nothing is recorded.
        assert '<option value="">（選択してください）</option>' in officer.get(f"/contracts/{contract_id}").text
        unanswered = post_row(officer, url, f"delivery{delivery_id}", {"result": "", "findings": "",
                                                                       "inspected_on": (late_day + timedelta(days=3)).isoformat()},
                              form_url=f"/contracts/{contract_id}")
        assert "検査の結果（合格・不合格）を選んでください。" in unanswered.text and not events(clean_app, "contract.inspected")
        silent = post_row(officer, url, f"delivery{delivery_id}", {"result": "failed", "findings": "",
                                                                   "inspected_on": (late_day + timedelta(days=3)).isoformat()},
                          form_url=f"/contracts/{contract_id}")
        assert "基準に適合しない事実の概要を記入してください" in silent.text
        failed = post_row(officer, url, f"delivery{delivery_id}", {
            "result": "failed", "inspected_on": (late_day + timedelta(days=3)).isoformat(),
            "findings": "障害対応の記載が欠けている"}, form_url=f"/contracts/{contract_id}")
        assert "検査の結果を記録し" in failed.text and "不合格：再納入待ち" in failed.text
    with freeze_time(at(late_day + timedelta(days=5))):
        contractor = client_of(clean_app, t["winner_user"])
        assert "障害対応の記載が欠けている" in contractor.get("/notifications").text
        again = post_row(contractor, f"/contracts/{contract_id}/deliverables/{first.id}/deliver", f"item{first.id}",
                         {"note": "修正版を紙で提出"},
                         form_url=f"/contracts/{contract_id}")
        assert "納入を記録しました" in again.text
    with freeze_time(at(late_day + timedelta(days=6))):
        officer = client_of(clean_app, t["officer"])
        redelivery_id = events(clean_app, "contract.delivered")[-1].object_id
        passed = post_row(officer, f"/contracts/{contract_id}/deliveries/{redelivery_id}/inspect",
                          f"delivery{redelivery_id}",
                          {"result": "passed", "inspected_on": (late_day + timedelta(days=6)).isoformat(), "findings": ""},
                          form_url=f"/contracts/{contract_id}")
        assert "検査合格" in passed.text
        # An invoice for it: paid by the end of the following month.
        received = late_day + timedelta(days=6)
        invoice = post_form(officer, f"/contracts/{contract_id}/invoices",
                            {"amount": "779,166", "received_on": received.isoformat(), "deliverable_id": str(first.id)},
                            form_url=f"/contracts/{contract_id}", follow=True)
        assert "請求書の受理を記録しました" in invoice.text
        due = rules.payment_due(received)
        assert due.month == (received.month % 12) + 1 and (due + timedelta(days=1)).day == 1
        too_much = post_form(officer, f"/contracts/{contract_id}/invoices",
                             {"amount": "9,350,000", "received_on": received.isoformat(), "deliverable_id": "0"},
                             form_url=f"/contracts/{contract_id}", follow=True)
        assert "契約金額" in too_much.text and "超えます" in too_much.text
    # The second report is delivered on time; nobody inspects it within 30 days: deemed passed.
    with freeze_time(at(second.due_on)):
        contractor = client_of(clean_app, t["winner_user"])
        post_row(contractor, f"/contracts/{contract_id}/deliverables/{second.id}/deliver", f"item{second.id}",
                 {"note": "電子メールで提出"}, form_url=f"/contracts/{contract_id}")
    lapse_day = rules.inspection_due(second.due_on, 30) + timedelta(days=1)
    with freeze_time(at(lapse_day)):
        out = runner.invoke(args=["contracts", "sweep"]).output
        assert "検査合格とみなした納入 1 件" in out
        officer = client_of(clean_app, t["officer"])
        page = officer.get(f"/contracts/{contract_id}").text
        assert "合格とみなす（検査期間の満了）" in page
        # The invoice's payment is due (or overdue) and shows on the page and on the officer's home.
        assert f"{due.year - 2018}年" in page or "令和" in page
        assert "支払" in officer.get("/home").text
    with freeze_time(at(max(lapse_day, due))):
        officer = client_of(clean_app, t["officer"])
        with clean_app.app_context():
            from tender.contracts.models import Invoice
            invoice_id = db.session.execute(select(Invoice.id)).scalar_one()
        paid = post_row(officer, f"/contracts/{contract_id}/invoices/{invoice_id}/paid", f"invoice{invoice_id}",
                        {"paid_on": max(lapse_day, due).isoformat()}, form_url=f"/contracts/{contract_id}")
        assert "支払を記録しました" in paid.text
    assert [json.loads(e.summary)["result"] for e in events(clean_app, "contract.inspected")] == ["failed", "passed"]
    assert events(clean_app, "contract.deemed_passed")


def test_publication_deadline_list_csv_and_completion(clean_app, awarded):
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    deadline = rules.publication_deadline(signed_on)
    with clean_app.app_context():  # a name typed to run as a formula in the officer's spreadsheet
        db.session.get(Contract, contract_id).company.address = "=HYPERLINK(\"http://example.invalid\")"
        db.session.commit()
    assert case_state(clean_app, t["case"]) is CaseState.CONTRACTED
    with freeze_time(at(deadline - timedelta(days=3))):
        officer = client_of(clean_app, t["officer"])
        listing = officer.get("/contracts").text
        assert "期限間近" in listing and "入札B株式会社" in listing
        csv = officer.get("/contracts/publication.csv")
        text = csv.data.decode("utf-8-sig")
        assert "件名,数量,契約締結日" in text and "9350000" in text and signed_on.isoformat() in text
        assert "'=HYPERLINK" in text
    with freeze_time(at(deadline + timedelta(days=1))):
        officer = client_of(clean_app, t["officer"])
        assert "期限切れ" in officer.get("/contracts").text
        done = post_form(officer, f"/contracts/{contract_id}/publish", {"published_on": (deadline + timedelta(days=1)).isoformat()},
                         form_url=f"/contracts/{contract_id}", follow=True)
        assert "公表を記録しました" in done.text
        # No deliverables left waiting: the contract may be completed, and the case closes.
        complete = post_form(officer, f"/contracts/{contract_id}/complete",
                             {"completed_on": (deadline + timedelta(days=1)).isoformat()},
                             form_url=f"/contracts/{contract_id}", follow=True)
        assert "履行の完了を記録しました" in complete.text
    assert case_state(clean_app, t["case"]) is CaseState.CLOSED


def test_the_penalty_figures_are_shown_with_their_arithmetic(clean_app, awarded):
    t = awarded
    _, contract_id = draft(clean_app, t)
    with freeze_time(t["decided_at"] + timedelta(hours=1)):
        officer = client_of(clean_app, t["officer"])
        page = officer.get(f"/contracts/{contract_id}").text
        # 9,350,000 × 10/100 = 935,000 (already a multiple of 100 yen)
        assert "935,000円" in page
        # 1,000,000 yen unpaid from the day after 31 Dec 2027 to 1 Mar 2028: 61 days incl. 29 Feb, on 365 days.
        query = "interest-principal=1,000,000&interest-deadline=2027-12-31&interest-paid_on=2028-03-01"
        result = officer.get(f"/contracts/{contract_id}?{query}").text
        assert "金5,013円" in result and "61日" in result and "365日" in result
        refused = officer.get(f"/contracts/{contract_id}?interest-principal=1.5&interest-deadline=2027-12-31"
                              "&interest-paid_on=2028-03-01").text
        assert "金額は円単位の整数で入力してください" in refused
        winner = client_of(clean_app, t["winner_user"])
        assert "違約金等の計算" not in winner.get(f"/contracts/{contract_id}").text


def test_a_delivery_counts_from_the_day_it_is_recorded_unless_an_officer_confirms_an_earlier_one(
        clean_app, awarded):
    """Issue 13 item 9: a contractor recorded a delivery 20 days in the past, and the 19-day delay
    with its damages disappeared."""
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    with freeze_time(at(signed_on, 11)):
        _add_rule(client_of(clean_app, t["officer"]), contract_id, kind="monthly", title="作業実績報告書", days="10")
    first = _items(clean_app, contract_id)[0]
    today = first.due_on + timedelta(days=20)
    url = f"/contracts/{contract_id}/deliverables/{first.id}/deliver"
    with freeze_time(at(today)):
        contractor = client_of(clean_app, t["winner_user"])
        # An earlier day without a reason is refused; the old form field is simply ignored.
        refused = post_row(contractor, url, f"item{first.id}", {"note": "紙で提出", "earlier_on": first.due_on.isoformat()},
                           form_url=f"/contracts/{contract_id}")
        assert "理由" in refused.text
        done = post_row(contractor, url, f"item{first.id}", {
            "note": "紙で提出", "earlier_on": (first.due_on + timedelta(days=1)).isoformat(),
            "reason": "紙の報告書を期限の翌日に持参した", "delivered_on": first.due_on.isoformat()},
            form_url=f"/contracts/{contract_id}")
        assert "職員の確認の後に納入日となります" in done.text
    with clean_app.app_context():
        from tender.contracts.models import Delivery

        delivery = db.session.execute(select(Delivery)).scalar_one()
        assert delivery.delivered_on == today and delivery.claim_pending  # the server's day counts
        delivery_id = delivery.id
    damages = rules.late_damages(9_350_000, first.due_on, today)
    with freeze_time(at(today, 11)):
        officer = client_of(clean_app, t["officer"])
        page = officer.get(f"/contracts/{contract_id}").text
        assert f"{damages.amount:,}円" in page and "職員の確認待ち" in page and "紙の報告書を期限の翌日に持参した" in page
        assert "申出があります" in officer.get("/notifications").text
        confirmed = post_row(officer, f"/contracts/{contract_id}/deliveries/{delivery_id}/claim", f"claim{delivery_id}",
                             {"decision": "confirm"}, form_url=f"/contracts/{contract_id}")
        assert "納入日の申出について記録しました" in confirmed.text and "が確認" in confirmed.text
    with clean_app.app_context():
        delivery = db.session.get(Delivery, delivery_id)
        assert delivery.delivered_on == first.due_on + timedelta(days=1) and delivery.claim_decided_by_id == t["officer"]
    assert [e.actor_id for e in events(clean_app, "contract.delivery_date_confirmed")] == [t["officer"]]

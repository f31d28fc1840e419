"""Issue 21, OCDS: each change of a published case is one immutable release with the tags of what
changed; nothing of the bids before the opening, no 予定価格, no personal data; the feed pages by a
cursor, a record compiles the releases (ocdsmerge), the export command writes the whole package, and
the OCP's checker (libcoveocds) finds 0 validation errors in the feed, the records and the package."""
from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta

import pytest
import requests
from freezegun import freeze_time
from sqlalchemy import select

from tender.accounts.models import User
from tender.extensions import db
from tender.notices import operations as notices
from tender.notices.models import ProcurementCase
from tender.opendata.models import OcdsRelease
from tender.rules.calendar import JST
from tender.rules.lifecycle import Procedure
from tests.helpers import events, make_case, make_user, post_form
from tests.opendata.cove import check, serve_standard
from tests.scenario import client_of, evaluated_and_awarded, published


def releases(app, case_id=None) -> list[dict]:
    with app.app_context():
        stmt = select(OcdsRelease).order_by(OcdsRelease.published_at, OcdsRelease.id)
        if case_id is not None:
            stmt = stmt.where(OcdsRelease.case_id == case_id)
        return [json.loads(r.data) for r in db.session.execute(stmt).scalars()]


def everything(app) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in releases(app))


@pytest.fixture
def standard(tmp_path):
    base, zip_path, server = serve_standard(tmp_path / "standard")
    yield base, zip_path
    server.shutdown()


def validate(package, standard, tmp_path, *, record=False) -> dict:
    out = tmp_path / "cove"
    out.mkdir(exist_ok=True)
    return check(package, *standard, out, record=record)


# --- what a release says, and when ----------------------------------------------------------------

def test_a_draft_has_no_release_and_publishing_makes_the_first_tagged_tender(clean_app):
    officer = make_user(clean_app)
    case_id = make_case(clean_app, officer, publish=False, procedure=Procedure.LOWEST_PRICE)
    assert releases(clean_app) == []
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        notices.publish(case, by=db.session.get(User, officer), now=case.published_at or datetime.now(JST))
        db.session.commit()
        reference = case.reference
    [first] = releases(clean_app)
    assert first["tag"] == ["tender"] and first["ocid"] == f"ocds-jptndr-{reference}"
    assert first["id"].startswith(first["ocid"] + "-") and first["date"].endswith("+09:00")
    tender = first["tender"]
    assert tender["status"] == "active" and tender["procurementMethod"] == "open"
    assert tender["awardCriteria"] == "priceOnly" and tender["procurementMethodDetails"] == "一般競争入札（最低価格落札方式）"
    assert "numberOfTenderers" not in tender and "awards" not in first and "value" not in tender


def test_a_change_that_changes_nothing_public_makes_no_release(clean_app, auction):
    before = releases(clean_app, auction["case"])
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, auction["case"])
        case.cancel_reason = None  # touched, nothing public changed
        db.session.add(case)
        db.session.commit()
    assert releases(clean_app, auction["case"]) == before


def test_bids_leave_no_trace_before_the_opening_and_no_amount_but_the_winners_after(clean_app, auction):
    """Never before the opening: the bids change nothing public — no amount, no bidder, not their
    number; after it the number of bidders; after the award the winner and its price. The 予定価格 and
    the other bidders' amounts never appear."""
    from tests.scenario import decide, open_over_http, submit

    a = auction
    first = releases(clean_app, a["case"])
    with freeze_time(a["during"]):
        for i, amount in enumerate([9_000_000, 8_500_000, 9_500_000]):
            submit(clean_app, a, i, amount)
    assert releases(clean_app, a["case"]) == first  # three sealed bids: no release at all
    with freeze_time(a["opening"] + timedelta(minutes=1)):
        open_over_http(clean_app, a, attendees=a["companies"])
    opened = releases(clean_app, a["case"])[-1]
    assert opened["tag"] == ["tenderUpdate"] and opened["tender"]["numberOfTenderers"] == 3
    assert "awards" not in opened and "parties" in opened and len(opened["parties"]) == 1  # the buyer only
    with freeze_time(a["opening"] + timedelta(minutes=5)):
        decide(clean_app, a["case"], a["officer"])
    awarded = releases(clean_app, a["case"])[-1]
    assert "award" in awarded["tag"]
    [award] = awarded["awards"]
    assert award["value"] == {"amount": 9_350_000, "currency": "JPY"} and award["amountExcludingTax"] == 8_500_000
    assert award["suppliers"][0]["name"] == "入札B株式会社"
    numbers = set(re.findall(r"(?<![\d.])\d+(?![\d.])", everything(clean_app)))
    for secret in ("9000000", "9500000", "10000000", "9900000", "10450000"):
        assert secret not in numbers  # the losers' amounts (and with tax), the 予定価格


def test_every_step_of_the_life_cycle_has_its_tags(clean_app, awarded):
    t = awarded
    published(clean_app, t)
    tags = [r["tag"] for r in releases(clean_app, t["case"])]
    assert tags == [["tender"], ["tenderUpdate"], ["tenderUpdate", "award"], ["contract"]]
    contract = releases(clean_app, t["case"])[-1]["contracts"][0]
    assert contract["status"] == "active" and contract["value"]["amount"] == 9_350_000
    assert contract["valueBreakdown"] == {"amountExcludingTax": 8_500_000, "tax": 850_000}
    assert contract["awardID"] == releases(clean_app, t["case"])[-1]["awards"][0]["id"]


def test_an_amendment_and_a_cancellation_are_tagged_so(clean_app):
    officer = make_user(clean_app)
    case_id = make_case(clean_app, officer)
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        by = db.session.get(User, officer)
        now = max(case.published_at, datetime.now(JST)) + timedelta(minutes=1)
        notices.amend(case, {"place_of_performance": "東京都千代田区"}, "履行場所を訂正します。", by=by, now=now)
        db.session.commit()
        notices.cancel(case, "予算の執行を取り止めたため", by=by, now=now + timedelta(minutes=1))
        db.session.commit()
    rows = releases(clean_app, case_id)
    assert [r["tag"] for r in rows] == [["tender"], ["tenderAmendment"], ["tenderCancellation"]]
    assert rows[1]["tender"]["amendments"][0]["description"] == "履行場所を訂正します。"
    assert rows[1]["tender"]["deliveryLocation"] == "東京都千代田区"
    assert rows[2]["tender"]["status"] == "cancelled" and rows[2]["tender"]["cancellationReason"] == "予算の執行を取り止めたため"
    assert rows[0] == releases(clean_app, case_id)[0]  # written once, never changed


def test_no_personal_data_in_any_release(clean_app, auction):
    """Officers' and bidders' names and addresses, companies' addresses and representatives, the
    asker of a question: none of them is published; a 個人事業主's name neither (it is a person's)."""
    from tender.companies.models import Company
    from tests.scenario import decide, open_over_http, submit

    a = auction
    with clean_app.app_context():
        winner = db.session.get(Company, a["companies"][1])
        winner.legal_form = "sole_proprietor"
        winner_name, winner_number = winner.name, winner.corporate_number
        db.session.commit()
    with freeze_time(a["during"]):
        bids = [submit(clean_app, a, i, amount)[0] for i, amount in enumerate([9_000_000, 8_500_000, 9_500_000])]
    with freeze_time(a["opening"] + timedelta(minutes=1)):
        open_over_http(clean_app, a, attendees=a["companies"])
    with freeze_time(a["opening"] + timedelta(minutes=5)):
        decide(clean_app, a["case"], a["officer"])
    published(clean_app, {**a, "bids": bids, "decided_at": a["opening"] + timedelta(minutes=5)})
    text = everything(clean_app)
    assert '"contracts"' in text  # the whole life cycle was published
    with clean_app.app_context():
        for user in db.session.execute(select(User)).scalars():
            assert user.email not in text and user.name not in text
        for company in db.session.execute(select(Company)).scalars():
            assert company.address not in text and company.representative_name not in text
    assert winner_name not in text and winner_number not in text
    assert "個人事業主（氏名は公開しません）" in text


def test_a_case_published_ahead_of_its_notice_day_gets_its_first_release_from_the_sweep(clean_app, runner):
    officer = make_user(clean_app)
    now = datetime.now(JST).replace(microsecond=0)
    case_id = make_case(clean_app, officer, now=now + timedelta(days=3), publish=False)  # 公示日 in 3 days
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        notices.publish(case, by=db.session.get(User, officer), now=now)
        db.session.commit()
        public_from = case.published_at
    assert public_from > now and releases(clean_app, case_id) == []  # not public yet: nothing
    assert "新しいリリース 0 件" in runner.invoke(args=["ocds", "sync"]).output
    with freeze_time(public_from + timedelta(minutes=3)):
        out = runner.invoke(args=["ocds", "sync"]).output
        assert "新しいリリース 1 件" in out
        assert "新しいリリース 0 件" in runner.invoke(args=["ocds", "sync"]).output  # once
    [first] = releases(clean_app, case_id)
    assert first["tag"] == ["tender"] and first["date"].endswith("T00:03:00+09:00")


# --- the feed, the record, the package ------------------------------------------------------------

def test_the_feed_pages_by_cursor_each_release_once_in_order(clean_app, client):
    officer = make_user(clean_app)
    for _ in range(5):
        make_case(clean_app, officer)
    everyone = releases(clean_app)
    seen, url = [], "/ocds/releases?limit=2"
    while url:
        body = client.get(url).get_json()
        assert body["version"] == "1.1" and body["extensions"][0].endswith("/ocds/extension/extension.json")
        seen += [r["id"] for r in body["releases"]]
        url = body.get("links", {}).get("next", "").replace("http://127.0.0.1:5000", "")
    assert seen == [r["id"] for r in everyone] and len(seen) == 5
    # Not ours, or refused: the first page, or a JSON error with a stable code — never a server error.
    assert client.get("/ocds/releases?cursor=garbage").get_json()["releases"][0]["id"] == seen[0]
    refused = client.get("/ocds/releases?limit=0")
    assert refused.status_code == 422 and refused.get_json()["code"] == "invalid_parameter"
    assert refused.get_json()["errors"][0]["field"].endswith("limit")


def test_the_feed_waits_for_a_release_to_settle(clean_app, client, monkeypatch):
    """A transaction that began earlier and committed later must not slip behind a reader's cursor:
    the feed serves a release once OCDS_FEED_SETTLE_SECONDS have passed."""
    monkeypatch.setitem(clean_app.config, "OCDS_FEED_SETTLE_SECONDS", 60)
    officer = make_user(clean_app)
    now = datetime.now(JST)
    make_case(clean_app, officer, now=now)
    with freeze_time(now + timedelta(seconds=30)):
        assert client.get("/ocds/releases").get_json()["releases"] == []
    with freeze_time(now + timedelta(seconds=61)):
        assert len(client.get("/ocds/releases").get_json()["releases"]) == 1


def test_the_record_compiles_the_releases(clean_app, awarded, client):
    t = awarded
    published(clean_app, t)
    ocid = releases(clean_app, t["case"])[0]["ocid"]
    body = client.get(f"/ocds/records/{ocid}").get_json()
    [record] = body["records"]
    assert record["ocid"] == ocid and len(record["releases"]) == 4
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"] and compiled["tender"]["status"] == "complete"
    assert compiled["awards"][0]["value"]["amount"] == 9_350_000 and compiled["contracts"][0]["status"] == "active"
    missing = client.get("/ocds/records/ocds-jptndr-nothing")
    assert missing.status_code == 404 and missing.get_json()["code"] == "not_found"


def test_the_export_command_writes_the_package_of_everything_published(clean_app, awarded, runner, tmp_path):
    published(clean_app, awarded)
    officer = make_user(clean_app)
    make_case(clean_app, officer)
    path = tmp_path / "ocds.json"
    with freeze_time(datetime.now(JST) + timedelta(days=60)):
        out = runner.invoke(args=["ocds", "export", str(path)])
    assert out.exit_code == 0, out.output
    package = json.loads(path.read_text(encoding="utf-8"))
    assert [r["id"] for r in package["releases"]] == [r["id"] for r in releases(clean_app)]
    assert f"{len(package['releases'])} 件のリリース" in out.output and len(package["releases"]) == 5
    with freeze_time(datetime.now(JST) + timedelta(days=60)):
        streamed = clean_app.test_client().get("/ocds/package.json")
    assert json.loads(streamed.data)["releases"] == package["releases"]


# --- the OCP's checker -----------------------------------------------------------------------------

def _live_json(url):
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_checker_finds_no_error_in_generated_cases(clean_app, tender, live_server, standard, tmp_path,
                                                        monkeypatch):
    """A 総合評価 case evaluated and awarded (its criteria in the extension), a lowest-price case
    amended and cancelled, the records: 0 validation errors, every field declared (no additional
    fields), and this publisher's extension read from the running application."""
    monkeypatch.setitem(clean_app.config, "PUBLIC_BASE_URL", live_server)
    evaluated_and_awarded(clean_app, tender)
    officer = make_user(clean_app)
    other = make_case(clean_app, officer)
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, other)
        now = max(case.published_at, datetime.now(JST)) + timedelta(minutes=1)
        notices.amend(case, {"place_of_performance": "千葉県千葉市"}, "履行場所の訂正", by=db.session.get(User, officer),
                      now=now)
        notices.cancel(case, "取止め", by=db.session.get(User, officer), now=now + timedelta(minutes=1))
        db.session.commit()
    with freeze_time(datetime.now(JST) + timedelta(days=90)):
        package = _live_json(f"{live_server}/ocds/releases?limit=1000")
        comprehensive = [r for r in package["releases"] if r["tender"].get("comprehensiveEvaluation")]
        assert comprehensive and comprehensive[-1]["tender"]["comprehensiveEvaluation"]["criteria"]
        assert comprehensive[-1]["tender"]["awardCriteria"] == "ratedCriteria"
        result = validate(package, standard, tmp_path)
        assert result["validation_errors"] == [] and result["additional_fields"] == []
        assert result["extensions"]["invalid_extension"] == {} and result["extensions"]["is_extended_schema"]
        assert result["count"] == len(package["releases"]) >= 6
        for ocid in {r["ocid"] for r in package["releases"]}:
            record = validate(_live_json(f"{live_server}/ocds/records/{ocid}"), standard, tmp_path, record=True)
            assert record["validation_errors"] == [] and record["additional_fields"] == []


def test_the_checker_would_see_an_error(clean_app, live_server, standard, tmp_path, monkeypatch):
    """The check above can fail: a release without its ocid, with a date that is no date and a tag
    outside the closed codelist is refused."""
    monkeypatch.setitem(clean_app.config, "PUBLIC_BASE_URL", live_server)
    make_case(clean_app, make_user(clean_app))
    with freeze_time(datetime.now(JST) + timedelta(days=1)):
        package = _live_json(f"{live_server}/ocds/releases")
    package["releases"][0]["tag"] = ["bidOpened"]
    package["releases"][0]["date"] = "令和8年"
    del package["releases"][0]["ocid"]
    result = validate(package, standard, tmp_path)
    assert len(result["validation_errors"]) >= 2
    assert "bidOpened" in json.dumps(result["additional_closed_codelist_values"])


def test_the_checker_finds_no_error_in_the_demo(clean_app, runner, live_server, standard, tmp_path, monkeypatch):
    """The demo's cases — every procedure and state the demo seeds — as the bulk package."""
    monkeypatch.setitem(clean_app.config, "PUBLIC_BASE_URL", live_server)
    assert runner.invoke(args=["demo"]).exit_code == 0
    with freeze_time(datetime.now(JST) + timedelta(days=400)):
        package = _live_json(f"{live_server}/ocds/package.json")
    assert len(package["releases"]) >= 5
    result = validate(package, standard, tmp_path)
    assert result["validation_errors"] == [] and result["additional_fields"] == []
    procedures = {r["tender"]["procurementMethodDetails"] for r in package["releases"]}
    assert len(procedures) >= 3
    assert Procedure.LOWEST_PRICE.label in procedures and Procedure.COMPREHENSIVE_ADDITION.label in procedures


def test_a_release_that_cannot_be_made_never_stops_the_change_and_is_made_later(clean_app, runner, monkeypatch, caplog):
    """Open data must not stop the procurement it reports on: if a release cannot be made, the
    officer's change commits all the same, the log says so, and `ocds sync --all` makes it later."""
    from tender.opendata import mapping

    officer = make_user(clean_app)
    case_id = make_case(clean_app, officer)
    real = mapping.content
    monkeypatch.setattr(mapping, "content", lambda case, now: 1 / 0)
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        now = max(case.published_at, datetime.now(JST)) + timedelta(minutes=1)
        notices.amend(case, {"place_of_performance": "別館"}, "履行場所の訂正", by=db.session.get(User, officer), now=now)
        db.session.commit()
    with clean_app.app_context():
        assert db.session.get(ProcurementCase, case_id).place_of_performance == "別館"  # the change is kept
    assert [r["tag"] for r in releases(clean_app, case_id)] == [["tender"]]
    assert "no release made for case" in caplog.text
    monkeypatch.setattr(mapping, "content", real)
    assert "新しいリリース 0 件" in runner.invoke(args=["ocds", "sync"]).output  # it has a release already
    out = runner.invoke(args=["ocds", "sync", "--all"]).output
    assert "新しいリリース 1 件" in out
    assert [r["tag"] for r in releases(clean_app, case_id)] == [["tender"], ["tenderAmendment"]]
    assert "新しいリリース 0 件" in runner.invoke(args=["ocds", "sync", "--all"]).output


def test_deliveries_inspections_and_payments_are_the_implementation(clean_app, awarded):
    """The published contract's implementation: each deliverable a milestone (met once it passed
    inspection), each payment a transaction from the buyer to the supplier."""
    from tender.contracts.models import Deliverable, Invoice
    from tests.scenario import post_row

    t = awarded
    contract_id, signed_on = published(clean_app, t)
    at = datetime.combine(signed_on, time(14), tzinfo=JST)
    with freeze_time(at):
        officer = client_of(clean_app, t["officer"])
        post_form(officer, f"/contracts/{contract_id}/rules", {"kind": "monthly", "title": "作業実績報告書", "days": "10"},
                  form_url=f"/contracts/{contract_id}", follow=True)
    with clean_app.app_context():
        first = db.session.execute(select(Deliverable).where(Deliverable.contract_id == contract_id)
                                   .order_by(Deliverable.due_on, Deliverable.id)).scalars().first()
        first_id, due_on = first.id, first.due_on
    assert releases(clean_app, t["case"])[-1]["tag"] == ["implementation"]
    with freeze_time(datetime.combine(due_on, time(10), tzinfo=JST)):
        contractor = client_of(clean_app, t["winner_user"])
        post_row(contractor, f"/contracts/{contract_id}/deliverables/{first_id}/deliver", f"item{first_id}",
                 {"note": "電子メールで提出"}, form_url=f"/contracts/{contract_id}")
    delivery_id = events(clean_app, "contract.delivered")[-1].object_id
    inspected = due_on + timedelta(days=2)
    with freeze_time(datetime.combine(inspected, time(10), tzinfo=JST)):
        officer = client_of(clean_app, t["officer"])
        post_row(officer, f"/contracts/{contract_id}/deliveries/{delivery_id}/inspect", f"delivery{delivery_id}",
                 {"result": "passed", "inspected_on": inspected.isoformat(), "findings": ""},
                 form_url=f"/contracts/{contract_id}")
        post_form(officer, f"/contracts/{contract_id}/invoices",
                  {"amount": "779,166", "received_on": inspected.isoformat(), "deliverable_id": str(first_id)},
                  form_url=f"/contracts/{contract_id}", follow=True)
    with clean_app.app_context():
        invoice_id = db.session.execute(select(Invoice.id)).scalar_one()
    paid_on = inspected + timedelta(days=10)
    with freeze_time(datetime.combine(paid_on, time(10), tzinfo=JST)):
        officer = client_of(clean_app, t["officer"])
        done = post_row(officer, f"/contracts/{contract_id}/invoices/{invoice_id}/paid", f"invoice{invoice_id}",
                        {"paid_on": paid_on.isoformat()}, form_url=f"/contracts/{contract_id}")
        assert "支払を記録しました" in done.text
    rows = releases(clean_app, t["case"])
    assert rows[-1]["tag"] == ["implementationUpdate"]
    implementation = rows[-1]["contracts"][0]["implementation"]
    met = next(m for m in implementation["milestones"] if m["id"] == f"deliverable-{first_id}")
    assert met["status"] == "met" and met["dateMet"] == f"{inspected.isoformat()}T00:00:00+09:00"
    assert met["type"] == "delivery" and met["title"].startswith("作業実績報告書")
    [payment] = implementation["transactions"]
    assert payment["value"] == {"amount": 779_166, "currency": "JPY"}
    assert payment["date"] == f"{paid_on.isoformat()}T00:00:00+09:00"
    assert payment["payer"]["id"].endswith("-buyer") and payment["payee"]["id"].endswith(f"-company-{t['winner']}")
    # A delivery not yet inspected and an invoice not yet paid change nothing public: one release for
    # the schedule, one for the inspection passed, one for the payment.
    assert [r["tag"] for r in rows][3:] == [["contract"], ["implementation"], ["implementationUpdate"],
                                            ["implementationUpdate"]]


def test_the_bulk_package_is_streamed_not_built_in_memory(clean_app, client):
    """Review of issue 21: validating the package's response read all of it into memory first. It is
    sent as it is read, in batches, with no Content-Length."""
    officer = make_user(clean_app)
    for _ in range(3):
        make_case(clean_app, officer)
    response = client.get("/ocds/package.json", buffered=False)
    assert response.is_streamed and "Content-Length" not in response.headers
    first = next(iter(response.response))
    first = first.decode() if isinstance(first, bytes) else first
    assert first.startswith('{"uri"') and first.endswith('"releases": [')  # the head goes out before any row is read
    rest = b"".join(p if isinstance(p, bytes) else p.encode() for p in response.response).decode()
    assert len(json.loads(first + rest)["releases"]) == 3


def test_a_database_error_while_making_a_release_fails_the_commit_loudly(clean_app, monkeypatch):
    """Review of issue 21: swallowing a database error would leave PostgreSQL's transaction aborted, and
    its COMMIT then quietly rolls everything back — the officer told of a change that was lost. A
    database error fails the commit, visibly; only other errors are logged and left for `ocds sync --all`."""
    from sqlalchemy.exc import OperationalError

    from tender.opendata import mapping

    officer = make_user(clean_app)
    case_id = make_case(clean_app, officer)

    def refused(case, now):
        raise OperationalError("SELECT 1", {}, Exception("canceling statement due to statement timeout"))

    monkeypatch.setattr(mapping, "content", refused)
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        now = max(case.published_at, datetime.now(JST)) + timedelta(minutes=1)
        notices.amend(case, {"place_of_performance": "別館"}, "履行場所の訂正", by=db.session.get(User, officer), now=now)
        with pytest.raises(OperationalError):
            db.session.commit()
        db.session.rollback()
    with clean_app.app_context():
        assert db.session.get(ProcurementCase, case_id).place_of_performance != "別館"  # nothing half-done

"""No query in a loop (issue 16 item 4): each main page runs as many SQL statements with 50 bids
(or cases, or deliverables) as with one. The counts are compared, not timed; speed is measured
by benchmarks/scale.py."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import event

from tender.accounts.models import Role, User
from tender.companies.models import Company
from tender.extensions import db
from tender.notices import operations as notices
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import Procedure
from tests.helpers import email_of, login, make_case, make_company, make_user
from tests.scenario import open_sealed, seal_bid


@contextmanager
def counted(app):
    """The SQL statements run inside the block (every connection of the application's engine)."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _opened_case(app, bidders: int) -> dict:
    """A lowest-price case with ``bidders`` bids, opened: the busiest page of an opening."""
    officer, second = make_user(app, Role.OFFICER), make_user(app, Role.OFFICER)
    auditor = make_user(app, Role.AUDITOR)
    case_id = make_case(app, officer, procedure=Procedure.LOWEST_PRICE, estimated_price=100_000_000,
                        rules=[("no_suspension", {})], officials=[officer, second])
    companies = [make_company(app, name=f"事業者{n:02d}株式会社") for n in range(bidders)]
    users = [make_user(app, Role.BIDDER, company_id=c) for c in companies]
    with app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        during, opening = case.submissions_from + timedelta(hours=1), case.opening_at
        asked = case.questions_from + timedelta(minutes=1) if case.questions_from else during
        for company_id, user_id in zip(companies, users):
            company, user = db.session.get(Company, company_id), db.session.get(User, user_id)
            notices.register(case, company, by=user, now=asked)
            notices.ask(case, company, {"document": "仕様書", "page": "1", "item": "1", "body": "質問です。"},
                        by=user, now=asked)
        db.session.commit()
    for n, (company, user) in enumerate(zip(companies, users)):
        seal_bid(app, case_id, company, user, 50_000_000 + n * 1_000, now=during)
    open_sealed(app, case_id, officer, second, opening, attendees=companies)
    return {"case": case_id, "officer": officer, "auditor": auditor, "bidder": users[0], "opening": opening}


def _contracted_cases(app, count: int) -> dict:
    """``count`` lowest-price cases awarded to one company, each with a signed contract whose
    quarterly reports are scheduled: the busiest contract list and home pages."""
    from tender.award import operations as award
    from tender.contracts import operations as contracts
    from tender.rules import contracts as contract_rules

    officer, second = make_user(app, Role.OFFICER), make_user(app, Role.OFFICER)
    auditor = make_user(app, Role.AUDITOR)
    company = make_company(app, name="受注株式会社")
    bidder = make_user(app, Role.BIDDER, company_id=company)
    cases = [make_case(app, officer, procedure=Procedure.LOWEST_PRICE, estimated_price=100_000_000,
                       officials=[officer, second], title=f"運用保守業務{n:02d}") for n in range(count)]
    with app.app_context():
        first = db.session.get(ProcurementCase, cases[0])
        during, opening = first.submissions_from + timedelta(hours=1), first.opening_at
    for case_id in cases:
        seal_bid(app, case_id, company, bidder, 80_000_000, now=during)
        open_sealed(app, case_id, officer, second, opening, attendees=[company])
    decided = opening + timedelta(minutes=5)
    with app.app_context():
        by = db.session.get(User, officer)
        for case_id in cases:
            case = db.session.get(ProcurementCase, case_id)
            decision = award.decide_award(case, "最低価格", by=by, now=decided)
            contract = contracts.create_draft(case, decision, by=by, now=decided)
            contracts.sign(contract, f"契約第{case_id}号", decided.date(), by=by, now=decided)
            # Quarterly: 4 items a contract, 200 in all — under SQLAlchemy's batches of 500 ids, so
            # that a growing count can only be a query per row.
            contracts.add_rule(contract, contract_rules.DueRule(contract_rules.QUARTERLY, "運用実績報告書", day=10),
                               by=by, now=decided)
        db.session.commit()
    return {"case": cases[-1], "officer": officer, "auditor": auditor, "bidder": bidder, "opening": decided}


def _evaluated_case(app, bidders: int) -> dict:
    """A 総合評価 case with ``bidders`` proposals, evaluated by three evaluators, signed off and opened."""
    from tests.scenario import evaluate_all, marks_for, open_bids, submit_bid

    officer, second = make_user(app, Role.OFFICER), make_user(app, Role.OFFICER)
    auditor = make_user(app, Role.AUDITOR)
    case_id = make_case(app, officer, procedure=Procedure.COMPREHENSIVE_ADDITION, estimated_price=100_000_000,
                        officials=[officer, second])
    companies = [make_company(app, name=f"提案者{n:02d}株式会社") for n in range(bidders)]
    users = [make_user(app, Role.BIDDER, company_id=c) for c in companies]
    with app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        t = {"case": case_id, "officer": officer, "second": second, "companies": companies, "bidders": users,
             "evaluators": [make_user(app, Role.EVALUATOR) for _ in range(3)],
             "during": case.submissions_from + timedelta(hours=1), "opening": case.opening_at,
             "after": case.submission_deadline + timedelta(minutes=1)}
    bids = [submit_bid(app, t, n, 80_000_000 + n * 1_000) for n in range(bidders)]
    evaluate_all(app, t, {b: marks_for(app, case_id, rank="AB"[n % 2]) for n, b in enumerate(bids)}, t["after"])
    open_bids(app, t, t["opening"])
    return {**t, "auditor": auditor, "bidder": users[0]}


def _queries(app, user_id, path, at) -> list[str]:
    """The statements one GET of the page runs."""
    client = app.test_client()
    with freeze_time(at):
        login(client, email_of(app, user_id))
        with counted(app) as statements:
            response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return statements


def _reading(statements: list[str], table: str) -> list[str]:
    """The statements that read the rows of ``table``: a SELECT whose (first) FROM names it first."""
    def first_from(statement: str) -> str:
        _, found, rest = statement.partition("\nFROM ")
        return rest.split(None, 1)[0].rstrip(",") if found and rest.strip() else ""

    return [s for s in statements if s.lstrip().upper().startswith("SELECT") and first_from(s) == table]


PAGES = [
    ("officer", "/home"),
    ("bidder", "/home"),
    ("officer", "/cases/{case}"),
    ("officer", "/cases/{case}/opening"),
    ("officer", "/cases/{case}/award"),
    ("auditor", "/audit/cases/{case}"),
    ("auditor", "/audit?case={case}"),
    ("officer", "/cases/{case}/contract"),
    ("bidder", "/notices/{case}"),
    ("bidder", "/notices"),
]


@pytest.fixture(scope="module")
def measured(app):
    """Each page's statement count with 1 bid and with 50."""
    from tests.conftest import _empty_tables

    out = {}
    for size in (1, 50):
        _empty_tables(app)
        world = _opened_case(app, size)
        at = world["opening"] + timedelta(minutes=5)
        out[size] = {(who, path): _queries(app, world[who], path.format(case=world["case"]), at) for who, path in PAGES}
    _empty_tables(app)
    return out


CONTRACT_PAGES = [
    ("officer", "/contracts"),
    ("auditor", "/contracts"),
    ("officer", "/home"),
    ("bidder", "/home"),
    ("officer", "/cases"),
    ("auditor", "/audit/cases"),
    ("auditor", "/audit"),
    ("bidder", "/notices"),
]


@pytest.fixture(scope="module")
def measured_cases(app):
    """Each page's statement count with 1 contracted case and with 50."""
    from tests.conftest import _empty_tables

    out = {}
    for size in (1, 50):
        _empty_tables(app)
        world = _contracted_cases(app, size)
        at = world["opening"] + timedelta(minutes=10)
        out[size] = {(who, path): _queries(app, world[who], path, at) for who, path in CONTRACT_PAGES}
    _empty_tables(app)
    return out


@pytest.mark.parametrize("who, path", CONTRACT_PAGES, ids=[f"{w}:{p}" for w, p in CONTRACT_PAGES])
def test_a_page_runs_as_many_queries_with_50_cases_as_with_one(measured_cases, who, path):
    one, fifty = len(measured_cases[1][(who, path)]), len(measured_cases[50][(who, path)])
    assert fifty == one, f"{path} as {who}: {one} statements with 1 case, {fifty} with 50"


EVALUATED_PAGES = [
    ("officer", "/cases/{case}/award"),
    ("officer", "/cases/{case}/panel"),
    ("officer", "/cases/{case}/consensus"),
    ("auditor", "/audit/cases/{case}"),
]


@pytest.fixture(scope="module")
def measured_proposals(app):
    from tests.conftest import _empty_tables

    out = {}
    for size in (1, 50):
        _empty_tables(app)
        world = _evaluated_case(app, size)
        at = world["opening"] + timedelta(minutes=5)
        out[size] = {(who, path): _queries(app, world[who], path.format(case=world["case"]), at)
                     for who, path in EVALUATED_PAGES}
    _empty_tables(app)
    return out


@pytest.mark.parametrize("who, path", EVALUATED_PAGES, ids=[f"{w}:{p}" for w, p in EVALUATED_PAGES])
def test_an_evaluation_page_runs_as_many_queries_with_50_proposals_as_with_one(measured_proposals, who, path):
    one, fifty = len(measured_proposals[1][(who, path)]), len(measured_proposals[50][(who, path)])
    assert fifty == one, f"{path} as {who}: {one} statements with 1 proposal, {fifty} with 50"


@pytest.mark.parametrize("who, path", PAGES, ids=[f"{w}:{p}" for w, p in PAGES])
def test_a_page_runs_as_many_queries_with_50_bids_as_with_one(measured, who, path):
    one, fifty = len(measured[1][(who, path)]), len(measured[50][(who, path)])
    assert fifty == one, f"{path} as {who}: {one} statements with 1 bid, {fifty} with 50"



# --- what a page reads, not only how often ------------------------------------------------------

def test_the_opening_page_reads_the_case_keys_once(measured):
    """The officials, their form, each round's key and the proposals' release all ask for the case's
    keys: one GET reads them once (tender.web.memo), not once per asker (it read them 7 times)."""
    statements = measured[50][("officer", "/cases/{case}/opening")]
    assert len(_reading(statements, "case_keys")) == 1, _reading(statements, "case_keys")


@pytest.mark.parametrize("who", ["officer", "auditor"])
def test_the_contract_list_reads_no_deliverable_nor_invoice(measured_cases, who):
    """A list of contracts shows each one's case, company, dates and amount: the 200 deliverables
    and the invoices every contract otherwise brings along are not read."""
    statements = measured_cases[50][(who, "/contracts")]
    assert _reading(statements, "deliverables") == [] and _reading(statements, "invoices") == []


@pytest.mark.parametrize("who", ["officer", "auditor"])
def test_the_contract_list_reads_its_cases_titles_and_companies_names_not_the_rows(measured_cases, who):
    """Of each contract's case the list shows the title, of its company the name: both are read as
    columns in the statement that reads the contracts, never the case or company read whole, and
    the contracts themselves as the columns the list shows."""
    statements = measured_cases[50][(who, "/contracts")]
    assert _reading(statements, "procurement_cases") == [] and _reading(statements, "companies") == []
    listed = [s for s in _reading(statements, "contracts") if "count(" not in s]
    assert len(listed) == 2  # the drafts, and the page of signed contracts
    for statement in listed:
        assert "procurement_cases.title" in statement and "companies.name" in statement
        assert "contracts.lapse_reason" not in statement and "procurement_cases.reference" not in statement


@pytest.mark.parametrize("who", ["officer", "bidder"])
def test_the_home_page_reads_only_what_its_deadlines_name(measured_cases, who):
    """The deadlines read the deliverables due in one statement and name each one's case: their
    contracts do not bring along the contracting company (the contractor's own is read with the
    user, for its name in the menu), nor every other deliverable and invoice of the contract."""
    statements = measured_cases[50][(who, "/home")]
    assert len(_reading(statements, "deliverables")) == 1
    assert len(_reading(statements, "invoices")) == 1
    rows = [s for s in _reading(statements, "companies") if "count(" not in s]  # the officer's count of companies
    assert rows == []


def test_the_award_page_reads_the_signed_evaluation_not_the_marks(measured_proposals):
    """Once signed, the technical evaluation is the chair's signed record: the award page reads that
    one row, not the consensus marks of every proposal and item (1,400 of them for 50 proposals)."""
    statements = measured_proposals[50][("officer", "/cases/{case}/award")]
    assert _reading(statements, "consensus_marks") == []
    assert len(_reading(statements, "technical_signoffs")) == 1


@pytest.mark.parametrize("who, path", [("officer", "/cases/{case}/opening"), ("auditor", "/audit/cases/{case}")])
def test_a_page_of_bids_reads_no_bid_file(measured, who, path):
    """The files received with each bid are read where an envelope is opened or a receipt made,
    not with every page that lists the bids (two files a bid: 100 rows and their stored files)."""
    assert _reading(measured[50][(who, path)], "bid_files") == []


def test_a_logged_in_page_reads_its_user_company_unread_count_and_cache_key_in_one_statement(clean_app, monkeypatch):
    """Every page of a logged-in user names the user, their company and the unread notifications,
    and keys its shared parts on the audit trail's head: all read in the statement that finds the
    user's session, none by a statement of its own."""
    monkeypatch.setitem(clean_app.config, "PUBLIC_PAGE_CACHE_SECONDS", 3)  # the shared app: put back after
    company = make_company(clean_app)
    uid = make_user(clean_app, Role.BIDDER, company_id=company)
    with clean_app.app_context():
        from tender.notifications.operations import notify

        notify([db.session.get(User, uid)], "お知らせです。", "/home")
        db.session.commit()
    statements = _queries(clean_app, uid, "/notices", at="2026-11-30 10:00:00")
    finding = [s for s in statements if "FROM users JOIN login_sessions" in s]
    assert len(finding) == 1 and "notifications" in finding[0] and "audit_head" in finding[0]
    assert "companies" in finding[0]
    others = [s for s in statements if s not in finding]
    for table in ("notifications", "audit_head", "companies", "login_sessions"):
        assert _reading(others, table) == [], table


def test_a_page_that_records_its_viewing_takes_the_audit_trail_only_once_rendered(clean_app):
    """The audit trail takes one writer at a time (its head is locked until the commit). A page that
    records its own viewing (here a company's contacts) reads and renders everything first and only
    then takes the head, writes its record and commits: no page is rendered while it holds the trail."""
    from tests.helpers import login_as, post_form

    company = make_company(clean_app)
    browser = clean_app.test_client()
    login_as(browser, clean_app, Role.BIDDER, company_id=company)
    post_form(browser, f"/companies/{company}/contacts/new", {
        "name": "連絡 太郎", "title": "営業部", "phone": "090-1234-5678", "email": "renraku@example.com"})
    with counted(clean_app) as statements:
        page = browser.get(f"/companies/{company}")
    assert page.status_code == 200 and "090-1234-5678" in page.text
    # The head is taken by a no-op UPDATE returning it (tender.locking.lock_row).
    head = min(i for i, s in enumerate(statements) if s.lstrip().startswith("UPDATE audit_head"))
    after = [s.split("(")[0].split(" SET")[0].strip() for s in statements[head + 1:]]
    assert after == ["INSERT INTO audit_events", "UPDATE audit_head"], statements[head:]


@pytest.mark.parametrize("path", ["/audit/cases/{case}", "/audit?case={case}"])
def test_a_cases_events_are_found_by_their_objects_before_they_are_ordered(measured, path):
    """A page of a case's events is read from a derived table fenced by OFFSET 0: the database finds
    the case's events by the index of their objects, then sorts them. Ordered and limited directly,
    PostgreSQL walked the whole trail by seq (1.1 million rows, 0.3 s, for a case viewed 5,000 times)."""
    statements = measured[50][("auditor", path)]
    page = [s for s in statements if s.lstrip().startswith("SELECT events.") and "ORDER BY events.seq" in s]
    assert len(page) == 1, statements
    inner = page[0].split("FROM (", 1)[1]
    assert "FROM audit_events" in inner and "OFFSET" in inner.split(") AS events")[0]


def test_the_opening_page_reads_the_officers_keys_in_one_statement_however_many_there_are(clean_app):
    """The opening page lists who may be named an opening official: each officer of the department
    with an opening passphrase. Their keys are read in one statement, not one per officer (a
    ministry's department has hundreds)."""
    world = _opened_case(clean_app, 1)
    at = world["opening"] + timedelta(minutes=5)
    path = f"/cases/{world['case']}/opening"
    before = _queries(clean_app, world["officer"], path, at)
    for n in range(6):
        make_user(clean_app, Role.OFFICER, name=f"職員 {n}")
    after = _queries(clean_app, world["officer"], path, at)
    assert len(after) == len(before), [s[:80] for s in after]
    assert len(_reading(after, "opening_keys")) == 1

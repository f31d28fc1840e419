"""`flask --app wsgi demo` loads a usable demo once."""
from sqlalchemy import func, select

from tender.accounts.models import Role, User
from tender.companies.models import Company
from tender.demo import DEMO_PASSWORD
from tender.extensions import db
from tests.helpers import award_standing, login


def test_demo_loads_every_role_and_four_companies(runner, clean_app):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "officer@example.jp" in result.output and DEMO_PASSWORD in result.output
    with clean_app.app_context():
        roles = set(db.session.execute(select(User.role)).scalars())
        assert roles == set(Role)
        companies = db.session.execute(select(Company).order_by(Company.id)).scalars().all()
        assert len(companies) == 4
        from tender import clock
        today = clock.today_jst()
        assert [bool(c.active_suspensions(today)) for c in companies] == [False, False, True, False]
        assert sorted(q.grade for c in companies for q in c.qualifications) == ["A", "B", "C", "D"]
    second = runner.invoke(args=["demo", "--if-empty"])
    assert second.exit_code == 0 and "読み込み済み" in second.output
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code != 0
    with clean_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Company)) == 4


def test_every_demo_account_logs_in(runner, clean_app):
    runner.invoke(args=["demo"])
    for email in ["officer@example.jp", "bidder@example.jp", "agent@example.jp", "evaluator@example.jp",
                  "auditor@example.jp", "admin@example.jp"]:
        client = clean_app.test_client()
        assert login(client, email, DEMO_PASSWORD).status_code == 302, email
        assert client.get("/home").status_code == 200
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_demo_has_a_case_in_each_state_the_notices_reach(runner, clean_app):
    from tender.notices.models import Participation, ProcurementCase, Question
    from tender.rules.lifecycle import CaseState, Procedure

    runner.invoke(args=["demo"])
    with clean_app.app_context():
        cases = db.session.execute(select(ProcurementCase)).scalars().all()
        states = {c.state for c in cases}
        assert {CaseState.DRAFT, CaseState.PUBLISHED, CaseState.SUBMISSIONS_CLOSED, CaseState.CANCELLED,
                CaseState.PRIVATE_CONTRACT} <= states
        assert any(c.procedure is Procedure.PRIOR_CONFIRMATION and c.state is CaseState.PUBLISHED for c in cases)
        assert db.session.execute(select(Participation)).scalars().first() is not None
        assert any(q.published_at for q in db.session.execute(select(Question)).scalars())
    board = clean_app.test_client().get("/notices").text
    assert "令和8年度 電子調達システム運用保守業務" in board and "令和9年度 庁舎清掃業務" not in board


def test_demo_has_sealed_bids_and_an_opened_case(runner, clean_app):
    from tender.bidding.models import Bid
    from tender.rules.lifecycle import CaseState

    runner.invoke(args=["demo"])
    with clean_app.app_context():
        bids = db.session.execute(select(Bid)).scalars().all()
        sealed = [b for b in bids if b.status == "sealed"]
        opened = [b for b in bids if b.status != "sealed" and b.round.case.title.startswith("複合機")]
        assert len(sealed) == 5 and all(b.amount is None for b in sealed)  # incl. 2 under technical evaluation
        assert {b.status for b in opened} == {"valid", "invalid"}
        assert [b.invalid_ground for b in opened if b.status == "invalid"] == ["no_qualification"]
        assert opened[0].round.case.state is CaseState.OPENED
        case_id = opened[0].case_id
    client = clean_app.test_client()
    login(client, "officer@example.jp", DEMO_PASSWORD)
    page = client.get(f"/cases/{case_id}/opening").text
    assert "監査 次郎" in page
    assert "落札候補：株式会社みらいシステムズ" in award_standing(client, case_id)


def test_demo_has_an_evaluation_to_start_and_an_award_to_decide(runner, clean_app):
    from tender.notices.models import ProcurementCase

    assert runner.invoke(args=["demo"]).exit_code == 0
    with clean_app.app_context():
        ids = {c.title: c.id for c in db.session.execute(select(ProcurementCase)).scalars()}
    evaluator = clean_app.test_client()
    login(evaluator, "evaluator@example.jp", DEMO_PASSWORD)
    home = evaluator.get("/home").text
    assert "統計データ利活用支援業務" in home and "利害関係の申告待ち" in home
    officer = clean_app.test_client()
    login(officer, "officer@example.jp", DEMO_PASSWORD)
    award = officer.get(f"/cases/{ids['ウェブサイト改修業務（アクセシビリティ対応）']}/award").text
    assert "落札候補：</b>" in award and "落札者を決定する" in award
    consensus = officer.get(f"/cases/{ids['ウェブサイト改修業務（アクセシビリティ対応）']}/consensus").text
    assert "確定しました" in consensus


def test_demo_has_a_running_contract_with_delivered_inspected_late_and_upcoming_items(runner, clean_app):
    from tender import clock
    from tender.contracts import operations as contracts
    from tender.contracts.models import Contract

    assert runner.invoke(args=["demo"]).exit_code == 0
    with clean_app.app_context():
        contract = db.session.execute(select(Contract)).scalar_one()
        today = clock.today_jst()
        assert contract.state == "signed" and contract.case.state.value == "contracted" and contract.published_on
        codes = [contracts.status(d, today).code for d in contract.deliverables]
        assert "passed" in codes and "overdue" in codes and "upcoming" in codes
        assert "delivered" in codes or "deemed" in codes
        assert any(len(d.deliveries) == 2 and d.deliveries[0].result == "failed" for d in contract.deliverables)
        assert any(contracts.late_damages(d, today) for d in contract.deliverables)
        assert [i.paid_on is not None for i in contract.invoices] == [True, False]
        contract_id = contract.id
    officer = clean_app.test_client()
    login(officer, "officer@example.jp", DEMO_PASSWORD)
    page = officer.get(f"/contracts/{contract_id}").text
    assert "基幹業務システム運用・保守業務" in page and "納入遅延" in page and "遅延損害金" in page
    home = officer.get("/home").text
    assert "期限切れ" in home and "作業実績報告書" in home
    bidder = clean_app.test_client()
    login(bidder, "bidder@example.jp", DEMO_PASSWORD)
    assert "作業実績報告書" in bidder.get("/home").text
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_a_repeated_demo_lists_only_the_demos_accounts_that_take_the_demo_password(runner, clean_app):
    """Issue 19: `make run` again lists the demo's accounts, not every user with a password only the
    demo's have; one whose password was changed is not offered with the demo password."""
    from tender.accounts.operations import create_user, set_password

    runner.invoke(args=["demo"])
    with clean_app.app_context():
        create_user(email="someone@ministry.example", name="本番 利用者", role=Role.OFFICER,
                    password="An-Own-Password-2026!")
        changed = db.session.execute(select(User).where(User.email == "auditor@example.jp")).scalar_one()
        set_password(changed, "Changed-Password-2026!")
        db.session.commit()
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0
    assert "officer@example.jp" in again.output and "admin@example.jp" in again.output
    assert "someone@ministry.example" not in again.output and "auditor@example.jp" not in again.output

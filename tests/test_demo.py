"""`flask --app wsgi demo` loads a usable demo once."""
from sqlalchemy import func, select

from tender.accounts.models import Role, User
from tender.companies.models import Company
from tender.demo import DEMO_PASSWORD
from tender.extensions import db
from tests.helpers import login


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

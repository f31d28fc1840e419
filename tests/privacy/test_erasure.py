"""Personal data (情報取扱者名簿, 情報管理体制図) is erased irrecoverably once its retention ends: the
command lists, refuses without --yes, overwrites, wipes the freed pages, and records each erasure;
afterwards neither the plaintext nor the old ciphertext is anywhere in the database file."""
import json
from datetime import datetime, time, timedelta

from freezegun import freeze_time
from sqlalchemy import select, text

from tender.extensions import db
from tender.notices.models import Participation, ProcurementCase
from tender.rules.calendar import JST
from tender.rules.retention import add_years
from tests.helpers import email_of, events, login
from tests.scenario import submit_participation as _submit

NAME = "情報 太郎"


def _database_bytes(app) -> bytes:
    """The raw bytes of the participations' storage: the SQLite file, or PostgreSQL's heap file."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        if url.startswith("sqlite"):
            db.session.remove()
            db.engine.dispose()
            return open(db.engine.url.database, "rb").read()
        with db.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("CHECKPOINT"))
            path = conn.execute(text("SELECT pg_relation_filepath('participations')")).scalar_one()
            data = conn.execute(text("SELECT pg_read_binary_file(:p)"), {"p": path}).scalar_one()
            toast = conn.execute(text("SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'participations'"
                                      )).scalar_one()
            if toast and toast != "-":
                toast_path = conn.execute(text("SELECT pg_relation_filepath(:t)"), {"t": toast}).scalar_one()
                if toast_path:
                    data += conn.execute(text("SELECT pg_read_binary_file(:p)"), {"p": toast_path}).scalar_one()
            return bytes(data)


def test_erasure_after_retention_leaves_nothing_readable(clean_app, world, runner):
    with freeze_time(world["opens"] + timedelta(hours=1)):
        assert _submit(clean_app, world).status_code == 302
    with clean_app.app_context():
        raw = db.session.execute(text("SELECT handlers_secret FROM participations")).scalar_one()
        contract_to = db.session.get(ProcurementCase, world["case"]).contract_to
    token = raw.encode()[:60]  # a piece of the stored ciphertext
    before = _database_bytes(clean_app)
    assert NAME.encode() not in before and token in before  # encrypted at rest

    end = add_years(contract_to, 1)
    with freeze_time(datetime.combine(end, time(12), tzinfo=JST)):  # the last day: kept
        assert "消去の対象 0 件" in runner.invoke(args=["personal-data", "due"]).output
        assert "ありません" in runner.invoke(args=["personal-data", "erase", "--yes"]).output
    with freeze_time(datetime.combine(end + timedelta(days=1), time(9), tzinfo=JST)):
        assert "消去の対象 1 件" in runner.invoke(args=["personal-data", "due"]).output
        refused = runner.invoke(args=["personal-data", "erase"])
        assert refused.exit_code != 0 and "--yes" in refused.output
        with clean_app.app_context():
            assert db.session.execute(select(Participation)).scalar_one().personal_data_erased_at is None
        done = runner.invoke(args=["personal-data", "erase", "--yes", "--as", "情報管理責任者 山田"])
        assert done.exit_code == 0 and "1 件消去" in done.output
    with clean_app.app_context():
        row = db.session.execute(select(Participation)).scalar_one()
        assert json.loads(row.handlers_secret) == [] and json.loads(row.structure_secret) == []
        assert row.personal_data_erased_at is not None
    [event] = events(clean_app, "personal_data.erased")
    summary = json.loads(event.summary)
    assert event.actor_name == "情報管理責任者 山田" and summary["handlers"] == 1 and summary["fields"] == ["handlers", "structure"]
    after = _database_bytes(clean_app)
    assert NAME.encode() not in after and token not in after
    # Nothing left to erase; the officer sees that it was erased.
    with freeze_time(datetime.combine(end + timedelta(days=2), time(9), tzinfo=JST)):
        assert "ありません" in runner.invoke(args=["personal-data", "erase", "--yes"]).output
        officer = clean_app.test_client()
        login(officer, email_of(clean_app, world["officer"]))
        with clean_app.app_context():
            pid = db.session.execute(select(Participation.id)).scalar_one()
        page = officer.get(f"/cases/{world['case']}/participations/{pid}").text
        assert "保存期間の終了により" in page and NAME not in page

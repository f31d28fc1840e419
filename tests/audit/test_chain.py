"""The audit trail: append-only, hash-chained, and `audit verify` catches tampering."""
import pytest
from sqlalchemy import select, text

from tender.accounts.models import Role
from tender.audit.models import AuditEvent
from tender.audit.operations import record, verify_chain
from tender.extensions import db
from tests.helpers import events, login_as, make_company, make_user


def _some_events(app, n=5):
    with app.app_context():
        for i in range(n):
            record("test.event", object_type="thing", object_id=i, summary={"i": i, "名前": "値"})
        db.session.commit()


def test_events_are_chained_in_order(clean_app):
    _some_events(clean_app, 4)
    rows = events(clean_app)
    assert [e.seq for e in rows] == [1, 2, 3, 4]
    assert rows[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))
    assert rows[0].actor_name.startswith("system:")


def test_verify_command_passes_on_an_intact_chain(runner, clean_app):
    make_user(clean_app, Role.OFFICER)
    make_company(clean_app)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "連鎖は完全です" in result.output


@pytest.mark.parametrize("column, value", [
    ("summary", '{"i":99}'),
    ("actor_name", "someone-else@example.jp"),
    ("action", "test.innocent"),
    ("occurred_at", "2020-01-01 00:00:00"),
])
def test_verify_command_names_the_first_row_edited_by_hand(runner, clean_app, column, value):
    _some_events(clean_app, 5)
    with clean_app.app_context():
        db.session.execute(text(f"UPDATE audit_events SET {column} = :v WHERE seq = 3"), {"v": value})
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "seq=3" in result.output


def test_recomputed_hash_still_breaks_the_next_link(runner, clean_app):
    _some_events(clean_app, 5)
    with clean_app.app_context():
        db.session.execute(text("UPDATE audit_events SET hash = :h WHERE seq = 2"), {"h": "f" * 64})
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "seq=2" in result.output


def test_deleting_an_event_in_the_middle_is_detected(clean_app):
    _some_events(clean_app, 5)
    with clean_app.app_context():
        db.session.execute(text("DELETE FROM audit_events WHERE seq = 2"))
        db.session.commit()
        result = verify_chain()
    assert not result.ok and result.broken_seq == 2 and "欠落" in result.reason


def test_deleting_the_newest_event_is_detected(clean_app):
    _some_events(clean_app, 5)
    with clean_app.app_context():
        db.session.execute(text("DELETE FROM audit_events WHERE seq = 5"))
        db.session.commit()
        result = verify_chain()
    assert not result.ok and result.broken_seq == 5


def test_the_application_refuses_to_rewrite_or_delete_events(clean_app):
    _some_events(clean_app, 1)
    with clean_app.app_context():
        event = db.session.execute(select(AuditEvent)).scalar_one()
        event.summary = "{}"
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
        event = db.session.execute(select(AuditEvent)).scalar_one()
        db.session.delete(event)
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
        assert verify_chain().ok


def test_a_rolled_back_action_leaves_no_event(clean_app):
    _some_events(clean_app, 2)
    with clean_app.app_context():
        record("test.abandoned")
        db.session.rollback()
        record("test.kept")
        db.session.commit()
        assert verify_chain().ok
    assert [e.action for e in events(clean_app)][-1] == "test.kept"
    assert len(events(clean_app)) == 3


def test_auditor_searches_events_and_checks_the_chain_on_screen(client, clean_app):
    _some_events(clean_app, 3)
    login_as(client, clean_app, Role.AUDITOR)
    page = client.get("/audit?action=test.").text
    assert page.count("<code>test.event</code>") == 3
    assert "<code>login.succeeded</code>" in client.get("/audit?action=login").text
    from tests.helpers import csrf_from
    result = client.post("/audit/verify", data={"csrf_token": csrf_from(page)})
    assert "ハッシュ連鎖は完全です" in result.text
    with clean_app.app_context():
        db.session.execute(text("UPDATE audit_events SET summary = '{}' WHERE seq = 2"))
        db.session.commit()
    result = client.post("/audit/verify", data={"csrf_token": csrf_from(page)})
    assert "改ざんまたは削除を検出しました" in result.text and "#2" in result.text

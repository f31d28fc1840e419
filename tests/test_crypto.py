"""Confidential columns: authenticated encryption at rest, and key rotation."""
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from tender import crypto
from tender.accounts.models import Role, User
from tender.extensions import db
from tests.helpers import make_user


def test_the_database_never_holds_the_plaintext(clean_app):
    uid = make_user(clean_app, Role.OFFICER, phone="03-9876-5432")
    with clean_app.app_context():
        raw = db.session.execute(text("SELECT phone FROM users WHERE id = :i"), {"i": uid}).scalar_one()
        assert "9876" not in raw and raw.startswith("gAAAA")
        db.session.expire_all()
        assert db.session.get(User, uid).phone == "03-9876-5432"


def test_database_file_holds_no_plaintext(clean_app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the file check is for SQLite; PostgreSQL is covered by the column test")
    make_user(clean_app, Role.OFFICER, phone="PLAINTEXT-MARKER-0001")
    with clean_app.app_context():
        db.session.execute(text("PRAGMA wal_checkpoint(FULL)"))
    path = database_url.removeprefix("sqlite:///")
    assert b"PLAINTEXT-MARKER-0001" not in open(path, "rb").read()


def test_a_tampered_value_is_refused_not_returned(clean_app):
    token = None
    with clean_app.app_context():
        token = crypto.encrypt("秘密の値")
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with clean_app.app_context(), pytest.raises(crypto.ConfidentialDataError):
        crypto.decrypt(tampered)


def test_key_rotation_re_encrypts_so_the_old_key_can_be_dropped(clean_app, runner):
    old_keys = clean_app.config["TENDER_DATA_KEYS"]
    uid = make_user(clean_app, Role.OFFICER, phone="03-1111-2222")
    new_key = Fernet.generate_key().decode()
    try:
        crypto.configure(f"{new_key},{old_keys}")
        result = runner.invoke(args=["keys", "rotate"])
        assert result.exit_code == 0, result.output
        crypto.configure(new_key)  # the old key is gone
        with clean_app.app_context():
            db.session.expire_all()
            assert db.session.get(User, uid).phone == "03-1111-2222"
    finally:
        crypto.configure(old_keys)

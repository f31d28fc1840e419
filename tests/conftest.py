"""Shared fixtures: an application on a real database whose schema comes from migrations.

The database is SQLite in a temporary directory, or the PostgreSQL database named by
``TEST_DATABASE_URL`` (``.ci/run`` creates a throw-away one). Each test starts from empty
tables. Tests never hold an application context while they make requests: every request
gets its own, as in production (Flask-Login caches the user in ``g``).
"""
from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import text
from werkzeug.serving import make_server

from tender.app import create_app
from tender.config import TestConfig
from tender.extensions import db

#: The shared fixtures (auction, tender, awarded, world): tests/fixtures.py.
pytest_plugins = ["tests.fixtures"]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from flask_migrate import downgrade, upgrade

    app = create_app(TestConfig(database_url, file_storage=str(tmp_path_factory.mktemp("files"))))
    with app.app_context():
        downgrade(revision="base")  # a database left by an earlier run starts over
        upgrade()
    return app


def _empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        if db.engine.dialect.name == "postgresql" and not db.session.scalar(text(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")):
            db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        elif db.engine.dialect.name == "postgresql":
            # DELETE, not TRUNCATE: truncating 60 tables and their indexes took 0.85 s, twice a test
            # (most of the PostgreSQL suite's time); deleting their few rows takes milliseconds. The
            # foreign keys are not checked meanwhile (a superuser's session may say so), and every
            # sequence starts again at 1, as RESTART IDENTITY did.
            db.session.execute(text("SET LOCAL session_replication_role = replica"))
            db.session.execute(text("; ".join(f"DELETE FROM {name}" for name in tables)))
            db.session.execute(text("SELECT setval(c.oid::regclass, 1, false) FROM pg_class c WHERE c.relkind = 'S'"))
        else:
            for name in reversed(tables):
                db.session.execute(text(f"DELETE FROM {name}"))
        db.session.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)"), {"h": "0" * 64})
        db.session.commit()
        db.session.remove()


@pytest.fixture
def clean_app(app):
    _empty_tables(app)
    yield app
    _empty_tables(app)


@pytest.fixture
def client(clean_app):
    return clean_app.test_client()


@pytest.fixture
def runner(clean_app):
    return clean_app.test_cli_runner()


@pytest.fixture
def live_server(clean_app):
    """The application served over real HTTP on a free loopback port, for the browser."""
    server = make_server("127.0.0.1", 0, clean_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class _Inbox:
    """What a real SMTP server (aiosmtpd on a loopback port) received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def body(self, message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def smtp(clean_app, monkeypatch):
    """A real SMTP server on a free loopback port, and the application configured to use it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(clean_app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(clean_app.config, "MAIL_PORT", port)
    yield inbox
    controller.stop()


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible HTTP server (moto's server mode) on a free loopback port, for the session."""
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(clean_app, s3_server, monkeypatch, tmp_path):
    """The application storing files in a fresh bucket of that server (FILE_STORE=s3); yields a boto3
    client and the bucket's name, to look at the objects from outside the application."""
    import uuid

    import boto3

    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_SESSION_TOKEN", "testing"), ("AWS_DEFAULT_REGION", "ap-northeast-1")):
        monkeypatch.setenv(name, value)
    bucket = f"tender-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="ap-northeast-1")
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    for key, value in (("FILE_STORE", "s3"), ("S3_BUCKET", bucket), ("S3_ENDPOINT_URL", s3_server),
                       ("S3_REGION", "ap-northeast-1"), ("S3_PREFIX", "files"), ("S3_SSE", "AES256"),
                       ("FILE_STORAGE", str(tmp_path / "unused-local-folder"))):  # to see that nothing lands there
        monkeypatch.setitem(clean_app.config, key, value)
    yield client, bucket

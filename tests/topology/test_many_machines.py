"""Issue 20, the proof: two web servers (gunicorn, separate processes) and a worker (Celery) share one
PostgreSQL database, one Redis and one object store (a real S3 HTTP server). A bid sealed and sent
through the first server, its file kept in the object store, is opened through the second by two
officials; the daily sweep runs on the worker; and the log-in rate limit counts attempts made on
either server together. Nothing either server keeps in its memory is needed by the other."""
from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text, update

from tender import clock
from tender import config as tender_config

ROOT = Path(__file__).resolve().parents[2]
PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/14"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database():
    """A PostgreSQL database of its own, dropped afterwards (whatever database the suite runs on)."""
    name = f"tender_topology_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{PG}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def shared(database, s3_server, tmp_path, monkeypatch):
    """The configuration every process shares, the world seeded in it, and an application (in this
    process) to look at the database with."""
    import boto3
    from flask_migrate import upgrade

    from tender.app import create_app

    bucket = f"tender-{uuid.uuid4().hex[:12]}"
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "ap-northeast-1"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    boto3.client("s3", endpoint_url=s3_server, region_name="ap-northeast-1").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    config = tender_config.TestConfig(database, file_storage=str(tmp_path / "no-local-files"))
    settings = {"FILE_STORE": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": s3_server, "S3_REGION": "ap-northeast-1",
                "S3_PREFIX": "files", "REDIS_URL": REDIS, "JOB_QUEUE": f"topology-{uuid.uuid4().hex[:8]}",
                "RATELIMIT_KEY_PREFIX": f"topology-{uuid.uuid4().hex[:8]}", "LOGIN_RATE_LIMIT": "8 per minute"}
    for key, value in settings.items():
        setattr(config, key, value)
    config.CELERY_BROKER_URL = REDIS
    app = create_app(config)
    with app.app_context():
        upgrade()
    process_env = {**os.environ, **env, **settings, "DATABASE_URL": database, "SECRET_KEY": config.SECRET_KEY,
                   "TENDER_DATA_KEYS": config.TENDER_DATA_KEYS, "TENDER_INTEGRITY_KEY": config.TENDER_INTEGRITY_KEY,
                   "FILE_STORAGE": str(tmp_path / "no-local-files"), "CELERY_BROKER_URL": REDIS,
                   "RATELIMIT_ENABLED": "1", "WEB_CONCURRENCY": "1", "JOB_RETRY_SECONDS": "0"}
    yield app, process_env
    app.extensions.pop("tender_celery", None)


def _start(args, env, log):
    with open(log, "w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_http(url, process, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{url} exited:\n{Path(log).read_text()}")
        try:
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still loading the application
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not start:\n{Path(log).read_text()}")


@pytest.fixture
def servers(shared, tmp_path):
    """Two gunicorn servers and a worker, each its own process, on the shared configuration."""
    _app, env = shared
    started = []
    urls = []
    try:
        for n in (1, 2):
            port = _port()
            log = tmp_path / f"web{n}.log"
            process = _start([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}",
                              "wsgi:app"], env, log)
            started.append(process)
            _wait_http(f"http://127.0.0.1:{port}", process, log)
            urls.append(f"http://127.0.0.1:{port}")
        worker = _start([sys.executable, "-m", "celery", "-A", "tender.worker", "worker", "--pool=solo",
                         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
                        env, tmp_path / "worker.log")
        started.append(worker)
        yield urls, tmp_path
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', html)
    return found.group(1) or found.group(2)


def _session(base: str, email: str) -> requests.Session:
    from tests.helpers import PASSWORD

    session = requests.Session()
    page = session.get(f"{base}/login")
    done = session.post(f"{base}/login", data={"csrf_token": _csrf(page.text), "email": email, "password": PASSWORD},
                        allow_redirects=False)
    assert done.status_code == 302, done.text
    return session


def test_two_web_servers_and_a_worker_share_the_database_redis_and_the_object_store(shared, servers):
    from sqlalchemy import select

    from tender.accounts.models import Role
    from tender.bidding import client as bid_client
    from tender.bidding import sealed
    from tender.bidding.models import Bid, BidRound, RoundState
    from tender.extensions import db
    from tender.jobs import operations as jobs
    from tender.jobs.models import JobRun, RunState
    from tender.notices.models import ProcurementCase
    from tender.rules.lifecycle import Procedure
    from tests.helpers import OPENING_PASSPHRASE, email_of, make_case, make_company, make_user
    from tests.scenario import bid_page, lump_sum

    app, _env = shared
    (first, second), _logs = servers
    officer, other = make_user(app, Role.OFFICER), make_user(app, Role.OFFICER)
    company = make_company(app, name="分散株式会社")
    bidder = make_user(app, Role.BIDDER, company_id=company)
    case_id = make_case(app, officer, procedure=Procedure.LOWEST_PRICE, estimated_price=10_000_000,
                        now=clock.now() - timedelta(days=2), officials=[officer, other], title="二台構成の試験業務")

    # 1. The bid, sealed as a browser seals it, through the first server.
    session = _session(first, email_of(app, bidder))
    page = session.get(f"{first}/notices/{case_id}/bid")
    fields = bid_page(page.text)
    ticket = sealed.Ticket(case_id, fields["round"], fields["company"], fields["receipt"])
    with app.app_context():
        slot = f"doc_{db.session.get(ProcurementCase, case_id).required_documents[0].id}"
    done = bid_client.seal_bid(fields["public_key"], ticket, fields["case"], amount=8_800_000, lottery_number="135",
                               breakdown=lump_sum(8_800_000), files={slot: PDF})
    response = session.post(f"{first}/notices/{case_id}/bid", data={
        "csrf_token": _csrf(page.text), "ticket": fields["ticket"], "sealed_bid": done.envelope,
        "fingerprint": done.fingerprint}, files={slot: ("teian.pdf", io.BytesIO(PDF), "application/pdf")},
        allow_redirects=False)
    assert response.status_code == 302, response.text
    with app.app_context():
        bid = db.session.execute(select(Bid)).scalar_one()
        assert bid.files and all(f.file.blob_sha256 for f in bid.files)
    # The file is in the object store, not on either server's disk.
    import boto3

    s3 = boto3.client("s3", endpoint_url=app.config["S3_ENDPOINT_URL"], region_name="ap-northeast-1")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=app.config["S3_BUCKET"]).get("Contents", [])]
    assert len(keys) == len(bid.files)

    # Time passes: the deadline and the opening time are behind us.
    with app.app_context():
        past = clock.now() - timedelta(minutes=5)
        db.session.execute(update(ProcurementCase).where(ProcurementCase.id == case_id)
                           .values(submission_deadline=past - timedelta(minutes=1), opening_at=past))
        db.session.commit()

    # 2. The opening through the second server: one official asks, the other confirms.
    asking = _session(second, email_of(app, officer))
    page = asking.get(f"{second}/cases/{case_id}/opening")
    asked = asking.post(f"{second}/cases/{case_id}/opening/request", data={
        "csrf_token": _csrf(page.text), "witness_name": "立会 一郎", "witness_kind": "bidder",
        "attendees": [str(company)], "passphrase": OPENING_PASSPHRASE}, allow_redirects=False)
    assert asked.status_code == 302
    confirming = _session(second, email_of(app, other))
    page = confirming.get(f"{second}/cases/{case_id}/opening/confirm")
    assert "開札（第1回）（確認）" in page.text
    opened = confirming.post(f"{second}/cases/{case_id}/opening/confirm",
                             data={"csrf_token": _csrf(page.text), "passphrase": OPENING_PASSPHRASE})
    assert "開札しました" in opened.text, opened.text[-2000:]
    assert "金8,800,000円" in confirming.get(f"{second}/cases/{case_id}/opening").text
    with app.app_context():
        assert db.session.execute(select(BidRound.state)).scalar_one() == RoundState.OPENED

    # 3. The daily sweep, queued from here, runs on the worker.
    with app.app_context():
        run = jobs.enqueue("contracts.sweep")
        run_id = run.id
        assert run.where == "queue"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with app.app_context():
            state = db.session.get(JobRun, run_id).state
            db.session.remove()
        if state in (RunState.SUCCEEDED, RunState.FAILED):
            break
        time.sleep(0.2)
    with app.app_context():
        run = db.session.get(JobRun, run_id)
        assert run.state == RunState.SUCCEEDED and run.where == "queue", (run.state, run.last_error)

    # 4. The log-in limit (8 a minute per address) counts the attempts on both servers together: the
    # three log-ins above (one on the first server, two on the second) and five wrong passwords,
    # alternating, reach it — each server alone has seen four — and the next is refused on either.
    statuses = []
    for n in range(6):
        base = (first, second)[n % 2]
        client = requests.Session()
        form = client.get(f"{base}/login")
        statuses.append(client.post(f"{base}/login", data={"csrf_token": _csrf(form.text), "email": "nobody@example.jp",
                                                             "password": "wrong"}).status_code)
    assert statuses == [200] * 5 + [429], statuses

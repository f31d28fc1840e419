"""Issue 20, the job queue: without a broker a job runs at once where it is asked (the demo and the
tests need nothing); with one, a real Celery worker (started here against the Redis on
127.0.0.1:6379) runs it, retries a failing one with a growing delay and records each attempt; a run
that failed for good is shown to the administrator, who runs it again. Every run is a row."""
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from tender.accounts.models import Role
from tender.extensions import db
from tender.jobs import REGISTRY, job
from tender.jobs import operations as jobs
from tender.jobs.models import JobRun, RunState
from tender.notices.models import ProcurementCase
from tender.rules.lifecycle import CaseState
from tests.helpers import login_as, make_case, make_user, post_form

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/15"


def _runs(app):
    with app.app_context():
        rows = db.session.execute(select(JobRun).order_by(JobRun.id)).scalars().all()
        db.session.expunge_all()
        return rows


def test_without_a_broker_a_job_runs_at_once_and_is_recorded(clean_app, runner):
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer)
    with clean_app.app_context():
        deadline = db.session.get(ProcurementCase, case_id).submission_deadline
    with freeze_time(deadline + timedelta(minutes=1)):
        result = runner.invoke(args=["jobs", "run", "cases.tick"])
    assert result.exit_code == 0 and "完了" in result.output and "1 件" in result.output, result.output
    [run] = _runs(clean_app)
    assert run.name == "cases.tick" and run.state == RunState.SUCCEEDED and run.where == "inline" and run.attempts == 1
    with clean_app.app_context():
        assert db.session.get(ProcurementCase, case_id).state == CaseState.SUBMISSIONS_CLOSED
    assert "contracts.sweep" in runner.invoke(args=["jobs", "list"]).output


@pytest.fixture
def failing_job():
    calls = []

    @job("test.fails_then_works", label="試験のジョブ")
    def flaky(fail: bool = True):
        calls.append(fail)
        if fail:
            raise RuntimeError("試験用の失敗")
        return "動きました"

    yield calls
    REGISTRY.pop("test.fails_then_works", None)


def test_a_failed_run_is_shown_to_the_administrator_who_runs_it_again(clean_app, failing_job, runner):
    with clean_app.app_context():
        run = jobs.enqueue("test.fails_then_works")
        assert run.state == RunState.FAILED and "試験用の失敗" in run.last_error
        run_id = run.id
    admin = clean_app.test_client()
    login_as(admin, clean_app, Role.ADMIN)
    assert "1 件のジョブが再試行の後も失敗しています" in admin.get("/home").text
    page = admin.get("/admin/jobs").text
    assert "試験のジョブ" in page and "試験用の失敗" in page and f"/admin/jobs/{run_id}/retry" in page
    done = post_form(admin, f"/admin/jobs/{run_id}/retry", {}, form_url="/admin/jobs", follow=True)
    assert "「試験のジョブ」を再実行しました（失敗）" in done.text  # it fails again: said, and listed again
    assert len([r for r in _runs(clean_app) if r.state == RunState.FAILED]) == 2
    officer = clean_app.test_client()
    login_as(officer, clean_app, Role.OFFICER)
    assert officer.get("/admin/jobs").status_code == 403
    assert len(failing_job) == 2  # the job ran once per run, nowhere else


def _worker(app, tmp_path, queue):
    env = {**os.environ, "JOB_QUEUE": queue, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": app.config["SECRET_KEY"], "TENDER_DATA_KEYS": app.config["TENDER_DATA_KEYS"],
           "TENDER_INTEGRITY_KEY": app.config["TENDER_INTEGRITY_KEY"], "FILE_STORAGE": app.config["FILE_STORAGE"],
           "CELERY_BROKER_URL": BROKER, "JOB_RETRY_SECONDS": "0", "RATELIMIT_ENABLED": "0"}
    log = open(tmp_path / "worker.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "celery", "-A", "tender.worker", "worker", "--pool=solo",
                                "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, tmp_path / "worker.log"


def _wait(app, run_id, states, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            run = db.session.get(JobRun, run_id)
            if run.state in states:
                db.session.expunge(run)
                return run
            db.session.remove()
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not reach {states}")


def test_a_worker_runs_what_the_web_side_queues_and_retries_what_fails(clean_app, monkeypatch, tmp_path):
    import uuid

    queue = f"tender-test-{uuid.uuid4().hex[:8]}"  # its own queue: runs side by side do not share tasks
    officer = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer)
    with clean_app.app_context():  # the case's deadline has passed (moved, not the clock: the worker has its own)
        case = db.session.get(ProcurementCase, case_id)
        case.submission_deadline = case.submission_deadline - timedelta(days=30)
        db.session.commit()
    monkeypatch.setitem(clean_app.config, "CELERY_BROKER_URL", BROKER)
    monkeypatch.setitem(clean_app.config, "JOB_QUEUE", queue)
    clean_app.extensions.pop("tender_celery", None)
    process, log = _worker(clean_app, tmp_path, queue)
    try:
        with clean_app.app_context():
            run = jobs.enqueue("cases.tick")
            assert run.where == "queue" and run.state == RunState.QUEUED  # handed over, not run here
            tick_id = run.id
            failing = jobs.enqueue("files.clean", older_than_hours="not a number")  # fails on every attempt
            failing_id = failing.id
        done = _wait(clean_app, tick_id, {RunState.SUCCEEDED, RunState.FAILED})
        assert done.state == RunState.SUCCEEDED and "1 件" in done.outcome, log.read_text()
        with clean_app.app_context():
            assert db.session.get(ProcurementCase, case_id).state == CaseState.SUBMISSIONS_CLOSED
        failed = _wait(clean_app, failing_id, {RunState.FAILED})
        assert failed.attempts == REGISTRY["files.clean"].attempts and failed.where == "queue"
        assert "TypeError" in failed.last_error or "ValueError" in failed.last_error
    finally:
        process.terminate()
        process.wait(timeout=20)
        clean_app.extensions.pop("tender_celery", None)

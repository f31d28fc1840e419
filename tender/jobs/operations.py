"""Enqueue a job, run it (inline or in a worker), and what the administrator sees of the runs."""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import func, select

from tender import clock
from tender.extensions import db
from tender.jobs import REGISTRY
from tender.jobs.models import JobRun, RunState
from tender.rules.errors import OperationError

log = logging.getLogger("tender.jobs")


class JobError(OperationError):
    pass


def queued() -> bool:
    """Whether a broker is configured (jobs go to workers) or not (they run where they are asked)."""
    return bool(current_app.config.get("CELERY_BROKER_URL"))


def celery_app():
    """The Celery client of this process (made once; it only sends)."""
    from tender.jobs.queue import make_celery

    celery = current_app.extensions.get("tender_celery")
    if celery is None:
        celery = current_app.extensions["tender_celery"] = make_celery(current_app)
    return celery


def enqueue(name: str, **kwargs) -> JobRun:
    """Hand the job to a worker (after this transaction commits, so that the worker sees what the
    caller wrote), or run it now without a broker. Returns its run."""
    if name not in REGISTRY:
        raise JobError(f"不明なジョブです: {name}")
    run = JobRun(name=name, args=kwargs, state=RunState.QUEUED, where="queue" if queued() else "inline",
                 attempts=0, enqueued_at=clock.now())
    db.session.add(run)
    db.session.commit()
    if run.where == "queue":
        try:
            celery_app().send_task(name, kwargs={"run_id": run.id, **kwargs})
        except Exception as exc:  # the broker is down: the run is failed, shown, and can be run again
            run.state, run.finished_at = RunState.FAILED, clock.now()
            run.last_error = f"キューに渡せませんでした: {type(exc).__name__}: {exc}"[:2000]
            db.session.commit()
            log.exception("job %s could not be queued", name)
    else:
        execute(run.id, inline=True)
    return run


def execute(run_id: int, *, inline: bool = False) -> bool:
    """Run one attempt of a run: True when it succeeded. A failure is recorded (and raised again in a
    worker, which retries it later); the job's own changes are rolled back first."""
    run = db.session.get(JobRun, run_id)
    if run is None or run.state in (RunState.SUCCEEDED, RunState.FAILED):
        return run is not None and run.state == RunState.SUCCEEDED  # done already: idempotent
    spec = REGISTRY[run.name]
    run.state, run.started_at, run.attempts = RunState.RUNNING, clock.now(), run.attempts + 1
    db.session.commit()
    try:
        outcome = spec.run(**(run.args or {}))
        db.session.commit()
    except Exception as exc:  # a job must never take its worker (or the request that ran it) down
        db.session.rollback()
        run = db.session.get(JobRun, run_id)
        run.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        final = inline or run.attempts >= spec.attempts
        run.state = RunState.FAILED if final else RunState.RETRYING
        run.finished_at = clock.now() if final else None
        db.session.commit()
        log.exception("job %s (run %s) failed, attempt %s", run.name, run.id, run.attempts)
        if not inline:
            raise
        return False
    run = db.session.get(JobRun, run_id)
    run.state, run.finished_at, run.last_error = RunState.SUCCEEDED, clock.now(), None
    run.outcome = str(outcome)[:2000] if outcome is not None else None
    db.session.commit()
    return True


def retry(run: JobRun) -> JobRun:
    """The administrator's 再実行: the same job and arguments, as a new run."""
    if run.state != RunState.FAILED:
        raise JobError("失敗したジョブだけ再実行できます。")
    return enqueue(run.name, **(run.args or {}))


def failed_runs(limit: int = 100) -> list[JobRun]:
    return db.session.execute(select(JobRun).where(JobRun.state == RunState.FAILED)
                              .order_by(JobRun.id.desc()).limit(limit)).scalars().all()


def recent_runs(limit: int = 50) -> list[JobRun]:
    return db.session.execute(select(JobRun).order_by(JobRun.id.desc()).limit(limit)).scalars().all()


def failed_count() -> int:
    return db.session.scalar(select(func.count()).select_from(JobRun).where(JobRun.state == RunState.FAILED)) or 0

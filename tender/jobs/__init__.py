"""Work that must not run in a web request or on one host (issue 20): e-mail, the daily sweep,
the tick of deadlines, personal-data erasure, the file clean-up, the digest and backups.

Each package declares its jobs with ``@job(name, schedule=...)``: a plain function of keyword
arguments that runs in an application context and is idempotent (running it twice does what
running it once did). ``enqueue(name, **kwargs)`` hands a job to the queue — Celery on the broker
``CELERY_BROKER_URL`` (Redis or RabbitMQ), with retries and the schedule kept by Celery beat — or,
without a broker (the demo, the tests), runs it at once in this process. Every run is a row of
``job_runs`` (queued, running, succeeded, failed, with its attempts and last error), so that a job
that failed is visible to the administrator, who can run it again.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Job", "REGISTRY", "job"]


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[..., object]
    #: Cron fields in Japan time ("minute hour day month weekday"), for Celery beat; None: on demand.
    schedule: str | None = None
    #: Attempts before the run is given up as failed (each retried later, with a growing delay).
    attempts: int = 5
    #: What the administrator's list calls it.
    label: str = ""


REGISTRY: dict[str, Job] = {}


def job(name: str, *, schedule: str | None = None, attempts: int = 5, label: str = ""):
    """Declare a job (see the module's docstring)."""
    def register(fn):
        REGISTRY[name] = Job(name, fn, schedule, attempts, label or name)
        return fn
    return register

"""The Celery side: the client that sends, and the worker's tasks and beat schedule.

Start a worker with its scheduler (one beat for the whole deployment)::

    celery -A tender.worker worker --beat --loglevel=INFO
"""
from __future__ import annotations

from celery import Celery
from celery.schedules import crontab

from tender.jobs import REGISTRY


def _crontab(fields: str) -> crontab:
    minute, hour, day, month, weekday = fields.split()
    return crontab(minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week=weekday)


def make_celery(app) -> Celery:
    celery = Celery("tender", broker=app.config["CELERY_BROKER_URL"])
    celery.conf.update(
        timezone="Asia/Tokyo", enable_utc=True, task_default_queue=app.config.get("JOB_QUEUE", "tender"),
        task_acks_late=True,  # a worker that dies mid-job leaves it to another
        task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_ignore_result=True,  # the outcome is the job_runs row
        broker_connection_retry_on_startup=True,
        beat_schedule={f"{name} (schedule)": {"task": "tender.scheduled", "schedule": _crontab(spec.schedule),
                                              "kwargs": {"name": name}}
                       for name, spec in REGISTRY.items() if spec.schedule},
    )
    return celery


def bind_tasks(celery: Celery, app) -> None:
    """Register every job as a task that runs it in ``app``'s context, retried with a growing delay."""
    from tender.jobs import operations as ops

    for name, spec in REGISTRY.items():
        def run(self, run_id: int, _name=name, _spec=spec, **kwargs):
            with app.app_context():
                try:
                    ops.execute(run_id)
                except Exception as exc:
                    delay = app.config.get("JOB_RETRY_SECONDS", 5) * 2 ** self.request.retries
                    raise self.retry(exc=exc, countdown=min(300, delay), max_retries=_spec.attempts - 1) from exc
        celery.task(name=name, bind=True, acks_late=True)(run)

    @celery.task(name="tender.scheduled")
    def scheduled(name: str) -> None:
        """Beat's tick: a run of the scheduled job, recorded and queued like any other."""
        with app.app_context():
            ops.enqueue(name)

"""The Celery application of a worker: ``celery -A tender.worker worker --beat`` (see README).

It makes the Flask application from the environment, as the web servers do, and registers every
job of every package as a task.
"""
from tender.app import create_app
from tender.jobs.queue import bind_tasks, make_celery

flask_app = create_app()
celery = make_celery(flask_app)
bind_tasks(celery, flask_app)
flask_app.extensions["tender_celery"] = celery

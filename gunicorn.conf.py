"""Production server settings: gunicorn reads this file from the working directory
(``gunicorn wsgi:app``); the benchmark (benchmarks/scale.py) serves under the same.

Threads, not one request per process: a log-in spends about 60 ms of CPU in Argon2id (OWASP's
m=19 MiB, t=2, p=1), and argon2-cffi releases the GIL while it hashes, so a burst of log-ins keeps
one thread of a worker busy while the worker's other threads go on serving pages (issue 16: with
sync workers five clients logging in held every worker, and the board waited behind them).
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # never 0.0.0.0: the proxy alone reaches it
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60

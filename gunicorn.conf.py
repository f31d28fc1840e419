"""Production server settings: gunicorn reads this file from the working directory
(``gunicorn wsgi:app``); the benchmark (benchmarks/scale.py) serves under the same.

Sync workers, one request per process at a time, one more than the cores. Measured here (issue 16,
2 cores, 20 clients): threaded workers (gthread, 2 or 4 threads) served the board no faster and
with a longer tail (p95 400–1,000 ms against 390), since the pages are CPU-bound under one GIL. A
burst of log-ins does not take the workers: Argon2 runs outside the account's row lock, so five
clients logging in as five people finish at about 26 a second, p95 about 200 ms, while the board
keeps about half its rate. Nor do more sync workers help (stop 29, 20 clients, p50 ms for 3 and
5 workers: officer home 187 / 211, case page 158 / 199, award 271 / 308; 2 workers: as 3): the
requests wait for the cores, not for the database.
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # never 0.0.0.0: the proxy alone reaches it
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))
worker_class = "sync"
timeout = 60

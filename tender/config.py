"""Configuration, read from environment variables once when the application is created.

Every setting has a safe default for the embedded SQLite demo; production sets
``DATABASE_URL``, ``SECRET_KEY`` and ``TENDER_DATA_KEYS`` explicitly (see README).
"""
from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def database_url(url: str | None) -> str:
    """Normalise a database URL: plain ``postgresql://`` means psycopg 3 here."""
    if not url:
        return f"sqlite:///{INSTANCE / 'tender.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def engine_options(url: str, *, jit: bool = False, base: dict | None = None) -> dict:
    """The engine's options for the database at ``url``.

    On PostgreSQL each connection turns the JIT compiler off (``-c jit=off``) unless ``jit``: it
    compiles any plan whose estimated cost passes ``jit_above_cost`` (100,000 by default), and
    the estimates of an indexed query of a page pass it once the tables hold a few years' history.
    Measured here (issue 16): a contractor's deliverables due, 8.9 ms to run, took 192 ms with the
    JIT, most of it compiling. A URL that sets ``options`` itself is left as it is (so is a pool
    such as PgBouncer that refuses start-up options: there ``ALTER ROLE … SET jit = off``).
    """
    options = {"pool_pre_ping": True, **(base or {})}
    if url.startswith("postgresql") and not jit and "options=" not in url:
        connect_args = dict(options.get("connect_args") or {})
        connect_args["options"] = " ".join(filter(None, [connect_args.get("options", ""), "-c jit=off"]))
        options["connect_args"] = connect_args
    return options


def _instance_secret(name: str, make) -> str:
    """A secret kept in instance/<name>, created once, atomically and private (0600).

    Two processes starting together both read the file the first one created.
    """
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
        logging.getLogger(__name__).warning(
            "generated %s; set it from the environment in production (see README)", path)
    return path.read_text().strip()


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    return os.environ.get("SECRET_KEY") or _instance_secret("secret_key", lambda: os.urandom(32).hex())


def _data_keys() -> str:
    """Keys for confidential columns (comma-separated Fernet keys, newest first).

    Without ``TENDER_DATA_KEYS`` a key is generated once into instance/ so that the
    demo works out of the box; production must provide the keys from its secret store.
    """
    return os.environ.get("TENDER_DATA_KEYS") or _instance_secret(
        "data_keys", lambda: Fernet.generate_key().decode())


def _integrity_key() -> str:
    """The key of the integrity marks (tender/integrity.py): outside the database and its backups."""
    return os.environ.get("TENDER_INTEGRITY_KEY") or _instance_secret("integrity_key", lambda: os.urandom(32).hex())


#: Argon2id as OWASP's Password Storage Cheat Sheet recommends for log-in passwords (t = 2,
#: m = 19 MiB, p = 1): about 30 ms a log-in here, so that a burst of log-ins does not starve the
#: other pages of workers. (time cost, memory KiB, lanes)
PASSWORD_ARGON2 = (2, 19 * 1024, 1)
#: RFC 9106 §4, the second recommended option (t = 3, 64 MiB, p = 4) for the passphrase that
#: wraps an official's opening key: about 0.2 s, once per ceremony; an offline guesser pays the
#: same for every guess.
OPENING_KEY_ARGON2 = (3, 64 * 1024, 4)
#: The test configuration's: the same formats, only slower guessing given up.
CHEAP_ARGON2 = (1, 8, 1)


class Config:
    def __init__(self) -> None:
        self.SECRET_KEY = _secret_key()
        self.SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
        #: Completed by ``engine_options`` for the database the application is made with.
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {}
        #: PostgreSQL's JIT compiler for the application's statements: off unless DATABASE_JIT=1.
        self.DATABASE_JIT = os.environ.get("DATABASE_JIT", "0") == "1"
        self.TENDER_DATA_KEYS = _data_keys()
        self.TENDER_INTEGRITY_KEY = _integrity_key()
        #: Argon2id for log-in passwords: (time cost, memory KiB, lanes); OWASP's recommendation.
        self.PASSWORD_HASH_PARAMS = PASSWORD_ARGON2
        #: Argon2id parameters that wrap each official's opening key (tender.sealing.passphrase).
        self.OPENING_KEY_PARAMS = OPENING_KEY_ARGON2
        #: Consecutive failed log-ins before the account is locked, and for how long.
        self.LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
        self.LOGIN_LOCK_MINUTES = _int("LOGIN_LOCK_MINUTES", 15)
        #: Idle time after which a session ends (minutes).
        self.SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 30)
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=_int("SESSION_MAX_HOURS", 12))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_NAME = "tender_session"
        # Behind TLS in production; the demo on http://127.0.0.1 needs it off.
        self.SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, which expires itself
        # WTForms' own Japanese messages (Meta.locales) rather than Flask-Babel's.
        self.WTF_I18N_ENABLED = False
        self.MAX_CONTENT_LENGTH = _int("MAX_UPLOAD_MB", 50) * 1024 * 1024
        #: Number of proxies in front of the app whose X-Forwarded-For is trusted.
        self.TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
        self.PAGE_SIZE = 25
        #: Seconds an anonymous visitor's public page (board, notice) is served again to the next
        #: while nothing changed (tender.web.pagecache); 0: never.
        self.PUBLIC_PAGE_CACHE_SECONDS = _int("PUBLIC_PAGE_CACHE_SECONDS", 3)
        #: Where uploaded files are kept (content-addressed, never changed): ``local`` (the folder
        #: FILE_STORAGE, the default) or ``s3`` (an S3-compatible object store: tender.documents.blobstore;
        #: credentials from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or an instance role).
        self.FILE_STORE = os.environ.get("FILE_STORE", "local")
        self.FILE_STORAGE = os.environ.get("FILE_STORAGE") or str(INSTANCE / "files")
        self.S3_BUCKET = os.environ.get("S3_BUCKET", "")
        self.S3_PREFIX = os.environ.get("S3_PREFIX", "")
        self.S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "")
        self.S3_REGION = os.environ.get("S3_REGION", "ap-northeast-1")
        #: Server-side encryption asked of the store: AES256 (default), aws:kms (with S3_SSE_KMS_KEY_ID), or empty.
        self.S3_SSE = os.environ.get("S3_SSE", "AES256")
        self.S3_SSE_KMS_KEY_ID = os.environ.get("S3_SSE_KMS_KEY_ID", "")
        self.MAX_FILE_BYTES = _int("MAX_FILE_MB", 20) * 1024 * 1024
        #: Backups (flask --app wsgi backup create): where, and how many to keep.
        self.BACKUP_DIR = os.environ.get("BACKUP_DIR") or str(INSTANCE / "backups")
        self.BACKUP_KEEP = _int("BACKUP_KEEP", 7)
        #: Years after the contract period (or the cancellation) that personal data is kept.
        self.PERSONAL_DATA_RETENTION_YEARS = _int("PERSONAL_DATA_RETENTION_YEARS", 1)
        # Rate limits (tender.web.limits). Memory storage counts per process: with several gunicorn
        # workers set RATELIMIT_STORAGE_URI=redis://… so that they share the counts.
        self.RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") == "1"
        #: Redis shared by every web server and worker (issue 20): the default of the rate limits'
        #: storage and of the job queue's broker below.
        self.REDIS_URL = os.environ.get("REDIS_URL", "")
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or self.REDIS_URL or "memory://"
        #: The job queue (tender.jobs): Celery's broker (redis:// or amqp://). Empty: jobs run at once
        #: in the process that asks (the demo, one machine).
        self.CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or self.REDIS_URL
        #: The queue's name on the broker (several deployments may share one broker).
        self.JOB_QUEUE = os.environ.get("JOB_QUEUE", "tender")
        #: Seconds before a failed job is tried again, doubled each time (at most 5 minutes).
        self.JOB_RETRY_SECONDS = _int("JOB_RETRY_SECONDS", 5)
        # Redis unreachable: count in this process for the while (limits stay on, loosely) rather than
        # fail every log-in with a server error; the storage is tried again as it comes back.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_SWALLOW_ERRORS = True
        self.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        self.RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "tender")
        self.RATELIMIT_HEADERS_ENABLED = True
        self.LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;60 per hour")
        self.EXPENSIVE_RATE_LIMIT = os.environ.get("EXPENSIVE_RATE_LIMIT", "30 per minute")
        #: The address users reach the application at: links in mails are built on it, never on the
        #: request's Host header.
        self.PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
        # Outgoing mail (tender.mail). Without MAIL_SERVER, messages are written to the log.
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
        self.MAIL_PORT = _int("MAIL_PORT", 25)
        self.MAIL_STARTTLS = os.environ.get("MAIL_STARTTLS", "0") == "1"
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "noreply@tender.example.jp")
        self.MAIL_FROM_NAME = os.environ.get("MAIL_FROM_NAME", "tender 電子調達")
        self.MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
        # Open data (tender.opendata, issue 21): the OCID prefix the Open Contracting Partnership
        # assigned to the publisher (ocds- and six characters), the publisher's name and the licence.
        self.OCDS_OCID_PREFIX = os.environ.get("OCDS_OCID_PREFIX", "ocds-jptndr")
        self.OCDS_PUBLISHER_NAME = os.environ.get("OCDS_PUBLISHER_NAME", "tender 電子調達システム")
        self.OCDS_LICENSE = os.environ.get("OCDS_LICENSE", "https://creativecommons.org/licenses/by/4.0/")
        #: The feed serves a release once it is this old: a transaction that began earlier and
        #: committed later cannot then appear behind a reader's cursor.
        self.OCDS_FEED_SETTLE_SECONDS = _int("OCDS_FEED_SETTLE_SECONDS", 60)
        # The REST API (tender.api): requests per token (or per address without one).
        self.API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute;3000 per hour")
        #: Check every API and open-data response against its OpenAPI schema before sending it (on
        #: in the tests; in production it changes nothing that is sent and costs time: off unless 1).
        self.API_CHECK_RESPONSES = os.environ.get("API_CHECK_RESPONSES", "0") == "1"


class TestConfig(Config):
    def __init__(self, database_uri: str, file_storage: str | None = None) -> None:
        super().__init__()
        self.TESTING = True
        self.SQLALCHEMY_DATABASE_URI = database_url(database_uri)
        self.SECRET_KEY = "test-secret-key"
        self.TENDER_DATA_KEYS = "Xb9hjD6d6ZJ2bbgk3BP6wAD6lr5oV8JYcXZJ8U1g7wQ="
        self.TENDER_INTEGRITY_KEY = "test-integrity-key"
        self.FILE_STORAGE = file_storage or self.FILE_STORAGE
        # The same format at a fraction of the cost; tests/bidding/test_sealing.py and
        # tests/accounts/test_login.py prove the production parameters once each.
        self.OPENING_KEY_PARAMS = CHEAP_ARGON2
        self.PASSWORD_HASH_PARAMS = CHEAP_ARGON2
        # The suite logs in hundreds of times a minute from one address; tests/web/test_limits.py
        # turns the limits on for itself.
        self.RATELIMIT_ENABLED = False
        self.CELERY_BROKER_URL = ""  # jobs run inline unless a test starts a worker
        # Tests change the database between requests without the audit trail at times (fixtures
        # write rows directly): tests/web/test_pagecache.py turns the cache on for itself.
        self.PUBLIC_PAGE_CACHE_SECONDS = 0
        self.OCDS_FEED_SETTLE_SECONDS = 0
        self.API_CHECK_RESPONSES = True

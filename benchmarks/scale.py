"""Benchmark: a ministry's volume on PostgreSQL, served as in production.

    .venv/bin/python benchmarks/scale.py                      # 100,000 cases, 1,000,000 bids
    .venv/bin/python benchmarks/scale.py --cases 10000 --bids 100000 --runs 1   # a quick look
    .venv/bin/python benchmarks/scale.py --bench-only         # measure the database seeded before

1. Seeds a PostgreSQL database (``tender_scale`` on the local server unless --database-url) in the
   real schema: the migrations make it, the operations make the cases whose pages are measured in
   detail (a lowest-price opening with 50 bids, a 総合評価 award with 50 evaluated proposals, the
   users who log in), and bulk COPY adds the volume around them — companies, cases, rounds, bids,
   registrations, questions, contracts with their deliverables, and an audit trail whose hash chain
   verifies.
2. Serves the application and a minimal Flask route with gunicorn under the same settings
   (``--workers`` sync workers), and drives each page with wrk (Debian's ``wrk``; ``make bench``
   installs it) at ``--clients`` connections, ``--runs`` times.
3. Prints, per page, the median over the runs of p50, p95 and p99 (ms) and requests per second,
   and the ratio of its p50 to the minimal route's; the table goes into README.md.

Goal (issue 16) on a 2-core machine at 100,000 / 1,000,000 and 20 clients: every page p95 ≤ 100 ms,
the board, notice page, search and home pages p95 ≤ 50 ms, log-in p95 ≤ 300 ms at 5 clients.
"""
from __future__ import annotations

import argparse
import enum
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402

DATA_KEYS = "Xb9hjD6d6ZJ2bbgk3BP6wAD6lr5oV8JYcXZJ8U1g7wQ="
PASSWORD = "Scale-Bench-2026!"
INDUSTRIES = ("services", "retail", "wholesale", "manufacturing")
WORDS = ("清掃", "システム保守", "警備", "印刷", "調査研究", "ウェブサイト運用", "翻訳", "データ入力", "設計", "点検")


# --- the environment the seeding and the servers share ---------------------------------------

def environment(database_url: str, files: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "scale-bench-secret",
            "TENDER_DATA_KEYS": DATA_KEYS, "TENDER_INTEGRITY_KEY": "scale-bench-integrity",
            "FILE_STORAGE": files, "RATELIMIT_ENABLED": "0", "PYTHONPATH": str(ROOT)}


def make_app(database_url: str, files: str):
    os.environ.update(environment(database_url, files))
    from tender.app import create_app
    from tender.config import Config

    return create_app(Config())


# --- bulk COPY --------------------------------------------------------------------------------

def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def copy(conn: psycopg.Connection, table: str, columns: list[str], rows) -> int:
    count = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
        for row in rows:
            out.write_row([_plain(v) for v in row])
            count += 1
    return count


def next_id(conn: psycopg.Connection, table: str) -> int:
    return conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]


def fix_sequences(conn: psycopg.Connection, tables: list[str]) -> None:
    for table in tables:
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")


# --- the showcase: made by the operations ------------------------------------------------------

def showcase(app) -> dict:
    """The users who log in and the two cases whose busiest pages are measured, made as a user
    would make them (opening keys, sealed bids, ceremonies, the evaluation)."""
    from tender.accounts.models import Role, User
    from tender.accounts.operations import create_user
    from tender.extensions import db
    from tender.organisations.models import Authority, Department
    from tender.sealing import operations as sealing
    from tests import helpers

    with app.app_context():
        dept = Department(authority=Authority(name="計測省"), name="会計課")
        db.session.add(dept)
        db.session.flush()
        users = {}
        for email, name, role in [("officer@scale.example", "計測 一郎", Role.OFFICER),
                                  ("second@scale.example", "計測 二郎", Role.OFFICER),
                                  ("auditor@scale.example", "監査 花子", Role.AUDITOR)]:
            user = create_user(email=email, name=name, role=role, password=PASSWORD)
            user.department_id = dept.id
            users[email] = user.id
        db.session.flush()
        for email in ("officer@scale.example", "second@scale.example"):  # the scenario builder's passphrase
            sealing.set_passphrase(db.session.get(User, users[email]), helpers.OPENING_PASSPHRASE, now=datetime.now(UTC))
        db.session.commit()
        officer, second, department = users["officer@scale.example"], users["second@scale.example"], dept.id
    # The busiest company of the volume below is company 1: its user logs in as the bidder.
    busiest = helpers.make_company(app, name="株式会社計測サービス", name_kana="けいそくさーびす")
    with app.app_context():
        bidder = create_user(email="bidder@scale.example", name="入札 太郎", role=Role.BIDDER, password=PASSWORD,
                             company_id=busiest).id
        db.session.commit()
    opened = _opening(app, officer, second, department, busiest, bidder)
    evaluated = _evaluation(app, officer, second, department)
    return {"officer": officer, "second": second, "department": department, "busiest": busiest, "bidder": bidder,
            "opened": opened, "evaluated": evaluated}


def _companies(app, count: int, prefix: str) -> list[tuple[int, int]]:
    from tender.accounts.models import Role
    from tests import helpers

    out = []
    for n in range(count):
        company = helpers.make_company(app, name=f"{prefix}{n:02d}株式会社")
        out.append((company, helpers.make_user(app, Role.BIDDER, company_id=company)))
    return out


def _opening(app, officer: int, second: int, department: int, busiest: int, bidder: int) -> int:
    from tender.extensions import db
    from tender.notices.models import ProcurementCase
    from tender.rules.lifecycle import Procedure
    from tests import helpers, scenario

    case_id = helpers.make_case(app, officer, procedure=Procedure.LOWEST_PRICE, estimated_price=100_000_000,
                                officials=[officer, second], title="庁舎清掃業務（計測用・開札済み50者）",
                                department_id=department, rules=[("no_suspension", {})])
    with app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        during, opening = case.submissions_from + timedelta(hours=1), case.opening_at
    bidders = [(busiest, bidder)] + _companies(app, 49, "開札計測")
    for n, (company, user) in enumerate(bidders):
        scenario.seal_bid(app, case_id, company, user, 70_000_000 + n * 10_000, now=during)
    scenario.open_sealed(app, case_id, officer, second, opening, attendees=[c for c, _ in bidders])
    return case_id


def _evaluation(app, officer: int, second: int, department: int) -> int:
    from tender.accounts.models import Role
    from tender.extensions import db
    from tender.notices.models import ProcurementCase
    from tender.rules.lifecycle import Procedure
    from tests import helpers, scenario

    case_id = helpers.make_case(app, officer, procedure=Procedure.COMPREHENSIVE_ADDITION, estimated_price=100_000_000,
                                officials=[officer, second], title="統計システム運用業務（計測用・総合評価50者）",
                                department_id=department)
    bidders = _companies(app, 50, "総合評価計測")
    with app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        t = {"case": case_id, "officer": officer, "second": second, "companies": [c for c, _ in bidders],
             "bidders": [u for _, u in bidders], "evaluators": [helpers.make_user(app, Role.EVALUATOR) for _ in range(3)],
             "during": case.submissions_from + timedelta(hours=1), "opening": case.opening_at,
             "after": case.submission_deadline + timedelta(minutes=1)}
    bids = [scenario.submit_bid(app, t, n, 80_000_000 + n * 10_000) for n in range(len(bidders))]
    scenario.evaluate_all(app, t, {b: scenario.marks_for(app, case_id, rank="SAB"[n % 3]) for n, b in enumerate(bids)},
                          t["after"])
    scenario.open_bids(app, t, t["opening"])
    return case_id


# --- the volume: bulk COPY ---------------------------------------------------------------------

def volume(app, database_url: str, args, world: dict) -> None:
    from tender import integrity
    from tender.audit.chain import event_hash
    from tender.rules.search import index_terms, normalise

    rng = random.Random(2026)
    dsn = sa.engine.make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with app.app_context(), psycopg.connect(dsn) as conn:
        t0 = time.perf_counter()
        hashed = conn.execute("SELECT password_hash FROM users WHERE id = %s", (world["officer"],)).fetchone()[0]
        # Companies and a bidder user each; company 1 of the volume is the showcase's busiest.
        first_company = next_id(conn, "companies")
        n_companies = args.companies
        copy(conn, "companies", ["id", "name", "name_kana", "corporate_number", "address", "representative_title",
                                 "representative_name", "industry", "capital", "employees"],
             ((first_company + i, f"計測商事{i:05d}株式会社", f"けいそくしょうじ{i:05d}", f"{9_000_000_000_000 + i}",
               "東京都千代田区霞が関1-1", "代表取締役", "計測 太郎", INDUSTRIES[i % 4], 10_000_000, 50)
              for i in range(n_companies)))
        companies = [world["busiest"]] + [first_company + i for i in range(n_companies)]
        first_user = next_id(conn, "users")
        now = datetime.now(UTC)
        copy(conn, "users", ["id", "email", "name", "role", "password_hash", "active", "company_id", "acts_as_agent",
                             "failed_logins", "password_changed_at", "must_change_password", "created_at"],
             ((first_user + i, f"user{i:05d}@bulk.example", f"利用者{i:05d}", "bidder", hashed, True, companies[i + 1],
               False, 0, now, False, now) for i in range(n_companies)))
        bidder_of = {companies[i + 1]: first_user + i for i in range(n_companies)}
        bidder_of[world["busiest"]] = world["bidder"]
        print(f"  companies and users: {time.perf_counter() - t0:.1f} s", flush=True)

        # Cases, one round each, opened; published over the last three years.
        first_case = next_id(conn, "procurement_cases")
        start = now - timedelta(days=3 * 365)
        cases = []
        for i in range(args.cases):
            published = start + timedelta(minutes=15 * i * (3 * 365 * 96) // max(args.cases, 1) / 15)
            reference = f"S{2000 + i // 50_000}-{i:06d}"
            title = f"{WORDS[i % len(WORDS)]}業務（{i:06d}）"
            cases.append((first_case + i, reference, title, published))
        columns = ["id", "reference", "title", "procedure", "state", "department_id", "created_by_id", "search_text",
                   "search_terms", "description", "notice_on", "questions_from", "questions_until", "submissions_from",
                   "submission_deadline", "opening_at", "bid_bond", "performance_bond", "price_basis",
                   "estimated_price_tax_included", "technical_points", "price_points", "created_at", "published_at"]
        department = conn.execute("SELECT name FROM departments WHERE id = %s", (world["department"],)).fetchone()[0]
        copy(conn, "procurement_cases", columns,
             ((cid, ref, title, "lowest_price", "opened", world["department"], world["officer"],
               normalise(f"{ref} {title} {department}"), index_terms(ref, title, department), "計測用の案件。",
               published.date(), published, published + timedelta(days=7), published, published + timedelta(days=14),
               published + timedelta(days=15), "全額免除", "全額免除", "estimated", True, 220, 110, published, published)
              for cid, ref, title, published in cases))
        first_round = next_id(conn, "bid_rounds")
        copy(conn, "bid_rounds", ["id", "case_id", "number", "state", "opened_at", "confirmed_by_id"],
             ((first_round + i, cid, 1, "opened", published + timedelta(days=15), world["second"])
              for i, (cid, _, _, published) in enumerate(cases)))
        print(f"  cases and rounds: {time.perf_counter() - t0:.1f} s", flush=True)

        # Bids: company 1 takes part in one case in twenty, the others at random.
        per_case = max(1, args.bids // max(args.cases, 1))
        first_bid = next_id(conn, "bids")
        registrations, winners = [], {}

        def bids():
            bid_id = first_bid
            for i, (cid, _, _, published) in enumerate(cases):
                chosen = rng.sample(companies[1:], per_case)
                if i % 20 == 0:
                    chosen[0] = world["busiest"]
                winners[cid] = (bid_id, chosen[0])
                for order, company in enumerate(chosen):
                    submitted = published + timedelta(days=1, minutes=order)
                    receipt = f"R{bid_id:09d}"
                    payload, fingerprint = "sealed", f"{bid_id:064x}"
                    facts = (receipt, cid, first_round + i, company, submitted.astimezone(UTC).isoformat(), order % 1000,
                             fingerprint, integrity.digest(payload))
                    registrations.append((cid, company, bidder_of[company], published + timedelta(hours=1)))
                    yield (bid_id, cid, first_round + i, company, bidder_of[company], False, submitted, receipt, payload,
                           fingerprint, order % 1000, integrity.mark("bid", *facts), 9_000_000 + order * 1_000,
                           100 + order % 900, "valid")
                    bid_id += 1

        count = copy(conn, "bids", ["id", "case_id", "round_id", "company_id", "submitted_by_id", "as_agent",
                                    "submitted_at", "receipt_number", "sealed_payload", "fingerprint", "receipt_random",
                                    "mark", "amount", "lottery_number", "status"], bids())
        print(f"  {count:,} bids: {time.perf_counter() - t0:.1f} s", flush=True)
        first_registration = next_id(conn, "case_registrations")
        copy(conn, "case_registrations", ["id", "case_id", "company_id", "registered_by_id", "registered_at"],
             ((first_registration + n, *row) for n, row in enumerate(registrations)))

        # Questions, answered and published.
        first_question = next_id(conn, "questions")
        copy(conn, "questions", ["id", "case_id", "number", "company_id", "asked_by_id", "asked_at", "document", "page",
                                 "item", "body", "answer", "answered_by_id", "published_at"],
             ((first_question + n, cases[n % len(cases)][0], n // len(cases) + 1, companies[1 + n % n_companies],
               bidder_of[companies[1 + n % n_companies]], cases[n % len(cases)][3] + timedelta(days=2), "仕様書", "3",
               "2.1", "作業場所について伺います。", "貴見のとおりです。", world["officer"],
               cases[n % len(cases)][3] + timedelta(days=5)) for n in range(args.questions)))
        print(f"  questions: {time.perf_counter() - t0:.1f} s", flush=True)

        # Contracts of the newest cases, awarded to their first bidder, with monthly deliverables.
        contracts(conn, world, cases[-args.contracts:], first_round, winners, cases)
        print(f"  contracts: {time.perf_counter() - t0:.1f} s", flush=True)

        # The audit trail: an event per case published and per bid received, on the chain.
        seq, prev = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        first_event = next_id(conn, "audit_events")

        def events():
            nonlocal seq, prev
            event_id = first_event
            bid_id = first_bid
            for cid, ref, _, published in cases:
                batch = [("case.published", "procurement_cases", str(cid), {"reference": ref}, published)]
                batch += [("bid.submitted", "bids", str(bid_id + k), {"case_id": cid}, published + timedelta(days=1))
                          for k in range(per_case)]
                bid_id += per_case
                for action, object_type, object_id, summary, at in batch:
                    seq += 1
                    fields = {"seq": seq, "occurred_at": at, "actor_id": world["officer"], "actor_name": "計測 一郎",
                              "actor_role": "officer", "action": action, "object_type": object_type,
                              "object_id": object_id, "summary": json.dumps(summary, ensure_ascii=False), "ip": None,
                              "user_agent": None, "prev_hash": prev}
                    prev = event_hash(fields)
                    yield (event_id, seq, at, world["officer"], "計測 一郎", "officer", action, object_type, object_id,
                           fields["summary"], prev, fields["prev_hash"])
                    event_id += 1

        count = copy(conn, "audit_events", ["id", "seq", "occurred_at", "actor_id", "actor_name", "actor_role",
                                            "action", "object_type", "object_id", "summary", "hash", "prev_hash"],
                     events())
        conn.execute("UPDATE audit_head SET seq = %s, hash = %s WHERE id = 1", (seq, prev))
        fix_sequences(conn, ["companies", "users", "procurement_cases", "bid_rounds", "bids", "case_registrations",
                             "questions", "award_decisions", "contracts", "deliverables", "audit_events"])
        conn.commit()
        print(f"  {count:,} audit events: {time.perf_counter() - t0:.1f} s", flush=True)
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
        print(f"  vacuum analyze: {time.perf_counter() - t0:.1f} s", flush=True)


def contracts(conn, world: dict, awarded, first_round: int, winners: dict, cases) -> None:
    """The newest cases awarded to their first bid, each with a signed contract and 12 monthly reports."""
    index = {cid: n for n, (cid, _, _, _) in enumerate(cases)}
    first_decision = next_id(conn, "award_decisions")
    first_contract = next_id(conn, "contracts")
    first_item = next_id(conn, "deliverables")
    decisions, rows, items = [], [], []
    for k, (cid, _, _, published) in enumerate(awarded):
        bid_id, company = winners[cid]
        decided = published + timedelta(days=16)
        decisions.append((first_decision + k, cid, first_round + index[cid], "award", bid_id, "最低価格", {},
                          world["officer"], decided))
        start = decided.date() + timedelta(days=10)
        rows.append((first_contract + k, cid, first_decision + k, bid_id, company, "signed", 9_000_000, 900_000,
                     9_900_000, start, start + timedelta(days=364), start - timedelta(days=3), start - timedelta(days=5),
                     10, "一式", False, decided, world["officer"]))
        for m in range(12):
            items.append((first_item + 12 * k + m, first_contract + k, f"作業実績報告書（{m + 1}月分）",
                          start + timedelta(days=30 * m + 40)))
    copy(conn, "award_decisions", ["id", "case_id", "round_id", "kind", "bid_id", "grounds", "standing",
                                   "decided_by_id", "decided_at"], decisions)
    copy(conn, "contracts", ["id", "case_id", "award_decision_id", "bid_id", "company_id", "state", "amount_excl",
                             "tax", "amount_total", "period_from", "period_to", "signed_on", "submission_deadline",
                             "inspection_days", "quantity", "one_bidder", "created_at",
                             "created_by_id"], rows)
    copy(conn, "deliverables", ["id", "contract_id", "title", "due_on"], items)


# --- serving and measuring ---------------------------------------------------------------------

MINIMAL = """from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "ok"
"""

LUA = """
-- BENCH_COOKIE and BENCH_BODY may hold several lines: the requests take them in turn (log-ins of
-- different users), each wrk thread starting ten apart.
local path, method = os.getenv("BENCH_PATH"), os.getenv("BENCH_METHOD")
local function lines(text)
  local out = {}
  for line in string.gmatch(text or "", "[^\\n]+") do out[#out + 1] = line end
  if #out == 0 then out[1] = "" end
  return out
end
local bodies, cookies = lines(os.getenv("BENCH_BODY")), lines(os.getenv("BENCH_COOKIE"))
local threads, turn, bad = 0, 0, 0
setup = function(thread)
  thread:set("offset", threads * 10)
  threads = threads + 1
end
request = function()
  turn = turn + 1
  local n = ((offset or 0) + turn) % #cookies + 1
  local headers = {}
  if cookies[n] ~= "" then headers["Cookie"] = cookies[n] end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", path, headers, bodies[n])
  end
  return wrk.format("GET", path, headers)
end
response = function(status, headers, body)
  if status >= 400 or (method ~= "POST" and status ~= 200) then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format('BENCH {"p50": %f, "p95": %f, "p99": %f, "requests": %d, "seconds": %f, "errors": %d, "socket": %d}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.requests,
    summary.duration / 1e6, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""


def releases(app, count: int) -> int:
    """The first OCDS release of the newest ``count`` public cases, made by tender.opendata itself
    (the cases copied in bulk bypassed the session hook that makes them as cases change)."""
    from tender.extensions import db
    from tender.notices.models import ProcurementCase
    from tender.opendata import operations as ops

    with app.app_context():
        now = datetime.now(UTC)
        ids = db.session.scalars(sa.select(ProcurementCase.id).where(ProcurementCase.published_at.is_not(None))
                                 .order_by(ProcurementCase.published_at.desc(), ProcurementCase.id.desc())
                                 .limit(count)).all()
        made = 0
        for start in range(0, len(ids), 500):
            for case_id in ids[start:start + 500]:
                made += ops.sync_case(case_id, now) is not None
            db.session.commit()
            db.session.expunge_all()
        return made


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(module: str, env: dict, workers: int, cwd: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # The application logs every request (as in production): to a file, never a pipe that could fill.
    log = open(Path(tempfile.gettempdir()) / f"tender-bench-gunicorn-{port}.log", "wb")
    # The production settings (gunicorn.conf.py: sync workers) for both, the worker count as asked.
    process = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
                                "-w", str(workers), "-b", f"127.0.0.1:{port}",
                                "--log-level", "warning", "--access-logfile", "/dev/null", module],
                               cwd=cwd, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, base
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn did not start: see {log.name}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def log_in(base: str, email: str) -> str:
    """A session cookie of ``email`` (the pages measured are read as that user)."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    opener.open(f"{base}/login", urllib.parse.urlencode({"email": email, "password": PASSWORD,
                                                         "csrf_token": token}).encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def login_form(base: str, email: str) -> tuple[str, str]:
    """A cookie and a form body that log ``email`` in, every time they are posted (the session of
    the log-in page holds the CSRF token; each log-in starts a fresh session the client drops)."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token})
    return "; ".join(f"{c.name}={c.value}" for c in jar), body


def wrk(base: str, path: str, *, clients: int, seconds: int, script: Path, cookie: str = "", method: str = "GET",
        body: str = "") -> dict:
    env = {**os.environ, "BENCH_PATH": path, "BENCH_METHOD": method, "BENCH_BODY": body, "BENCH_COOKIE": cookie}
    out = subprocess.run(["wrk", "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "30s",
                          "-s", str(script), base], env=env, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    result = json.loads(line[6:])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def pages(app, world: dict) -> list[tuple[str, str, str]]:
    """(label, who, path) of every page measured; who: '' (anonymous), 'officer', 'bidder', 'auditor'."""
    from tender.extensions import db
    from tender.notices.models import ProcurementCase
    from tender.web.pages import _encode

    with app.app_context():
        stmt = (sa.select(ProcurementCase.published_at, ProcurementCase.id)
                .where(ProcurementCase.published_at.is_not(None))
                .order_by(ProcurementCase.published_at.desc(), ProcurementCase.id.desc()))
        total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
        middle = db.session.execute(stmt.offset(total // 2).limit(1)).one()
        notice = db.session.scalar(sa.select(sa.func.max(ProcurementCase.id)).where(
            ProcurementCase.reference.startswith("S")))
        audit_case = db.session.get(ProcurementCase, world["opened"]).reference
        ocid = app.config["OCDS_OCID_PREFIX"] + "-" + audit_case
    cursor = _encode(tuple(middle))
    return [
        # Visitors (no cookie) are served from the 3-second page cache while nothing changes; the
        # same pages for a logged-in user are made every time.
        ("public board, page 1", "", "/notices"),
        ("board, a middle page", "", f"/notices?after={cursor}"),
        ("board, last page", "", "/notices?last=1"),
        ("board search 「清掃」", "", "/notices?q=%E6%B8%85%E6%8E%83"),
        ("notice page", "", f"/notices/{notice}"),
        ("board, page 1, logged in (never cached)", "bidder", "/notices"),
        ("board, last page, logged in", "bidder", "/notices?last=1"),
        ("board search 「清掃」, logged in", "bidder", "/notices?q=%E6%B8%85%E6%8E%83"),
        ("notice page, logged in", "bidder", f"/notices/{notice}"),
        ("officer home", "officer", "/home"),
        ("bidder home (busiest company)", "bidder", "/home"),
        ("case page, 50 bids opened", "officer", f"/cases/{world['opened']}"),
        ("opening page, 50 bids", "officer", f"/cases/{world['opened']}/opening"),
        ("award page, 50 bids, 総合評価", "officer", f"/cases/{world['evaluated']}/award"),
        ("auditor's record of a case", "auditor", f"/audit/cases/{world['opened']}"),
        ("audit search by case", "auditor", f"/audit?case={audit_case}"),
        ("contract list", "officer", "/contracts"),
        ("contract list, last page", "officer", "/contracts?last=1"),
        # Issue 21: the API and the open data (JSON, never cached).
        ("API: cases, page 1", "", "/api/v1/cases"),
        ("API: cases, search 「清掃」", "", "/api/v1/cases?q=%E6%B8%85%E6%8E%83"),
        ("API: a case", "", f"/api/v1/cases/{notice}"),
        ("OCDS: releases feed, 100 per page", "", "/ocds/releases"),
        ("OCDS: a record (ocdsmerge)", "", f"/ocds/records/{ocid}"),
    ]


def measure(args, app, world: dict) -> list[dict]:
    env = environment(args.database_url, args.files)
    tmp = Path(tempfile.mkdtemp())
    (tmp / "minimal.py").write_text(MINIMAL)
    script = tmp / "bench.lua"
    script.write_text(LUA)
    emails = {"officer": "officer@scale.example", "bidder": "bidder@scale.example", "auditor": "auditor@scale.example"}
    rows = []
    minimal, minimal_base = serve("minimal:app", {**env, "PYTHONPATH": str(tmp)}, args.workers, tmp)
    try:
        runs = [wrk(minimal_base, "/", clients=args.clients, seconds=args.seconds, script=script)
                for _ in range(args.runs)]
        rows.append(summarise("minimal Flask route (same gunicorn)", runs, None))
    finally:
        stop(minimal)
    server, base = serve("wsgi:app", env, args.workers, ROOT)
    try:
        cookies = {who: log_in(base, email) for who, email in emails.items()}
        floor = rows[0]["p50"]
        for label, who, path in pages(app, world):
            runs = [wrk(base, path, clients=args.clients, seconds=args.seconds, script=script,
                        cookie=cookies.get(who, "")) for _ in range(args.runs)]
            rows.append(summarise(label, runs, floor, queries=count_queries(app, who, path)))
            print(format_row(rows[-1]), flush=True)
        forms = [login_form(base, email) for email in login_users(app)]
        cookie, body = "\n".join(c for c, _ in forms), "\n".join(b for _, b in forms)
        runs = [wrk(base, "/login", clients=5, seconds=args.seconds, script=script, cookie=cookie, method="POST",
                    body=body) for _ in range(args.runs)]
        rows.append(summarise("log-in POST (5 clients, 20 users)", runs, floor))
        print(format_row(rows[-1]), flush=True)
        rows.append(during_logins(base, script, args, cookie, body, floor, cookies["bidder"]))
        print(format_row(rows[-1]), flush=True)
    finally:
        stop(server)
    return rows


def login_users(app, count: int = 20) -> list[str]:
    """Users who log in during the log-in measurement, made if missing: five clients log in as
    different people, as at a ministry in the morning (one account logging in five times at once
    waits for its own row lock and throttle, by design)."""
    from tender.accounts.models import Role, User
    from tender.accounts.operations import create_user
    from tender.extensions import db

    emails = [f"login{n:02d}@scale.example" for n in range(1, count + 1)]
    with app.app_context():
        known = set(db.session.execute(sa.select(User.email).where(User.email.in_(emails))).scalars())
        for email in emails:
            if email not in known:
                create_user(email=email, name=f"計測 {email[:7]}", role=Role.AUDITOR, password=PASSWORD)
        db.session.commit()
    return emails


def during_logins(base, script, args, cookie, body, floor, reader: str) -> dict:
    """The board, made afresh for a logged-in reader, read by 20 clients while 5 others log in
    without pause: Argon2 must not starve it of workers."""
    env = {**os.environ, "BENCH_PATH": "/login", "BENCH_METHOD": "POST", "BENCH_BODY": body, "BENCH_COOKIE": cookie}
    burst = subprocess.Popen(["wrk", "-t", "1", "-c", "5", "-d", f"{args.seconds + 4}s", "-s", str(script), base],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)
    try:
        runs = [wrk(base, "/notices", clients=args.clients, seconds=args.seconds, script=script, cookie=reader)]
    finally:
        burst.wait()
    return summarise("board, page 1, logged in, during a log-in burst", runs, floor)


def count_queries(app, who: str, path: str) -> int:
    """The SQL statements one request of the page runs, counted in this process through the app."""
    from sqlalchemy import event

    from tender.extensions import db

    client = app.test_client()
    if who:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
        client.post("/login", data={"email": f"{who}@scale.example", "password": PASSWORD, "csrf_token": token})
    statements = []
    with app.app_context():
        engine = db.engine

    def count(*_):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def summarise(label: str, runs: list[dict], floor: float | None, queries: int | None = None) -> dict:
    med = {key: statistics.median(r[key] for r in runs) for key in ("p50", "p95", "p99", "rps")}
    errors = sum(r["errors"] + r["socket"] for r in runs)
    return {"page": label, **med, "errors": errors, "ratio": med["p50"] / floor if floor else 1.0, "queries": queries}


def format_row(row: dict) -> str:
    queries = "" if row.get("queries") in (None, -1) else str(row["queries"])
    return (f"| {row['page']} | {row['p50']:.0f} | {row['p95']:.0f} | {row['p99']:.0f} | {row['rps']:.0f} | "
            f"{row['ratio']:.1f}× | {queries} | {row['errors'] or ''} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/tender_scale")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--bids", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=5_000)
    parser.add_argument("--questions", type=int, default=110_000)
    parser.add_argument("--contracts", type=int, default=4_100)
    parser.add_argument("--releases", type=int, default=5_000,
                        help="cases whose first OCDS release the application makes (the rest were copied in bulk)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--bench-only", action="store_true", help="measure the database seeded before")
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--json", help="also write the table as JSON to this file")
    args = parser.parse_args()
    if shutil.which("wrk") is None and not args.seed_only:
        raise SystemExit("wrk is not installed: make bench installs it (Debian package wrk)")
    args.files = str(ROOT / "instance" / "scale-files")
    Path(args.files).mkdir(parents=True, exist_ok=True)
    url = sa.engine.make_url(args.database_url)
    admin = url.set(database="postgres", drivername="postgresql").render_as_string(hide_password=False)
    world_file = ROOT / "instance" / f"scale-{url.database}.json"
    if not args.bench_only:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{url.database}" ENCODING \'UTF8\' TEMPLATE template0')
        app = make_app(args.database_url, args.files)
        from flask_migrate import upgrade

        t0 = time.perf_counter()
        with app.app_context():
            upgrade()
        world = showcase(app)
        print(f"showcase made by the operations in {time.perf_counter() - t0:.0f} s", flush=True)
        volume(app, args.database_url, args, world)
        print(f"seeded {args.cases:,} cases and {args.bids:,} bids in {time.perf_counter() - t0:.0f} s", flush=True)
        t1 = time.perf_counter()
        made = releases(app, args.releases)
        # The planner's statistics of what the application made after the bulk load's ANALYZE: a
        # server whose autovacuum is off (as here) would otherwise plan ocds_releases as four rows.
        with psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False),
                             autocommit=True) as conn:
            conn.execute("ANALYZE")
        print(f"{made:,} OCDS releases made by the application's own sync in {time.perf_counter() - t1:.0f} s", flush=True)
        world_file.write_text(json.dumps(world))
    else:
        app = make_app(args.database_url, args.files)
        world = json.loads(world_file.read_text())
    if args.seed_only:
        return
    print("| page | p50 ms | p95 ms | p99 ms | req/s | p50 ÷ minimal | SQL queries | errors |")
    print("|---|---|---|---|---|---|---|---|")
    rows = measure(args, app, world)
    print(format_row(rows[0]))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

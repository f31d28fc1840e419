"""Issue 14: no input ever produces a server error, and a refused request changes nothing.

On the demo's data (every kind of case, bids, a contract), as each role and as an anonymous
visitor, this walks the application the way a hostile client would: every page reachable by links,
every form found on them submitted with hostile values, every route of the URL map with ids beyond
any table, and hostile query strings. New routes and forms are covered without editing this file.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import func, select

from tender.demo import DEMO_PASSWORD
from tender.extensions import db
from tests.helpers import login

HOSTILE = [
    "a\x00b",                         # NUL
    "長" * 100_000,                    # 100k characters
    "制御\x07\x1b[31m文字",             # control characters
    "\u202e反転タイトル",                # right-to-left override
    "😀🀄絵文字",                        # emoji, outside the BMP
    "１２３４５",                        # full-width digits
    "1" + "0" * 30,                   # 10^30
    "9999-12-31", "2026-02-30", "0001-01-01",
    str(2**31), str(2**63), "-1",
    "' OR 1=1 --", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")",
]
HUGE_IDS = [2**31, 10**30]
ROLES = ["officer@example.jp", "officer2@example.jp", "bidder@example.jp", "agent@example.jp",
         "evaluator@example.jp", "auditor@example.jp", "admin@example.jp", None]
#: Tables a refused request may still touch: the trail of what was attempted, sessions, mail.
LOG_TABLES = {"audit_events", "audit_head", "login_sessions", "outbound_mail", "login_throttles"}
SKIP = re.compile(r"^/(logout|static/)|\.(pdf|docx|xlsx|csv|json)$")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            self._form["fields"].setdefault(a["name"], (kind, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _counts() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables
            if t.name not in LOG_TABLES}


def _refused(response) -> bool:
    """Refused: an error status, or a page that reports no success (every accepted action flashes one)."""
    text = response.get_data(as_text=True)
    return response.status_code >= 400 or not ("flash flash--success" in text or "flash flash--info" in text)


@pytest.fixture
def demo(clean_app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return clean_app


def _crawl(client, start: list[str], limit: int = 160):
    seen, queue, forms, problems = set(), list(start), [], []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or SKIP.search(urlsplit(url).path):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(("GET", url, response.status_code))
            continue
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        parser = _Page()
        parser.feed(response.get_data(as_text=True))
        for href in parser.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if not parts.netloc and parts.path.startswith("/") and target.split("#")[0] not in seen:
                queue.append(target.split("#")[0])
        for form in parser.forms:
            if form["method"] == "post":
                forms.append((url, form))
    return seen, forms, problems


def _hostile_body(fields: dict, shift: int) -> dict:
    body = {}
    for n, (name, (kind, value)) in enumerate(sorted(fields.items())):
        if name.endswith("csrf_token"):
            body[name] = value
        elif kind in ("file",):
            continue
        else:
            body[name] = HOSTILE[(n + shift) % len(HOSTILE)]
    return body


@pytest.mark.parametrize("email", ROLES, ids=[e or "anonymous" for e in ROLES])
def test_no_hostile_input_gives_a_server_error_and_refusals_change_nothing(demo, email):
    client = demo.test_client()
    if email:
        assert login(client, email, DEMO_PASSWORD).status_code == 302
    start = ["/", "/home", "/notices", "/cases", "/contracts", "/audit", "/audit/cases", "/companies", "/admin/users",
             "/profile", "/authority", "/notifications", "/profile/opening-key", "/login", "/password/forgot"]
    pages, forms, problems = _crawl(client, start)
    # Every form found, twice with hostile values in every field.
    done = set()
    for page_url, form in forms:
        action = urljoin(page_url, form["action"] or page_url)
        key = (re.sub(r"\d+", "N", action), tuple(sorted(form["fields"])))
        if key in done or SKIP.search(urlsplit(action).path):
            continue
        done.add(key)
        for shift in (0, 7):
            with demo.app_context():
                before = _counts()
            response = client.post(action, data=_hostile_body(form["fields"], shift), follow_redirects=True)
            if response.status_code >= 500:
                problems.append(("POST", action, response.status_code))
                continue
            if _refused(response):
                with demo.app_context():
                    after = _counts()
                changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                assert not changed, (action, shift, changed)
    # Every route of the URL map with ids no table holds.
    for rule in demo.url_map.iter_rules():
        if rule.endpoint == "static" or not any(a.endswith("_id") or a in ("number", "seq") for a in rule.arguments):
            continue
        for huge in HUGE_IDS:
            values = {a: huge if (a.endswith("_id") or a in ("number", "seq")) else "pdf" for a in rule.arguments}
            url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, values=values: str(values.get(m.group(1), "x")), rule.rule)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(url, method=method, data={"q": "x"})
                if response.status_code >= 500:
                    problems.append((method, url, response.status_code))
    # Hostile query strings on the pages reached.
    for url in sorted(pages)[:60]:
        for value in ("a%00b", "%ff%fe", "%E2%80%AE" + "x", "1" + "0" * 30, "9999-12-31", "-1"):
            query = "&".join(f"{k}={value}" for k in ("q", "page", "state", "case", "from", "to", "role", "actor",
                                                        "action", "after", "procedure", "locked"))
            response = client.get(url.split("?")[0] + "?" + query)
            if response.status_code >= 500:
                problems.append(("GET", url + "?" + query, response.status_code))
    assert len(pages) > (5 if email else 2)
    assert problems == []

"""Structured logs: one JSON line per request with its request ID, Japan time; the ID comes back
in X-Request-ID and on error pages."""
import json
import logging

from tender.web.logs import ACCESS_LOGGER, JSONFormatter


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []
        self.setFormatter(JSONFormatter())

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


def test_each_request_is_logged_as_json_with_its_id(client):
    collect = _Collect()
    logging.getLogger(ACCESS_LOGGER).addHandler(collect)
    try:
        response = client.get("/login")
        forwarded = client.get("/login", headers={"X-Request-ID": "proxy-abc-123456"})
        forged = client.get("/login", headers={"X-Request-ID": "bad id <script>"})
    finally:
        logging.getLogger(ACCESS_LOGGER).removeHandler(collect)
    rid = response.headers["X-Request-ID"]
    assert len(rid) == 32 and forwarded.headers["X-Request-ID"] == "proxy-abc-123456"
    assert forged.headers["X-Request-ID"] != "bad id <script>" and len(forged.headers["X-Request-ID"]) == 32
    first = collect.lines[0]
    assert first["request_id"] == rid and first["method"] == "GET" and first["path"] == "/login"
    assert first["status"] == 200 and first["time"].endswith("+09:00") and first["duration_ms"] >= 0
    assert [line["request_id"] for line in collect.lines[1:]] == ["proxy-abc-123456", forged.headers["X-Request-ID"]]


def test_error_pages_show_the_request_id_and_nothing_internal(client):
    response = client.get("/no/such/page", headers={"X-Request-ID": "trace-0001-abcdef"})
    assert response.status_code == 404 and "trace-0001-abcdef" in response.text
    assert "Traceback" not in response.text and "werkzeug" not in response.text.lower()


def test_a_page_that_records_its_viewing_logs_its_user_without_reading_them_again(clean_app):
    """A company's page records that its contacts' details were seen, and commits the record after
    rendering; the access line still names the user, from the session, not by reading their row
    once more."""
    from tender.accounts.models import Role
    from tests.helpers import login_as, make_company, post_form
    from tests.web.test_query_counts import counted

    company = make_company(clean_app)
    browser = clean_app.test_client()
    uid = login_as(browser, clean_app, Role.BIDDER, company_id=company)
    post_form(browser, f"/companies/{company}/contacts/new", {
        "name": "連絡 太郎", "title": "営業部", "phone": "090-1234-5678", "email": "renraku@example.com"})
    collect = _Collect()
    logging.getLogger(ACCESS_LOGGER).addHandler(collect)
    try:
        with counted(clean_app) as statements:
            page = browser.get(f"/companies/{company}")
    finally:
        logging.getLogger(ACCESS_LOGGER).removeHandler(collect)
    assert page.status_code == 200 and "090-1234-5678" in page.text
    assert collect.lines[-1]["user_id"] == str(uid) and collect.lines[-1]["path"] == f"/companies/{company}"
    recorded = max(i for i, s in enumerate(statements) if s.startswith("INSERT INTO audit_events"))
    assert not [s for s in statements[recorded:] if "FROM users" in s], statements[recorded:]

"""Headers on every response: CSP without inline script, no framing, no sniffing, no caching."""
from tender.accounts.models import Role
from tests.helpers import login_as


def test_login_page_carries_the_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(client, clean_app):
    login_as(client, clean_app, Role.ADMIN)
    for url in ["/login", "/home", "/admin/users", "/companies"]:
        html = client.get(url).text
        assert "<script" not in html and "style=" not in html and "<style" not in html, url


def test_pages_of_logged_in_users_are_not_cached(client, clean_app):
    login_as(client, clean_app, Role.OFFICER)
    assert client.get("/home").headers["Cache-Control"] == "no-store"


def test_stylesheet_is_served_locally(client):
    html = client.get("/login").text
    head = html.split("<body")[0]
    assert 'href="/static/css/app.css"' in head and "http://" not in head and "https://" not in head
    assert client.get("/static/css/app.css").status_code == 200


def test_error_pages_leak_nothing(client, clean_app):
    login_as(client, clean_app, Role.OFFICER)
    response = client.get("/companies/999999")
    assert response.status_code == 404 and "ページが見つかりません" in response.text
    assert "Traceback" not in response.text


def test_health_endpoint_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["database"] == "ok"

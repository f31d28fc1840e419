"""Rate limits, on for these tests only: log-in attempts per address, and exports per user."""
import pytest

from tender import config as settings
from tender.app import create_app
from tender.web.limits import EXPENSIVE_ENDPOINTS
from tests.helpers import csrf_from


@pytest.fixture
def limited(clean_app):
    config = settings.TestConfig(clean_app.config["SQLALCHEMY_DATABASE_URI"], file_storage=clean_app.config["FILE_STORAGE"])
    config.RATELIMIT_ENABLED = True
    config.LOGIN_RATE_LIMIT = "3 per minute"
    config.EXPENSIVE_RATE_LIMIT = "2 per minute"
    app = create_app(config)
    yield app
    app.extensions["tender_limiter"].reset()


def test_every_expensive_endpoint_exists(app):
    assert EXPENSIVE_ENDPOINTS <= set(app.view_functions)


def test_log_in_attempts_are_limited_per_address_with_a_japanese_page(limited):
    client = limited.test_client()
    for _ in range(3):
        token = csrf_from(client.get("/login").text)
        response = client.post("/login", data={"csrf_token": token, "email": "nobody@example.jp", "password": "x"})
        assert response.status_code == 200  # refused credentials, not the limit
    token = csrf_from(client.get("/login").text)  # showing the form is not limited
    refused = client.post("/login", data={"csrf_token": token, "email": "nobody@example.jp", "password": "x"})
    assert refused.status_code == 429
    assert "ログインの試行が多すぎます" in refused.text and "Traceback" not in refused.text
    assert int(refused.headers["Retry-After"]) > 0
    # Another address is not affected.
    other = limited.test_client()
    token = csrf_from(other.get("/login", environ_base={"REMOTE_ADDR": "192.0.2.7"}).text)
    assert other.post("/login", data={"csrf_token": token, "email": "a@example.jp", "password": "x"},
                      environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200


def test_rendering_documents_is_limited_per_client(limited):
    from tender.accounts.models import Role
    from tests.helpers import make_case, make_user

    case_id = make_case(limited, make_user(limited, Role.OFFICER))
    client = limited.test_client()
    url = f"/notices/{case_id}/forms/bid.pdf"
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    third = client.get(url)
    assert third.status_code == 429 and "短時間に多くの出力を要求しました" in third.text
    assert client.get(f"/notices/{case_id}").status_code == 200  # ordinary pages are not limited


def _app(clean_app, uri, prefix):
    config = settings.TestConfig(clean_app.config["SQLALCHEMY_DATABASE_URI"], file_storage=clean_app.config["FILE_STORAGE"])
    config.RATELIMIT_ENABLED = True
    config.LOGIN_RATE_LIMIT = "10 per minute"
    config.RATELIMIT_STORAGE_URI = uri
    config.RATELIMIT_KEY_PREFIX = prefix
    return create_app(config)


def _attempt(app, address="203.0.113.50"):
    client = app.test_client()
    token = csrf_from(client.get("/login", environ_base={"REMOTE_ADDR": address}).text)
    return client.post("/login", data={"csrf_token": token, "email": "nobody@example.jp", "password": "x"},
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_two_workers_share_the_log_in_limit_through_redis(clean_app):
    """Issue 14: with per-process counts, 3 workers let 30 log-ins a minute through a limit of 10.
    Two applications (two workers) on the machine's Redis count together."""
    import uuid

    prefix = f"tender-test-{uuid.uuid4().hex}"
    first, second = _app(clean_app, "redis://127.0.0.1:6379/0", prefix), _app(clean_app, "redis://127.0.0.1:6379/0", prefix)
    codes = [_attempt(first if n % 2 else second) for n in range(14)]
    assert codes.count(200) == 10 and codes.count(429) == 4
    first.extensions["tender_limiter"].reset()


def test_an_unreachable_redis_does_not_break_log_in(clean_app):
    """Issue 14: with Redis unreachable every log-in was a server error."""
    app = _app(clean_app, "redis://127.0.0.1:1/0", "tender-down")
    codes = [_attempt(app) for _ in range(12)]
    assert 500 not in codes and codes[0] == 200
    assert 429 in codes  # the limit still holds, counted in this process meanwhile

"""Issue 21: per-user API tokens — made and revoked by their user on a page (no JavaScript), shown
once and kept only as a hash, scoped, rate-limited, audited — and the token matrix: each scope opens
its own reads and nothing else; no token, a revoked, expired or orphaned one opens nothing."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select, text

from tender import config as settings
from tender.accounts.models import ApiToken, Role, User
from tender.app import create_app
from tender.extensions import db
from tests.helpers import events, login_as, make_company, make_user, post_form
from tests.scenario import client_of

ALL_SCOPES = ["registrations:read", "questions:read", "bids:read"]
#: Each own-company read and the scope that opens it (None: any live token).
OWN = {"/api/v1/me": None, "/api/v1/me/registrations": "registrations:read",
       "/api/v1/me/questions": "questions:read", "/api/v1/me/bids": "bids:read", "/api/v1/me/results": "bids:read"}


def make_token(client, *, name="会計システム", scopes=ALL_SCOPES, days=90) -> str:
    """Make a token on the page, as the user would; the token read off the one response that shows it."""
    page = post_form(client, "/profile/tokens", {"name": name, "scopes": scopes, "days": str(days)})
    assert page.status_code == 200, page.text
    assert page.headers["Cache-Control"] == "no-store"
    found = re.search(r'value="(tdr_[A-Za-z0-9_-]+)"', page.text)
    assert found, page.text
    return found.group(1)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def bidder(clean_app, client):
    company = make_company(clean_app, name="自社システム株式会社")
    user = login_as(client, clean_app, Role.BIDDER, company_id=company)
    return {"user": user, "company": company, "client": client}


def test_a_bidder_makes_a_token_seen_once_and_stored_only_as_its_hash(clean_app, bidder):
    client = bidder["client"]
    token = make_token(client)
    assert token.startswith("tdr_") and len(token) > 40
    again = client.get("/profile/tokens").text
    assert token not in again and "会計システム" in again and token[:10] in again  # its prefix tells it apart
    with clean_app.app_context():
        dump = "\n".join(str(row) for row in db.session.execute(text("SELECT * FROM api_tokens")).all())
        assert token not in dump  # the database cannot give the token back
        row = db.session.execute(select(ApiToken)).scalar_one()
        assert row.scope_list == ALL_SCOPES and row.company_id == bidder["company"]
    [made] = events(clean_app, "api_token.created")
    assert made.actor_id == bidder["user"] and token not in made.summary and "会計システム" in made.summary
    assert clean_app.test_client().get("/api/v1/me", headers=bearer(token)).get_json()["company_name"] == "自社システム株式会社"


def test_bad_token_forms_change_nothing_and_say_why(clean_app, bidder):
    client = bidder["client"]
    page = post_form(client, "/profile/tokens", {"name": "", "scopes": [], "days": "90"})
    assert "トークンの名前を入力してください" in page.text and "許可する範囲を一つ以上選んでください" in page.text
    page = post_form(client, "/profile/tokens", {"name": "x", "scopes": ["admin:all"], "days": "90"})
    assert page.status_code == 200 and "tdr_" not in page.text
    page = post_form(client, "/profile/tokens", {"name": "x", "scopes": ["bids:read"], "days": "7"})
    assert page.status_code == 200 and "tdr_" not in page.text
    with clean_app.app_context():
        assert db.session.execute(select(ApiToken)).first() is None


def test_at_most_ten_live_tokens(clean_app, bidder):
    for i in range(10):
        make_token(bidder["client"], name=f"システム{i}")
    page = post_form(bidder["client"], "/profile/tokens", {"name": "11個目", "scopes": ["bids:read"], "days": "30"})
    assert "有効なトークンは 10 個までです" in page.text and 'value="tdr_' not in page.text


@pytest.mark.parametrize("granted", [["registrations:read"], ["questions:read"], ["bids:read"], ALL_SCOPES])
def test_each_scope_opens_its_own_reads_and_nothing_else(clean_app, bidder, granted):
    token = make_token(bidder["client"], scopes=granted)
    api = clean_app.test_client()
    for path, scope in OWN.items():
        response = api.get(path, headers=bearer(token))
        if scope is None or scope in granted:
            assert response.status_code == 200, (path, response.get_json())
        else:
            assert response.status_code == 403 and response.get_json()["code"] == "insufficient_scope", path
            assert "範囲が許可されていません" in response.get_json()["message"]


def test_no_token_a_wrong_one_or_a_session_opens_nothing(clean_app, bidder):
    token = make_token(bidder["client"])
    api = clean_app.test_client()
    for headers in ({}, bearer("tdr_" + "x" * 43), bearer(token[:-1]), {"Authorization": f"Basic {token}"},
                    {"Authorization": "Bearer"}, bearer("\u3042" * 200)):
        for path in OWN:
            response = api.get(path, headers=headers)
            assert response.status_code == 401 and response.get_json()["code"] in ("unauthorized", "invalid_token")
    # The page's session (the cookie of the logged-in bidder) is no token.
    for path in OWN:
        assert bidder["client"].get(path).status_code == 401


def test_a_revoked_an_expired_and_an_orphaned_token_stop_working(clean_app, bidder):
    client = bidder["client"]
    revoked, expiring, orphaned = (make_token(client, name=n, days=d) for n, d in (("a", 90), ("b", 30), ("c", 365)))
    api = clean_app.test_client()
    with clean_app.app_context():
        row = db.session.execute(select(ApiToken).where(ApiToken.name == "a")).scalar_one()
        expires = db.session.execute(select(ApiToken.expires_at).where(ApiToken.name == "b")).scalar_one()
    done = post_form(client, f"/profile/tokens/{row.id}/revoke", {}, form_url="/profile/tokens", follow=True)
    assert "失効させました" in done.text
    assert api.get("/api/v1/me", headers=bearer(revoked)).status_code == 401
    assert events(clean_app, "api_token.revoked")
    with freeze_time(expires - timedelta(seconds=1)):
        assert api.get("/api/v1/me", headers=bearer(expiring)).status_code == 200
    with freeze_time(expires + timedelta(seconds=1)):
        assert api.get("/api/v1/me", headers=bearer(expiring)).status_code == 401
    assert api.get("/api/v1/me", headers=bearer(orphaned)).status_code == 200
    with clean_app.app_context():  # the user moves to another company: the token was for the old one
        db.session.get(User, bidder["user"]).company_id = make_company(clean_app)
        db.session.commit()
    assert api.get("/api/v1/me", headers=bearer(orphaned)).status_code == 401


def test_a_deactivated_user_s_token_stops_working(clean_app, bidder):
    token = make_token(bidder["client"])
    with clean_app.app_context():
        db.session.get(User, bidder["user"]).active = False
        db.session.commit()
    assert clean_app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_another_user_cannot_revoke_my_token(clean_app, bidder):
    token = make_token(bidder["client"])
    with clean_app.app_context():
        token_id = db.session.execute(select(ApiToken.id)).scalar_one()
    other = make_user(clean_app, Role.BIDDER, company_id=bidder["company"])
    client = client_of(clean_app, other)
    client.get("/profile/tokens")
    post_form(client, f"/profile/tokens/{token_id}/revoke", {}, form_url="/profile/tokens", follow=True)
    assert clean_app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_the_token_records_when_and_from_where_it_was_last_used(clean_app, bidder):
    token = make_token(bidder["client"])
    api = clean_app.test_client()
    api.get("/api/v1/me", headers=bearer(token), environ_base={"REMOTE_ADDR": "192.0.2.55"})
    with clean_app.app_context():
        row = db.session.execute(select(ApiToken)).scalar_one()
        assert row.last_used_at is not None and row.last_used_ip == "192.0.2.55"
    assert "192.0.2.55" in bidder["client"].get("/profile/tokens").text


def test_a_company_reads_only_its_own(clean_app, awarded):
    """The winner's token lists its own receipt and result; the runner-up's its own; neither sees the other."""
    t = awarded
    tokens = {}
    for key, user in (("winner", t["winner_user"]), ("runner_up", t["bidders"][0])):
        tokens[key] = make_token(client_of(clean_app, user))
    api = clean_app.test_client()
    with freeze_time(t["decided_at"] + timedelta(minutes=1)):
        winner_bids = api.get("/api/v1/me/bids", headers=bearer(tokens["winner"])).get_json()["items"]
        runner_bids = api.get("/api/v1/me/bids", headers=bearer(tokens["runner_up"])).get_json()["items"]
        winner_results = api.get("/api/v1/me/results", headers=bearer(tokens["winner"])).get_json()["items"]
        runner_results = api.get("/api/v1/me/results", headers=bearer(tokens["runner_up"])).get_json()["items"]
    assert [b["amount"] for b in winner_bids] == [8_500_000] and [b["amount"] for b in runner_bids] == [9_000_000]
    assert winner_bids[0]["receipt_number"] != runner_bids[0]["receipt_number"]
    assert winner_results[0]["outcome"] == "awarded" and runner_results[0]["outcome"] == "not_awarded"
    assert winner_results[0]["award_price"] == runner_results[0]["award_price"] == 9_350_000


def test_before_the_opening_a_receipt_has_no_amount(clean_app, auction):
    from tests.scenario import submit

    a = auction
    with freeze_time(a["during"]):
        submit(clean_app, a, 0, 9_000_000)
        token = make_token(client_of(clean_app, a["bidders"][0]))
        [receipt] = clean_app.test_client().get("/api/v1/me/bids", headers=bearer(token)).get_json()["items"]
    assert receipt["amount"] is None and receipt["status"] == "sealed" and len(receipt["fingerprint"]) == 64


@pytest.fixture
def limited(clean_app):
    config = settings.TestConfig(clean_app.config["SQLALCHEMY_DATABASE_URI"], file_storage=clean_app.config["FILE_STORAGE"])
    config.RATELIMIT_ENABLED = True
    config.API_RATE_LIMIT = "3 per minute"
    app = create_app(config)
    yield app
    app.extensions["tender_limiter"].reset()


def test_requests_are_limited_per_token_and_per_address(limited, bidder):
    token = make_token(bidder["client"])
    other = make_token(bidder["client"], name="別のシステム")
    api = limited.test_client()
    for _ in range(3):
        assert api.get("/api/v1/me", headers=bearer(token)).status_code == 200
    refused = api.get("/api/v1/me", headers=bearer(token))
    assert refused.status_code == 429 and refused.get_json()["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) > 0
    assert api.get("/api/v1/me", headers=bearer(other)).status_code == 200  # another token: its own count
    for _ in range(3):
        assert api.get("/api/v1/cases").status_code == 200
    assert api.get("/api/v1/cases").status_code == 429  # without a token: per address
    assert api.get("/api/v1/cases", environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 200


def test_a_made_up_token_is_counted_by_its_address(limited):
    """Review of issue 21: counting per *any* bearer value let a client send a new random token with
    each request and never be limited (and fill the limiter's storage). Only a token that
    authenticates has a count of its own; the API's description is limited too."""
    import secrets

    api = limited.test_client()
    for _ in range(3):
        assert api.get("/api/v1/cases", headers=bearer("tdr_" + secrets.token_urlsafe(32))).status_code == 200
    refused = api.get("/api/v1/cases", headers=bearer("tdr_" + secrets.token_urlsafe(32)))
    assert refused.status_code == 429 and refused.get_json()["code"] == "rate_limited"
    other = limited.test_client()
    for _ in range(3):
        assert other.get("/api/openapi.json", environ_base={"REMOTE_ADDR": "192.0.2.44"}).status_code == 200
    assert other.get("/api/openapi.json", environ_base={"REMOTE_ADDR": "192.0.2.44"}).status_code == 429


def test_a_revoked_token_stays_revoked_when_its_user_comes_back(clean_app, bidder):
    """Review of issue 21: deactivating a user, moving them out of the company or resetting their
    password revokes their tokens for good — reactivating the user or moving them back does not
    bring the tokens back (an account taken over is taken back with a password reset)."""
    from tender import clock
    from tender.accounts.operations import assign_company, complete_reset, issue_reset, reset_for, update_user

    deactivated, moved, reset = (make_token(bidder["client"], name=n) for n in ("a", "b", "c"))
    api = clean_app.test_client()
    with clean_app.app_context():
        admin = db.session.get(User, make_user(clean_app, Role.ADMIN))
        user = db.session.get(User, bidder["user"])
        update_user(user, {"active": False}, by=admin)
        db.session.commit()
        update_user(user, {"active": True}, by=admin)
        db.session.commit()
    for token in (deactivated, moved, reset):  # every token of the user, for good
        assert api.get("/api/v1/me", headers=bearer(token)).status_code == 401
    again = make_token(client_of(clean_app, bidder["user"]), name="d")
    with clean_app.app_context():
        user = db.session.get(User, bidder["user"])
        assign_company(user, make_company(clean_app), by=None)
        db.session.commit()
        assign_company(user, bidder["company"], by=None)
        db.session.commit()
    assert api.get("/api/v1/me", headers=bearer(again)).status_code == 401
    last = make_token(client_of(clean_app, bidder["user"]), name="e")
    with clean_app.app_context():
        user = db.session.get(User, bidder["user"])
        link = issue_reset(user, by=None, now=clock.now())
        complete_reset(reset_for(link, clock.now()), "Kaisya-Sisutemu-2026!", now=clock.now())
        db.session.commit()
    assert api.get("/api/v1/me", headers=bearer(last)).status_code == 401
    reasons = [e.summary for e in events(clean_app, "api_token.revoked")]
    assert any("deactivated" in r for r in reasons) and any("company_changed" in r for r in reasons)
    assert any("password_reset" in r for r in reasons)


def test_a_company_s_own_reads_are_not_stored_by_caches(clean_app, bidder):
    token = make_token(bidder["client"])
    response = clean_app.test_client().get("/api/v1/me/bids", headers=bearer(token))
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]

"""Small builders for tests (cf. CTFd's tests/helpers.py): each returns an id."""
from __future__ import annotations

import re
from itertools import count

from tender.accounts.models import Role
from tender.accounts.operations import create_user
from tender.companies.models import Company
from tender.companies.operations import save_company
from tender.extensions import db
from tender.rules.corporate_number import corporate_number_check_digit

PASSWORD = "Correct-Horse-42!"
#: Every officer made by make_user gets this opening passphrase (開札用パスフレーズ) unless told not to.
OPENING_PASSPHRASE = "Kaisatsu-Test-2026!"
_seq = count(1)


def make_corporate_number(n: int | None = None) -> str:
    base = f"{(n if n is not None else next(_seq)) + 700000000000:012d}"
    return f"{corporate_number_check_digit(base)}{base}"


def make_company(app, **values) -> int:
    with app.app_context():
        company = Company()
        defaults = {"name": f"テスト株式会社{next(_seq)}", "corporate_number": make_corporate_number(),
                    "address": "東京都千代田区1-1", "representative_title": "代表取締役",
                    "representative_name": "試験 太郎", "capital": 10_000_000, "employees": 20,
                    "industry": "software"}
        save_company(company, defaults | values)
        db.session.commit()
        return company.id


def make_user(app, role: Role = Role.OFFICER, email: str | None = None, password: str = PASSWORD, *,
              opening: bool = True, **attrs) -> int:
    """A user; an officer also gets OPENING_PASSPHRASE as opening passphrase (``opening=False``: none)."""
    with app.app_context():
        if role is Role.BIDDER and "company_id" not in attrs:
            attrs["company_id"] = None
        n = next(_seq)
        user = create_user(email=email or f"{role.value}{n}@example.jp", name=attrs.pop("name", f"{role.label} 利用者{n}"),
                           role=role, password=password, **attrs)
        if role is Role.OFFICER and opening:
            from tender import clock
            from tender.sealing.operations import set_passphrase

            set_passphrase(user, OPENING_PASSPHRASE, now=clock.now())
        db.session.commit()
        return user.id


def email_of(app, user_id: int) -> str:
    from tender.accounts.models import User

    with app.app_context():
        return db.session.get(User, user_id).email


def login(client, email: str, password: str = PASSWORD, follow: bool = False):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
                       follow_redirects=follow)


def login_as(client, app, role: Role = Role.OFFICER, **attrs) -> int:
    user_id = make_user(app, role, **attrs)
    response = login(client, email_of(app, user_id))
    assert response.status_code == 302, response.text
    return user_id


def post_form(client, url: str, data: dict, *, form_url: str | None = None, follow: bool = False):
    """Submit a form as a browser would: fetch the page for its CSRF token, then post."""
    page = client.get(form_url or url)
    assert page.status_code == 200, f"{form_url or url}: {page.status_code}"
    return client.post(url, data={**data, "csrf_token": csrf_from(page.text)}, follow_redirects=follow)


def events(app, action: str | None = None) -> list:
    from sqlalchemy import select

    from tender.audit.models import AuditEvent

    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.seq)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        rows = db.session.execute(stmt).scalars().all()
        db.session.expunge_all()
        return rows


def case_values(base, **overrides) -> dict:
    """A complete, publishable notice whose schedule is laid out from ``base`` (an aware datetime)."""
    from datetime import timedelta

    from tender.rules.calendar import JST
    from tender.rules.lifecycle import Procedure

    jst = base.astimezone(JST)
    day = lambda n, h=17, m=0: (jst + timedelta(days=n)).replace(hour=h, minute=m, second=0, microsecond=0)  # noqa: E731
    values = {
        "title": "令和8年度 電子調達システム運用保守業務", "procedure": Procedure.COMPREHENSIVE_ADDITION,
        "description": "電子調達システムの運用保守を行う。", "place_of_performance": "発注者の指定する場所",
        "contact_text": "財務部 契約課 03-0000-1111",
        "notice_on": jst.date(), "briefing_at": day(5, 14), "briefing_place": "オンライン",
        "briefing_registration_until": day(3), "questions_from": day(0, 9) if jst.hour >= 9 else day(0, 0),
        "questions_until": day(10), "submissions_from": day(1, 9), "submission_deadline": day(20, 12),
        "hearing_at": None, "opening_at": day(22, 10), "opening_place": "本館 入札室",
        "contract_from": (jst + timedelta(days=40)).date(), "contract_to": (jst + timedelta(days=400)).date(),
        "bid_bond": "全額免除", "performance_bond": "全額免除", "payment_terms": "検査合格後、適法な請求書を受理した月の翌月末日までに支払う。",
        "price_basis": "estimated", "estimated_price": 12_345_678, "estimated_price_tax_included": True,
        "budget_ceiling": None, "planned_party_id": None, "linked_case_id": None, "department_id": None,
    }
    values.update(overrides)
    return values


def make_case(app, officer_id: int, *, publish: bool = True, now=None, documents: int = 1, rules=(),
              officials: list[int] | None = None, **overrides) -> int:
    """A case; one that takes bids names ``officials`` as its opening officials (2 of them needed),
    by default the officer and a second officer made for it."""
    from tender import clock
    from tender.accounts.models import User
    from tender.notices import operations as ops
    from tender.rules.eligibility import RuleKind

    given = now
    values = case_values(now or _now(), **overrides)
    if values["procedure"].has_bids and "opening_officials" not in values:
        values["opening_officials"] = officials or [officer_id, make_user(app, Role.OFFICER, name="開札 二郎")]
        values.setdefault("opening_threshold", 2)
    with app.app_context():
        now = now or clock.now()
        officer = db.session.get(User, officer_id)
        case = ops.create_case(values, by=officer, now=now)
        for i in range(documents):
            ops.add_required_document(case, f"提出書類{i + 1}", 1, True, None, by=officer)
        for kind, params in rules:
            ops.add_rule(case, RuleKind(kind), params, by=officer)
        if case.procedure.has_technical_evaluation:
            from tender.criteria.operations import apply_template

            apply_template(case, by=officer)
        if publish:
            if given is None and values.get("notice_on"):
                # Published as of its 公示日's start, so that a test may travel back to any moment of
                # that day (the case is not public before it was published: issue 19).
                from datetime import datetime, time

                from tender.rules.calendar import JST

                now = min(now, datetime.combine(values["notice_on"], time.min, tzinfo=JST))
            ops.publish(case, by=officer, now=now)
        db.session.commit()
        return case.id


def _now():
    from tender import clock

    return clock.now()


def case_state(app, case_id: int):
    from tender.notices.models import ProcurementCase

    with app.app_context():
        return db.session.get(ProcurementCase, case_id).state


def visible_text(html: str) -> str:
    """A page's text as a reader sees it: tags dropped, entities decoded, whitespace runs joined."""
    import html as html_lib
    import re

    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", text))).strip()


def award_standing(client, case_id: int) -> str:
    """The award page's text: where the opened round stands (the one place that says it)."""
    response = client.get(f"/cases/{case_id}/award")
    assert response.status_code == 200
    return visible_text(response.text)


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)

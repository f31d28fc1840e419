"""The access policy: default deny, every route marked, and the role × URL matrix."""
import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from flask import Blueprint

from tender import policy
from tender.accounts.models import Role
from tests.helpers import csrf_from, login_as, make_company

PUBLIC_ENDPOINTS = {"static", "home.index", "home.health", "accounts.login", "accounts.forgot_password",
                    "accounts.reset_password", "board.index", "board.show",
                    "board.attachment", "board.blank_form", "criteria.sheet", "contracts.outcome",
                    # Issue 21: the open data and the API's public reads, and its description.
                    "ocds.index", "ocds.releases", "ocds.record", "ocds.package", "ocds.extension_metadata",
                    "ocds.extension_schema", "api_docs.index", "api_docs.openapi", "api.cases", "api.case",
                    "api.amendments", "api.answers", "api.result", "api.contracts", "api.contract"}


def test_every_route_declares_an_access_policy(app):
    missing = [rule.endpoint for rule in app.url_map.iter_rules()
               if rule.endpoint != "static" and getattr(app.view_functions[rule.endpoint], "_policy", None) is None]
    assert missing == []
    public = {rule.endpoint for rule in app.url_map.iter_rules()
              if getattr(app.view_functions[rule.endpoint], "_policy", None) == policy.PUBLIC}
    assert public == PUBLIC_ENDPOINTS - {"static"}


def test_a_view_without_policy_is_refused_before_it_runs(clean_app):
    from tender.app import create_app
    from tender.config import TestConfig

    app = create_app(TestConfig(clean_app.config["SQLALCHEMY_DATABASE_URI"]))
    ran = []
    bp = Blueprint("forgotten", __name__)

    @bp.route("/forgotten")
    def forgotten():
        ran.append(True)
        return "secret"

    app.register_blueprint(bp)
    response = app.test_client().get("/forgotten")
    assert response.status_code == 403 and ran == []


NOW = datetime(2026, 11, 22, tzinfo=UTC)


def _user(role, **kw):
    return SimpleNamespace(is_authenticated=True, is_active=True, role=role, company_id=kw.get("company_id"), id=1)


def test_unknown_action_is_denied_to_everyone():
    for role in Role:
        assert policy.can(_user(role), "no.such.action", now=NOW) is False


def test_anonymous_and_inactive_users_are_denied_everything():
    anonymous = SimpleNamespace(is_authenticated=False, is_active=False)
    inactive = SimpleNamespace(is_authenticated=True, is_active=False, role=Role.ADMIN)
    for action in policy.actions():
        assert policy.can(anonymous, action, now=NOW) is False
        assert policy.can(inactive, action, now=NOW) is False
        assert policy.can(None, action, now=NOW) is False


def test_a_bidder_sees_only_its_own_company():
    own, other = SimpleNamespace(id=7), SimpleNamespace(id=8)
    bidder = _user(Role.BIDDER, company_id=7)
    assert policy.can(bidder, "companies.view", own, NOW)
    assert policy.can(bidder, "companies.edit_profile", own, NOW)
    assert not policy.can(bidder, "companies.view", other, NOW)
    assert not policy.can(bidder, "companies.manage_standing", own, NOW)
    assert not policy.can(bidder, "companies.list", None, NOW)


# Role × URL: what each role gets for each page (after log-in). 200 = allowed, 403 = refused.
# {company} is the bidder's own company, {other} another one; {child} is a contact,
# qualification or suspension of {company}, as the path says.
A, O, B, E, U = Role.ADMIN, Role.OFFICER, Role.BIDDER, Role.EVALUATOR, Role.AUDITOR


def row(*allowed, ok=200):
    return {r: (ok if r in allowed else 403) for r in Role}


#: The API's own-company reads open with a token only (tests/api/test_tokens.py is their token
#: matrix): a logged-in session, whatever its role, gets 401.
TOKEN_ONLY = {r: 401 for r in Role}

MATRIX = {
    "/home": row(*Role),
    "/profile/tokens": row(B),
    "/api/v1/me": TOKEN_ONLY,
    "/api/v1/me/registrations": TOKEN_ONLY,
    "/api/v1/me/questions": TOKEN_ONLY,
    "/api/v1/me/bids": TOKEN_ONLY,
    "/api/v1/me/results": TOKEN_ONLY,
    "/profile": row(*Role),
    "/profile/password": row(*Role),
    "/profile/opening-key": row(O),
    "/admin/users": row(A),
    "/admin/users/new": row(A),
    "/admin/users/{user}": row(A),
    "/companies": row(A, O, U),
    "/companies/new": row(A, O),
    "/companies/{company}": row(A, O, U, B),
    "/companies/{other}": row(A, O, U),
    "/companies/{company}/edit": row(A, O, B),
    "/companies/{other}/edit": row(A, O),
    "/companies/{company}/contacts/new": row(A, O, B),
    "/companies/{company}/contacts/{child}": row(A, O, B),
    "/companies/{other}/contacts/new": row(A, O),
    "/companies/{company}/qualifications/new": row(A, O),
    "/companies/{company}/qualifications/{child}": row(A, O),
    "/companies/{company}/suspensions/new": row(A, O),
    "/companies/{company}/suspensions/{child}": row(A, O),
    "/companies/{company}/credit-events/new": row(A, O),
    "/companies/{company}/credit-events/{child}": row(A, O),
    "/authority": row(A, O, U, E),
    "/authority/edit": row(A),
    "/authority/departments/new": row(A),
    "/authority/departments/{department}": row(A),
    "/authority/departments/{department}/contacts/new": row(A),
    "/authority/departments/{department}/contacts/{dcontact}": row(A),
    "/audit": row(U),
    "/audit/cases": row(U),
    "/audit/cases/{case}": row(U),
    "/audit/cases/{case}/events.csv": row(U),
    "/audit/cases/{case}/events.xlsx": row(U),
    "/audit/cases/{case}/events.pdf": {r: (404 if r is U else 403) for r in Role},  # not a format of events
    "/audit/cases/{case}/summary.pdf": row(U),
    "/audit/events/{seq}": row(U),
    "/audit/cases/{case}/file-exports/{export}.zip": {r: (404 if r is U else 403) for r in Role},  # no such export
    "/notifications": row(*Role),
    "/notifications/settings": row(*Role),
    "/admin/mail": row(A),
    "/admin/jobs": row(A),
    "/notices": row(*Role),
    "/notices/{case}": row(*Role),
    "/notices/{case}/questions/new": row(B),
    "/notices/{case}/briefing": row(B),
    "/notices/{draft}": {r: 404 for r in Role},  # a draft does not exist publicly
    "/cases": row(O, U),
    "/cases/new": row(O),
    "/cases/{case}": row(O, U),
    "/cases/{draft}": row(O, U),
    "/cases/{draft}/edit": row(O),
    "/cases/{case}/amend": row(O),
    "/cases/{case}/questions/{question}/answer": row(O),
    "/cases/{case}/briefing.csv": row(O, U),
    "/notices/{pc}/participation": row(B),
    "/notices/{case}/participation": {r: (404 if r is B else 403) for r in Role},  # not a 事前確認公募
    "/cases/{pc}/participations/{participation}": row(O),
    "/cases/{pc}/participations/{participation}/file": {r: (404 if r is O else 403) for r in Role},  # no file
    "/notices/{case}/bid": row(B),
    "/notices/{case}/bid/receipt": row(B, ok=302),  # nothing submitted yet: to the form
    "/cases/{case}/opening": row(O, U),
    "/notices/{case}/bid/{bid}/receipt.pdf": {r: (404 if r is B else 403) for r in Role},  # no such bid
    "/cases/{case}/opening/{round}/record.pdf": {r: (404 if r in (O, U) else 403) for r in Role},  # not opened
    "/cases/{case}/criteria": row(O, U),
    "/cases/{case}/criteria/{criterion}/edit": {r: (404 if r is O else 403) for r in Role},  # no such item
    "/cases/{case}/panel": row(O, U),
    "/cases/{case}/review": {r: 403 for r in Role},  # nobody is assigned
    "/cases/{case}/review/{bid}": {r: 403 for r in Role},
    "/cases/{case}/consensus": row(O, U),
    "/cases/{case}/consensus/{bid}": {r: (404 if r in (O, U) else 403) for r in Role},  # no such bid
    "/cases/{case}/proposals/{bid}/files/{file}": {r: (404 if r in (O, U) else 403) for r in Role},
    "/cases/{case}/hearing/{note}/file": {r: (404 if r in (O, U) else 403) for r in Role},  # no such note
    "/cases/{case}/award": row(O, U),
    "/cases/{case}/award/score-sheet.pdf": {r: (404 if r in (O, U) else 403) for r in Role},  # not opened
    "/cases/{case}/award/evaluation-case.json": {r: (404 if r in (O, U) else 403) for r in Role},
    "/cases/{case}/award/notice.pdf": {r: (404 if r in (O, U) else 403) for r in Role},  # no award
    "/notices/{case}/results": {r: (404 if r is B else 403) for r in Role},  # not a bidder of the case
    # {contract} is a draft contract of {ccase} with the bidder's own company; {ocontract} with another company.
    "/cases/{ccase}/contract": row(O, U, ok=302),  # to the contract
    "/contracts": row(O, U),
    "/mine": row(B),
    "/notices/{case}/outcome": {r: 404 for r in Role},  # not decided: no result yet
    "/contracts/publication.csv": row(O, U),
    "/contracts/{contract}": row(O, U, B),
    "/contracts/{ocontract}": row(O, U),
    "/contracts/{contract}/versions/1.pdf": row(O, U, B),
    "/contracts/{ocontract}/versions/1.pdf": row(O, U),
    "/contracts/{contract}/signed-file": {r: (404 if r in (O, U, B) else 403) for r in Role},  # not signed
    "/contracts/{contract}/changes/1.pdf": {r: (404 if r in (O, U, B) else 403) for r in Role},  # no change
    "/contracts/{contract}/deliveries/{delivery}/files/{file}": {r: (404 if r in (O, U, B) else 403) for r in Role},
    # The confirmation pages of irreversible steps (issue 19): the GET of the step's own URL.
    "/cases/{draft}/publish": row(O),
    "/cases/{case}/award/decide": row(O, ok=302),  # nothing to decide yet: back to the award page
    "/contracts/{contract}/sign": row(O),
    "/cases/{case}/consensus/signoff": row(),  # only the chair of the case's panel
    "/cases/{case}/opening/confirm": row(O, ok=302),  # no opening requested: back to the opening page
}
# POST-only routes, checked for refusal by the roles that may not use them.
POST_ONLY = {
    "/profile/tokens/{token}/revoke": {A, O, E, U},
    "/logout": set(),
    "/admin/users/{user}/unlock": {O, B, E, U},
    "/admin/mail/{mail}/retry": {O, B, E, U},
    "/admin/jobs/{run}/retry": {O, B, E, U},
    "/companies/{company}/contacts/{child}/delete": {E, U},
    "/companies/{other}/contacts/{child}/delete": {B, E, U},
    "/audit/verify": {A, O, B, E},
    "/audit/cases/{case}/file-exports": {A, O, B, E},
    "/notices/{case}/register": {A, O, E, U},
    "/notices/{case}/amendments/{amendment}/acknowledge": {A, O, E, U},
    "/cases/{draft}/publish": {A, B, E, U},
    "/cases/{case}/cancel": {A, B, E, U},
    "/cases/{case}/copy": {A, B, E, U},
    "/cases/{draft}/documents": {A, B, E, U},
    "/cases/{draft}/documents/{doc}/delete": {A, B, E, U},
    "/cases/{draft}/rules": {A, B, E, U},
    "/cases/{draft}/rules/{rule}/delete": {A, B, E, U},
    "/cases/{case}/close-submissions": {A, B, E, U},
    "/cases/{pc}/conclude": {A, B, E, U},
    "/cases/{draft}/attachments": {A, B, E, U},
    "/cases/{case}/registrations/{registration}": {A, B, E, U},
    "/notices/{case}/bid/decline": {A, O, E, U},
    "/cases/{case}/opening/request": {A, B, E, U},
    "/cases/{case}/opening/confirm": {A, B, E, U},
    "/cases/{case}/opening/withdraw": {A, B, E, U},
    "/cases/{case}/officials": {A, B, E, U},
    "/admin/users/{user}/password-link": {O, B, E, U},
    "/companies/{company}/members/{user}/approve": {A, O, E, U},
    "/companies/{company}/members/{user}/refuse": {A, O, E, U},
    "/contracts/{contract}/deliveries/{delivery}/claim": {A, B, E, U},
    "/cases/{case}/proposals/release": {A, B, E, U},
    "/profile/opening-key/replace": {A, B, E, U},
    "/cases/{case}/bids/{bid}/invalid": {A, B, E, U},
    "/cases/{draft}/criteria": {A, B, E, U},
    "/cases/{draft}/criteria/template": {A, B, E, U},
    "/cases/{draft}/criteria/{criterion}/delete": {A, B, E, U},
    "/cases/{draft}/criteria/allocation": {A, B, E, U},
    "/cases/{draft}/criteria/{criterion}/ranks": {A, B, E, U},
    "/cases/{case}/panel/assign": {A, B, E, U},
    "/cases/{case}/panel/{assignment}/remove": {A, B, E, U},
    "/cases/{case}/panel/hearing": {A, B, E, U},
    "/cases/{case}/review/declare": set(Role),
    "/cases/{case}/review/submit": set(Role),
    "/cases/{case}/consensus/signoff": set(Role),
    "/cases/{case}/award/decide": {A, B, E, U},
    "/cases/{case}/award/hold": {A, B, E, U},
    "/cases/{case}/award/conclude": {A, B, E, U},
    "/cases/{case}/award/lottery": {A, B, E, U},
    "/cases/{case}/award/rebid": {A, B, E, U},
    "/cases/{case}/award/no-award": {A, B, E, U},
    "/contracts/{contract}/revise": {A, B, E, U},
    "/contracts/{contract}/extend": {A, B, E, U},
    "/contracts/{contract}/lapse": {A, B, E, U},
    "/contracts/{contract}/sign": {A, B, E, U},
    "/contracts/{contract}/rules": {A, B, E, U},
    "/contracts/{contract}/rules/{rule}/delete": {A, B, E, U},
    "/contracts/{contract}/incidents": {A, B, E, U},
    "/contracts/{ocontract}/deliverables/{deliverable}/deliver": {A, B, E, U},
    "/contracts/{contract}/deliveries/{delivery}/inspect": {A, B, E, U},
    "/contracts/{contract}/invoices": {A, B, E, U},
    "/contracts/{contract}/invoices/{invoice}/paid": {A, B, E, U},
    "/contracts/{contract}/publish": {A, B, E, U},
    "/contracts/{contract}/complete": {A, B, E, U},
    "/contracts/{contract}/changes": {A, B, E, U},
    "/contracts/{contract}/settlement": {A, B, E, U},
    "/cases/{case}/award/revoke": {A, B, E, U},
    "/contracts/{contract}/subcontracts": {A, E, U},
    "/contracts/{contract}/subcontracts/{subcontract}/decide": {A, B, E, U},
    "/contracts/{contract}/defects": {A, B, E, U},
    "/contracts/{contract}/defects/{claim}/notified": {A, B, E, U},
    "/contracts/{contract}/defects/{claim}/resolved": {A, B, E, U},
}


NAMES = {"company": "company", "user": "user", "child": "child", "department": "department", "contact": "dcontact",
         "case": "case", "question": "question", "amendment": "amendment", "doc": "doc", "rule": "rule",
         "participation": "participation", "registration": "registration", "bid": "bid",
         "round": "round", "criterion": "criterion", "assignment": "assignment", "file": "file",
         "note": "note", "contract": "contract", "item": "deliverable", "delivery": "delivery", "invoice": "invoice",
         "claim": "claim", "subcontract": "subcontract", "mail": "mail", "run": "run", "export": "export",
         "token": "token"}


def _template(rule: str) -> str:
    return (re.sub(r"<int:(\w+)_id>", lambda m: "{" + NAMES[m.group(1)] + "}", rule).replace("<ext>", "pdf")
            .replace("<int:number>", "{number}").replace("<int:seq>", "{seq}"))


def test_matrix_covers_every_route(app):
    covered = {p.replace("{other}", "{company}").replace("{draft}", "{case}").replace("{pc}", "{case}")
               .replace("{ocontract}", "{contract}").replace("{ccase}", "{case}")
               .replace("events.csv", "events.pdf").replace("events.xlsx", "events.pdf").replace("versions/1.pdf", "versions/{number}.pdf").replace("changes/1.pdf", "changes/{number}.pdf")
               for p in list(MATRIX) + list(POST_ONLY)}
    routes = {_template(rule.rule) for rule in app.url_map.iter_rules()
              if rule.endpoint != "static" and app.view_functions[rule.endpoint]._policy != policy.PUBLIC}
    assert routes - covered == set()


def _world(app, role):
    from tender.companies.models import CompanyContact, CreditEvent, Qualification, QualificationCategory, Suspension
    from tender.extensions import db
    from tender.organisations.models import Authority, Department, DepartmentContact

    company, other = make_company(app), make_company(app)
    with app.app_context():
        children = {}
        for kind, obj in {
            "contacts": CompanyContact(company_id=company, name="担当 一郎"),
            "qualifications": Qualification(company_id=company, category=QualificationCategory.SERVICES, grade="A",
                                            regions=["関東・甲信越"], valid_from_fy=2025, valid_to_fy=2027),
            "suspensions": Suspension(company_id=company, issuer="某省", starts_on=date(2026, 1, 1),
                                      ends_on=date(2026, 2, 1), reason="試験"),
            "credit-events": CreditEvent(company_id=company, kind="other", starts_on=date(2026, 1, 1), reason="試験"),
        }.items():
            db.session.add(obj)
            db.session.flush()
            children[kind] = obj.id
        authority = Authority(name="試験機構")
        dept = Department(authority=authority, name="契約課")
        dcontact = DepartmentContact(department=dept, name="係 一郎")
        db.session.add_all([authority, dept, dcontact])
        db.session.commit()
        ids = {"company": company, "other": other, "department": dept.id, "dcontact": dcontact.id}
    return ids, children


def _url(path, ids, children):
    child = next((children[k] for k in children if f"/{k}/" in path), None)
    return path.format(**ids, child=child)


def _cases(app, owner):
    from tender.extensions import db
    from tender.notices.models import Amendment, CaseRegistration, Participation, ProcurementCase, Question
    from tender.rules.lifecycle import Procedure
    from tests.helpers import make_case

    case = make_case(app, owner, rules=[("sme", {})])
    draft = make_case(app, owner, publish=False, rules=[("sme", {})])
    with app.app_context():
        published = db.session.get(ProcurementCase, case)
        created = published.created_at
        company = make_company(app)
        question = Question(case_id=case, number=1, company_id=company, asked_by_id=owner, asked_at=published.created_at,
                            document="仕様書", body="質問")
        amendment = Amendment(case_id=case, number=1, made_at=published.created_at, made_by_id=owner, summary="訂正", changes={})
        db.session.add_all([question, amendment])
        db.session.commit()
        registration = CaseRegistration(case_id=case, company_id=company, registered_at=published.created_at,
                                        registered_by_id=owner)
        db.session.add(registration)
        db.session.commit()
        d = db.session.get(ProcurementCase, draft)
        ids = {"case": case, "draft": draft, "question": question.id, "amendment": amendment.id,
               "doc": d.required_documents[0].id, "rule": d.eligibility_rules[0].id, "registration": registration.id}
    pc = make_case(app, owner, procedure=Procedure.PRIOR_CONFIRMATION, planned_party_id=company, opening_at=None)
    with app.app_context():
        row = Participation(case_id=pc, company_id=make_company(app), submitted_by_id=owner,
                            submitted_at=created, business_summary="概要", handlers_secret="[]",
                            structure_secret="[]")
        db.session.add(row)
        db.session.commit()
        ids.update(pc=pc, participation=row.id, bid=999_999, round=999_999, criterion=999_999, assignment=999_999,
                   file=999_999, note=999_999, mail=999_999, run=999_999, export=999_999, token=999_999)
    return ids


def _contracts(app, owner, ids):
    """Two draft contracts of a case of their own (rows as the award would leave them): one with the bidder's company."""
    from tender.award.models import AwardDecision
    from tender.bidding.models import Bid, BidRound
    from tender.contracts.models import Contract, ContractVersion, Deliverable, Invoice
    from tender.extensions import db
    from tender.notices.models import ProcurementCase
    from tests.helpers import make_case

    case_id = make_case(app, owner)
    with app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        at = case.created_at
        bid_round = BidRound(case_id=case.id, number=1)
        db.session.add(bid_round)
        db.session.flush()
        out = {"ccase": case_id, "seq": 1}
        for key, company in (("contract", ids["company"]), ("ocontract", ids["other"])):
            bid = Bid(case_id=case.id, round_id=bid_round.id, company_id=company, submitted_by_id=owner, submitted_at=at,
                      receipt_number=f"R-{key}", sealed_payload="x", fingerprint="0" * 64,
                      amount=1_000_000)
            db.session.add(bid)
            db.session.flush()
            decision = AwardDecision(case_id=case.id, round_id=bid_round.id, kind="award", bid_id=bid.id, grounds="試験",
                                     standing={}, decided_by_id=owner, decided_at=at)
            db.session.add(decision)
            db.session.flush()
            contract = Contract(case_id=case.id, award_decision_id=decision.id, bid_id=bid.id, company_id=company,
                                period_from=case.contract_from, period_to=case.contract_to, amount_excl=1_000_000,
                                tax=100_000, amount_total=1_100_000, submission_deadline=case.contract_from,
                                created_at=at, created_by_id=owner)
            db.session.add(contract)
            db.session.flush()
            from tender.contracts.operations import _default_clauses

            db.session.add(ContractVersion(contract_id=contract.id, number=1, created_at=at, created_by_id=owner, note="",
                                           terms={"period_from": case.contract_from.isoformat(),
                                                  "period_to": case.contract_to.isoformat(), "amount_excl": 1_000_000,
                                                  "inspection_days": 30, "clauses": _default_clauses()}))
            item = Deliverable(contract_id=contract.id, title="報告書", due_on=case.contract_to)
            db.session.add(item)
            db.session.flush()
            out[key] = contract.id
            if key == "contract":
                invoice = Invoice(contract_id=contract.id, amount=1, received_on=case.contract_from,
                                  due_on=case.contract_to, recorded_by_id=owner, recorded_at=at)
                db.session.add(invoice)
                db.session.flush()
                out.update(deliverable=item.id, invoice=invoice.id, delivery=999_999, claim=999_999, subcontract=999_999)
        db.session.commit()
    return out


@pytest.mark.parametrize("role", list(Role))
def test_role_url_matrix(client, clean_app, role):
    from tests.helpers import make_user

    ids, children = _world(clean_app, role)
    ids["user"] = login_as(client, clean_app, role, company_id=ids["company"] if role is Role.BIDDER else None)
    owner = ids["user"] if role is Role.OFFICER else make_user(clean_app, Role.OFFICER)
    ids.update(_cases(clean_app, owner))
    ids.update(_contracts(clean_app, owner, ids))
    for path, expected in MATRIX.items():
        url = _url(path, ids, children)
        assert client.get(url).status_code == expected[role], (role, url)
    for path, refused in POST_ONLY.items():
        if role in refused:
            token = csrf_from(client.get("/home").text)
            url = _url(path, ids, children)
            assert client.post(url, data={"csrf_token": token}).status_code in (403, 404), (role, url)


@pytest.mark.parametrize("path", [p for p in MATRIX if "{" not in p and p != "/notices" and not p.startswith("/api/")]
                         + ["/admin/users/1", "/companies/1", "/cases/1"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", [p for p in MATRIX if p.startswith("/api/")])
def test_anonymous_api_callers_get_a_json_401(client, path):
    """An API client is not sent to a log-in page it cannot use: 401, a Bearer challenge, JSON."""
    response = client.get(path)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["code"] == "unauthorized"

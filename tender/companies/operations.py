"""Changes to companies, each recorded in the audit trail (the caller commits)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tender.accounts.models import User
from tender.audit.operations import apply_changes, record
from tender.companies.models import Company, CompanyContact, CreditEvent, Qualification, Suspension
from tender.extensions import db
from tender.rules.eligibility import CreditEventFact
from tender.rules.errors import OperationError
from tender.rules.sme import PRINCIPAL_INDUSTRY_CHOICES, Industry, needs_principal_industry

COMPANY_FIELDS = ["name", "name_kana", "corporate_number", "postal_code", "address",
                  "representative_title", "representative_name", "capital", "employees",
                  "industry", "principal_industry", "legal_form", "phone", "fax", "website"]
QUALIFICATION_FIELDS = ["category", "grade", "regions", "valid_from_fy", "valid_to_fy", "certificate_number", "pending",
                        "granted_on"]
SUSPENSION_FIELDS = ["issuer", "starts_on", "ends_on", "reason"]
CREDIT_EVENT_FIELDS = ["kind", "starts_on", "ends_on", "reason"]
CONTACT_FIELDS = ["name", "title", "phone", "email"]
CONFIDENTIAL = {"phone", "email"}


class CompanyError(OperationError):
    """A Japanese message; nothing was changed."""


class DuplicateCorporateNumber(OperationError):
    """Another company has this 法人番号."""

    field = "corporate_number"


def _check_unique_number(number: str, company: Company | None) -> None:
    other = db.session.execute(
        select(Company).where(Company.corporate_number == number)
    ).scalar_one_or_none()
    if other is not None and other is not company:
        raise DuplicateCorporateNumber(f"法人番号 {number} の事業者は既に登録されています（{other.name}）。")


def save_company(company: Company, values: dict[str, Any]) -> dict:
    industry = values.get("industry", company.industry)
    if industry and industry in {i.value for i in Industry}:
        if needs_principal_industry(industry):
            if not values.get("principal_industry", company.principal_industry):
                raise CompanyError("この業種（組合・財団・社団法人・特定非営利活動法人など）は、主たる業種（①～⑧）で"
                                   "中小企業等を判定します。主たる業種を選んでください。", field="principal_industry")
        elif "principal_industry" in values:
            values = {**values, "principal_industry": None}  # only ⑫～⑮ have one
    principal = values.get("principal_industry")
    if principal and principal not in {code for code, _ in PRINCIPAL_INDUSTRY_CHOICES}:
        raise CompanyError("主たる業種は①～⑧から選んでください。", field="principal_industry")
    if "corporate_number" in values:
        _check_unique_number(values["corporate_number"], company)
    try:
        return apply_changes(company, values, COMPANY_FIELDS, action="company")
    except IntegrityError as exc:  # registered at the same moment by someone else
        raise DuplicateCorporateNumber(
            f"法人番号 {values.get('corporate_number')} の事業者は既に登録されています。") from exc


def save_qualification(q: Qualification, values: dict[str, Any]) -> dict:
    """A qualification that was 申請中 and is now granted needs the day it was granted: a bid made on
    condition counts only if the qualification was granted by the opening (入札心得第9条)."""
    if values.get("pending"):
        values["granted_on"] = None
    elif q.pending and values.get("granted_on") is None:
        raise CompanyError("申請中だった資格を認められた資格にするには、資格が認められた日（結果の通知日）を入力してください。")
    return apply_changes(q, values, QUALIFICATION_FIELDS, action="qualification", company_id=q.company_id)


def save_suspension(s: Suspension, values: dict[str, Any]) -> dict:
    return apply_changes(s, values, SUSPENSION_FIELDS, action="suspension", company_id=s.company_id)


def save_credit_event(e: CreditEvent, values: dict[str, Any]) -> dict:
    """経営の状況・信用度の事実 [000 応募要件(6)、002 2.(5)]: checked by the rules' own fact type."""
    try:
        CreditEventFact(values["kind"], values["starts_on"], values["ends_on"])
    except (TypeError, ValueError) as exc:
        raise CompanyError(str(exc)) from exc
    return apply_changes(e, values, CREDIT_EVENT_FIELDS, action="credit_event", company_id=e.company_id)


def save_contact(c: CompanyContact, values: dict[str, Any]) -> dict:
    return apply_changes(c, values, CONTACT_FIELDS, action="company_contact", confidential=CONFIDENTIAL,
                company_id=c.company_id)


def remove_contact(c: CompanyContact) -> None:
    record("company_contact.deleted", c, summary={"company_id": c.company_id, "name": c.name})
    db.session.delete(c)


def record_contacts_viewed(company: Company, contacts: list[CompanyContact] | None = None) -> None:
    """Contacts' phone numbers and e-mail addresses are personal data: each view is recorded."""
    contacts = company.contacts if contacts is None else contacts
    if contacts:
        record("company_contact.viewed", company,
               summary={"contacts": [c.id for c in contacts], "fields": sorted(CONFIDENTIAL)})


# --- members waiting for approval (issue 13 item 8) --------------------------------------------

class MembershipError(OperationError):
    """A Japanese message; nothing was changed."""


def pending_members(company: Company) -> list:
    return db.session.execute(select(User).where(User.pending_company_id == company.id, User.active.is_(True))
                              .order_by(User.id)).scalars().all()


def decide_member(company: Company, user, approve: bool, *, by) -> None:
    """A member of the company lets a user the administrator assigned into it, or refuses."""
    if user.pending_company_id != company.id:
        raise MembershipError("この利用者は承認を待っていません。")
    if by.company_id != company.id or by.acts_as_agent:
        raise MembershipError("承認は、この事業者の利用者（代理人を除く）が行います。")
    user.pending_company_id = None
    if approve:
        user.company_id = company.id
    record("company.member_approved" if approve else "company.member_refused", user, actor=by,
           summary={"company_id": company.id, "user_id": user.id})

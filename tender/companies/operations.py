"""Changes to companies, each recorded in the audit trail (the caller commits)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tender.audit.operations import apply_changes, record
from tender.companies.models import Company, CompanyContact, Qualification, Suspension
from tender.extensions import db

COMPANY_FIELDS = ["name", "name_kana", "corporate_number", "postal_code", "address",
                  "representative_title", "representative_name", "capital", "employees",
                  "industry", "phone", "website"]
QUALIFICATION_FIELDS = ["category", "grade", "regions", "valid_from_fy", "valid_to_fy", "certificate_number"]
SUSPENSION_FIELDS = ["issuer", "starts_on", "ends_on", "reason"]
CONTACT_FIELDS = ["name", "title", "phone", "email"]
CONFIDENTIAL = {"phone", "email"}


class DuplicateCorporateNumber(ValueError):
    pass


def _check_unique_number(number: str, company: Company | None) -> None:
    other = db.session.execute(
        select(Company).where(Company.corporate_number == number)
    ).scalar_one_or_none()
    if other is not None and other is not company:
        raise DuplicateCorporateNumber(f"法人番号 {number} の事業者は既に登録されています（{other.name}）。")


def save_company(company: Company, values: dict[str, Any]) -> dict:
    if "corporate_number" in values:
        _check_unique_number(values["corporate_number"], company)
    try:
        return apply_changes(company, values, COMPANY_FIELDS, action="company")
    except IntegrityError as exc:  # registered at the same moment by someone else
        raise DuplicateCorporateNumber(
            f"法人番号 {values.get('corporate_number')} の事業者は既に登録されています。") from exc


def save_qualification(q: Qualification, values: dict[str, Any]) -> dict:
    return apply_changes(q, values, QUALIFICATION_FIELDS, action="qualification", company_id=q.company_id)


def save_suspension(s: Suspension, values: dict[str, Any]) -> dict:
    return apply_changes(s, values, SUSPENSION_FIELDS, action="suspension", company_id=s.company_id)


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

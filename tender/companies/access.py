"""Who may see and maintain companies.

Officers and the administrator maintain every company; auditors read them; a bidder
sees and corrects its own company's profile, but not its qualifications or suspensions,
which the authority records from official notices.
"""
from tender.accounts.models import Role
from tender.policy import rule

_STAFF = {Role.OFFICER, Role.ADMIN}


def _own_company(user, company) -> bool:
    return user.role is Role.BIDDER and company is not None and user.company_id == company.id


@rule("companies.list")
def _list(user, obj, now):
    return user.role in _STAFF | {Role.AUDITOR}


@rule("companies.view")
def _view(user, company, now):
    return user.role in _STAFF | {Role.AUDITOR} or _own_company(user, company)


@rule("companies.create")
def _create(user, obj, now):
    return user.role in _STAFF


@rule("companies.edit_profile")
def _edit_profile(user, company, now):
    return user.role in _STAFF or _own_company(user, company)


@rule("companies.manage_standing")
def _standing(user, company, now):
    """全省庁統一資格 and 指名停止: recorded by the authority only."""
    return user.role in _STAFF


@rule("companies.approve_members")
def _approve(user, company, now):
    """Let a user the administrator assigned into the company: its own members (not an agent)."""
    return _own_company(user, company) and not user.acts_as_agent

"""Who may see and do what with procurement cases.

予定価格 is the sharpest rule here: until the opening only the officers of that case see
it [002 §1]; nobody else — other officers, auditors, the administrator — sees it before.
"""
from tender.accounts.models import Role
from tender.policy import rule
from tender.rules.lifecycle import CaseState

#: States in which the opening has taken place.
OPENED_STATES = {CaseState.OPENED, CaseState.AWARDED, CaseState.CONTRACTED, CaseState.CLOSED}


def _bidder(user) -> bool:
    return user.role is Role.BIDDER and user.company_id is not None


def _case_officer(user, case) -> bool:
    return user.role is Role.OFFICER and case is not None and case.is_officer(user)


def _public(case, now) -> bool:
    return case is not None and case.is_public_at(now)


@rule("cases.list")
def _list(user, obj, now):
    return user.role in {Role.OFFICER, Role.AUDITOR}


@rule("cases.create")
def _create(user, obj, now):
    return user.role is Role.OFFICER


@rule("cases.view")
def _view(user, case, now):
    """The case's internal page: officers and auditors (drafts included)."""
    return user.role in {Role.OFFICER, Role.AUDITOR}


@rule("cases.manage")
def _manage(user, case, now):
    """Edit, publish, amend, cancel, answer questions: the officers of the case."""
    return _case_officer(user, case)


@rule("cases.view_estimated_price")
def _estimated_price(user, case, now):
    if _case_officer(user, case):
        return True
    return case is not None and case.state in OPENED_STATES and user.role in {Role.OFFICER, Role.AUDITOR}


@rule("cases.view_registrants")
def _registrants(user, case, now):
    """Who registered, asked or will attend: the case's officers and auditors."""
    return _case_officer(user, case) or user.role is Role.AUDITOR


@rule("notices.take_part")
def _take_part(user, case, now):
    """Register, ask, attend the briefing, acknowledge amendments: a bidder, on a public case.

    Periods are checked by the operations, which explain a late attempt in Japanese.
    """
    return _bidder(user) and _public(case, now)


@rule("cases.view_personal_data")
def _personal_data(user, case, now):
    """情報取扱者名簿 and similar: the officers of that case only, each view recorded."""
    return _case_officer(user, case)

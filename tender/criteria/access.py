from tender.accounts.models import Role
from tender.notices.access import _case_officer
from tender.policy import rule


@rule("criteria.view")
def _view(user, case, now):
    """The case's 評価項目一覧 as officers and auditors see it (bidders get it with the notice)."""
    return user.role in {Role.OFFICER, Role.AUDITOR}


@rule("criteria.edit")
def _edit(user, case, now):
    return _case_officer(user, case)

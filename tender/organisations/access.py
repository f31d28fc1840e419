"""The authority's own organisation: read by staff and auditors, kept by the administrator."""
from tender.accounts.models import Role
from tender.policy import rule


@rule("authority.view")
def _view(user, obj, now):
    return user.role in {Role.OFFICER, Role.ADMIN, Role.AUDITOR, Role.EVALUATOR}


@rule("authority.manage")
def _manage(user, obj, now):
    return user.role is Role.ADMIN

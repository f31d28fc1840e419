from tender.accounts.models import Role
from tender.policy import rule


@rule("audit.view")
def _view(user, obj, now):
    """The trail is read by auditors: read-only, every case, every decision."""
    return user.role is Role.AUDITOR

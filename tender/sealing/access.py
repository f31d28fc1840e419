"""Who may do what with opening keys."""
from tender.accounts.models import Role
from tender.policy import rule


@rule("opening_key.manage")
def _manage(user, obj, now):
    """An officer sets or changes their own opening passphrase (nobody else's: there is no rule for that)."""
    return user.role is Role.OFFICER

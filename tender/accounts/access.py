"""Who may do what with accounts."""
from tender.accounts.models import Role
from tender.accounts.tokens import may_hold_tokens
from tender.policy import rule


@rule("home.view")
def _home(user, obj, now):
    return True


@rule("profile.edit")
def _profile(user, obj, now):
    return True


@rule("users.manage")
def _users_manage(user, obj, now):
    return user.role is Role.ADMIN


@rule("mail.manage")
def _mail_manage(user, obj, now):
    """The administrator sees the mail that could not be delivered (recipient, subject, error; never
    the body, which may hold a password link) and sends it again."""
    return user.role is Role.ADMIN


@rule("jobs.manage")
def _jobs_manage(user, obj, now):
    """The administrator sees the queued jobs' runs (failed ones with their error) and runs one again."""
    return user.role is Role.ADMIN


@rule("api_tokens.manage")
def _api_tokens(user, obj, now):
    """A bidder who belongs to a company makes and revokes tokens for its own systems (issue 21)."""
    return may_hold_tokens(user)


@rule("api.own")
def _api_own(user, obj, now):
    """The API's own-company reads (registrations, questions, receipts, results): the token's user."""
    return may_hold_tokens(user)

"""Who may do what with sealed bids.

Nobody reads an amount before the opening: no rule here grants it, and no code could — the
amounts are sealed in the bidder's browser to a key that exists only as shares of the case's
opening officials (tender/sealing). The administrator has no rule at all.
"""
from tender.accounts.models import Role
from tender.notices.access import _case_officer
from tender.policy import rule


@rule("bids.submit")
def _submit(user, case, now):
    """A company's user (or its agent) on a published case that takes bids."""
    return (user.role is Role.BIDDER and user.company_id is not None and case is not None
            and case.is_public_at(now) and case.procedure.has_bids)


@rule("bids.view_opening")
def _view_opening(user, case, now):
    """The opening page: officers and auditors (amounts appear only once opened)."""
    return user.role in {Role.OFFICER, Role.AUDITOR}


@rule("bids.view_bidders")
def _view_bidders(user, bid_round, now):
    """Who has bid in a round, and how many: nobody before its submission deadline (issue 13 item 6);
    officers and auditors after it."""
    deadline = bid_round.submission_deadline if bid_round is not None else None
    return user.role in {Role.OFFICER, Role.AUDITOR} and deadline is not None and now > deadline


@rule("bids.request_opening")
def _request(user, case, now):
    """Request the opening, mark invalid bids, start a re-bid, draw the lottery: the case's officers."""
    return _case_officer(user, case)


@rule("bids.confirm_opening")
def _confirm(user, case, now):
    """Give a share at a ceremony (confirm an opening, release proposals): an officer; the operation
    accepts only the case's opening officials, who alone hold shares."""
    return user.role is Role.OFFICER

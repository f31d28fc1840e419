"""Who may do what with sealed bids.

Nobody reads an amount before the opening: no rule here grants it, and the amounts do not
exist in clear before then (tender/bidding/sealing.py). The administrator has no rule at all.
"""
from tender.accounts.models import Role
from tender.notices.access import _case_officer
from tender.policy import rule


@rule("bids.submit")
def _submit(user, case, now):
    """A company's user (or its agent) on a published case that takes bids."""
    return (user.role is Role.BIDDER and user.company_id is not None and case is not None
            and case.state.is_public and case.procedure.has_bids)


@rule("bids.view_opening")
def _view_opening(user, case, now):
    """The opening page: officers and auditors (amounts appear only once opened)."""
    return user.role in {Role.OFFICER, Role.AUDITOR}


@rule("bids.request_opening")
def _request(user, case, now):
    """Request the opening, mark invalid bids, start a re-bid, draw the lottery: the case's officers."""
    return _case_officer(user, case)


@rule("bids.confirm_opening")
def _confirm(user, case, now):
    """The second official of the two-person rule: any officer (the operation refuses the requester)."""
    return user.role is Role.OFFICER

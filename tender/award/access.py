"""Who may see the ranking and decide the award, and who sees a round's results."""
from tender.accounts.models import Role
from tender.notices.access import _case_officer
from tender.policy import rule


@rule("award.view")
def _view(user, case, now):
    """The ranking and the decisions: officers and auditors."""
    return user.role in {Role.OFFICER, Role.AUDITOR}


@rule("award.decide")
def _decide(user, case, now):
    """Award, hold for investigation and conclude it, draw the lottery, start a re-bid: the case's officers."""
    return _case_officer(user, case)


@rule("award.results")
def _results(user, case, now):
    """A bidder's own scores and the winner's total, once the award is decided."""
    return user.role is Role.BIDDER and user.company_id is not None and case is not None and case.is_public_at(now)

"""Who sees a contract and its performance, and who changes them."""
from tender.accounts.models import Role
from tender.notices.access import _case_officer
from tender.policy import rule


def _contractor(user, contract) -> bool:
    return (user.role is Role.BIDDER and user.company_id is not None and contract is not None
            and contract.company_id == user.company_id)


@rule("contracts.view")
def _view(user, contract, now):
    """A contract, its versions, deliverables and payments: officers, auditors, and the contractor's own users."""
    return user.role in {Role.OFFICER, Role.AUDITOR} or _contractor(user, contract)


@rule("contracts.manage")
def _manage(user, contract, now):
    """Draft, extend, lapse, sign, schedule, inspect, invoices, publication: the case's officers."""
    return contract is not None and _case_officer(user, contract.case)


@rule("contracts.draft")
def _draft(user, case, now):
    """Create the draft from the award: the case's officers."""
    return _case_officer(user, case)


@rule("contracts.deliver")
def _deliver(user, contract, now):
    """Record a delivery: the contractor's users, or the case's officers (delivered on paper)."""
    return _contractor(user, contract) or (contract is not None and _case_officer(user, contract.case))


@rule("contracts.own")
def _own(user, obj, now):
    """The company's own bids, their results and its contracts: the users of a company."""
    return user.role == Role.BIDDER and user.company_id is not None


@rule("contracts.list")
def _list(user, obj, now):
    """The list of contracts and their publication deadlines: officers and auditors."""
    return user.role in {Role.OFFICER, Role.AUDITOR}


@rule("contracts.view_case")
def _view_case(user, case, now):
    """A case's contract (or the button that drafts it): officers and auditors."""
    return user.role in {Role.OFFICER, Role.AUDITOR}


@rule("contracts.penalties")
def _penalties(user, contract, now):
    """The penalty and late-interest figures of a contract: the case's officers and auditors."""
    return user.role is Role.AUDITOR or _manage(user, contract, now)

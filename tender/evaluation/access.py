from tender.accounts.models import Role
from tender.evaluation.panel import assignment_of, may_review
from tender.notices.access import _case_officer
from tender.policy import rule


def _assignment(user, case):
    if user.role is not Role.EVALUATOR or case is None:
        return None

    return assignment_of(case, user)


@rule("panel.view")
def _panel_view(user, case, now):
    """The panel page (evaluators, 一次評価, progress, sign-off): officers and auditors."""
    return user.role in {Role.OFFICER, Role.AUDITOR}


@rule("panel.manage")
def _panel_manage(user, case, now):
    """Assign and remove evaluators: the case's officers."""
    return _case_officer(user, case)


@rule("panel.hearing")
def _panel_hearing(user, case, now):
    """Record hearing notes: the case's officers and the chair."""
    row = _assignment(user, case)
    return _case_officer(user, case) or (row is not None and row.is_chair)


@rule("panel.review")
def _panel_review(user, case, now):
    """An evaluator assigned to the case (the operations check the declaration of no conflict)."""
    return _assignment(user, case) is not None


@rule("panel.consensus_view")
def _consensus_view(user, case, now):
    """Marks side by side: officers and auditors, and evaluators of the case once they submitted theirs."""
    if user.role in {Role.OFFICER, Role.AUDITOR}:
        return True
    row = _assignment(user, case)
    return row is not None and row.submitted_at is not None


@rule("panel.chair")
def _chair(user, case, now):
    """Record the consensus and sign it off: the chair of the case's evaluators."""
    row = _assignment(user, case)
    return row is not None and row.is_chair


@rule("proposals.download")
def _download(user, case, now):
    """Proposal files: officers of the case, auditors, and evaluators who declared no conflict."""
    if _case_officer(user, case) or user.role is Role.AUDITOR:
        return True
    row = _assignment(user, case)
    if row is None:
        return False

    return may_review(row, now)

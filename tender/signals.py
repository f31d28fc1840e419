"""Domain events between packages (blinker, as Flask and Indico use it): a lower layer announces,
a higher one reacts, and neither imports the other."""
from blinker import Namespace

_events = Namespace()

#: A user has left a company (moved or removed by the administrator): sender is the user,
#: ``company_id`` the company left. Whatever the user held of that company must go.
company_left = _events.signal("company-left")

#: The administrator assigned a user to a company that has members: sender is the user,
#: ``company_id`` the company whose members must approve.
membership_requested = _events.signal("membership-requested")

#: Log-ins to an account keep failing (sender: the user, ``count``, ``when``): its owner is told.
login_failures = _events.signal("login-failures")

#: A case is about to be published (sender: the case). Each receiver returns the problems, in
#: Japanese, that its part of the case still has (the 評価項目一覧's allocation, …): the notice is
#: published only when none has any.
publication_checked = _events.signal("publication-checked")

#: A case was copied into a new draft (sender: the source case, ``copy``: the new draft): each
#: part kept outside the notices package copies its own (the 評価項目一覧, …).
case_copied = _events.signal("case-copied")

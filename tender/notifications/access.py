from tender.policy import rule


@rule("notifications.view")
def _view(user, obj, now):
    """Everyone reads their own notifications (the query is limited to them)."""
    return True

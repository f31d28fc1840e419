"""The access policy: the one place that decides who may see and do what.

* Each domain package declares its rules in its ``access.py`` with ``@rule("action")``.
  A rule is a predicate ``(user, obj, now) -> bool``; it is a plain function so that it can
  be tested as a table of users × objects × times.
* ``can(user, action, obj)`` answers False for an action nobody declared (default deny),
  for anonymous users unless the rule says otherwise, and for deactivated users.
* Every view is marked with ``@require(action)`` or ``@public``. A view with neither is
  refused by ``enforce_marked_views`` before it runs, so a route that forgets its policy
  fails closed (and the access-matrix test names it).
* Templates ask ``can(...)`` to decide whether to show a link; they never test roles.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from flask import abort, current_app, request
from flask_login import current_user

from tender import clock

Rule = Callable[[Any, Any, datetime], bool]
_RULES: dict[str, Rule] = {}
PUBLIC = "public"


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"policy rule {action!r} declared twice")
        _RULES[action] = fn
        return fn

    return register


def actions() -> list[str]:
    return sorted(_RULES)


def can(user: Any, action: str, obj: Any = None, now: datetime | None = None) -> bool:
    predicate = _RULES.get(action)
    if predicate is None:
        return False
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(predicate(user, obj, now or clock.now()))


def require(action: str, load: Callable[..., Any] | None = None):
    """Mark a view with the action it needs; 403 unless ``can`` allows it.

    ``load`` receives the view's URL arguments and returns the object the rule is about
    (404 when it does not exist); the loaded object is passed to the view as ``obj``.
    Unauthenticated users are sent to the log-in page instead of getting a 403.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            obj = load(**kwargs) if load else None
            if not can(current_user, action, obj):
                abort(403)
            if load:
                kwargs["obj"] = obj
            return view(*args, **kwargs)

        wrapper._policy = action
        return wrapper

    return decorate


def public(view):
    """Mark a view that anyone, even anonymous, may reach (log-in, health check)."""
    view._policy = PUBLIC
    return view


def policy_of(endpoint: str) -> str | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "_policy", None)


def enforce_marked_views() -> None:
    """before_request hook: refuse any view that was not given a policy (default deny)."""
    if request.endpoint is None or request.endpoint == "static":
        return
    if policy_of(request.endpoint) is None:
        current_app.logger.error("view %s has no access policy; refused", request.endpoint)
        abort(403)

"""Reading the same rows once per page.

A page asks several parts the same question (the opening page asked for the case's keys seven
times: the officials, their form, each round's key, the proposals' release). A GET changes nothing
(the routes keep it so), so within one GET or HEAD the answer cannot change and is read once;
anywhere else (a POST, a job, a test's own session) every call reads afresh.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import has_request_context, request

T = TypeVar("T")


def read_once(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or what it gave earlier in this GET for the same ``key``."""
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return read()
    # Kept with the request itself, not in ``g``: an application context can outlive a request (a
    # test's or a script's), and what is kept must not reach the next one.
    memo = request.environ.setdefault("tender.read_once", {})
    if key not in memo:
        memo[key] = read()
    return memo[key]

"""Reading the same rows once per page.

A page asks several parts the same question (the opening page asked for the case's keys seven
times: the officials, their form, each round's key, the proposals' release). A GET changes nothing
(the routes keep it so), so within one GET or HEAD that the application is serving the answer
cannot change and is read once. Anywhere else — a POST, a job, a script or a test working inside a
request context it made itself, where rows may be written between two reads — every call reads
afresh.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import has_request_context, request

T = TypeVar("T")

_KEY = "tender.read_once"


def serving() -> None:
    """Before each request the application serves (a ``before_request`` hook): a GET or HEAD gets
    a memo, kept with the request itself (never in ``g``, which an application context longer than
    the request would carry on to the next)."""
    if request.method in ("GET", "HEAD"):
        request.environ[_KEY] = {}


def read_once(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or what it gave earlier in this GET for the same ``key``."""
    memo = request.environ.get(_KEY) if has_request_context() else None
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]

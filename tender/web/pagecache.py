"""Public pages as an anonymous visitor sees them, kept for a few seconds (micro-caching).

The public board and the notices are read far more than anything else and are the same for
every visitor without a session. A page made for one is served again to the next, within
``PUBLIC_PAGE_CACHE_SECONDS`` (3 s by default; 0 turns it off), and only while nothing has
changed: the key holds the audit trail's head, which every committed change moves in its own
transaction (a publication, a 訂正, an answer, a cancellation), so a change shows at once, in
every worker. What only the clock changes (a countdown, 受付中 → 締切) shows within the seconds.

Only what cannot differ between visitors is kept: a request that carries any cookie (a session:
a user, a flash message, a CSRF token) is never served from the cache nor stored in it, nor is a
response that sets a cookie or is not a 200. Each worker keeps its own (bounded) copy.

Logged-in users get their own page, made for them, but the parts of it that are the same for
everyone (the board's list, a notice's public text) come from ``shared``: a fragment kept under the
same rules (the trail's head, the seconds), made without the user, and holding no form and no token.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, g, make_response, request, session
from markupsafe import Markup

#: Pages kept per worker, the least recently used dropped first.
MAX_PAGES = 256
_HEADERS_KEPT = ("Content-Type", "Content-Language", "Vary")


class _Pages:
    def __init__(self) -> None:
        self._rows: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            row = self._rows.get(key)
            if row is None:
                return None
            if row[0] <= time.monotonic():
                del self._rows[key]
                return None
            self._rows.move_to_end(key)
            return row[1]

    def put(self, key: tuple, seconds: float, value) -> None:
        with self._lock:
            self._rows[key] = (time.monotonic() + seconds, value)
            self._rows.move_to_end(key)
            while len(self._rows) > MAX_PAGES:
                self._rows.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()


pages = _Pages()
fragments = _Pages()


def init_page_cache(app, generation: Callable[[], object]) -> None:
    """``generation``: what every committed change moves (the audit trail's head)."""
    app.extensions["tender_page_generation"] = generation


def _generation() -> object:
    """The trail's head, read once per request however many parts of the page ask."""
    if "tender_page_generation" not in g:
        g.tender_page_generation = current_app.extensions["tender_page_generation"]()
    return g.tender_page_generation


def cached_for_visitors(view):
    """Serve the view's page to anonymous visitors from the cache (see the module's note)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        seconds = current_app.config.get("PUBLIC_PAGE_CACHE_SECONDS", 0)
        if not seconds or request.method != "GET" or request.cookies:
            return view(*args, **kwargs)
        key = (_generation(), request.url)
        found = pages.get(key)
        if found is not None:
            status, headers, body = found
            return Response(body, status=status, headers=headers)
        response = make_response(view(*args, **kwargs))
        if (response.status_code == 200 and not session.modified and "Set-Cookie" not in response.headers
                and not response.is_streamed):
            headers = [(name, value) for name, value in response.headers.items() if name in _HEADERS_KEPT]
            pages.put(key, seconds, (response.status_code, headers, response.get_data()))
        return response

    return wrapper


def shared(name: str, make: Callable[[], str], *vary) -> Markup:
    """A part of a page that is the same for every user, kept like a visitor's page (the module's
    note). ``make`` renders it from nothing of the user's; ``vary``: what else it depends on (the
    query string of a list)."""
    seconds = current_app.config.get("PUBLIC_PAGE_CACHE_SECONDS", 0)
    if not seconds:
        return Markup(make())
    key = (_generation(), name, *vary)
    found = fragments.get(key)
    if found is None:
        found = Markup(make())
        fragments.put(key, seconds, found)
    return found

"""Addresses for outside readers — mails, the open data, the API's links: always on
``PUBLIC_BASE_URL``, never on the request's Host header (a forged Host would send the reader a link
to the attacker's site). Built with or without a request (a job, a command)."""
from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, url_for


def public_url(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def path_for(endpoint: str, **values: Any) -> str:
    """The path of ``endpoint`` (url_for's, also where no request is being served)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("").build(endpoint, values)


def public_url_for(endpoint: str, **values: Any) -> str:
    return public_url(path_for(endpoint, **values))

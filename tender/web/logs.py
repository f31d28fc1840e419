"""Structured application logs: one JSON line per request and per log record, each with the
request's ID (taken from a well-formed ``X-Request-ID`` header from the proxy, or made here) and
a Japan-time timestamp; the ID is returned in ``X-Request-ID`` and shown on error pages so that a
user's report can be found in the log.
"""
from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

from tender.rules.calendar import JST
from tender.web.security import request_user_id

_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
ACCESS_LOGGER = "tender.access"


def request_id() -> str | None:
    return getattr(g, "request_id", None) if has_request_context() else None


class JSONFormatter(logging.Formatter):
    """A log record as one JSON object: time (JST, ms), level, logger, message, request_id, extras."""

    EXTRAS = ("method", "path", "status", "duration_ms", "user_id", "ip", "endpoint")

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, tz=UTC).astimezone(JST)
        body = {"time": when.isoformat(timespec="milliseconds"), "level": record.levelname, "logger": record.name,
                "message": record.getMessage(), "request_id": getattr(record, "request_id", None) or request_id()}
        for key in self.EXTRAS:
            if hasattr(record, key):
                body[key] = getattr(record, key)
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, ensure_ascii=False)


def init_logging(app: Flask) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JSONFormatter())
    for name in (app.logger.name, ACCESS_LOGGER):
        logger = logging.getLogger(name)
        if not any(isinstance(h.formatter, JSONFormatter) for h in logger.handlers):
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False

    @app.before_request
    def _start():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        rid = request_id()
        if rid:
            response.headers["X-Request-ID"] = rid
        if request.endpoint != "static":
            started = getattr(g, "request_started", None)
            logging.getLogger(ACCESS_LOGGER).info(
                "%s %s %s", request.method, request.path, response.status_code, extra={
                    "method": request.method, "path": request.path, "status": response.status_code,
                    "endpoint": request.endpoint, "ip": request.remote_addr,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                    "user_id": request_user_id()})
        return response

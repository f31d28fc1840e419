"""Integrity marks: an HMAC-SHA256 under a key kept outside the database (``TENDER_INTEGRITY_KEY``).

Rows whose change would let someone read or bend a sealed bid carry a mark over their meaning:
a case's public keys, the officials' opening keys, the sealed 予定価格, each bid's receipt (its
受理時乱数, time and fingerprint). Someone who can write the database but does not hold the key
(a database administrator, a restored or tampered backup) cannot make a changed row pass; the
places that use these rows check the mark first (issue 13: insider threats to sealing).
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def _key() -> bytes:
    return current_app.config["TENDER_INTEGRITY_KEY"].encode("utf-8")


def mark(kind: str, *parts: object) -> str:
    message = "\x1f".join([kind, *("" if p is None else str(p) for p in parts)]).encode("utf-8")
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def intact(stored: str | None, kind: str, *parts: object) -> bool:
    return bool(stored) and hmac.compare_digest(stored, mark(kind, *parts))


def digest(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()

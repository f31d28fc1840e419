"""Hashing of audit events: what each link of the chain covers.

Kept free of the database so that an auditor can re-check an exported trail with the
same code.
"""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

HASHED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_name", "actor_role", "action",
    "object_type", "object_id", "summary", "ip", "user_agent", "prev_hash",
)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def timestamp(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(fields: dict[str, Any]) -> str:
    material = {name: fields[name] for name in HASHED_FIELDS}
    material["occurred_at"] = timestamp(material["occurred_at"])
    return hashlib.sha256(canonical_json(material).encode("utf-8")).hexdigest()

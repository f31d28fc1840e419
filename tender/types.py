"""Column types shared by every domain package."""
from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, Text
from sqlalchemy.types import TypeDecorator

from tender import crypto


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC, identical on SQLite and PostgreSQL.

    Naive datetimes are refused: every instant in this application has a zone, and
    pages show it in Japan time.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class EncryptedText(TypeDecorator[str]):
    """Text kept encrypted at rest with authenticated encryption (Fernet: AES-128-CBC
    with HMAC-SHA256), under the key ring configured from ``TENDER_DATA_KEYS``.

    The database never sees the plaintext; reading a value whose token was altered
    raises instead of returning garbage.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        return crypto.encrypt(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        return crypto.decrypt(value)


def enum_column(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    """A state stored as its value in a VARCHAR, the same on SQLite and PostgreSQL; read back as
    the enum's member (tender.rules.labels.Labelled for the states shown with a label)."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


#: Schema objects the migrations make outside the models: the search index of cases (an FTS5
#: table and its triggers on SQLite, a GIN index on PostgreSQL: tender.notices.search).
UNMODELLED = ("case_search", "ix_procurement_cases_search")


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic: compare and autogenerate only what the models declare."""
    return not (name or "").startswith(UNMODELLED)


def render_item(type_: str, obj, autogen_context):
    """Alembic autogenerate: write these types as their plain SQL type in migrations.

    Migrations then stay valid whatever becomes of the Python types.
    """
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{type(obj.impl).__name__}()"
    return False

"""Reading the contracting authority (発注機関): one per installation."""
from __future__ import annotations

from sqlalchemy import select

from tender.extensions import db
from tender.organisations.models import Authority


def the_authority() -> Authority | None:
    """The authority this installation runs procurement for (the first one recorded)."""
    return db.session.execute(select(Authority).order_by(Authority.id).limit(1)).scalar_one_or_none()

"""The one clock of the application: the server's, in UTC, aware.

Everything that depends on "now" asks here (or takes ``now`` as an argument), so that
tests can freeze time with freezegun and deadlines are decided by the server alone.
"""
from datetime import UTC, date, datetime

from tender.rules.calendar import JST


def now() -> datetime:
    return datetime.now(UTC)


def today_jst() -> date:
    return now().astimezone(JST).date()

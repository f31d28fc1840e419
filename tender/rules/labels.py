"""The one type for every stored state: an ASCII code kept in the database, a Japanese label
shown on the page.

Members are ``str``: they compare equal to the code read from a VARCHAR, so the states of old
rows and of JSON summaries need no conversion; templates and code compare members, never
literals (tests/test_templates.py keeps them so).
"""
from __future__ import annotations

import enum

__all__ = ["Labelled"]


class Labelled(str, enum.Enum):
    """``NAME = "code", "ラベル"``: ``member.value`` is the code, ``member.label`` the label."""

    label: str

    def __new__(cls, code: str, label: str) -> Labelled:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member

    def __str__(self) -> str:
        return self.value

"""The one refusal every operation raises: a Japanese message saying why nothing was changed.

The request pipeline (tender.web.pages.apply_form) catches this class and no other: it rolls the
transaction back and shows the message. Anything else is a defect and reaches the error page.
"""
from __future__ import annotations

from collections.abc import Callable

__all__ = ["OperationError", "afterwards_of"]


class OperationError(ValueError):
    """A Japanese message for the user; nothing was changed. ``field``: the input it is about,
    when there is one (the form shows the message beside it). ``afterwards``: what must be
    recorded although the change is refused (a wrong passphrase, say), run once the refused
    change has been rolled back, in a transaction of its own."""

    field: str | None = None

    def __init__(self, message: str = "", *, field: str | None = None,
                 afterwards: tuple[Callable[[], object], ...] = ()) -> None:
        super().__init__(message)
        if field is not None:
            self.field = field
        self.afterwards = tuple(afterwards)


def afterwards_of(exc: BaseException) -> list[Callable[[], object]]:
    """The ``afterwards`` of a refusal and of the refusals it was raised from, oldest first."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return [step for e in reversed(chain) for step in getattr(e, "afterwards", ())]

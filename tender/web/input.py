"""One input layer for the whole application (issue 14: hostile input).

* Every request: a NUL byte or text that was not valid UTF-8 anywhere in the path, the query or the
  form is refused with a Japanese 400 page before any view runs (``check_request``); ids in URLs
  beyond what the database can hold are 404 (``BoundedInt``); and a value the database still
  cannot take ends as a Japanese 400 page, rolled back, never a server error (``database_refused``).
* Every form field (``field_hooks``, called by BaseForm for each field): text is normalised to
  Unicode NFC; control characters (a text area keeps line breaks and tabs) and bidirectional
  overrides are refused with a message naming them; dates must fall within a plausible range.
* Search keys, codes and numbers are compared in NFKC (``search_key``): ２０２６ finds 2026, ｳｪﾌﾞ ウェブ.
"""
from __future__ import annotations

import unicodedata
from datetime import date, datetime
from urllib.parse import unquote_to_bytes

from flask import abort, render_template, request
from werkzeug.routing import IntegerConverter
from werkzeug.routing import ValidationError as RoutingValidationError
from wtforms import DateField, DateTimeLocalField, PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError

from tender.extensions import db
from tender.web.openapi import error_response, wants_json

#: The largest id any table holds (PostgreSQL INTEGER); larger ids in a URL do not exist.
MAX_ID = 2**31 - 1
#: Bidirectional embedding and override characters: they make a title read differently on screen.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
#: Dates outside these years are typing errors in this application (a 9999-12-31 suspension…).
DATE_RANGE = (date(1900, 1, 1), date(2099, 12, 31))


class BoundedInt(IntegerConverter):
    """``<int:…>`` in URLs: at most 10 digits and within the database's range, else 404."""

    regex = r"\d{1,10}"

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_ID:
            raise RoutingValidationError()
        return number


def forbidden_characters(text: str, *, multiline: bool) -> list[str]:
    """The control and bidirectional characters in ``text``, named for the message."""
    allowed = {"\n", "\r", "\t"} if multiline else set()
    found = []
    for ch in text:
        if ch in allowed:
            continue
        if ch in BIDI or unicodedata.category(ch) in ("Cc", "Cs") or ch in ("\u2028", "\u2029", "\ufeff"):
            name = f"U+{ord(ch):04X}"
            if name not in found:
                found.append(name)
    return found


def nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def search_key(text: str | None) -> str:
    """How a search term is compared: NFKC (full/half width, compatibility forms), trimmed, without
    control characters."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] != "C").strip()


def _no_control(form, field) -> None:
    if not isinstance(field.data, str) or not field.data:
        return
    found = forbidden_characters(field.data, multiline=isinstance(field, TextAreaField))
    if found:
        raise ValidationError("使えない文字（制御文字・文字の向きを変える記号：" + "、".join(found[:5]) + "）が含まれています。"
                              "取り除いてから入力してください。")


def _plausible_date(form, field) -> None:
    value = field.data
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date) and not DATE_RANGE[0] <= value <= DATE_RANGE[1]:
        raise ValidationError(f"日付は{DATE_RANGE[0].year}年から{DATE_RANGE[1].year}年の間で入力してください。")


def field_hooks(unbound_field) -> None:
    """Add the input layer's filter and validators to one field of a BaseForm (once)."""
    if getattr(unbound_field, "_tender_input", False):
        return
    unbound_field._tender_input = True
    cls = unbound_field.field_class
    kwargs = unbound_field.kwargs
    if len(unbound_field.args) > 1:
        raise TypeError(f"{cls.__name__}: give validators and filters by keyword (the input layer adds to them)")
    validators = list(kwargs.get("validators") or [])
    if issubclass(cls, StringField) and not issubclass(cls, PasswordField):
        kwargs["filters"] = [nfc, *(kwargs.get("filters") or [])]
        validators.append(_no_control)
    if issubclass(cls, (DateField, DateTimeLocalField)):
        validators.append(_plausible_date)
    kwargs["validators"] = validators


def _bad(value: str) -> bool:
    return "\x00" in value or "\ufffd" in value


def _not_utf8(raw: bytes) -> bool:
    """Percent-encoded (or plain) bytes that are not UTF-8. Werkzeug would keep them as "%FF" text
    or replace them with U+FFFD: either way the user's text would be silently changed."""
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


_REFUSED = ("入力に使えない文字（NUL 文字、または UTF-8 でない文字）が含まれています。"
            "内容を確認して、もう一度入力してください。")


def check_request() -> None:
    """before_request: refuse NUL bytes and text that is not UTF-8, in the path, the query and the form."""
    path = request.environ.get("PATH_INFO", "")
    if _bad(request.path) or _not_utf8(path.encode("latin-1", "replace")) or _not_utf8(request.query_string):
        abort(400, description=_REFUSED)
    if request.method != "GET" and request.mimetype == "application/x-www-form-urlencoded":
        if _not_utf8(request.get_data(cache=True)):
            abort(400, description=_REFUSED)
    sources = (request.args,) if request.method == "GET" else (request.args, request.form)
    for source in sources:
        for key, values in source.lists():
            if _bad(key) or any(_bad(v) for v in values):
                abort(400, description=_REFUSED)


def database_refused(error):
    """A value the database cannot take (an out-of-range number, a NUL the checks above missed):
    rolled back, a Japanese 400 page (JSON for the API), never a server error."""
    db.session.rollback()
    if wants_json():
        return error_response(400, "指定された値を検索・保存できません（数値が大きすぎる、使えない文字が含まれている等）。")
    return render_template("errors/error.html", code=400, title="入力を処理できません",
                           message="入力された値を保存・検索できません（数値が大きすぎる、使えない文字が含まれている等）。"
                                   "内容を確認して、もう一度お試しください。"), 400

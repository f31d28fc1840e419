"""Errors where the user looks (issue 19).

A form inside a page (a deliverable's 納入, the contract's 期限延長, a row's 無効) posts to its
action, which redirects back to the page (Post/Redirect/Get). Its errors used to be flashed at the
top of that page while the browser landed on the form far below. Now the refused form's errors and
what was typed travel to the next page in the session, the same form there takes them back — each
field's message beside it, the operation's reason above the form's fields, all at once — and the
redirect lands on that message (``#form-feedback``). A form is recognised by its class and prefix
(per-row forms have their own prefix), so only the form that was sent shows them; if the page does
not show that form (its state moved on), the message is put at the top instead, once the page has
been rendered and it is known.

Only short text travels (the session is a signed cookie): passwords, passphrases and files never,
and values are dropped beyond ``MAX_BYTES`` in all.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import g, has_request_context, request, session
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

KEY = "_form_feedback"
ANCHOR = "form-feedback"
MAX_BYTES = 2000
_NEVER = ("PasswordField", "FileField", "MultipleFileField", "CSRFTokenField")


def form_key(form) -> str:
    return f"{type(form).__name__}:{form._prefix}"


def has_fields(form) -> bool:
    """A form the user typed into (a bare button's form has nothing to show beside a field)."""
    return any(f.type not in ("HiddenField", "CSRFTokenField") for f in form)


def keep(form, message: str | None) -> bool:
    """Remember the refused ``form`` for the page the action redirects to. False when the form
    has no field to show it at (the caller flashes the message instead)."""
    if not has_fields(form):
        return False
    g.feedback_kept = True
    data: list[tuple[str, str]] = []
    size = 0
    for field in form:
        if field.type in _NEVER or "pass" in field.name:
            continue
        for value in field.raw_data or []:
            if isinstance(value, str) and size + len(value.encode()) <= MAX_BYTES:  # a long one is left out,
                size += len(value.encode())                                       # not the ones after it
                data.append((field.name, value))
    form.feedback_message = message or ""  # a page that shows the refused form at once shows it there
    session[KEY] = {"key": form_key(form), "message": message or "",
                    "errors": {name: [str(e) for e in errs] for name, errs in form.errors.items()
                               if isinstance(errs, list)},
                    "data": data}
    return True


def _pending() -> dict[str, Any] | None:
    if not has_request_context() or request.method != "GET":
        return None
    if "form_feedback" not in g:
        stored = session.get(KEY)
        # Taken by the page the action redirected to, and by no other (another tab's page waits).
        g.form_feedback = session.pop(KEY) if stored and stored.get("path", request.path) == request.path else None
        g.form_feedback_claimed = False
    return g.form_feedback


def restore(form) -> None:
    """Called as each form is made: the form that was refused takes back its values and errors."""
    pending = _pending()
    if not pending or pending["key"] != form_key(form) or pending.get("path", request.path) != request.path:
        return
    form.process(formdata=MultiDict(pending["data"]))
    for name, errors in pending["errors"].items():
        if name in form:
            form[name].errors = list(errors)
    form.feedback_message = pending["message"]


#: Where base.html puts the message of a refused form that the page did not show.
PLACEHOLDER = "<!--form-feedback-->"


def _text(pending: dict[str, Any]) -> str:
    return (pending["message"] or " ".join(e for errs in pending["errors"].values() for e in errs)
            or "入力内容を確認してください。")


def init_feedback(app) -> None:
    @app.after_request
    def place(response):
        if response.status_code in (301, 302, 303):
            if g.get("feedback_kept") and response.location and KEY in session:
                # Only the page the action sends the user back to takes the form back (not the same
                # form class on another contract's page opened meanwhile).
                session[KEY] = {**session[KEY], "path": urlsplit(response.location).path}
                response.location = with_anchor(response.location)  # land on the message, inside the form
            return response
        if response.mimetype != "text/html" or response.direct_passthrough:
            return response
        # The page does not show the refused form (its state moved on, or the action renders a page
        # without it): the message goes at the top, and is not kept for a later page.
        pending = session.pop(KEY, None) if g.get("feedback_kept") else _pending()
        if pending and not g.get("form_feedback_claimed"):
            html = response.get_data(as_text=True).replace(
                PLACEHOLDER, f'<p class="flash flash--error" role="alert">{escape(_text(pending))}</p>', 1)
            response.set_data(html)
            g.form_feedback_claimed = True
        return response


def block(form) -> Markup:
    """The message shown inside the refused form, where the redirect lands: the reason, and a
    summary of every field's error at once (each is also beside its field where the page draws
    the field with the ``field`` macro), as the GOV.UK error summary does."""
    message = getattr(form, "feedback_message", None)
    if message is None:
        return Markup("")
    form.feedback_message = None  # once: a form object drawn in many rows shows it in the first
    g.form_feedback_claimed = True  # shown where the user looks: not again at the top,
    session.pop(KEY, None)  # nor on the next page (when this very response shows the refused form)
    items = [f"{form[name].label.text}：{error}" for name in form.errors if name in form
             for error in form[name].errors if error != message]
    lead = message or "入力内容に誤りがあります。"
    listed = "".join(f"<li>{escape(item)}</li>" for item in items)
    return Markup(f'<div class="flash flash--error" role="alert" id="{ANCHOR}" tabindex="-1"><p>{escape(lead)}</p>'
                  + (f"<ul>{listed}</ul>" if listed else "") + "</div>")


def with_anchor(url: str) -> str:
    return url.split("#", 1)[0] + "#" + ANCHOR

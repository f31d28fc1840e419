"""An official's opening passphrase: set, change, or replace a forgotten one."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from tender import clock
from tender.extensions import db
from tender.policy import require
from tender.sealing import operations as ops
from tender.sealing.forms import PassphraseForm, ReplaceForm
from tender.sealing.models import KeyShare
from tender.web.pages import act, apply_form

bp = Blueprint("sealing", __name__)


def _my_shares():
    key = ops.opening_key_of(current_user)
    if key is None:
        return []
    return db.session.execute(select(KeyShare).where(KeyShare.opening_key_id == key.id)
                              .order_by(KeyShare.case_key_id)).scalars().all()


@bp.route("/profile/opening-key", methods=["GET", "POST"])
@require("opening_key.manage")
def passphrase():
    user = current_user._get_current_object()
    form, replace = PassphraseForm(prefix="set"), ReplaceForm(prefix="replace")
    existing = ops.opening_key_of(user)
    if apply_form(form, lambda f: ops.set_passphrase(user, f.new.data, current=f.current.data, now=clock.now()),
                  "開札用パスフレーズを変更しました。" if existing else "開札用パスフレーズを設定しました。", inline=True):
        return redirect(url_for("sealing.passphrase"))
    return render_template("sealing/passphrase.html", form=form, replace=replace, existing=existing,
                           shares=_my_shares())


@bp.route("/profile/opening-key/replace", methods=["POST"])
@require("opening_key.manage")
def replace():
    user = current_user._get_current_object()
    form = ReplaceForm(prefix="replace")
    return act(url_for("sealing.passphrase"),
               lambda f: ops.replace_lost_key(user, f.new.data, password=f.password.data, now=clock.now()),
               ("新しい開札用パスフレーズを設定しました。これまでの案件の分割鍵は使えません。"
                "各案件の開札担当職員の変更を依頼してください。", "warning"), form)

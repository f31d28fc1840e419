"""Keys and ceremonies. Each operation validates, changes, records the audit event and flushes;
the route commits once.

* An official sets an opening passphrase once: a P-256 key pair is made and its private half
  wrapped under the passphrase (``tender.sealing.passphrase``). The server keeps no usable copy.
* A case gets one key per purpose (price, proposals) when its opening officials are named: a
  random secret is split into shares (k of n), each share sealed to one official's opening key,
  and the secret is forgotten. Only the public keys remain; bidders seal to them.
* At a ceremony each official enters the passphrase; their share waits (under the data keys) until
  k have been given, then the key is rebuilt in memory, checked against its public half, used, and
  the waiting shares are wiped.
"""
from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from sqlalchemy import select

from tender.accounts.models import Role, User
from tender.accounts.operations import check_password
from tender.audit.operations import record
from tender.extensions import db
from tender.rules.passwords import password_problems
from tender.sealing import envelope, threshold
from tender.sealing import passphrase as wrapping
from tender.sealing.models import CaseKey, KeyPurpose, KeyShare, OfficialsChange, OpeningKey


class SealingError(ValueError):
    """A Japanese message; nothing was changed."""


# --- officials' opening keys ----------------------------------------------------------------

def _key_aad(user: User) -> bytes:
    return envelope.aad("tender-opening-key", user=user.id)


def _params() -> wrapping.Params:
    return current_app.config["OPENING_KEY_PARAMS"]


def opening_key_of(user: User) -> OpeningKey | None:
    return db.session.execute(select(OpeningKey).where(OpeningKey.user_id == user.id, OpeningKey.retired_at.is_(None))
                              .order_by(OpeningKey.id.desc()).limit(1)).scalar_one_or_none()


def may_hold_shares(user: User) -> bool:
    return user.role is Role.OFFICER and user.active and opening_key_of(user) is not None


def _passphrase_problems(user: User, new: str) -> list[str]:
    problems = [p.replace("パスワード", "開札用パスフレーズ") for p in password_problems(new, email=user.email)]
    if not problems and check_password(user, new):
        problems.append("開札用パスフレーズには、ログインのパスワードと別のものを設定してください。")
    return problems


def set_passphrase(user: User, new: str, *, current: str | None = None, now: datetime) -> OpeningKey:
    """Set the passphrase the first time, or change it (the same key, wrapped anew: shares stay valid)."""
    if user.role is not Role.OFFICER:
        raise SealingError("開札用パスフレーズは調達担当職員が設定します。")
    problems = _passphrase_problems(user, new)
    if problems:
        raise SealingError(" ".join(problems))
    existing = opening_key_of(user)
    if existing is None:
        private = envelope.new_private_key()
        row = OpeningKey(user_id=user.id, public_key=envelope.b64u(envelope.public_raw(private)),
                         wrapped_private=wrapping.wrap(private, new, _params(), _key_aad(user)), created_at=now)
        db.session.add(row)
        db.session.flush()
        record("opening_key.created", row, actor=user, summary={"user_id": user.id, "public_key": row.public_key})
        return row
    private = _unwrap(existing, user, current or "")
    existing.wrapped_private = wrapping.wrap(private, new, _params(), _key_aad(user))
    record("opening_key.passphrase_changed", existing, actor=user, summary={"user_id": user.id})
    return existing


def replace_lost_key(user: User, new: str, *, now: datetime) -> OpeningKey:
    """A forgotten passphrase: a new key pair. The shares sealed to the old key can no longer be
    used; the cases concerned need their officials re-shared (see README: a lost share)."""
    old = opening_key_of(user)
    if old is None:
        raise SealingError("開札用パスフレーズはまだ設定されていません。")
    problems = _passphrase_problems(user, new)
    if problems:
        raise SealingError(" ".join(problems))
    old.retired_at = now
    dead = db.session.execute(select(KeyShare).where(KeyShare.opening_key_id == old.id)).scalars().all()
    record("opening_key.replaced", old, actor=user, summary={
        "user_id": user.id, "dead_shares": [{"case_id": s.case_key.case_id, "purpose": s.case_key.purpose}
                                            for s in dead]})
    db.session.flush()
    return set_passphrase(user, new, now=now)


def _unwrap(key: OpeningKey, user: User, given: str) -> ec.EllipticCurvePrivateKey:
    try:
        return wrapping.unwrap(key.wrapped_private, given, _key_aad(user))
    except wrapping.WrongPassphrase:
        record("opening_key.wrong_passphrase", key, actor=user, summary={"user_id": user.id})
        raise SealingError("開札用パスフレーズが正しくありません。") from None


# --- a case's keys ---------------------------------------------------------------------------

def case_keys(case_id: int) -> dict[str, CaseKey]:
    return {k.purpose: k for k in db.session.execute(select(CaseKey).where(CaseKey.case_id == case_id)).scalars()}


def public_key(case_id: int, purpose: str) -> bytes | None:
    key = case_keys(case_id).get(purpose)
    return envelope.unb64u(key.public_key) if key else None


def officials(case_id: int) -> list[User]:
    """The named opening officials: the holders of the price key's shares."""
    key = case_keys(case_id).get(KeyPurpose.PRICE)
    return [s.user for s in key.shares] if key else []


def _share_aad(case_id: int, purpose: str, user_id: int, x: int) -> bytes:
    return envelope.aad("tender-share", case=case_id, purpose=purpose, user=user_id, x=x)


def _check_officials(people: Sequence[User], k: int) -> None:
    if len({u.id for u in people}) != len(people):
        raise SealingError("開札担当職員に同じ職員が重複しています。")
    if len(people) < 2:
        raise SealingError("開札担当職員を2名以上指定してください（一人では開札できないようにするため）。")
    if len(people) > threshold.MAX_OFFICIALS:
        raise SealingError(f"開札担当職員は{threshold.MAX_OFFICIALS}名までです。")
    missing = [u.name for u in people if not may_hold_shares(u)]
    if missing:
        raise SealingError("次の職員は開札用パスフレーズを設定していないため、開札担当職員にできません："
                           + "、".join(missing) + "。")
    if not 2 <= k <= len(people):
        raise SealingError(f"開札に必要な人数は2名以上{len(people)}名以下にしてください。")


def _deal(case_id: int, purpose: str, secret: bytes, people: Sequence[User], k: int) -> list[KeyShare]:
    rows = []
    for share, user in zip(threshold.split(secret, k, len(people)), people, strict=True):
        key = opening_key_of(user)
        sealed = envelope.seal(envelope.unb64u(key.public_key), share.y, _share_aad(case_id, purpose, user.id, share.x))
        rows.append(KeyShare(user_id=user.id, opening_key_id=key.id, x=share.x, envelope=sealed))
    return rows


def create_case_keys(case_id: int, people: Sequence[User], k: int, *, by: User, now: datetime) -> dict[str, CaseKey]:
    """A new key per purpose, its secret dealt to ``people`` (k needed) and then forgotten."""
    _check_officials(people, k)
    for old in case_keys(case_id).values():
        if old.released:
            raise SealingError("開封済みの鍵は作り直せません。")
        db.session.delete(old)
    db.session.flush()
    keys = {}
    for purpose in KeyPurpose.ALL:
        secret = threshold.new_secret()
        key = CaseKey(case_id=case_id, purpose=purpose, threshold=k, created_at=now, created_by_id=by.id,
                      public_key=envelope.b64u(envelope.public_raw(threshold.private_key(secret))))
        key.shares = _deal(case_id, purpose, secret, people, k)
        db.session.add(key)
        keys[purpose] = key
        del secret
    db.session.flush()
    record("case.keys_created", object_type="procurement_cases", object_id=case_id, actor=by, summary={
        "officials": [u.id for u in people], "threshold": k,
        "public_keys": {p: keys[p].public_key for p in KeyPurpose.ALL}})
    return keys


def share_of(key: CaseKey, user: User) -> KeyShare | None:
    return next((s for s in key.shares if s.user_id == user.id), None)


def provide(keys: Sequence[CaseKey], user: User, given: str, *, now: datetime) -> None:
    """The official enters the passphrase: their share of each key waits for the others."""
    shares = []
    for key in keys:
        share = share_of(key, user)
        if share is None:
            raise SealingError("この案件の開札担当職員ではないため、開封に加われません。")
        if share.provided_at is not None:
            raise SealingError("この手続には既に加わっています。別の開札担当職員の確認を待っています。")
        shares.append(share)
    current = opening_key_of(user)
    if current is None:
        raise SealingError("開札用パスフレーズが設定されていません。")
    if any(s.opening_key_id != current.id for s in shares):
        raise SealingError("開札用パスフレーズを作り直したため、この案件の分割鍵は使えません。"
                           "他の開札担当職員で開封するか、開札担当職員の変更を依頼してください。")
    private = _unwrap(current, user, given)
    for share in shares:
        try:
            y = envelope.open_(private, share.envelope, _share_aad(share.case_key.case_id, share.case_key.purpose,
                                                                    user.id, share.x))
        except envelope.EnvelopeError as exc:
            raise SealingError("分割鍵を復号できません（記録が改変されたおそれがあります）。管理者に連絡してください。") from exc
        share.provided_at, share.provided_secret = now, base64.b64encode(y).decode("ascii")


def provided(key: CaseKey) -> list[KeyShare]:
    return [s for s in key.shares if s.provided_at is not None]


def missing(key: CaseKey) -> int:
    return max(0, key.threshold - len(provided(key)))


def withdraw(keys: Sequence[CaseKey]) -> None:
    """A ceremony withdrawn: every waiting share is wiped."""
    for key in keys:
        for share in key.shares:
            share.provided_at, share.provided_secret = None, None


def rebuild(key: CaseKey) -> ec.EllipticCurvePrivateKey:
    """The key from the waiting shares (at least k), checked against its public half; the waiting
    shares are wiped whatever happens."""
    return threshold.private_key(_secret_of(key))


def release(key: CaseKey, private: ec.EllipticCurvePrivateKey, *, now: datetime, keep: bool) -> None:
    key.released_at = now
    if keep:
        der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        key.released_private = base64.b64encode(der).decode("ascii")


def released_private_key(key: CaseKey) -> ec.EllipticCurvePrivateKey:
    if key.released_private is None:
        raise SealingError("この鍵はまだ開封されていません。")
    loaded = serialization.load_der_private_key(base64.b64decode(key.released_private), password=None)
    assert isinstance(loaded, ec.EllipticCurvePrivateKey)
    return loaded


def reshare(case_id: int, people: Sequence[User], k: int, *, by: User, now: datetime) -> dict[str, CaseKey]:
    """New shares of the same keys for a new list of officials (a departing or added official,
    a lost passphrase): the old officials' waiting shares rebuild each key, which is dealt anew.
    Bids already sealed stay openable: the public keys do not change."""
    _check_officials(people, k)
    keys = case_keys(case_id)
    for key in keys.values():
        if key.released:
            continue
        secret = _secret_of(key)
        key.shares.clear()
        db.session.flush()
        key.threshold = k
        key.shares = _deal(case_id, key.purpose, secret, people, k)
    db.session.flush()
    record("case.keys_reshared", object_type="procurement_cases", object_id=case_id, actor=by, summary={
        "officials": [u.id for u in people], "threshold": k})
    return keys


def _secret_of(key: CaseKey) -> bytes:
    try:
        given = provided(key)
        if len(given) < key.threshold:
            raise SealingError(f"開封にはあと{key.threshold - len(given)}名の開札担当職員の確認が必要です。")
        secret = threshold.combine([threshold.Share(s.x, base64.b64decode(s.provided_secret)) for s in given])
        if envelope.b64u(envelope.public_raw(threshold.private_key(secret))) != key.public_key:
            raise SealingError("分割鍵から鍵を復元できません（記録が改変されたおそれがあります）。管理者に連絡してください。")
        return secret
    finally:
        withdraw([key])


# --- changing a case's officials after its keys are in use ------------------------------------

def open_change(case_id: int) -> OfficialsChange | None:
    return db.session.execute(select(OfficialsChange).where(OfficialsChange.case_id == case_id,
                                                            OfficialsChange.closed_at.is_(None))).scalar_one_or_none()


def _live_keys(case_id: int) -> list[CaseKey]:
    return [k for k in case_keys(case_id).values() if not k.released]


def propose_officials(case_id: int, people: Sequence[User], k: int, passphrase: str, *, by: User,
                      now: datetime) -> OfficialsChange:
    """A current official proposes a new list and gives their share; k current officials in all must
    give theirs (``confirm_officials``) before the shares are dealt anew."""
    if open_change(case_id) is not None:
        raise SealingError("開札担当職員の変更の手続が既に進んでいます。")
    if any(s.provided_at for key in _live_keys(case_id) for s in key.shares):
        raise SealingError("開封の手続の途中は、開札担当職員を変更できません。")
    _check_officials(people, k)
    row = OfficialsChange(case_id=case_id, officials=[u.id for u in people], threshold=k, proposed_by_id=by.id,
                          proposed_at=now)
    db.session.add(row)
    provide(_live_keys(case_id), by, passphrase, now=now)
    db.session.flush()
    record("case.officials_change_proposed", row, actor=by, summary={"case_id": case_id, "officials": row.officials,
                                                                     "threshold": k})
    return row


def confirm_officials(case_id: int, passphrase: str, *, by: User, now: datetime) -> bool:
    """Another current official gives their share; True once the keys have been dealt to the new list."""
    row = open_change(case_id)
    if row is None:
        raise SealingError("確認を待っている開札担当職員の変更はありません。")
    keys = _live_keys(case_id)
    provide(keys, by, passphrase, now=now)
    record("case.officials_change_confirmed", row, actor=by, summary={"case_id": case_id})
    if any(missing(key) for key in keys):
        return False
    people = [db.session.get(User, i) for i in row.officials]
    reshare(case_id, people, row.threshold, by=by, now=now)
    row.closed_at, row.outcome = now, "done"
    return True


def withdraw_change(case_id: int, *, by: User, now: datetime) -> None:
    row = open_change(case_id)
    if row is None:
        raise SealingError("取り下げる変更の手続はありません。")
    withdraw(_live_keys(case_id))
    row.closed_at, row.outcome = now, "withdrawn"
    record("case.officials_change_withdrawn", row, actor=by, summary={"case_id": case_id})

"""Keys and ceremonies. Each operation validates, changes, records the audit event and flushes;
the route commits once.

* An official sets an opening passphrase once: a P-256 key pair is made and its private half
  wrapped under the passphrase (``tender.sealing.passphrase``). The server keeps no usable copy.
* A case gets one key per purpose (price, proposals; each re-bid round a price key of its own) when
  its opening officials are named: a random secret is split into shares (k of n), each share
  sealed to one official's opening key, and the secret is forgotten. Only the public keys remain,
  under an integrity mark (tender.integrity); bidders seal to them.
* At a ceremony each official enters the passphrase. Their share, and any shares sealed to them by
  those who came before, are opened in memory: with k of them the key is rebuilt, checked against
  its public half and used; with fewer, each is sealed again to every official who has not yet
  come. The database never holds k shares anyone but those officials could open.
"""
from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from sqlalchemy import delete, select

from tender import integrity
from tender.accounts.models import Role, User
from tender.accounts.operations import check_password
from tender.audit.operations import record
from tender.extensions import among, db
from tender.notifications.operations import notify, page
from tender.rules.errors import OperationError
from tender.rules.passwords import password_problems
from tender.sealing import envelope, threshold
from tender.sealing import passphrase as wrapping
from tender.sealing.models import CaseKey, KeyPurpose, KeyShare, OpeningKey, WaitingShare
from tender.web.memo import read_once


class SealingError(OperationError):
    """A Japanese message; nothing was changed."""


TAMPERED = "封印の鍵の記録が改変されています。開封・封印を中止しました。管理者に連絡してください。"


# --- officials' opening keys ----------------------------------------------------------------

def _key_aad(user: User) -> bytes:
    return envelope.aad("tender-opening-key", user=user.id)


def _params() -> wrapping.Params:
    return wrapping.Params.of(current_app.config["OPENING_KEY_PARAMS"])


def opening_key_of(user: User) -> OpeningKey | None:
    return db.session.execute(select(OpeningKey).where(OpeningKey.user_id == user.id, OpeningKey.retired_at.is_(None))
                              .order_by(OpeningKey.id.desc()).limit(1)).scalar_one_or_none()


def opening_keys_of(users: Sequence[User]) -> dict[int, OpeningKey]:
    """Each user's current opening key, by user id, in one statement (a list of officials)."""
    ids = [user.id for user in users]
    if not ids:
        return {}
    keys = db.session.execute(select(OpeningKey).where(among(OpeningKey.user_id, ids), OpeningKey.retired_at.is_(None))
                              .order_by(OpeningKey.user_id, OpeningKey.id)).scalars()
    return {key.user_id: key for key in keys}  # the newest of each wins, as opening_key_of's


def may_hold_shares(user: User, key: OpeningKey | None) -> bool:
    """``key``: the user's current opening key (opening_keys_of reads a list's at once)."""
    return (user.role is Role.OFFICER and user.active and key is not None
            and integrity.intact(key.mark, "opening-key", user.id, key.public_key))


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
        public = envelope.b64u(envelope.public_raw(private))
        row = OpeningKey(user_id=user.id, public_key=public, mark=integrity.mark("opening-key", user.id, public),
                         wrapped_private=wrapping.wrap(private, new, _params(), _key_aad(user)), created_at=now)
        db.session.add(row)
        db.session.flush()
        record("opening_key.created", row, actor=user, summary={"user_id": user.id, "public_key": row.public_key})
        return row
    private = _unwrap(existing, user, current or "")
    existing.wrapped_private = wrapping.wrap(private, new, _params(), _key_aad(user))
    record("opening_key.passphrase_changed", existing, actor=user, summary={"user_id": user.id})
    return existing


def replace_lost_key(user: User, new: str, *, password: str, now: datetime) -> OpeningKey:
    """A forgotten passphrase: a new key pair. The shares sealed to the old key can no longer be
    used; the cases concerned need their officials re-shared (see README: a lost share). The log-in
    password is asked again, and the case officials are told."""
    old = opening_key_of(user)
    if old is None:
        raise SealingError("開札用パスフレーズはまだ設定されていません。")
    if not check_password(user, password or ""):
        key_id, user_id = old.id, user.id
        raise SealingError("ログインのパスワードが正しくありません。", afterwards=(
            lambda: record("opening_key.replace_refused", db.session.get(OpeningKey, key_id),
                           actor=db.session.get(User, user_id), summary={"user_id": user_id}),))
    problems = _passphrase_problems(user, new)
    if problems:
        raise SealingError(" ".join(problems))
    old.retired_at = now
    dead = db.session.execute(select(KeyShare).where(KeyShare.opening_key_id == old.id)).scalars().all()
    record("opening_key.replaced", old, actor=user, summary={
        "user_id": user.id, "dead_shares": [{"case_id": s.case_key.case_id, "purpose": s.case_key.purpose}
                                            for s in dead]})
    db.session.flush()
    fellows = {s.user for d in dead for s in d.case_key.shares if s.user_id != user.id}
    notify(fellows, f"{user.name}さんが開札用パスフレーズの鍵を作り直しました。同じ案件の開札担当職員の確認が必要な場合があります。",
           page("sealing.passphrase"))
    return set_passphrase(user, new, now=now)


def _unwrap(key: OpeningKey, user: User, given: str) -> ec.EllipticCurvePrivateKey:
    try:
        return wrapping.unwrap(key.wrapped_private, given, _key_aad(user))
    except wrapping.WrongPassphrase:
        # Kept although the ceremony is refused and rolled back: guesses leave a trace.
        key_id, user_id = key.id, user.id
        raise SealingError("開札用パスフレーズが正しくありません。", afterwards=(
            lambda: record("opening_key.wrong_passphrase", db.session.get(OpeningKey, key_id),
                           actor=db.session.get(User, user_id), summary={"user_id": user_id}),)) from None


# --- a case's keys ---------------------------------------------------------------------------

def case_keys(case_id: int) -> dict[str, CaseKey]:
    return dict(read_once(("case_keys", case_id), lambda: {k.purpose: k for k in db.session.execute(
        select(CaseKey).where(CaseKey.case_id == case_id)).scalars()}))


def _key_mark(key: CaseKey) -> str:
    return integrity.mark("case-key", key.case_id, key.purpose, key.public_key, key.threshold)


def trusted_public_key(key: CaseKey) -> bytes:
    """The public key to seal to, if its row is the one this application wrote (else SealingError:
    a key swapped in the database would let its holder read what is sealed to it)."""
    if not integrity.intact(key.mark, "case-key", key.case_id, key.purpose, key.public_key, key.threshold):
        raise SealingError(TAMPERED)
    return envelope.unb64u(key.public_key)


def public_key(case_id: int, purpose: str) -> bytes | None:
    key = case_keys(case_id).get(purpose)
    return trusted_public_key(key) if key else None


def fingerprint(key: CaseKey) -> str:
    """What bidders and officials compare: the first 16 hex digits of the public key's SHA-256."""
    return integrity.digest(key.public_key)[:16].upper()


def officials(case_id: int) -> list[User]:
    """The named opening officials: the holders of the price key's shares."""
    key = case_keys(case_id).get(KeyPurpose.PRICE)
    return [s.user for s in key.shares] if key else []


def _share_aad(case_id: int, purpose: str, user_id: int, x: int) -> bytes:
    return envelope.aad("tender-share", case=case_id, purpose=purpose, user=user_id, x=x)


def _waiting_aad(key: CaseKey, x: int, to_user_id: int) -> bytes:
    return envelope.aad("tender-waiting", key=key.id, x=x, to=to_user_id)


def _check_officials(people: Sequence[User], k: int) -> None:
    if len({u.id for u in people}) != len(people):
        raise SealingError("開札担当職員に同じ職員が重複しています。")
    if len(people) < 2:
        raise SealingError("開札担当職員を2名以上指定してください（一人では開札できないようにするため）。")
    if len(people) > threshold.MAX_OFFICIALS:
        raise SealingError(f"開札担当職員は{threshold.MAX_OFFICIALS}名までです。")
    keys = opening_keys_of(people)
    missing_key = [u.name for u in people if not may_hold_shares(u, keys.get(u.id))]
    if missing_key:
        raise SealingError("次の職員は開札用パスフレーズを設定していないため、開札担当職員にできません："
                           + "、".join(missing_key) + "。")
    if not 2 <= k <= len(people):
        raise SealingError(f"開札に必要な人数は2名以上{len(people)}名以下にしてください。")


def _deal(case_id: int, purpose: str, secret: bytes, people: Sequence[User], k: int) -> list[KeyShare]:
    rows = []
    for share, user in zip(threshold.split(secret, k, len(people)), people, strict=True):
        key = opening_key_of(user)
        if not integrity.intact(key.mark, "opening-key", user.id, key.public_key):
            raise SealingError(TAMPERED)
        sealed = envelope.seal(envelope.unb64u(key.public_key), share.y, _share_aad(case_id, purpose, user.id, share.x))
        rows.append(KeyShare(user_id=user.id, opening_key_id=key.id, x=share.x, envelope=sealed))
    return rows


def _new_key(case_id: int, purpose: str, people: Sequence[User], k: int, *, by: User, now: datetime) -> CaseKey:
    secret = threshold.new_secret()
    key = CaseKey(case_id=case_id, purpose=purpose, threshold=k, created_at=now, created_by_id=by.id,
                  public_key=envelope.b64u(envelope.public_raw(threshold.private_key(secret))))
    key.mark = _key_mark(key)
    key.shares = _deal(case_id, purpose, secret, people, k)
    db.session.add(key)
    return key


def create_case_keys(case_id: int, people: Sequence[User], k: int, *, by: User, now: datetime) -> dict[str, CaseKey]:
    """A new key per purpose, its secret dealt to ``people`` (k needed) and then forgotten."""
    _check_officials(people, k)
    for old in case_keys(case_id).values():
        if old.released:
            raise SealingError("開封済みの鍵は作り直せません。")
        db.session.delete(old)
    db.session.flush()
    keys = {purpose: _new_key(case_id, purpose, people, k, by=by, now=now) for purpose in KeyPurpose.ALL}
    db.session.flush()
    record("case.keys_created", object_type="procurement_cases", object_id=case_id, actor=by, summary={
        "officials": [u.id for u in people], "threshold": k,
        "public_keys": {p: keys[p].public_key for p in KeyPurpose.ALL}})
    return keys


def create_round_key(case_id: int, round_number: int, *, by: User, now: datetime) -> CaseKey:
    """The price key of a re-bid round, dealt to the case's current officials: the key rebuilt at the
    previous opening (known, for a moment, to the server and to the officials) opens nothing of it."""
    first = case_keys(case_id).get(KeyPurpose.PRICE)
    if first is None:
        raise SealingError("この案件には封印の鍵がありません。")
    trusted_public_key(first)
    key = _new_key(case_id, KeyPurpose.price(round_number), [s.user for s in first.shares], first.threshold,
                   by=by, now=now)
    db.session.flush()
    record("case.round_key_created", object_type="procurement_cases", object_id=case_id, actor=by, summary={
        "round": round_number, "public_key": key.public_key})
    return key


def share_of(key: CaseKey, user: User) -> KeyShare | None:
    return next((s for s in key.shares if s.user_id == user.id), None)


def _own_shares(keys: Sequence[CaseKey], user: User, given: str) -> tuple[ec.EllipticCurvePrivateKey, list[KeyShare]]:
    shares = []
    for key in keys:
        trusted_public_key(key)
        share = share_of(key, user)
        if share is None:
            raise SealingError("この案件の開札担当職員ではないため、開封に加われません。")
        shares.append(share)
    current = opening_key_of(user)
    if current is None:
        raise SealingError("開札用パスフレーズが設定されていません。")
    if any(s.opening_key_id != current.id for s in shares):
        raise SealingError("開札用パスフレーズを作り直したため、この案件の分割鍵は使えません。"
                           "他の開札担当職員で開封するか、開札担当職員の変更を依頼してください。")
    return _unwrap(current, user, given), shares


def _open(private, sealed: str, aad: bytes) -> bytes:
    try:
        return envelope.open_(private, sealed, aad)
    except envelope.EnvelopeError as exc:
        raise SealingError("分割鍵を復号できません（記録が改変されたおそれがあります）。管理者に連絡してください。") from exc


def _rebuilt(key: CaseKey, points: dict[int, bytes]) -> bytes:
    secret = threshold.combine([threshold.Share(x, y) for x, y in points.items()])
    if envelope.b64u(envelope.public_raw(threshold.private_key(secret))) != key.public_key:
        raise SealingError("分割鍵から鍵を復元できません（記録が改変されたおそれがあります）。管理者に連絡してください。")
    return secret


def provide(keys: Sequence[CaseKey], user: User, given: str, *, now: datetime) -> dict[str, ec.EllipticCurvePrivateKey]:
    """The official enters the passphrase at a ceremony. Returns the keys rebuilt by it (purpose →
    private key, in memory only) — none until k officials have come; until then their shares wait,
    sealed to the officials who have not yet come."""
    private, shares = _own_shares(keys, user, given)
    if any(s.provided_at is not None for s in shares):
        raise SealingError("この手続には既に加わっています。別の開札担当職員の確認を待っています。")
    ready = {}
    for key, share in zip(keys, shares, strict=True):
        points = {share.x: _open(private, share.envelope, _share_aad(key.case_id, key.purpose, user.id, share.x))}
        waiting = db.session.execute(select(WaitingShare).where(WaitingShare.case_key_id == key.id,
                                                                WaitingShare.to_user_id == user.id)).scalars().all()
        for row in waiting:
            points[row.x] = _open(private, row.envelope, _waiting_aad(key, row.x, user.id))
        share.provided_at = now
        if len(points) >= key.threshold:
            ready[key.purpose] = threshold.private_key(_rebuilt(key, points))
            withdraw([key])
            continue
        db.session.execute(delete(WaitingShare).where(WaitingShare.case_key_id == key.id))
        for other in key.shares:
            if other.provided_at is not None:
                continue
            their = db.session.get(OpeningKey, other.opening_key_id)
            if not integrity.intact(their.mark, "opening-key", other.user_id, their.public_key):
                raise SealingError(TAMPERED)
            for x, y in points.items():
                db.session.add(WaitingShare(case_key_id=key.id, x=x, to_user_id=other.user_id, created_at=now,
                                            envelope=envelope.seal(envelope.unb64u(their.public_key), y,
                                                                   _waiting_aad(key, x, other.user_id))))
    db.session.flush()
    return ready


def provided(key: CaseKey) -> list[KeyShare]:
    return [s for s in key.shares if s.provided_at is not None]


def missing(key: CaseKey) -> int:
    return max(0, key.threshold - len(provided(key)))


def withdraw(keys: Sequence[CaseKey]) -> None:
    """A ceremony ended or withdrawn: every waiting share is deleted, every official may come again."""
    for key in keys:
        db.session.execute(delete(WaitingShare).where(WaitingShare.case_key_id == key.id))
        for share in key.shares:
            share.provided_at = None


def in_ceremony(case_id: int) -> bool:
    return any(s.provided_at is not None for key in case_keys(case_id).values() for s in key.shares)


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


def reshare(case_id: int, people: Sequence[User], k: int, present: Sequence[tuple[User, str]], *, by: User,
            now: datetime) -> dict[str, CaseKey]:
    """New shares of the same keys for a new list of officials (a departing or added official, a lost
    passphrase), in one sitting: the current officials present type their passphrases into the same
    request, k of them rebuild each key in memory, and it is dealt anew. Nothing waits in the
    database. Bids already sealed stay openable: the public keys do not change."""
    _check_officials(people, k)
    if in_ceremony(case_id):
        raise SealingError("開封の手続の途中は、開札担当職員を変更できません。")
    keys = [key for key in case_keys(case_id).values() if not key.released]
    if len({u.id for u, _ in present}) != len(present):
        raise SealingError("同じ職員のパスフレーズが重複しています。")
    points: dict[int, dict[int, bytes]] = {key.id: {} for key in keys}
    for user, given in present:
        private, shares = _own_shares(keys, user, given)
        for key, share in zip(keys, shares, strict=True):
            points[key.id][share.x] = _open(private, share.envelope,
                                            _share_aad(key.case_id, key.purpose, user.id, share.x))
    for key in keys:
        if len(points[key.id]) < key.threshold:
            raise SealingError(f"開札担当職員の変更には、現在の開札担当職員{key.threshold}名のパスフレーズが必要です。")
        secret = _rebuilt(key, points[key.id])
        key.shares.clear()
        db.session.flush()
        key.threshold = k
        key.mark = _key_mark(key)
        key.shares = _deal(case_id, key.purpose, secret, people, k)
    db.session.flush()
    record("case.keys_reshared", object_type="procurement_cases", object_id=case_id, actor=by, summary={
        "officials": [u.id for u in people], "threshold": k, "present": [u.id for u, _ in present]})
    return {key.purpose: key for key in keys}

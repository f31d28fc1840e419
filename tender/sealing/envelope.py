"""The envelope: one format for everything sealed, in Python here and in the bidder's browser
(static/js/seal-bid.js, Web Crypto). docs/sealing.md specifies it for other clients.

    {"v": "tender-seal-1", "epk": B64URL, "iv": B64URL, "ct": B64URL}

* ``epk``: an ephemeral P-256 public key, uncompressed point (65 bytes), fresh per envelope.
* key: HKDF-SHA256(ikm = ECDH(ephemeral, recipient) x-coordinate, salt = epk, info =
  "tender-seal-1"), 32 bytes.
* ``ct``: AES-256-GCM(key, iv (12 bytes), plaintext, associated data) — ciphertext and tag.

The associated data is not in the envelope: the opener supplies what the envelope must belong
to (case, round, company, 受理番号 …), so an envelope moved to another row does not open.
Standard library and ``cryptography`` only: no Flask, no database.
"""
from __future__ import annotations

import base64
import binascii
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "tender-seal-1"
_INFO = VERSION.encode("ascii")
CURVE = ec.SECP256R1()
POINT_BYTES = 65
IV_BYTES = 12
TAG_BYTES = 16
#: Larger plaintexts are refused before any work (a bid's payload is a few kilobytes; files are
#: sealed with the same format and have their own limit).
MAX_CIPHERTEXT = 64 * 1024 * 1024


class EnvelopeError(ValueError):
    """Not an envelope of this format, or it does not open with this key and associated data."""


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64u(text: str) -> bytes:
    if not isinstance(text, str) or not text.isascii():
        raise EnvelopeError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise EnvelopeError("not base64url") from exc


def public_raw(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> bytes:
    """The public key as the browser imports it ('raw': the uncompressed point)."""
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    return public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def load_public(raw: bytes) -> ec.EllipticCurvePublicKey:
    if len(raw) != POINT_BYTES:
        raise EnvelopeError("a P-256 public key is 65 bytes")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(CURVE, raw)
    except ValueError as exc:
        raise EnvelopeError("not a point on P-256") from exc


def new_private_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(CURVE)


def _key(shared: bytes, epk: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=epk, info=_INFO).derive(shared))


def seal(recipient: bytes | ec.EllipticCurvePublicKey, plaintext: bytes, aad: bytes) -> str:
    """Seal ``plaintext`` to the recipient's public key, bound to ``aad``."""
    public = load_public(recipient) if isinstance(recipient, bytes) else recipient
    ephemeral = new_private_key()
    epk = public_raw(ephemeral)
    iv = os.urandom(IV_BYTES)
    ct = _key(ephemeral.exchange(ec.ECDH(), public), epk).encrypt(iv, plaintext, aad)
    return json.dumps({"v": VERSION, "epk": b64u(epk), "iv": b64u(iv), "ct": b64u(ct)}, separators=(",", ":"))


def parse(envelope: str) -> tuple[bytes, bytes, bytes]:
    """(epk, iv, ct) of a well-formed envelope, or EnvelopeError. Needs no key: the server
    checks a bidder's envelope this way before accepting it, without being able to open it."""
    if not isinstance(envelope, str) or len(envelope) > MAX_CIPHERTEXT * 4 // 3 + 1024:
        raise EnvelopeError("not an envelope")
    try:
        obj = json.loads(envelope)
    except ValueError as exc:
        raise EnvelopeError("not JSON") from exc
    if not isinstance(obj, dict) or set(obj) != {"v", "epk", "iv", "ct"} or obj["v"] != VERSION:
        raise EnvelopeError(f"not a {VERSION} envelope")
    epk, iv, ct = unb64u(obj["epk"]), unb64u(obj["iv"]), unb64u(obj["ct"])
    load_public(epk)
    if len(iv) != IV_BYTES or not TAG_BYTES <= len(ct) <= MAX_CIPHERTEXT:
        raise EnvelopeError("wrong sizes")
    return epk, iv, ct


def open_(private: ec.EllipticCurvePrivateKey, envelope: str, aad: bytes) -> bytes:
    """The plaintext, or EnvelopeError when the key or the associated data is not the sealed one
    or anything was altered (AES-GCM authenticates all of it)."""
    epk, iv, ct = parse(envelope)
    try:
        return _key(private.exchange(ec.ECDH(), load_public(epk)), epk).decrypt(iv, ct, aad)
    except InvalidTag as exc:
        raise EnvelopeError("the envelope does not open with this key and associated data") from exc


def aad(kind: str, **fields: object) -> bytes:
    """Associated data as both sides build it: ``kind|name=value|…`` in the order given, UTF-8."""
    parts = [kind] + [f"{name}={value}" for name, value in fields.items()]
    for part in parts:
        if "|" in part or "\n" in part:
            raise ValueError("associated data may not contain '|' or a line break")
    return "|".join(parts).encode("utf-8")

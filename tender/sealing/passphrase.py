"""An official's opening key, kept under a passphrase the server never stores.

The P-256 private key is encrypted with AES-256-GCM under a key derived from the passphrase by
Argon2id (RFC 9106). The parameters travel with the wrapped key, so cheaper test parameters
and stronger future ones coexist. A wrong passphrase fails the GCM tag: nothing else tells
whether a guess was close.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tender.config import CHEAP_ARGON2, OPENING_KEY_ARGON2
from tender.sealing.envelope import EnvelopeError, b64u, unb64u


@dataclass(frozen=True)
class Params:
    time_cost: int
    memory_kib: int
    parallelism: int


    @classmethod
    def of(cls, value: Params | tuple[int, int, int]) -> Params:
        return value if isinstance(value, Params) else cls(*value)


#: The production and the test parameters (tender.config says why each).
STRONG = Params(*OPENING_KEY_ARGON2)
CHEAP = Params(*CHEAP_ARGON2)


class WrongPassphrase(ValueError):
    """The passphrase does not open this key."""


def normalise(passphrase: str) -> bytes:
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _derive(passphrase: str, salt: bytes, params: Params) -> bytes:
    return hash_secret_raw(normalise(passphrase), salt, time_cost=params.time_cost, memory_cost=params.memory_kib,
                           parallelism=params.parallelism, hash_len=32, type=Type.ID)


def wrap(private: ec.EllipticCurvePrivateKey, passphrase: str, params: Params, aad: bytes) -> dict:
    salt, iv = os.urandom(16), os.urandom(12)
    der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    ct = AESGCM(_derive(passphrase, salt, params)).encrypt(iv, der, aad)
    return {"kdf": "argon2id", "t": params.time_cost, "m": params.memory_kib, "p": params.parallelism,
            "salt": b64u(salt), "iv": b64u(iv), "ct": b64u(ct)}


def unwrap(blob: dict, passphrase: str, aad: bytes) -> ec.EllipticCurvePrivateKey:
    try:
        params = Params(int(blob["t"]), int(blob["m"]), int(blob["p"]))
        salt, iv, ct = unb64u(blob["salt"]), unb64u(blob["iv"]), unb64u(blob["ct"])
    except (KeyError, TypeError, ValueError, EnvelopeError) as exc:
        raise ValueError("not a wrapped opening key") from exc
    try:
        der = AESGCM(_derive(passphrase, salt, params)).decrypt(iv, ct, aad)
    except InvalidTag as exc:
        raise WrongPassphrase() from exc
    key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("not a P-256 key")
    return key

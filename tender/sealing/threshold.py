"""A case's secret, split so that k of its n opening officials are needed to rebuild it.

The secret is 32 random bytes; the case's P-256 private key is derived from it, so the private
key itself is never stored anywhere. Shamir's secret sharing (pycryptodome's implementation,
over GF(2^128)) splits each 16-byte half with the same share indexes; a share is the two halves'
values, 32 bytes, with its index 1..n. Fewer than k shares reveal nothing about the secret.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from Crypto.Protocol.SecretSharing import Shamir
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from tender.sealing.envelope import CURVE

SECRET_BYTES = 32
#: The order of P-256's base point.
_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
MAX_OFFICIALS = 20


@dataclass(frozen=True)
class Share:
    x: int
    y: bytes

    def __post_init__(self) -> None:
        if not 1 <= self.x <= 255 or len(self.y) != SECRET_BYTES:
            raise ValueError("a share is an index 1..255 and 32 bytes")


def new_secret() -> bytes:
    return os.urandom(SECRET_BYTES)


def private_key(secret: bytes) -> ec.EllipticCurvePrivateKey:
    """The case's key, derived from the secret (48 bytes reduced mod n: bias below 2^-128)."""
    if len(secret) != SECRET_BYTES:
        raise ValueError("the secret is 32 bytes")
    wide = HKDF(algorithm=hashes.SHA256(), length=48, salt=None, info=b"tender-case-key-1").derive(secret)
    return ec.derive_private_key(int.from_bytes(wide, "big") % (_ORDER - 1) + 1, CURVE)


def split(secret: bytes, k: int, n: int) -> list[Share]:
    if len(secret) != SECRET_BYTES:
        raise ValueError("the secret is 32 bytes")
    if not 2 <= k <= n <= MAX_OFFICIALS:
        raise ValueError("2 <= k <= n <= 20")
    first = Shamir.split(k, n, secret[:16])
    second = Shamir.split(k, n, secret[16:])
    return [Share(x, a + b) for (x, a), (x2, b) in zip(first, second, strict=True) if x == x2]


def combine(shares: list[Share]) -> bytes:
    """The secret from k shares (more are fine). Wrong shares give a wrong secret, not an error:
    the caller checks the derived public key against the case's."""
    if len({s.x for s in shares}) != len(shares) or len(shares) < 2:
        raise ValueError("at least two distinct shares")
    first = Shamir.combine([(s.x, s.y[:16]) for s in shares])
    second = Shamir.combine([(s.x, s.y[16:]) for s in shares])
    return first + second

"""Authenticated encryption of confidential values under a rotating key ring.

``cryptography``'s Fernet gives authenticated encryption with a versioned token format;
MultiFernet decrypts with any key of the ring and encrypts with the first, which is what
key rotation needs: put the new key first, run ``flask --app wsgi keys rotate``, then
drop the old key.
"""
from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

_ring: MultiFernet | None = None


class ConfidentialDataError(RuntimeError):
    """A confidential value could not be decrypted (wrong key or tampered token)."""


def parse_keys(spec: str) -> list[Fernet]:
    keys = [k.strip() for k in spec.split(",") if k.strip()]
    if not keys:
        raise ValueError("TENDER_DATA_KEYS is empty")
    return [Fernet(k.encode()) for k in keys]


def configure(spec: str) -> None:
    global _ring
    _ring = MultiFernet(parse_keys(spec))


def _keyring() -> MultiFernet:
    if _ring is None:
        raise RuntimeError("the key ring is not configured (create_app configures it)")
    return _ring


def encrypt(plaintext: str) -> str:
    return _keyring().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _keyring().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ConfidentialDataError("confidential value could not be decrypted") from exc


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key (no-op in meaning)."""
    return _keyring().rotate(token.encode("ascii")).decode("ascii")

"""Sealed bids: an envelope per bid under a key pair per case.

Each case gets an X25519 key pair the first time it receives a bid. Sealing needs only the
public key: every bid's payload (amount, 入札内訳書, くじ番号 and a random nonce) is encrypted
with a key derived (HKDF-SHA256) from a fresh ephemeral key exchange, then with Fernet
(authenticated). The case's private key is stored encrypted under ``TENDER_SEALING_KEY`` and
is decrypted in exactly one place — ``unseal_all``, called by the opening once two officials
have confirmed it at or after the opening time. Before that no code path can read an
amount, and a reader of the database holds only ciphertext.

The fingerprint given on the 受理票 is the SHA-256 of the canonical payload; the nonce in it
(shown to the bidder once, never stored in clear) keeps a guessable amount from being found
by hashing candidates.
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_INFO = b"tender sealed bid v1"


class SealError(RuntimeError):
    """A sealed bid could not be opened (wrong key, altered ciphertext or fingerprint)."""


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(16)


def _passphrase() -> bytes:
    return current_app.config["TENDER_SEALING_KEY"].encode("utf-8")


def new_key_pair() -> tuple[str, str]:
    """(public key PEM, private key PEM encrypted under TENDER_SEALING_KEY)."""
    private = X25519PrivateKey.generate()
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.BestAvailableEncryption(_passphrase())).decode()
    return public_pem, private_pem


def _derive(shared: bytes, ephemeral_public: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public, info=_INFO).derive(shared)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(public_pem: str, payload: dict[str, Any]) -> tuple[str, str]:
    """(ciphertext, ephemeral public key) for one bid."""
    public = serialization.load_pem_public_key(public_pem.encode())
    if not isinstance(public, X25519PublicKey):
        raise SealError("the case's sealing key is not an X25519 key")
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    token = _derive(ephemeral.exchange(public), ephemeral_public).encrypt(canonical(payload))
    return token.decode("ascii"), base64.b64encode(ephemeral_public).decode("ascii")


def unseal_all(private_pem_encrypted: str, sealed: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Open every bid of a round: (ciphertext, ephemeral public key, fingerprint) each.

    The only code that decrypts the case's private key. Each payload is checked against the
    fingerprint the bidder was given; a mismatch raises rather than returning an amount.
    """
    private = serialization.load_pem_private_key(private_pem_encrypted.encode(), password=_passphrase())
    if not isinstance(private, X25519PrivateKey):
        raise SealError("the case's sealing key is not an X25519 key")
    opened = []
    for token, ephemeral_b64, expected in sealed:
        ephemeral_public = base64.b64decode(ephemeral_b64)
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        try:
            payload = json.loads(_derive(shared, ephemeral_public).decrypt(token.encode("ascii")))
        except Exception as exc:  # InvalidToken and malformed JSON alike: never a partial amount
            raise SealError("a sealed bid could not be decrypted") from exc
        if fingerprint(payload) != expected:
            raise SealError("a sealed bid does not match its fingerprint")
        opened.append(payload)
    return opened

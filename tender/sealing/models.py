"""Opening keys of officials, a case's sealing keys and the shares that rebuild them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tender.extensions import db
from tender.types import EncryptedText, UTCDateTime


class OpeningKey(db.Model):
    """An official's P-256 key pair for receiving shares; the private half is wrapped under the
    official's opening passphrase (Argon2id), which the server never stores."""

    __tablename__ = "opening_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: base64url of the uncompressed point
    public_key: Mapped[str] = mapped_column(String(100))
    #: Integrity mark over user and public key (tender.integrity): shares are dealt only to marked keys.
    mark: Mapped[str] = mapped_column(String(64))
    #: tender.sealing.passphrase.wrap's output: Argon2id parameters, salt, AES-GCM ciphertext.
    wrapped_private: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Set when a new key replaced this one (a forgotten passphrase): shares sealed to it are dead.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")


class KeyPurpose:
    #: Amounts, 入札内訳書 and くじ番号 of the first round, and the 予定価格: opened at the 開札.
    PRICE = "price"
    #: Proposal files: opened after the submission deadline for the evaluators (総合評価), or at the 開札.
    PROPOSALS = "proposals"
    ALL = (PRICE, PROPOSALS)
    LABELS = {PRICE: "価格（入札書・予定価格）", PROPOSALS: "提案書"}

    @staticmethod
    def price(round_number: int) -> str:
        """Each re-bid round has a price key of its own: a key rebuilt at one opening opens nothing later."""
        return KeyPurpose.PRICE if round_number == 1 else f"price-{round_number}"


class CaseKey(db.Model):
    """A case's key for one purpose. Only its public half is stored; the private half is derived
    from a secret that exists only as shares (k of n named officials) until its ceremony."""

    __tablename__ = "case_keys"
    __table_args__ = (UniqueConstraint("case_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    #: base64url of the uncompressed point; what bidders' browsers seal to.
    public_key: Mapped[str] = mapped_column(String(100))
    #: k: shares needed to rebuild the key.
    threshold: Mapped[int] = mapped_column(Integer)
    #: Integrity mark over case, purpose, public key and k: a key swapped in the database is refused.
    mark: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The ceremony that rebuilt the key.
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: After the release only, and only for proposals (files are read on demand afterwards): the
    #: private key (PKCS#8, base64) under the data keys.
    released_private: Mapped[str | None] = mapped_column(EncryptedText)

    shares: Mapped[list[KeyShare]] = relationship(back_populates="case_key", order_by="KeyShare.x",
                                                  cascade="all, delete-orphan")

    @property
    def released(self) -> bool:
        return self.released_at is not None


class KeyShare(db.Model):
    """One official's share of a case key, sealed to that official's opening key."""

    __tablename__ = "key_shares"
    __table_args__ = (UniqueConstraint("case_key_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_key_id: Mapped[int] = mapped_column(ForeignKey("case_keys.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    opening_key_id: Mapped[int] = mapped_column(ForeignKey("opening_keys.id"), index=True)
    #: Shamir index (1..n)
    x: Mapped[int] = mapped_column(Integer)
    #: tender.sealing.envelope of the 32-byte share, associated data naming case, purpose, user, index.
    envelope: Mapped[str] = mapped_column(Text)
    #: During a ceremony only: when the official entered the passphrase. Their share then waits sealed
    #: to each official who has not yet given theirs (WaitingShare), never in a form the server can open.
    provided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case_key: Mapped[CaseKey] = relationship(back_populates="shares")
    user = relationship("User")
    opening_key = relationship("OpeningKey")


class WaitingShare(db.Model):
    """During a ceremony: a share already given, sealed to one official who has not given theirs.
    Only that official's passphrase opens it, so the database never holds k usable shares."""

    __tablename__ = "waiting_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_key_id: Mapped[int] = mapped_column(ForeignKey("case_keys.id"), index=True)
    x: Mapped[int] = mapped_column(Integer)
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    envelope: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

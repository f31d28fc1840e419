"""Sealed bids (入札), their rounds (初度・再度入札), openings (開札) and lotteries (くじ)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from tender.extensions import db
from tender.rules.labels import Labelled
from tender.types import UTCDateTime, enum_column


class RoundState(Labelled):
    ACCEPTING = "accepting", "受付中"
    REQUESTED = "opening_requested", "開札確認待ち"
    OPENED = "opened", "開札済み"


class BidRound(db.Model):
    """A round of sealed bids: the first (初度入札), or a re-bid (再度入札, 入札心得第15条)."""

    __tablename__ = "bid_rounds"
    __table_args__ = (UniqueConstraint("case_id", "number"),
                      # The openings waiting for a second official (the home page's あなたの作業): a few
                      # rows among every round there ever was.
                      Index("ix_bid_rounds_requested", "case_id", postgresql_where=text("state = 'opening_requested'"),
                            sqlite_where=text("state = 'opening_requested'")))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    #: A re-bid's own times, set when the officer starts it. The first round has none of its own:
    #: it reads the case's schedule, the one place a 訂正 changes (see ``submission_deadline``).
    rebid_deadline: Mapped[datetime | None] = mapped_column("submission_deadline", UTCDateTime, nullable=True,
                                                            index=True)
    rebid_opening_at: Mapped[datetime | None] = mapped_column("opening_at", UTCDateTime, nullable=True)
    #: Re-bids are open only to the bidders present at the previous opening (None = everyone).
    eligible_company_ids: Mapped[list | None] = mapped_column(JSON)
    state: Mapped[RoundState] = mapped_column(enum_column(RoundState), default=RoundState.ACCEPTING)
    # The opening: requested by an officer of the case, confirmed by a second official.
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: 立会人: a bidder present, or staff unrelated to the procurement (入札心得第12条)
    witness_name: Mapped[str | None] = mapped_column(String(100))
    witness_kind: Mapped[str | None] = mapped_column(String(20))
    #: A staff witness is a user of the application: never one of the officials who open.
    witness_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: Companies whose representative or agent attended the opening.
    attendee_company_ids: Mapped[list | None] = mapped_column(JSON)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    #: ``case.rounds``: read once per transaction, whatever asks for the current round (lock_row
    #: reads it again after taking the case's lock).
    case = relationship("ProcurementCase", backref=backref("rounds", order_by="BidRound.number"))
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])
    witness_user = relationship("User", foreign_keys=[witness_user_id])
    bids: Mapped[list[Bid]] = relationship(back_populates="round", order_by="(Bid.submitted_at, Bid.id)",
                                          lazy="selectin")  # the order of submission, ties by receipt
    declines: Mapped[list[BidDecline]] = relationship(back_populates="round", lazy="selectin")

    @property
    def state_label(self) -> str:
        return self.state.label

    def state_label_at(self, now: datetime) -> str:
        """The state as the clock makes it (issue 19: 「受付中」 showed after the deadline): a round still
        accepting in the database but past its deadline reads 締切済み（開札待ち）."""
        deadline = self.submission_deadline
        if self.state == RoundState.ACCEPTING and deadline is not None and now > deadline:
            return "締切済み（開札待ち）"
        return self.state.label

    @property
    def submission_deadline(self) -> datetime | None:
        """提出期限: the case's (as amended) for the first round, the re-bid's own otherwise."""
        return self.case.submission_deadline if self.number == 1 else self.rebid_deadline

    @property
    def opening_at(self) -> datetime | None:
        """開札日時: the case's (as amended) for the first round, the re-bid's own otherwise."""
        return self.case.opening_at if self.number == 1 else self.rebid_opening_at


class BidStatus(Labelled):
    SEALED = "sealed", "封印中"
    VALID = "valid", "有効"
    INVALID = "invalid", "無効"


class Bid(db.Model):
    """A sealed bid: never changed, exchanged or withdrawn once submitted [002 §1(5)⑤]."""

    __tablename__ = "bids"
    __table_args__ = (UniqueConstraint("round_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("bid_rounds.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: Submitted by the company's agent (代理人), with a 委任状 attached.
    as_agent: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: 受理番号 on the 提案書受理票: case, round and 6 random characters (it counts nothing).
    receipt_number: Mapped[str] = mapped_column(String(40), unique=True)
    #: The envelope the bidder's browser sealed to the case's price key (tender.sealing.envelope),
    #: bound to case, round, company and 受理番号 (tender.bidding.sealed.bid_aad).
    sealed_payload: Mapped[str] = mapped_column(Text)
    #: SHA-256 of the sealed payload's bytes, computed by the browser; on the receipt, checked at the opening.
    fingerprint: Mapped[str] = mapped_column(String(64))
    #: 受理時乱数 (0–999): drawn when the bid is received and printed on the 受理票; the 電子くじ
    #: uses only these and the sealed くじ番号, all fixed before the deadline (issue 13 item 7).
    receipt_random: Mapped[int] = mapped_column(Integer, default=0)
    #: Integrity mark over the receipt's facts (tender.bidding.operations.bid_mark).
    mark: Mapped[str] = mapped_column(String(64), default="")
    # Known only from the opening on:
    amount: Mapped[int | None] = mapped_column(BigInteger)
    lottery_number: Mapped[int | None] = mapped_column(Integer)
    breakdown: Mapped[list | None] = mapped_column(JSON)
    #: 照合用コード: generated in the bidder's browser, known to the server from the opening on.
    nonce: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[BidStatus] = mapped_column(enum_column(BidStatus), default=BidStatus.SEALED)
    #: The filled-in 評価項目一覧 (first round of a technical evaluation): {"marks": {id: "○"/"×"},
    #: "pages": {id: "12"}, "source": "screen"/"xlsx"}. Not a price, so not sealed; its hash is.
    sheet: Mapped[dict | None] = mapped_column(JSON)
    #: tender.rules.bids.InvalidGround code, with the officer's (or the system's) reason.
    invalid_ground: Mapped[str | None] = mapped_column(String(30))
    invalid_reason: Mapped[str | None] = mapped_column(Text)
    invalid_marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    invalid_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    round: Mapped[BidRound] = relationship(back_populates="bids")
    # Loaded with the bids that name them, in one query for the whole list (issue 16: no query in a loop).
    company = relationship("Company", lazy="selectin")
    # Read only where a bid's envelope is opened or its receipt made: not with every list of bids
    # (a page of 50 bids read their 100 files it never showed). The opening loads them for its round.
    files: Mapped[list[BidFile]] = relationship(back_populates="bid", order_by="BidFile.id")

    @property
    def status_label(self) -> str:
        return self.status.label


class BidFile(db.Model):
    """A document submitted with a bid (提案書, 委任状, 資格審査結果通知書の写し …)."""

    __tablename__ = "bid_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("required_documents.id"), index=True)
    #: The form field it came in ("doc_12", "power_of_attorney", "sheet_file"): the sealed payload
    #: names each file's SHA-256 by it.
    slot: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), index=True)

    bid: Mapped[Bid] = relationship(back_populates="files")
    file = relationship("StoredFile", lazy="selectin")


class BidDecline(db.Model):
    """A bidder out of a re-bid round: absent from the opening (deemed to decline) or declining (辞退)."""

    __tablename__ = "bid_declines"
    __table_args__ = (UniqueConstraint("round_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("bid_rounds.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    #: "absent" (入札心得第15条: deemed to decline) or "declined"
    reason: Mapped[str] = mapped_column(String(20))
    declined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    declined_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    round: Mapped[BidRound] = relationship(back_populates="declines")
    company = relationship("Company", lazy="selectin")


class Lottery(db.Model):
    """An electronic lottery (電子くじ) between tied bids; every input is kept so anyone can verify it."""

    __tablename__ = "lotteries"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("bid_rounds.id"), unique=True)
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime)
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    witness_name: Mapped[str] = mapped_column(String(100))
    #: [{"bid_id", "number", "order", "receipt_random"}] in order of submission
    entries: Mapped[list] = mapped_column(JSON)
    steps: Mapped[list] = mapped_column(JSON)
    ranking: Mapped[list] = mapped_column(JSON)
    algorithm: Mapped[str] = mapped_column(Text)

    round = relationship("BidRound")

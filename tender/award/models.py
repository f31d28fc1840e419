"""Award decisions (落札者の決定) and low-bid investigations (低入札価格調査)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tender.extensions import db
from tender.rules.bids import contract_submission_deadline
from tender.rules.calendar import to_jst
from tender.rules.labels import Labelled
from tender.types import UTCDateTime, enum_column


class DecisionKind(Labelled):
    AWARD = "award", "落札者の決定"  # 第14条
    HOLD = "hold", "落札決定の保留（低入札価格調査）"  # 第13条、第14条第2項
    REBID = "rebid", "再度入札"  # 第15条
    LOTTERY = "lottery", "くじの実施"  # 第16条
    NO_AWARD = "no_award", "落札者なし（不調）"  # 有効な入札がなく落札者なし


class AwardDecision(db.Model):
    """A decision of the officer on a round's result: who, when, on what grounds, on which figures."""

    __tablename__ = "award_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("bid_rounds.id"), index=True)
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind))
    bid_id: Mapped[int | None] = mapped_column(ForeignKey("bids.id"), index=True)
    grounds: Mapped[str] = mapped_column(Text)
    #: The engine's result the decision was taken on (statuses, scores as strings, award status).
    standing: Mapped[dict] = mapped_column(JSON)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: When an award lost its force because its contract never came in (第17条): written by the
    #: contracts, so that the award's standing needs nothing above it.
    lapsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why the award was revoked (入札心得第19条: 連合その他の事由により正当な入札でないことが判明),
    #: with ``lapsed_at`` the moment it was; None for an award that lapsed under 第17条 or stands.
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    bid = relationship("Bid")
    decided_by = relationship("User")

    @property
    def contract_deadline(self) -> date:
        """The day the winner's signed contract is due (入札心得第17条), counted from this decision."""
        return contract_submission_deadline(to_jst(self.decided_at).date())

    @property
    def kind_label(self) -> str:
        return self.kind.label


class LowBidInvestigation(db.Model):
    """低入札価格調査 of a held bid: started with the hold, concluded pass or fail with findings."""

    __tablename__ = "low_bid_investigations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: "passed" (the bidder can perform: award) or "failed" (第14条第3項: the next best is proposed)
    conclusion: Mapped[str | None] = mapped_column(String(20))
    findings: Mapped[str | None] = mapped_column(Text)
    concluded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(Integer, default=0)

    bid = relationship("Bid")

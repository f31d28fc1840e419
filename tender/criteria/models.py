"""A case's 評価項目一覧: compliance items, requirements (基礎点・加点) and attachments."""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tender.extensions import db


class EvaluationCriterion(db.Model):
    __tablename__ = "evaluation_criteria"
    __table_args__ = (UniqueConstraint("case_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: compliance (遵守確認事項), requirement (提案要求事項) or attachment (添付資料)
    section: Mapped[str] = mapped_column(String(20))
    #: 項目番号, stable: bidders' sheets and evaluators' marks refer to it.
    item_id: Mapped[str] = mapped_column(String(20))
    #: 大項目 / 中項目 headings and the item's text
    major: Mapped[str] = mapped_column(String(200), default="")
    middle: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(Text)
    #: requirement items: mandatory (基礎点), ranked (S/A/B/C) or certification (WLB)
    kind: Mapped[str | None] = mapped_column(String(20))
    points: Mapped[int] = mapped_column(Integer, default=0)
    #: custom S/A/B/C table; None = the 評価手順書's table for 15 and 10 points
    ranks: Mapped[dict | None] = mapped_column(JSON)
    #: certification code → points (the officer sets it per notice)
    table: Mapped[dict | None] = mapped_column(JSON)
    #: attachments: must the bidder give a page number for it
    mandatory_attachment: Mapped[bool] = mapped_column(Boolean, default=False)

    case = relationship("ProcurementCase")

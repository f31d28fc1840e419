"""Contracts (契約) drawn from an award, and their performance: deliverables, inspections, invoices.

A contract starts as a draft from the award decision (the winner's bid, the case's period) with
the deadline for the signed contract (入札心得第17条). Each change of the draft is a new
``ContractVersion`` (the whole terms as JSON), so what was proposed when is never lost; the
``Contract`` row mirrors the latest version for queries. Signing freezes it. Deliverables are
generated from due-date rules (tender.rules.contracts); each delivery is inspected within the
contract's inspection period, a failed one is delivered again.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tender.extensions import db
from tender.rules.conditions import Conditions
from tender.rules.conditions import from_dict as conditions_from
from tender.rules.labels import Labelled
from tender.types import UTCDateTime, enum_column


class ContractState(Labelled):
    DRAFT = "draft", "契約書（案）"  # 落札者の契約書提出を待つ
    SIGNED = "signed", "契約締結"
    LAPSED = "lapsed", "失効（契約書の提出なし）"  # 期限内に契約書の提出がなく落札が効力を失った（第17条）
    COMPLETED = "completed", "履行完了"


class Contract(db.Model):
    __tablename__ = "contracts"
    #: The contract list's order, newest first: many contracts share a signing day.
    __table_args__ = (Index("ix_contracts_signed", "signed_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    award_decision_id: Mapped[int] = mapped_column(ForeignKey("award_decisions.id"), unique=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    state: Mapped[ContractState] = mapped_column(enum_column(ContractState), default=ContractState.DRAFT, index=True)

    # The latest version's figures (the versions keep every earlier one).
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    #: 契約金額（税抜）= the winning bid; the tax is cut below 1 yen.
    amount_excl: Mapped[int] = mapped_column(BigInteger)
    tax: Mapped[int] = mapped_column(BigInteger)
    amount_total: Mapped[int] = mapped_column(BigInteger)
    inspection_days: Mapped[int] = mapped_column(Integer, default=30)
    #: The conditions that differ between the seeds (tender.rules.conditions), copied from the
    #: authority's preset when the draft is made; None (contracts made before): the IPA preset.
    conditions_data: Mapped[dict | None] = mapped_column("conditions", JSON)
    quantity: Mapped[str] = mapped_column(String(100), default="一式")

    #: 契約書の提出期限 (第17条) and its extension by the officer, with a reason.
    submission_deadline: Mapped[date] = mapped_column(Date)
    extended_deadline: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)

    contract_number: Mapped[str | None] = mapped_column(String(100))
    signed_on: Mapped[date | None] = mapped_column(Date)
    #: The number of the version that was signed.
    signed_version: Mapped[int | None] = mapped_column(Integer)
    signed_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), index=True)
    lapsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lapse_reason: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None] = mapped_column(Date)

    #: 一者応札・一者応募: only one bid in the procedure.
    one_bidder: Mapped[bool] = mapped_column(Boolean, default=False)
    published_on: Mapped[date | None] = mapped_column(Date)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    case = relationship("ProcurementCase", lazy="selectin")
    company = relationship("Company", lazy="selectin")
    bid = relationship("Bid")
    award_decision = relationship("AwardDecision")
    signed_file = relationship("StoredFile")
    versions: Mapped[list[ContractVersion]] = relationship(back_populates="contract", order_by="ContractVersion.number")
    changes: Mapped[list[ContractChange]] = relationship(back_populates="contract", order_by="ContractChange.number")
    defects: Mapped[list[DefectClaim]] = relationship(back_populates="contract", order_by="DefectClaim.number")
    subcontracts: Mapped[list[Subcontract]] = relationship(back_populates="contract", order_by="Subcontract.number")
    settlement: Mapped[Settlement | None] = relationship(back_populates="contract", uselist=False)
    rules: Mapped[list[DueRuleRow]] = relationship(back_populates="contract", order_by="DueRuleRow.position")
    # Collections read together for every contract a page lists (issue 16: no query in a loop).
    deliverables: Mapped[list[Deliverable]] = relationship(
        back_populates="contract", order_by="(Deliverable.due_on, Deliverable.id)", lazy="selectin")
    invoices: Mapped[list[Invoice]] = relationship(back_populates="contract", order_by="Invoice.received_on",
                                                   lazy="selectin")

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def deadline(self) -> date:
        """The deadline in force: the officer's extension if any, else 第17条's."""
        return self.extended_deadline or self.submission_deadline

    @property
    def conditions(self) -> Conditions:
        return conditions_from(self.conditions_data)

    @property
    def latest(self) -> ContractVersion:
        return self.versions[-1]


class ContractChange(db.Model):
    """A 変更契約 of a signed contract [000/002 契約書 第12条]: the ground (第1項 一～四), what changed
    (before and after), and the day the parties agreed, on which it took effect (第2項)."""

    __tablename__ = "contract_changes"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    ground: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    agreed_on: Mapped[date] = mapped_column(Date)
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
    version_number: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    contract: Mapped[Contract] = relationship(back_populates="changes")
    recorded_by = relationship("User")


class Settlement(db.Model):
    """The 数量精算 of a unit-price contract: the actual quantity of each unit-priced line of the
    contract's breakdown, and the amount payable (unit price × actual, tax cut below 1 yen) that
    replaces the contract amount as the ceiling of the invoices [002 第5条・入札内訳書 注1]."""

    __tablename__ = "settlements"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), unique=True)
    #: {line index (str): actual quantity}
    actual: Mapped[dict] = mapped_column(JSON)
    amount_excl: Mapped[int] = mapped_column(BigInteger)
    tax: Mapped[int] = mapped_column(BigInteger)
    amount_total: Mapped[int] = mapped_column(BigInteger)
    settled_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    contract: Mapped[Contract] = relationship(back_populates="settlement")
    recorded_by = relationship("User")


class DefectClaim(db.Model):
    """A 契約不適合 the authority found in the work (修補・代品・減額・損害賠償の請求) [000/002 第9条; 004
    １３．]: when it was found, when the contractor was told, and how it ended."""

    __tablename__ = "defect_claims"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    found_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    remedy: Mapped[str] = mapped_column(String(20))
    #: 通知の期限 (004: one year from recognition); None where the text sets no date.
    notice_by: Mapped[date | None] = mapped_column(Date, index=True)
    notified_on: Mapped[date | None] = mapped_column(Date)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    contract: Mapped[Contract] = relationship(back_populates="defects")


class SubcontractStatus(Labelled):
    NOTIFIED = "notified", "届出済み"  # a notice takes effect on receipt [000/002 第2条第2項]
    PENDING = "pending", "承諾待ち"
    APPROVED = "approved", "承諾"
    REFUSED = "refused", "不承諾"


class Subcontract(db.Model):
    """再委託・再請負 of part of the work: notified before it starts [000/002 第2条第2項], or asked for
    and approved or refused by the authority [001 第7 2(8); 003 第7条; 004 別記１ 第５条]."""

    __tablename__ = "subcontracts"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    scope: Mapped[str] = mapped_column(Text)
    amount: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[SubcontractStatus] = mapped_column(enum_column(SubcontractStatus))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    decision_note: Mapped[str | None] = mapped_column(Text)

    contract: Mapped[Contract] = relationship(back_populates="subcontracts")


class ContractVersion(db.Model):
    """One version of the draft: the whole terms (period, amounts, price lines, clauses) as JSON."""

    __tablename__ = "contract_versions"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    terms: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    contract: Mapped[Contract] = relationship(back_populates="versions")
    created_by = relationship("User")


class DueRuleRow(db.Model):
    """A deliverable's due-date rule (tender.rules.contracts.DueRule) as the officer entered it."""

    __tablename__ = "contract_due_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)

    contract: Mapped[Contract] = relationship(back_populates="rules")


class Deliverable(db.Model):
    """A dated item to deliver (納入物件), generated from a rule or from an incident."""

    __tablename__ = "deliverables"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("contract_due_rules.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    #: For an incident report: the day of the incident.
    incident_on: Mapped[date | None] = mapped_column(Date)

    contract: Mapped[Contract] = relationship(back_populates="deliverables")
    rule = relationship("DueRuleRow")
    deliveries: Mapped[list[Delivery]] = relationship(back_populates="deliverable", order_by="Delivery.number",
                                                      lazy="selectin")


class InspectionResult(Labelled):
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格（再納入）"
    DEEMED = "deemed", "合格とみなす（検査期間の満了）"  # 期間内に通知がなく合格とみなす


class Delivery(db.Model):
    """One delivery of a deliverable, and its inspection (検査)."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("deliverable_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(ForeignKey("deliverables.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    #: The day it counts as delivered: the server's date when recorded, or an earlier day the
    #: officer confirmed with a reason (issue 13 item 9: a contractor back-dated a delivery).
    delivered_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: An earlier day claimed (paper delivered before it was recorded) and why; it counts only once
    #: an officer has confirmed it.
    claimed_on: Mapped[date | None] = mapped_column(Date)
    claim_reason: Mapped[str | None] = mapped_column(Text)
    #: "confirmed" or "refused", by whom and when.
    claim_decision: Mapped[str | None] = mapped_column(String(20))
    claim_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    claim_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    inspection_due: Mapped[date] = mapped_column(Date, index=True)
    result: Mapped[InspectionResult | None] = mapped_column(enum_column(InspectionResult))
    inspected_on: Mapped[date | None] = mapped_column(Date)
    findings: Mapped[str | None] = mapped_column(Text)
    inspected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    deliverable: Mapped[Deliverable] = relationship(back_populates="deliveries")
    files: Mapped[list[DeliveryFile]] = relationship(back_populates="delivery", order_by="DeliveryFile.id")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    inspected_by = relationship("User", foreign_keys=[inspected_by_id])
    claim_decided_by = relationship("User", foreign_keys=[claim_decided_by_id])

    @property
    def claim_pending(self) -> bool:
        return self.claimed_on is not None and self.claim_decision is None

    @property
    def result_label(self) -> str | None:
        return self.result.label if self.result else None


class DeliveryFile(db.Model):
    __tablename__ = "delivery_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), index=True)

    delivery: Mapped[Delivery] = relationship(back_populates="files")
    stored_file = relationship("StoredFile")


class Invoice(db.Model):
    """A proper invoice (適法な支払請求書) received, its payment deadline and payment."""

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    deliverable_id: Mapped[int | None] = mapped_column(ForeignKey("deliverables.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    paid_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    contract: Mapped[Contract] = relationship(back_populates="invoices")
    deliverable = relationship("Deliverable")

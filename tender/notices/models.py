"""Procurement cases (調達案件) and what hangs off their notice (公告).

A case is drafted by officers, published (which freezes the notice), amended only through
recorded 訂正, and cancelled (取り止め) with a reason. Its state changes only through
``tender.rules.lifecycle``.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tender.extensions import db
from tender.rules.evaluation import LOW_BID_RATIO_SERVICES, PRICE_AS_WRITTEN, PRICE_WITH_TAX, effective_price_basis
from tender.rules.labels import Labelled
from tender.rules.lifecycle import CaseState, Procedure
from tender.rules.schedule import Schedule
from tender.types import EncryptedText, UTCDateTime, enum_column

#: The schedule columns, in the order of the procedure.
SCHEDULE_FIELDS = ["notice_on", "briefing_at", "briefing_registration_until", "questions_from", "questions_until",
                   "submissions_from", "submission_deadline", "hearing_at", "opening_at", "contract_from",
                   "contract_to"]


class PriceBasis:
    ESTIMATED = "estimated"  # 予定価格: secret until the opening
    CEILING = "ceiling"      # 執行限度額: published with the notice


class ProcurementCase(db.Model):
    __tablename__ = "procurement_cases"
    # The public board's cases (published, not drafts) in its order: its pages and its count read this
    # index alone, however many drafts and cases there are (issue 16).
    __table_args__ = (Index("ix_procurement_cases_board", "published_at", "id",
                            postgresql_where=text("state <> 'draft' AND published_at IS NOT NULL"),
                            sqlite_where=text("state <> 'draft' AND published_at IS NOT NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 案件番号, e.g. 2026-0007 (fiscal year and sequence)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    #: 件名
    title: Mapped[str] = mapped_column(String(300), index=True)
    procedure: Mapped[Procedure] = mapped_column(enum_column(Procedure, 40))
    state: Mapped[CaseState] = mapped_column(enum_column(CaseState, 30), index=True)
    #: 担当部署 (the notice's contact point)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The search entry (tender.notices.search): 案件番号, 件名 and department, normalised, and their
    #: bigram tokens, which the database's full-text index reads.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: 業務の概要・仕様
    description: Mapped[str] = mapped_column(Text, default="")
    #: 履行場所
    place_of_performance: Mapped[str | None] = mapped_column(String(300))
    #: 担当者の連絡先 as published (部署・氏名・電話・電子メール)
    contact_text: Mapped[str | None] = mapped_column(Text)

    # --- schedule (instants in UTC, dates as Japan calendar dates) ---
    notice_on: Mapped[date | None] = mapped_column(Date)
    briefing_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    briefing_place: Mapped[str | None] = mapped_column(String(300))
    briefing_registration_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    questions_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    questions_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submissions_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: 提出期限（必着）: the server's clock decides
    submission_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    hearing_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opening_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opening_place: Mapped[str | None] = mapped_column(String(300))
    contract_from: Mapped[date | None] = mapped_column(Date)
    contract_to: Mapped[date | None] = mapped_column(Date)

    # --- money and terms ---
    #: 入札保証金 / 契約保証金 (typically 全額免除)
    bid_bond: Mapped[str] = mapped_column(String(200), default="全額免除")
    performance_bond: Mapped[str] = mapped_column(String(200), default="全額免除")
    #: 支払条件
    payment_terms: Mapped[str | None] = mapped_column(Text)
    #: PriceBasis.ESTIMATED (予定価格, secret) or PriceBasis.CEILING (執行限度額, public)
    price_basis: Mapped[str] = mapped_column(String(20), default=PriceBasis.ESTIMATED)
    #: 予定価格 in yen once known in clear: from the opening on (cases that take bids), or for cases
    #: without bids (事前確認公募), under the data keys either way.
    estimated_price_secret: Mapped[str | None] = mapped_column(EncryptedText)
    #: 予定価格 of a case that takes bids, sealed to the case's price key when entered: until the
    #: opening nobody — the officer who typed it included — can read it (tender.sealing).
    estimated_price_envelope: Mapped[str | None] = mapped_column(Text)
    #: Integrity mark over the envelope (tender.integrity): a replaced 予定価格 is refused at the opening.
    estimated_price_mark: Mapped[str | None] = mapped_column(String(64))
    #: Whether 予定価格 includes consumption tax (bids are compared on the same basis).
    estimated_price_tax_included: Mapped[bool] = mapped_column(Boolean, default=True)
    #: 価格点と予定価格の制限で「入札価格」と読む金額 (tender.rules.evaluation.PRICE_WITH_TAX /
    #: PRICE_AS_WRITTEN); None: like with like — the tax treatment of the 予定価格 (002's reading).
    price_score_basis: Mapped[str | None] = mapped_column(String(20))
    #: 執行限度額 (tax included), public with the notice.
    budget_ceiling: Mapped[int | None] = mapped_column(BigInteger)
    #: 総合評価: the allocation of 技術点 and 価格点 [002 VI] (e.g. 220 + 110).
    technical_points: Mapped[int] = mapped_column(Integer, default=220)
    price_points: Mapped[int] = mapped_column(Integer, default=110)
    #: 調査基準価格 (入札心得第13条): the ratio of 予定価格 ("0.6" for 請負契約 other than works),
    #: applied when 予定価格 exceeds 10,000,000 yen; None when the contract is not a 請負契約.
    low_bid_ratio: Mapped[str | None] = mapped_column(String(10), default=LOW_BID_RATIO_SERVICES)

    # --- 事前確認公募 ---
    #: 予定業者: the party the authority intends to contract with.
    planned_party_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    #: A case whose proposers may not take part in this one [002 §2(6)].
    linked_case_id: Mapped[int | None] = mapped_column(ForeignKey("procurement_cases.id"), index=True)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    department = relationship("Department")
    created_by = relationship("User", foreign_keys=[created_by_id])
    planned_party = relationship("Company", foreign_keys=[planned_party_id])
    linked_case = relationship("ProcurementCase", remote_side=[id])
    officers: Mapped[list[CaseOfficer]] = relationship(back_populates="case", cascade="all, delete-orphan")
    required_documents: Mapped[list[RequiredDocument]] = relationship(
        back_populates="case", order_by="RequiredDocument.position", cascade="all, delete-orphan")
    eligibility_rules: Mapped[list[EligibilityRule]] = relationship(
        back_populates="case", order_by="EligibilityRule.position", cascade="all, delete-orphan")
    attachments: Mapped[list[CaseAttachment]] = relationship(
        back_populates="case", order_by="CaseAttachment.id", cascade="all, delete-orphan")
    amendments: Mapped[list[Amendment]] = relationship(
        back_populates="case", order_by="Amendment.number", cascade="all, delete-orphan")
    questions: Mapped[list[Question]] = relationship(
        back_populates="case", order_by="Question.number", cascade="all, delete-orphan")

    @property
    def schedule(self) -> Schedule:
        return Schedule(**{name: getattr(self, name) for name in SCHEDULE_FIELDS})

    @property
    def estimated_price(self) -> int | None:
        """予定価格 in clear, or None: not set, or still sealed (see ``estimated_price_sealed``)."""
        return int(self.estimated_price_secret) if self.estimated_price_secret else None

    @property
    def estimated_price_sealed(self) -> bool:
        return self.estimated_price_envelope is not None and self.estimated_price_secret is None

    def is_public_at(self, now: datetime) -> bool:
        """Anyone may see it: published, and its 公示日 has come (a case published ahead of its 公示日
        waits, unseen, until 0時 that day: issue 19)."""
        return self.state.is_public and (self.published_at is None or self.published_at <= now)

    def state_label_at(self, now: datetime) -> str:
        """The state as the clock makes it, one source for every list (issue 19: 「公告中（締切済み）」):
        a case published ahead of its 公示日 reads 公告予定, a published case past its submission
        deadline reads 締切済み（開札待ち）, or 締切済み for a 公募 whose participation period has closed."""
        if self.state == CaseState.PUBLISHED and self.published_at is not None and self.published_at > now:
            return "公告予定（公示日に掲載）"
        if self.state == CaseState.PUBLISHED and self.submission_deadline is not None and now > self.submission_deadline:
            return "締切済み（開札待ち）" if self.procedure.has_bids else "締切済み"
        return self.state.label

    @property
    def price_limit(self) -> tuple[int | None, bool]:
        """The limit bids are compared with (予定価格の制限, 入札心得第14条), and whether it includes
        tax: the 執行限度額 (always tax included) where the case is priced on a ceiling, else the
        予定価格 (None while still sealed)."""
        if self.price_basis == "ceiling":
            return self.budget_ceiling, True
        return self.estimated_price, self.estimated_price_tax_included

    @property
    def effective_price_score_basis(self) -> str:
        """What 入札価格 means for this case's 価格点 and ceiling: the setting, or like with like."""
        return effective_price_basis(self.price_score_basis or None, self.price_limit[1])

    @property
    def price_score_basis_label(self) -> str:
        return {PRICE_WITH_TAX: "入札書に記載された金額に消費税（10%）を加えた金額（1円未満切捨て。落札価格）",
                PRICE_AS_WRITTEN: "入札書に記載された金額（消費税抜き）"}[self.effective_price_score_basis]

    @property
    def has_estimated_price(self) -> bool:
        return self.estimated_price_secret is not None or self.estimated_price_envelope is not None

    @estimated_price.setter
    def estimated_price(self, value: int | None) -> None:
        self.estimated_price_secret = None if value is None else str(int(value))

    def is_officer(self, user) -> bool:
        return any(o.user_id == user.id for o in self.officers)


class CaseOfficer(db.Model):
    """An officer in charge of a case: may edit it and see its 予定価格."""

    __tablename__ = "case_officers"

    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)

    case: Mapped[ProcurementCase] = relationship(back_populates="officers")
    user = relationship("User")


class RequiredDocument(db.Model):
    """A document bidders must submit, with the number of copies (部数) [002 §6(4)]."""

    __tablename__ = "required_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    #: How the copies are counted: 通 (a letter or certificate) or 部 (a volume) [002 様式4].
    unit: Mapped[str] = mapped_column(String(2), default="部", server_default="部")
    mandatory: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(String(300))
    #: Entered on screen with the bid (the 入札書 itself) rather than uploaded as a file.
    on_screen: Mapped[bool] = mapped_column(Boolean, default=False)

    case: Mapped[ProcurementCase] = relationship(back_populates="required_documents")

    @property
    def copies_text(self) -> str:
        return f"{self.copies}{self.unit or '部'}"


class EligibilityRule(db.Model):
    """A rule of the catalogue (tender.rules.eligibility.RuleKind) with its parameters."""

    __tablename__ = "eligibility_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)

    case: Mapped[ProcurementCase] = relationship(back_populates="eligibility_rules")


class CaseAttachment(db.Model):
    """A published document of the notice (仕様書, 様式…)."""

    __tablename__ = "case_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))

    case: Mapped[ProcurementCase] = relationship(back_populates="attachments")
    file = relationship("StoredFile")


class Amendment(db.Model):
    """A recorded 訂正 of a published notice (its 更新履歴)."""

    __tablename__ = "amendments"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    made_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: 訂正の内容 as published
    summary: Mapped[str] = mapped_column(Text)
    #: {field: [old, new]} of the notice fields that changed (予定価格 never listed)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    case: Mapped[ProcurementCase] = relationship(back_populates="amendments")
    acknowledgements: Mapped[list[AmendmentAcknowledgement]] = relationship(
        back_populates="amendment", cascade="all, delete-orphan")


class AmendmentAcknowledgement(db.Model):
    """A company that had already submitted confirms it has read an amendment."""

    __tablename__ = "amendment_acknowledgements"
    __table_args__ = (UniqueConstraint("amendment_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendments.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime)

    amendment: Mapped[Amendment] = relationship(back_populates="acknowledgements")


class CaseRegistration(db.Model):
    """A company following a case (参加予定): it is told of amendments and cancellation."""

    __tablename__ = "case_registrations"
    __table_args__ = (UniqueConstraint("case_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: 秘密保持誓約書 signed / design documents viewed (NDA-gated cases [000 §3])
    nda_signed_on: Mapped[date | None] = mapped_column(Date)
    documents_viewed_on: Mapped[date | None] = mapped_column(Date)
    #: The viewing appointment (閲覧日時) the officer arranged.
    viewing_appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    company = relationship("Company", lazy="selectin")


class Question(db.Model):
    """A written question (質問書, 様式1): one question per form [002 §4]."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    #: 質問番号 within the case
    number: Mapped[int] = mapped_column(Integer)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: 資料名・頁・項目 the question concerns
    document: Mapped[str] = mapped_column(String(200))
    page: Mapped[str | None] = mapped_column(String(20))
    item: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: Set when the answer is published to everyone (without the questioner's identity).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[ProcurementCase] = relationship(back_populates="questions")
    company = relationship("Company", lazy="selectin")


class BriefingRegistration(db.Model):
    """Registration for the 説明会, with attendee names and e-mails (personal data)."""

    __tablename__ = "briefing_registrations"
    __table_args__ = (UniqueConstraint("case_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: JSON list of {"name", "email"}, encrypted at rest.
    attendees_secret: Mapped[str] = mapped_column(EncryptedText)

    company = relationship("Company", lazy="selectin")


class ParticipationDecision(Labelled):
    PENDING = "pending", "審査中"
    ACCEPTED = "accepted", "受理（要件を満たす）"
    REFUSED = "refused", "不受理"


class Participation(db.Model):
    """参加意思確認書 of a 事前確認公募 [000], with 会社概要, 情報取扱者名簿 and 情報管理体制図.

    Once submitted it cannot be withdrawn or changed [000 §4]; the officer decides to accept
    or refuse it, with reasons.
    """

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("case_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("procurement_cases.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: 会社概要: 事業内容 and 類似業務の実績
    business_summary: Mapped[str] = mapped_column(Text)
    track_record: Mapped[str | None] = mapped_column(Text)
    #: 情報取扱者名簿 (JSON list: name, address, birth_date, department, position, nationality,
    #: passport_number) — personal data, encrypted at rest.
    handlers_secret: Mapped[str] = mapped_column(EncryptedText)
    #: 情報管理体制図 as a structured list of {role, name, department}, encrypted (names).
    structure_secret: Mapped[str] = mapped_column(EncryptedText)
    #: 全省庁統一資格の資格審査結果通知書（写）
    qualification_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"), index=True)
    decision: Mapped[ParticipationDecision] = mapped_column(enum_column(ParticipationDecision),
                                                            default=ParticipationDecision.PENDING)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the personal data was erased at the end of its retention (tender.privacy).
    personal_data_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case = relationship("ProcurementCase")
    company = relationship("Company", lazy="selectin")
    qualification_file = relationship("StoredFile")

    @property
    def decision_label(self) -> str:
        return self.decision.label

"""Companies (事業者), their 全省庁統一資格 and 指名停止 periods."""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Integer, String, Text, and_, false, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Mapped, column_property, declared_attr, mapped_column, relationship

from tender.extensions import db
from tender.organisations.models import ContactColumns
from tender.rules.eligibility import CREDIT_EVENT_KINDS
from tender.rules.qualification import GRADES, REGIONS, QualificationCategory  # noqa: F401 (re-exported)
from tender.rules.sme import Industry, LegalForm
from tender.types import enum_column


class Company(db.Model):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 商号又は名称
    name: Mapped[str] = mapped_column(String(200), index=True)
    #: 商号のふりがな (sorting and search)
    name_kana: Mapped[str | None] = mapped_column(String(200))
    #: 法人番号: 13 digits, check digit validated on entry.
    corporate_number: Mapped[str] = mapped_column(String(13), unique=True)
    postal_code: Mapped[str | None] = mapped_column(String(8))
    #: 所在地
    address: Mapped[str] = mapped_column(String(300))
    #: 代表者役職 / 代表者氏名
    representative_title: Mapped[str] = mapped_column(String(100))
    representative_name: Mapped[str] = mapped_column(String(100))
    #: 資本金 (whole yen; None for corporations without capital, e.g. 一般社団法人)
    capital: Mapped[int | None] = mapped_column(BigInteger)
    #: 従業員数
    employees: Mapped[int | None] = mapped_column(Integer)
    #: 業種 (a code of tender.rules.sme.Industry)
    industry: Mapped[str] = mapped_column(String(40))
    #: 主たる業種 (①～⑧) of the bodies judged by it (⑫～⑮: 組合, 財団・社団法人, NPO法人 [002 III 3])
    principal_industry: Mapped[str | None] = mapped_column(String(40))
    #: 法人・個人事業主・法人格のない団体 (tender.rules.sme.LegalForm)
    legal_form: Mapped[str] = mapped_column(String(20), default="corporation", server_default="corporation")
    phone: Mapped[str | None] = mapped_column(String(30))
    #: FAX番号 (the seeds' forms ask for it: 様式4 【入札者記載欄】, 参加意思確認書)
    fax: Mapped[str | None] = mapped_column(String(30))
    website: Mapped[str | None] = mapped_column(String(300))
    #: The order of the company list: by ふりがな where there is one, else by name.
    sort_name: Mapped[str] = column_property(func.coalesce(name_kana, name))

    users = relationship("User", back_populates="company", foreign_keys="User.company_id")
    contacts: Mapped[list[CompanyContact]] = relationship(
        back_populates="company", order_by="CompanyContact.id", cascade="all, delete-orphan"
    )
    qualifications: Mapped[list[Qualification]] = relationship(
        back_populates="company",
        order_by="Qualification.valid_to_fy.desc()",
        cascade="all, delete-orphan",
    )
    suspensions: Mapped[list[Suspension]] = relationship(
        back_populates="company", order_by="Suspension.starts_on.desc()", cascade="all, delete-orphan"
    )
    credit_events: Mapped[list[CreditEvent]] = relationship(
        back_populates="company", order_by="CreditEvent.starts_on.desc()", cascade="all, delete-orphan"
    )

    @property
    def industry_label(self) -> str:
        try:
            return Industry(self.industry).label
        except ValueError:
            return self.industry

    @property
    def principal_industry_label(self) -> str | None:
        if not self.principal_industry:
            return None
        try:
            return Industry(self.principal_industry).label
        except ValueError:
            return self.principal_industry

    @property
    def legal(self) -> LegalForm:
        """The legal form as the rules take it (a 法人 unless recorded otherwise)."""
        try:
            return LegalForm(self.legal_form)
        except ValueError:
            return LegalForm.CORPORATION

    @property
    def legal_form_label(self) -> str:
        return self.legal.label

    def active_suspensions(self, on: date) -> list[Suspension]:
        return [s for s in self.suspensions if s.covers(on)]


class CompanyContact(ContactColumns, db.Model):
    __tablename__ = "company_contacts"

    @declared_attr
    def company_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("companies.id"), index=True, nullable=False)

    company: Mapped[Company] = relationship(back_populates="contacts")


class Qualification(db.Model):
    """A 全省庁統一資格 (資格審査結果通知書) held by a company."""

    __tablename__ = "qualifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    category: Mapped[QualificationCategory] = mapped_column(enum_column(QualificationCategory))
    #: 等級 A–D
    grade: Mapped[str] = mapped_column(String(1))
    #: 競争参加地域 (a list of REGIONS)
    regions: Mapped[list[str]] = mapped_column(
        MutableList.as_mutable(JSON().with_variant(JSONB(), "postgresql")), default=list)
    #: 有効期間: fiscal years (e.g. 2025–2027 for 令和7・8・9年度), both inclusive.
    valid_from_fy: Mapped[int] = mapped_column(Integer)
    valid_to_fy: Mapped[int] = mapped_column(Integer)
    #: 業者コード / 資格審査結果通知書の番号
    certificate_number: Mapped[str | None] = mapped_column(String(50))
    #: 資格審査の申請中 (no 資格審査結果通知書 yet): a bid may be made on condition (入札心得第9条).
    pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The day the qualification was granted (資格審査結果通知書), for one first recorded as 申請中: a bid
    #: made on condition counts only if it was granted by the opening (入札心得第9条).
    granted_on: Mapped[date | None] = mapped_column(Date)

    company: Mapped[Company] = relationship(back_populates="qualifications")

    def valid_in(self, fiscal_year: int) -> bool:
        return self.valid_from_fy <= fiscal_year <= self.valid_to_fy


class Suspension(db.Model):
    """A 指名停止 (or 取引停止) imposed on a company by a ministry or public body."""

    __tablename__ = "suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    #: 措置機関
    issuer: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)

    company: Mapped[Company] = relationship(back_populates="suspensions")

    def covers(self, on: date) -> bool:
        return self.starts_on <= on <= self.ends_on

    @classmethod
    def in_force(cls, on: date):
        """``covers`` as SQL: the suspensions in force on the day ``on``."""
        return and_(cls.starts_on <= on, cls.ends_on >= on)


class CreditEvent(db.Model):
    """A fact showing that a company's finances or credit have gravely worsened (更生・再生・破産手続の
    申立て, 取引停止処分, …), for the rule 経営の状況又は信用度が極度に悪化していないこと [000 応募要件(6),
    002 2.(5)]. ``ends_on`` (inclusive) is the last day it counts, e.g. the day before the
    qualification was granted again; open-ended until recorded."""

    __tablename__ = "credit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)

    company: Mapped[Company] = relationship(back_populates="credit_events")

    @property
    def kind_label(self) -> str:
        return CREDIT_EVENT_KINDS.get(self.kind, self.kind)

    def covers(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)

"""The contracting authority (発注機関), its departments and contacts."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from tender.extensions import db
from tender.types import EncryptedText


class ContactColumns:
    """A contact person (担当者): shared by departments and companies.

    Phone and e-mail of a named person are personal data and stay encrypted at rest.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 氏名
    name: Mapped[str] = mapped_column(String(100))
    #: 所属・役職
    title: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    email: Mapped[str | None] = mapped_column(EncryptedText)


class Authority(db.Model):
    __tablename__ = "authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 機関名 (e.g. 独立行政法人○○機構)
    name: Mapped[str] = mapped_column(String(200))
    #: 契約担当役 (the official who signs as 甲), e.g. 理事長 ○○
    contracting_officer: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(8))
    address: Mapped[str | None] = mapped_column(String(300))
    #: The seed whose contract conditions its contracts start from (tender.rules.conditions.PRESETS).
    preset: Mapped[str] = mapped_column(String(20), default="ipa", server_default="ipa")

    departments: Mapped[list[Department]] = relationship(
        back_populates="authority", order_by="Department.name", cascade="all, delete-orphan"
    )


class Department(db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    #: 部署名
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))

    authority: Mapped[Authority] = relationship(back_populates="departments")
    contacts: Mapped[list[DepartmentContact]] = relationship(
        back_populates="department", order_by="DepartmentContact.id", cascade="all, delete-orphan"
    )


class DepartmentContact(ContactColumns, db.Model):
    __tablename__ = "department_contacts"

    @declared_attr
    def department_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("departments.id"), index=True, nullable=False)

    department: Mapped[Department] = relationship(back_populates="contacts")

"""The API's requests and responses, as pydantic models: spectree checks requests against them and
writes the OpenAPI 3.1 document from them (tender.web.openapi)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tender.rules.lifecycle import Procedure

ProcedureCode = Literal[tuple(p.value for p in Procedure)]  # type: ignore[valid-type]


class Page(BaseModel):
    model_config = ConfigDict(extra="ignore")
    cursor: str | None = Field(None, max_length=500, description="前の応答の next_cursor（最初のページは指定しない）")
    limit: int = Field(20, ge=1, le=100, description="1ページの件数（1〜100）")


class CaseQuery(Page):
    q: str | None = Field(None, max_length=100, description="案件番号・件名・部署の語（全角・半角を区別しない）")
    procedure: ProcedureCode | None = Field(None, description="調達方式のコード")


class CaseSummary(BaseModel):
    id: int
    reference: str = Field(description="案件番号")
    ocid: str = Field(description="OCDS の調達手続 ID（/ocds/records/{ocid}）")
    title: str = Field(description="件名")
    procedure: str = Field(description="調達方式のコード")
    procedure_label: str = Field(description="調達方式")
    state: str = Field(description="状態のコード")
    state_label: str = Field(description="状態（日本語）")
    published_at: datetime | None = Field(description="公告日時（日本時間）")
    submission_deadline: datetime | None = Field(description="提出期限（日本時間）")
    opening_at: datetime | None = Field(description="開札日時（日本時間）")
    url: str = Field(description="公告のページ")


class CaseList(BaseModel):
    items: list[CaseSummary]
    next_cursor: str | None = Field(description="次のページのカーソル（最後のページでは null）")


class Document(BaseModel):
    title: str
    url: str


class CaseDetail(CaseSummary):
    description: str
    place_of_performance: str | None
    questions_from: datetime | None
    questions_until: datetime | None
    submissions_from: datetime | None
    contract_from: date | None
    contract_to: date | None
    briefing_at: datetime | None
    technical_points: int | None = Field(description="技術点の配分（総合評価のみ）")
    price_points: int | None = Field(description="価格点の配分（総合評価・加算方式のみ）")
    documents: list[Document]
    amendment_count: int


class Amendment(BaseModel):
    number: int
    made_at: datetime
    summary: str
    changes: dict[str, Any] = Field(description="訂正した項目：{項目: [訂正前, 訂正後]}")


class AmendmentList(BaseModel):
    items: list[Amendment]


class Answer(BaseModel):
    number: int
    document: str
    page: str | None
    item: str | None
    question: str
    answer: str | None
    published_at: datetime


class AnswerList(BaseModel):
    items: list[Answer]


class Supplier(BaseModel):
    name: str
    corporate_number: str | None = Field(description="法人番号（個人事業主は公開しない）")


class PublishedContract(BaseModel):
    id: int
    case_id: int
    reference: str
    title: str
    contractor: Supplier
    amount_total: int = Field(description="契約金額（税込、円）")
    signed_on: date | None
    published_on: date
    period_from: date
    period_to: date
    quantity: str
    procedure_label: str
    one_bidder: bool = Field(description="一者応札")


class ContractList(BaseModel):
    items: list[PublishedContract]
    next_cursor: str | None


class Result(BaseModel):
    case_id: int
    reference: str
    title: str
    decided_at: datetime
    winner: Supplier
    award_price: int = Field(description="落札金額（税込、円）")
    bidders: int = Field(description="入札者の数（第1回）")
    contract: PublishedContract | None = Field(description="契約の公表後に")


class Me(BaseModel):
    user_name: str
    company_id: int
    company_name: str
    scopes: list[str]
    token_expires_at: datetime


class Registration(BaseModel):
    case_id: int
    reference: str
    title: str
    registered_at: datetime


class RegistrationList(BaseModel):
    items: list[Registration]
    next_cursor: str | None


class OwnQuestion(BaseModel):
    case_id: int
    reference: str
    number: int
    asked_at: datetime
    document: str
    page: str | None
    item: str | None
    question: str
    answer: str | None
    published_at: datetime | None


class OwnQuestionList(BaseModel):
    items: list[OwnQuestion]
    next_cursor: str | None


class Receipt(BaseModel):
    receipt_number: str = Field(description="受付番号")
    case_id: int
    reference: str
    title: str
    round: int = Field(description="回（1＝初度、2以降＝再度入札）")
    submitted_at: datetime = Field(description="受付日時（日本時間）")
    fingerprint: str = Field(description="封かんした入札書の指紋（SHA-256）：受付票のものと同じ")
    status: str
    status_label: str
    amount: int | None = Field(description="入札書記載金額（開札の後のみ。開札までサーバーも読めない）")


class ReceiptList(BaseModel):
    items: list[Receipt]
    next_cursor: str | None


class OwnResult(BaseModel):
    case_id: int
    reference: str
    title: str
    outcome: Literal["awarded", "not_awarded"] = Field(description="awarded＝落札、not_awarded＝落札者でない")
    award_price: int = Field(description="落札金額（税込、円）")
    decided_at: datetime


class OwnResultList(BaseModel):
    items: list[OwnResult]
    next_cursor: str | None

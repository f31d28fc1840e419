"""Blank 様式 download from the notice page, with the case's title on them."""
import io
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

import forms
from tender.accounts.models import Role
from tender.rules.lifecycle import Procedure
from tests.helpers import make_case, make_company, make_user


def _pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()



def _case(app, procedure, **values) -> int:
    if procedure is Procedure.PRIOR_CONFIRMATION:
        values = {"planned_party_id": make_company(app), "price_basis": "ceiling", "budget_ceiling": 10_000_000,
                  **values}
    return make_case(app, make_user(app, Role.OFFICER), procedure=procedure, **values)


# (procedure, form): every form each kind of case offers blank.
OFFERED = [(Procedure.LOWEST_PRICE, c) for c in ("question", "power_of_attorney", "bid", "bid_breakdown",
                                                "anti_organized_crime")] + [
    (Procedure.COMPREHENSIVE_ADDITION, c) for c in ("information_handlers", "information_structure")] + [
    (Procedure.PRIOR_CONFIRMATION, c) for c in ("question", "participation", "company_profile", "nda",
                                                "information_handlers", "information_structure", "anti_organized_crime")]


@pytest.mark.parametrize(("procedure", "code"), OFFERED)
def test_every_blank_form_downloads_with_the_case_title(client, clean_app, procedure, code):
    case_id = _case(clean_app, procedure, title="様式試験のための業務")
    pdf = client.get(f"/notices/{case_id}/forms/{code}.pdf")
    docx = client.get(f"/notices/{case_id}/forms/{code}.docx")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = _pdf_text(pdf.data).replace("\n", "").replace(" ", "")
    title = forms.get(code).TITLE.replace(" ", "")
    assert title in text
    doc = Document(io.BytesIO(docx.data))
    doc_text = "".join(p.text for p in doc.paragraphs) + "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert title in doc_text.replace(" ", "")
    if "case_title" in {f for f in forms.get(code).DATA_CLASS.__dataclass_fields__}:
        assert "様式試験のための業務" in text and "様式試験のための業務" in doc_text
    assert "見本" not in text  # a blank form is not a sample


@pytest.mark.parametrize(("procedure", "code"), [
    (Procedure.LOWEST_PRICE, "participation"), (Procedure.LOWEST_PRICE, "nda"),
    (Procedure.PRIOR_CONFIRMATION, "bid"), (Procedure.PRIOR_CONFIRMATION, "power_of_attorney"),
    (Procedure.LOWEST_PRICE, "evaluation_items"), (Procedure.COMPREHENSIVE_ADDITION, "evaluation_items"),
])
def test_a_form_that_does_not_fit_the_procedure_is_not_offered(client, clean_app, procedure, code):
    """Issue 18: no 「事前確認公募」 wording on a bid case, no 入札書 on a 公募, and no empty 評価項目一覧
    (the case's own is published with its criteria)."""
    case_id = _case(clean_app, procedure)
    assert client.get(f"/notices/{case_id}/forms/{code}.pdf").status_code == 404
    notice = client.get(f"/notices/{case_id}").text
    assert f"/forms/{code}.pdf" not in notice


@pytest.mark.parametrize(("procedure", "occasion"), [(Procedure.LOWEST_PRICE, "入札書"),
                                                     (Procedure.PRIOR_CONFIRMATION, "参加意思確認書")])
def test_the_pledge_is_given_by_the_submission_the_procedure_asks_for(client, clean_app, procedure, occasion):
    case_id = _case(clean_app, procedure)
    text = "".join(_pdf_text(client.get(f"/notices/{case_id}/forms/anti_organized_crime.pdf").data).split())
    assert f"{occasion}の提出をもって誓約します" in text


def test_the_blank_bid_form_has_no_amount(client, clean_app):
    case_id = make_case(clean_app, make_user(clean_app, Role.OFFICER))
    text = _pdf_text(client.get(f"/notices/{case_id}/forms/bid.pdf").data)
    assert "入札金額" in text and "金12,345,000円" not in text and "金" in text


def test_the_evaluation_sheet_of_a_case_with_criteria_comes_as_xlsx_too(client, clean_app):
    """The 評価項目一覧 a bidder fills in is the case's own (criteria.sheet), never an empty one."""
    case_id = make_case(clean_app, make_user(clean_app, Role.OFFICER), procedure=Procedure.COMPREHENSIVE_ADDITION)
    response = client.get(f"/notices/{case_id}/evaluation-items.xlsx")
    assert response.status_code == 200
    cells = [c.value for row in load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows() for c in row]
    assert "計 220" in cells


@pytest.mark.parametrize("path", ["opening_record.pdf", "bid.exe", "contract.pdf", "bid.xlsx", "evaluation_items.xlsx"])
def test_unknown_or_internal_forms_are_not_offered(client, clean_app, path):
    case_id = make_case(clean_app, make_user(clean_app, Role.OFFICER))
    assert client.get(f"/notices/{case_id}/forms/{path}").status_code == 404


def test_drafts_offer_no_forms(client, clean_app):
    case_id = make_case(clean_app, make_user(clean_app, Role.OFFICER), publish=False)
    assert client.get(f"/notices/{case_id}/forms/bid.pdf").status_code == 404


def _with_department(app, case_id):
    from tender.extensions import db
    from tender.notices.models import ProcurementCase
    from tender.organisations.models import Authority, Department

    with app.app_context():
        authority = Authority(name="独立行政法人試験推進機構", contracting_officer="理事長")
        department = Department(authority=authority, name="財務部 契約課")
        db.session.add_all([authority, department])
        db.session.flush()
        db.session.get(ProcurementCase, case_id).department_id = department.id
        db.session.commit()


@pytest.mark.parametrize(("procedure", "code"), [
    (Procedure.LOWEST_PRICE, "bid"), (Procedure.LOWEST_PRICE, "power_of_attorney"),
    (Procedure.PRIOR_CONFIRMATION, "nda"), (Procedure.PRIOR_CONFIRMATION, "participation"),
    (Procedure.LOWEST_PRICE, "anti_organized_crime")])
def test_forms_to_the_authority_are_addressed_to_its_contracting_officer(client, clean_app, procedure, code):
    """002 様式2・様式3: 「独立行政法人情報処理推進機構 理事長 殿」, not the department that runs the case."""
    case_id = _case(clean_app, procedure)
    _with_department(clean_app, case_id)
    text = "".join(_pdf_text(client.get(f"/notices/{case_id}/forms/{code}.pdf").data).split())
    assert "独立行政法人試験推進機構理事長殿" in text and "財務部契約課" not in text


def test_the_question_form_is_addressed_to_the_cases_department(client, clean_app):
    """002 様式1: 「…企画部 中小企業支援グループ 担当者殿」 — the department of the case."""
    case_id = make_case(clean_app, make_user(clean_app, Role.OFFICER))
    _with_department(clean_app, case_id)
    text = "".join(_pdf_text(client.get(f"/notices/{case_id}/forms/question.pdf").data).split())
    assert "独立行政法人試験推進機構財務部契約課担当者殿" in text


def test_the_blank_bid_form_keeps_the_agents_line():
    """002 様式3: 「（又は代理人、復代理人氏名） 印」 under the 代表者氏名."""
    text = "".join(_pdf_text(forms.render_pdf("bid", forms.blank("bid", case_title="業務"))).split())
    assert "（又は代理人、復代理人氏名）" in text and text.count("印") >= 2


@pytest.mark.parametrize(("code", "present", "absent"), [
    ("information_structure", ("情報管理責任者", "情報取扱管理者", "業務従事者", "再委託先"), ("石田",)),
    ("information_handlers", ("情報管理責任者（※1）", "情報取扱管理者（※2）", "業務従事者（※3）", "再委託先"), ("石田",)),
    ("bid_breakdown", ("（別紙1）", "［内訳］", "合計（入札金額）", "消費税及び地方消費税額を除く"), ("4,845,000",)),
    ("company_profile", ("西暦", "百万円", "有・無", "主要株主", "前々期（確定）"), ("さくら", "【無】")),
])
def test_a_blank_form_leaves_room_to_write_and_holds_no_sample(code, present, absent):
    """Issue 18: the 情報取扱者名簿 with its rows A–F, the 体制図 with its roles, the 入札内訳書 and the
    会社概要 are offered blank, with room to write and none of the sample's data."""
    text = "".join(_pdf_text(forms.render_pdf(code, forms.blank(code, case_title="業務"))).split())
    for word in present:
        assert word in text, word
    for word in absent:
        assert word not in text, word

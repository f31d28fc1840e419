"""The notices' 様式 filled from their records: the 質問書 as the company submitted it."""
from __future__ import annotations

from sqlalchemy import select

from forms.yoshiki.question import QuestionData
from tender.extensions import db
from tender.notices.models import ProcurementCase, Question
from tender.rules.calendar import to_jst


def addressee(case: ProcurementCase, code: str) -> list[str]:
    """Whom a form is addressed to, as the seed addresses it: the 質問書 to the case's department's
    担当者 [002 様式1]; the 入札書, 委任状 and the other forms to the 契約担当役 (理事長) of the authority
    [002 様式2・様式3, 000 別記]."""
    department = case.department
    authority = department.authority if department is not None else None
    name = authority.name if authority is not None else ""
    if code == "question":
        return [part for part in (name, f"{department.name} 担当者" if department is not None else "") if part]
    head = (authority.contracting_officer or "") if authority is not None else ""
    return [part for part in (name, head or "契約担当役") if part]


def question_data(question: Question):
    """質問書 (様式1) as the company submitted it, addressed as the blank one of its case is."""
    company = question.company
    contact = company.contacts[0] if company.contacts else None
    return QuestionData(
        case_title=question.case.title, company_name=company.name, department=(contact.title or "") if contact else "",
        person=contact.name if contact else company.representative_name,
        phone=(contact.phone or "") if contact else "", email=(contact.email or "") if contact else "",
        document=question.document, page=question.page or "", item=question.item or "", body=question.body,
        date=to_jst(question.asked_at).date(), addressee=addressee(question.case, "question"))


#: code → the first record's form data (or None), for `flask yoshiki export`.
FROM_RECORDS = {
    "question": lambda: (lambda q: question_data(q) if q else None)(
        db.session.execute(select(Question).order_by(Question.id).limit(1)).scalar_one_or_none()),
}

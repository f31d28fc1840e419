"""The notices' 様式 filled from their records: the 質問書 as the company submitted it."""
from __future__ import annotations

from sqlalchemy import select

from forms.yoshiki.question import QuestionData
from tender.extensions import db
from tender.notices.models import Question
from tender.rules.calendar import to_jst


def question_data(question: Question):
    """質問書 (様式1) as the company submitted it."""
    company = question.company
    contact = company.contacts[0] if company.contacts else None
    return QuestionData(
        case_title=question.case.title, company_name=company.name, department=(contact.title or "") if contact else "",
        person=contact.name if contact else company.representative_name,
        phone=(contact.phone or "") if contact else "", email=(contact.email or "") if contact else "",
        document=question.document, page=question.page or "", item=question.item or "", body=question.body,
        date=to_jst(question.asked_at).date())


#: code → the first record's form data (or None), for `flask yoshiki export`.
FROM_RECORDS = {
    "question": lambda: (lambda q: question_data(q) if q else None)(
        db.session.execute(select(Question).order_by(Question.id).limit(1)).scalar_one_or_none()),
}

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


#: The blank forms a case offers, by what its bidders submit [000 提出書類, 002 6.(4)]: a case with bids
#: (入札) asks for the 入札書 and its 委任状, and the 誓約 is given by the 入札書; a 事前確認公募 asks
#: for the 参加意思確認書 and, to view the design documents, the 秘密保持誓約書, and the 誓約 is given by
#: the 参加意思確認書. The 評価項目一覧 is not a blank form: the case's own is published with its
#: criteria (criteria.sheet). A technical evaluation asks for the 情報取扱者名簿 and 情報管理体制図
#: [002 V. 3. 5.1]; a 公募 for the 会社概要 too [000 様式2〜4]; a bid for its 入札内訳書 [002 別紙1].
_BID_FORMS = ("question", "power_of_attorney", "bid", "bid_breakdown", "anti_organized_crime")
_PRIOR_CONFIRMATION_FORMS = ("question", "participation", "company_profile", "information_handlers",
                             "information_structure", "nda", "anti_organized_crime")


def blank_codes(case: ProcurementCase) -> tuple[str, ...]:
    """The 様式 this case offers blank, in the order a bidder needs them."""
    if not case.procedure.has_bids:
        return _PRIOR_CONFIRMATION_FORMS
    if case.procedure.has_technical_evaluation:
        return _BID_FORMS + ("information_handlers", "information_structure")
    return _BID_FORMS


def occasion(case: ProcurementCase) -> str:
    """The submission that gives the 誓約 [002 2.(1)(2): 入札書; 000 2.(7): 参加意思確認書]."""
    return "入札書" if case.procedure.has_bids else "参加意思確認書"


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

"""The bidding 様式 filled from its records: the 提案書受理票 of a bid (forms never see the
database). The 開札調書 carries the award engine's result, so award/exports.py fills it."""
from __future__ import annotations

from sqlalchemy import select

from forms.yoshiki.receipt import ReceiptData, ReceivedDocument, ReceivedFile
from tender.bidding.models import Bid
from tender.extensions import db
from tender.organisations.operations import the_authority


def receipt_data(bid: Bid):
    """提案書受理票 for a sealed bid: what was received and its fingerprints, never the amount."""
    case, company = bid.round.case, bid.company
    contact = company.contacts[0] if company.contacts else None
    authority = the_authority()
    files = [ReceivedFile(f"入札書（封印）{bid.receipt_number}", len(bid.sealed_payload), bid.fingerprint)]
    files += [ReceivedFile(f.file.filename, f.file.size, f.file.sha256) for f in bid.files]
    return ReceiptData(
        receipt_number=bid.receipt_number, case_title=case.title, company_name=company.name,
        company_address=company.address, contact_position=(contact.title or "") if contact else "",
        contact_name=contact.name if contact else company.representative_name,
        phone=(contact.phone or "") if contact else (company.phone or ""), email=(contact.email or "") if contact else "",
        received_at=bid.submitted_at,
        documents=[ReceivedDocument(d.name, d.copies_text, received=_received(d, bid)) for d in case.required_documents],
        files=files, authority=authority.name if authority else "",
        department=case.department.name if case.department else "", officer_name="",
        receipt_random=bid.receipt_random, postal_code=company.postal_code or "", fax=company.fax or "")


def _received(document, bid: Bid) -> bool:
    """Whether the bid brought the document: entered on screen (the 入札書), uploaded in its own slot, or —
    for a 委任状 or the 評価項目一覧 the case lists — in the bid form's own field for it."""
    if document.on_screen or any(f.document_id == document.id for f in bid.files):
        return True
    slots = {f.slot for f in bid.files}
    return ("委任状" in document.name and "power_of_attorney" in slots) or (
        "評価項目一覧" in document.name and "sheet_file" in slots)


#: code → the first record's form data (or None), for `flask yoshiki export`.
FROM_RECORDS = {
    "receipt": lambda: (lambda b: receipt_data(b) if b else None)(
        db.session.execute(select(Bid).order_by(Bid.id).limit(1)).scalar_one_or_none()),
}

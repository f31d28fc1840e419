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
        documents=[ReceivedDocument(d.name, f"{d.copies}部", received=d.on_screen or any(
            f.document_id == d.id for f in bid.files)) for d in case.required_documents],
        files=files, authority=authority.name if authority else "",
        department=case.department.name if case.department else "", officer_name="",
        receipt_random=bid.receipt_random)


#: code → the first record's form data (or None), for `flask yoshiki export`.
FROM_RECORDS = {
    "receipt": lambda: (lambda b: receipt_data(b) if b else None)(
        db.session.execute(select(Bid).order_by(Bid.id).limit(1)).scalar_one_or_none()),
}

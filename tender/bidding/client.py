"""A bidder's client in Python: what static/js/seal-bid.js does in the browser.

The demo data, the tests and any bidder's own system written in Python seal bids with this; the
server-side code never calls it on a request. It is the reference the browser's output is tested
against (tests/bidding/test_browser_sealing.py opens what Chromium sealed with the server's code).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from tender.bidding import sealed
from tender.rules.bids import BreakdownLine
from tender.sealing import envelope


@dataclass(frozen=True)
class SealedBid:
    envelope: str
    fingerprint: str
    payload: bytes
    nonce: str


def seal_bid(public_key: str, ticket: sealed.Ticket, case_reference: str, *, amount: int, lottery_number: str,
             breakdown: list[BreakdownLine], files: dict[str, bytes], sheet: dict | None = None) -> SealedBid:
    """Seal a bid to the case's price key (base64url, as the bid page gives it), bound to the ticket's
    受理番号; ``files``: each upload's form field name → its bytes (only their SHA-256 is sealed)."""
    payload = sealed.payload(case_reference=case_reference, round_number=ticket.round_number,
                             company_id=ticket.company_id, receipt_number=ticket.receipt_number, amount=amount,
                             lottery_number=lottery_number, breakdown=breakdown,
                             files={slot: hashlib.sha256(data).hexdigest() for slot, data in files.items()},
                             sheet=sheet)
    aad = sealed.bid_aad(case_reference, ticket.round_number, ticket.company_id, ticket.receipt_number)
    nonce = json.loads(payload)["nonce"]
    return SealedBid(envelope.seal(envelope.unb64u(public_key), payload, aad), sealed.fingerprint_of(payload),
                     payload, nonce)

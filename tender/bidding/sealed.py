"""The sealed 入札書: the ticket the bid page carries, the associated data that binds an envelope
to its bid, and the checks the opening makes on what it finds inside.

The bidder's browser (static/js/seal-bid.js) builds the payload, seals it to the case's price key
with ``tender.sealing.envelope``'s format and sends only the envelope and the payload's SHA-256.
The server never holds an amount, a 内訳 or a くじ番号 before the opening. docs/sealing.md is
the contract for other clients.

Payload (UTF-8 JSON, the bytes the fingerprint is taken over):

    {"amount": 31415926, "breakdown": [{"item": "…", "quantity": 1, "unit": "式", "unit_price": …}],
     "case": "2026-0001", "company_id": 3, "files": {"doc_12": "<sha256>", …},
     "lottery_number": "271", "nonce": "<32 hex>", "receipt_number": "2026-0001-1-7K3QX9", "round": 1,
     "sheet": {"marks": {…}, "pages": {…}}}        ← the 評価項目一覧 entered on screen, when asked
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from tender.rules import bids as rules
from tender.sealing import envelope
from tender.web.input import forbidden_characters

_TICKET_SALT = "tender-bid-ticket-1"
#: A bid page left open longer than this must be reloaded (a new 受理番号 is reserved).
TICKET_MAX_AGE = 12 * 3600
#: Crockford's base32 without I, L, O, U: read aloud or typed from a paper 受理票 without doubt.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FINGERPRINT = re.compile(r"[0-9a-f]{64}")
MAX_LINES = 30
#: An amount beyond this is not a bid for any case (10兆円).
MAX_AMOUNT = 10**13


@dataclass(frozen=True)
class Ticket:
    case_id: int
    round_number: int
    company_id: int
    receipt_number: str


class TicketError(ValueError):
    """A Japanese message: the bid page must be reloaded."""


def new_receipt_number(case_reference: str, round_number: int) -> str:
    """受理番号: case, round and 6 random characters (30 bits) — it tells nothing of how many bid
    before (issue 13 item 6); a collision is refused by the unique constraint."""
    return f"{case_reference}-{round_number}-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_TICKET_SALT)


def issue(ticket: Ticket) -> str:
    return _serializer().dumps([ticket.case_id, ticket.round_number, ticket.company_id, ticket.receipt_number])


def read_ticket(token: str) -> Ticket:
    try:
        values = _serializer().loads(token or "", max_age=TICKET_MAX_AGE)
    except SignatureExpired as exc:
        raise TicketError("入札画面を開いてから時間が経ちすぎました。入札画面を開き直して、もう一度提出してください。") from exc
    except BadSignature as exc:
        raise TicketError("入札画面の情報が正しくありません。入札画面を開き直して、もう一度提出してください。") from exc
    try:
        case_id, round_number, company_id, receipt_number = values
        return Ticket(int(case_id), int(round_number), int(company_id), str(receipt_number))
    except (TypeError, ValueError) as exc:
        raise TicketError("入札画面の情報が正しくありません。入札画面を開き直してください。") from exc


def bid_aad(case_reference: str, round_number: int, company_id: int, receipt_number: str) -> bytes:
    """What an envelope belongs to: an envelope moved to another bid does not open (item 5)."""
    return envelope.aad("tender-bid", case=case_reference, round=round_number, company=company_id,
                        receipt=receipt_number)


def fingerprint_of(plaintext: bytes) -> str:
    return hashlib.sha256(plaintext).hexdigest()


@dataclass(frozen=True)
class Opened:
    amount: int
    lottery_number: int
    breakdown: list[dict[str, Any]]
    nonce: str
    files: dict[str, str]
    sheet: dict | None


class Unreadable(ValueError):
    """The payload is not a bid the opening can accept; the message is the Japanese reason."""


def _no_duplicates(pairs: list) -> dict:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key")  # two amounts in one payload: which one was meant?
    return dict(pairs)


def _int(value: Any, name: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise Unreadable(f"{name}が正しく記載されていません。")
    return value


def read_payload(plaintext: bytes, *, case_reference: str, round_number: int, company_id: int,
                 receipt_number: str) -> Opened:
    """The payload of an opened envelope, checked as the opening must (入札心得第11条): it names this
    bid, its amount is whole yen, its 内訳 adds up to it, its くじ番号 is three digits."""
    try:
        data = json.loads(plaintext.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except Exception as exc:  # bad UTF-8 or JSON, a duplicate key, nesting deep enough to exhaust the stack
        raise Unreadable("入札書の内容を読み取れません。") from exc
    if not isinstance(data, dict):
        raise Unreadable("入札書の内容を読み取れません。")
    named = (data.get("case"), data.get("round"), data.get("company_id"), data.get("receipt_number"))
    if named != (case_reference, round_number, company_id, receipt_number) or any(
            type(v) is not int for v in named[1:3]):
        raise Unreadable("入札書に記載された案件・回・入札者・受理番号が、この入札と一致しません。")
    amount = _int(data.get("amount"), "入札金額", 1, MAX_AMOUNT)
    raw_lines = data.get("breakdown")
    if not isinstance(raw_lines, list) or len(raw_lines) > MAX_LINES:
        raise Unreadable("入札内訳書が正しく記載されていません。")
    lines = []
    for line in raw_lines:
        if not isinstance(line, dict) or not isinstance(line.get("item"), str) or not isinstance(line.get("unit"), str):
            raise Unreadable("入札内訳書が正しく記載されていません。")
        if len(line["item"]) > 200 or len(line["unit"]) > 10 or forbidden_characters(line["item"] + line["unit"],
                                                                                     multiline=False):
            raise Unreadable("入札内訳書の項目名・単位が長すぎるか、使えない文字を含んでいます。")
        lines.append(rules.BreakdownLine(line["item"], _int(line.get("quantity"), "内訳の数量", 1, 10_000_000),
                                         line["unit"], _int(line.get("unit_price"), "内訳の単価", 0, MAX_AMOUNT)))
    problems = rules.breakdown_problems(lines, amount)
    number = data.get("lottery_number")
    problem = rules.lottery_number_problem(number) if isinstance(number, str) else rules.LOTTERY_NUMBER_MESSAGE
    if problem:
        problems.append(problem)
    if problems:
        raise Unreadable(" ".join(problems))
    nonce, files, sheet = data.get("nonce"), data.get("files"), data.get("sheet")
    if not isinstance(nonce, str) or not re.fullmatch(r"[0-9a-f]{32}", nonce):
        raise Unreadable("照合用コードが正しくありません。")
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise Unreadable("添付書類の指紋が正しく記載されていません。")
    if sheet is not None and not isinstance(sheet, dict):
        raise Unreadable("評価項目一覧の記載が正しくありません。")
    return Opened(amount, int(rules.normalise_lottery_number(number)),
                  [{"item": b.item, "quantity": b.quantity, "unit": b.unit, "unit_price": b.unit_price} for b in lines],
                  nonce, files, sheet)


def payload(*, case_reference: str, round_number: int, company_id: int, receipt_number: str, amount: int,
            lottery_number: str, breakdown: list[rules.BreakdownLine], files: dict[str, str],
            sheet: dict | None = None, nonce: str | None = None) -> bytes:
    """The payload as a client builds it — what the browser does, for the demo data, the tests and
    other clients written in Python."""
    data: dict[str, Any] = {
        "amount": amount, "case": case_reference, "company_id": company_id, "files": files,
        "lottery_number": lottery_number, "nonce": nonce or secrets.token_hex(16), "receipt_number": receipt_number,
        "round": round_number, "breakdown": [{"item": b.item, "quantity": b.quantity, "unit": b.unit,
                                              "unit_price": b.unit_price} for b in breakdown]}
    if sheet is not None:
        data["sheet"] = sheet
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")

"""Sealed bids: sealed by the bidder's client before they leave it, submitted whole or not at all,
unreadable by anyone until the two-person opening."""
import hashlib
import io
import re
import threading
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select, text

from tender import clock
from tender.accounts.models import Role
from tender.bidding import operations as ops
from tender.bidding import sealed
from tender.bidding.models import Bid, BidFile
from tender.documents import storage
from tender.documents.models import StoredFile
from tender.extensions import db
from tests.helpers import csrf_from, email_of, events, login, make_user
from tests.scenario import PDF, post_bid, submit

AMOUNT = 31_415_926


def _client(app, user_id):
    client = app.test_client()
    login(client, email_of(app, user_id))
    return client


def _post(app, auction, client=None, amount=AMOUNT, document=True, **kw):
    client = client or _client(app, auction["bidders"][0])
    uploads = {f"doc_{auction['document_id']}": (PDF, "teian.pdf")} if document else {}
    uploads.update(kw.pop("uploads", {}))
    response, done, fields = post_bid(client, auction["case"], amount, uploads=uploads, **kw)
    return client, response, done, fields


def test_bidder_submits_a_sealed_bid_and_gets_a_receipt(clean_app, auction):
    with freeze_time(auction["during"]):
        client, response, done, fields = _post(clean_app, auction)
        assert response.status_code == 302 and response.headers["Location"].endswith("/bid/receipt")
        receipt = client.get(response.headers["Location"]).text
    with clean_app.app_context():
        bid = db.session.execute(select(Bid)).scalar_one()
        stored = bid.files[0].file
        assert bid.receipt_number == fields["receipt"] and bid.receipt_number in receipt
        assert bid.fingerprint == done.fingerprint == hashlib.sha256(done.payload).hexdigest()
        assert bid.fingerprint in receipt and stored.sha256 in receipt and stored.sha256 == hashlib.sha256(PDF).hexdigest()
        assert f"{bid.receipt_random:03d}" in receipt and "受理時乱数" in receipt
        assert "封印中" in receipt and "31,415,926" not in receipt
        assert bid.sealed_payload == done.envelope and bid.amount is None
    # The bidder recomputes the fingerprint from its own copy (kept by its client, never by the server).
    assert f'"nonce":"{done.nonce}"'.encode() in done.payload and str(AMOUNT).encode() in done.payload
    assert events(clean_app, "bid.submitted")[0].summary.count(done.fingerprint) == 1


def test_the_receipt_number_counts_nothing(clean_app, auction):
    """Issue 13 item 6: …-002, …-005 told how many had bid before."""
    numbers = []
    with freeze_time(auction["during"]):
        for i in range(3):
            numbers.append(_post(clean_app, auction, client=_client(clean_app, auction["bidders"][i]))[3]["receipt"])
    with clean_app.app_context():
        reference = db.session.execute(text("SELECT reference FROM procurement_cases")).scalar_one()
    for number in numbers:
        assert re.fullmatch(rf"{reference}-1-[0-9A-HJKMNP-TV-Z]{{6}}", number), number
    assert not any(n.endswith(("-001", "-002", "-003")) for n in numbers)
    assert len(set(numbers)) == 3


def test_the_bid_page_sends_no_amount_and_a_post_without_an_envelope_is_refused(clean_app, auction):
    with freeze_time(auction["during"]):
        client = _client(clean_app, auction["bidders"][0])
        page = client.get(f"/notices/{auction['case']}/bid").text
        # The amount, 内訳 and くじ番号 inputs have no name: a browser never sends them.
        for element in re.findall(r"<input[^>]*(?:bid-amount|bid-lottery|data-line)[^>]*>", page):
            assert " name=" not in element, element
        assert "seal-bid.js" in page and "<noscript>" in page and "JavaScript が必要です" in page
        # A client that posts the amount in clear instead of sealing it is refused; nothing is kept.
        _, response, _, _ = _post(clean_app, auction, client=client, seal=False,
                                  extra={"amount": "31,415,926", "lottery_number": "271"})
    assert response.status_code == 200 and "封印（暗号化）されていません" in response.text
    with clean_app.app_context():
        assert db.session.execute(select(Bid)).first() is None
        assert db.session.execute(select(BidFile)).first() is None


@pytest.mark.parametrize("envelope, message", [
    ("not json", "封印（暗号化）されていません"),
    ('{"v":"tender-seal-1","epk":"AAAA","iv":"AAAA","ct":"AAAA"}', "封印（暗号化）されていません"),
    ('{"v":"tender-seal-0","epk":"x","iv":"x","ct":"x"}', "封印（暗号化）されていません"),
])
def test_a_malformed_envelope_is_refused(clean_app, auction, envelope, message):
    with freeze_time(auction["during"]):
        _, response, _, _ = _post(clean_app, auction, extra={"sealed_bid": envelope})
    assert response.status_code == 200 and message in response.text
    with clean_app.app_context():
        assert db.session.execute(select(Bid)).first() is None


def test_a_ticket_of_another_company_or_a_forged_one_is_refused(clean_app, auction):
    with freeze_time(auction["during"]):
        other = _client(clean_app, auction["bidders"][1])
        foreign = re.search(r'name="ticket" type="hidden" value="([^"]+)"', other.get(
            f"/notices/{auction['case']}/bid").text).group(1)
        _, response, _, _ = _post(clean_app, auction, extra={"ticket": foreign})
        assert "この案件・事業者のものではありません" in response.text
        _, response, _, _ = _post(clean_app, auction, extra={"ticket": "forged.ticket"})
        assert "入札画面の情報が正しくありません" in response.text
    with clean_app.app_context():
        with freeze_time(clock.now() - timedelta(seconds=sealed.TICKET_MAX_AGE + 1)):
            old = sealed.issue(sealed.Ticket(auction["case"], 1, auction["companies"][0], "X-1-AAAAAA"))
        with pytest.raises(sealed.TicketError, match="時間が経ちすぎました"):
            sealed.read_ticket(old)
    with clean_app.app_context():
        assert db.session.execute(select(Bid)).first() is None


@pytest.mark.parametrize("offset, accepted", [(timedelta(seconds=-1), True), (timedelta(0), True),
                                              (timedelta(seconds=1), False)])
def test_deadline_to_the_second(clean_app, auction, offset, accepted):
    with freeze_time(auction["deadline"] + offset):
        _, response, _, _ = _post(clean_app, auction)
    assert (response.status_code == 302) is accepted
    with clean_app.app_context():
        assert len(db.session.execute(select(Bid)).scalars().all()) == (1 if accepted else 0)
        assert len(db.session.execute(select(BidFile)).scalars().all()) == (1 if accepted else 0)
    if not accepted:
        assert "締め切りました" in response.text


def test_a_submission_that_finishes_late_is_refused_whole(clean_app, auction, monkeypatch):
    moments = iter([auction["deadline"] - timedelta(seconds=1)] * 2 + [auction["deadline"] + timedelta(seconds=1)] * 50)
    monkeypatch.setattr(clock, "now", lambda: next(moments))
    with pytest.raises(ops.BidError, match="締め切りました"):
        submit(clean_app, auction, 0, AMOUNT, now=None)
    monkeypatch.undo()
    with clean_app.app_context():
        assert db.session.execute(select(Bid)).first() is None
        assert db.session.execute(select(BidFile)).first() is None


def test_two_racing_submissions_cannot_both_land(clean_app, auction):
    results = []
    barrier = threading.Barrier(2)
    from tender.bidding import client as bid_client
    from tests.scenario import bid_page, lump_sum

    def attempt(amount):
        client = _client(clean_app, auction["bidders"][0])
        page = client.get(f"/notices/{auction['case']}/bid")
        fields = bid_page(page.text)
        ticket = sealed.Ticket(auction["case"], fields["round"], fields["company"], fields["receipt"])
        done = bid_client.seal_bid(fields["public_key"], ticket, fields["case"], amount=amount, lottery_number="271",
                                   breakdown=lump_sum(amount), files={f"doc_{auction['document_id']}": PDF})
        data = {"csrf_token": csrf_from(page.text), "ticket": fields["ticket"], "sealed_bid": done.envelope,
                "fingerprint": done.fingerprint, f"doc_{auction['document_id']}": (io.BytesIO(PDF), "teian.pdf")}
        barrier.wait()
        results.append(client.post(f"/notices/{auction['case']}/bid", data=data,
                                   content_type="multipart/form-data").status_code)

    with freeze_time(auction["during"], tick=True):
        threads = [threading.Thread(target=attempt, args=(a,)) for a in (9_000_000, 8_000_000)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    # The loser is refused in the race (200, the page with the reason) or, arriving after the winner's
    # commit, sent to the receipt of the bid that landed (302): either way one bid only.
    assert sorted(results) in ([200, 302], [302, 302]), results
    with clean_app.app_context():
        assert len(db.session.execute(select(Bid)).scalars().all()) == 1


def test_a_submitted_bid_cannot_be_changed_or_resubmitted(clean_app, auction):
    submit(clean_app, auction, 0, AMOUNT)
    with pytest.raises(ops.BidError, match="提出後の変更・差し替え・撤回はできません"):
        submit(clean_app, auction, 0, AMOUNT - 1)
    with freeze_time(auction["during"]):
        client = _client(clean_app, auction["bidders"][0])
        assert client.get(f"/notices/{auction['case']}/bid").headers["Location"].endswith("/bid/receipt")


def test_a_missing_document_is_named_and_nothing_is_stored(clean_app, auction):
    with freeze_time(auction["during"]):
        _, response, _, _ = _post(clean_app, auction, document=False)
    assert response.status_code == 200 and "次の書類が添付されていません：提出書類1。" in response.text
    with clean_app.app_context():
        assert db.session.execute(select(Bid)).first() is None


def test_an_agent_must_attach_a_power_of_attorney(clean_app, auction):
    agent = make_user(clean_app, Role.BIDDER, company_id=auction["companies"][1], acts_as_agent=True)
    with freeze_time(auction["during"]):
        client = _client(clean_app, agent)
        _, response, _, _ = _post(clean_app, auction, client=client)
        assert "委任状（代理人による入札のため）" in response.text
        _, response, _, _ = _post(clean_app, auction, client=client, uploads={"power_of_attorney": (PDF, "inin.pdf")})
        assert response.status_code == 302
    with clean_app.app_context():
        bid = db.session.execute(select(Bid)).scalar_one()
        assert bid.as_agent and [(f.label, f.slot) for f in bid.files] == [
            ("提出書類1", f"doc_{auction['document_id']}"), ("委任状", "power_of_attorney")]


def test_a_power_of_attorney_in_its_own_field_is_received_when_the_case_lists_one(clean_app, auction):
    """Issue 18: the case lists 「委任状（様式2）」; the agent attaches it in the form's 委任状 field, not
    in that document's slot — the 受理票 still reports it 有, counted in 通."""
    from tender.bidding.exports import receipt_data
    from tender.notices.models import ProcurementCase, RequiredDocument

    with clean_app.app_context():
        db.session.add(RequiredDocument(case_id=auction["case"], name="委任状（様式2）", copies=1, unit="通",
                                        mandatory=False, position=9))
        db.session.commit()
    agent = make_user(clean_app, Role.BIDDER, company_id=auction["companies"][1], acts_as_agent=True)
    with freeze_time(auction["during"]):
        _, response, _, _ = _post(clean_app, auction, client=_client(clean_app, agent),
                                  uploads={"power_of_attorney": (PDF, "inin.pdf")})
        assert response.status_code == 302
    with clean_app.app_context():
        bid = db.session.execute(select(Bid)).scalar_one()
        data = receipt_data(bid)
        listed = {d.name: (d.copies, d.received) for d in data.documents}
        assert listed["委任状（様式2）"] == ("1通", True)
        assert db.session.get(ProcurementCase, auction["case"]).required_documents


def test_no_amount_is_readable_before_the_opening(clean_app, auction, database_url):
    submit(clean_app, auction, 0, AMOUNT, lottery="777")
    with clean_app.app_context():
        row = db.session.execute(text("SELECT * FROM bids")).mappings().one()
        assert row["amount"] is None and row["lottery_number"] is None and row["breakdown"] is None
        everything = " ".join(str(v) for v in row.values())
        assert str(AMOUNT) not in everything and "31,415,926" not in everything
        summaries = " ".join(db.session.execute(text("SELECT summary FROM audit_events")).scalars())
        assert str(AMOUNT) not in summaries
    if database_url.startswith("sqlite"):
        with clean_app.app_context():
            db.session.execute(text("PRAGMA wal_checkpoint(FULL)"))
        raw = open(database_url.removeprefix("sqlite:///"), "rb").read()
        assert str(AMOUNT).encode() not in raw
    for role in (Role.ADMIN, Role.AUDITOR, Role.OFFICER, Role.EVALUATOR):
        client = _client(clean_app, make_user(clean_app, role))
        for url in (f"/cases/{auction['case']}/opening", f"/cases/{auction['case']}", "/audit", "/home"):
            assert "31,415,926" not in client.get(url).text, (role, url)
    owner = _client(clean_app, auction["officer"])
    assert "31,415,926" not in owner.get(f"/cases/{auction['case']}/opening").text


def test_bid_files_are_kept_sealed_until_their_release(clean_app, auction):
    """Issue 13 item 4: the files lay unencrypted on disk (and in backups) and the case officer and
    auditors could download a rival's before the deadline."""
    secret = b"%PDF-1.4\n% rival's technical proposal: unique-marker-4711\n%%EOF\n"
    with freeze_time(auction["during"]):
        _post(clean_app, auction, uploads={f"doc_{auction['document_id']}": (secret, "teian.pdf")}, document=False)
    with clean_app.app_context():
        stored = db.session.execute(select(StoredFile)).scalar_one()
        on_disk = storage.path_of(stored).read_bytes()
        assert b"unique-marker-4711" not in on_disk and stored.sealed_key_id is not None
        assert stored.sha256 == hashlib.sha256(secret).hexdigest() != stored.blob_sha256
        with pytest.raises(storage.Sealed):
            storage.read(stored)
    # Nobody reads it through the application either: no download exists for bids before release.
    for role in (Role.OFFICER, Role.AUDITOR):
        client = _client(clean_app, auction["officer"] if role is Role.OFFICER else make_user(clean_app, role))
        with clean_app.app_context():
            bid = db.session.execute(select(Bid)).scalar_one()
            file_id = bid.files[0].id
        response = client.get(f"/cases/{auction['case']}/proposals/{bid.id}/files/{file_id}")
        assert response.status_code in (403, 404) and b"unique-marker-4711" not in response.data

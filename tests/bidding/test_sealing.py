"""Issue 13: sealed for everyone until two officials open it.

Item 2: the database, the instance folder (data keys, secret key), the backups and the
administrator together cannot open a bid or read a 予定価格 before the opening; opening needs k
opening officials' passphrases. Item 4: proposals are sealed too and released to evaluators after
the deadline by two officials, never with prices. Item 5: an envelope moved to another bid does not
open there. Item 8: the confirming official is one of the case's named officials and the witness is
neither official.
"""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.asymmetric import ec
from freezegun import freeze_time
from sqlalchemy import select, text

from tender.accounts.models import Role, User
from tender.bidding import operations as ops
from tender.bidding.models import Bid
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.sealing import envelope, passphrase
from tender.sealing import operations as sealing
from tender.sealing.models import CaseKey, KeyShare, OpeningKey
from tests.helpers import (
    OPENING_PASSPHRASE,
    PASSWORD,
    email_of,
    events,
    login,
    make_case,
    make_company,
    make_user,
    post_form,
)
from tests.scenario import confirm_opening, open_sealed, request_opening, submit

AMOUNT = 27_182_818
ESTIMATE = 10_000_000


def _bid_ids(app):
    with app.app_context():
        return [b.id for b in db.session.execute(select(Bid).order_by(Bid.id)).scalars()]


def _everything_the_operator_holds(app, database_url) -> list[str]:
    """Every value of every row, with every confidential column decrypted with the instance's data
    keys — what an operator holding the database and the instance folder can read."""
    keys = Fernet(app.config["TENDER_DATA_KEYS"].split(",")[0].encode())
    out = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(table.select()).mappings():
                for value in row.values():
                    out.append(str(value))
                    if isinstance(value, str):
                        try:
                            out.append(keys.decrypt(value.encode()).decode("utf-8", "replace"))
                        except (InvalidToken, ValueError):
                            pass
    return out


def test_the_operator_with_database_data_keys_and_backups_reads_no_bid_and_no_estimate(
        clean_app, auction, database_url, tmp_path):
    estimate = 9_876_543  # a figure found nowhere else in the database
    officials = [make_user(clean_app, Role.OFFICER) for _ in range(2)]
    case_id = make_case(clean_app, officials[0], procedure=_lowest(), estimated_price=estimate, officials=officials)
    from tests.scenario import seal_bid

    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        during, opening = case.submissions_from + timedelta(hours=1), case.opening_at
    seal_bid(clean_app, case_id, auction["companies"][0], auction["bidders"][0], AMOUNT, lottery="777", now=during)
    # One official has even asked to open (a share waits under the data keys): still one share short.
    request_opening(clean_app, case_id, officials[0], opening)
    held = " ".join(_everything_the_operator_holds(clean_app, database_url))
    for secret in (str(AMOUNT), f"{AMOUNT:,}", str(estimate), f"{estimate:,}", '"777"'):
        assert secret not in held, secret
    # The share already given waits sealed to the official still to come: nothing the server keeps
    # opens it (the data keys included), so the database never holds two usable shares.
    with clean_app.app_context():
        from tender.sealing.models import WaitingShare

        key = db.session.execute(select(CaseKey).where(CaseKey.purpose == "price", CaseKey.case_id == case_id)).scalar_one()
        assert len(sealing.provided(key)) == 1 < key.threshold
        waiting = db.session.execute(select(WaitingShare).where(WaitingShare.case_key_id == key.id)).scalars().all()
        assert waiting and {w.to_user_id for w in waiting} == {officials[1]}
        for row in waiting:
            aad = sealing._waiting_aad(key, row.x, row.to_user_id)
            # The official it waits for opens it with the key under their passphrase…
            official = db.session.get(User, row.to_user_id)
            theirs = sealing._unwrap(sealing.opening_key_of(official), official, OPENING_PASSPHRASE)
            assert envelope.open_(theirs, row.envelope, aad)
            # …and a key made from any secret the server holds does not.
            for guess in (clean_app.config["SECRET_KEY"], clean_app.config["TENDER_DATA_KEYS"],
                          clean_app.config["TENDER_INTEGRITY_KEY"]):
                scalar = int.from_bytes(hashlib.sha256(guess.encode()).digest(), "big") % (2**256 - 2**224) + 1
                with pytest.raises(envelope.EnvelopeError):
                    envelope.open_(ec.derive_private_key(scalar, ec.SECP256R1()), row.envelope, aad)
        db.session.rollback()
        # Nothing the server keeps opens a share without its official's passphrase.
        for share in db.session.execute(select(KeyShare)).scalars():
            wrapped = db.session.get(OpeningKey, share.opening_key_id).wrapped_private
            for guess in (clean_app.config["SECRET_KEY"], clean_app.config["TENDER_DATA_KEYS"], "", "password"):
                with pytest.raises(passphrase.WrongPassphrase):
                    passphrase.unwrap(wrapped, guess, envelope.aad("tender-opening-key", user=share.user_id))
    # A backup holds no more than the database and the files.
    from tender.backup import operations as backup

    with clean_app.app_context():
        made = backup.create_backup(tmp_path / "backups")
    for path in Path(made).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert str(AMOUNT).encode() not in data and str(estimate).encode() not in data, path


def test_nobody_sees_the_estimate_before_the_opening_not_even_the_officer_who_typed_it(clean_app, auction):
    for user_id in (auction["officer"], auction["second"], make_user(clean_app, Role.AUDITOR),
                    make_user(clean_app, Role.ADMIN)):
        client = clean_app.test_client()
        login(client, email_of(clean_app, user_id))
        page = client.get(f"/cases/{auction['case']}").text
        assert "10,000,000" not in page
        if user_id == auction["officer"]:
            assert "封印済み" in page
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, auction["case"])
        assert case.estimated_price is None and case.estimated_price_sealed


def test_two_officials_open_and_the_estimate_is_unsealed_with_the_bids(clean_app, auction):
    submit(clean_app, auction, 0, AMOUNT)
    assert open_sealed(clean_app, auction["case"], auction["officer"], auction["second"], auction["opening"]) == "opened"
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, auction["case"])
        assert case.estimated_price == ESTIMATE
        assert db.session.get(Bid, _bid_ids(clean_app)[0]).amount == AMOUNT
        # The ceremony left nothing waiting.
        from tender.sealing.models import WaitingShare

        assert db.session.execute(select(WaitingShare)).first() is None
        assert db.session.execute(select(KeyShare).where(KeyShare.provided_at.is_not(None))).first() is None


def test_one_official_cannot_open_alone(clean_app, auction):
    submit(clean_app, auction, 0, AMOUNT)
    request_opening(clean_app, auction["case"], auction["officer"], auction["opening"])
    with pytest.raises(ops.BidError, match="別の職員が確認"):
        confirm_opening(clean_app, auction["case"], auction["officer"], auction["opening"])
    assert _amounts(clean_app) == [None]


def test_an_officer_who_is_not_a_named_official_cannot_confirm(clean_app, auction):
    """Item 8: an administrator created an officer in another department who then confirmed."""
    from tender.organisations.models import Authority, Department

    with clean_app.app_context():
        other = Department(name="別部署", authority=Authority(name="機構"))
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    outsider = make_user(clean_app, Role.OFFICER, department_id=other_id)
    submit(clean_app, auction, 0, AMOUNT)
    request_opening(clean_app, auction["case"], auction["officer"], auction["opening"])
    with pytest.raises(ops.BidError, match="開札担当職員ではない"):
        confirm_opening(clean_app, auction["case"], outsider, auction["opening"])
    assert _amounts(clean_app) == [None]


def test_a_wrong_passphrase_opens_nothing_and_is_recorded(clean_app, auction):
    submit(clean_app, auction, 0, AMOUNT)
    with pytest.raises(ops.BidError, match="開札用パスフレーズが正しくありません"):
        request_opening(clean_app, auction["case"], auction["officer"], auction["opening"], passphrase="Wrong-Guess-2026!")
    with clean_app.app_context():
        bid_round = ops.current_round(db.session.get(ProcurementCase, auction["case"]))
        assert bid_round.state == "accepting"
    request_opening(clean_app, auction["case"], auction["officer"], auction["opening"])
    with pytest.raises(ops.BidError, match="開札用パスフレーズが正しくありません"):
        confirm_opening(clean_app, auction["case"], auction["second"], auction["opening"], passphrase="Wrong-Guess-2026!")
    assert _amounts(clean_app) == [None]


def test_a_wrong_passphrase_at_the_opening_is_recorded_although_the_opening_is_refused(clean_app, auction):
    """The refused ceremony is rolled back, but the guess is kept in the audit trail."""
    submit(clean_app, auction, 0, AMOUNT)
    client = clean_app.test_client()
    url = f"/cases/{auction['case']}/opening"
    with freeze_time(auction["opening"]):
        login(client, email_of(clean_app, auction["officer"]))
        response = post_form(client, f"{url}/request", {"witness_name": "立会 一郎", "witness_kind": "staff",
                                                        "witness_user_id": str(make_user(clean_app, Role.AUDITOR)),
                                                        "passphrase": "Wrong-Guess-2026!"}, form_url=url, follow=True)
    assert "開札用パスフレーズが正しくありません" in response.text
    guesses = events(clean_app, "opening_key.wrong_passphrase")
    assert len(guesses) == 1 and guesses[0].actor_id == auction["officer"]
    assert events(clean_app, "opening.requested") == []
    with clean_app.app_context():
        assert ops.current_round(db.session.get(ProcurementCase, auction["case"])).state == "accepting"


def _amounts(app):
    with app.app_context():
        return [b.amount for b in db.session.execute(select(Bid).order_by(Bid.id)).scalars()]


def test_a_witness_is_neither_official(clean_app, auction):
    """Item 8: the witness could be the requesting officer's own name."""
    submit(clean_app, auction, 0, AMOUNT)
    with clean_app.app_context():
        officer = db.session.get(User, auction["officer"]).name
        second = db.session.get(User, auction["second"]).name
    for name in (officer, second, officer.replace(" ", "　")):
        with pytest.raises(ops.BidError, match="立会人は、開札を行う職員とは別の人"):
            request_opening(clean_app, auction["case"], auction["officer"], auction["opening"], witness_name=name)
    # As staff: only users outside the case and its officials can be chosen.
    with pytest.raises(ops.BidError, match="立会人には"):
        request_opening(clean_app, auction["case"], auction["officer"], auction["opening"], attendees=[],
                        witness_user_id=auction["second"])
    auditor = make_user(clean_app, Role.AUDITOR)
    request_opening(clean_app, auction["case"], auction["officer"], auction["opening"], attendees=[],
                    witness_user_id=auditor)


def test_three_officials_any_two_open_and_a_lost_passphrase_is_survived(clean_app):
    officials = [make_user(clean_app, Role.OFFICER) for _ in range(3)]
    case_id = make_case(clean_app, officials[0], procedure=_lowest(), estimated_price=ESTIMATE,
                        officials=officials, opening_threshold=2)
    company = make_company(clean_app)
    bidder = make_user(clean_app, Role.BIDDER, company_id=company)
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, case_id)
        during, opening = case.submissions_from + timedelta(hours=1), case.opening_at
    from tests.scenario import seal_bid

    seal_bid(clean_app, case_id, company, bidder, AMOUNT, now=during)
    # The first official forgets the passphrase: a new key; the old share is dead.
    with clean_app.app_context():
        sealing.replace_lost_key(db.session.get(User, officials[0]), "Brand-New-Phrase-2026!", password=PASSWORD, now=during)
        db.session.commit()
    with pytest.raises(ops.BidError, match="作り直したため"):
        request_opening(clean_app, case_id, officials[0], opening, passphrase="Brand-New-Phrase-2026!")
    # The two others still open.
    with clean_app.app_context():
        db.session.execute(text("UPDATE case_officers SET user_id = :u"), {"u": officials[1]})
        db.session.commit()
    request_opening(clean_app, case_id, officials[1], opening)
    assert confirm_opening(clean_app, case_id, officials[2], opening) == "opened"


def test_a_departing_official_is_replaced_by_the_current_officials(clean_app, auction):
    newcomer = make_user(clean_app, Role.OFFICER)
    submit(clean_app, auction, 0, AMOUNT)
    with clean_app.app_context():
        officer, second = db.session.get(User, auction["officer"]), db.session.get(User, auction["second"])
        people = [officer, db.session.get(User, newcomer)]
        with pytest.raises(sealing.SealingError, match="2名のパスフレーズが必要"):  # one present is not enough
            sealing.reshare(auction["case"], people, 2, [(officer, OPENING_PASSPHRASE)], by=officer, now=auction["during"])
        sealing.reshare(auction["case"], people, 2, [(officer, OPENING_PASSPHRASE), (second, OPENING_PASSPHRASE)],
                        by=officer, now=auction["during"])
        db.session.commit()
    with pytest.raises(ops.BidError, match="開札担当職員ではない"):
        request_opening(clean_app, auction["case"], auction["second"], auction["opening"])
    request_opening(clean_app, auction["case"], auction["officer"], auction["opening"])
    assert confirm_opening(clean_app, auction["case"], newcomer, auction["opening"]) == "opened"
    assert _amounts(clean_app) == [AMOUNT]


def _lowest():
    from tender.rules.lifecycle import Procedure

    return Procedure.LOWEST_PRICE


# --- item 5: envelopes bound to their bids ------------------------------------------------------

def test_swapped_envelopes_do_not_open_in_each_others_place(clean_app, auction):
    submit(clean_app, auction, 0, 9_000_000)
    submit(clean_app, auction, 1, 8_000_000)
    first, second = _bid_ids(clean_app)
    with clean_app.app_context():  # an insider swaps the two sealed envelopes (and fingerprints)
        rows = {r.id: (r.sealed_payload, r.fingerprint) for r in db.session.execute(select(Bid)).scalars()}
        for bid_id, other in ((first, second), (second, first)):
            db.session.execute(text("UPDATE bids SET sealed_payload = :p, fingerprint = :f WHERE id = :i"),
                               {"p": rows[other][0], "f": rows[other][1], "i": bid_id})
        db.session.commit()
    open_sealed(clean_app, auction["case"], auction["officer"], auction["second"], auction["opening"])
    with clean_app.app_context():
        bids = db.session.execute(select(Bid).order_by(Bid.id)).scalars().all()
        assert [b.amount for b in bids] == [None, None]  # no amount moved to the other bidder
        assert all(b.status == "invalid" and "改ざん" in b.invalid_reason for b in bids)
    assert len(events(clean_app, "bid.record_altered")) == 2


@pytest.mark.parametrize("tamper, reason", [
    (lambda done: (done.envelope, "0" * 64), "指紋"),
    (lambda done: (done.envelope[:-6] + ("AAAAAA" if not done.envelope.endswith('AAAAAA"}') else "BBBBBB") + '"}',
                   done.fingerprint), "開封できません"),
])
def test_an_envelope_that_is_not_the_receipts_is_refused_at_the_opening(clean_app, auction, tamper, reason):
    submit(clean_app, auction, 0, 9_000_000, envelope=tamper)
    submit(clean_app, auction, 1, 8_000_000)
    open_sealed(clean_app, auction["case"], auction["officer"], auction["second"], auction["opening"])
    with clean_app.app_context():
        bad, good = db.session.execute(select(Bid).order_by(Bid.id)).scalars().all()
        assert bad.status == "invalid" and reason in bad.invalid_reason and bad.amount is None
        assert good.status == "valid" and good.amount == 8_000_000


def test_a_breakdown_that_does_not_add_up_is_invalid_at_the_opening(clean_app, auction):
    """A client that skips the browser's check: the opening checks again (入札心得第11条)."""
    from tender.rules.bids import BreakdownLine

    submit(clean_app, auction, 0, 9_000_000, breakdown=[BreakdownLine("一式", 1, "式", 8_999_999)])
    open_sealed(clean_app, auction["case"], auction["officer"], auction["second"], auction["opening"])
    with clean_app.app_context():
        bid = db.session.execute(select(Bid)).scalar_one()
        assert bid.status == "invalid" and bid.invalid_ground == "unclear_intent" and "一致しません" in bid.invalid_reason


def test_files_other_than_the_sealed_ones_make_the_bid_invalid(clean_app, auction):
    submit(clean_app, auction, 0, 9_000_000)
    with clean_app.app_context():  # an insider points the bid at another stored file
        from tender.documents.models import StoredFile

        bid = db.session.execute(select(Bid)).scalar_one()
        original = bid.files[0].file
        other = StoredFile(sha256="f" * 64, blob_sha256=original.blob_sha256, filename="x.pdf",
                           content_type=original.content_type, size=1, uploaded_at=original.uploaded_at,
                           sealed_key_id=original.sealed_key_id)
        db.session.add(other)
        db.session.flush()
        bid.files[0].file_id = other.id
        db.session.commit()
    open_sealed(clean_app, auction["case"], auction["officer"], auction["second"], auction["opening"])
    with clean_app.app_context():
        bid = db.session.execute(select(Bid)).scalar_one()
        assert bid.status == "invalid" and "添付書類の指紋" in bid.invalid_reason


# --- production parameters, once --------------------------------------------------------------

def test_the_production_argon2_parameters_wrap_and_unwrap():
    """The suite runs with cheap parameters (tests/conftest): the strong ones are proven here once."""
    key = envelope.new_private_key()
    blob = passphrase.wrap(key, "Kaisatsu-Prod-2026!", passphrase.STRONG, b"aad")
    assert (blob["t"], blob["m"], blob["p"]) == (3, 65536, 4)
    assert envelope.public_raw(passphrase.unwrap(blob, "Kaisatsu-Prod-2026!", b"aad")) == envelope.public_raw(key)
    with pytest.raises(passphrase.WrongPassphrase):
        passphrase.unwrap(blob, "Kaisatsu-Prod-2026?", b"aad")


def test_the_envelope_format_is_the_documented_one():
    key = envelope.new_private_key()
    sealed = envelope.seal(envelope.public_raw(key), b"payload", b"a|b=c")
    obj = json.loads(sealed)
    assert set(obj) == {"v", "epk", "iv", "ct"} and obj["v"] == "tender-seal-1"
    assert len(envelope.unb64u(obj["epk"])) == 65 and len(envelope.unb64u(obj["iv"])) == 12
    assert envelope.open_(key, sealed, b"a|b=c") == b"payload"
    with pytest.raises(envelope.EnvelopeError):
        envelope.open_(key, sealed, b"a|b=d")
    with pytest.raises(envelope.EnvelopeError):
        envelope.open_(envelope.new_private_key(), sealed, b"a|b=c")


# --- item 6: who has bid stays unknown until the deadline ------------------------------------------

def test_who_has_bid_is_hidden_from_officers_and_auditors_until_the_deadline(clean_app, auction):
    from freezegun import freeze_time

    submit(clean_app, auction, 0, 9_000_000)
    submit(clean_app, auction, 1, 8_000_000)
    with clean_app.app_context():
        numbers = [b.receipt_number for b in db.session.execute(select(Bid)).scalars()]
        reference = db.session.get(ProcurementCase, auction["case"]).reference
    auditor = make_user(clean_app, Role.AUDITOR)
    case_pages = {auction["officer"]: [f"/cases/{auction['case']}/opening", f"/cases/{auction['case']}",
                                       f"/cases/{auction['case']}/panel"],
                  auditor: [f"/cases/{auction['case']}/opening", f"/audit?case={reference}",
                            f"/audit/cases/{auction['case']}", f"/audit/cases/{auction['case']}/events.csv"]}
    trail = {auditor: ["/audit", "/audit?action=bid"]}  # the whole trail names companies, but no bid

    def seen(moment, pages):
        out = []
        with freeze_time(moment):
            for user, urls in pages.items():
                client = clean_app.test_client()
                login(client, email_of(clean_app, user))
                out += [client.get(url).get_data(as_text=True) for url in urls]
        return "\n".join(out)

    last_second = auction["deadline"]
    before = seen(last_second, case_pages)
    for leak in ["入札A株式会社", "入札B株式会社", *numbers, "bid.submitted"]:
        assert leak not in before, leak
    assert "入札の有無・件数・入札者を表示しません" in before
    before = seen(last_second, trail)
    for leak in [*numbers, "bid.submitted"]:
        assert leak not in before, leak
    after = seen(last_second + timedelta(seconds=1), case_pages) + seen(last_second + timedelta(seconds=1), trail)
    assert "入札A株式会社" in after and all(n in after for n in numbers)


def test_the_officials_change_a_departing_colleague_in_one_sitting(clean_app, auction):
    newcomer = make_user(clean_app, Role.OFFICER, name="後任 三郎")
    submit(clean_app, auction, 0, AMOUNT)
    page = f"/cases/{auction['case']}/opening"
    officer = clean_app.test_client()
    login(officer, email_of(clean_app, auction["officer"]))
    new_list = {"officials-officials": [str(auction["officer"]), str(newcomer)], "officials-threshold": "2"}
    # One official alone cannot change the list.
    alone = post_form(officer, f"/cases/{auction['case']}/officials", {
        **new_list, f"officials-pass_{auction['officer']}": OPENING_PASSPHRASE}, form_url=page, follow=True)
    assert "2名のパスフレーズが必要" in alone.text
    # Both current officials at the same sitting, each typing their own passphrase.
    done = post_form(officer, f"/cases/{auction['case']}/officials", {
        **new_list, f"officials-pass_{auction['officer']}": OPENING_PASSPHRASE,
        f"officials-pass_{auction['second']}": OPENING_PASSPHRASE}, form_url=page, follow=True)
    assert "開札担当職員を変更しました" in done.text
    with clean_app.app_context():
        from tender.sealing.models import WaitingShare

        assert [u.id for u in sealing.officials(auction["case"])] == [auction["officer"], newcomer]
        assert db.session.execute(select(WaitingShare)).first() is None  # nothing waited in the database
    with pytest.raises(ops.BidError, match="開札担当職員ではない"):
        request_opening(clean_app, auction["case"], auction["second"], auction["opening"])
    request_opening(clean_app, auction["case"], auction["officer"], auction["opening"])
    assert confirm_opening(clean_app, auction["case"], newcomer, auction["opening"]) == "opened"
    assert _amounts(clean_app) == [AMOUNT]
    assert events(clean_app, "case.keys_reshared")

"""The filled 提案書受理票 and 開札調書, read back from the PDF and DOCX files themselves."""
import io
import subprocess

from docx import Document
from freezegun import freeze_time
from sqlalchemy import select

from tender.bidding.models import Bid, BidRound
from tender.extensions import db
from tests.helpers import email_of, login
from tests.scenario import open_over_http as _open
from tests.scenario import submit


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_the_receipt_carries_the_receipt_number_and_fingerprints_in_both_formats(clean_app, auction):
    with freeze_time(auction["during"]):
        bid_id, _, _ = submit(clean_app, auction, 0, 9_000_000)
        client = clean_app.test_client()
        login(client, email_of(clean_app, auction["bidders"][0]))
        pdf = client.get(f"/notices/{auction['case']}/bid/{bid_id}/receipt.pdf")
        docx = client.get(f"/notices/{auction['case']}/bid/{bid_id}/receipt.docx")
        other = clean_app.test_client()
        login(other, email_of(clean_app, auction["bidders"][1]))
        assert other.get(f"/notices/{auction['case']}/bid/{bid_id}/receipt.pdf").status_code == 404
    with clean_app.app_context():
        bid = db.session.get(Bid, bid_id)
        number, fingerprint, file_hash = bid.receipt_number, bid.fingerprint, bid.files[0].file.sha256
        random = f"{bid.receipt_random:03d}"
    assert pdf.headers["Content-Type"] == "application/pdf"
    for text in (pdf_text(pdf.data), docx_text(docx.data)):
        flat = text.replace("\n", "").replace(" ", "")
        assert number in flat and "提案書受理票" in flat.replace(" ", "")
        assert fingerprint[:32] in flat and file_hash[:32] in flat
        # The lottery's committed value, on paper before the deadline (issue 13 item 7).
        assert f"受理時乱数{random}（電子くじに使用）" in flat.replace("　", "")
        assert "9,000,000" not in text  # the amount stays sealed


def test_the_opening_record_lists_the_opened_bids(clean_app, auction):
    with freeze_time(auction["during"]):
        submit(clean_app, auction, 0, 9_000_000)
        submit(clean_app, auction, 1, 8_500_000)
    with freeze_time(auction["opening"]):
        officer, _ = _open(clean_app, auction, attendees=auction["companies"][:1])
        with clean_app.app_context():
            round_id = db.session.execute(select(BidRound.id)).scalar_one()
        pdf = officer.get(f"/cases/{auction['case']}/opening/{round_id}/record.pdf")
        docx = officer.get(f"/cases/{auction['case']}/opening/{round_id}/record.docx")
    for text in (pdf_text(pdf.data), docx_text(docx.data)):
        flat = text.replace(" ", "")
        assert "開札調書" in flat and "入札A株式会社" in flat and "入札B株式会社" in flat
        assert "9,000,000" in flat and "8,500,000" in flat and "立会一郎" in flat


def test_forms_command_lists_and_exports_every_form(runner, clean_app, tmp_path):
    import forms

    listed = runner.invoke(args=["forms", "list"])
    assert listed.exit_code == 0 and all(code in listed.output for code in forms.codes())
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["forms", "export", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for code in forms.codes():
        assert (tmp_path / f"{code}.pdf").read_bytes().startswith(b"%PDF")
        assert (tmp_path / f"{code}.docx").read_bytes().startswith(b"PK")
    record = pdf_text((tmp_path / "opening_record.pdf").read_bytes()).replace(" ", "")
    assert "複合機保守業務" in record and "立会人監査次郎" in record
    # The filled 質問書 is addressed to its case's department, not to the sample's (issue 18).
    question = pdf_text((tmp_path / "question.pdf").read_bytes()).replace(" ", "")
    assert "担当者殿" in question and "中小企業支援グループ" not in question


def test_the_opening_record_compares_like_with_like_and_names_the_winner(clean_app, awarded):
    """Issue 18: the 予定価格 (10,000,000) includes tax, so each bid is compared with its tax added —
    9,500,000 + 10% = 10,450,000 is over it and shown as 予定価格超過, not 有効 — and once awarded the record
    names the 落札者 and the 落札金額 (税込), with 「落札者」, not 「落札候補」, in the result column."""
    from datetime import timedelta

    from tests.scenario import client_of

    t = awarded
    with clean_app.app_context():
        round_id = db.session.execute(select(BidRound.id)).scalar_one()
    with freeze_time(t["decided_at"] + timedelta(minutes=1)):
        officer = client_of(clean_app, t["officer"])
        pdf = officer.get(f"/cases/{t['case']}/opening/{round_id}/record.pdf")
        docx = officer.get(f"/cases/{t['case']}/opening/{round_id}/record.docx")
    for text in (pdf_text(pdf.data), docx_text(docx.data)):
        flat = "".join(text.split())
        assert "予定価格は税込のため" in flat and "税込の金額" in flat
        assert "10,450,000円" in flat and "予定価格超過" in flat
        assert "入札B株式会社落札金額金9,350,000円（税込）" in flat
        assert "落札者" in flat and "落札候補" not in flat

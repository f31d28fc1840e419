"""The auditor's record of a case: every event about it (and nothing about other cases), the
decisions with their grounds, the event behind an evaluator's marks, exports, tampering shown."""
import io
import json
import subprocess
from datetime import timedelta

from freezegun import freeze_time
from openpyxl import load_workbook
from sqlalchemy import select, text

from tender.accounts.models import Role
from tender.audit.models import AuditEvent
from tender.extensions import db
from tests.helpers import email_of, events, login, login_as, make_case, make_user
from tests.scenario import evaluated_and_awarded


def _auditor(app):
    client = app.test_client()
    login(client, email_of(app, make_user(app, Role.AUDITOR)))
    return client


def test_the_record_holds_the_cases_events_and_decisions_and_nothing_else(clean_app, tender, tmp_path):
    t = tender
    evaluated_and_awarded(clean_app, t)
    other = make_case(clean_app, t["officer"], title="無関係の案件")
    with freeze_time(t["opening"] + timedelta(hours=1)):
        auditor = _auditor(clean_app)
        page = auditor.get(f"/audit/cases/{t['case']}").text
    with clean_app.app_context():
        mine = db.session.execute(select(AuditEvent.seq, AuditEvent.action, AuditEvent.object_type, AuditEvent.object_id,
                                         AuditEvent.summary)).all()
    expected = {seq for seq, action, kind, ident, summary in mine
                if (kind == "procurement_cases" and ident == str(t["case"]))
                or json.loads(summary).get("case_id") == t["case"]}
    other_seqs = {seq for seq, action, kind, ident, summary in mine if kind == "procurement_cases" and ident == str(other)}
    shown = {int(s) for s in __import__("re").findall(r'href="/audit/events/(\d+)"', page.split('id="timeline"')[1])}
    assert expected <= shown and not other_seqs & shown
    actions = {action for seq, action, *_ in mine if seq in shown}
    assert {"case.created", "case.published", "bid.submitted", "opening.requested", "opening.confirmed",
            "evaluator.assigned", "evaluator.declared", "evaluation.marks_submitted", "consensus.recorded",
            "consensus.signed_off", "award.award"} <= actions
    decisions = page.split('id="decisions"')[1].split('id="timeline"')[0]
    assert "総合評価点が最も高い者を落札者とする" in decisions and "合議により決定" in decisions and "立会 一郎" in decisions
    assert "競争参加資格の判定" in decisions and "提案A株式会社" in decisions and "適合" in decisions
    # Each evaluator's marks point at the event that recorded them, and that event is intact and chained.
    marks_events = [e for e in events(clean_app, "evaluation.marks_submitted")]
    assert len(marks_events) == 3
    for e in marks_events:
        assert f'href="/audit/events/{e.seq}"' in decisions
    with freeze_time(t["opening"] + timedelta(hours=1)):
        event_page = auditor.get(f"/audit/events/{marks_events[0].seq}").text
    assert "審査員の評価の提出" in event_page and "内容はハッシュと一致" in event_page and "と連鎖" in event_page


def test_exports_carry_every_event_and_are_themselves_recorded(clean_app, tender, tmp_path):
    t = tender
    evaluated_and_awarded(clean_app, t)
    with freeze_time(t["opening"] + timedelta(hours=1)):
        auditor = _auditor(clean_app)
        page = auditor.get(f"/audit/cases/{t['case']}").text
        seqs = [int(s) for s in __import__("re").findall(r'href="/audit/events/(\d+)"', page.split('id="timeline"')[1])]
        csv_text = auditor.get(f"/audit/cases/{t['case']}/events.csv").data.decode("utf-8-sig")
        book = load_workbook(io.BytesIO(auditor.get(f"/audit/cases/{t['case']}/events.xlsx").data))
        pdf = auditor.get(f"/audit/cases/{t['case']}/summary.pdf")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("連番,日時（日本時間）") and len(lines) == len(seqs) + 1
    assert [int(line.split(",")[0]) for line in lines[1:]] == seqs
    rows = list(book.active.iter_rows(min_row=3, values_only=True))
    # The CSV export was itself recorded on the case, so the XLSX made after it has that event too.
    [csv_export] = [e for e in events(clean_app, "audit.case_exported") if json.loads(e.summary)["format"] == "csv"]
    assert [r[0] for r in rows] == seqs + [csv_export.seq] and all(len(r[10]) == 64 for r in rows)
    path = tmp_path / "s.pdf"
    path.write_bytes(pdf.data)
    flat = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "案件の監査記録" in flat and "総合評価点が最も高い者を落札者とする" in flat and "改ざんは検出されませんでした" in flat
    assert [json.loads(e.summary)["format"] for e in events(clean_app, "audit.case_exported")] == ["csv", "xlsx", "pdf"]


def test_a_tampered_event_is_shown_as_such(clean_app, tender, client):
    t = tender
    with clean_app.app_context():
        target = db.session.execute(select(AuditEvent).where(AuditEvent.action == "case.published")).scalar_one()
        seq = target.seq
        # Someone edits the database behind the application's back.
        db.session.execute(text("UPDATE audit_events SET summary = :s WHERE seq = :q"), {"s": '{"forged":true}', "q": seq})
        db.session.commit()
    login_as(client, clean_app, Role.AUDITOR)
    assert "改ざんの疑い" in client.get(f"/audit/events/{seq}").text
    page = client.get(f"/audit/cases/{t['case']}").text
    row = page[page.index(f'href="/audit/events/{seq}"') - 200:page.index(f'href="/audit/events/{seq}"')]
    assert "row--overdue" in row


def test_events_are_searched_by_case_person_kind_and_period(clean_app, tender, client):
    t = tender
    other = make_case(clean_app, t["officer"], title="別の案件")
    login_as(client, clean_app, Role.AUDITOR)
    with clean_app.app_context():
        from tender.notices.models import ProcurementCase

        reference = db.session.get(ProcurementCase, t["case"]).reference
        other_reference = db.session.get(ProcurementCase, other).reference
    page = client.get(f"/audit?case={reference}&action=case.").text
    assert "案件の作成" in page and "公告" in page
    with clean_app.app_context():
        other_seq = db.session.execute(select(AuditEvent.seq).where(
            AuditEvent.object_type == "procurement_cases", AuditEvent.object_id == str(other))).scalars().first()
    assert f'href="/audit/events/{other_seq}"' not in page
    assert f'href="/audit/events/{other_seq}"' in client.get(f"/audit?case={other_reference}").text
    assert "該当するイベントはありません" in client.get("/audit?case=9999-9999").text


def test_a_lottery_is_checked_by_drawing_it_again_from_its_record(clean_app):
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from tender.auditor.casefile import _lottery_verified
    from tender.bidding.operations import bid_mark
    from tender.rules.bids import LotteryEntry, draw

    entries = [LotteryEntry(11, 123, 1, 424), LotteryEntry(12, 456, 2, 242), LotteryEntry(13, 789, 3, 7)]
    drawn = draw(entries)
    # The bids as committed before the deadline: sealed くじ番号, 受理時乱数 on each receipt (with its mark).
    at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    bids = [SimpleNamespace(id=e.bid_id, lottery_number=e.number, receipt_random=e.receipt_random,
                            receipt_number=f"R-{e.bid_id}", case_id=1, round_id=1, company_id=e.bid_id, submitted_at=at,
                            fingerprint="0" * 64, sealed_payload="{}") for e in entries]
    ctx = clean_app.app_context()
    ctx.push()
    for bid in bids:
        bid.mark = bid_mark(bid)
    row = SimpleNamespace(
        round=SimpleNamespace(bids=bids),
        entries=[{"bid_id": e.bid_id, "number": e.number, "order": e.order, "receipt_random": e.receipt_random}
                 for e in entries],
        steps=[{"remaining": list(s.remaining), "total": s.total, "index": s.index, "picked": s.picked}
               for s in drawn.steps],
        ranking=list(drawn.ranking), algorithm=drawn.algorithm)
    assert _lottery_verified(row) is True
    row.ranking = list(reversed(row.ranking))  # a ranking changed after the draw
    assert _lottery_verified(row) is False
    row.ranking = list(drawn.ranking)
    bids[0].receipt_random = 425  # the record says 424, the bid's receipt another: steered or altered
    assert _lottery_verified(row) is False
    bids[0].receipt_random = 424
    row.entries = row.entries[:1]  # a record that cannot have been drawn
    assert _lottery_verified(row) is False
    ctx.pop()


def test_the_shared_tables_the_case_file_skips_all_exist(app):
    """A renamed table would silently become part of every case's record."""
    from tender.auditor.casefile import _SHARED

    with app.app_context():
        assert _SHARED <= {t.name for t in db.metadata.sorted_tables}


def test_the_audit_search_ignores_full_and_half_width(clean_app, tender, client):
    """Issue 19: ２０２６－０００９ finds 2026-0009, ｃａｓｅ． finds case.* events, and an actor's address
    typed full width finds it."""
    import unicodedata
    from urllib.parse import quote

    def wide(text: str) -> str:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)

    t = tender
    login_as(client, clean_app, Role.AUDITOR)
    with clean_app.app_context():
        from tender.accounts.models import User
        from tender.notices.models import ProcurementCase

        reference = db.session.get(ProcurementCase, t["case"]).reference
        email = db.session.get(User, t["officer"]).email
    assert unicodedata.normalize("NFKC", wide(reference)) == reference and wide(reference) != reference
    by_reference = client.get(f"/audit?case={quote(wide(reference))}&action={quote(wide('case.'))}").text
    assert "案件の作成" in by_reference and "該当するイベントはありません" not in by_reference
    by_actor = client.get(f"/audit?actor={quote(wide(email))}").text
    assert f"<td>{email}</td>" in by_actor and "該当するイベントはありません" not in by_actor


def test_the_auditor_reads_japanese_not_stored_names(clean_app, tender, client):
    """Issue 19: roles, objects and summary keys in Japanese — not officer, procurement_cases, case_id,
    True — on the search, the case record and an event."""
    t = tender
    login_as(client, clean_app, Role.AUDITOR)
    with clean_app.app_context():
        seq = db.session.execute(select(AuditEvent.seq).where(AuditEvent.action == "case.document_required")
                                 ).scalars().first()
    for page in (client.get("/audit?action=case.").text, client.get(f"/audit/cases/{t['case']}").text,
                 client.get(f"/audit/events/{seq}").text):
        assert "調達担当者" in page and "案件" in page
        assert ">officer<" not in page and "procurement_cases" not in page and "<b>case_id</b>" not in page
    event = client.get(f"/audit/events/{seq}").text
    assert "<b>必須</b>：はい" in event and "<b>部数</b>：1" in event


def test_dates_in_the_record_read_as_the_screens_write_them():
    """Issue 19: no ISO dates — a summary's dates and moments read in 和暦 (moments in Japan time)."""
    import json

    from tender.auditor.casefile import summary_lines

    event = AuditEvent(summary=json.dumps({"due_on": "2026-12-01", "changes": {
        "submission_deadline": ["2026-12-14T03:00:00+00:00", "2026-12-21T03:00:00+00:00"]}, "note": "2026-12-01 以降"}))
    lines = dict(summary_lines(event))
    assert "令和8年12月1日" in lines.values()  # (the key reads in Japanese: KEY_LABELS)
    assert "令和8年12月14日 12時00分00秒 → 令和8年12月21日 12時00分00秒" in lines.values()
    assert "2026-12-01 以降" in lines.values()  # text that merely contains a date stays as written
    assert not any("2026-12-14T" in v for v in lines.values())
    odd = AuditEvent(summary=json.dumps({"note": "9999-12-31T23:59:59-05:00"}))  # typed by anyone: no clock shows it
    assert "9999-12-31T23:59:59-05:00" in dict(summary_lines(odd)).values()

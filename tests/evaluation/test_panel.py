"""The technical evaluation over HTTP: the sheet submitted with the bid (on screen or as the
published XLSX), the 一次評価 it drives, evaluators' declarations, independent marks, the chair's
consensus and its sign-off; and that no evaluator page ever shows a price."""
import io
from datetime import timedelta

from freezegun import freeze_time
from openpyxl import load_workbook
from sqlalchemy import select

from forms.render_xlsx import MARK_COLUMN, PAGE_COLUMN
from tender.bidding.models import Bid, BidFile
from tender.evaluation.models import ConsensusMark, EvaluatorAssignment
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tests.helpers import csrf_from, email_of, events, login, post_form
from tests.scenario import (
    PDF,
    agree,
    evaluate_all,
    full_sheet,
    marks_for,
    open_bids,
    post_bid,
    release_proposals,
    score,
    seat_panel,
    submit_bid,
    submit_marks,
    xlsx_upload,
)


def _client(app, user_id):
    client = app.test_client()
    login(client, email_of(app, user_id))
    return client


def _bid_form(t, amount=9_000_000, marks=None, pages=None, items=None, sheet_file=None):
    """What the bid page sends for the 評価項目一覧: the lines in clear (for the 一次評価) and, when
    entered on screen, the same sealed with the bid; or the filled-in XLSX."""
    clear = {}
    for n, item in enumerate(items or []):
        if item.section == "compliance":
            clear[f"mark_{n}"] = (marks or {}).get(item.item_id, "")
        else:
            clear[f"page_{n}"] = (pages or {}).get(item.item_id, "")
    uploads = {f"doc_{t['document_id']}": (PDF, "teian.pdf")}
    if sheet_file is not None:
        uploads["sheet_file"] = sheet_file
    sheet = None if sheet_file is not None else {"marks": marks or {}, "pages": pages or {}}
    return {"amount": amount, "extra": clear, "uploads": uploads, "sheet": sheet}


def _items(app, t):
    from tender.criteria.operations import specs

    with app.app_context():
        return specs(db.session.get(ProcurementCase, t["case"]))


def _post_bid(app, t, form, i=0):
    client = _client(app, t["bidders"][i])
    assert "評価項目一覧（遵守確認・提案書頁番号）" in client.get(f"/notices/{t['case']}/bid").text
    response, _, _ = post_bid(client, t["case"], form.pop("amount"), **form)
    return client, response


def test_the_sheet_is_entered_on_screen_sealed_with_the_bid(clean_app, tender):
    t = tender
    items = _items(clean_app, t)
    marks, pages = full_sheet(clean_app, t["case"])
    with freeze_time(t["during"]):
        _, response = _post_bid(clean_app, t, _bid_form(t, marks=marks, pages=pages, items=items))
        assert response.status_code == 302, response.text
    with clean_app.app_context():
        bid = db.session.execute(select(Bid)).scalar_one()
        assert bid.sheet["source"] == "screen" and bid.sheet["marks"] == marks and bid.sheet["pages"]["1.1"] == pages["1.1"]
        assert "○" not in bid.sealed_payload  # the sheet travels sealed too; only its clear copy is readable


def test_blanks_in_the_sheet_are_named_and_nothing_is_stored(clean_app, tender):
    t = tender
    items = _items(clean_app, t)
    marks, pages = full_sheet(clean_app, t["case"])
    marks["C3"] = ""
    pages["2.2"] = ""
    with freeze_time(t["during"]):
        _, response = _post_bid(clean_app, t, _bid_form(t, marks=marks, pages=pages, items=items))
    assert response.status_code == 200
    assert "遵守確認欄に ○ か × を記入してください：C3" in response.text
    assert "提案書頁番号を記入してください：2.2" in response.text
    with clean_app.app_context():
        assert db.session.execute(select(Bid)).first() is None


def test_the_published_xlsx_filled_in_is_read_back(clean_app, tender):
    t = tender
    client = _client(clean_app, t["bidders"][0])
    blank = client.get(f"/notices/{t['case']}/evaluation-items.xlsx").data
    workbook = load_workbook(io.BytesIO(blank))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=5):
        if not row[0].value or row[1].value is None:
            continue
        if row[1].value == "遵守確認事項":
            row[MARK_COLUMN - 1].value = "×" if row[0].value == "C1" else "○"
        else:
            row[PAGE_COLUMN - 1].value = "7"
    out = io.BytesIO()
    workbook.save(out)
    items = _items(clean_app, t)
    with freeze_time(t["during"]):
        _, response = _post_bid(clean_app, t, _bid_form(t, items=items, sheet_file=(out.getvalue(), "sheet.xlsx")))
        assert response.status_code == 302, response.text
    with clean_app.app_context():
        bid = db.session.execute(select(Bid)).scalar_one()
        assert bid.sheet["source"] == "xlsx" and bid.sheet["marks"]["C1"] == "×" and bid.sheet["pages"]["A1"] == "7"
        assert any(f.label == "評価項目一覧（記入済み）" for f in db.session.execute(select(BidFile)).scalars())
    # Once the proposals are released, the officer sees at once which line failed the 一次評価.
    release_proposals(clean_app, t, t["after"])
    with freeze_time(t["after"]):
        panel = _client(clean_app, t["officer"]).get(f"/cases/{t['case']}/panel").text
        assert "不合格" in panel and "遵守確認事項 C1：遵守確認欄が「×」です（①すべて○）。" in panel


def test_a_file_that_is_not_the_form_is_refused(clean_app, tender):
    t = tender
    with freeze_time(t["during"]):
        _, response = _post_bid(clean_app, t, _bid_form(t, items=_items(clean_app, t), sheet_file=(PDF, "sheet.xlsx")))
    assert response.status_code == 200 and "評価項目一覧のファイルを読み取れません" in response.text
    with clean_app.app_context():
        assert db.session.execute(select(Bid)).first() is None


def test_an_xlsx_upload_through_the_operation_also_checks_the_sheet(clean_app, tender):
    import forms
    from tender.bidding.operations import BidError

    t = tender
    blank = forms.render_xlsx("evaluation_items", None)
    with freeze_time(t["during"]):
        try:
            submit_bid(clean_app, t, 0, 9_000_000, sheet_file=xlsx_upload(blank))
        except BidError as exc:
            assert "評価項目一覧" in str(exc)
        else:
            raise AssertionError("a blank sample form must not be accepted")


def test_evaluators_declare_before_seeing_anything_and_never_see_prices(clean_app, tender):
    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 9_123_000)
        submit_bid(clean_app, t, 1, 8_765_000)
        # Before the deadline, the bidders are not final: no declaration yet.
        officer = _client(clean_app, t["officer"])
        post_form(officer, f"/cases/{t['case']}/panel/assign", {"evaluator": str(t["evaluators"][0]), "chair": "y"},
                  form_url=f"/cases/{t['case']}/panel")
        evaluator = _client(clean_app, t["evaluators"][0])
        early = post_form(evaluator, f"/cases/{t['case']}/review/declare", {"conflict": "no"},
                          form_url=f"/cases/{t['case']}/review", follow=True)
        assert "提出期限の後に申告してください" in early.text
    with freeze_time(t["after"]):
        evaluator = _client(clean_app, t["evaluators"][0])
        assert evaluator.get(f"/cases/{t['case']}/review/{a}").status_code == 302  # not declared yet
        with clean_app.app_context():
            file_id = db.session.get(Bid, a).files[0].id
        assert evaluator.get(f"/cases/{t['case']}/proposals/{a}/files/{file_id}").status_code == 403
        # The deadline has passed but the proposals are still sealed: no declaration, nothing to read,
        # not even for the officer.
        early = post_form(evaluator, f"/cases/{t['case']}/review/declare", {"conflict": "no"},
                          form_url=f"/cases/{t['case']}/review", follow=True)
        assert "提案書の開封" in early.text
        sealed = _client(clean_app, t["officer"]).get(f"/cases/{t['case']}/proposals/{a}/files/{file_id}")
        assert sealed.status_code == 403 and "封印中" in sealed.text
        assert not events(clean_app, "proposal.file_viewed")
    # Two opening officials release the proposals (never the prices) after the deadline.
    release_proposals(clean_app, t, t["after"])
    with freeze_time(t["after"] + timedelta(minutes=1)):
        evaluator = _client(clean_app, t["evaluators"][0])
        page = evaluator.get(f"/cases/{t['case']}/review").text
        assert "提案A株式会社" in page and "提案B株式会社" in page  # whom the declaration covers
        # Nothing is chosen for the evaluator (issue 19): sending the form unanswered declares nothing.
        assert '<option value="">（選択してください）</option>' in page and "<option selected" not in page
        unanswered = post_form(evaluator, f"/cases/{t['case']}/review/declare", {"conflict": ""},
                               form_url=f"/cases/{t['case']}/review", follow=True)
        assert "利害関係の有無を選んでください。" in unanswered.text and not events(clean_app, "evaluator.declared")
        post_form(evaluator, f"/cases/{t['case']}/review/declare", {"conflict": "no"}, form_url=f"/cases/{t['case']}/review")
        assert evaluator.get(f"/cases/{t['case']}/proposals/{a}/files/{file_id}").data == PDF
        # The certifications in Japanese, not their codes (issue 19).
        review = evaluator.get(f"/cases/{t['case']}/review/{a}").text
        assert "ユースエール認定（若者雇用促進法）（6点）" in review and "> youth_yell" not in review
        assert events(clean_app, "proposal.file_viewed") and events(clean_app, "proposals.released")
    with clean_app.app_context():
        assert db.session.get(Bid, a).amount is None and db.session.get(ProcurementCase, t["case"]).estimated_price_sealed
    open_bids(clean_app, t, t["opening"])
    with freeze_time(t["opening"] + timedelta(minutes=1)):
        evaluator = _client(clean_app, t["evaluators"][0])
        for url in (f"/cases/{t['case']}/review", f"/cases/{t['case']}/review/{a}", "/home"):
            text = evaluator.get(url).text
            assert "9,123,000" not in text and "8,765,000" not in text and "10,035,300" not in text, url


def test_a_declared_conflict_hides_the_proposals_and_tells_the_officers(clean_app, tender):
    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 9_000_000)
    release_proposals(clean_app, t, t["after"])
    with freeze_time(t["after"]):
        officer = _client(clean_app, t["officer"])
        post_form(officer, f"/cases/{t['case']}/panel/assign", {"evaluator": str(t["evaluators"][1])},
                  form_url=f"/cases/{t['case']}/panel")
        evaluator = _client(clean_app, t["evaluators"][1])
        empty = post_form(evaluator, f"/cases/{t['case']}/review/declare", {"conflict": "yes", "detail": ""},
                          form_url=f"/cases/{t['case']}/review", follow=True)
        assert "利害関係の内容を記入してください" in empty.text
        post_form(evaluator, f"/cases/{t['case']}/review/declare", {"conflict": "yes", "detail": "提案A株式会社の元役員"},
                  form_url=f"/cases/{t['case']}/review")
        assert evaluator.get(f"/cases/{t['case']}/review/{a}").status_code == 302
        assert "利害関係を申告したため" in evaluator.get(f"/cases/{t['case']}/review").text
        home = officer.get("/notifications").text
        assert "利害関係を申告しました" in home
        panel = officer.get(f"/cases/{t['case']}/panel").text
        assert "利害関係あり" in panel and "提案A株式会社の元役員" in panel


def test_marks_are_independent_until_submitted_then_frozen(clean_app, tender):
    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 9_000_000)
    seat_panel(clean_app, t, t["after"])
    marks = marks_for(clean_app, t["case"], rank="S")
    with freeze_time(t["after"]):
        first = _client(clean_app, t["evaluators"][1])
        # Nobody's marks are visible to an evaluator who has not submitted.
        assert first.get(f"/cases/{t['case']}/consensus").status_code == 403
        bad = post_form(first, f"/cases/{t['case']}/review/{a}", {"value_4": "Z"}, follow=True)
        assert "評価が正しくありません" in bad.text
        incomplete = post_form(first, f"/cases/{t['case']}/review/submit", {}, form_url=f"/cases/{t['case']}/review",
                               follow=True)
        assert "評価していない項目があります" in incomplete.text
    score(clean_app, t, 1, a, marks, t["after"])
    with freeze_time(t["after"]):
        first = _client(clean_app, t["evaluators"][1])
        post_form(first, f"/cases/{t['case']}/review/submit", {}, form_url=f"/cases/{t['case']}/review")
        assert first.get(f"/cases/{t['case']}/consensus").status_code == 200
        late = post_form(first, f"/cases/{t['case']}/review/{a}", {"value_4": "C"}, follow=True)
        assert "提出後は変更できません" in late.text
        # The chair cannot record a consensus before everyone has submitted.
        chair = _client(clean_app, t["evaluators"][0])
        assert chair.get(f"/cases/{t['case']}/consensus/{a}").status_code == 403  # not submitted: cannot look
    assert events(clean_app, "evaluation.marks_submitted")


def test_the_chair_gives_reasons_where_marks_differ_and_signs_off(clean_app, tender):
    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 9_000_000)
    seat_panel(clean_app, t, t["after"])
    high, low = marks_for(clean_app, t["case"], rank="S"), marks_for(clean_app, t["case"], rank="S")
    low["1.2.2b"] = "B"
    for e, marks in enumerate([high, high, low]):
        score(clean_app, t, e, a, marks, t["after"])
        submit_marks(clean_app, t, e, t["after"])
    with freeze_time(t["after"]):
        chair = _client(clean_app, t["evaluators"][0])
        page = chair.get(f"/cases/{t['case']}/consensus/{a}").text
        assert "評価が分かれています" in page and page.count("row--warning") == 1
        # Unanimous items come preselected; the split one needs a value and a reason.
        index = list(high).index("1.2.2b")
        data = {f"value_{n}": (v if not isinstance(v, list) else v[0]) for n, v in enumerate(high.values())}
        blank = post_form(chair, f"/cases/{t['case']}/consensus/{a}", {**data, f"value_{index}": ""}, follow=True)
        assert "1.2.2b：審査員の評価が分かれているため、合議の結果を選んでください" in blank.text
        data["reason_0"] = "提案書3頁で確認"
        refused = post_form(chair, f"/cases/{t['case']}/consensus/{a}", data, follow=True)
        assert "1.2.2b：審査員の評価が分かれている" in refused.text
        assert "提案書3頁で確認" in refused.text  # what the chair typed is shown again, not lost
        del data["reason_0"]
        data[f"reason_{index}"] = "ヒアリングで具体策を確認したためAとする"
        data[f"value_{index}"] = "A"
        done = post_form(chair, f"/cases/{t['case']}/consensus/{a}", data, follow=True)
        assert "合議の結果を記録しました" in done.text
        # Issue 19: the sign-off is a confirmation page away, restating the points it freezes.
        assert f'href="/cases/{t["case"]}/consensus/signoff"' in chair.get(f"/cases/{t['case']}/consensus").text
        confirm = chair.get(f"/cases/{t['case']}/consensus/signoff").text
        assert "合議の確定（確認）" in confirm and "確定する技術点" in confirm and "この操作は取り消せません" in confirm
        assert "211" in confirm  # the technical points as they will be signed
        assert not events(clean_app, "consensus.signed_off")  # looking signed nothing
        post_form(chair, f"/cases/{t['case']}/consensus/signoff", {}, form_url=f"/cases/{t['case']}/consensus/signoff")
        member = _client(clean_app, t["evaluators"][1])
        refused = post_form(member, f"/cases/{t['case']}/consensus/{a}", data, form_url=f"/cases/{t['case']}/consensus/{a}")
        assert refused.status_code == 403  # only the chair records
        again = post_form(chair, f"/cases/{t['case']}/consensus/{a}", data, form_url=f"/cases/{t['case']}/consensus/{a}",
                          follow=True)
        assert "確定（署名）済み" in again.text
    with clean_app.app_context():
        row = db.session.execute(select(ConsensusMark).where(ConsensusMark.item_id == "1.2.2b")).scalar_one()
        assert row.value == "A" and row.reason.startswith("ヒアリング")
        unanimous = db.session.execute(select(ConsensusMark).where(ConsensusMark.item_id == "1.1")).scalar_one()
        assert unanimous.reason == "審査員全員の評価が一致"
    signed = events(clean_app, "consensus.signed_off")[0]
    # 86 + S on every ranked item except 1.2.2b at A (15 → 9): 125 − 6 + youth_yell 6 = 211.
    assert '"technical":211' in signed.summary


def test_an_evaluator_with_marks_stays_on_the_record(clean_app, tender):
    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 9_000_000)
    seat_panel(clean_app, t, t["after"])
    score(clean_app, t, 1, a, {"1.1": "met"}, t["after"])
    with freeze_time(t["after"]):
        officer = _client(clean_app, t["officer"])
        with clean_app.app_context():
            row = db.session.execute(select(EvaluatorAssignment).where(
                EvaluatorAssignment.user_id == t["evaluators"][1])).scalar_one()
        response = post_form(officer, f"/cases/{t['case']}/panel/{row.id}/remove", {},
                             form_url=f"/cases/{t['case']}/panel", follow=True)
        assert "評価を始めた審査員は外せません" in response.text


def test_hearing_notes_are_kept_and_shown_beside_the_marks(clean_app, tender):
    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 9_000_000)
    seat_panel(clean_app, t, t["after"])
    with freeze_time(t["after"]):
        officer = _client(clean_app, t["officer"])
        page = officer.get(f"/cases/{t['case']}/panel")
        posted = officer.post(f"/cases/{t['case']}/panel/hearing", data={
            "bid": str(a), "text": "体制図の補足説明を受けた", "upload": (io.BytesIO(PDF), "hearing.pdf"),
            "csrf_token": csrf_from(page.text)}, content_type="multipart/form-data", follow_redirects=True)
        assert "ヒアリングの記録を追加しました" in posted.text
        assert "体制図の補足説明を受けた" in officer.get(f"/cases/{t['case']}/panel").text
        evaluator = _client(clean_app, t["evaluators"][0])
        review = evaluator.get(f"/cases/{t['case']}/review/{a}").text
        assert "体制図の補足説明を受けた" in review and "資料：hearing.pdf" in review
        link = review.split('href="')[[i for i, part in enumerate(review.split('href="')) if "/hearing/" in part][0]]
        assert evaluator.get(link.split('"')[0]).data == PDF
    assert events(clean_app, "hearing.recorded") and events(clean_app, "hearing.file_viewed")


def test_the_opening_refuses_a_sheet_changed_after_sealing(clean_app, tender):
    """A sheet changed in the database after sealing makes that bid invalid, recorded; the opening goes on
    (a trimmed or NFC-normalised entry is not a change)."""
    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 9_000_000)
        marks, pages = full_sheet(clean_app, t["case"])
        first = next(iter(pages))
        b = submit_bid(clean_app, t, 1, 8_000_000, pages={**pages, first: f" {pages[first]} "})
    with clean_app.app_context():
        bid = db.session.get(Bid, a)
        bid.sheet = {**bid.sheet, "marks": {**bid.sheet["marks"], "C1": "○"}, "pages": {**bid.sheet["pages"], "1.1": "99"}}
        db.session.commit()
    open_bids(clean_app, t, t["opening"])
    with clean_app.app_context():
        altered, honest = db.session.get(Bid, a), db.session.get(Bid, b)
        assert altered.status == "invalid" and "評価項目一覧" in altered.invalid_reason
        assert honest.status == "valid" and honest.amount == 8_000_000
    assert events(clean_app, "bid.sheet_mismatch")


def test_evaluate_all_helper_and_agree_are_consistent(clean_app, tender):
    """The fixture path used by the award tests reaches a signed consensus."""
    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 9_000_000)
    evaluate_all(clean_app, t, {a: marks_for(clean_app, t["case"])}, t["after"])
    assert events(clean_app, "consensus.signed_off")
    assert agree  # exported for other tests


def test_a_huge_sheet_is_refused_and_reading_one_delays_no_rival(clean_app, tender, monkeypatch):
    """Issue 14: a 100,000-row 評価項目一覧 held the case's lock 21 s and made a rival late."""
    import importlib
    import threading

    from openpyxl import load_workbook

    from tender.bidding.operations import BidError

    bidding_ops = importlib.import_module("tender.bidding.operations")

    t = tender
    blank = _client(clean_app, t["bidders"][0]).get(f"/notices/{t['case']}/evaluation-items.xlsx").data
    workbook = load_workbook(io.BytesIO(blank))
    sheet = workbook.worksheets[0]
    for n in range(100_000):
        sheet.append([f"X{n}", "提案要求事項", "水増し"])
    huge = io.BytesIO()
    workbook.save(huge)
    with freeze_time(t["during"]):
        try:
            submit_bid(clean_app, t, 0, 9_000_000, sheet_file=xlsx_upload(huge.getvalue()))
        except BidError as exc:
            assert "行が多すぎます" in str(exc) or "大きすぎます" in str(exc)
        else:
            raise AssertionError("a 100,000-row sheet must be refused")
    # While one bidder's sheet is being read, a rival's bid goes through at once.
    reading, release = threading.Event(), threading.Event()
    real = bidding_ops.read_back

    def slow(content):
        reading.set()
        assert release.wait(30)
        return real(content)

    monkeypatch.setattr(bidding_ops, "read_back", slow)
    marks, pages = full_sheet(clean_app, t["case"])
    filled = _filled_xlsx(blank, marks, pages)
    outcome = {}

    def first():
        try:
            outcome["first"] = submit_bid(clean_app, t, 0, 9_000_000, sheet_file=xlsx_upload(filled))
        except Exception as exc:  # reported below
            outcome["first"] = exc

    worker = threading.Thread(target=first)
    worker.start()
    assert reading.wait(30)
    rival = submit_bid(clean_app, t, 1, 8_000_000)  # completes while the first is still reading its sheet
    assert "first" not in outcome
    release.set()
    worker.join(30)
    assert isinstance(outcome["first"], int) and rival


def _filled_xlsx(blank: bytes, marks: dict, pages: dict) -> bytes:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(blank))
    for row in workbook.worksheets[0].iter_rows(min_row=5):
        item_id = row[0].value
        if not item_id or row[1].value is None:
            continue
        if row[1].value == "遵守確認事項":
            row[MARK_COLUMN - 1].value = marks.get(item_id, "○")
        else:
            row[PAGE_COLUMN - 1].value = pages.get(item_id, "7")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_wlb_action_plan_counts_only_for_an_employer_of_300_or_fewer(clean_app, tender):
    """[002 VI 3.3 ※3] 行動計画: 「常時雇用する労働者の数が300人以下の事業主に限る」 (issue 17)."""
    from sqlalchemy import update

    from tender.bidding.models import Bid
    from tender.companies.models import Company
    from tender.criteria.models import EvaluationCriterion

    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 9_000_000)
    with clean_app.app_context():
        row = db.session.execute(select(EvaluationCriterion).where(
            EvaluationCriterion.case_id == t["case"], EvaluationCriterion.item_id == "4")).scalar_one()
        row.table = {**(row.table or {}), "action_plan": 3}
        company_id = db.session.get(Bid, a).company_id
        db.session.execute(update(Company).where(Company.id == company_id).values(employees=500))
        db.session.commit()
    seat_panel(clean_app, t, t["after"])
    marks = marks_for(clean_app, t["case"], rank="S", certifications=("action_plan",))
    for e in range(3):
        score(clean_app, t, e, a, marks, t["after"])
        submit_marks(clean_app, t, e, t["after"])
    data = {f"value_{n}": (v if not isinstance(v, list) else v[0]) for n, v in enumerate(marks.values())}
    with freeze_time(t["after"]):
        chair = _client(clean_app, t["evaluators"][0])
        refused = post_form(chair, f"/cases/{t['case']}/consensus/{a}", data, follow=True)
        assert "従業員500人のため、行動計画（action_plan）は加点できません" in refused.text
        assert "300人以下の事業主に限る" in refused.text
    with clean_app.app_context():
        assert db.session.execute(select(ConsensusMark)).first() is None
        db.session.execute(update(Company).where(Company.id == company_id).values(employees=300))
        db.session.commit()
    with freeze_time(t["after"]):
        done = post_form(chair, f"/cases/{t['case']}/consensus/{a}", data, follow=True)
        assert "合議の結果を記録しました" in done.text

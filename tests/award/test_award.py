"""The award of a 総合評価 case from the records: 一次評価 from the submitted sheets, the signed
consensus, the opened prices, then the officer's decision — through HTTP where it matters."""
import json
from datetime import timedelta
from decimal import Decimal

from freezegun import freeze_time
from sqlalchemy import select

from tender.accounts.models import Role
from tender.award.models import AwardDecision, LowBidInvestigation
from tender.bidding.models import Bid, BidRound, Lottery
from tender.extensions import db
from tender.notifications.models import Notification
from tender.rules.lifecycle import CaseState
from tests.helpers import case_state, email_of, events, login, make_user, post_form
from tests.scenario import evaluate_all, full_sheet, marks_for, open_bids, submit_bid


def _client(app, user_id):
    client = app.test_client()
    login(client, email_of(app, user_id))
    return client


def _three_bids(app, t, amounts=(9_000_000, 8_000_000, 8_500_000), c_marks=None):
    marks, _ = full_sheet(app, t["case"])
    with freeze_time(t["during"]):
        a = submit_bid(app, t, 0, amounts[0], lottery="111")
        b = submit_bid(app, t, 1, amounts[1], lottery="222")
        c = submit_bid(app, t, 2, amounts[2], lottery="333", marks=c_marks or {**marks, "C2": "×"})
    return a, b, c


def test_the_award_rests_on_the_technical_evaluation_as_signed(clean_app, tender):
    """The chair's sign-off fixes the technical scores [002 VI 2.2]: the award computes from the
    signed record, so a consensus mark changed afterwards (the application refuses to; here by hand
    in the database) moves no score and no ranking."""
    from tender.evaluation.models import ConsensusMark

    t = tender
    a, b, c = _three_bids(clean_app, t)
    as_b = marks_for(clean_app, t["case"], rank="B")
    evaluate_all(clean_app, t, {a: marks_for(clean_app, t["case"], rank="A"), b: as_b}, t["after"])
    with clean_app.app_context():
        for mark in db.session.execute(select(ConsensusMark).where(ConsensusMark.bid_id == a)).scalars():
            mark.value = as_b[mark.item_id]
        db.session.commit()
    open_bids(clean_app, t, t["opening"])
    with freeze_time(t["opening"] + timedelta(minutes=5)):
        page = _client(clean_app, t["officer"]).get(f"/cases/{t['case']}/award").text
    assert "178.0" in page and "150.0" in page  # A still 167 + 11.0, B 128 + 22.0
    assert "落札候補：</b>提案A株式会社" in page


def test_the_award_follows_the_consensus_and_the_prices(clean_app, tender):
    t = tender
    a, b, c = _three_bids(clean_app, t)
    evaluate_all(clean_app, t, {a: marks_for(clean_app, t["case"], rank="A"),
                                b: marks_for(clean_app, t["case"], rank="B")}, t["after"])
    open_bids(clean_app, t, t["opening"])
    with freeze_time(t["opening"] + timedelta(minutes=5)):
        officer = _client(clean_app, t["officer"])
        page = officer.get(f"/cases/{t['case']}/award").text
        # A: 86 + 3×9 + 8×6 + 6 = 167 and 110 × (1 − 9,900,000 ÷ 11,000,000) = 11.0 exactly.
        assert "167" in page and "11.0" in page and "178.0" in page
        # B: 86 + 3×4 + 8×3 + 6 = 128 and 110 × (1 − 8,800,000 ÷ 11,000,000) = 22.0.
        assert "128" in page and "150.0" in page
        assert "一次評価不合格" in page  # C answered × to C2
        assert "落札候補：</b>提案A株式会社" in page
        response = post_form(officer, f"/cases/{t['case']}/award/decide", {"grounds": "総合評価点が最も高い"},
                             form_url=f"/cases/{t['case']}/award", follow=True)
        assert "落札者を決定し" in response.text
    assert case_state(clean_app, t["case"]) is CaseState.AWARDED
    with clean_app.app_context():
        decision = db.session.execute(select(AwardDecision)).scalar_one()
        assert decision.bid_id == a and decision.decided_by_id == t["officer"] and decision.grounds == "総合評価点が最も高い"
        assert decision.standing["award"]["status"] == "awarded"
        assert {r["bidder"]: r["total"] for r in decision.standing["results"]}[decision.bid.receipt_number] == "178.0"
        notes = db.session.execute(select(Notification).where(Notification.link == f"/notices/{t['case']}/results")
                                   .order_by(Notification.id)).scalars().all()
        winner_users = {t["bidders"][0]}
        assert notes[0].user_id in winner_users and "落札者に決定しました" in notes[0].message
        assert {n.user_id for n in notes[1:]} == set(t["bidders"][1:])
    assert events(clean_app, "award.award")
    # Each bidder sees its own scores and the winner's total; C sees the failed line.
    with freeze_time(t["opening"] + timedelta(minutes=10)):
        loser = _client(clean_app, t["bidders"][1]).get(f"/notices/{t['case']}/results").text
        assert "提案A株式会社" in loser and "178.0" in loser and "150.0" in loser and "128点" in loser
        failed = _client(clean_app, t["bidders"][2]).get(f"/notices/{t['case']}/results").text
        assert "遵守確認事項 C2：遵守確認欄が「×」です" in failed
        stranger = make_user(clean_app, Role.BIDDER, company_id=None)
        assert _client(clean_app, stranger).get(f"/notices/{t['case']}/results").status_code == 403


def test_exports_recompute_to_the_same_result(clean_app, tender, runner, tmp_path):
    import io

    from openpyxl import load_workbook

    import forms

    t = tender
    a, b, c = _three_bids(clean_app, t)
    evaluate_all(clean_app, t, {a: marks_for(clean_app, t["case"], rank="A"),
                                b: marks_for(clean_app, t["case"], rank="S")}, t["after"])
    open_bids(clean_app, t, t["opening"])
    with freeze_time(t["opening"] + timedelta(minutes=5)):
        officer = _client(clean_app, t["officer"])
        exported = officer.get(f"/cases/{t['case']}/award/evaluation-case.json")
        assert exported.status_code == 200
        case_file = tmp_path / "case.json"
        case_file.write_bytes(exported.data)
        result = runner.invoke(args=["evaluate-case", str(case_file)])
        assert result.exit_code == 0, result.output
        recomputed = json.loads(result.output)
        # B: 86 + 125 + 6 = 217 + 22.0 = 239.0 beats A's 178.0.
        assert recomputed["award"]["status"] == "awarded"
        with clean_app.app_context():
            assert recomputed["award"]["bidder"] == db.session.get(Bid, b).receipt_number
        totals = {r["bidder"]: r["total"] for r in recomputed["results"]}
        assert sorted(v for v in totals.values() if v is not None) == [178.0, 239.0]
        sheet = officer.get(f"/cases/{t['case']}/award/score-sheet.xlsx")
        assert sheet.status_code == 200
        sheet_rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(sheet.data)).worksheets[0].iter_rows()]
        cells = [v for row in sheet_rows for v in row]
        assert "提案B株式会社" in cells and "提案A株式会社" in cells
        # A reader recomputes every 価格点 from the sheet's own figures (issue 18): the 予定価格 with
        # its tax basis, and each bid's 入札価格 as compared.
        import re
        from decimal import ROUND_DOWN, Decimal
        line = next(v for v in cells if isinstance(v, str) and v.startswith("予定価格："))
        estimated, basis = re.match(r"予定価格：([\d,]+)円（(税込|税抜)）", line).groups()
        estimated = Decimal(estimated.replace(",", ""))
        with clean_app.app_context():
            from tender.notices.models import ProcurementCase
            case = db.session.get(ProcurementCase, t["case"])
            assert basis == ("税込" if case.estimated_price_tax_included else "税抜")
        scored = [row for row in sheet_rows if isinstance(row[1], str) and row[1].startswith("提案")
                  and row[7] is not None]
        assert scored
        for row in scored:
            recomputed_points = (110 * (1 - Decimal(row[3]) / estimated)).quantize(Decimal("0.1"), ROUND_DOWN)
            assert Decimal(str(row[7])) == recomputed_points, row
        from tests.forms.rendering import pdf_text
        text = pdf_text(officer.get(f"/cases/{t['case']}/award/score-sheet.pdf").data).replace(" ", "")
        assert "総合評価点一覧" in text and "239.0" in text and "一次評価不合格" in text
        with clean_app.app_context():
            from tender.notices.models import ProcurementCase
            from tender.organisations.models import Authority, Department
            authority = db.session.execute(select(Authority)).scalars().first() or Authority(name="試験機構")
            department = Department(authority=authority, name="財務部 契約課", phone="03-5555-9000",
                                    email="keiyaku@example.go.jp")
            db.session.add(department)
            db.session.flush()
            db.session.get(ProcurementCase, t["case"]).department_id = department.id
            db.session.commit()
        post_form(officer, f"/cases/{t['case']}/award/decide", {"grounds": "最高点"}, form_url=f"/cases/{t['case']}/award")
        notice = pdf_text(officer.get(f"/cases/{t['case']}/award/notice.pdf").data).replace(" ", "")
        assert "落札者決定通知書" in notice and "提案B株式会社" in notice and "8,800,000" in notice
        # Issue 18: the 代表者 with the title, 公印省略 on a copy sent without the seal, the case's
        # department as the contact, and 落札金額 labelled as tax included.
        with clean_app.app_context():
            from tender.companies.models import Company
            from tender.notices.models import ProcurementCase
            winner = db.session.get(Company, db.session.get(Bid, b).company_id)
            department = db.session.get(ProcurementCase, t["case"]).department
            title, name = winner.representative_title or "", winner.representative_name or ""
            assert department is not None
        flat = "".join(notice.split())
        assert "".join(f"{title}{name}殿".split()) in flat and "（公印省略）" in flat
        assert "財務部契約課電話03-5555-9000keiyaku@example.go.jp" in flat
        assert "落札金額（税込）" in flat and "入札金額（税抜）" in flat
        results = _client(clean_app, t["bidders"][1]).get(f"/notices/{t['case']}/results").text
        assert "落札金額（税込）" in results and "入札金額（税抜）" in results
    assert "score_sheet" in forms.XLSX_CODES


def test_a_tie_is_drawn_by_lottery_and_the_draw_decides(clean_app, tender):
    t = tender
    marks, _ = full_sheet(clean_app, t["case"])
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 9_000_000, lottery="100")
        b = submit_bid(clean_app, t, 1, 9_000_000, lottery="250")
    same = marks_for(clean_app, t["case"], rank="A")
    evaluate_all(clean_app, t, {a: same, b: same}, t["after"])
    open_bids(clean_app, t, t["opening"])
    with freeze_time(t["opening"] + timedelta(minutes=5)):
        officer = _client(clean_app, t["officer"])
        page = officer.get(f"/cases/{t['case']}/award").text
        assert "同点：くじにより決定" in page
        refused = post_form(officer, f"/cases/{t['case']}/award/decide", {"grounds": "x"},
                            form_url=f"/cases/{t['case']}/award", follow=True)
        assert "先にくじを行ってください" in refused.text
        drawn = post_form(officer, f"/cases/{t['case']}/award/lottery", {"witness_name": "総務課 岡田"},
                          form_url=f"/cases/{t['case']}/award", follow=True)
        assert "電子くじを実施しました" in drawn.text
        with clean_app.app_context():
            lottery = db.session.execute(select(Lottery)).scalar_one()
            assert [e["bid_id"] for e in lottery.entries] == [a, b]
            winner = lottery.ranking[0]
        post_form(officer, f"/cases/{t['case']}/award/decide", {"grounds": "くじにより決定"},
                  form_url=f"/cases/{t['case']}/award")
    with clean_app.app_context():
        award = db.session.execute(select(AwardDecision).where(AwardDecision.kind == "award")).scalar_one()
        assert award.bid_id == winner
        loser = t["bidders"][0] if winner == b else t["bidders"][1]
    with freeze_time(t["opening"] + timedelta(minutes=6)):
        page = _client(clean_app, loser).get(f"/notices/{t['case']}/results").text
        assert "落札者とならず" in page and "落札候補" not in page


def test_a_low_bid_is_held_and_a_failed_investigation_proposes_the_next_best(clean_app, tender):
    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 5_000_000)  # 5,500,000 < 11,000,000 × 0.6 = 6,600,000
        b = submit_bid(clean_app, t, 1, 9_000_000)
    evaluate_all(clean_app, t, {a: marks_for(clean_app, t["case"], rank="A"),
                                b: marks_for(clean_app, t["case"], rank="A")}, t["after"])
    open_bids(clean_app, t, t["opening"])
    url = f"/cases/{t['case']}/award"
    with freeze_time(t["opening"] + timedelta(minutes=5)):
        officer = _client(clean_app, t["officer"])
        refused = post_form(officer, f"{url}/decide", {"grounds": "x"}, form_url=url, follow=True)
        assert "低入札価格調査を行ってください" in refused.text
        held = post_form(officer, f"{url}/hold", {"grounds": "調査基準価格未満"}, form_url=url, follow=True)
        assert "低入札価格調査を開始しました" in held.text
        empty = post_form(officer, f"{url}/conclude", {"conclusion": "failed", "findings": ""}, form_url=url, follow=True)
        assert "調査の結果を入力してください" in empty.text
        post_form(officer, f"{url}/conclude", {"conclusion": "failed", "findings": "履行体制が確保されていない"},
                  form_url=url)
        page = officer.get(url).text
        assert "落札候補：</b>提案B株式会社" in page
        post_form(officer, f"{url}/decide", {"grounds": "次順位者"}, form_url=url)
    with clean_app.app_context():
        investigation = db.session.execute(select(LowBidInvestigation)).scalar_one()
        assert investigation.bid_id == a and investigation.conclusion == "failed"
        award = db.session.execute(select(AwardDecision).where(AwardDecision.kind == "award")).scalar_one()
        assert award.bid_id == b
        kinds = [d.kind for d in db.session.execute(select(AwardDecision).order_by(AwardDecision.id)).scalars()]
        assert kinds == ["hold", "award"]


def test_a_passed_investigation_awards_the_low_bid(clean_app, tender):
    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 5_000_000)
    evaluate_all(clean_app, t, {a: marks_for(clean_app, t["case"])}, t["after"])
    open_bids(clean_app, t, t["opening"])
    url = f"/cases/{t['case']}/award"
    with freeze_time(t["opening"] + timedelta(minutes=5)):
        officer = _client(clean_app, t["officer"])
        post_form(officer, f"{url}/hold", {"grounds": "調査基準価格未満"}, form_url=url)
        post_form(officer, f"{url}/conclude", {"conclusion": "passed", "findings": "積算内訳は妥当"}, form_url=url)
        post_form(officer, f"{url}/decide", {"grounds": "調査の結果、履行可能"}, form_url=url)
    assert case_state(clean_app, t["case"]) is CaseState.AWARDED


def test_nothing_within_the_estimate_starts_a_rebid_for_those_present(clean_app, tender):
    t = tender
    with freeze_time(t["during"]):
        a = submit_bid(clean_app, t, 0, 10_500_000)  # 11,550,000 > 11,000,000
        b = submit_bid(clean_app, t, 1, 10_200_000)
    evaluate_all(clean_app, t, {a: marks_for(clean_app, t["case"]), b: marks_for(clean_app, t["case"])}, t["after"])
    open_bids(clean_app, t, t["opening"], attendees=[t["companies"][0]])
    url = f"/cases/{t['case']}/award"
    with freeze_time(t["opening"] + timedelta(minutes=5)):
        officer = _client(clean_app, t["officer"])
        assert "再度入札" in officer.get(url).text
        post_form(officer, f"{url}/rebid", {"minutes": "30", "grounds": "予定価格超過"}, form_url=url)
    with clean_app.app_context():
        second = db.session.execute(select(BidRound).where(BidRound.number == 2)).scalar_one()
        assert second.eligible_company_ids == [t["companies"][0]]
        assert [d.company_id for d in second.declines] == [t["companies"][1]]  # absent: deemed to decline
    # The re-bid keeps the technical scores and takes the new price.
    with freeze_time(t["opening"] + timedelta(minutes=10)):
        submit_bid(clean_app, t, 0, 9_000_000, now=t["opening"] + timedelta(minutes=10))
    open_bids(clean_app, t, t["opening"] + timedelta(minutes=40), attendees=[t["companies"][0]])
    with freeze_time(t["opening"] + timedelta(minutes=45)):
        officer = _client(clean_app, t["officer"])  # the earlier session has timed out
        page = officer.get(url).text
        assert "第2回の順位" in page and "178.0" in page
        post_form(officer, f"{url}/decide", {"grounds": "再度入札の結果"}, form_url=url)
    assert case_state(clean_app, t["case"]) is CaseState.AWARDED


def test_the_award_waits_for_the_signed_consensus(clean_app, tender):
    t = tender
    with freeze_time(t["during"]):
        submit_bid(clean_app, t, 0, 9_000_000)
    open_bids(clean_app, t, t["opening"])
    with freeze_time(t["opening"] + timedelta(minutes=5)):
        officer = _client(clean_app, t["officer"])
        page = officer.get(f"/cases/{t['case']}/award").text
        assert "技術評価（合議）が確定" in page
        refused = post_form(officer, f"/cases/{t['case']}/award/decide", {"grounds": "x"},
                            form_url=f"/cases/{t['case']}/award", follow=True)
        assert "技術評価（合議）が確定" in refused.text
    assert case_state(clean_app, t["case"]) is CaseState.OPENED
    assert Decimal("11.0") == Decimal(110) * (1 - Decimal(9_900_000) / Decimal(11_000_000))

"""In a real browser: the officer seats a panel of two, both evaluators score the proposals
independently (and disagree on one item), the chair records the consensus with a reason and
signs it off, and after the opening the officer breaks a 総合評価点 tie by 電子くじ and awards.

The bids and the opening go through the operations (tests/evaluation/conftest.py). The live
server runs on the real clock, so instead of freezing time the case's schedule is moved into
the past before the browser part and the bids are back-dated into that period.
"""
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from tender.accounts.models import User
from tender.award.models import AwardDecision, DecisionKind
from tender.bidding.models import Bid, BidRound, Lottery
from tender.criteria.operations import engine_criteria
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tests.browser.conftest import log_in, log_out
from tests.helpers import OPENING_PASSPHRASE, email_of
from tests.scenario import marks_for, open_bids, submit_bid

pytestmark = pytest.mark.browser

AMOUNT = 9_000_000  # both bidders bid the same price, hence the same 価格点
CHAIR_NAME, MEMBER_NAME = "審査 一郎", "審査 二郎"
REASON = "提案書の記載は具体的であり、Aが相当と合議した。"


# --- setup through the database and the operations -------------------------------------------

def _back_date_schedule(app, case_id, *, opens, deadline, opening):
    """Move the case's submission period and opening time (the first round reads them) to the given moments."""
    with app.app_context():
        db.session.execute(update(ProcurementCase).where(ProcurementCase.id == case_id).values(
            submissions_from=opens, submission_deadline=deadline, opening_at=opening))
        db.session.commit()


def _rename(app, user_id, name):
    """The fixture's evaluators share one name; distinct names tell the side-by-side columns apart."""
    with app.app_context():
        db.session.get(User, user_id).name = name
        db.session.commit()


def _criteria(app, case_id):
    with app.app_context():
        return engine_criteria(db.session.get(ProcurementCase, case_id))


def _receipt(app, bid_id):
    with app.app_context():
        return db.session.get(Bid, bid_id).receipt_number


# --- browser steps ----------------------------------------------------------------------------

def _submit(page, button):
    """Click a form's submit button and wait for the response page (POST, redirect, GET)."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def _flash(page, text):
    expect(page.get_by_role("status").first).to_contain_text(text)


def _set_marks(page, criteria, marks, prefix):
    """Set every item of a proposal: the selects labelled '<prefix> <item id>', the certification boxes.

    The form numbers its fields value_<n> in the order of the case's criteria."""
    for n, c in enumerate(criteria):
        value = marks[c.id]
        if c.kind == "certification":
            for code in c.table:
                page.locator(f'input[type="checkbox"][name="value_{n}"][value="{code}"]').set_checked(code in value)
        else:
            page.get_by_label(f"{prefix} {c.id}", exact=True).select_option(value)


def _assign(page, user_id, name, email, *, chair):
    page.get_by_label("審査員", exact=True).select_option(label=f"{name}（{email}）")
    page.get_by_label("審査委員長とする（合議を記録し、確定する）").set_checked(chair)
    _submit(page, "審査員に指名する")
    _flash(page, "審査員を指名しました。")


def _evaluate(page, case_id, bids, criteria, marks):
    """An evaluator declares no conflict, scores every proposal, and submits the marks."""
    page.goto(f"/cases/{case_id}/review")
    # The declaration is required (nothing chosen for the evaluator): its label reads 「申告 必須」.
    page.get_by_label(re.compile(r"^申告")).select_option("no")
    _submit(page, "申告する")
    _flash(page, "利害関係の申告を記録しました。")
    for bid_id, receipt in bids:
        page.get_by_role("row").filter(has_text=receipt).get_by_role("link", name="評価する").click()
        page.wait_for_url(f"**/cases/{case_id}/review/{bid_id}")
        _set_marks(page, criteria, marks, "評価")
        _submit(page, "保存する")
        _flash(page, "評価を保存しました")
        expect(page.get_by_role("row").filter(has_text=receipt)).to_contain_text(
            f"{len(criteria)} / {len(criteria)}")
    _submit(page, "評価を提出する（提出後は変更できません）")
    _flash(page, "評価を提出しました。")


# --- the test ---------------------------------------------------------------------------------

def test_two_evaluators_the_chairs_consensus_and_an_award_by_lottery(page, clean_app, tender):
    app, case_id = clean_app, tender["case"]
    chair, member = tender["evaluators"][:2]  # the fixture's third evaluator is not seated
    _rename(app, chair, CHAIR_NAME)
    _rename(app, member, MEMBER_NAME)

    # The submission period is over and the opening time has come, on the real clock; two
    # proposals were submitted within the period at the same price.
    real_now = datetime.now(UTC)
    _back_date_schedule(app, case_id, opens=real_now - timedelta(hours=3), deadline=real_now - timedelta(hours=1),
                        opening=real_now - timedelta(minutes=30))
    bid_a = submit_bid(app, tender, 0, AMOUNT, lottery="123", now=real_now - timedelta(hours=2))
    bid_b = submit_bid(app, tender, 1, AMOUNT, lottery="456", now=real_now - timedelta(hours=2) + timedelta(minutes=5))
    bids = [(bid_a, _receipt(app, bid_a)), (bid_b, _receipt(app, bid_b))]

    # The chair gives A to every ranked item; the member gives B to the first one of them.
    criteria = _criteria(app, case_id)
    disputed = next(c.id for c in criteria if c.kind == "ranked")
    chair_marks = marks_for(app, case_id, rank="A")
    member_marks = {**chair_marks, disputed: "B"}

    # 0. Two opening officials release the proposals (never the prices) with their passphrases.
    for official, button, message in ((tender["officer"], "提案書の開封を求める", "開封を求めました"),
                                      (tender["second"], "提案書の開封を確認する", "提案書を開封しました")):
        log_in(page, email_of(app, official))
        page.goto(f"/cases/{case_id}/opening")
        page.get_by_label("開札用パスフレーズ（提案書の開封）").fill(OPENING_PASSPHRASE)
        _submit(page, button)
        _flash(page, message)
        log_out(page)

    # 1. The officer of the case seats the panel: the chair, then a member.
    log_in(page, email_of(app, tender["officer"]))
    page.goto(f"/cases/{case_id}/panel")
    _assign(page, chair, CHAIR_NAME, email_of(app, chair), chair=True)
    _assign(page, member, MEMBER_NAME, email_of(app, member), chair=False)
    seated = page.get_by_role("table").first
    expect(seated.get_by_role("row").filter(has_text=CHAIR_NAME)).to_contain_text("審査委員長")
    expect(seated.get_by_role("row").filter(has_text=MEMBER_NAME)).to_contain_text("未申告")
    log_out(page)

    # 2. Each evaluator declares no conflict, scores both proposals and submits.
    for user_id, marks in ((chair, chair_marks), (member, member_marks)):
        log_in(page, email_of(app, user_id))
        _evaluate(page, case_id, bids, criteria, marks)
        log_out(page)

    # 3. The chair compares the marks side by side and records each proposal's consensus.
    log_in(page, email_of(app, chair))
    # The chair's home says the consensus waits (issue 19, to-do lists).
    page.locator("#tasks").get_by_role("link", name="合議と技術評価の確定").click()
    page.wait_for_url(f"**/cases/{case_id}/consensus")
    for index, (bid_id, receipt) in enumerate(bids):
        page.get_by_role("row").filter(has_text=receipt).get_by_role("link", name="合議を記録する").click()
        page.wait_for_url(f"**/cases/{case_id}/consensus/{bid_id}")
        header = page.locator("thead").inner_text()
        assert CHAIR_NAME in header and MEMBER_NAME in header
        choice = page.get_by_label(f"合議 {disputed}", exact=True)
        row = page.get_by_role("row").filter(has=choice)
        expect(row).to_contain_text("評価が分かれています")
        expect(page.get_by_text("評価が分かれています")).to_have_count(1)  # every other item is unanimous
        cells = row.get_by_role("cell")  # 項目, 頁, then one column per evaluator
        assert [cells.nth(i).inner_text().strip() for i in (2, 3)] == ["A", "B"]
        if index == 0:
            # A consensus on a disputed item without a reason is refused.
            choice.select_option("A")
            _submit(page, "合議の結果を記録する")
            expect(page.get_by_role("alert").first).to_contain_text("理由を記入してください")
            assert page.url.endswith(f"/cases/{case_id}/consensus/{bid_id}")
        choice.select_option("A")  # (the refused page does not keep the choice: select it again)
        page.get_by_label(f"理由 {disputed}", exact=True).fill(REASON)
        _submit(page, "合議の結果を記録する")
        assert page.url.endswith(f"/cases/{case_id}/consensus")
        _flash(page, "合議の結果を記録しました。")
    # Identical consensus marks: the same 技術点 for both proposals.
    technical = [page.get_by_role("row").filter(has_text=r).get_by_role("cell").nth(3).inner_text().strip()
                 for _, r in bids]
    assert technical[0] == technical[1] and technical[0].isdigit()
    page.get_by_role("link", name="合議を確定する（確認へ）").click()
    expect(page.locator("main")).to_contain_text("確定した技術点は、審査委員長を含め誰も変更できません")
    _submit(page, "合議を確定する")
    _flash(page, "合議を確定しました")
    log_out(page)

    # 4. Two officials open the bids (operations): same price, same 技術点, so a tie.
    open_bids(app, tender, datetime.now(UTC))

    # 5. The officer draws the lottery with a witness and awards to its first-ranked bid.
    log_in(page, email_of(app, tender["officer"]))
    page.locator("#tasks").get_by_role("link", name="落札者の決定").click()  # from あなたの作業
    page.wait_for_url(f"**/cases/{case_id}/award")
    main = page.locator("main")
    expect(main).to_contain_text("同点：くじにより決定")
    page.get_by_label("くじの立会人").fill("監理課 立会 三郎")
    _submit(page, "電子くじを実施する")
    _flash(page, "電子くじを実施しました。")
    expect(main).to_contain_text("立会人 監理課 立会 三郎")
    with app.app_context():
        lottery = db.session.execute(select(Lottery).join(BidRound).where(BidRound.case_id == case_id)).scalar_one()
        assert sorted(lottery.ranking) == sorted([bid_a, bid_b])
        first = db.session.get(Bid, lottery.ranking[0])
        winner_id, winner_name = first.id, first.company.name
        loser = tender["bidders"][1 if first.company_id == tender["companies"][0] else 0]
    expect(main).to_contain_text(f"落札候補：{winner_name}")
    page.get_by_role("link", name="落札者を決定する（確認へ）").click()
    grounds = page.get_by_label("決定の理由（根拠）").input_value()  # prefilled from the standing
    assert winner_name in grounds and "電子くじにより決定した" in grounds
    _submit(page, "落札者を決定する")
    _flash(page, "落札者を決定し")
    with app.app_context():
        award = db.session.execute(select(AwardDecision).where(
            AwardDecision.case_id == case_id, AwardDecision.kind == DecisionKind.AWARD)).scalar_one()
        assert award.bid_id == winner_id
    log_out(page)

    # 6. The bidder who lost the draw sees the winner and its 総合評価点, equal to its own.
    log_in(page, email_of(app, loser))
    page.goto(f"/notices/{case_id}/results")
    expect(page.locator("main")).to_contain_text(winner_name)
    facts = page.locator("dl.facts")
    winner_total = facts.first.locator("dd").nth(1).inner_text()  # "<total>点（技術点 …・価格点 …）"
    own_total = facts.nth(1).locator("dt", has_text="総合評価点").locator("xpath=following-sibling::dd[1]").inner_text()
    assert winner_total.startswith(f"{own_total}点（技術点 {technical[0]}・")

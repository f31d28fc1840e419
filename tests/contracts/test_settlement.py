"""数量精算 of a unit-price contract (issue 17): 002's contract prices 事務局運営 as 一式 and
事業進捗支援 at a unit price for 15 planned 件, and the actual number may be fewer at the same unit
price [002 第5条, 入札内訳書 注1]. The officer enters the actual quantities; the amount payable
(tax cut below 1 yen) becomes the ceiling of the invoices."""
import json
from datetime import datetime, time, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tender.bidding.models import Bid
from tender.contracts.models import Contract, Settlement
from tender.extensions import db
from tender.rules.calendar import JST
from tests.helpers import events, post_form
from tests.scenario import client_of, signed

# 5,500,000 (一式) + 200,000 × 15 件 = 8,500,000: the winner's bid in the `awarded` scenario.
BREAKDOWN = [{"item": "事務局運営", "quantity": 1, "unit": "式", "unit_price": 5_500_000},
             {"item": "事業進捗支援", "quantity": 15, "unit": "件", "unit_price": 200_000}]


def _unit_price_contract(app, t):
    with app.app_context():
        bid = db.session.get(Bid, t["bids"][1])
        bid.breakdown = BREAKDOWN
        db.session.commit()
    return signed(app, t)


def _at(day):
    return freeze_time(datetime.combine(day, time(10), tzinfo=JST))


def test_fewer_actual_items_are_paid_at_the_same_unit_price_and_cap_the_invoices(clean_app, awarded):
    t = awarded
    contract_id, signed_on = _unit_price_contract(clean_app, t)
    url = f"/contracts/{contract_id}"
    day = signed_on + timedelta(days=60)
    with _at(day):
        officer = client_of(clean_app, t["officer"])
        page = officer.get(url).text
        assert "数量の精算（単価契約）" in page and "事業進捗支援 の実績数量（予定 15件、単価 200,000円）" in page
        assert "事務局運営 の実績数量" not in page  # a 一式 line is not settled
        done = post_form(officer, f"{url}/settlement",
                         {"settle-line1": "１２", "settle-settled_on": day.isoformat(), "settle-note": "採択12件"},
                         form_url=url, follow=True)
        # 5,500,000 + 200,000 × 12 = 7,900,000; tax 790,000; 8,690,000 payable.
        assert "数量を精算しました。支払う額は金8,690,000円です。" in done.text
        assert "契約金額より税抜で 金600,000円 少ない" in done.text
        over = post_form(officer, f"{url}/invoices",
                         {"amount": "8,690,001", "received_on": day.isoformat(), "deliverable_id": "0"},
                         form_url=url, follow=True)
        assert "精算した額金8,690,000円を超えます" in over.text
        ok = post_form(officer, f"{url}/invoices",
                       {"amount": "8,690,000", "received_on": day.isoformat(), "deliverable_id": "0"},
                       form_url=url, follow=True)
        assert "請求書の受理を記録しました" in ok.text
        again = post_form(officer, f"{url}/settlement",
                          {"settle-line1": "10", "settle-settled_on": day.isoformat(), "settle-note": ""},
                          form_url=url)
        assert again.status_code == 422 and "精算済み" in again.text
    with clean_app.app_context():
        row = db.session.execute(select(Settlement)).scalar_one()
        assert (row.amount_excl, row.tax, row.amount_total, row.actual) == (7_900_000, 790_000, 8_690_000, {"1": 12})
    summary = json.loads(events(clean_app, "contract.settled")[-1].summary)
    assert summary["reduction_excl"] == 600_000 and "200,000円 × 12件" in summary["formula"]


def test_more_than_planned_or_no_quantity_is_refused_and_nothing_is_recorded(clean_app, awarded):
    t = awarded
    contract_id, signed_on = _unit_price_contract(clean_app, t)
    url = f"/contracts/{contract_id}"
    with _at(signed_on + timedelta(days=30)):
        officer = client_of(clean_app, t["officer"])
        for value, message in (("16", "0〜15です。予定を超える分は変更契約"), ("", "実績数量を入力してください"),
                               ("-1", "0以上の数"), ("abc", "整数で入力")):
            bad = post_form(officer, f"{url}/settlement",
                            {"settle-line1": value, "settle-settled_on": (signed_on + timedelta(days=30)).isoformat()},
                            form_url=url)
            assert bad.status_code == 422 and message in bad.text, value
        future = post_form(officer, f"{url}/settlement",
                           {"settle-line1": "3", "settle-settled_on": (signed_on + timedelta(days=31)).isoformat()},
                           form_url=url)
        assert future.status_code == 422 and "未来の日" in future.text
    with clean_app.app_context():
        assert db.session.execute(select(Settlement)).first() is None
    assert not events(clean_app, "contract.settled")


def test_a_lump_sum_contract_has_nothing_to_settle(clean_app, awarded):
    t = awarded
    contract_id, signed_on = signed(clean_app, t)
    with _at(signed_on + timedelta(days=1)):
        officer = client_of(clean_app, t["officer"])
        assert "数量の精算" not in officer.get(f"/contracts/{contract_id}").text
        refused = post_form(officer, f"/contracts/{contract_id}/settlement",
                            {"settle-settled_on": (signed_on + timedelta(days=1)).isoformat()},
                            form_url=f"/contracts/{contract_id}")
        assert refused.status_code == 422 and "一式の契約は精算しません" in refused.text
    with clean_app.app_context():
        assert db.session.get(Contract, contract_id).settlement is None


def test_only_the_officer_settles(clean_app, awarded):
    t = awarded
    contract_id, signed_on = _unit_price_contract(clean_app, t)
    with _at(signed_on + timedelta(days=1)):
        contractor = client_of(clean_app, t["winner_user"])
        page = contractor.get(f"/contracts/{contract_id}").text
        assert "精算する" not in page
        refused = contractor.post(f"/contracts/{contract_id}/settlement", data={"settle-line1": "1"})
        assert refused.status_code in (400, 403)
    assert not events(clean_app, "contract.settled")

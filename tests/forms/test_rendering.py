"""どの様式も、見本のデータから PDF と DOCX に同じ要の記載事項を描く。

期待する文字列は見本のデータから tender.rules の書式で作る（描いた結果から作らない）。
"""
from __future__ import annotations

import pytest

import forms
from tender.rules.calendar import to_jst
from tender.rules.money import consumption_tax, format_yen, tax_included
from tender.rules.wareki import format_wareki, format_wareki_datetime
from tests.forms.rendering import docx_shows, docx_text, pdf_shows, pdf_text, sample_docx, sample_pdf, squeeze


def _case(data) -> list[str]:
    return [data.case_title]


def expected_fields(code: str, data) -> list[str]:
    """様式ごとの要の記載事項（表題は別に確かめる）。"""
    if code == "question":
        return _case(data) + [data.company_name, data.person, data.email, data.body, format_wareki(data.date),
                              f"{data.sheet_total}枚中{data.sheet_number}枚目"]
    if code == "power_of_attorney":
        return _case(data) + [data.principal_name, data.representative, data.agent_name, data.agent_position,
                              "入札に関する一切の権限を委任します", format_wareki(data.date)]
    if code == "bid":
        return _case(data) + [format_yen(data.amount, "kanji"), data.bidder_name, data.representative,
                              data.agent_name, data.lottery_number, format_wareki(data.date), "110分の100"]
    if code == "receipt":
        return _case(data) + [data.receipt_number, data.company_name, format_wareki_datetime(data.received_at),
                              format_wareki(to_jst(data.received_at).date())] + [f.sha256 for f in data.files]
    if code == "bid_breakdown":
        return _case(data) + [format_yen(data.bid_amount, "kanji"), data.bidder_name, f"{data.bid_amount:,}",
                              "一式", "消費税及び地方消費税額を除く"] + [line.item for line in data.lines]
    if code == "participation":
        return _case(data) + [data.organisation, data.representative, data.email, format_wareki(data.date),
                              "業務への参加を希望しますので参加意思確認書を提出します"]
    if code == "company_profile":
        return [data.company_name, data.representative, f"{data.capital:,}百万円", f"{data.employees:,}人"] + [
            officer.name for officer in data.officers
        ] + [f"{data.results[0].sales:,}百万円"]
    if code == "information_handlers":
        return [data.company_name] + [h.name for h in data.handlers] + [
            format_wareki(h.birth_date) for h in data.handlers if h.birth_date
        ] + [h.passport_number for h in data.handlers if h.passport_number]
    if code == "information_structure":
        names, stack = [], [data.root]
        while stack:
            node = stack.pop()
            names += [node.role, node.name]
            stack.extend(node.members)
        return [data.company_name] + names
    if code == "nda":
        return _case(data) + [data.company_name, data.representative, format_wareki(data.date),
                              "本公募のためだけに利用致します"]
    if code == "anti_organized_crime":
        return [data.company_name, "契約の相手方として不適当な者", "平成3年法律第77号",
                f"上記事項について、{data.occasion}の提出をもって誓約します。"]
    if code == "evaluation_items":
        return _case(data) + [item.item_id for item in data.requirements] + [
            str(data.base_total), str(data.bonus_total), str(data.total)]
    if code == "contract":
        return _case(data) + [
            data.contractor_name,
            data.contractor_representative,
            f"{format_yen(tax_included(data.amount_excl))}（うち消費税及び地方消費税の額 "
            f"{format_yen(consumption_tax(data.amount_excl))}）",
            format_wareki(data.period_start),
            format_wareki(data.period_end),
            "特記事項",
            "個人情報の取扱いに関する特則",
            data.court,
            f"納入を受けた日から{data.inspection_days}日以内",
        ]
    if code == "opening_record":
        return _case(data) + [format_wareki_datetime(data.opened_at), data.place,
                              format_yen(data.estimated_price)] + data.witnesses + [
            bid.bidder for bid in data.bids] + [
            format_yen(bid.amount, "plain") for bid in data.bids if bid.amount is not None] + [
            "予定価格超過", "落札者", data.winner, format_yen(data.award_amount) + "（税込）"]
    if code == "score_sheet":
        return _case(data) + [row.bidder for row in data.rows] + [
            f"{row.total:.1f}" for row in data.rows if row.total is not None]
    if code == "award_notice":
        return _case(data) + [data.company_name, format_yen(tax_included(data.bid_amount)),
                              format_wareki(data.contract_deadline), format_wareki(data.opened_on)]
    if code == "contract_change":
        # [000・002 第12条]: the 原契約, the ground of 第1項, before and after, and 第2項's sentence.
        return _case(data) + [data.contractor_name, data.contract_number, format_wareki(data.signed_on),
                              format_wareki(data.date), "原契約第12条第1項第一", "変更前", "変更後",
                              "変更の合意がない部分は", "金15,229,500円", "令和9年6月30日"]
    raise AssertionError(f"期待する記載事項が決まっていない様式: {code}")


CODES = forms.codes()


def test_the_registry_holds_every_prescribed_form():
    assert set(CODES) == {
        "question", "power_of_attorney", "bid", "receipt", "bid_breakdown", "participation",
        "company_profile", "information_handlers", "information_structure", "nda",
        "anti_organized_crime", "evaluation_items", "contract", "contract_change", "opening_record", "score_sheet",
        "award_notice",
    }


@pytest.mark.parametrize("code", CODES)
def test_the_pdf_shows_the_title_and_key_fields_of_the_sample(code):
    module = forms.get(code)
    assert pdf_shows(sample_pdf(code)[0], [module.TITLE] + expected_fields(code, module.sample())) == []


@pytest.mark.parametrize("code", CODES)
def test_the_docx_shows_the_same_title_and_key_fields_as_the_pdf(code):
    module = forms.get(code)
    assert docx_shows(sample_docx(code), [module.TITLE] + expected_fields(code, module.sample())) == []


@pytest.mark.parametrize("code", CODES)
def test_the_pdf_and_docx_carry_the_same_wording(code):
    """PDF に出る字はすべて DOCX にも出る：二つの描画器が同じ部品を描いている。

    字の集合で比べる（PDF はページごとに表の見出しを繰り返し、ページ番号「- 1 -」も付くので、回数は違う）。
    """
    pdf_chars = set(squeeze(pdf_text(sample_pdf(code)[0])))
    docx_chars = set(squeeze(docx_text(sample_docx(code))))
    assert pdf_chars - docx_chars - {"-"} == set()

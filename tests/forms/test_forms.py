"""様式ごとの決まり：受理票の二つの半分、内訳の合計、会社概要の2ページ、名簿のページまたぎ、金額の書き方。"""
from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

import forms
from forms.blocks import Cell, CutLine, PageBreak, Table
from forms.yoshiki.bid_breakdown import BidBreakdownData, BreakdownLine
from forms.yoshiki.information_handlers import InformationHandler, InformationHandlersData
from tender.rules.money import consumption_tax, format_yen, tax_included
from tender.rules.wareki import format_wareki_datetime
from tests.forms.rendering import docx_text, page_count, pdf_text, render_pdf_logged, sample_docx, sample_pdf, squeeze

CODES = forms.codes()


@pytest.mark.parametrize("code", CODES)
def test_every_form_declares_code_title_source_sample_and_layout(code):
    module = forms.get(code)
    assert module.CODE == code and code.isascii()
    assert module.TITLE and module.SOURCE.startswith("[")
    data = module.sample()
    assert isinstance(data, module.DATA_CLASS) and dataclasses.is_dataclass(data)
    assert module.layout(data)


def _values(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _values(getattr(value, item.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _values(item)
    else:
        yield value


@pytest.mark.parametrize("code", CODES)
def test_sample_data_holds_plain_values_and_never_a_float(code):
    for value in _values(forms.get(code).sample()):
        assert not isinstance(value, float)
        assert value is None or isinstance(value, (str, int, date, Decimal))


def test_the_receipt_has_the_kept_half_a_cut_line_and_the_returned_half():
    data = forms.get("receipt").sample()
    blocks = forms.layout("receipt")
    cut = next(i for i, block in enumerate(blocks) if isinstance(block, CutLine))
    kept, returned = blocks[:cut], blocks[cut + 1:]
    assert kept and returned
    text = pdf_text(sample_pdf("receipt")[0], layout=True)
    before, _, after = text.partition("切り取り線")
    assert after, "切り取り線がない"
    for half in (before, after):
        for value in (data.receipt_number, data.company_name, format_wareki_datetime(data.received_at)):
            assert squeeze(value) in squeeze(half)
    assert "（控）" in before
    assert "受理しました" in after
    assert page_count(sample_pdf("receipt")[0]) == 1


def test_the_bid_breakdown_totals_row_equals_the_sum_of_its_lines():
    data = forms.get("bid_breakdown").sample()
    table = next(b for b in forms.layout("bid_breakdown") if isinstance(b, Table))
    amounts = [int(row[-1].replace(",", "")) for row in table.rows]
    assert sum(amounts) == data.bid_amount == sum(line.total for line in data.lines)
    assert int(table.totals_row[-1].replace(",", "")) == data.bid_amount
    assert any(row[1] == "一式" for row in table.rows)
    text = squeeze(pdf_text(sample_pdf("bid_breakdown")[0]))
    assert squeeze(f"{format_yen(data.bid_amount)}（消費税及び地方消費税額を除く。）") in text


def test_a_unit_price_line_must_equal_quantity_times_unit_price():
    with pytest.raises(ValueError):
        BreakdownLine("(2) 事業進捗支援", quantity=15, unit="件", unit_price=500_000, amount=7_000_000)
    with pytest.raises(TypeError):
        BreakdownLine("(1) 事務局運営", amount=1.5)  # type: ignore[arg-type]


def test_a_bid_breakdown_of_many_lines_still_totals_to_the_bid():
    lines = [BreakdownLine(f"({i}) 作業{i}", quantity=i, unit="人日", unit_price=48_000) for i in range(1, 9)]
    lines.append(BreakdownLine("(9) 諸経費", amount=123_456))
    data = BidBreakdownData("件名", "住所", "株式会社テスト", "代表取締役　試験　太郎", lines)
    pdf, messages = render_pdf_logged("bid_breakdown", data)
    expected = 48_000 * sum(range(1, 9)) + 123_456
    assert data.bid_amount == expected
    assert f"{expected:,}" in pdf_text(pdf) and messages == []


def test_the_bid_states_the_amount_in_kanji_yen_tax_excluded_and_the_lottery_number():
    data = forms.get("bid").sample()
    text = squeeze(pdf_text(sample_pdf("bid")[0]))
    assert squeeze(format_yen(data.amount, "kanji")) in text
    assert "110分の100" in text
    assert data.lottery_number in text


def test_the_lottery_number_must_have_three_digits():
    data = forms.get("bid").sample()
    with pytest.raises(ValueError):
        dataclasses.replace(data, lottery_number="12")


def test_the_company_profile_is_two_pages():
    assert any(isinstance(b, PageBreak) for b in forms.layout("company_profile"))
    pdf = sample_pdf("company_profile")[0]
    assert page_count(pdf) == 2
    pages = pdf_text(pdf).split("\f")
    assert "会社概要（1/2）" in pages[0] and "会社概要（2/2）" in pages[1]


def test_forty_information_handlers_span_pages_and_repeat_the_header_on_each():
    handlers = [
        InformationHandler(
            "業務従事者" if i > 2 else "情報管理責任者",
            f"試験　太郎{i:02d}",
            f"しけん　たろう{i:02d}",
            f"東京都千代田区霞が関一丁目{i}番{i}号",
            date(1980, 1 + i % 12, 1 + i % 28),
            "開発部",
            "担当",
        )
        for i in range(1, 41)
    ]
    data = InformationHandlersData("件名", "株式会社テスト", handlers)
    pdf, messages = render_pdf_logged("information_handlers", data)
    assert messages == []
    pages = [page for page in pdf_text(pdf, layout=True).split("\f") if page.strip()]
    assert len(pages) >= 2
    for page in pages:
        assert "生年月日" in page and "個人住所" in page
    assert "試験　太郎40".replace("　", "") in squeeze(pdf_text(pdf))


def test_the_contract_states_the_amount_with_its_consumption_tax():
    data = forms.get("contract").sample()
    text = squeeze(pdf_text(sample_pdf("contract")[0]))
    assert data.amount_incl == tax_included(data.amount_excl) == data.amount_excl + consumption_tax(data.amount_excl)
    assert squeeze(
        f"{format_yen(data.amount_incl)}（うち消費税及び地方消費税の額 {format_yen(data.tax)}）"
    ) in text
    for heading in ("契約の目的", "再請負の制限", "談合等の不正行為による契約の解除", "目的外使用の禁止"):
        assert heading in text
    assert "${" not in text


def test_the_contract_signature_has_seals_for_both_parties():
    text = pdf_text(sample_pdf("contract")[0], layout=True)
    data = forms.get("contract").sample()
    assert squeeze(data.authority) in squeeze(text) and squeeze(data.contractor_name) in squeeze(text)
    assert text.count("印") >= 2


def test_the_evaluation_items_use_the_points_of_the_notice():
    data = forms.get("evaluation_items").sample()
    assert (data.base_total, data.bonus_total, data.total) == (86, 134, 220)
    one_two = [i for i in data.requirements if i.item_id.startswith("1.2.")]
    assert sum(i.points for i in one_two) == 130


def test_the_score_sheet_ranks_by_total_and_leaves_ineligible_bids_unranked():
    module = forms.get("score_sheet")
    data = module.sample()
    order = module.ranks(data.rows)
    totals = {i: data.rows[i].total for i in order}
    assert order[max(totals, key=totals.get)] == 1
    assert all(i in order for i, row in enumerate(data.rows) if row.eligible)
    assert all(i not in order for i, row in enumerate(data.rows) if not row.eligible)


def test_equal_totals_share_a_rank():
    module = forms.get("score_sheet")
    rows = [
        module.ScoreRow("A", 100, 80, 20, Decimal("10.0")),
        module.ScoreRow("B", 100, 90, 10, Decimal("10.0")),
        module.ScoreRow("C", 100, 50, 10, Decimal("10.0")),
    ]
    assert module.ranks(rows) == {0: 1, 1: 1, 2: 3}


def test_the_award_notice_gives_the_tax_included_award_price_and_the_deadline():
    data = forms.get("award_notice").sample()
    text = squeeze(pdf_text(sample_pdf("award_notice")[0]))
    assert squeeze(format_yen(tax_included(data.bid_amount))) in text
    assert "殿" in text


def test_tables_reject_rows_that_do_not_match_their_columns():
    with pytest.raises(ValueError):
        Table(("a", "b"), (("1", "2", "3"),), column_widths=(50, 50))
    with pytest.raises(ValueError):
        Table(("a", "b"), (("1", "2"),), column_widths=(50, 40))
    assert Table(("a", "b"), ((Cell("x", colspan=2),),), column_widths=(50, 50))



def test_the_receipt_has_the_bidders_fields_of_the_original():
    """002 様式4: 【入札者記載欄】 with 〒, TEL and FAX; 委任状・入札書 counted in 通, 提案書 in 部."""
    text = squeeze(pdf_text(sample_pdf("receipt")[0]))
    for expected in ("【入札者記載欄】", "〒108-0023", "FAX", "E-Mail", "1通", "7部", "【担当者使用欄】"):
        assert squeeze(expected) in text, expected


def test_the_evaluation_items_carry_the_originals_major_rows_and_total_column():
    """002 V.: 「0 遵守確認事項」 and 「5 添付資料」 as 大項目 rows, and 得点配分 基礎点・加点・合計 with each
    中項目's total (1.1 → 11, 1.2 → 130, 1.3 → 20, 2.1 → 25, 2.2 → 10, 3.1 → 15, 4 → 9; 86 + 134 = 220)."""
    module = forms.get("evaluation_items")
    data = module.sample()
    totals = module.group_totals(data)
    assert sorted(totals.values()) == sorted([11, 130, 20, 25, 10, 15, 9]) and sum(totals.values()) == 220
    for text in (squeeze(pdf_text(sample_pdf("evaluation_items")[0])), squeeze(docx_text(sample_docx("evaluation_items")))):
        for expected in ("0遵守確認事項", "5添付資料", "得点配分", "合計", "130", "86", "134", "220"):
            assert expected in text, expected


@pytest.mark.parametrize(("code", "expected"), [
    # 000 様式1: the contact under 「連絡先」 with FAX, and the ※ instructions under 1 and 2.
    ("participation", ("連絡先", "メールアドレス", "TEL", "FAX", "※会社概要について記載すること",
                       "※応募要件を満たしている状況等について記載すること", "サイズ：A4縦、記載しきれない場合は、別紙添付でも可。")),
    # 002 様式2: 「代表者 氏名 (又は代理人) 印」 and 「代理人(又は復代理人)」.
    ("power_of_attorney", ("（又は代理人）", "代理人（又は復代理人）")),
    # 000 別記2.
    ("nda", ("（別記2）",)),
    # 002 入札説明書 1.(5)③: 別紙1「入札内訳書」.
    ("bid_breakdown", ("（別紙1）",)),
    # 000 様式2: 有・無, the answer shown.
    ("company_profile", ("有・【無】",)),
])
def test_each_form_carries_the_originals_labels(code, expected):
    for text in (squeeze(pdf_text(sample_pdf(code)[0])), squeeze(docx_text(sample_docx(code)))):
        for label in expected:
            assert squeeze(label) in text, (code, label)


def test_the_award_notice_names_the_representatives_title_once():
    text = squeeze(pdf_text(sample_pdf("award_notice")[0]))
    assert "代表取締役青木美咲殿" in text and "代表取締役代表取締役" not in text

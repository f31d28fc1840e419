"""The bidder's 評価項目一覧 and the 一次評価 [002 VI 2.1] as pure functions."""
import pytest

from tender.rules import criteria as rules

ITEMS = rules.template()
COMPLIANCE = [i.item_id for i in ITEMS if i.section == "compliance"]
REQUIREMENTS = [i.item_id for i in ITEMS if i.section == "requirement" and i.kind != "certification"]
OPTIONAL_REQUIREMENTS = [i.item_id for i in ITEMS if i.section == "requirement" and i.kind == "certification"]
MANDATORY_ATTACHMENTS = [i.item_id for i in ITEMS if i.section == "attachment" and i.mandatory_attachment]
OPTIONAL_ATTACHMENTS = [i.item_id for i in ITEMS if i.section == "attachment" and not i.mandatory_attachment]


def complete():
    return ({i: "○" for i in COMPLIANCE},
            {i: str(n + 1) for n, i in enumerate(REQUIREMENTS + MANDATORY_ATTACHMENTS)})


def test_a_complete_sheet_passes_and_is_acceptable():
    marks, pages = complete()
    assert rules.sheet_problems(ITEMS, marks, pages) == []
    sheet = rules.clean_sheet(ITEMS, marks, pages)
    result = rules.screen(ITEMS, sheet)
    assert result.passed and result.compliance and result.pages and result.failures == ()


@pytest.mark.parametrize("item", COMPLIANCE)
def test_any_cross_fails_rule_one_and_names_the_line(item):
    marks, pages = complete()
    marks[item] = "×"
    assert rules.sheet_problems(ITEMS, marks, pages) == []  # a × is the bidder's statement: accepted
    result = rules.screen(ITEMS, rules.clean_sheet(ITEMS, marks, pages))
    assert not result.passed and not result.compliance and result.pages
    assert [(f.item_id, f.rule) for f in result.failures] == [(item, "compliance")]
    assert f"遵守確認事項 {item}：遵守確認欄が「×」です" in result.failures[0].message


@pytest.mark.parametrize("item", REQUIREMENTS)
def test_every_requirement_needs_its_page_number(item):
    marks, pages = complete()
    pages[item] = " "
    assert any(item in p and "提案書頁番号を記入してください" in p for p in rules.sheet_problems(ITEMS, marks, pages))
    result = rules.screen(ITEMS, {"marks": marks, "pages": pages})
    assert [(f.item_id, f.rule) for f in result.failures] == [(item, "page")]
    assert result.compliance and not result.pages


def test_a_bidder_without_a_wlb_certification_leaves_its_row_blank_and_passes():
    """002 IV 2.3 表5: 「該当する提案書の頁が存在しない場合には空欄とする」; the row is 任意
    (「必ずしも提案する必要は無い項目」, V 2. item 4). Issue 17: such a bidder was refused at
    submission and would have failed the 一次評価."""
    assert OPTIONAL_REQUIREMENTS == ["4"]
    marks, pages = complete()
    assert "4" not in pages
    assert rules.sheet_problems(ITEMS, marks, pages) == []
    result = rules.screen(ITEMS, rules.clean_sheet(ITEMS, marks, pages))
    assert result.passed and result.failures == ()
    pages["4"] = "12"  # a certified bidder names its page, as before
    assert rules.screen(ITEMS, rules.clean_sheet(ITEMS, marks, pages)).passed


@pytest.mark.parametrize("item", MANDATORY_ATTACHMENTS)
def test_a_mandatory_attachment_needs_its_page_number(item):
    marks, pages = complete()
    del pages[item]
    result = rules.screen(ITEMS, {"marks": marks, "pages": pages})
    assert [(f.item_id, f.rule) for f in result.failures] == [(item, "attachment")]
    assert "（③）" in result.failures[0].message


@pytest.mark.parametrize("item", OPTIONAL_ATTACHMENTS)
def test_an_optional_attachment_may_stay_blank(item):
    marks, pages = complete()
    assert item not in pages
    assert rules.screen(ITEMS, {"marks": marks, "pages": pages}).passed


def test_a_missing_sheet_fails_every_line():
    result = rules.screen(ITEMS, None)
    assert len(result.failures) == len(COMPLIANCE) + len(REQUIREMENTS) + len(MANDATORY_ATTACHMENTS)


@pytest.mark.parametrize("typed, expected", [("○", "○"), ("〇", "○"), ("o", "○"), ("Ｏ", "○"), ("×", "×"),
                                             ("x", "×"), ("✕", "×"), ("", ""), (None, ""), ("△", "△")])
def test_marks_are_normalised(typed, expected):
    assert rules.normalise_mark(typed) == expected


def test_blank_and_foreign_marks_and_unknown_ids_are_refused_with_names():
    marks, pages = complete()
    marks[COMPLIANCE[0]] = ""
    marks[COMPLIANCE[1]] = "△"
    pages["9.9"] = "3"
    problems = " ".join(rules.sheet_problems(ITEMS, marks, pages))
    assert f"遵守確認欄に ○ か × を記入してください：{COMPLIANCE[0]}" in problems
    assert f"○ か × だけを記入してください：{COMPLIANCE[1]}" in problems
    assert "評価項目一覧にない項目番号があります：9.9" in problems


def test_an_overlong_page_entry_is_refused():
    marks, pages = complete()
    pages[REQUIREMENTS[0]] = "1" * (rules.PAGE_MAX + 1)
    assert any("50文字以内" in p for p in rules.sheet_problems(ITEMS, marks, pages))


@pytest.mark.parametrize("values, expected", [
    (["S", "S"], False), (["S", "A"], True), ([["a", "b"], ["b", "a"]], False), ([["a"], []], True),
    (["met", None], True), ([], False)])
def test_disagreement(values, expected):
    assert rules.disagrees(values) is expected


@pytest.mark.parametrize("ranks, ok", [
    ({"S": 20, "A": 12, "B": 5, "C": 0}, True), ({"S": 20, "A": 20, "B": 20, "C": 20}, True),
    ({"S": 20, "A": 12, "B": 5}, False), ({"S": 19, "A": 12, "B": 5, "C": 0}, False),
    ({"S": 20, "A": 5, "B": 12, "C": 0}, False), ({"S": 20, "A": 12, "B": 5, "C": -1}, False)])
def test_a_custom_rank_table(ranks, ok):
    assert (rules.rank_table_problems(20, ranks) == []) is ok


@pytest.mark.parametrize(("employees", "ok"), [(300, True), (1, True), (301, False), (None, False)])
def test_a_wlb_action_plan_is_for_300_staff_or_fewer(employees, ok):
    """[002 VI 3.3 ※3] 行動計画：常時雇用する労働者の数が300人以下の事業主に限る."""
    assert (rules.certification_problems(["action_plan"], employees, "試験株式会社") == []) is ok
    assert rules.certification_problems(["youth_yell"], 5_000, "試験株式会社") == []

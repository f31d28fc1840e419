"""競争参加資格・応募要件の判定の検査。

期待する文と境界は [002] 入札説明書 2.、[000] 公募要領 2.・3.、[002 III 3] の中小企業等の表
から手で起こした。和暦：2025年度＝令和7年度、2026年度＝令和8年度、2027年度＝令和9年度。
"""
from datetime import date, datetime

import pytest

from tender.rules.calendar import JST
from tender.rules.eligibility import (
    ApplicantFacts,
    CreditEventFact,
    QualificationFact,
    RuleKind,
    RuleSpec,
    SuspensionFact,
    Verdict,
    check,
    check_all,
    default_params,
    describe,
    eligible,
    param_problems,
)
from tender.rules.qualification import QualificationCategory

ON = date(2026, 10, 1)  # 令和8年度
KANTO = "関東・甲信越"
Q_B = QualificationFact("services", "B", (KANTO,), 2025, 2027)


def facts(**changes) -> ApplicantFacts:
    base = dict(
        name="株式会社テスト商事",
        incorporated=True,
        industry="services",
        capital=30_000_000,
        employees=40,
        qualifications=(Q_B,),
    )
    base.update(changes)
    return ApplicantFacts(**base)


def uq(grades=("A", "B", "C"), regions=(), fiscal_year=None, category="services") -> RuleSpec:
    return RuleSpec(
        RuleKind.UNIFIED_QUALIFICATION,
        {"category": category, "grades": list(grades), "regions": list(regions), "fiscal_year": fiscal_year},
    )


def spec(kind: str, **params) -> RuleSpec:
    return RuleSpec(RuleKind(kind), params)


# --- 目録 ----------------------------------------------------------------------------

LABELS = [
    ("unified_qualification", "全省庁統一資格"),
    ("no_suspension", "指名停止を受けていないこと"),
    ("legal_personality", "法人格を有すること"),
    ("declarations", "予決令第70条・第71条に該当しないこと及び暴力団排除に関する誓約"),
    ("nda_and_viewing", "秘密保持誓約書の提出と設計資料の閲覧"),
    ("not_linked_proposer", "関連する公募の提案者でないこと"),
    ("sme", "中小企業等であること"),
    ("sound_finances", "経営の状況又は信用度が極度に悪化していないこと"),  # 000 応募要件(6)、002 2.(5) (issue 17)
]


@pytest.mark.parametrize(("code", "label"), LABELS)
def test_every_rule_kind_has_a_japanese_label(code, label):
    assert RuleKind(code).label == label


def test_the_catalogue_has_its_kinds_in_order():
    assert [k.value for k in RuleKind] == [code for code, _ in LABELS]


@pytest.mark.parametrize(
    ("code", "source"),
    [
        ("unified_qualification", "入札説明書 2.(3)"),
        ("no_suspension", "入札説明書 2.(4)"),
        ("legal_personality", "公募要領 2.(1)"),
        ("declarations", "公募要領 2.(2)(3)(7)"),
        ("nda_and_viewing", "公募要領 2.(10)"),
        ("not_linked_proposer", "入札説明書 2.(6)"),
        ("sme", "中小企業等の定義"),
        ("sound_finances", "入札説明書 2.(5)"),
    ],
)
def test_every_rule_kind_describes_itself_citing_its_source(code, source):
    assert source in RuleKind(code).description


def test_declarations_are_described_as_affirmed_by_submitting():
    assert "提出をもって誓約" in RuleKind.DECLARATIONS.description


# --- 設定 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "unified_qualification",
            {"category": "services", "grades": ["A", "B", "C"], "regions": [], "fiscal_year": None},
        ),
        ("no_suspension", {}),
        ("legal_personality", {}),
        ("declarations", {}),
        ("nda_and_viewing", {}),
        ("not_linked_proposer", {}),
        ("sme", {}),
    ],
)
def test_default_params_of_every_kind(code, expected):
    assert default_params(code) == expected
    assert param_problems(code, default_params(code)) == []


def test_default_params_are_a_fresh_copy_each_time():
    first = default_params(RuleKind.UNIFIED_QUALIFICATION)
    first["grades"].append("D")
    assert default_params(RuleKind.UNIFIED_QUALIFICATION)["grades"] == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("kind", "params", "expected"),
    [
        ("unified_qualification", {"category": "goods"}, ["資格の種類が正しくありません: 'goods'"]),
        ("unified_qualification", {"grades": []}, ["等級を1つ以上選んでください。"]),
        ("unified_qualification", {"grades": "ABC"}, ["等級を1つ以上選んでください。"]),
        ("unified_qualification", {"grades": ["A", "E"]}, ["等級が正しくありません: E（A・B・C・D から選んでください）"]),
        ("unified_qualification", {"grades": ["a"]}, ["等級が正しくありません: a（A・B・C・D から選んでください）"]),
        ("unified_qualification", {"grades": ["B", "B"]}, ["同じ等級が重複しています。"]),
        ("unified_qualification", {"regions": ["関東"]}, ["地域が正しくありません: 関東"]),
        ("unified_qualification", {"regions": KANTO}, ["地域はリストで指定してください。"]),
        ("unified_qualification", {"regions": [KANTO, KANTO]}, ["同じ地域が重複しています。"]),
        (
            "unified_qualification",
            {"fiscal_year": "2026"},
            ["年度は整数（西暦の開始年、例：2026）で指定するか、空にしてください。"],
        ),
        (
            "unified_qualification",
            {"fiscal_year": True},
            ["年度は整数（西暦の開始年、例：2026）で指定するか、空にしてください。"],
        ),
        ("unified_qualification", {"grade": ["A"]}, ["この規則にない設定項目です: grade"]),
        ("no_suspension", {"on": "昨日"}, ["判定日は日付（例：2026-10-01）で指定するか、空にしてください。"]),
        ("no_suspension", {"on": 20261001}, ["判定日は日付（例：2026-10-01）で指定するか、空にしてください。"]),
        ("legal_personality", {"strict": True}, ["この規則にない設定項目です: strict"]),
        ("not_linked_proposer", {"linked_case": 7}, ["関連する案件の名称は文字列で指定してください。"]),
    ],
)
def test_param_problems_name_each_mistake_in_japanese(kind, params, expected):
    assert param_problems(kind, params) == expected


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("unified_qualification", {"category": "sale", "grades": ["D"], "regions": ["九州・沖縄"], "fiscal_year": 2026}),
        ("unified_qualification", {"category": QualificationCategory.MANUFACTURE, "grades": ("A", "B")}),
        ("unified_qualification", {"grades": ["A", "B", "C", "D"], "regions": ["北海道", "東北"]}),
        ("unified_qualification", {}),
        ("no_suspension", {"on": None}),
        ("no_suspension", {"on": "2026-10-01"}),
        ("no_suspension", {"on": date(2026, 10, 1)}),
        ("not_linked_proposer", {"linked_case": "令和2年度中小企業サイバーセキュリティ対策支援体制構築事業"}),
    ],
)
def test_param_problems_accept_valid_settings(kind, params):
    assert param_problems(kind, params) == []


def test_param_problems_refuse_a_non_dict():
    assert param_problems("sme", ["A"]) == ["設定は辞書（項目名と値の組）で指定してください。"]


# --- 公告の文 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            uq(regions=[KANTO], fiscal_year=2026),
            "全省庁統一資格「役務の提供等」のA・B・C等級に格付けされ、関東・甲信越地域の競争参加資格を有すること（令和8年度）",
        ),
        (uq(grades=["B", "C", "D"]), "全省庁統一資格「役務の提供等」のB・C・D等級に格付けされていること"),
        (uq(grades=["C", "A"], fiscal_year=2019), "全省庁統一資格「役務の提供等」のA・C等級に格付けされていること（令和元年度）"),
        (
            uq(grades=["A"], regions=["近畿", KANTO], category="sale"),
            "全省庁統一資格「物品の販売」のA等級に格付けされ、関東・甲信越又は近畿地域の競争参加資格を有すること",
        ),
        (
            uq(regions=[KANTO, "東北", "北海道"]),
            "全省庁統一資格「役務の提供等」のA・B・C等級に格付けされ、北海道、東北又は関東・甲信越地域の競争参加資格を有すること",
        ),
        (spec("no_suspension"), "各省各庁及び政府関係法人等から取引停止又は指名停止処分等を受けていないこと"),
        (
            spec("no_suspension", on="2026-10-01"),
            "各省各庁及び政府関係法人等から取引停止又は指名停止処分等を受けていないこと（令和8年10月1日時点）",
        ),
        (spec("legal_personality"), "法人格を有すること"),
        (
            spec("declarations"),
            "予算決算及び会計令第70条及び第71条の規定に該当しない者であり、暴力団排除に関する誓約事項について誓約すること"
            "（書類の提出をもって誓約したものとみなします）",
        ),
        (spec("nda_and_viewing"), "秘密保持誓約書を提出した上で、設計資料を閲覧した者であること"),
        (spec("not_linked_proposer"), "関連する企画競争等の提案者でないこと"),
        (spec("not_linked_proposer", linked_case="お助け隊事業"), "「お助け隊事業」の提案者でないこと"),
        (spec("sme"), "中小企業等（業種ごとの資本金の額又は出資の総額・常時使用する従業員の数の上限による）に該当すること"),
    ],
)
def test_describe_gives_the_sentence_of_the_public_notice(rule, expected):
    assert describe(rule) == expected


def test_describe_refuses_invalid_settings():
    with pytest.raises(ValueError, match="等級が正しくありません"):
        describe(uq(grades=["E"]))


# --- 全省庁統一資格 ------------------------------------------------------------------


def test_a_matching_qualification_passes_and_is_named():
    verdict = check(uq(regions=[KANTO]), facts(), ON)
    assert verdict == Verdict(
        RuleKind.UNIFIED_QUALIFICATION, "全省庁統一資格", True, "役務の提供等 B等級（令和7〜9年度、関東・甲信越）を確認しました。"
    )


@pytest.mark.parametrize(
    ("allowed", "grade", "passed"),
    [
        (["A", "B", "C"], "A", True),
        (["A", "B", "C"], "B", True),
        (["A", "B", "C"], "C", True),
        (["A", "B", "C"], "D", False),
        (["B", "C", "D"], "A", False),
        (["B", "C", "D"], "B", True),
        (["B", "C", "D"], "D", True),
        (["D"], "C", False),
        (["A"], "A", True),
    ],
)
def test_the_grade_must_be_one_of_the_allowed_grades(allowed, grade, passed):
    qualification = QualificationFact("services", grade, (KANTO,), 2025, 2027)
    verdict = check(uq(grades=allowed), facts(qualifications=(qualification,)), ON)
    assert verdict.passed is passed
    if passed:
        assert verdict.reason == f"役務の提供等 {grade}等級（令和7〜9年度、関東・甲信越）を確認しました。"


@pytest.mark.parametrize(
    ("allowed", "grade", "reason"),
    [
        (["A", "B", "C"], "D", "役務の提供等の資格はD等級で、認められた等級（A・B・C）に含まれません。"),
        (["B", "C", "D"], "A", "役務の提供等の資格はA等級で、認められた等級（B・C・D）に含まれません。"),
        (["C", "B"], "A", "役務の提供等の資格はA等級で、認められた等級（B・C）に含まれません。"),
    ],
)
def test_a_grade_outside_the_allowed_set_fails_naming_both(allowed, grade, reason):
    qualification = QualificationFact("services", grade, (KANTO,), 2025, 2027)
    assert check(uq(grades=allowed), facts(qualifications=(qualification,)), ON).reason == reason


def test_no_qualification_at_all_fails():
    verdict = check(uq(), facts(qualifications=()), ON)
    assert verdict.passed is False
    assert verdict.reason == "全省庁統一資格が登録されていません。"


def test_a_qualification_of_another_category_fails_naming_what_was_found():
    others = (
        QualificationFact("sale", "A", (KANTO,), 2025, 2027),
        QualificationFact("manufacture", "B", (KANTO,), 2025, 2027),
        QualificationFact("sale", "C", ("近畿",), 2025, 2027),
    )
    verdict = check(uq(), facts(qualifications=others), ON)
    assert verdict.passed is False
    assert verdict.reason == "「役務の提供等」の全省庁統一資格が登録されていません（登録されている資格：物品の販売、物品の製造）。"


@pytest.mark.parametrize(
    ("required", "held", "passed"),
    [
        ([KANTO], (KANTO,), True),
        ([KANTO], ("近畿", KANTO), True),
        ([KANTO, "近畿"], ("近畿",), True),  # いずれか一つでよい
        (["近畿", "九州・沖縄"], ("九州・沖縄",), True),
        ([KANTO], ("近畿",), False),
        ([KANTO], (), False),
        ([], (), True),  # 地域の指定なし：どの地域でもよい
        ([], ("北海道",), True),
    ],
)
def test_regions_are_any_of_the_required_ones(required, held, passed):
    qualification = QualificationFact("services", "B", held, 2025, 2027)
    assert check(uq(regions=required), facts(qualifications=(qualification,)), ON).passed is passed


@pytest.mark.parametrize(
    ("required", "held", "reason"),
    [
        ([KANTO], ("近畿",), "役務の提供等 B等級の資格の競争参加地域（近畿）に、求められる地域（関東・甲信越）が含まれません。"),
        ([KANTO], (), "役務の提供等 B等級の資格の競争参加地域（登録なし）に、求められる地域（関東・甲信越）が含まれません。"),
        (
            ["近畿", KANTO],
            ("北海道", "東北"),
            "役務の提供等 B等級の資格の競争参加地域（北海道、東北）に、求められる地域（関東・甲信越又は近畿）が含まれません。",
        ),
    ],
)
def test_a_missing_region_fails_naming_both(required, held, reason):
    qualification = QualificationFact("services", "B", held, 2025, 2027)
    assert check(uq(regions=required), facts(qualifications=(qualification,)), ON).reason == reason


def test_the_reason_lists_every_region_of_the_qualification():
    qualification = QualificationFact("services", "C", ("近畿", KANTO), 2025, 2027)
    assert check(uq(regions=[KANTO]), facts(qualifications=(qualification,)), ON).reason == (
        "役務の提供等 C等級（令和7〜9年度、近畿、関東・甲信越）を確認しました。"
    )


def test_a_qualification_without_regions_is_named_without_them():
    qualification = QualificationFact("services", "B", (), 2025, 2027)
    assert check(uq(), facts(qualifications=(qualification,)), ON).reason == "役務の提供等 B等級（令和7〜9年度）を確認しました。"


@pytest.mark.parametrize(
    ("on", "passed", "fiscal_year_text"),
    [
        (date(2025, 3, 31), False, "令和6年度"),  # 有効期間の前日（2024年度の末日）
        (date(2025, 4, 1), True, None),  # 有効期間の初日
        (date(2026, 10, 1), True, None),
        (date(2028, 3, 31), True, None),  # 有効期間の末日（2027年度の末日）
        (date(2028, 4, 1), False, "令和10年度"),  # 有効期間の翌日
    ],
)
def test_the_qualification_is_valid_from_the_first_to_the_last_day_of_its_fiscal_years(on, passed, fiscal_year_text):
    verdict = check(uq(), facts(), on)
    assert verdict.passed is passed
    if not passed:
        assert verdict.reason == f"役務の提供等 B等級の資格の有効期間（令和7〜9年度）に{fiscal_year_text}が含まれません。"


@pytest.mark.parametrize(
    ("fiscal_year", "passed"),
    [(2024, False), (2025, True), (2027, True), (2028, False)],
)
def test_a_fiscal_year_set_on_the_rule_overrides_the_date(fiscal_year, passed):
    assert check(uq(fiscal_year=fiscal_year), facts(), ON).passed is passed


@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        (2025, 2027, "令和7〜9年度"),
        (2019, 2021, "令和元〜3年度"),  # [002] の「令和1・2・3年度」
        (2018, 2020, "平成30年度〜令和2年度"),
        (2026, 2026, "令和8年度"),
    ],
)
def test_the_fiscal_years_of_a_qualification_are_written_in_the_japanese_era(first, last, text):
    qualification = QualificationFact("services", "A", (), first, last)
    verdict = check(uq(fiscal_year=last), facts(qualifications=(qualification,)), ON)
    assert verdict.reason == f"役務の提供等 A等級（{text}）を確認しました。"


def test_any_qualification_that_meets_every_condition_passes():
    quals = (
        QualificationFact("services", "D", (KANTO,), 2025, 2027),
        QualificationFact("sale", "A", (KANTO,), 2025, 2027),
        QualificationFact("services", "A", (KANTO,), 2025, 2027),
    )
    verdict = check(uq(regions=[KANTO]), facts(qualifications=quals), ON)
    assert verdict.passed is True
    assert verdict.reason == "役務の提供等 A等級（令和7〜9年度、関東・甲信越）を確認しました。"


def test_the_first_of_several_matching_qualifications_is_named():
    quals = (
        QualificationFact("services", "C", (KANTO,), 2025, 2027),
        QualificationFact("services", "B", (KANTO,), 2025, 2027),
    )
    assert check(uq(), facts(qualifications=quals), ON).reason == "役務の提供等 C等級（令和7〜9年度、関東・甲信越）を確認しました。"


def test_the_closest_qualification_explains_the_failure():
    # D等級（有効）は等級で、B等級（期限切れ）は年度で外れる：より先まで合っている B等級が理由になる。
    quals = (
        QualificationFact("services", "D", (KANTO,), 2025, 2027),
        QualificationFact("services", "B", (KANTO,), 2022, 2024),
    )
    verdict = check(uq(regions=[KANTO]), facts(qualifications=quals), ON)
    assert verdict.passed is False
    assert verdict.reason == "役務の提供等 B等級の資格の有効期間（令和4〜6年度）に令和8年度が含まれません。"


def test_a_region_mismatch_is_closer_than_a_grade_mismatch():
    quals = (
        QualificationFact("services", "D", (KANTO,), 2025, 2027),
        QualificationFact("services", "A", ("近畿",), 2025, 2027),
    )
    assert check(uq(regions=[KANTO]), facts(qualifications=quals), ON).reason == (
        "役務の提供等 A等級の資格の競争参加地域（近畿）に、求められる地域（関東・甲信越）が含まれません。"
    )


def test_a_qualification_category_may_be_given_as_the_enum():
    qualification = QualificationFact(QualificationCategory.SERVICES, "B", (KANTO,), 2025, 2027)
    assert qualification.category == "services"
    assert check(uq(category=QualificationCategory.SERVICES), facts(qualifications=(qualification,)), ON).passed


def test_a_qualification_must_not_end_before_it_starts():
    with pytest.raises(ValueError):
        QualificationFact("services", "B", (KANTO,), 2027, 2025)


# --- 指名停止 ------------------------------------------------------------------------

SUSPENSION = SuspensionFact("架空省", date(2026, 10, 1), date(2027, 3, 31))


@pytest.mark.parametrize(
    ("on", "passed"),
    [
        (date(2026, 9, 30), True),  # 初日の前日
        (date(2026, 10, 1), False),  # 初日
        (date(2026, 12, 15), False),
        (date(2027, 3, 31), False),  # 末日
        (date(2027, 4, 1), True),  # 末日の翌日
    ],
)
def test_a_suspension_covers_its_first_and_last_day(on, passed):
    verdict = check(spec("no_suspension"), facts(suspensions=(SUSPENSION,)), on)
    assert verdict.passed is passed


def test_a_current_suspension_fails_naming_the_issuer_and_the_period():
    verdict = check(spec("no_suspension"), facts(suspensions=(SUSPENSION,)), date(2026, 10, 1))
    assert verdict == Verdict(
        RuleKind.NO_SUSPENSION,
        "指名停止を受けていないこと",
        False,
        "架空省による指名停止期間中です（令和8年10月1日〜令和9年3月31日）。",
    )


def test_no_current_suspension_passes_naming_the_date():
    verdict = check(spec("no_suspension"), facts(suspensions=(SUSPENSION,)), date(2026, 9, 30))
    assert verdict.reason == "令和8年9月30日時点で取引停止・指名停止の期間中ではありません。"


def test_every_current_suspension_is_named():
    other = SuspensionFact("架空機構", date(2026, 11, 1), date(2026, 11, 30))
    verdict = check(spec("no_suspension"), facts(suspensions=(SUSPENSION, other)), date(2026, 11, 30))
    assert verdict.reason == (
        "架空省による指名停止期間中です（令和8年10月1日〜令和9年3月31日）。"
        "架空機構による指名停止期間中です（令和8年11月1日〜令和8年11月30日）。"
    )


@pytest.mark.parametrize("on_param", ["2026-10-01", date(2026, 10, 1)])
def test_a_date_set_on_the_rule_overrides_the_date_of_the_check(on_param):
    verdict = check(spec("no_suspension", on=on_param), facts(suspensions=(SUSPENSION,)), date(2026, 9, 1))
    assert verdict.passed is False


def test_a_suspension_must_not_end_before_it_starts():
    with pytest.raises(ValueError):
        SuspensionFact("架空省", date(2026, 10, 2), date(2026, 10, 1))


# --- 法人格・誓約・関連する公募 --------------------------------------------------------


@pytest.mark.parametrize(
    ("incorporated", "passed", "reason"),
    [(True, True, "法人格を有しています。"), (False, False, "法人格を有していません。")],
)
def test_legal_personality(incorporated, passed, reason):
    verdict = check(spec("legal_personality"), facts(incorporated=incorporated), ON)
    assert (verdict.passed, verdict.reason) == (passed, reason)
    assert verdict.label == "法人格を有すること"


@pytest.mark.parametrize(
    ("affirmed", "passed", "reason"),
    [
        (True, True, "予決令第70条・第71条に該当しないこと及び暴力団排除に関する誓約事項について、提出をもって誓約しています。"),
        (False, False, "予決令第70条・第71条に該当しないこと及び暴力団排除に関する誓約事項の誓約がありません。"),
    ],
)
def test_declarations_pass_only_when_affirmed(affirmed, passed, reason):
    verdict = check(spec("declarations"), facts(declarations_affirmed=affirmed), ON)
    assert (verdict.passed, verdict.reason) == (passed, reason)


@pytest.mark.parametrize(
    ("params", "proposer", "passed", "reason"),
    [
        ({}, False, True, "関連する企画競争等の提案者ではありません。"),
        ({}, True, False, "関連する企画競争等の提案者です。"),
        ({"linked_case": "お助け隊事業"}, False, True, "「お助け隊事業」の提案者ではありません。"),
        ({"linked_case": "お助け隊事業"}, True, False, "「お助け隊事業」の提案者です。"),
    ],
)
def test_a_proposer_in_the_linked_competition_is_refused(params, proposer, passed, reason):
    verdict = check(RuleSpec(RuleKind.NOT_LINKED_PROPOSER, params), facts(proposer_in_linked_case=proposer), ON)
    assert (verdict.passed, verdict.reason) == (passed, reason)


# --- 秘密保持誓約書と設計資料の閲覧 [000 §3] ---------------------------------------------

DEADLINE_DAY = date(2022, 2, 21)  # [000] の参加意思確認書の提出期限


@pytest.mark.parametrize(
    ("signed", "viewed", "passed", "reason"),
    [
        (
            date(2022, 2, 2),
            date(2022, 2, 3),
            True,
            "秘密保持誓約書の提出（令和4年2月2日）の後、設計資料の閲覧（令和4年2月3日）を確認しました。",
        ),
        (
            date(2022, 2, 2),
            date(2022, 2, 2),
            True,
            "秘密保持誓約書の提出（令和4年2月2日）の後、設計資料の閲覧（令和4年2月2日）を確認しました。",
        ),
        (
            date(2022, 2, 21),
            date(2022, 2, 21),
            True,
            "秘密保持誓約書の提出（令和4年2月21日）の後、設計資料の閲覧（令和4年2月21日）を確認しました。",
        ),
        (None, None, False, "秘密保持誓約書の提出が確認できません。"),
        (None, date(2022, 2, 3), False, "秘密保持誓約書の提出が確認できません。"),
        (date(2022, 2, 2), None, False, "設計資料の閲覧が確認できません。"),
        (
            date(2022, 2, 2),
            date(2022, 2, 1),
            False,
            "設計資料の閲覧（令和4年2月1日）が秘密保持誓約書の提出（令和4年2月2日）より前です。",
        ),
        (
            date(2022, 2, 2),
            date(2022, 2, 22),
            False,
            "設計資料の閲覧（令和4年2月22日）が判定日（令和4年2月21日）より後です。",
        ),
        (
            date(2022, 2, 22),
            date(2022, 2, 22),
            False,
            "設計資料の閲覧（令和4年2月22日）が判定日（令和4年2月21日）より後です。",
        ),
    ],
)
def test_the_documents_must_be_viewed_after_signing_the_nda_and_by_the_date(signed, viewed, passed, reason):
    verdict = check(spec("nda_and_viewing"), facts(nda_signed_on=signed, documents_viewed_on=viewed), DEADLINE_DAY)
    assert (verdict.passed, verdict.reason) == (passed, reason)


# --- 中小企業等 [002 III 3] ----------------------------------------------------------


@pytest.mark.parametrize(
    ("industry", "capital", "employees", "passed"),
    [
        # サービス業：5千万円以下又は100人以下
        ("services", 50_000_000, 101, True),
        ("services", 50_000_001, 100, True),
        ("services", 50_000_001, 101, False),
        ("services", 50_000_000, 100, True),
        ("services", None, 100, True),
        ("services", None, 101, False),
        ("services", None, None, False),
        # 製造業：3億円以下又は300人以下
        ("manufacturing", 300_000_000, 301, True),
        ("manufacturing", 300_000_001, 300, True),
        ("manufacturing", 300_000_001, 301, False),
        # 卸売業：1億円以下又は100人以下
        ("wholesale", 100_000_000, 101, True),
        ("wholesale", 100_000_001, 100, True),
        ("wholesale", 100_000_001, 101, False),
        # 小売業：5千万円以下又は50人以下
        ("retail", 50_000_000, 51, True),
        ("retail", 50_000_001, 50, True),
        ("retail", 50_000_001, 51, False),
        # ソフトウェア業：3億円以下又は300人以下
        ("software", 300_000_001, 300, True),
        ("software", 300_000_001, 301, False),
        # 旅館業：5千万円以下又は200人以下
        ("inns", 50_000_001, 200, True),
        ("inns", 50_000_001, 201, False),
        # ゴム製品製造業：3億円以下又は900人以下
        ("rubber_products", 300_000_001, 900, True),
        ("rubber_products", 300_000_001, 901, False),
        # 医療法人・社会福祉法人：300人以下（資本金の上限なし）
        ("medical_welfare", 10_000_000_000, 300, True),
        ("medical_welfare", None, 301, False),
        # 商工会等：100人以下
        ("commerce_chambers", None, 100, True),
        ("commerce_chambers", None, 101, False),
    ],
)
def test_sme_boundaries_at_the_limit_and_one_over(industry, capital, employees, passed):
    verdict = check(spec("sme"), facts(industry=industry, capital=capital, employees=employees), ON)
    assert verdict.passed is passed


def test_sme_failing_reason_gives_the_limits_and_the_figures():
    verdict = check(spec("sme"), facts(capital=50_000_001, employees=101), ON)
    assert verdict == Verdict(
        RuleKind.SME,
        "中小企業等であること",
        False,
        "③サービス業（ソフトウェア業又は情報処理サービス業、旅館業を除く）の基準（資本金の額又は出資の総額5千万円以下"
        "又は常時使用する従業員の数100人以下）をいずれも満たさないため、中小企業等に該当しません"
        "（資本金：50,000,001円、従業員数：101人）。",
    )


def test_sme_passing_reason_names_the_limit_met():
    verdict = check(spec("sme"), facts(capital=50_000_000, employees=101), ON)
    assert verdict.reason == (
        "③サービス業（ソフトウェア業又は情報処理サービス業、旅館業を除く）の基準（資本金の額又は出資の総額5千万円以下"
        "又は常時使用する従業員の数100人以下）のうち資本金の上限を満たすため、中小企業等に該当します"
        "（資本金：50,000,000円、従業員数：101人）。"
    )


def test_an_unincorporated_group_is_not_an_sme():
    verdict = check(spec("sme"), facts(incorporated=False, unincorporated_association=True, capital=1_000_000,
                                       employees=3), ON)
    assert (verdict.passed, verdict.reason) == (False, "法人格のない任意団体は中小企業等の対象外です。")


def test_a_sole_proprietor_has_no_legal_personality_but_can_be_an_sme():
    """[002 III 3] ①～⑧ 「…の会社及び個人事業主」; 000 応募要件(1) asks for 法人格."""
    applicant = facts(incorporated=False, capital=None, employees=3)
    assert check(spec("sme"), applicant, ON).passed
    assert not check(spec("legal_personality"), applicant, ON).passed


@pytest.mark.parametrize(("industry", "employees", "passed"), [
    ("nonprofits", 100, True), ("nonprofits", 101, False),  # ⑮ NPO, main industry ③ services: 100人以下
    ("foundations_associations", 100, True), ("special_law_associations", 101, False),
    ("sme_organizations", 100, True)])
def test_npos_foundations_and_associations_are_judged_by_their_main_industry(industry, employees, passed):
    """[002 III 3] ⑫～⑮: 「上記①～⑧の業種分類に基づき、その主たる業種に記載の従業員規模以下の者」.
    Issue 17: without the main industry they always failed."""
    verdict = check(spec("sme"), facts(industry=industry, capital=None, employees=employees,
                                       principal_industry="services"), ON)
    assert verdict.passed is passed
    assert "主たる業種：③" in verdict.reason
    missing = check(spec("sme"), facts(industry=industry, capital=None, employees=employees), ON)
    assert not missing.passed and "主たる業種を指定してください" in missing.reason


def test_an_applicant_without_an_industry_cannot_be_judged_an_sme():
    verdict = check(spec("sme"), facts(industry=None), ON)
    assert (verdict.passed, verdict.reason) == (False, "業種が登録されていないため、中小企業等に当たるか判定できません。")


def test_an_unknown_industry_code_fails_instead_of_raising():
    verdict = check(spec("sme"), facts(industry="fishing"), ON)
    assert (verdict.passed, verdict.reason) == (False, "業種のコードが正しくありません: 'fishing'")


def test_an_organisation_judged_by_its_principal_industry_is_asked_for_it():
    verdict = check(spec("sme"), facts(industry="nonprofits", capital=None, employees=10), ON)
    assert verdict.passed is False
    assert "主たる業種" in verdict.reason


# --- まとめ --------------------------------------------------------------------------

ALL_RULES = [
    uq(regions=[KANTO]),
    spec("no_suspension"),
    spec("legal_personality"),
    spec("declarations"),
    spec("nda_and_viewing"),
    spec("not_linked_proposer"),
    spec("sme"),
    spec("sound_finances"),
]


def good_applicant() -> ApplicantFacts:
    return facts(
        declarations_affirmed=True,
        nda_signed_on=date(2026, 9, 1),
        documents_viewed_on=date(2026, 9, 2),
        suspensions=(SuspensionFact("架空省", date(2025, 4, 1), date(2025, 9, 30)),),
    )


def test_check_all_gives_one_verdict_per_rule_in_order_and_a_good_applicant_is_eligible():
    verdicts = check_all(ALL_RULES, good_applicant(), ON)
    assert [v.kind.value for v in verdicts] == [code for code, _ in LABELS]
    assert [v.label for v in verdicts] == [label for _, label in LABELS]
    assert all(v.passed for v in verdicts)
    assert eligible(verdicts) is True


@pytest.mark.parametrize(
    ("changes", "failing"),
    [
        ({"qualifications": ()}, "unified_qualification"),
        ({"suspensions": (SuspensionFact("架空省", date(2026, 10, 1), date(2026, 10, 1)),)}, "no_suspension"),
        ({"declarations_affirmed": False}, "declarations"),
        ({"documents_viewed_on": None}, "nda_and_viewing"),
        ({"proposer_in_linked_case": True}, "not_linked_proposer"),
        ({"capital": 50_000_001, "employees": 101}, "sme"),
    ],
)
def test_one_failing_rule_makes_the_applicant_ineligible(changes, failing):
    applicant = good_applicant()
    applicant = ApplicantFacts(**{**applicant.__dict__, **changes})
    verdicts = check_all(ALL_RULES, applicant, ON)
    assert [v.kind.value for v in verdicts if not v.passed] == [failing]
    assert eligible(verdicts) is False


def test_an_unincorporated_applicant_fails_both_legal_personality_and_sme():
    applicant = ApplicantFacts(**{**good_applicant().__dict__, "incorporated": False,
                                  "unincorporated_association": True})
    verdicts = check_all(ALL_RULES, applicant, ON)
    assert [v.kind.value for v in verdicts if not v.passed] == ["legal_personality", "sme"]


def test_no_rules_means_eligible():
    assert check_all([], good_applicant(), ON) == []
    assert eligible([]) is True


def test_check_refuses_a_datetime_for_the_date():
    with pytest.raises(TypeError):
        check(spec("legal_personality"), facts(), datetime(2026, 10, 1, 17, 0, tzinfo=JST))


def test_check_refuses_invalid_settings():
    with pytest.raises(ValueError, match="設定に誤りがあります"):
        check(uq(grades=[]), facts(), ON)


def test_a_rule_spec_accepts_the_code_of_its_kind():
    assert RuleSpec("sme").kind is RuleKind.SME
    with pytest.raises(ValueError):
        RuleSpec("unknown")


def test_facts_given_as_lists_are_kept_as_tuples():
    applicant = facts(qualifications=[Q_B], suspensions=[SUSPENSION])
    assert applicant.qualifications == (Q_B,)
    assert applicant.suspensions == (SUSPENSION,)


def test_facts_refuse_a_datetime_for_the_nda_date():
    with pytest.raises(TypeError):
        facts(nda_signed_on=datetime(2026, 9, 1, 10, 0, tzinfo=JST))


# --- 指名停止 over the whole period (issue 17) -------------------------------------------------

PUBLISHED, OPENING = date(2026, 9, 1), date(2026, 10, 8)


@pytest.mark.parametrize(("starts", "ends", "passed"), [
    (date(2026, 10, 5), date(2026, 12, 4), False),  # begins after the deadline (10/1), before the opening
    (date(2026, 10, 8), date(2026, 12, 4), False),  # begins on the opening day
    (date(2026, 8, 1), date(2026, 9, 1), False),  # ends on the publication day
    (date(2026, 10, 9), date(2026, 12, 4), True),  # begins after the opening
    (date(2026, 6, 1), date(2026, 8, 31), True),  # ended before the publication
])
def test_a_suspension_anywhere_from_publication_to_opening_counts(starts, ends, passed):
    """000 応募要件(5)・002 2.(4) 「指名停止等を受けていない者」: the seeds do not say when; a case judges
    the whole span from its publication to its opening, so one that begins after the deadline counts."""
    applicant = facts(suspensions=(SuspensionFact("千葉県", starts, ends),))
    verdict = check(spec("no_suspension"), applicant, ON, period=(PUBLISHED, OPENING))
    assert verdict.passed is passed
    assert ("公告日から開札日までの期間" in verdict.reason)
    # Judged on the deadline alone (no period), the first case would have passed.
    if starts == date(2026, 10, 5):
        assert check(spec("no_suspension"), applicant, ON).passed


def test_a_rule_with_its_own_date_keeps_judging_that_day():
    applicant = facts(suspensions=(SuspensionFact("千葉県", date(2026, 10, 5), date(2026, 12, 4)),))
    assert check(spec("no_suspension", on="2026-10-01"), applicant, ON, period=(PUBLISHED, OPENING)).passed


# --- 入札心得第9条: bidding while the qualification is under review (issue 17) -------------------

def test_a_qualification_under_review_lets_a_company_bid_on_condition():
    """[002 入札心得 第9条 (条件付きの入札)]: 資格審査の申請を行ったものは、資格を有すると認められること…を
    条件に入札書を提出することができる…開札日までに終了しないとき…落札の対象としない."""
    pending = QualificationFact("services", "B", ("関東・甲信越",), 2025, 2027, pending=True)
    verdict = check(spec("unified_qualification"), facts(qualifications=(pending,)), ON)
    assert verdict.passed and verdict.conditional and "入札心得第9条" in verdict.reason
    granted = QualificationFact("services", "B", ("関東・甲信越",), 2025, 2027)
    both = check(spec("unified_qualification"), facts(qualifications=(pending, granted)), ON)
    assert both.passed and not both.conditional
    wrong = QualificationFact("goods", "B", ("関東・甲信越",), 2025, 2027, pending=True)
    assert not check(spec("unified_qualification"), facts(qualifications=(wrong,)), ON).passed


# --- 経営の状況又は信用度 [000 応募要件(6)、002 2.(5)] (issue 17) ------------------------------------


@pytest.mark.parametrize(("starts", "ends", "passed"), [
    (date(2026, 5, 1), None, False),                # 再生手続の申立て, not cleared
    (date(2026, 10, 8), None, False),               # on the opening day
    (date(2026, 5, 1), date(2026, 9, 1), False),    # cleared on the publication day: still counts that day
    (date(2026, 5, 1), date(2026, 8, 31), True),    # cleared before the publication
    (date(2026, 10, 9), None, True),                # after the opening
])
def test_a_grave_worsening_of_finances_counts_over_the_whole_period(starts, ends, passed):
    applicant = facts(credit_events=(CreditEventFact("civil_rehabilitation", starts, ends),))
    verdict = check(spec("sound_finances"), applicant, ON, period=(PUBLISHED, OPENING))
    assert verdict.passed is passed
    assert "公告日から開札日までの期間" in verdict.reason
    if not passed:
        assert "民事再生法に基づく再生手続開始の申立て" in verdict.reason


def test_a_company_without_such_facts_passes_and_the_notice_says_the_seed_text():
    verdict = check(spec("sound_finances"), facts(), ON)
    assert verdict.passed and "記録はありません" in verdict.reason
    assert describe(spec("sound_finances")) == (
        "経営の状況又は信用度が極度に悪化していないと認められる者であり、適正な契約の履行が確保される者であること")


def test_every_fact_found_is_named():
    applicant = facts(credit_events=(CreditEventFact("clearing_suspension", date(2026, 7, 1), date(2027, 6, 30)),
                                     CreditEventFact("other", date(2026, 9, 10))))
    reason = check(spec("sound_finances"), applicant, ON, period=(PUBLISHED, OPENING)).reason
    assert "取引停止処分" in reason and "発注機関が経営の状況又は信用度の極度の悪化と認めた事実" in reason


@pytest.mark.parametrize(("kind", "starts", "ends"), [
    ("moody", date(2026, 1, 1), None),
    ("other", date(2026, 2, 1), date(2026, 1, 31)),
    ("other", "2026-01-01", None),
])
def test_a_credit_fact_that_does_not_fit_is_refused(kind, starts, ends):
    with pytest.raises((TypeError, ValueError)):
        CreditEventFact(kind, starts, ends)


def test_a_qualification_granted_after_the_opening_is_still_a_bid_on_condition():
    """入札心得第9条: 開札日までに資格審査が終了しないとき… the day it was granted is compared with the opening."""
    late = QualificationFact("services", "B", (KANTO,), 2025, 2027, granted_on=date(2026, 10, 9))
    verdict = check(spec("unified_qualification"), facts(qualifications=(late,)), ON, period=(PUBLISHED, OPENING))
    assert verdict.passed and verdict.conditional and "開札日" in verdict.reason and "入札心得第9条" in verdict.reason
    in_time = QualificationFact("services", "B", (KANTO,), 2025, 2027, granted_on=OPENING)
    verdict = check(spec("unified_qualification"), facts(qualifications=(in_time,)), ON, period=(PUBLISHED, OPENING))
    assert verdict.passed and not verdict.conditional
    # Without a period (a judgement on one day), the day itself is the limit.
    assert check(spec("unified_qualification"), facts(qualifications=(late,)), ON).conditional


def test_a_pending_qualification_has_no_grant_day():
    with pytest.raises(ValueError, match="申請中"):
        QualificationFact("services", "B", (KANTO,), 2025, 2027, pending=True, granted_on=date(2026, 9, 1))

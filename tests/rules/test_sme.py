"""中小企業等の判定の検査。上限は [002] 3. 業務概要「中小企業等の定義」の表から手で写した。"""
import pytest

from tender.rules.sme import INDUSTRY_CHOICES, Industry, SmeVerdict, sme_verdict

# (コード, 行番号, 表の業種分類, 資本金の上限(円), 従業員の上限(人))
TABLE = [
    ("manufacturing", "①", "製造業、建設業、運輸業", 300_000_000, 300),
    ("wholesale", "②", "卸売業", 100_000_000, 100),
    ("services", "③", "サービス業（ソフトウェア業又は情報処理サービス業、旅館業を除く）", 50_000_000, 100),
    ("retail", "④", "小売業", 50_000_000, 50),
    (
        "rubber_products",
        "⑤",
        "ゴム製品製造業（自動車又は航空機用タイヤ及びチューブ製造業並びに工場用ベルト製造業を除く）",
        300_000_000,
        900,
    ),
    ("software", "⑥", "ソフトウェア業又は情報処理サービス業", 300_000_000, 300),
    ("inns", "⑦", "旅館業", 50_000_000, 200),
    ("other", "⑧", "その他の業種(上記以外)", 300_000_000, 300),
    ("medical_welfare", "⑨", "医療法人、社会福祉法人", None, 300),
    ("school", "⑩", "学校法人", None, 300),
    ("commerce_chambers", "⑪", "商工会・都道府県商工会連合会及び商工会議所", None, 100),
]
BY_PRINCIPAL = [
    ("sme_organizations", "⑫", "中小企業支援法第2条第1項第4号に規定される中小企業団体"),
    ("special_law_associations", "⑬", "特別の法律によって設立された組合又はその連合会"),
    ("foundations_associations", "⑭", "財団法人(一般・公益)、社団法人(一般・公益)"),
    ("nonprofits", "⑮", "特定非営利活動法人"),
]
WITH_CAPITAL = [row for row in TABLE if row[3] is not None]
EMPLOYEES_ONLY = [row for row in TABLE if row[3] is None]


@pytest.mark.parametrize(("code", "row", "label"), [r[:3] for r in TABLE] + BY_PRINCIPAL)
def test_every_row_of_the_seed_table_is_an_industry_with_its_label(code, row, label):
    assert Industry(code).label == label
    assert Industry(code).row == row
    assert Industry(code) == code


def test_industry_choices_list_all_fifteen_rows_in_table_order():
    expected = [(r[0], r[2]) for r in TABLE] + [(r[0], r[2]) for r in BY_PRINCIPAL]
    assert INDUSTRY_CHOICES == expected
    assert all(code.isascii() for code, _ in INDUSTRY_CHOICES)


@pytest.mark.parametrize(("code", "row", "label", "capital", "employees"), WITH_CAPITAL)
def test_capital_exactly_at_the_limit_qualifies(code, row, label, capital, employees):
    verdict = sme_verdict(code, capital, None)
    assert verdict == SmeVerdict(True, verdict.reason)
    assert verdict.is_sme is True
    assert label in verdict.reason
    assert "資本金の上限を満たす" in verdict.reason


@pytest.mark.parametrize(("code", "row", "label", "capital", "employees"), WITH_CAPITAL)
def test_capital_one_yen_over_the_limit_without_staff_count_does_not_qualify(code, row, label, capital, employees):
    verdict = sme_verdict(code, capital + 1, None)
    assert verdict.is_sme is False
    assert "従業員数：不明" in verdict.reason


@pytest.mark.parametrize(("code", "row", "label", "capital", "employees"), TABLE)
def test_employees_exactly_at_the_limit_qualify(code, row, label, capital, employees):
    verdict = sme_verdict(code, None, employees)
    assert verdict.is_sme is True
    assert f"常時使用する従業員の数{employees}人以下" in verdict.reason
    assert "従業員数の上限を満たす" in verdict.reason


@pytest.mark.parametrize(("code", "row", "label", "capital", "employees"), TABLE)
def test_one_employee_over_the_limit_without_capital_does_not_qualify(code, row, label, capital, employees):
    assert sme_verdict(code, None, employees + 1).is_sme is False


@pytest.mark.parametrize(("code", "row", "label", "capital", "employees"), WITH_CAPITAL)
def test_a_small_capital_suffices_even_with_many_employees(code, row, label, capital, employees):
    assert sme_verdict(code, capital, employees * 10).is_sme is True


@pytest.mark.parametrize(("code", "row", "label", "capital", "employees"), WITH_CAPITAL)
def test_few_employees_suffice_even_with_a_large_capital(code, row, label, capital, employees):
    assert sme_verdict(code, capital * 10, employees).is_sme is True


@pytest.mark.parametrize(("code", "row", "label", "capital", "employees"), WITH_CAPITAL)
def test_both_over_the_limits_does_not_qualify(code, row, label, capital, employees):
    verdict = sme_verdict(code, capital + 1, employees + 1)
    assert verdict.is_sme is False
    assert "いずれも満たさない" in verdict.reason


@pytest.mark.parametrize(("code", "row", "label", "capital", "employees"), TABLE)
def test_missing_values_cannot_satisfy_a_limit(code, row, label, capital, employees):
    assert sme_verdict(code, None, None).is_sme is False


@pytest.mark.parametrize(("code", "row", "label", "capital", "employees"), EMPLOYEES_ONLY)
def test_corporations_limited_by_staff_only_ignore_capital(code, row, label, capital, employees):
    assert sme_verdict(code, 1, employees + 1).is_sme is False
    assert sme_verdict(code, 10**12, employees).is_sme is True
    assert "資本金" not in sme_verdict(code, 1, employees).reason


@pytest.mark.parametrize(
    ("code", "capital", "employees", "is_sme"),
    [
        ("manufacturing", 300_000_001, 301, False),
        ("manufacturing", 299_999_999, 5000, True),
        ("wholesale", 100_000_001, 101, False),
        ("wholesale", 100_000_001, 100, True),
        ("services", 50_000_001, 101, False),
        ("services", 50_000_001, 100, True),
        ("retail", 50_000_001, 51, False),
        ("retail", 50_000_001, 50, True),
        ("rubber_products", 300_000_001, 900, True),  # 製造業（300人）より緩い
        ("rubber_products", 300_000_001, 901, False),
        ("software", 300_000_001, 300, True),  # サービス業（100人）ではない
        ("software", 300_000_001, 301, False),
        ("inns", 50_000_001, 200, True),
        ("inns", 50_000_001, 201, False),
        ("other", 300_000_000, 10_000, True),
        ("commerce_chambers", None, 100, True),
        ("commerce_chambers", None, 101, False),
    ],
)
def test_selected_rows_of_the_table(code, capital, employees, is_sme):
    assert sme_verdict(code, capital, employees).is_sme is is_sme


@pytest.mark.parametrize(("code", "row", "label"), BY_PRINCIPAL)
@pytest.mark.parametrize(
    ("principal", "limit"),
    [("manufacturing", 300), ("wholesale", 100), ("services", 100), ("retail", 50), ("rubber_products", 900), ("software", 300), ("inns", 200), ("other", 300)],
)
def test_associations_use_the_staff_limit_of_their_principal_industry(code, row, label, principal, limit):
    assert sme_verdict(code, None, limit, principal_industry=principal).is_sme is True
    assert sme_verdict(code, None, limit + 1, principal_industry=principal).is_sme is False
    # 資本金の上限は適用しない（「従業員規模以下の者」）。
    assert sme_verdict(code, 1, limit + 1, principal_industry=principal).is_sme is False


@pytest.mark.parametrize(("code", "row", "label"), BY_PRINCIPAL)
def test_associations_without_a_principal_industry_are_not_judged_sme(code, row, label):
    verdict = sme_verdict(code, None, 1)
    assert verdict.is_sme is False
    assert "主たる業種" in verdict.reason


@pytest.mark.parametrize("principal", ["medical_welfare", "school", "commerce_chambers", "nonprofits"])
def test_the_principal_industry_must_come_from_rows_one_to_eight(principal):
    with pytest.raises(ValueError):
        sme_verdict("nonprofits", None, 1, principal_industry=principal)


@pytest.mark.parametrize("code", [r[0] for r in TABLE])
def test_unincorporated_voluntary_groups_are_never_sme(code):
    verdict = sme_verdict(code, 1, 1, incorporated=False)
    assert verdict == SmeVerdict(False, "法人格のない任意団体は中小企業等の対象外です。")


def test_the_reason_names_the_limits_applied_in_japanese():
    verdict = sme_verdict(Industry.MANUFACTURING, 100_000_000, 500)
    assert verdict == SmeVerdict(
        True,
        "①製造業、建設業、運輸業の基準（資本金の額又は出資の総額3億円以下又は常時使用する従業員の数300人以下）"
        "のうち資本金の上限を満たすため、中小企業等に該当します（資本金：100,000,000円、従業員数：500人）。",
    )


def test_the_reason_for_a_refusal_shows_both_values():
    verdict = sme_verdict("retail", None, 51)
    assert verdict == SmeVerdict(
        False,
        "④小売業の基準（資本金の額又は出資の総額5千万円以下又は常時使用する従業員の数50人以下）"
        "をいずれも満たさないため、中小企業等に該当しません（資本金：不明、従業員数：51人）。",
    )


def test_an_unknown_industry_code_is_rejected():
    with pytest.raises(ValueError):
        sme_verdict("fishing", 1, 1)


@pytest.mark.parametrize(("capital", "employees"), [(1.0, 1), (1, 1.0), (True, 1), (1, False)])
def test_floats_and_booleans_are_rejected(capital, employees):
    with pytest.raises(TypeError):
        sme_verdict("retail", capital, employees)


@pytest.mark.parametrize(("capital", "employees"), [(-1, 1), (1, -1)])
def test_negative_values_are_rejected(capital, employees):
    with pytest.raises(ValueError):
        sme_verdict("retail", capital, employees)

"""Companies through HTTP: registration with 法人番号 validation, own-profile corrections,
qualifications and suspensions kept by the authority, contacts as encrypted personal data."""
from datetime import date, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select, text

from tender.accounts.models import Role
from tender.companies.models import Company, Qualification, QualificationCategory, Suspension
from tender.extensions import db
from tests.helpers import events, login_as, make_company, make_corporate_number, post_form

FORM = {"name": "株式会社テスト商事", "name_kana": "てすとしょうじ", "corporate_number": "",
        "postal_code": "100-0001", "address": "東京都千代田区千代田1-1", "representative_title": "代表取締役",
        "representative_name": "試験 一郎", "capital": "￥12,000,000", "employees": "３０", "industry": "software",
        "phone": "03-0000-0000", "website": ""}


def _company(app, **where):
    with app.app_context():
        stmt = select(Company)
        for key, value in where.items():
            stmt = stmt.where(getattr(Company, key) == value)
        company = db.session.execute(stmt).scalar_one_or_none()
        if company is not None:
            db.session.expunge(company)
        return company


def test_officer_registers_a_company_and_the_change_is_audited(client, clean_app):
    officer = login_as(client, clean_app, Role.OFFICER)
    number = make_corporate_number(4242)
    response = post_form(client, "/companies/new", {**FORM, "corporate_number": f"{number[:1]}-{number[1:5]}-{number[5:9]}-{number[9:]}"})
    assert response.status_code == 302
    company = _company(clean_app, corporate_number=number)
    assert (company.name, company.capital, company.employees) == ("株式会社テスト商事", 12_000_000, 30)
    event = events(clean_app, "company.created")[-1]
    assert event.actor_id == officer and event.object_id == str(company.id)
    assert '"capital":[null,12000000]' in event.summary
    page = client.get(response.headers["Location"]).text
    assert "金12,000,000円" not in page and "12,000,000円" in page and "中小企業等" in page


@pytest.mark.parametrize("number, message", [
    ("123456789012", "法人番号は13桁の数字で入力してください。"),
    ("12345678901234", "法人番号は13桁の数字で入力してください。"),
    ("abcdefghijklm", "法人番号は13桁の数字で入力してください。"),
    ("", "法人番号は13桁の数字で入力してください。"),
])
def test_malformed_corporate_number_is_refused(client, clean_app, number, message):
    login_as(client, clean_app, Role.OFFICER)
    response = post_form(client, "/companies/new", {**FORM, "corporate_number": number})
    assert response.status_code == 200 and message in response.text
    assert _company(clean_app, name="株式会社テスト商事") is None


def test_wrong_check_digit_is_refused(client, clean_app):
    login_as(client, clean_app, Role.OFFICER)
    valid = make_corporate_number(77)
    wrong = f"{(int(valid[0]) + 1) % 10}{valid[1:]}"
    response = post_form(client, "/companies/new", {**FORM, "corporate_number": wrong})
    assert "チェックデジットが一致しません" in response.text
    assert _company(clean_app, name="株式会社テスト商事") is None


@pytest.mark.parametrize("field, value, message", [
    ("capital", "12.5", "金額は円単位の整数で入力してください。"),
    ("capital", "-100", "金額は円単位の整数で入力してください。"),
    ("employees", "たくさん", "整数で入力してください。"),
    ("address", "", "所在地を入力してください。"),
    ("postal_code", "1000001x", "郵便番号は「123-4567」の形式で入力してください。"),
    ("industry", "casino", "選択肢が正しくありません。"),
])
def test_bad_company_input_is_explained_and_changes_nothing(client, clean_app, field, value, message):
    login_as(client, clean_app, Role.OFFICER)
    response = post_form(client, "/companies/new", {**FORM, "corporate_number": make_corporate_number(), field: value})
    assert response.status_code == 200 and message in response.text
    assert _company(clean_app, name="株式会社テスト商事") is None


def test_duplicate_corporate_number_is_refused(client, clean_app):
    login_as(client, clean_app, Role.OFFICER)
    number = make_corporate_number(5)
    make_company(clean_app, corporate_number=number, name="先行株式会社")
    response = post_form(client, "/companies/new", {**FORM, "corporate_number": number})
    assert "既に登録されています（先行株式会社）" in response.text


def test_bidder_corrects_its_own_profile_but_not_its_corporate_number(client, clean_app):
    company = make_company(clean_app, name="自社株式会社")
    number = _company(clean_app, id=company).corporate_number
    bidder = login_as(client, clean_app, Role.BIDDER, company_id=company)
    form = client.get(f"/companies/{company}/edit").text
    assert 'name="corporate_number"' not in form
    response = post_form(client, f"/companies/{company}/edit",
                         {**FORM, "name": "自社株式会社", "address": "大阪府大阪市北区1-1",
                          "corporate_number": make_corporate_number(999)})
    assert response.status_code == 302
    company_now = _company(clean_app, id=company)
    assert company_now.address == "大阪府大阪市北区1-1" and company_now.corporate_number == number
    event = events(clean_app, "company.updated")[-1]
    assert event.actor_id == bidder and "大阪府大阪市北区1-1" in event.summary


def test_bidder_cannot_touch_another_company(client, clean_app):
    own, other = make_company(clean_app), make_company(clean_app, name="他社株式会社")
    login_as(client, clean_app, Role.BIDDER, company_id=own)
    assert client.get(f"/companies/{other}").status_code == 403
    token_page = client.get(f"/companies/{own}/edit").text
    from tests.helpers import csrf_from
    response = client.post(f"/companies/{other}/edit", data={**FORM, "csrf_token": csrf_from(token_page)})
    assert response.status_code == 403
    assert _company(clean_app, id=other).name == "他社株式会社"


def test_officer_records_a_qualification(client, clean_app):
    company = make_company(clean_app)
    with freeze_time("2026-11-22 10:00:00"):
        login_as(client, clean_app, Role.OFFICER)
        form = client.get(f"/companies/{company}/qualifications/new").text
        assert "令和8年度" in form and "令和元年度" not in form
        response = post_form(client, f"/companies/{company}/qualifications/new", {
            "category": "services", "grade": "B", "regions": ["関東・甲信越", "近畿"],
            "valid_from_fy": "2025", "valid_to_fy": "2027", "certificate_number": "0000123456"})
        assert response.status_code == 302
        page = client.get(f"/companies/{company}").text
    with clean_app.app_context():
        q = db.session.execute(select(Qualification).where(Qualification.company_id == company)).scalar_one()
        assert (q.category, q.grade, q.regions, q.valid_from_fy, q.valid_to_fy) == (
            QualificationCategory.SERVICES, "B", ["関東・甲信越", "近畿"], 2025, 2027)
        assert q.valid_in(2026) and not q.valid_in(2028)
    assert "役務の提供等" in page and "令和7年度〜令和9年度" in page


def test_qualification_needs_a_region_and_ordered_years(client, clean_app):
    company = make_company(clean_app)
    login_as(client, clean_app, Role.OFFICER)
    base = {"category": "services", "grade": "B", "valid_from_fy": "2026", "valid_to_fy": "2025"}
    response = post_form(client, f"/companies/{company}/qualifications/new", base)
    assert "競争参加地域を1つ以上選択してください。" in response.text
    response = post_form(client, f"/companies/{company}/qualifications/new", {**base, "regions": ["北海道"]})
    assert "終了年度は開始年度以降にしてください。" in response.text
    with clean_app.app_context():
        assert db.session.execute(select(Qualification)).first() is None


def test_suspension_is_shown_while_it_runs(client, clean_app):
    company = make_company(clean_app, name="停止中株式会社")
    with freeze_time("2026-11-22 03:00:00") as frozen:
        login_as(client, clean_app, Role.OFFICER)
        response = post_form(client, f"/companies/{company}/suspensions/new", {
            "issuer": "国の某機関", "starts_on": "2026-11-01", "ends_on": "2027-01-31", "reason": "談合のため"})
        assert response.status_code == 302
        assert "指名停止中：国の某機関（令和8年11月1日〜令和9年1月31日）" in client.get(f"/companies/{company}").text
        assert "停止中株式会社" in client.get("/companies?suspended=1").text
        frozen.move_to("2027-01-31 14:59:00")  # 23:59 JST on the last day: still suspended
        login_as(client, clean_app, Role.OFFICER)
        assert "停止中株式会社" in client.get("/companies?suspended=1").text
        frozen.move_to("2027-01-31 15:00:00")  # midnight JST: the suspension is over
        assert "停止中株式会社" not in client.get("/companies?suspended=1").text
    with clean_app.app_context():
        s = db.session.execute(select(Suspension)).scalar_one()
        assert s.covers(date(2027, 1, 31)) and not s.covers(date(2027, 2, 1))


def test_suspension_cannot_end_before_it_starts(client, clean_app):
    company = make_company(clean_app)
    login_as(client, clean_app, Role.OFFICER)
    response = post_form(client, f"/companies/{company}/suspensions/new", {
        "issuer": "某機関", "starts_on": "2026-11-01", "ends_on": "2026-10-31", "reason": "理由"})
    assert "終了日は開始日以降にしてください。" in response.text


def test_contact_details_are_encrypted_at_rest_and_each_view_is_recorded(client, clean_app):
    company = make_company(clean_app)
    bidder = login_as(client, clean_app, Role.BIDDER, company_id=company)
    response = post_form(client, f"/companies/{company}/contacts/new", {
        "name": "連絡 太郎", "title": "営業部", "phone": "090-1234-5678", "email": "renraku@example.com"})
    assert response.status_code == 302
    with clean_app.app_context():
        raw = db.session.execute(text("SELECT phone, email FROM company_contacts")).one()
    assert "090-1234-5678" not in raw.phone and "renraku" not in raw.email
    page = client.get(f"/companies/{company}").text
    assert "090-1234-5678" in page and "renraku@example.com" in page
    viewed = events(clean_app, "company_contact.viewed")
    assert viewed and viewed[-1].actor_id == bidder and viewed[-1].object_id == str(company)
    created = events(clean_app, "company_contact.created")[-1]
    assert "090-1234-5678" not in created.summary


def test_list_searches_by_name_and_corporate_number(client, clean_app):
    make_company(clean_app, name="検索対象株式会社", corporate_number=make_corporate_number(31337))
    make_company(clean_app, name="別会社株式会社")
    login_as(client, clean_app, Role.OFFICER)
    page = client.get("/companies?q=検索対象").text
    assert "検索対象株式会社" in page and "別会社株式会社" not in page
    number = make_corporate_number(31337)
    assert "検索対象株式会社" in client.get(f"/companies?q={number[4:]}").text


def test_an_npo_is_judged_an_sme_by_its_main_industry_and_must_name_it(client, clean_app):
    """[002 III 3] ⑮ 特定非営利活動法人: 「上記①～⑧の業種分類に基づき、その主たる業種に記載の従業員
    規模以下の者」. Issue 17: the main industry could not be entered, so such bodies always failed."""
    login_as(client, clean_app, Role.OFFICER)
    number = make_corporate_number(5151)
    npo = {**FORM, "name": "特定非営利活動法人まちの情報", "corporate_number": number, "industry": "nonprofits",
           "capital": "", "employees": "80"}
    refused = post_form(client, "/companies/new", npo)
    assert refused.status_code == 200 and "主たる業種を選んでください" in refused.text
    assert _company(clean_app, corporate_number=number) is None
    saved = post_form(client, "/companies/new", {**npo, "principal_industry": "services"})
    assert saved.status_code == 302
    company = _company(clean_app, corporate_number=number)
    assert (company.principal_industry, company.legal_form) == ("services", "corporation")
    page = client.get(saved.headers["Location"]).text
    assert "中小企業等に該当します" in page and "主たる業種：③サービス業" in page


def test_a_sole_proprietor_and_a_voluntary_group(client, clean_app):
    """個人事業主 has no 法人格 but can be an SME (①～⑧ 「…の会社及び個人事業主」); a group without 法人格
    is never one (「法人格のない任意団体…は対象外」)."""
    login_as(client, clean_app, Role.OFFICER)
    sole = make_corporate_number(6161)
    post_form(client, "/companies/new", {**FORM, "corporate_number": sole, "legal_form": "sole_proprietor",
                                         "capital": ""})
    company = _company(clean_app, corporate_number=sole)
    page = client.get(f"/companies/{company.id}").text
    assert "個人事業主" in page and "中小企業等に該当します" in page
    group = make_corporate_number(7171)
    post_form(client, "/companies/new", {**FORM, "corporate_number": group, "legal_form": "unincorporated"})
    company = _company(clean_app, corporate_number=group)
    page = client.get(f"/companies/{company.id}").text
    assert "法人格のない任意団体は中小企業等の対象外です" in page


def test_a_fact_on_a_companys_finances_is_recorded_by_the_officer_and_fails_the_rule(clean_app):
    """000 応募要件(6)・002 2.(5): the officer records a 再生手続開始の申立て on the company; a case
    with the rule then finds the company not eligible, naming the fact."""
    from tender.companies.models import CreditEvent
    from tender.notices.models import ProcurementCase
    from tests.helpers import email_of, login, make_case, make_user

    officer_id = make_user(clean_app, Role.OFFICER)
    case_id = make_case(clean_app, officer_id, rules=[("sound_finances", {})])
    company = make_company(clean_app, name="再生申立株式会社")
    with clean_app.app_context():
        published = db.session.get(ProcurementCase, case_id).published_at
    officer = clean_app.test_client()
    login(officer, email_of(clean_app, officer_id))
    url = f"/companies/{company}/credit-events/new"
    bad = post_form(officer, url, {"kind": "rumour", "starts_on": "2026-11-01", "ends_on": "", "reason": "x"})
    assert bad.status_code == 200 and "選択肢が正しくありません。" in bad.text
    backwards = post_form(officer, url, {"kind": "civil_rehabilitation", "starts_on": "2026-11-01",
                                         "ends_on": "2026-10-01", "reason": "x"})
    assert "解消した日は発生した日以降にしてください。" in backwards.text
    with clean_app.app_context():
        assert db.session.execute(select(CreditEvent)).first() is None
    start = (published or datetime(2026, 1, 1)).date() - timedelta(days=10)
    done = post_form(officer, url, {"kind": "civil_rehabilitation", "starts_on": start.isoformat(), "ends_on": "",
                                    "reason": "東京地裁に申立て"})
    assert done.status_code == 302
    page = officer.get(f"/companies/{company}").text
    assert "民事再生法に基づく再生手続開始の申立て" in page and "解消の記録なし" in page
    assert events(clean_app, "credit_event.created")
    bidder = clean_app.test_client()
    login(bidder, email_of(clean_app, make_user(clean_app, Role.BIDDER, company_id=company)))
    notice = bidder.get(f"/notices/{case_id}").text
    section = notice.split('id="take-part"')[1].split("</section>")[0]
    assert 'badge--danger">不適合' in section and "民事再生法に基づく再生手続開始の申立て" in section
    # The company sees the fact on its page but cannot add or change one.
    assert bidder.get(url).status_code == 403


def test_a_qualification_under_review_is_marked_and_granted_with_its_day(client, clean_app):
    """入札心得第9条: the officer records a qualification as 申請中, then, when the result comes, the
    day it was granted — which the award compares with the opening."""
    company = make_company(clean_app)
    with freeze_time("2026-11-22 10:00:00"):
        login_as(client, clean_app, Role.OFFICER)
        base = {"category": "services", "grade": "B", "regions": ["関東・甲信越"], "valid_from_fy": "2025",
                "valid_to_fy": "2027", "certificate_number": ""}
        both = post_form(client, f"/companies/{company}/qualifications/new",
                         {**base, "pending": "y", "granted_on": "2026-11-20"})
        assert "申請中の資格には、認められた日を入れられません" in both.text
        assert post_form(client, f"/companies/{company}/qualifications/new", {**base, "pending": "y"}).status_code == 302
        assert 'badge--warning">申請中' in client.get(f"/companies/{company}").text
        with clean_app.app_context():
            q = db.session.execute(select(Qualification)).scalar_one()
            assert q.pending and q.granted_on is None
        url = f"/companies/{company}/qualifications/{q.id}"
        no_day = post_form(client, url, base)
        assert "資格が認められた日（結果の通知日）を入力してください" in no_day.text
        with clean_app.app_context():
            assert db.session.get(Qualification, q.id).pending
        assert post_form(client, url, {**base, "granted_on": "2026-11-21"}).status_code == 302
        page = client.get(f"/companies/{company}").text
    with clean_app.app_context():
        q = db.session.get(Qualification, q.id)
        assert not q.pending and q.granted_on == date(2026, 11, 21)
    assert "令和8年11月21日 認定" in page
    assert [e for e in events(clean_app, "qualification.updated")]

"""Fictional demo data: an authority, four companies and one user of each role.

Every name here is invented. Later features extend ``load_demo`` so that the demo always
shows every feature. Dates are relative to today, so the demo stays meaningful.
"""
from __future__ import annotations

from datetime import timedelta

from tender import clock
from tender.accounts.models import Role
from tender.accounts.operations import create_user
from tender.audit.operations import apply_changes
from tender.companies.models import Company, CompanyContact, Qualification, QualificationCategory, Suspension
from tender.companies.operations import save_company, save_contact, save_qualification, save_suspension
from tender.extensions import db
from tender.organisations.models import Authority, Department, DepartmentContact
from tender.rules.calendar import fiscal_year
from tender.rules.corporate_number import corporate_number_check_digit

DEMO_PASSWORD = "Tender-Demo-2026!"


def corporate_number(base12: str) -> str:
    return f"{corporate_number_check_digit(base12)}{base12}"


COMPANIES = [
    # name, kana, base of 法人番号, address, rep title, rep name, capital, staff, industry, grade, regions
    ("株式会社みらいシステムズ", "みらいしすてむず", "010401000001", "東京都千代田区丸の内九丁目1番1号",
     "代表取締役", "青木 誠", 50_000_000, 120, "software", "A", ["関東・甲信越", "近畿"]),
    ("合同会社さくらデータ", "さくらでーた", "011001000002", "神奈川県横浜市中区海岸通十丁目2番3号",
     "代表社員", "石井 桜", 3_000_000, 18, "software", "C", ["関東・甲信越"]),
    ("東都情報サービス株式会社", "とうとじょうほうさーびす", "010001000003", "東京都港区芝浦十一丁目4番5号",
     "代表取締役社長", "上田 大輔", 300_000_000, 850, "services", "B", ["関東・甲信越", "東海・北陸"]),
    ("北辰コンサルティング株式会社", "ほくしんこんさるてぃんぐ", "043001000004", "北海道札幌市中央区北十条西九丁目6番",
     "代表取締役", "遠藤 直樹", 10_000_000, 9, "services", "D", ["北海道", "東北"]),
]


def load_demo() -> None:
    today = clock.today_jst()
    fy = fiscal_year(today)

    authority = Authority()
    apply_changes(authority, {"name": "独立行政法人デジタル調達推進機構", "contracting_officer": "理事長 佐藤 一郎",
                              "postal_code": "100-0099", "address": "東京都千代田区霞が関九丁目9番9号"},
                  ["name", "contracting_officer", "postal_code", "address"], action="authority")
    def department(name: str, phone: str, email: str) -> Department:
        dept = Department(authority=authority)
        apply_changes(dept, {"name": name, "phone": phone, "email": email}, ["name", "phone", "email"],
                      action="department")
        return dept

    contracts = department("財務部 契約課", "03-0000-1111", "keiyaku@example.jp")
    department("企画部 中小企業支援グループ", "03-0000-2222", "kikaku@example.jp")
    apply_changes(DepartmentContact(department=contracts), {"name": "高橋 美咲", "title": "契約課 主任",
                                                            "phone": "03-0000-1112", "email": "takahashi@example.jp"},
                  ["name", "title", "phone", "email"], action="department_contact", confidential={"phone", "email"})

    companies = []
    for (name, kana, base, address, rtitle, rname, capital, staff, industry, grade, regions) in COMPANIES:
        company = Company()
        save_company(company, {"name": name, "name_kana": kana, "corporate_number": corporate_number(base),
                               "address": address, "representative_title": rtitle, "representative_name": rname,
                               "capital": capital, "employees": staff, "industry": industry,
                               "phone": "03-0000-0000"})
        db.session.flush()
        save_qualification(Qualification(company_id=company.id), {
            "category": QualificationCategory.SERVICES, "grade": grade, "regions": regions,
            "valid_from_fy": fy - 1, "valid_to_fy": fy + 1, "certificate_number": f"0000{company.id:06d}"})
        save_contact(CompanyContact(company_id=company.id), {
            "name": f"{rname.split()[0]} 担当", "title": "営業部", "phone": "03-0000-9999",
            "email": f"contact{company.id}@example.com"})
        companies.append(company)

    save_suspension(Suspension(company_id=companies[2].id), {
        "issuer": "独立行政法人デジタル調達推進機構", "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=120),
        "reason": "契約履行に当たり虚偽の報告を行ったため（架空の事例）。"})

    people = [
        ("officer@example.jp", "調達 花子", Role.OFFICER, {"department_id": contracts.id, "title": "契約課長"}),
        ("bidder@example.jp", "青木 誠", Role.BIDDER, {"company_id": companies[0].id, "title": "代表取締役"}),
        ("agent@example.jp", "石井 健", Role.BIDDER, {"company_id": companies[1].id, "acts_as_agent": True,
                                                        "title": "営業部長（代理人）"}),
        ("evaluator@example.jp", "審査 太郎", Role.EVALUATOR, {"title": "外部有識者"}),
        ("auditor@example.jp", "監査 次郎", Role.AUDITOR, {"title": "監査室"}),
        ("admin@example.jp", "管理 三郎", Role.ADMIN, {"title": "情報システム課"}),
    ]
    for email, name, role, extra in people:
        create_user(email=email, name=name, role=role, password=DEMO_PASSWORD, **extra)
    db.session.flush()

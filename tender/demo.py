"""Fictional demo data: an authority, four companies and one user of each role.

Every name here is invented. Later features extend ``load_demo`` so that the demo always
shows every feature. Dates are relative to today, so the demo stays meaningful.
"""
from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from tender import clock
from tender.accounts.models import Role
from tender.accounts.operations import create_user
from tender.audit.operations import apply_changes
from tender.award import operations as award
from tender.bidding import client, sealed
from tender.bidding import operations as bidding
from tender.companies.models import Company, CompanyContact, Qualification, QualificationCategory, Suspension
from tender.companies.operations import save_company, save_contact, save_qualification, save_suspension
from tender.contracts import operations as contracts
from tender.criteria.operations import apply_template, engine_criteria
from tender.evaluation import panel
from tender.extensions import db
from tender.notices import operations as notices
from tender.notices.models import ProcurementCase
from tender.organisations.models import Authority, Department, DepartmentContact
from tender.rules import contracts as rules
from tender.rules.bids import BreakdownLine
from tender.rules.calendar import (
    JST,
    add_working_days,
    fiscal_year,
    fiscal_year_end,
    to_jst,
    working_day_on_or_after,
)
from tender.rules.corporate_number import corporate_number_check_digit
from tender.rules.eligibility import RuleKind
from tender.rules.lifecycle import Procedure
from tender.sealing.operations import set_passphrase

DEMO_PASSWORD = "Tender-Demo-2026!"
#: The demo's accounts: `flask demo` lists these, never the users an administrator added later.
DEMO_EMAILS = ("officer@example.jp", "officer2@example.jp", "bidder@example.jp", "agent@example.jp",
               "toto@example.jp", "evaluator@example.jp", "evaluator2@example.jp", "auditor@example.jp",
               "admin@example.jp")
#: The demo officers' opening passphrase (開札用パスフレーズ): in real use each official has their own.
DEMO_OPENING_PASSPHRASE = "Kaisatsu-Demo-2026!"


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
        ("officer2@example.jp", "契約 次郎", Role.OFFICER, {"department_id": contracts.id, "title": "契約課 主査"}),
        ("bidder@example.jp", "青木 誠", Role.BIDDER, {"company_id": companies[0].id, "title": "代表取締役"}),
        ("agent@example.jp", "石井 健", Role.BIDDER, {"company_id": companies[1].id, "acts_as_agent": True,
                                                        "title": "営業部長（代理人）"}),
        ("toto@example.jp", "上田 大輔", Role.BIDDER, {"company_id": companies[2].id, "title": "代表取締役社長"}),
        ("evaluator@example.jp", "審査 太郎", Role.EVALUATOR, {"title": "外部有識者"}),
        ("evaluator2@example.jp", "評価 良子", Role.EVALUATOR, {"title": "情報システム課 課長補佐"}),
        ("auditor@example.jp", "監査 次郎", Role.AUDITOR, {"title": "監査室"}),
        ("admin@example.jp", "管理 三郎", Role.ADMIN, {"title": "情報システム課"}),
    ]
    assert tuple(p[0] for p in people) == DEMO_EMAILS
    users = {}
    for email, name, role, extra in people:
        users[email] = create_user(email=email, name=name, role=role, password=DEMO_PASSWORD, **extra)
    db.session.flush()

    for email in ("officer@example.jp", "officer2@example.jp"):
        set_passphrase(users[email], DEMO_OPENING_PASSPHRASE, now=clock.now())
    load_cases(users["officer@example.jp"], users["bidder@example.jp"], users["agent@example.jp"], companies, contracts)
    load_bids(users, companies)
    load_evaluations(users, companies)
    load_contracts(users, companies)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), JST)


def _schedule(start: date, *, briefing: bool = True) -> dict:
    """A schedule laid out from ``start`` (the notice date), on working days."""
    wd = lambda n: add_working_days(start, n)  # noqa: E731
    return {
        "notice_on": start,
        "briefing_at": _at(wd(4), 14) if briefing else None, "briefing_place": "オンライン（Teams）" if briefing else None,
        "briefing_registration_until": _at(wd(3), 17) if briefing else None,
        "questions_from": _at(start, 10), "questions_until": _at(wd(8), 17),
        "submissions_from": _at(wd(1), 9), "submission_deadline": _at(wd(15), 12),
        "opening_at": _at(wd(17), 10), "opening_place": "本館3階 入札室",
        "contract_from": working_day_on_or_after(wd(17) + timedelta(days=30)),
        "contract_to": fiscal_year_end(fiscal_year(wd(17) + timedelta(days=30))),
    }


def _case(officer, dept, values: dict, when: datetime, *, docs=(), rules=(), publish=True):
    base = {"procedure": Procedure.COMPREHENSIVE_ADDITION, "department_id": dept.id, "place_of_performance": "発注者の指定する場所",
            "contact_text": "財務部 契約課 高橋（03-0000-1112、keiyaku@example.jp）", "bid_bond": "全額免除",
            "performance_bond": "全額免除", "payment_terms": "検査合格後、適法な支払請求書を受理した日の属する月の翌月末日までに支払う。",
            "price_basis": "estimated", "estimated_price_tax_included": True, "hearing_at": None,
            # Both demo officers of the department open together (2 of 2).
            "opening_officials": [u.id for u in notices.eligible_officials(None) if u.department_id == dept.id],
            "opening_threshold": 2}
    case = notices.create_case(base | values, by=officer, now=when)
    for name, copies, mandatory in docs or DOCUMENTS:
        notices.add_required_document(case, name, copies, mandatory, None, by=officer,
                                      on_screen=name.startswith("入札書"))
    for kind, params in rules:
        notices.add_rule(case, RuleKind(kind), params, by=officer)
    if case.procedure.has_technical_evaluation:
        apply_template(case, by=officer)
    if publish:
        notices.publish(case, by=officer, now=when)
    return case


DOCUMENTS = [("入札書（様式3）", 1, True), ("委任状（様式2）", 1, False), ("提案書", 10, True),
             ("全省庁統一資格 資格審査結果通知書（写）", 1, True)]
QUALIFIED = [("unified_qualification", {"category": "services", "grades": ["A", "B", "C"], "regions": ["関東・甲信越"],
                                        "fiscal_year": None}), ("no_suspension", {}), ("declarations", {}),
             ("sound_finances", {})]


def load_cases(officer, bidder, agent, companies, dept) -> None:
    now = clock.now()
    today = to_jst(now).date()

    # 公告中（総合評価）: questions answered, a briefing registration, bidders registered.
    start = today - timedelta(days=3)
    live = _case(officer, dept, {
        "title": "令和8年度 電子調達システム運用保守業務", "description": DESCRIPTION, "estimated_price": 48_000_000,
        **_schedule(start)}, _at(start, 9), rules=QUALIFIED)
    notices.register(live, companies[0], by=bidder, now=_at(start, 11))
    q = notices.ask(live, companies[0], {"document": "仕様書", "page": "5", "item": "3.2 運用時間",
                                         "body": "夜間・休日の障害対応は、オンコールによる対応でよいでしょうか。"},
                    by=bidder, now=_at(start, 15))
    notices.answer(q, "はい。障害発生から1時間以内に対応を開始できる体制であれば、オンコールによる対応で差し支えありません。",
                   by=officer, now=_at(add_working_days(start, 1), 10))
    notices.ask(live, companies[1], {"document": "入札説明書", "page": "12", "item": "提出書類",
                                     "body": "提案書の電子データはPDFのみでよいでしょうか。"}, by=agent, now=_at(start, 16))
    notices.register_for_briefing(live, companies[0], [{"name": "青木 誠", "email": "aoki@example.com"}],
                                  by=bidder, now=_at(start, 12))

    # 公告中（事前確認公募）: one participation confirmation waiting for the officer's decision.
    pc_start = today - timedelta(days=2)
    prior = _case(officer, dept, {
        "title": "ポータルサイト運用・保守業務（事前確認公募）", "procedure": Procedure.PRIOR_CONFIRMATION,
        "description": "既存ポータルサイトの運用・保守。設計書等の閲覧には秘密保持誓約書の提出が必要です。",
        "price_basis": "ceiling", "budget_ceiling": 30_000_000, "planned_party_id": companies[0].id,
        **_schedule(pc_start, briefing=False), "opening_at": None},
        _at(pc_start, 9), docs=[("参加意思確認書", 1, True), ("会社概要", 1, True), ("情報取扱者名簿", 1, True),
                                ("情報管理体制図", 1, True)],
        rules=[("unified_qualification", {"category": "services", "grades": ["A", "B", "C", "D"], "regions": [],
                                          "fiscal_year": None}), ("nda_and_viewing", {}), ("declarations", {})])
    notices.submit_participation(
        prior, companies[1], business_summary="ウェブサイトの構築・運用を主たる事業とする。", track_record="自治体ポータルの運用 3件",
        handlers=[{"name": "石井 健", "address": "神奈川県横浜市中区1-2-3", "birth_date": "1985-06-15", "department": "運用部",
                   "position": "部長", "nationality": "日本", "passport_number": ""}],
        structure=[{"role": "情報管理責任者", "name": "石井 健", "department": "運用部"}],
        qualification_file=None, declarations_affirmed=True, by=agent, now=_at(add_working_days(pc_start, 1), 11))

    # 下書き
    _case(officer, dept, {"title": "令和9年度 庁舎清掃業務", "procedure": Procedure.LOWEST_PRICE,
                          "description": "本館・別館の日常清掃および定期清掃。", "estimated_price": 9_600_000,
                          **_schedule(today + timedelta(days=14))}, now, publish=False)

    # 受付終了（最低価格）: its deadline has passed; the opening comes next (sealed bids).
    past = today - timedelta(days=40)
    closed = _case(officer, dept, {"title": "会議室AV機器更新作業", "procedure": Procedure.LOWEST_PRICE,
                                   "description": "会議室の映像音響機器の更新。", "estimated_price": 7_700_000,
                                   **_schedule(past, briefing=False)}, _at(past, 9), rules=QUALIFIED)
    del closed  # its sealed bids come in load_bids, which then closes it

    # 取り止め
    dropped = _case(officer, dept, {"title": "広報誌デザイン制作業務", "procedure": Procedure.LOWEST_PRICE,
                                    "description": "広報誌（年4回）のデザイン制作。", "estimated_price": 2_200_000,
                                    **_schedule(today - timedelta(days=5), briefing=False)}, _at(today - timedelta(days=5), 9))
    notices.cancel(dropped, "予算措置が見送られたため、本件の調達を取り止めます。", by=officer, now=_at(today - timedelta(days=1), 9))

    # 随意契約へ移行（事前確認公募で応募なし）
    old = today - timedelta(days=45)
    concluded = _case(officer, dept, {
        "title": "統計データ分析基盤の保守（事前確認公募）", "procedure": Procedure.PRIOR_CONFIRMATION,
        "description": "統計データ分析基盤の保守。", "price_basis": "ceiling", "budget_ceiling": 12_000_000,
        "planned_party_id": companies[0].id, **_schedule(old, briefing=False), "opening_at": None},
        _at(old, 9), docs=[("参加意思確認書", 1, True)])
    notices.close_submissions(concluded, by=officer, now=now)
    notices.conclude_prior_confirmation(concluded, by=officer, now=now)


DESCRIPTION = """本業務は、当機構の電子調達システムについて、次の運用保守を行うものである。
1. システムの監視および障害対応（平日9時〜18時、夜間・休日はオンコール）
2. ソフトウェアの更新・脆弱性対応
3. 月次の運用報告（翌月10日まで）
4. 年度末の運用評価報告書の作成
詳細は仕様書による。"""


#: A tiny valid PDF standing in for proposals and certificates in the demo.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _demo_bid(case, company, user, amount: int, lottery: str, when: datetime, sheet_pages: dict | None = None):
    """A bid as a bidder's browser sends it: sealed on the client side (tender.bidding.client)."""
    def pdf(name: str) -> FileStorage:
        return FileStorage(stream=io.BytesIO(DEMO_PDF), filename=name, content_type="application/pdf")

    labour = amount * 7 // 10
    lines = [BreakdownLine("作業員人件費", 10, "人月", labour // 10), BreakdownLine("諸経費", 1, "式", amount - labour // 10 * 10)]
    files = {doc.id: pdf(f"{doc.name}.pdf") for doc in bidding.upload_slots(case, user) if doc.mandatory}
    items = bidding.sheet_items(case, bidding.current_round(case))
    marks = {i.item_id: "○" for i in items if i.section == "compliance"}
    pages = {i.item_id: str(10 + n) for n, i in enumerate(items) if i.section != "compliance"}
    pages.update(sheet_pages or {})
    contents = {f"doc_{doc_id}": DEMO_PDF for doc_id in files}
    if user.acts_as_agent:
        contents["power_of_attorney"] = DEMO_PDF
    ticket = bidding.ticket_for(case, company)
    done = client.seal_bid(bidding.price_key(case, ticket.round_number).public_key, ticket, case.reference, amount=amount,
                           lottery_number=lottery, breakdown=lines, files=contents,
                           sheet={"marks": marks, "pages": pages} if items else None)
    return bidding.submit(case, company, user, ticket=sealed.issue(ticket), sealed_bid=done.envelope,
                          fingerprint=done.fingerprint, files=files,
                          power_of_attorney=pdf("委任状.pdf") if user.acts_as_agent else None,
                          sheet_marks=marks, sheet_pages=pages, now=when)


def _open(case, officer, second, users, *, witness_staff: bool, attendees: list, now: datetime) -> None:
    """The two-person opening with the demo officers' opening passphrases."""
    witness = users["auditor@example.jp"]
    bidding.request_opening(case, by=officer, now=now, witness_name="" if witness_staff else "総務課 岡田 恵",
                            witness_kind="staff" if witness_staff else "bidder",
                            witness_user_id=witness.id if witness_staff else None, attendee_ids=attendees,
                            passphrase=DEMO_OPENING_PASSPHRASE)
    bidding.confirm_opening(case, by=second, now=now + timedelta(minutes=5), passphrase=DEMO_OPENING_PASSPHRASE)


def _release_proposals(case, officer, second, now: datetime) -> None:
    bidding.release_proposals(case, by=officer, now=now, passphrase=DEMO_OPENING_PASSPHRASE)
    bidding.release_proposals(case, by=second, now=now + timedelta(minutes=5), passphrase=DEMO_OPENING_PASSPHRASE)


def load_bids(users: dict, companies: list) -> None:
    """Sealed bids before an opening, and a case opened with a witness, for the demo."""
    officer, second = users["officer@example.jp"], users["officer2@example.jp"]
    cases = {c.title: c for c in db.session.execute(select(ProcurementCase)).scalars()}

    # Sealed, before the deadline: nobody can read these amounts.
    live = cases["令和8年度 電子調達システム運用保守業務"]
    _demo_bid(live, companies[0], users["bidder@example.jp"], 41_800_000, "314", live.submissions_from + timedelta(hours=2))

    # Sealed, the deadline passed, the opening still to come.
    closed = cases["会議室AV機器更新作業"]
    for company, user, amount, lottery in [(companies[0], users["bidder@example.jp"], 6_800_000, "271"),
                                           (companies[1], users["agent@example.jp"], 6_500_000, "828")]:
        _demo_bid(closed, company, user, amount, lottery, closed.submissions_from + timedelta(hours=3))
    notices.close_submissions(closed, by=officer, now=clock.now())

    # Opened with a witness: a valid winner, a bid over the ceiling and an unqualified bidder.
    start = clock.today_jst() - timedelta(days=35)
    opened = _case(officer, officer.department, {
        "title": "複合機保守業務（令和8年度下期）", "procedure": Procedure.LOWEST_PRICE,
        "description": "複合機20台の保守。", "estimated_price": 3_300_000, **_schedule(start, briefing=False)},
        _at(start, 9), rules=QUALIFIED)
    for company, user, amount, lottery in [(companies[0], users["bidder@example.jp"], 2_950_000, "105"),
                                           (companies[1], users["agent@example.jp"], 3_100_000, "660"),
                                           (companies[2], users["toto@example.jp"], 2_700_000, "999")]:
        _demo_bid(opened, company, user, amount, lottery, opened.submissions_from + timedelta(hours=1))
    _open(opened, officer, second, users, witness_staff=True, attendees=[companies[0].id], now=opened.opening_at)


def load_evaluations(users: dict, companies: list) -> None:
    """総合評価 cases for the evaluators and the award: one waiting for the evaluators'
    declarations, one evaluated, signed off and opened, waiting for the officer's award."""
    officer, second = users["officer@example.jp"], users["officer2@example.jp"]
    chair, member = users["evaluator@example.jp"], users["evaluator2@example.jp"]
    bidders = [(companies[0], users["bidder@example.jp"]), (companies[1], users["agent@example.jp"])]

    # Deadline passed, evaluators assigned, nobody has declared yet.
    start = clock.today_jst() - timedelta(days=24)
    waiting = _case(officer, officer.department, {
        "title": "統計データ利活用支援業務", "description": "統計データの整備と利活用の支援。", "estimated_price": 16_500_000,
        **_schedule(start, briefing=False), "opening_at": _at(clock.today_jst() + timedelta(days=14), 10)},
        _at(start, 9), rules=QUALIFIED)
    for (company, user), amount, lottery in zip(bidders, (14_200_000, 13_900_000), ("404", "512")):
        _demo_bid(waiting, company, user, amount, lottery, waiting.submissions_from + timedelta(hours=2))
    _release_proposals(waiting, officer, second, waiting.submission_deadline + timedelta(minutes=30))
    for evaluator, is_chair in ((chair, True), (member, False)):
        panel.assign(waiting, evaluator, chair=is_chair, by=officer, now=waiting.submission_deadline + timedelta(hours=1))

    # Evaluated, signed off and opened: the award page proposes the winner.
    start = clock.today_jst() - timedelta(days=40)
    case = _case(officer, officer.department, {
        "title": "ウェブサイト改修業務（アクセシビリティ対応）", "description": "機構ウェブサイトの改修。",
        "estimated_price": 22_000_000, **_schedule(start, briefing=False)}, _at(start, 9), rules=QUALIFIED)
    bids = [_demo_bid(case, company, user, amount, lottery, case.submissions_from + timedelta(hours=3))
            for (company, user), amount, lottery in zip(bidders, (18_500_000, 17_200_000), ("123", "789"))]
    when = case.submission_deadline + timedelta(days=1)
    _release_proposals(case, officer, second, when - timedelta(hours=1))
    rows = [panel.assign(case, chair, chair=True, by=officer, now=when),
            panel.assign(case, member, chair=False, by=officer, now=when)]
    for row, user in zip(rows, (chair, member)):
        panel.declare(row, conflict=False, detail="", by=user, now=when)
    criteria = engine_criteria(case)

    def marks(ranks: str, certifications: list[str]) -> dict:
        out, i = {}, 0
        for c in criteria:
            if c.kind == "mandatory":
                out[c.id] = "met"
            elif c.kind == "ranked":
                out[c.id] = ranks[i % len(ranks)]
                i += 1
            else:
                out[c.id] = certifications
        return out

    given = {bids[0].id: {chair.id: marks("SAAB", ["eruboshi_3"]), member.id: marks("SABA", ["eruboshi_3"])},
             bids[1].id: {chair.id: marks("ABBB", ["youth_yell"]), member.id: marks("ABBC", ["youth_yell"])}}
    for row, user in zip(rows, (chair, member)):
        for bid in bids:
            panel.save_marks(row, bid, {k: (v, "提案書の該当頁を確認") for k, v in given[bid.id][user.id].items()},
                             by=user, now=when + timedelta(hours=2))
        panel.submit_marks(row, by=user, now=when + timedelta(hours=3))
    panel.add_hearing_note(case, bids[0], "実施体制について、責任者から補足説明を受けた。", None, by=officer,
                           now=when + timedelta(hours=4))
    for bid in bids:
        agreed = dict(given[bid.id][chair.id])
        panel.record_consensus(case, bid, {k: (v, "合議により審査委員長の評価を採用") for k, v in agreed.items()}, by=chair,
                               now=when + timedelta(hours=5))
    panel.sign_off(case, by=chair, now=when + timedelta(hours=6))
    _open(case, officer, second, users, witness_staff=False, attendees=[companies[0].id, companies[1].id],
          now=case.opening_at)


def load_contracts(users: dict, companies: list) -> None:
    """A running contract (two fiscal years of operation and maintenance): reports delivered and
    passed, one late (damages), one failed and delivered again, one waiting for inspection, one
    overdue, an invoice paid and one whose payment is due; plus the usual schedule ahead."""
    officer, second = users["officer@example.jp"], users["officer2@example.jp"]
    today = clock.today_jst()
    start = today - timedelta(days=260)
    schedule = _schedule(start, briefing=False)
    schedule["contract_to"] = fiscal_year_end(fiscal_year(schedule["contract_from"]) + 1)
    case = _case(officer, officer.department, {
        "title": "基幹業務システム運用・保守業務", "procedure": Procedure.LOWEST_PRICE,
        "description": "基幹業務システムの運用・保守（2年度）。", "estimated_price": 26_400_000, **schedule},
        _at(start, 9), rules=QUALIFIED)
    for company, user, amount, lottery in [(companies[0], users["bidder@example.jp"], 23_000_000, "417"),
                                           (companies[1], users["agent@example.jp"], 24_500_000, "932")]:
        _demo_bid(case, company, user, amount, lottery, case.submissions_from + timedelta(hours=2))
    _open(case, officer, second, users, witness_staff=True, attendees=[companies[0].id], now=case.opening_at)
    decided = case.opening_at + timedelta(hours=2)
    decision = award.decide_award(case, "予定価格の制限の範囲内で最低の価格をもって入札した者を落札者とする（入札心得第14条）。",
                                  by=officer, now=decided)
    contract = contracts.create_draft(case, decision, by=officer, now=decided + timedelta(hours=1))
    signed_on = add_working_days(to_jst(decided).date(), 2)
    contracts.sign(contract, f"R{fiscal_year(signed_on) - 2018}-契-0042", signed_on, by=officer, now=_at(signed_on, 15))
    contracts.publish(contract, signed_on + timedelta(days=20), by=officer, now=_at(signed_on + timedelta(days=20), 10))
    for rule in (rules.DueRule(rules.AFTER_CONTRACT, "年間計画表及びサポート体制図", days=7),
                 rules.DueRule(rules.MONTHLY, "作業実績報告書", days=10, fiscal_year_last_month_on_month_end=True),
                 rules.DueRule(rules.QUARTERLY, "運用実績報告書", day=7, december_day=10),
                 rules.DueRule(rules.ANNUAL, "完了届", month=3, day=31),
                 rules.DueRule(rules.INCIDENT, "障害復旧作業報告書", weeks=2)):
        contracts.add_rule(contract, rule, by=officer, now=_at(signed_on, 16))
    incident = next(r for r in contract.rules if r.kind == rules.INCIDENT)
    incident_day = contract.period_from + timedelta(days=45)
    contracts.record_incident(contract, incident, incident_day, by=officer, now=_at(incident_day, 18))

    contractor = users["bidder@example.jp"]
    past = [d for d in contract.deliverables if d.due_on < today]
    for n, item in enumerate(past):
        if n == len(past) - 1:
            break  # the latest is overdue: not delivered yet
        recent = item.due_on > today - timedelta(days=12)  # too recent to show a late delivery or a re-delivery
        late = n == 2 and not recent
        day = item.due_on + timedelta(days=3 if late else 0)
        delivery = contracts.deliver(item, "電子メールで提出（PDF）", [], by=contractor, now=_at(day, 11))
        if n == len(past) - 2 or recent:
            continue  # delivered, waiting for the inspection (or deemed passed when its period ran out)
        if n == 4:  # failed, then delivered again
            contracts.inspect(delivery, False, day + timedelta(days=2), "障害対応の経過の記載が不足している。",
                              by=officer, now=_at(day + timedelta(days=2), 15))
            day = day + timedelta(days=5)
            delivery = contracts.deliver(item, "指摘箇所を修正して再提出", [], by=contractor, now=_at(day, 11))
        contracts.inspect(delivery, True, day + timedelta(days=3), "", by=officer, now=_at(day + timedelta(days=3), 15))
    monthly = contract.amount_total // 24
    passed = [d for d in contract.deliverables if d.title.startswith("作業実績報告書")
              and contracts.accepted_delivery(d, today) is not None]
    def accepted_on(item):
        delivery = contracts.accepted_delivery(item, today)
        return delivery.inspected_on or delivery.inspection_due

    if len(passed) >= 2:
        first_day = accepted_on(passed[0]) + timedelta(days=2)
        paid = contracts.receive_invoice(contract, monthly, first_day, passed[0], by=officer, now=_at(first_day, 10))
        contracts.pay(paid, rules.payment_processing_day(paid.due_on), by=officer, now=_at(paid.due_on, 10))
        recent = min(today, accepted_on(passed[-1]) + timedelta(days=2))
        contracts.receive_invoice(contract, monthly, recent, passed[-1], by=officer, now=_at(recent, 10))

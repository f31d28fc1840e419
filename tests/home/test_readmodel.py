"""A contractor's home lists, read already made (issue 16; tender/home/readmodel.py): one statement
while they are right, made afresh as soon as a write or the clock changes them, and never kept
from a write that committed while they were being made."""
import re
from datetime import UTC, date, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select, update

from tender.extensions import db
from tender.home import deadlines, readmodel, todo
from tender.home.models import HomeSnapshot
from tender.notices.models import CaseRegistration
from tests.helpers import make_company, post_form
from tests.scenario import client_of, submit
from tests.web.test_query_counts import _reading, counted


def _tasks(client) -> list[str]:
    html = client.get("/home").text
    section = html.split('id="tasks"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="task__what" href="[^"]+">([^<]+)</a>', section)


def _register(app, a, i) -> None:
    post_form(client_of(app, a["bidders"][i]), f"/notices/{a['case']}/register", {}, form_url=f"/notices/{a['case']}")


def test_a_contractors_home_is_read_in_one_statement_while_its_lists_are_right(clean_app, auction):
    a = auction
    with freeze_time(a["during"]):
        _register(clean_app, a, 0)
        bidder = client_of(clean_app, a["bidders"][0])
        first = bidder.get("/home").text  # made, and kept
        with counted(clean_app) as statements:
            again = bidder.get("/home").text
    assert again == first and "入札書の提出" in again
    assert len(_reading(statements, "home_snapshots")) == 1
    for table in ("procurement_cases", "bid_rounds", "deliverables", "contracts", "invoices", "suspensions",
                  "qualifications"):
        assert _reading(statements, table) == [], table
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_the_lists_kept_equal_the_lists_made_afresh_at_each_step(clean_app, auction):
    """Through registration, bids and a bid sent by another company, the kept lists are the live
    ones: each write that concerns the company has made them stale."""
    a = auction

    def live(i):
        with clean_app.app_context():
            return (todo.company_tasks(a["companies"][i], a["during"]),
                    deadlines.company_deadlines(a["companies"][i], a["during"].date()))

    def kept(i):
        with clean_app.app_context():
            return readmodel.company_home(a["companies"][i], a["during"], a["during"].date())[:2]

    with freeze_time(a["during"]):
        for step in (lambda: None, lambda: _register(clean_app, a, 0), lambda: _register(clean_app, a, 1),
                     lambda: submit(clean_app, a, 1, 9_000_000), lambda: submit(clean_app, a, 0, 8_000_000)):
            step()
            for i in (0, 1, 2):
                kept(i)  # made (or read) before the next step's write
                assert kept(i) == live(i)
        assert kept(0)[0] == [] and kept(1)[0] == []


def test_a_bid_task_leaves_the_home_at_its_deadline_though_nothing_was_written(clean_app, auction):
    a = auction
    with freeze_time(a["during"]):
        _register(clean_app, a, 0)
    with freeze_time(a["deadline"] - timedelta(seconds=1)):
        bidder = client_of(clean_app, a["bidders"][0])
        assert _tasks(bidder) == ["入札書の提出"]
        assert _tasks(bidder) == ["入札書の提出"]  # the kept lists
    with freeze_time(a["deadline"]):
        assert _tasks(client_of(clean_app, a["bidders"][0])) == []
    with freeze_time(a["deadline"] - timedelta(seconds=1)):  # lists made later are not shown earlier
        assert _tasks(client_of(clean_app, a["bidders"][0])) == ["入札書の提出"]


def test_lists_made_while_a_write_commits_are_not_kept(clean_app, auction, monkeypatch):
    """A visit reads the generation, makes the lists, then keeps them only if no write has raised
    it meanwhile: a registration committed in the middle is on the next visit."""
    a = auction
    company = a["companies"][0]
    made = todo.company_tasks

    def made_while_registering(company_id, now):
        tasks = made(company_id, now)
        with clean_app.app_context():  # another request: its own session and transaction
            db.session.add(CaseRegistration(case_id=a["case"], company_id=company, registered_at=now,
                                            registered_by_id=a["bidders"][0]))
            db.session.commit()
        return tasks

    reader = HomeSnapshot.reader == f"company:{company}"
    with freeze_time(a["during"]):
        with clean_app.app_context():
            readmodel.company_home(company, a["during"], a["during"].date())  # made and kept
            db.session.execute(update(HomeSnapshot).where(reader).values(generation=HomeSnapshot.generation + 1))
            db.session.commit()  # as a write that changes nothing would: the next visit makes them again
            before = db.session.execute(select(HomeSnapshot.generation).where(reader)).scalar_one()
        monkeypatch.setattr(todo, "company_tasks", made_while_registering)
        with clean_app.app_context():
            tasks = readmodel.company_home(company, a["during"], a["during"].date())[0]
        assert tasks == []  # made before the registration committed
        monkeypatch.setattr(todo, "company_tasks", made)
        with clean_app.app_context():
            row = db.session.execute(select(HomeSnapshot).where(reader)).scalar_one()
            assert row.generation == before + 1 and row.made_generation < before  # not kept
            tasks = readmodel.company_home(company, a["during"], a["during"].date())[0]
        assert [t.what for t in tasks] == ["入札書の提出"]


def test_a_company_is_never_shown_another_companys_lists(clean_app, auction):
    a = auction
    with freeze_time(a["during"]):
        _register(clean_app, a, 0)
        assert _tasks(client_of(clean_app, a["bidders"][0])) == ["入札書の提出"]
        assert _tasks(client_of(clean_app, a["bidders"][1])) == []
        assert _tasks(client_of(clean_app, a["bidders"][0])) == ["入札書の提出"]


def test_the_kept_form_gives_back_the_same_lists():
    due = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    tasks = [todo.Task("入札書の提出", "庁舎清掃業務「本館」", "/notices/1/bid", due=due, detail="参加登録した案件です。"),
             todo.Task("再度入札（第2回）", "警備業務", "/notices/2/bid", since=due - timedelta(days=1))]
    found = deadlines.Deadlines([deadlines.Deadline(date(2026, 12, 24), "納入", "月報", "保守業務", "/contracts/3#item-9", True),
                                 deadlines.Deadline(date(2027, 1, 4), "支払（予定）", "請求 1,100,000円", "保守業務",
                                                    "/contracts/3#payments", False)], more=True)
    assert readmodel.decode(readmodel.encode(tasks, found)) == (tasks, found)


def test_a_rebid_reaches_the_homes_of_the_bidders_present_as_soon_as_it_starts(clean_app, auction):
    """A new round is a write of the case, not of a company: the companies bidding in it are the
    ones concerned. Their kept lists (made at the opening) are stale the moment it starts."""
    from tests.scenario import open_over_http

    a = auction
    with freeze_time(a["during"]):
        for i, amount in enumerate([9_500_000, 9_200_000, 9_900_000]):  # all over the 予定価格
            submit(clean_app, a, i, amount)
    with freeze_time(a["opening"]):
        open_over_http(clean_app, a, attendees=a["companies"][:2])
        homes = [client_of(clean_app, user) for user in a["bidders"]]
        assert [_tasks(home) for home in homes] == [[], [], []]  # made and kept
        url = f"/cases/{a['case']}/award"
        post_form(client_of(clean_app, a["officer"]), f"{url}/rebid", {"minutes": "30", "grounds": "予定価格超過のため"},
                  form_url=url, follow=True)
        assert [_tasks(home) for home in homes] == [["再度入札（第2回）"], ["再度入札（第2回）"], []]
    with freeze_time(a["opening"] + timedelta(minutes=10)):
        homes = [client_of(clean_app, user) for user in a["bidders"]]
        post_form(homes[1], f"/notices/{a['case']}/bid/decline", {}, form_url=f"/notices/{a['case']}/bid/receipt")
        assert [_tasks(home) for home in homes] == [["再度入札（第2回）"], [], []]
        submit(clean_app, a, 0, 8_900_000, now=a["opening"] + timedelta(minutes=10))
        assert [_tasks(home) for home in homes] == [[], [], []]
    with freeze_time(a["opening"] + timedelta(minutes=31)):
        assert _tasks(client_of(clean_app, a["bidders"][0])) == []


# --- an officer's home ----------------------------------------------------------------------------

def test_an_officers_home_is_read_from_its_kept_rows_while_its_lists_are_right(clean_app, auction):
    a = auction
    with freeze_time(a["during"]):
        submit(clean_app, a, 0, 9_000_000)
    with freeze_time(a["opening"]):
        officer = client_of(clean_app, a["officer"])
        first = officer.get("/home").text
        with counted(clean_app) as statements:
            again = officer.get("/home").text
    assert again == first and "開札（第1回）" in again
    assert len(_reading(statements, "home_snapshots")) == 2  # the officer's lists, the authority's facts
    for table in ("procurement_cases", "bid_rounds", "key_shares", "participations", "contracts", "deliverables",
                  "companies", "suspensions"):
        assert _reading(statements, table) == [], table


def test_the_opening_is_on_the_officers_home_the_instant_the_deadline_has_passed(clean_app, auction):
    a = auction
    with freeze_time(a["during"]):
        submit(clean_app, a, 0, 9_000_000)
    with freeze_time(a["deadline"]):
        officer = client_of(clean_app, a["officer"])
        assert _tasks(officer) == []  # not past yet: kept until it is
        assert _tasks(officer) == []
    with freeze_time(a["deadline"] + timedelta(microseconds=1)):
        assert _tasks(officer) == ["開札（第1回）"]


def test_a_companys_new_name_is_on_the_officers_home_at_once(clean_app, awarded):
    from tender.companies.models import Company
    from tests.scenario import draft

    t = awarded
    with freeze_time(t["decided_at"] + timedelta(minutes=1)):
        draft(clean_app, t)
        officer = client_of(clean_app, t["officer"])
        assert "入札B株式会社の記名押印した契約書" in officer.get("/home").text  # made and kept
        with clean_app.app_context():
            db.session.get(Company, t["winner"]).name = "新社名株式会社"
            db.session.commit()
        home = officer.get("/home").text
    assert "新社名株式会社の記名押印した契約書" in home and "入札B株式会社" not in home


def test_a_log_in_does_not_make_anyones_lists_stale(clean_app, auction):
    """A log-in writes its user (the failed count, the time): not a rename, so the other
    officials' kept lists stay."""
    a = auction
    with freeze_time(a["opening"]):
        client_of(clean_app, a["officer"]).get("/home")
        with clean_app.app_context():
            before = db.session.execute(select(HomeSnapshot.generation, HomeSnapshot.made_generation)
                                        .where(HomeSnapshot.reader == f"user:{a['officer']}")).one()
        client_of(clean_app, a["second"]).get("/home")  # logs in: writes the second official's row
        with clean_app.app_context():
            after = db.session.execute(select(HomeSnapshot.generation, HomeSnapshot.made_generation)
                                       .where(HomeSnapshot.reader == f"user:{a['officer']}")).one()
    assert tuple(after) == tuple(before) and after.generation == after.made_generation


def test_a_renamed_official_is_named_on_the_others_homes_at_once(clean_app, auction):
    from tender.accounts.models import User
    from tests.scenario import request_opening

    a = auction
    with freeze_time(a["during"]):
        submit(clean_app, a, 0, 9_000_000)
    request_opening(clean_app, a["case"], a["officer"], a["opening"] + timedelta(minutes=1))
    with freeze_time(a["opening"] + timedelta(minutes=2)):
        second = client_of(clean_app, a["second"])
        assert "さんが開札を求めています" in second.get("/home").text
        with clean_app.app_context():
            db.session.get(User, a["officer"]).name = "改名 太郎"
            db.session.commit()
        assert "改名 太郎さんが開札を求めています" in second.get("/home").text


def test_a_companys_card_and_the_authoritys_facts_move_with_their_writes(clean_app, auction):
    """A suspension is on the company's card and in every officer's list at once; a new company is
    counted at once; a suspended company's new name is shown at once."""
    from tender.companies.models import Company, Qualification, QualificationCategory, Suspension

    a = auction
    with freeze_time(a["during"]):
        bidder, officer = client_of(clean_app, a["bidders"][0]), client_of(clean_app, a["officer"])
        mine, theirs = bidder.get("/home").text, officer.get("/home").text  # made and kept
        assert "指名停止中：" not in mine and "現在の指名停止" not in theirs
        count = re.search(r'stat__value">(\d+)<small> 社', theirs).group(1)
        with clean_app.app_context():
            today = a["during"].date()
            db.session.add(Suspension(company_id=a["companies"][0], issuer="国土交通省", starts_on=today,
                                      ends_on=today + timedelta(days=30), reason="試験"))
            db.session.add(Qualification(company_id=a["companies"][0], category=QualificationCategory.SERVICES,
                                         grade="B", regions=["関東・甲信越"], valid_from_fy=2025, valid_to_fy=2027))
            db.session.commit()
        mine, theirs = bidder.get("/home").text, officer.get("/home").text
        assert "指名停止中：国土交通省" in mine and "B等級" in mine
        assert "現在の指名停止" in theirs and "入札A株式会社" in theirs
        make_company(clean_app, name="新規登録株式会社")
        theirs = officer.get("/home").text
        assert re.search(r'stat__value">(\d+)<small> 社', theirs).group(1) == str(int(count) + 1)
        with clean_app.app_context():
            db.session.get(Company, a["companies"][0]).name = "改称A株式会社"
            db.session.commit()
        theirs = officer.get("/home").text
        assert "改称A株式会社" in theirs and "入札A株式会社" not in theirs


def test_lists_kept_by_other_code_are_made_again_not_read(clean_app, auction):
    """After a deploy the kept lists may be in another form or by other rules: they are made again
    (a form this code cannot read had made the page fail)."""
    a = auction
    with freeze_time(a["during"]):
        _register(clean_app, a, 0)
        bidder = client_of(clean_app, a["bidders"][0])
        assert _tasks(bidder) == ["入札書の提出"]
        with clean_app.app_context():
            db.session.execute(update(HomeSnapshot).where(HomeSnapshot.reader == f"company:{a['companies'][0]}")
                               .values(payload='0123456789abcdef\n{"tasks": []}'))
            db.session.commit()
        page = bidder.get("/home")
        assert page.status_code == 200 and _tasks(bidder) == ["入札書の提出"]
        with clean_app.app_context():
            kept = db.session.execute(select(HomeSnapshot.payload).where(
                HomeSnapshot.reader == f"company:{a['companies'][0]}")).scalar_one()
        assert kept.startswith(clean_app.extensions["home_lists_version"] + "\n")


def test_the_version_the_lists_are_kept_under_is_fixed_when_the_application_starts(clean_app, auction, monkeypatch):
    """A worker still running the old code after the files were replaced keeps its lists under the
    old code's version: the new code never reads them as its own."""
    a = auction
    started = clean_app.extensions["home_lists_version"]
    assert started == readmodel.lists_version(clean_app.config.get("APPLICATION_ROOT") or "/")
    monkeypatch.setattr(readmodel, "code_version", lambda: "replaced-on-disk")
    with freeze_time(a["during"]):
        _register(clean_app, a, 0)
        assert _tasks(client_of(clean_app, a["bidders"][0])) == ["入札書の提出"]
    with clean_app.app_context():
        kept = db.session.execute(select(HomeSnapshot.payload).where(
            HomeSnapshot.reader == f"company:{a['companies'][0]}")).scalar_one()
    assert kept.startswith(started + "\n")
    assert readmodel.lists_version("/") != started and readmodel.lists_version("/tender") != readmodel.lists_version("/")


def test_writers_that_concern_the_home_lists_take_turns_until_they_commit(clean_app, auction):
    """Each writer takes the same row lock before it works out whom its rows concern, and holds it
    to its commit (a second writer committing in between could otherwise go unseen)."""
    a = auction
    with counted(clean_app) as statements, freeze_time(a["during"]):
        _register(clean_app, a, 0)
    turns = [s for s in statements if "home_snapshots" in s and s.lstrip().upper().startswith("INSERT")]
    assert len(turns) == 2  # the turn, then the readers concerned
    assert statements.index(turns[0]) < statements.index(turns[1])

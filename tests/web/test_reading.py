"""Two helpers that keep a page's reading short (issue 16): ``among`` (one array parameter for a
long list of ids on PostgreSQL) and ``read_once`` (a GET asks the database a question once)."""
from __future__ import annotations

from sqlalchemy import event, select

from tender.companies.models import Company
from tender.extensions import among, among_named, db
from tender.web import memo
from tender.web.memo import read_once
from tests.helpers import email_of, login, make_case, make_company, make_user


def test_among_selects_what_in_selects_on_both_databases(clean_app):
    ids = [make_company(clean_app, name=f"列挙{n}株式会社") for n in range(5)]
    with clean_app.app_context():
        def chosen(values):
            return set(db.session.scalars(select(Company.id).where(among(Company.id, values))))

        assert chosen(ids[1:4]) == set(ids[1:4])
        assert chosen([]) == set()
        assert chosen([ids[0], ids[0], 10**9]) == {ids[0]}  # repeats and unknown ids are harmless
        names = set(db.session.scalars(select(Company.name).where(among(Company.name, ["列挙2株式会社", "無い"]))))
        assert names == {"列挙2株式会社"}


def test_among_is_one_parameter_whatever_the_list_on_postgresql(clean_app):
    """On PostgreSQL the statement's text is the same for 3 ids and for 3,000 (compiled once,
    prepared by the server); SQLite, the embedded default, takes the usual IN."""
    with clean_app.app_context():
        dialect = db.session.get_bind().dialect

        def text(count):
            return str(select(Company.id).where(among(Company.id, range(count))).compile(dialect=dialect))

        if dialect.name == "postgresql":
            assert text(3) == text(3_000) and "ANY" in text(3)
        else:
            assert " IN " in text(3)


def test_a_statement_built_once_takes_its_list_at_each_execution(clean_app):
    ids = [make_company(clean_app, name=f"名前付き{n}株式会社") for n in range(4)]
    with clean_app.app_context():
        kept = select(Company.id).where(among_named(Company.id, "wanted"))
        assert set(db.session.scalars(kept, {"wanted": ids[:2]})) == set(ids[:2])
        assert set(db.session.scalars(kept, {"wanted": ids[2:]})) == set(ids[2:])
        assert set(db.session.scalars(kept, {"wanted": []})) == set()


def test_read_once_reads_once_within_a_get_being_served_and_afresh_anywhere_else(app):
    reads = []

    def read():
        reads.append(1)
        return len(reads)

    def served(path, method):
        context = app.test_request_context(path, method=method)
        context.push()
        memo.serving()  # what the application's before_request hook does for each request it serves
        return context

    context = served("/cases/1/opening", "GET")
    assert [read_once("k", read), read_once("k", read), read_once("other", read)] == [1, 1, 2]
    context.pop()
    context = served("/cases/1/opening", "GET")  # the next request asks again
    assert read_once("k", read) == 3
    context.pop()
    context = served("/cases/1/opening/request", "POST")  # a change may be under way
    assert [read_once("k", read), read_once("k", read)] == [4, 5]
    context.pop()
    with app.app_context():  # a job or a script
        assert read_once("k", read) == 6
        # A request context a test or a script makes for itself is not served: rows may be written
        # between two reads, so each reads afresh.
        with app.test_request_context("/cases/1/opening", method="GET"):
            assert [read_once("k", read), read_once("k", read)] == [7, 8]


def test_a_served_get_reads_the_case_keys_once(clean_app):
    """Through the application: the hook gives each GET it serves its memo."""
    officer, second = make_user(clean_app), make_user(clean_app)
    case_id = make_case(clean_app, officer, officials=[officer, second])
    client = clean_app.test_client()
    login(client, email_of(clean_app, officer))
    statements = []
    with clean_app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        if statement.startswith("SELECT case_keys.") and "\nFROM case_keys " in statement:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(f"/cases/{case_id}/opening").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1

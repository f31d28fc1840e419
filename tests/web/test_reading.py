"""Two helpers that keep a page's reading short (issue 16): ``among`` (one array parameter for a
long list of ids on PostgreSQL) and ``read_once`` (a GET asks the database a question once)."""
from __future__ import annotations

from sqlalchemy import select

from tender.companies.models import Company
from tender.extensions import among, among_named, db
from tender.web.memo import read_once
from tests.helpers import make_company


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


def test_read_once_reads_once_within_a_get_and_afresh_anywhere_else(app):
    reads = []

    def read():
        reads.append(1)
        return len(reads)

    with app.test_request_context("/cases/1/opening", method="GET"):
        assert [read_once("k", read), read_once("k", read), read_once("other", read)] == [1, 1, 2]
    with app.test_request_context("/cases/1/opening", method="GET"):  # a new request asks again
        assert read_once("k", read) == 3
    with app.test_request_context("/cases/1/opening/request", method="POST"):  # a change may be under way
        assert [read_once("k", read), read_once("k", read)] == [4, 5]
    with app.app_context():  # a job or a test's own session
        assert read_once("k", read) == 6
        # Two requests within one longer application context (a script's, a test's): nothing kept
        # for the first reaches the second.
        with app.test_request_context("/cases/1/opening", method="GET"):
            assert read_once("k", read) == 7
        with app.test_request_context("/cases/1/opening", method="GET"):
            assert read_once("k", read) == 8

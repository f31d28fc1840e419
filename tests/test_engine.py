"""The database connections the application opens (issue 16: a ministry's volume)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from tender.config import engine_options
from tender.extensions import db

PG = "postgresql+psycopg://tender@db.example:5432/tender"


def test_postgresql_connections_are_opened_without_the_jit_compiler():
    """A page's indexed statement whose estimated cost passes jit_above_cost was compiled first:
    192 ms instead of 8.9 ms for a contractor's deliverables due, with a few years' history."""
    assert engine_options(PG)["connect_args"] == {"options": "-c jit=off"}
    assert engine_options(PG)["pool_pre_ping"] is True


def test_the_jit_compiler_is_kept_when_asked_for_or_when_the_url_sets_its_own_options():
    assert "connect_args" not in engine_options(PG, jit=True)
    assert "connect_args" not in engine_options(PG + "?options=-c%20statement_timeout%3D5000")


def test_options_given_to_the_engine_are_kept_beside_it():
    given = {"pool_size": 3, "connect_args": {"options": "-c statement_timeout=5000"}}
    options = engine_options(PG, base=given)
    assert options["pool_size"] == 3
    assert options["connect_args"] == {"options": "-c statement_timeout=5000 -c jit=off"}
    assert given["connect_args"] == {"options": "-c statement_timeout=5000"}  # not changed in place


def test_sqlite_is_given_no_postgresql_option():
    assert engine_options("sqlite:///instance/tender.db") == {"pool_pre_ping": True}


def test_the_applications_postgresql_sessions_run_without_the_jit_compiler(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's setting (the suite's second run, on PostgreSQL, checks it)")
        assert db.session.execute(text("SHOW jit")).scalar() == "off"
        db.session.rollback()

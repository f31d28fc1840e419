"""Japanese search of cases (issue 16 item 3): one- and two-character words, full and half width,
words that must appear as typed, the index entry following a change, and an index used on the
database in use."""
import re

import pytest
from sqlalchemy import select, text

from tender.accounts.models import Role
from tender.extensions import db
from tender.notices import search
from tender.notices.models import ProcurementCase
from tender.rules.search import index_terms, normalise, parse_query
from tests.helpers import email_of, login, make_case, make_user


@pytest.fixture
def cases(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    second = make_user(clean_app, Role.OFFICER)
    titles = ["庁舎清掃業務", "ウェブサイト保守業務", "あいう いあ", "図書の購入"]
    ids = [make_case(clean_app, officer, officials=[officer, second], title=t) for t in titles]
    with clean_app.app_context():
        refs = {db.session.get(ProcurementCase, i).title: db.session.get(ProcurementCase, i).reference for i in ids}
    return {"officer": officer, "refs": refs, "ids": dict(zip(titles, ids))}


def _found(app, q: str) -> set[str]:
    with app.app_context():
        stmt = search.matching(select(ProcurementCase.title), q)
        return set(db.session.execute(stmt).scalars())


@pytest.mark.parametrize("q, titles", [
    ("清掃", {"庁舎清掃業務"}),
    ("清", {"庁舎清掃業務"}),  # one character: the bigrams that start with it
    ("務", {"庁舎清掃業務", "ウェブサイト保守業務"}),  # the last character of a word
    ("図", {"図書の購入"}),
    ("業務", {"庁舎清掃業務", "ウェブサイト保守業務"}),
    ("ｳｪﾌﾞ", {"ウェブサイト保守業務"}),  # half-width katakana
    ("ウェブ　保守", {"ウェブサイト保守業務"}),  # two words, a full-width space
    ("清掃 保守", set()),  # every word must appear
    ("あいあ", set()),  # its bigrams appear, apart: not the word
    ("掃清", set()),
    ("", {"庁舎清掃業務", "ウェブサイト保守業務", "あいう いあ", "図書の購入"}),
])
def test_words_find_their_cases(clean_app, cases, q, titles):
    assert _found(clean_app, q) == titles


def test_a_full_width_reference_finds_its_case(clean_app, cases):
    reference = cases["refs"]["図書の購入"]
    wide = reference.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    assert _found(clean_app, wide) == {"図書の購入"}


def test_the_entry_follows_a_change_of_title(clean_app, cases):
    with clean_app.app_context():
        case = db.session.get(ProcurementCase, cases["ids"]["図書の購入"])
        case.title = "備品の購入"
        db.session.commit()
    assert _found(clean_app, "図書") == set() and _found(clean_app, "備品") == {"備品の購入"}


def test_the_board_and_the_case_list_search_through_it(clean_app, cases):
    board = clean_app.test_client().get("/notices?q=清").text
    assert "庁舎清掃業務" in board and "ウェブサイト保守業務" not in board
    client = clean_app.test_client()
    login(client, email_of(clean_app, cases["officer"]))
    listed = client.get("/cases?q=ｳｪﾌﾞ").text
    assert "ウェブサイト保守業務" in listed and "庁舎清掃業務" not in listed


def test_the_search_reads_an_index(clean_app, cases):
    with clean_app.app_context():
        stmt = search.matching(select(ProcurementCase.id), "清掃")
        compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(db.session.execute(text(f"EXPLAIN {compiled}")).scalars())
            assert "ix_procurement_cases_search" in plan
        else:
            plan = " ".join(str(r) for r in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all())
            assert re.search(r"case_search VIRTUAL TABLE INDEX", plan), plan


def test_the_rules_normalise_and_tokenise():
    assert normalise("２０２６－０００９　ｳｪﾌﾞ  ＡＢＣ") == "2026-0009 ウェブ abc"
    assert index_terms("清掃") == "xe6b885e68e83 xe68e8324"
    assert parse_query("清 清掃").tsquery() == "xe6b885e68e83 & xe6b885:*"
    assert not parse_query("　 ")

"""Finding cases by words (tender.rules.search): the index entry is written with the case, and a
query reads the candidates from the database's full-text index — a GIN index over a tsvector on
PostgreSQL, an FTS5 table on SQLite — then keeps those that hold each word as typed."""
from __future__ import annotations

from sqlalchemy import event, func, literal_column, select, table

from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.organisations.models import Department
from tender.rules.search import index_terms, normalise, parse_query


@event.listens_for(ProcurementCase, "before_insert")
@event.listens_for(ProcurementCase, "before_update")
def _index(mapper, connection, case: ProcurementCase) -> None:
    """The search entry follows the case: 案件番号, 件名 and the department's name."""
    department = connection.scalar(select(Department.name).where(Department.id == case.department_id)) \
        if case.department_id else None
    texts = (case.reference, case.title, department)
    case.search_text = normalise(" ".join(t for t in texts if t))
    case.search_terms = index_terms(*texts)


def matching(stmt, text: str | None):
    """``stmt`` narrowed to the cases holding every word of ``text`` (all of them when it has none)."""
    query = parse_query(text)
    if not query:
        return stmt
    if db.session.get_bind().dialect.name == "postgresql":
        simple = literal_column("'simple'")
        found = func.to_tsvector(simple, ProcurementCase.search_terms).op("@@")(func.to_tsquery(simple, query.tsquery()))
    else:
        index = table("case_search")
        found = ProcurementCase.id.in_(select(literal_column("rowid")).select_from(index)
                                       .where(literal_column("case_search").op("MATCH")(query.fts5())))
    stmt = stmt.where(found)
    for word in query.words:  # bigrams found apart do not make the word
        stmt = stmt.where(ProcurementCase.search_text.contains(word, autoescape=True))
    return stmt

"""Japanese search of cases through an index: each case's 案件番号, 件名 and department, normalised
(NFKC) and as bigram tokens (tender.rules.search), read by a GIN index over a tsvector on
PostgreSQL and by an FTS5 table kept by triggers on SQLite (issue 16: 「清掃」 was an ILIKE scan
of 100,000 rows)

A later migration that rebuilds procurement_cases on SQLite (batch mode) drops the triggers with
the old table: it must create them again (create_sqlite_index below).

Revision ID: 0015_case_search
Revises: 0014_fk_indexes
Create Date: 2026-11-29 15:00:00

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa

revision = '0015_case_search'
down_revision = '0014_fk_indexes'
branch_labels = None
depends_on = None

_SPACE = re.compile(r"\s+")


def _normalise(text):
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "").casefold()).strip()


def _terms(*texts):
    # The same tokens as tender.rules.search.index_terms, frozen here as of this migration.
    seen = {}
    for text in texts:
        for word in _normalise(text).split(" "):
            if word:
                for gram in [word[i:i + 2] for i in range(len(word) - 1)] + [word[-1] + "$"]:
                    seen.setdefault("x" + gram.encode("utf-8").hex())
    return " ".join(seen)


def create_sqlite_index():
    op.execute("CREATE VIRTUAL TABLE case_search USING fts5(search_terms, content='procurement_cases', "
               "content_rowid='id')")
    op.execute("CREATE TRIGGER case_search_insert AFTER INSERT ON procurement_cases BEGIN "
               "INSERT INTO case_search(rowid, search_terms) VALUES (new.id, new.search_terms); END")
    op.execute("CREATE TRIGGER case_search_delete AFTER DELETE ON procurement_cases BEGIN "
               "INSERT INTO case_search(case_search, rowid, search_terms) VALUES ('delete', old.id, old.search_terms); "
               "END")
    op.execute("CREATE TRIGGER case_search_update AFTER UPDATE OF search_terms ON procurement_cases BEGIN "
               "INSERT INTO case_search(case_search, rowid, search_terms) VALUES ('delete', old.id, old.search_terms); "
               "INSERT INTO case_search(rowid, search_terms) VALUES (new.id, new.search_terms); END")
    op.execute("INSERT INTO case_search(case_search) VALUES ('rebuild')")


def upgrade():
    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('search_terms', sa.Text(), server_default='', nullable=False))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT c.id, c.reference, c.title, d.name FROM procurement_cases c "
                                "LEFT JOIN departments d ON d.id = c.department_id")).all()
    for case_id, reference, title, department in rows:
        texts = [t for t in (reference, title, department) if t]
        bind.execute(sa.text("UPDATE procurement_cases SET search_text = :text, search_terms = :terms WHERE id = :id"),
                     {"text": _normalise(" ".join(texts)), "terms": _terms(*texts), "id": case_id})
    if bind.dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_procurement_cases_search ON procurement_cases "
                   "USING gin (to_tsvector('simple'::regconfig, search_terms))")
    else:
        create_sqlite_index()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_procurement_cases_search")
    else:
        for trigger in ("case_search_insert", "case_search_delete", "case_search_update"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE case_search")
    with op.batch_alter_table('procurement_cases', schema=None) as batch_op:
        batch_op.drop_column('search_terms')
        batch_op.drop_column('search_text')

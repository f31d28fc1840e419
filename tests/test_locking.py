"""lock_row: the row locked and read as it stands under the lock, in one statement."""
from sqlalchemy import text

from tender.companies.models import Company
from tender.extensions import db
from tender.locking import lock_row
from tests.helpers import make_company
from tests.web.test_query_counts import counted


def test_the_locked_row_is_the_latest_committed_even_over_a_copy_already_loaded(clean_app):
    company_id = make_company(clean_app, name="旧商号株式会社")
    with clean_app.app_context():
        stale = db.session.get(Company, company_id)
        assert stale.name == "旧商号株式会社"
        with db.engine.begin() as other:  # another worker renames it meanwhile
            other.execute(text("UPDATE companies SET name = :n WHERE id = :i"), {"n": "新商号株式会社", "i": company_id})
        with counted(clean_app) as statements:
            locked = lock_row(Company, company_id)
        assert locked is stale and locked.name == "新商号株式会社"
        assert len(statements) == 1 and statements[0].lstrip().startswith("UPDATE companies")
        assert "RETURNING" in statements[0]
        db.session.rollback()


def test_a_row_that_does_not_exist_is_none(clean_app):
    with clean_app.app_context():
        assert lock_row(Company, 987654) is None
        db.session.rollback()

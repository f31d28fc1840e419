"""The schema is made by migrations alone, and they agree with the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tender.extensions import db
from tender.types import include_name, render_item


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_item": render_item,
                                                                  "include_name": include_name})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_migrations_downgrade_and_upgrade_cleanly(app):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert {"users", "companies", "audit_events", "audit_head"} <= set(inspect(db.engine).get_table_names())


def test_every_foreign_key_has_an_index(app):
    """Joins and per-owner filters (a company's bids, a department's cases) must not scan a table of
    a million rows: each foreign key leads an index, its own or a unique constraint's."""
    missing = []
    for table in db.metadata.sorted_tables:
        leading = {ix.columns[0].name for ix in table.indexes if len(ix.columns)}
        leading |= {c.columns[0].name for c in table.constraints if hasattr(c, "columns") and len(c.columns)
                    and type(c).__name__ in ("UniqueConstraint", "PrimaryKeyConstraint")}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.foreign_keys and c.name not in leading]
    assert missing == []

"""Flask extensions, created once and bound to the application in ``create_app``."""
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so that migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()


def among(column, values):
    """``column IN values`` whose SQL does not grow with the list: on PostgreSQL one array
    parameter (``= ANY(...)``), so a case's thousand row ids make one short statement that is
    compiled once and prepared by the server, not a thousand parameters compiled and parsed each
    time; elsewhere (SQLite) the usual IN."""
    return _among(column, None, value=list(values))


def among_named(column, name: str):
    """``among`` with the list given at execution as the parameter ``name``: for a statement built
    once and kept (its text then never changes, on either database)."""
    return _among(column, name)


def _among(column, name: str | None, **value):
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type), **value))
    return column.in_(bindparam(name, expanding=True, **value))

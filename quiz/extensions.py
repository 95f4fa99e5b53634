"""Flask extensions, created unbound here and bound to an app in the factory.

Keeping them in their own module lets models, services and views import them
without importing the application factory (and so without import cycles).
"""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .config import MIGRATIONS_DIR
from .ratelimit import RateLimits

# Explicit constraint names make future migrations (Alembic) deterministic and
# identical on SQLite and PostgreSQL, instead of relying on each backend's
# generated names.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base shared by every model of the app."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = RateLimits()
# Inside the package, so `quiz init-db` finds them from any working directory.
# Batch mode: SQLite alters most columns only by copying the table.
migrate = Migrate(db=db, directory=str(MIGRATIONS_DIR), render_as_batch=True)

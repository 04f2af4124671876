"""Schema migrations: the current and head revisions, and the upgrade that runs after a backup."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("desktop.store").joinpath("migrations")))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def needs_upgrade(engine: Engine) -> tuple[bool, bool]:
    """``(needs_upgrade, has_data)``: whether the schema is behind head, and whether it holds any table yet."""
    with engine.connect() as connection:
        has_tables = bool(inspect(connection).get_table_names())
        return current_revision(connection) != head_revision(), has_tables


def upgrade(engine: Engine) -> None:
    """Upgrade to head in one transaction: a failure leaves the schema as it was."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

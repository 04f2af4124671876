"""Alembic environment: runs on the connection that ``desktop.store.migrate`` hands over."""

from __future__ import annotations

from alembic import context

from desktop.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through desktop.store.migrate, which supplies the connection.")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()

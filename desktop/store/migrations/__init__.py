"""Alembic migrations of the archive schema, applied on open after a backup."""

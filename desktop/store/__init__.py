"""The store of record: SQLAlchemy models, migrations and repository functions (dialect-neutral)."""

"""articles.date_key: the ISO date text, indexed for sorting and date ranges

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is not None:
        if month is None:
            return f"{year:04d}"
        return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"
    if month is not None and day is not None:
        return f"--{month:02d}-{day:02d}"
    return None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("date_key", sa.String(length=10), nullable=True))
        batch_op.create_index(batch_op.f("ix_articles_date_key"), ["date_key"], unique=False)
    connection = op.get_bind()
    articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("date_year"), sa.column("date_month"), sa.column("date_day"), sa.column("date_key"))
    rows = connection.execute(sa.select(articles.c.id, articles.c.date_year, articles.c.date_month, articles.c.date_day)).all()
    for row in rows:
        key = _iso(row.date_year, row.date_month, row.date_day)
        if key is not None:
            connection.execute(sa.update(articles).where(articles.c.id == row.id).values(date_key=key))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_date_key"))
        batch_op.drop_column("date_key")

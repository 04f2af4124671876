"""indexes for sorting the article table by title and place, and narrowing by agency newest first

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_title"), ["title"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_place"), ["place"], unique=False)
        batch_op.create_index("ix_articles_agency_date_key", ["agency", "date_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_agency_date_key")
        batch_op.drop_index(batch_op.f("ix_articles_place"))
        batch_op.drop_index(batch_op.f("ix_articles_title"))

"""articles.author and articles.publication: who wrote an article and the paper or site it appeared in

Both are read by the parsers apart from the wire agency (``ParsedArticle.author``, ``.publication``);
the publication is indexed, to narrow and count by it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("publication", sa.String(length=256), nullable=True))
        batch_op.create_index(batch_op.f("ix_articles_publication"), ["publication"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_publication"))
        batch_op.drop_column("publication")
        batch_op.drop_column("author")

"""an index on the originals' source, which every import looks up (a corrected re-import is found by it)

Without it each imported file scanned every original: an import slowed as the archive grew
(77 articles/s at 2,000 articles, 10 at 40,000).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("originals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_originals_source"), ["source"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("originals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_originals_source"))

"""Re-extraction records: what `aiplus reextract` found differently in an archived version.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reextraction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("reextracted_at", sa.DateTime(), nullable=False),
        sa.Column("mentions_added", sa.JSON(), nullable=False),
        sa.Column("mentions_removed", sa.JSON(), nullable=False),
        sa.Column("status_changes", sa.JSON(), nullable=False),
        sa.Column("fields_changed", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["version.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reextraction_version_id", "reextraction", ["version_id"])


def downgrade() -> None:
    op.drop_index("ix_reextraction_version_id", table_name="reextraction")
    op.drop_table("reextraction")

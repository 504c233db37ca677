"""Search every version: the history index of superseded versions; an index for actor look-ups; the
current-version index rebuilt.

The current-version index (search_index, 0001) keeps one entry per document. `aiplus search
--all-versions` also needs the versions that newer ones replaced: they get their own index, keyed by
version id, built the same way (see storage/fulltext.py) and filled here for existing archives.
The current-version index is rebuilt because its terms changed: a word run no longer swallows the
Chinese after it (2025年3月14日发布 was one term, so 发布 was not found there).
Mentions are looked up by actor case-insensitively (Lei Jun, lei jun), hence the index on lower(actor).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from storage.fulltext import rebuild_history_index, rebuild_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE history_index USING fts5("
            "title, body, content = '', tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        op.create_table(
            "history_index",
            sa.Column("version_id", sa.Integer(), sa.ForeignKey("version.id"), primary_key=True),
            sa.Column("terms", postgresql.TSVECTOR(), nullable=False),
        )
        op.create_index("ix_history_index_terms", "history_index", ["terms"], postgresql_using="gin")
    session = Session(bind=connection)
    rebuild_index(session)
    rebuild_history_index(session)
    session.flush()
    op.create_index("ix_mention_actor_lower", "mention", [sa.text("lower(actor)")])


def downgrade() -> None:
    op.drop_index("ix_mention_actor_lower", table_name="mention")
    op.drop_table("history_index")

"""Search every version: the history index of superseded versions; an index for actor look-ups; the
current-version index rebuilt.

The current-version index (search_index, 0001) keeps one entry per document. `aiplus search
--all-versions` also needs the versions that newer ones replaced: they get their own index, keyed by
version id, built the same way (see storage/fulltext.py) and filled here for existing archives.
The current-version index is rebuilt because its terms changed: a word run no longer swallows the
Chinese after it (2025年3月14日发布 was one term, so 发布 was not found there).
Mentions are looked up by actor case-insensitively (Lei Jun, lei jun), hence the index on lower(actor).

This migration is self-contained: the tokeniser and the index rows below are a frozen copy of
storage/fulltext.py as it was at this revision, reading the tables with plain SQL as they are at
0001, so that upgrading an old archive does the same thing whatever the live modules become. A later
change of the index terms needs a migration of its own that rebuilds the indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Connection, text
from sqlalchemy.dialects import postgresql

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
    _rebuild(connection, "search_index")
    _rebuild(connection, "history_index")
    op.create_index("ix_mention_actor_lower", "mention", [sa.text("lower(actor)")])


def downgrade() -> None:
    op.drop_index("ix_mention_actor_lower", table_name="mention")
    op.drop_table("history_index")


# -- the index terms at this revision (frozen from storage/fulltext.py) ----------------------------

_CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_RUN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)", re.UNICODE)
_CJK_PUNCT = re.compile(r"[\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
_PG_MAX_POSITION = 16383
_BATCH = 500


def _terms(value: str) -> list[str]:
    """Lower-cased words, and overlapping bigrams of CJK runs (a lone CJK character as itself)."""
    out: list[str] = []
    for match in _RUN.finditer(unicodedata.normalize("NFKC", value)):
        cjk, word = match.groups()
        if cjk:
            for piece in _CJK_PUNCT.split(cjk):
                if len(piece) == 1:
                    out.append(piece)
                else:
                    out.extend(piece[i : i + 2] for i in range(len(piece) - 1))
        else:
            out.append(word.lower())
    return out


def _pg_quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _pg_tsvector(title: str, body: str) -> str:
    """The terms as a tsvector literal with positions, title terms weighted A."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for weight, source in (("A", title), ("D", body)):
        for term in _terms(source):
            position = min(position + 1, _PG_MAX_POSITION)
            positions[term].append(f"{position}{'' if weight == 'D' else weight}")
    return " ".join(f"{_pg_quote(term)}:{','.join(pos[:256])}" for term, pos in positions.items())


# search_index: one entry per document, its current version (rowid / document_id = document id).
# history_index: one entry per version that a newer one replaced (rowid / version_id = version id).
_ROWS = {
    "search_index": (
        "SELECT d.id, v.title, v.text FROM document d JOIN version v ON v.id = d.current_version_id "
        "WHERE d.id > :last ORDER BY d.id LIMIT :batch"
    ),
    "history_index": (
        "SELECT v.id, v.title, v.text FROM version v JOIN document d ON d.id = v.document_id "
        "WHERE v.id != d.current_version_id AND v.id > :last ORDER BY v.id LIMIT :batch"
    ),
}
_KEY = {"search_index": "document_id", "history_index": "version_id"}


def _rebuild(connection: Connection, index: str) -> None:
    """Empty the index and fill it from the archive, in batches (constant memory on a large one)."""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:  # a contentless FTS5 table is emptied with its 'delete-all' command
        connection.execute(text(f"INSERT INTO {index} ({index}) VALUES ('delete-all')"))
        insert = text(f"INSERT INTO {index} (rowid, title, body) VALUES (:id, :title, :body)")
    else:
        connection.execute(text(f"DELETE FROM {index}"))
        insert = text(f"INSERT INTO {index} ({_KEY[index]}, terms) VALUES (:id, CAST(:terms AS tsvector))")
    last = 0
    while True:
        rows = connection.execute(text(_ROWS[index]), {"last": last, "batch": _BATCH}).all()
        if not rows:
            return
        for key, title, body in rows:
            if sqlite:
                values = {"id": key, "title": " ".join(_terms(title or "")), "body": " ".join(_terms(body))}
            else:
                values = {"id": key, "terms": _pg_tsvector(title or "", body)}
            connection.execute(insert, values)
        last = rows[-1][0]

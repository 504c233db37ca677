"""The full-text index over current versions, identical in what it finds on SQLite and PostgreSQL.

Text is indexed as terms: lower-cased words for alphabetic scripts and overlapping character bigrams
for CJK runs (the way Lucene's CJK analyzer indexes Chinese: 人工智能 -> 人工 工智 智能). A query is
turned into the same terms and matched as a phrase, so 安全 finds every page containing 安全, and
人工智能 finds the three bigrams side by side. Word segmentation (jieba) would cost ~15 ms a page at
crawl time; bigrams cost next to nothing and never miss a two-character word a segmenter split
differently. SQLite's trigram tokenizer cannot match two-character queries at all, and `LIKE` on a
trigram table gives wrong answers with the SQLite 3.40 that Python links here.

SQLite keeps the terms in an FTS5 table; PostgreSQL in a tsvector column built from the same terms
(positions included, so phrases work), never through a text-search parser whose idea of a word
depends on the server's locale.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage.normalize import CJK

_CJK_PUNCT_RANGES = r"\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"


def _ranges_without(ranges: str, removed: str) -> str:
    """A character-class body for the code points of `ranges` that are not in `removed` (both written
    as \\uXXXX-\\uXXXX ranges): Python's re has no class subtraction."""

    def points(spec: str) -> set[int]:
        found = re.findall(r"\\u([0-9a-f]{4})-\\u([0-9a-f]{4})", spec)
        return {cp for low, high in found for cp in range(int(low, 16), int(high, 16) + 1)}

    kept = sorted(points(ranges) - points(removed))
    spans: list[list[int]] = []
    for cp in kept:
        if spans and spans[-1][1] == cp - 1:
            spans[-1][1] = cp
        else:
            spans.append([cp, cp])
    return "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in spans)


# Terms come from pieces of CJK text between CJK punctuation, and from words. A word stops where CJK
# starts: 2025年3月14日发布 is 2025 年 3 月 14 日发布, and 5G应用 is 5g 应用, so a Chinese word right after a
# number or a Latin word is still found. CJK punctuation separates pieces and is never a term.
_PIECE = re.compile(rf"([{_ranges_without(CJK, _CJK_PUNCT_RANGES)}]+)|([^\W_{CJK}]+)", re.UNICODE)
# The same cut in two steps, for storage/search.py, which needs whole CJK runs (a piece that starts or
# ends a run matters to phrase highlighting).
_RUN = re.compile(rf"([{CJK}]+)|([^\W_{CJK}]+)", re.UNICODE)
_CJK_PUNCT = re.compile(f"[{_CJK_PUNCT_RANGES}]")
# PostgreSQL keeps positions up to 16383; later terms share the last position (phrases there may miss).
_PG_MAX_POSITION = 16383


def terms(value: str, *, folded: bool = False) -> list[str]:
    """The index terms of a text, in order. `folded` says the text is NFKC-normalised already (the
    recorder has it from the comparison key), which saves normalising a page twice.

    The terms of a text must never change for a given text: SQLite's contentless index removes an
    entry by being given the same terms again (tests/test_fulltext.py holds them to a frozen copy)."""
    out: list[str] = []
    append, extend = out.append, out.extend
    # map(add) over two slices keeps the per-term work in C: a page has thousands of bigrams. Words
    # are lower-cased one by one: lower-casing the whole text first would split words at letters
    # whose lower case has two characters (İ), and change the index.
    for piece, word in _PIECE.findall(value if folded else unicodedata.normalize("NFKC", value)):
        if word:
            append(word.lower())
        elif len(piece) == 1:
            append(piece)
        else:
            extend(map(operator.add, piece[:-1], piece[1:]))
    return out


@dataclass(frozen=True)
class SearchHit:
    document_id: int
    rank: float


def _fts5_phrase(phrase_terms: list[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in phrase_terms) + '"'


def _pg_phrase(phrase_terms: list[str]) -> str:
    return "(" + " <-> ".join(_pg_quote(t) for t in phrase_terms) + ")"


def _pg_quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass(frozen=True)
class IndexTerms:
    """A text's index entry before it is written: the terms of its title and of its body.

    Computing them is most of the work of indexing a page, and needs no database: the recorder does it
    before taking SQLite's write lock, which two recording workers share."""

    title: list[str]
    body: list[str]

    @classmethod
    def of(cls, title: str | None, body: str, *, body_folded: bool = False) -> IndexTerms:
        return cls(terms(title or ""), terms(body, folded=body_folded))


def _pg_tsvector(entry: IndexTerms) -> str:
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for weight, source_terms in (("A", entry.title), ("D", entry.body)):
        for term in source_terms:
            position = min(position + 1, _PG_MAX_POSITION)
            # "D" is PostgreSQL's default weight and is written without a letter.
            positions[term].append(f"{position}{'' if weight == 'D' else weight}")
    # A lexeme keeps at most 256 positions; the rest add nothing to matching.
    return " ".join(f"{_pg_quote(term)}:{','.join(pos[:256])}" for term, pos in positions.items())


# Built once: a first crawl runs them for every page.
_SQLITE_DELETE_ENTRY = text(
    "INSERT INTO search_index (search_index, rowid, title, body) VALUES ('delete', :id, :title, :body)"
)
_SQLITE_INSERT_ENTRY = text("INSERT INTO search_index (rowid, title, body) VALUES (:id, :title, :body)")


def index_document(
    session: Session,
    document_id: int,
    title: str | None,
    body: str,
    *,
    previous: tuple[str | None, str] | None = None,
    body_folded: bool = False,
    entry: IndexTerms | None = None,
) -> None:
    """Put a document's current version into the index, replacing the previous version's entry.

    `previous` is (title, text) of the version being replaced, if any: SQLite's contentless index
    removes an entry by being given its terms again. `body_folded` says `body` is NFKC-normalised
    already (see terms()). `entry` is the terms of (title, body) when the caller has them already.
    """
    if entry is None:
        entry = IndexTerms.of(title, body, body_folded=body_folded)
    if session.get_bind().dialect.name == "sqlite":
        if previous is not None:
            old_title, old_body = previous
            session.execute(
                _SQLITE_DELETE_ENTRY,
                {
                    "id": document_id,
                    "title": " ".join(terms(old_title or "")),
                    "body": " ".join(terms(old_body)),
                },
            )
        session.execute(
            _SQLITE_INSERT_ENTRY,
            {"id": document_id, "title": " ".join(entry.title), "body": " ".join(entry.body)},
        )
        return
    session.execute(
        text(
            "INSERT INTO search_index (document_id, terms) VALUES (:id, CAST(:terms AS tsvector)) "
            "ON CONFLICT (document_id) DO UPDATE SET terms = EXCLUDED.terms"
        ),
        {"id": document_id, "terms": _pg_tsvector(entry)},
    )


def rebuild_index(session: Session) -> int:
    """Index every document's current version afresh (after a change of tokenisation, say)."""
    from storage.models import Document, Version

    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO search_index (search_index) VALUES ('delete-all')"))
    else:
        session.execute(text("DELETE FROM search_index"))
    rows = session.execute(
        select(Document.id, Version.title, Version.text).join(
            Version, Document.current_version_id == Version.id
        )
    )
    count = 0
    for document_id, title, body in rows:
        index_document(session, document_id, title, body)
        count += 1
    return count


def search_documents(session: Session, phrases: Iterable[str], limit: int = 50) -> list[SearchHit]:
    """Documents whose current version contains every phrase, best first.

    Each phrase is matched as its terms side by side; the query language on top of this (quotes, OR,
    exclusion) belongs to the search command.
    """
    term_lists = [t for t in (terms(p) for p in phrases) if t]
    if not term_lists:
        return []
    if session.get_bind().dialect.name == "sqlite":
        match = " AND ".join(_fts5_phrase(t) for t in term_lists)
        rows = session.execute(
            text(
                "SELECT rowid, bm25(search_index, 5.0, 1.0) AS rank FROM search_index "
                "WHERE search_index MATCH :match ORDER BY rank LIMIT :limit"
            ),
            {"match": match, "limit": limit},
        )
        # bm25 is lower-is-better and negative; flip it so that higher is better on both backends.
        return [SearchHit(row[0], -row[1]) for row in rows]
    query = " & ".join(_pg_phrase(t) for t in term_lists)
    rows = session.execute(
        text(
            "SELECT document_id, ts_rank(terms, q) AS rank FROM search_index, CAST(:q AS tsquery) AS q "
            "WHERE terms @@ q ORDER BY rank DESC, document_id LIMIT :limit"
        ),
        {"q": query, "limit": limit},
    )
    return [SearchHit(row[0], float(row[1])) for row in rows]


# -- the history index: superseded versions, for searching every version ---------------------------
#
# The index above holds each document's current version (rowid = document id). Searching history too
# needs the versions that are no longer current; they go into a second index keyed by version id when
# a newer version replaces them (storage.recording), so no text is indexed twice and the current index
# stays as it is. Versions never change, so entries are never deleted.


def pg_tsvector_literal(title: str | None, body: str) -> str:
    """A text's terms as a PostgreSQL tsvector literal (title terms weighted A), as indexed."""
    return _pg_tsvector(IndexTerms.of(title, body))


def index_superseded_version(session: Session, version_id: int, title: str | None, body: str) -> None:
    """Put a version that a newer one replaced into the history index."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            text("INSERT INTO history_index (rowid, title, body) VALUES (:id, :title, :body)"),
            {"id": version_id, "title": " ".join(terms(title or "")), "body": " ".join(terms(body))},
        )
        return
    session.execute(
        text(
            "INSERT INTO history_index (version_id, terms) VALUES (:id, CAST(:terms AS tsvector)) "
            "ON CONFLICT (version_id) DO UPDATE SET terms = EXCLUDED.terms"
        ),
        {"id": version_id, "terms": _pg_tsvector(IndexTerms.of(title, body))},
    )

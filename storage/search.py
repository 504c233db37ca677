"""Searching the archive: the query language, filters, relevance ranking and highlighted snippets.

The query language of `aiplus search`:

    安全 数据                   both words (AND is the default; an explicit AND is allowed)
    "measures for labeling"     a phrase: its words side by side, in this order
    数据 OR 算力                 either; OR binds tighter than AND, so 数据 OR 算力 安全 means
                                (数据 or 算力) and 安全
    (数据 OR 算力) -草案          parentheses group; -word, -"phrase" or -(...) excludes (NOT too)

Words are matched as the index stores them (storage/fulltext.py): a Chinese word as its characters
side by side (人工智能 = 人工 工智 智能, so a two-character query finds exactly the pages that contain
it), any other word whole and in any case. A single Chinese character cannot be searched: the index
holds character pairs. One standing alone at the end of a phrase next to digits or Latin letters
(2025年) is matched as the start of a pair; at the start of a phrase (年3月) it only matches where the
page has it alone too (2025年3月, not 今年3月). A malformed query raises QuerySyntaxError (a
ValueError) saying what to fix.

Both backends evaluate the same query over the same terms, so they find the same pages. Ranking is
each backend's own (SQLite FTS5's bm25, PostgreSQL's ts_rank), both weighting the title ten times the
body; ties are broken by document id. Snippets are cut in Python from the stored version text (the
SQLite index is contentless: it cannot give text back), with the matches marked.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Float,
    Select,
    String,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from storage.fulltext import _CJK_PUNCT, _RUN, terms
from storage.models import Document, Source, Version
from storage.normalize import CJK, WhitespaceFilter
from storage.querytools import (
    all_of,
    check_range,
    date_range,
    language_clause,
    page_date,
    source_clause,
    version_category_clause,
)

DEFAULT_LIMIT = 20
SNIPPET_WIDTH = 160
MARKS = ("**", "**")  # how a match is marked in a snippet string (Markdown bold)

_QUOTES = '"“”'
_CJK_CHAR = re.compile(rf"[{CJK}]")
_WHITESPACE = WhitespaceFilter()


class QuerySyntaxError(ValueError):
    """A search query that cannot be read: the message says what is wrong and how to write it."""


# -- the query -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """Words or characters that must stand side by side, in order (one bare word is a phrase too).

    A phrase ending in a lone Chinese character (2025年) matches its last term as a prefix: on a page
    the character may run on into more Chinese (2025年推进 is indexed 2025 年推 推进).
    """

    text: str
    terms: tuple[str, ...]

    @property
    def prefix(self) -> bool:
        last = self.terms[-1]
        return len(self.terms) > 1 and len(last) == 1 and bool(_CJK_CHAR.match(last))


@dataclass(frozen=True)
class AllOf:
    required: tuple[Node, ...]
    excluded: tuple[Node, ...] = ()


@dataclass(frozen=True)
class AnyOf:
    options: tuple[Node, ...]


Node = Phrase | AllOf | AnyOf


@dataclass(frozen=True)
class Query:
    """A parsed search query."""

    text: str
    root: Node

    def phrases(self) -> list[Phrase]:
        """The phrases a matching page contains (or may contain): every one not excluded."""
        found: list[Phrase] = []

        def walk(node: Node) -> None:
            if isinstance(node, Phrase):
                if node not in found:
                    found.append(node)
            elif isinstance(node, AnyOf):
                for option in node.options:
                    walk(option)
            else:
                for part in node.required:
                    walk(part)

        walk(self.root)
        return found

    def to_fts5(self) -> str:
        """The query in SQLite FTS5's syntax, over the index's terms."""
        return _fts5(self.root)

    def to_tsquery(self) -> str:
        """The query as a PostgreSQL tsquery literal, over the same terms."""
        return _tsquery(self.root)


def _fts5(node: Node) -> str:
    if isinstance(node, Phrase):
        if node.prefix:
            return '"' + " ".join(node.terms[:-1]) + '" + "' + node.terms[-1] + '" *'
        return '"' + " ".join(node.terms) + '"'
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(_fts5(option) for option in node.options) + ")"
    expression = " AND ".join(_fts5(part) for part in node.required)
    if len(node.required) > 1:
        expression = f"({expression})"
    for excluded in node.excluded:
        expression = f"({expression} NOT {_fts5(excluded)})"
    return expression


def _pg_term(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery(node: Node) -> str:
    if isinstance(node, Phrase):
        parts = [_pg_term(t) for t in node.terms]
        if node.prefix:
            parts[-1] += ":*"
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"
    if isinstance(node, AnyOf):
        return "(" + " | ".join(_tsquery(option) for option in node.options) + ")"
    parts = [_tsquery(part) for part in node.required] + [f"!{_tsquery(x)}" for x in node.excluded]
    return "(" + " & ".join(parts) + ")" if len(parts) > 1 else parts[0]


# Tokens of the query text: ("word", text), ("phrase", text), ("or",), ("and",), ("not",), ("(",), (")",)
_Token = tuple[str, ...]


def _lex(query: str) -> list[_Token]:
    value = unicodedata.normalize("NFKC", query)
    tokens: list[_Token] = []
    depth = 0
    i, n = 0, len(value)
    while i < n:
        char = value[i]
        if char.isspace():
            i += 1
        elif char in _QUOTES:
            end = next((j for j in range(i + 1, n) if value[j] in _QUOTES), -1)
            if end == -1:
                raise QuerySyntaxError(
                    f"unbalanced quote in {query!r}: the phrase {value[i : i + 30]!r} has no closing "
                    'quote (write phrases as "two words")'
                )
            tokens.append(("phrase", value[i + 1 : end]))
            i = end + 1
        elif char == "(":
            tokens.append(("(",))
            depth += 1
            i += 1
        elif char == ")":
            if depth == 0:
                raise QuerySyntaxError(f"unbalanced parenthesis in {query!r}: ')' without '('")
            tokens.append((")",))
            depth -= 1
            i += 1
        elif char == "-":
            if i + 1 >= n or value[i + 1].isspace() or value[i + 1] == ")":
                raise QuerySyntaxError(
                    f"a '-' in {query!r} excludes nothing: write it just before a word or phrase (-草案)"
                )
            tokens.append(("not",))
            i += 1
        else:
            j = i
            while j < n and not value[j].isspace() and value[j] not in _QUOTES:
                j += 1
            word, closers = value[i:j], 0
            # A ')' ends a group only where one is open: 办法(试行) stays one word.
            while word.endswith(")") and depth - closers > 0:
                word, closers = word[:-1], closers + 1
            if word.count(")") > word.count("("):
                raise QuerySyntaxError(f"unbalanced parenthesis in {query!r}: ')' without '('")
            if word in ("OR", "AND", "NOT"):
                tokens.append((word.lower(),))
            elif word:
                tokens.append(("word", word))
            tokens.extend([(")",)] * closers)
            depth -= closers
            i = j
    if depth:
        raise QuerySyntaxError(f"unbalanced parenthesis in {query!r}: '(' without ')'")
    return tokens


class _Parser:
    def __init__(self, query: str, tokens: list[_Token]) -> None:
        self.query = query
        self.tokens = tokens
        self.pos = 0

    def peek(self, ahead: int = 0) -> str | None:
        index = self.pos + ahead
        return self.tokens[index][0] if index < len(self.tokens) else None

    def error(self, message: str) -> QuerySyntaxError:
        return QuerySyntaxError(f"{message} (in the query {self.query!r})")

    def parse(self) -> Node:
        if not self.tokens:
            raise QuerySyntaxError(f"nothing to search for in {self.query!r}: give a word or a phrase")
        return self.sequence()

    def sequence(self) -> Node:
        required: list[Node] = []
        excluded: list[Node] = []
        while self.peek() not in (None, ")"):
            if self.peek() == "and":
                if not (required or excluded) or self.peek(1) in (None, ")", "or", "and"):
                    raise self.error("AND needs a word or phrase on each side")
                self.pos += 1
                continue
            negated, node = self.alternatives()
            if node is None:
                continue
            (excluded if negated else required).append(node)
        if not required:
            if excluded:
                raise self.error("only excluded terms: add a word or phrase to search for")
            raise self.error("nothing to search for")
        if len(required) == 1 and not excluded:
            return required[0]
        return AllOf(tuple(required), tuple(excluded))

    def alternatives(self) -> tuple[bool, Node | None]:
        if self.peek() == "or":
            raise self.error("OR needs a word or phrase on each side")
        negated, node = self.unary()
        options = [node]
        while self.peek() == "or":
            self.pos += 1
            if self.peek() in (None, ")", "or", "and"):
                raise self.error("OR needs a word or phrase on each side")
            other_negated, other = self.unary()
            if negated or other_negated:
                raise self.error("an excluded term cannot be a side of OR: write (a OR b) -c")
            options.append(other)
        present = [option for option in options if option is not None]
        if len(present) > 1:
            return False, AnyOf(tuple(present))
        return negated, present[0] if present else None

    def unary(self) -> tuple[bool, Node | None]:
        if self.peek() == "not":
            self.pos += 1
            if self.peek() in (None, ")", "or", "and", "not"):
                raise self.error("'-' (NOT) must be followed by a word or phrase to exclude")
            return True, self.atom()
        return False, self.atom()

    def atom(self) -> Node | None:
        token = self.tokens[self.pos]
        self.pos += 1
        kind = token[0]
        if kind == "(":
            if self.peek() == ")":
                raise self.error("empty parentheses")
            node = self.sequence()
            self.pos += 1  # the ')' (the lexer checked the balance)
            return node
        if kind in ("word", "phrase"):
            return _phrase(token[1], quoted=kind == "phrase", query=self.query)
        raise self.error(f"unexpected {kind.upper() if kind.isalpha() else kind!r}")


def _phrase(value: str, *, quoted: bool, query: str) -> Phrase | None:
    cleaned = _WHITESPACE.apply(value).strip()
    phrase_terms = tuple(terms(cleaned))
    if not phrase_terms:
        if quoted:
            raise QuerySyntaxError(f'nothing to search for in the phrase "{value}" (in the query {query!r})')
        return None  # punctuation on its own (a stray + or /) searches for nothing: skip it
    if len(phrase_terms) == 1 and len(phrase_terms[0]) == 1 and _CJK_CHAR.match(phrase_terms[0]):
        raise QuerySyntaxError(
            f"{phrase_terms[0]!r} is a single Chinese character: search for two or more characters "
            "(the index is made of character pairs)"
        )
    return Phrase(cleaned, phrase_terms)


def parse_query(query: str) -> Query:
    """Read a query (see the module docstring); raises QuerySyntaxError when it cannot."""
    parser = _Parser(query, _lex(query))
    root = parser.parse()
    if root is None:  # pragma: no cover - sequence() never returns None
        raise QuerySyntaxError(f"nothing to search for in {query!r}")
    return Query(query, root)


# -- snippets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    """A piece of a page's text around the best cluster of matches; `highlights` are (start, end)
    offsets of the matches in `text`."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()

    def marked(self, marks: tuple[str, str] = MARKS) -> str:
        opening, closing = marks
        out, position = [], 0
        for start, end in self.highlights:
            out.append(self.text[position:start])
            out.append(f"{opening}{self.text[start:end]}{closing}")
            position = end
        out.append(self.text[position:])
        return "".join(out)


_fold_cache: dict[str, str] = {}


def _same_length_fold(value: str) -> str:
    """NFKC character by character where that keeps one character (full-width Ａ to A, ， to ,), so
    that offsets in the folded text are offsets in the text."""
    if value.isascii():
        return value
    table = {}
    for char in set(value):
        if char < "\x80":
            continue
        folded = _fold_cache.get(char)
        if folded is None:
            normal = unicodedata.normalize("NFKC", char)
            folded = _fold_cache[char] = normal if len(normal) == 1 else char
        if folded != char:
            table[ord(char)] = folded
    return value.translate(table) if table else value


# How the index cuts text into terms (storage/fulltext.py), as patterns: a word run is a maximal run
# of letters and digits that are not CJK; a CJK run is cut at CJK punctuation into pieces; between two
# terms may stand anything that makes no term.
_PUNCT_CLASS = _CJK_PUNCT.pattern
_WORD_CHAR = rf"[^\W_{CJK}]"
_CJK_LETTER = rf"(?:(?!{_PUNCT_CLASS})[{CJK}])"
_RUN_STARTS = rf"(?:(?<![{CJK}])|(?<={_PUNCT_CLASS}))"
_RUN_ENDS = rf"(?!{_CJK_LETTER})"
_GAP = r"[\W_]*?"
_CJK_PIECES = re.compile("[^" + _PUNCT_CLASS[1:] + "+")


@functools.lru_cache(maxsize=256)
def _phrase_pattern(phrase: Phrase) -> re.Pattern[str]:
    """Where a phrase's terms stand side by side in a (folded) text, as the index would find them.

    A Chinese piece that is not the phrase's first must start a run of Chinese on the page, one that is
    not its last must end one (人工智能 AI matches 人工智能AI, not 人工智能化AI); a lone character
    stands alone, except at the end where it may begin a longer run (see Phrase.prefix).
    """
    pieces: list[tuple[str, str]] = []
    for match in _RUN.finditer(unicodedata.normalize("NFKC", phrase.text)):
        cjk, word = match.groups()
        if cjk:
            pieces.extend(("cjk", piece.group()) for piece in _CJK_PIECES.finditer(cjk))
        else:
            pieces.append(("word", word))
    parts = []
    for index, (kind, piece) in enumerate(pieces):
        first, last = index == 0, index == len(pieces) - 1
        if kind == "word":
            parts.append(rf"(?<!{_WORD_CHAR}){re.escape(piece)}(?!{_WORD_CHAR})")
            continue
        single = len(piece) == 1
        starts = _RUN_STARTS if (single or not first) else ""
        ends = _RUN_ENDS if not last else ""
        parts.append(f"{starts}{re.escape(piece)}{ends}")
    return re.compile(_GAP.join(parts), re.IGNORECASE)


def find_matches(value: str, phrases: Sequence[Phrase]) -> list[tuple[int, int, int]]:
    """Where the phrases occur in a text: (start, end, phrase number), in text order."""
    folded = _same_length_fold(value)
    found = [
        (match.start(), match.end(), number)
        for number, phrase in enumerate(phrases)
        for match in _phrase_pattern(phrase).finditer(folded)
    ]
    found.sort()
    return found


_BREAK_BEFORE = re.compile(r"[。！？；!?;\n]")


def make_snippet(value: str, phrases: Sequence[Phrase], width: int = SNIPPET_WIDTH) -> Snippet:
    """The stretch of `value` (about `width` characters) with the most different phrases, marked."""
    matches = find_matches(value, phrases)[:500]
    if not matches:
        return _cut(value, 0, min(len(value), width), [])
    best_start, best_score = matches[0][0], (-1, -1)
    for start, _, _ in matches:
        window = [m for m in matches if m[0] >= start and m[1] <= start + width]
        score = (len({m[2] for m in window}), len(window))
        if score > best_score:
            best_start, best_score = start, score
    # Some context before the first match, starting at a sentence boundary when one is near.
    lead = width // 5
    begin = max(0, best_start - lead)
    boundary = None
    for found in _BREAK_BEFORE.finditer(value, begin, best_start):
        boundary = found.end()
    if boundary is not None and best_start - boundary <= lead:
        begin = boundary
    end = min(len(value), begin + width)
    inside = [(s, e) for s, e, _ in matches if s >= begin and e <= end]
    return _cut(value, begin, end, inside)


def _cut(value: str, begin: int, end: int, spans: list[tuple[int, int]]) -> Snippet:
    piece = value[begin:end].replace("\n", " ")
    stripped = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(value) else ""
    shift = len(prefix) - begin - stripped
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(spans):
        start, stop = start + shift, stop + shift
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    limit = len(prefix) + len(piece)
    merged = [(s, min(e, limit)) for s, e in merged if s >= len(prefix) and s < limit]
    return Snippet(prefix + piece + suffix, tuple(merged))


# -- searching -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    document_id: int
    version_id: int
    seq: int
    current: bool
    url: str
    title: str | None
    source: str
    state: str
    published: date | None
    fetched_at: datetime
    language: str | None
    categories: list[str]
    score: float
    snippet: Snippet = field(default_factory=lambda: Snippet(""))

    @property
    def date(self) -> date:
        """The page's date: the one it states, else the day it was fetched."""
        return self.published or self.fetched_at.date()

    def to_dict(self, marks: tuple[str, str] = MARKS) -> dict[str, Any]:
        return {
            "id": self.document_id,
            "url": self.url,
            "title": self.title,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "date": self.date.isoformat(),
            "snippet": self.snippet.marked(marks),
            "score": float(f"{self.score:.6g}"),
            "language": self.language,
            "categories": self.categories,
            "state": self.state,
            "version": self.seq,
            "version_id": self.version_id,
            "current": self.current,
            "fetched_at": self.fetched_at.isoformat(),
        }


@dataclass(frozen=True)
class _Hit:
    score: float
    document_id: int
    version_id: int


def search(
    session: Session,
    query: str | Query,
    *,
    categories: Sequence[str] = (),
    sources: Sequence[str] = (),
    languages: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
    all_versions: bool = False,
    limit: int = DEFAULT_LIMIT,
    snippet_width: int = SNIPPET_WIDTH,
) -> list[SearchResult]:
    """Pages matching the query, best first.

    Current versions only, unless `all_versions`: then earlier versions too, each matching version a
    result of its own (`current` tells which). Filters: categories (any of), sources, languages,
    and the page's date (stated, else the day fetched; `since` and `until` inclusive).
    """
    parsed = query if isinstance(query, Query) else parse_query(query)
    check_range(since, until)
    if limit < 1:
        raise ValueError("the limit must be at least 1")
    filters = _Filters(categories, sources, languages, since, until)
    hits = _search_index(session, parsed, filters, current=True, limit=limit)
    if all_versions:
        hits += _search_index(session, parsed, filters, current=False, limit=limit)
        hits.sort(key=lambda h: (-h.score, h.document_id, -h.version_id))
        hits = hits[:limit]
    return _results(session, parsed, hits, snippet_width)


@dataclass(frozen=True)
class _Filters:
    categories: Sequence[str]
    sources: Sequence[str]
    languages: Sequence[str]
    since: date | None
    until: date | None


def _search_index(
    session: Session, query: Query, filters: _Filters, *, current: bool, limit: int
) -> list[_Hit]:
    sqlite = session.get_bind().dialect.name == "sqlite"
    score: Any
    name = "search_index" if current else "history_index"
    if sqlite:
        index = table(name, column("rowid"))
        key = index.c.rowid
        score = literal_column(f"-bm25({name}, 10.0, 1.0)", Float)
        match: Any = text(f"{name} MATCH :match").bindparams(match=query.to_fts5())
    else:
        index = table(name, column("document_id" if current else "version_id"), column("terms"))
        key = index.c.document_id if current else index.c.version_id
        tsquery = cast(literal(query.to_tsquery(), String), TSQUERY)
        # Normalisation 1 divides by the log of the document's length, as bm25 discounts long pages.
        score = func.ts_rank(index.c.terms, tsquery, 1, type_=Float)
        match = index.c.terms.op("@@")(tsquery)
    condition = all_of(
        [
            version_category_clause(filters.categories),
            language_clause(filters.languages),
            source_clause(filters.sources),
            *date_range(page_date(), filters.since, filters.until),
        ]
    )
    if condition is None:
        # Nothing to filter: rank in the index alone, then look up the few pages kept (joining every
        # match to its 3 KB version row first costs more than the ranking).
        best = (
            select(key.label("key"), score.label("score"))
            .select_from(index)
            .where(match)
            .order_by(literal_column("score").desc(), key.desc() if not current else key)
            .limit(limit)
            .subquery()
        )
        if current:
            statement: Select[Any] = select(Document.id, Document.current_version_id, best.c.score).join(
                best, best.c.key == Document.id
            )
        else:
            statement = select(Version.document_id, Version.id, best.c.score).join(
                best, best.c.key == Version.id
            )
        statement = statement.order_by(best.c.score.desc(), best.c.key)
        return [_Hit(float(row[2]), row[0], row[1]) for row in session.execute(statement)]
    statement = select(Document.id, Version.id, score.label("score")).select_from(index)
    if current:
        statement = statement.join(Document, Document.id == key).join(
            Version, Version.id == Document.current_version_id
        )
    else:
        statement = statement.join(Version, Version.id == key).join(
            Document, Document.id == Version.document_id
        )
    statement = statement.where(match)
    if filters.sources:
        statement = statement.join(Source, Source.id == Document.source_id)
    statement = statement.where(condition)
    statement = statement.order_by(literal_column("score").desc(), Document.id, Version.id.desc())
    statement = statement.limit(limit)
    return [_Hit(float(row[2]), row[0], row[1]) for row in session.execute(statement)]


def _results(session: Session, query: Query, hits: list[_Hit], snippet_width: int) -> list[SearchResult]:
    if not hits:
        return []
    rows = session.execute(
        select(Version, Document.url, Document.state, Document.current_version_id, Source.name)
        .join(Document, Document.id == Version.document_id)
        .join(Source, Source.id == Document.source_id)
        .where(Version.id.in_([hit.version_id for hit in hits]))
    ).all()
    by_version = {row[0].id: row for row in rows}
    phrases = query.phrases()
    results = []
    for hit in hits:
        version, url, state, current_id, source = by_version[hit.version_id]
        results.append(
            SearchResult(
                document_id=hit.document_id,
                version_id=version.id,
                seq=version.seq,
                current=version.id == current_id,
                url=url,
                title=version.title,
                source=source,
                state=state,
                published=version.published,
                fetched_at=version.fetched_at,
                language=version.language,
                categories=version.category_list,
                score=hit.score,
                snippet=make_snippet(version.text, phrases, snippet_width),
            )
        )
    return results


__all__ = [
    "DEFAULT_LIMIT",
    "MARKS",
    "AllOf",
    "AnyOf",
    "Phrase",
    "Query",
    "QuerySyntaxError",
    "SearchResult",
    "Snippet",
    "find_matches",
    "make_snippet",
    "parse_query",
    "search",
]

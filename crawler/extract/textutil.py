"""Small text helpers shared by the extractor: whitespace folding, a matching form of the text that keeps
character offsets, and sentence splitting for Chinese and English."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


# A pattern written as (?<![A-Za-z])(?:word|other words) is tried at every position of the text: the
# look-behind keeps the regex engine from skipping ahead to the letters its words start with. These two
# give the same matches for the pattern without the look-behind, several times faster.
def search_word(
    pattern: re.Pattern[str],
    text: str,
    pos: int = 0,
    endpos: int | None = None,
    not_after: frozenset[str] = LATIN_LETTERS,
) -> re.Match[str] | None:
    """The first match of pattern that does not start right after one of `not_after` (a letter)."""
    end = len(text) if endpos is None else endpos
    while True:
        match = pattern.search(text, pos, end)
        if match is None or match.start() == 0 or text[match.start() - 1] not in not_after:
            return match
        pos = match.start() + 1


def finditer_words(
    pattern: re.Pattern[str], text: str, not_after: frozenset[str] = LATIN_LETTERS
) -> Iterator[re.Match[str]]:
    """Every match of pattern that does not start right after one of `not_after`, as finditer."""
    pos = 0
    while (match := search_word(pattern, text, pos, None, not_after)) is not None:
        yield match
        # An empty match must not stop the search where it is (finditer moves one on).
        pos = match.end() if match.end() > match.start() else match.end() + 1


# Zero-width characters, soft hyphens and C0 control characters: invisible on the page, noise in the text.
_INVISIBLE = dict.fromkeys(
    [*map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\x7f"), *(c for c in range(32) if chr(c) not in "\t\n\r")]
)

_INVISIBLE_CHAR = re.compile("[" + re.escape("".join(map(chr, _INVISIBLE))) + "]")


def squash(text: str) -> str:
    """Whitespace runs folded to one space (every Unicode space, U+3000 indentation included) and
    zero-width characters dropped: real pages hide U+200B inside document numbers."""
    if not text:
        return ""
    if _INVISIBLE_CHAR.search(text):  # rare: a search is much cheaper than translating every text
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


def _match_table() -> dict[int, str]:
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}  # full-width ASCII
    table.update({ord(c): '"' for c in "“”„‟〝〞"})
    table.update({ord(c): "'" for c in "‘’‚‛′"})
    table.update({ord(c): "-" for c in "‐‑‒–—―−"})
    table.update({ord(c): " " for c in "\u3000\u00a0\u2002\u2003\u2009"})
    return table


_MATCH_TABLE = _match_table()
# str.translate looks every character up in the table; on Chinese text, where one character in ten or
# twenty needs folding, replacing just the matches of a character class is three times faster.
_FOLDED_CHARS = re.compile("[" + re.escape("".join(sorted(map(chr, _MATCH_TABLE)))) + "]")


def _fold_char(match: re.Match[str]) -> str:
    return _MATCH_TABLE[ord(match.group())]


@functools.lru_cache(maxsize=1024)
def match_form(text: str) -> str:
    """The text with width and punctuation variants folded one character to one character, so a match
    in it has the same offsets in the original: 人工智能＋ and 人工智能+, “ and ", — and - are one."""
    return _FOLDED_CHARS.sub(_fold_char, text)


# Characters per word in Chinese text, so that Chinese and English are compared in words.
_HAN_PER_WORD = 1.7


def cjk_ratio(text: str) -> float:
    """Share of Chinese among the words of the text (Chinese words estimated from the character count):
    the page's language at a glance."""
    # Counted by runs: Chinese comes in long runs, and a list of every character costs five times more.
    han = sum(map(len, _HAN_RUN.findall(text))) / _HAN_PER_WORD
    words = len(LATIN_WORD.findall(text))
    total = han + words
    return han / total if total else 0.0


@dataclass(frozen=True)
class Span:
    """A sentence: its text and where it sits in its paragraph."""

    start: int
    end: int
    text: str


# Sentence ends: 。！？ (and ! ? in Chinese text) with the closing quotes that follow them, or a full
# stop before whitespace and a capital, digit or opening quote.
_BREAK = re.compile(r"[。！？!?][”’」』）)\"']*|\.[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
# fmt: off
_ABBREVIATIONS = frozenset([
    "no", "nos", "inc", "ltd", "co", "corp", "mr", "mrs", "ms", "dr", "prof", "st", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "e.g", "i.e", "vs", "etc",
    "art", "para", "fig", "gov", "a.i",
])
# fmt: on


@functools.lru_cache(maxsize=1024)
def split_sentences(text: str) -> tuple[Span, ...]:
    """Sentences of one paragraph. Chinese ends at 。！？ (closing quotes stay with the sentence, so a
    quote and its “...”他说 attribution split cleanly); English at . ! ? before a capital, except after
    abbreviations (No. 2, Inc., U.S., Oct. 14). Cached: every step of the extractor reads them."""
    spans: list[Span] = []
    start = 0
    for match in _BREAK.finditer(text):
        if match.group(0)[0] == "." and _is_abbreviation(text, match.start()):
            continue
        end = match.end()
        _add_span(spans, text, start, end)
        start = end
    _add_span(spans, text, start, len(text))
    return tuple(spans)


def _is_abbreviation(text: str, dot: int) -> bool:
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _add_span(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    if end > start:
        spans.append(Span(start, end, text[start:end]))

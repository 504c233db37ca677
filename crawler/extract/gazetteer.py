"""The data files of known regulations (data/regulations.toml) and proposers (data/persons.toml),
loaded once, with the lookups the extractors need: a document by any of its names, and one scan of a
text for every name written without book-title marks (网络安全法, Personal Information Protection Law)."""

from __future__ import annotations

import bisect
import functools
import logging
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick

from crawler.extract.textutil import match_form
from storage.mentions import fold

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
_HAN = re.compile(r"[\u4e00-\u9fff]")
# A draft marker written as part of a title: 《X（征求意见稿）》, X (Draft for Comment).
DRAFT_SUFFIX = re.compile(
    r"\s*[（(]\s*(?:征求意见稿|草案|修订草案|修正草案|送审稿|草案送审稿|修订草案送审稿|修正草案送审稿|"
    r"草案征求意见稿|修订草案征求意见稿|修正草案征求意见稿|"
    r"Draft(?: for (?:Public )?Comments?)?|draft)\s*[)）]\s*$"
)


@dataclass(frozen=True)
class Regulation:
    id: str
    zh: str
    en: str | None
    names: tuple[str, ...]  # zh, en and every alias
    issuer: str | None
    doc_number: str | None
    doc_number_aliases: tuple[str, ...]
    category: str | None
    status: str  # final | draft | proposed

    @property
    def proposed(self) -> bool:
        """The document does not exist yet: only a draft of it can be mentioned."""
        return self.status == "proposed"


@dataclass(frozen=True)
class Person:
    zh: str
    en: str | None
    role: str | None
    organization: str | None
    organization_en: str | None


# Words that translations of one title use for the same Chinese word (管理: administration or
# management; 规定: provisions or rules).
_SAME_WORD = {"administration": "management", "rules": "provisions", "rule": "provision"}
_TITLE_FUNCTION_WORDS = frozenset(["the", "of", "on", "for", "in", "and", "to", "a", "an", "s"])


def _title_words(name: str) -> frozenset[str]:
    """The content words of an English title, AI spelt out and plurals folded: the words that identify
    a document whichever way a page words its title."""
    text = re.sub(r"\bAI\b", "artificial intelligence", DRAFT_SUFFIX.sub("", name))
    words = re.findall(r"[a-z0-9]+", text.lower())
    folded = (_SAME_WORD.get(w, w) for w in words)
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in folded) - _TITLE_FUNCTION_WORDS


def title_key(title: str) -> str:
    """A title's comparison form: folded (marks, quotes, spaces, width, case) without a draft marker, so
    the draft and the final text of one document are one mention."""
    return fold(DRAFT_SUFFIX.sub("", title.strip()))


class KnownName(NamedTuple):
    """A name to look for: literal fragments that every match contains (in lower case when the name
    matches in any case), the name's pattern, its document."""

    fragments: tuple[str, ...]
    any_case: bool
    pattern: re.Pattern[str]
    entry: Regulation


class RegulationGazetteer:
    def __init__(self, regulations: list[Regulation]) -> None:
        self.regulations = regulations
        self._by_key: dict[str, Regulation] = {}
        # One pattern per name, with literal fragments that must occur for the pattern to be worth
        # running: a str `in` test per name is ~100 times cheaper than one big alternation tried at every
        # position of the page.
        self._names: list[KnownName] = []
        # The content words of every English name, for lookup_loose.
        self._english_words = [
            (entry, _title_words(name))
            for entry in regulations
            for name in entry.names
            if not _HAN.search(name)
        ]
        for entry in regulations:
            for name in entry.names:
                for variant in _spelling_variants(name):
                    self._by_key.setdefault(title_key(variant), entry)
                    self._names.append(_known_name(variant, entry))
        # The page is searched once, by an Aho-Corasick automaton of every name's first fragment (one per
        # case mode), not once per fragment; a name's other fragments are checked only in the
        # paragraphs that hold its first.
        self._automata: list[tuple[bool, Any]] = []
        for any_case in (False, True):
            automaton = ahocorasick.Automaton()
            for number, known in enumerate(self._names):
                if known.any_case == any_case:
                    fragment = known.fragments[0]
                    numbers = automaton.get(fragment, ())
                    automaton.add_word(fragment, (*numbers, number))
            if len(automaton):
                automaton.make_automaton()
                self._automata.append((any_case, automaton))

    def lookup(self, title: str) -> Regulation | None:
        """The document named exactly by this title (any of its names, draft marker ignored)."""
        return self._by_key.get(title_key(title))

    def lookup_loose(self, title: str, place: str | None = None) -> Regulation | None:
        """A document named the way English reporting shortens it: "Shenzhen's Regulations on
        Promoting the Artificial Intelligence Industry" for the Regulations of Shenzhen Special Economic
        Zone on …, "Measures on Anthropomorphic AI Interaction Services" for the Interim Measures for
        the Administration of …. The one document with an English name that holds every content word
        of the title (AI spelt out, plurals folded) and the place, if one is given; a title of fewer
        than four content words without a place is too vague to match."""
        wanted = _title_words(title)
        place_words = _title_words(place) if place else frozenset()
        if len(wanted) < (1 if place_words else 4):
            return None
        wanted |= place_words
        found = {entry.id: entry for entry, words in self._english_words if wanted <= words}
        return next(iter(found.values())) if len(found) == 1 else None

    def names_by_paragraph(self, paragraphs: list[str]) -> dict[int, list[KnownName]]:
        """The names worth scanning for in each paragraph (by index; paragraphs without any are
        left out): those whose fragments all occur in it. One Aho-Corasick pass over the whole page
        finds every fragment, rather than a search of every paragraph for every fragment."""
        page = match_form("\n".join(paragraphs))
        lowered = _ascii_lower(page)
        starts = []
        position = 0
        for paragraph in paragraphs:
            starts.append(position)
            position += len(paragraph) + 1
        paragraphs_of: dict[int, set[int]] = {}  # name number -> paragraphs holding its first fragment
        for any_case, automaton in self._automata:
            for last, numbers in automaton.iter(lowered if any_case else page):
                index = bisect.bisect_right(starts, last) - 1
                for number in numbers:
                    paragraphs_of.setdefault(number, set()).add(index)
        result: dict[int, list[KnownName]] = {}
        for number in sorted(paragraphs_of):  # in gazetteer order, which decides between equals
            known = self._names[number]
            text = lowered if known.any_case else page
            for index in sorted(paragraphs_of[number]):
                end = starts[index + 1] if index + 1 < len(starts) else len(page)
                if all(text.find(fragment, starts[index], end) >= 0 for fragment in known.fragments[1:]):
                    result.setdefault(index, []).append(known)
        return result

    def scan(self, text: str, names: list[KnownName] | None = None) -> Iterator[tuple[int, int, Regulation]]:
        """Every known name in the text, as (start, end, document), longest first where names overlap
        (中华人民共和国网络安全法 rather than the 网络安全法 inside it). `names` narrows the search to
        what names_by_paragraph found for the paragraph."""
        folded = match_form(text)
        lowered = ""
        found: list[tuple[int, int, Regulation]] = []
        for name in self._names if names is None else names:
            if name.any_case and not lowered:
                lowered = _ascii_lower(folded)
            searched = lowered if name.any_case else folded
            if all(fragment in searched for fragment in name.fragments):
                found.extend((m.start(), m.end(), name.entry) for m in name.pattern.finditer(searched))
        found.sort(key=lambda item: (item[0], item[0] - item[1]))
        end = -1
        for start, stop, entry in found:
            if start >= end:
                yield start, stop, entry
                end = stop


_COMMON_WORDS = frozenset(
    [
        "artificial", "intelligence", "information", "administration", "management", "services", "service",
        "measures", "provisions", "regulations", "security", "protection", "development", "technology",
        "national", "internet", "china", "people's", "republic", "generative", "content", "governance",
        "personal", "network", "cyberspace", "opinions", "guidelines", "implementation", "promoting",
        "industry", "action", "plan",
    ]
)  # fmt: skip
# Characters the name pattern lets vary (dashes, quotes): a fragment must not hold them.
_NOT_LITERAL = re.compile(r"[\-\"']")


def _known_name(name: str, entry: Regulation) -> KnownName:
    # Long Latin names match whatever their case ("draft measures for labelling AI-generated synthetic
    # content"); short ones only as written: "copyright law" in lower case is a field of law, "Copyright
    # Law" the statute. A name that matches in any case is matched in lower case on lower-cased text (a
    # case-insensitive pattern costs several times more), and only where all its longer words occur.
    folded = match_form(name)
    if not _HAN.search(name) and len(name.split()) >= 4:
        # The first word is the one the page is searched for: the longest that is not everywhere in
        # writing about AI policy.
        words = sorted(
            {word for word in folded.lower().split() if len(word) >= 4 and not _NOT_LITERAL.search(word)},
            key=lambda word: (word not in _COMMON_WORDS, len(word)),
            reverse=True,
        )
        pattern = re.compile(_name_pattern(name.lower()))
        return KnownName(tuple(words) or (folded.lower(),), True, pattern, entry)
    fragment = max(re.split(r"[\s\-\"']+", folded), key=len)
    return KnownName((fragment,), False, re.compile(_name_pattern(name)), entry)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _ascii_lower(text: str) -> str:
    """Lower case with every offset where it was: str.lower() (fast) unless some letter's lower case
    has two characters (İ), then only ASCII letters are lowered."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


def _spelling_variants(name: str) -> list[str]:
    variants = [name]
    if "Labeling" in name:
        variants.append(name.replace("Labeling", "Labelling"))
    return variants


def _name_pattern(name: str) -> str:
    """A name as a pattern over match_form text: spaces and dashes flexible, Latin names bounded by
    non-letters, Chinese law names not followed by a character that makes another word (网络安全法律)."""
    name = match_form(name)
    # "AI" as a word of an English name, written A.I. by some papers (The New York Times): a control
    # character stands for it while the name is turned into a pattern.
    if not _HAN.search(name):
        name = re.sub(r"(?<![A-Za-z])[Aa][Ii](?![A-Za-z])", "\x00", name)
    parts = []
    for char in name:
        if char == "\x00":
            parts.append(r"[Aa]\.?[Ii]\.?")
        elif char == " ":
            # English writers quote some words of a name or not ("AI Plus" guideline, AI Plus
            # guideline): a quote may stand at any word boundary.
            parts.append(r"\s*" if _HAN.search(name) else r"[\"']?\s+[\"']?")
        elif char == "-":
            parts.append(r"\s*-\s*")
        elif char == '"':
            parts.append(r"[\"']?")
        elif char == "'":
            parts.append(r"'?")
        else:
            parts.append(re.escape(char))
    pattern = "".join(parts)
    if _HAN.search(name):
        if name.endswith("法"):
            pattern += r"(?![律规治学院人官庭典制])"
        return pattern
    if name[:1].isascii() and name[:1].isalnum():
        # The look-behind goes after the first letter (same meaning): a pattern that starts with a
        # literal lets the regex engine jump from candidate to candidate instead of trying every
        # position of a long paragraph.
        first = re.escape(name[0])
        return rf"{first}(?<![A-Za-z]{first}){pattern[len(first) :]}(?![A-Za-z])"
    return rf"(?<![A-Za-z]){pattern}(?![A-Za-z])"


@functools.lru_cache(maxsize=4)
def load_regulations(path: Path | None = None) -> RegulationGazetteer:
    path = path or DATA_DIR / "regulations.toml"
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    entries = []
    for row in data.get("regulation", []):
        names = tuple(n for n in (row["zh"], row.get("en"), *row.get("aliases", [])) if n)
        entries.append(
            Regulation(
                id=row["id"],
                zh=row["zh"],
                en=row.get("en"),
                names=names,
                issuer=row.get("issuer"),
                doc_number=row.get("doc_number"),
                doc_number_aliases=tuple(row.get("doc_number_aliases", [])),
                category=row.get("category"),
                status=row.get("status", "final"),
            )
        )
    log.debug("loaded %d regulations from %s", len(entries), path)
    return RegulationGazetteer(entries)


@functools.lru_cache(maxsize=4)
def load_persons(path: Path | None = None) -> dict[str, Person]:
    """Known proposers by Chinese and by English name."""
    path = path or DATA_DIR / "persons.toml"
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    people: dict[str, Person] = {}
    for row in data.get("person", []):
        person = Person(
            zh=row["zh"],
            en=row.get("en"),
            role=row.get("role"),
            organization=row.get("organization"),
            organization_en=row.get("organization_en"),
        )
        people[person.zh] = person
        if person.en:
            people[person.en] = person
    return people


@functools.lru_cache(maxsize=1)
def load_names() -> dict[str, Any]:
    """Surname lists (data/names.toml), whitespace removed from the Chinese string."""
    with open(DATA_DIR / "names.toml", "rb") as handle:
        data = tomllib.load(handle)
    data["surnames"] = "".join(data.get("surnames", "").split())
    return data

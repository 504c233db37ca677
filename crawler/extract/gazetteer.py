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
from typing import Any

from crawler.extract.textutil import match_form
from storage.mentions import fold

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
_HAN = re.compile(r"[\u4e00-\u9fff]")
# A draft marker written as part of a title: 《X（征求意见稿）》, X (Draft for Comment).
DRAFT_SUFFIX = re.compile(
    r"\s*[（(]\s*(?:征求意见稿|草案|修订草案|送审稿|草案征求意见稿|"
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


def title_key(title: str) -> str:
    """A title's comparison form: folded (marks, quotes, spaces, width, case) without a draft marker, so
    the draft and the final text of one document are one mention."""
    return fold(DRAFT_SUFFIX.sub("", title.strip()))


# A name to look for: a literal fragment that every match contains, the name's pattern, its document.
KnownName = tuple[str, re.Pattern[str], Regulation]


class RegulationGazetteer:
    def __init__(self, regulations: list[Regulation]) -> None:
        self.regulations = regulations
        self._by_key: dict[str, Regulation] = {}
        # One pattern per name, each with a literal fragment that must occur for the pattern to be worth
        # running: a str `in` test per name is ~100 times cheaper than one big alternation tried at every
        # position of the page.
        self._names: list[KnownName] = []
        for entry in regulations:
            for name in entry.names:
                for variant in _spelling_variants(name):
                    self._by_key.setdefault(title_key(variant), entry)
                    # Long Latin names match whatever their case ("draft measures for labelling
                    # AI-generated synthetic content"); short ones only as written: "copyright law" in
                    # lower case is a field of law, "Copyright Law" the statute. Fragments are compared
                    # in lower case.
                    long_latin = not _HAN.search(variant) and len(variant.split()) >= 4
                    flags = re.IGNORECASE if long_latin else 0
                    pattern = re.compile(_name_pattern(variant), flags)
                    self._names.append((_ascii_lower(_fragment(variant)), pattern, entry))
        self._fragments = sorted({name[0] for name in self._names})

    def lookup(self, title: str) -> Regulation | None:
        """The document named exactly by this title (any of its names, draft marker ignored)."""
        return self._by_key.get(title_key(title))

    def names_by_paragraph(self, paragraphs: list[str]) -> dict[int, list[KnownName]]:
        """The names worth scanning for in each paragraph (by index; paragraphs without any are
        left out): those whose fragment occurs in it. The page is searched once per fragment rather
        than every paragraph for every fragment."""
        page = _ascii_lower(match_form("\n".join(paragraphs)))
        starts = []
        position = 0
        for paragraph in paragraphs:
            starts.append(position)
            position += len(paragraph) + 1
        paragraphs_of: dict[str, set[int]] = {}
        for fragment in self._fragments:
            at = page.find(fragment)
            while at >= 0:
                paragraphs_of.setdefault(fragment, set()).add(bisect.bisect_right(starts, at) - 1)
                at = page.find(fragment, at + 1)
        result: dict[int, list[KnownName]] = {}
        for name in self._names:  # in gazetteer order, which decides between equal matches
            for index in paragraphs_of.get(name[0], ()):
                result.setdefault(index, []).append(name)
        return result

    def scan(self, text: str, names: list[KnownName] | None = None) -> Iterator[tuple[int, int, Regulation]]:
        """Every known name in the text, as (start, end, document), longest first where names overlap
        (中华人民共和国网络安全法 rather than the 网络安全法 inside it). `names` narrows the search to
        what names_by_paragraph found for the paragraph."""
        folded = match_form(text)
        lowered = _ascii_lower(folded)
        found: list[tuple[int, int, Regulation]] = []
        for fragment, pattern, entry in self._names if names is None else names:
            if fragment in lowered:
                found.extend((m.start(), m.end(), entry) for m in pattern.finditer(folded))
        found.sort(key=lambda item: (item[0], item[0] - item[1]))
        end = -1
        for start, stop, entry in found:
            if start >= end:
                yield start, stop, entry
                end = stop


_ASCII_CAPITALS = re.compile("[A-Z]+")


def _ascii_lower(text: str) -> str:
    """Lower case for ASCII letters only, so that every offset stays where it was (str.lower() turns
    some letters into two characters)."""
    return _ASCII_CAPITALS.sub(lambda match: match.group().lower(), text)


def _fragment(name: str) -> str:
    """A literal piece of the name that every spelling the pattern accepts contains."""
    pieces = re.split(r"[\s\-\"']+", match_form(name))
    return max(pieces, key=len)


def _spelling_variants(name: str) -> list[str]:
    variants = [name]
    if "Labeling" in name:
        variants.append(name.replace("Labeling", "Labelling"))
    return variants


def _name_pattern(name: str) -> str:
    """A name as a pattern over match_form text: spaces and dashes flexible, Latin names bounded by
    non-letters, Chinese law names not followed by a character that makes another word (网络安全法律)."""
    name = match_form(name)
    parts = []
    for char in name:
        if char == " ":
            parts.append(r"\s*" if _HAN.search(name) else r"\s+")
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

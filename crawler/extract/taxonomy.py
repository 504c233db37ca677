"""Categories: the six slugs of DESIGN.md, decided from the terms in data/taxonomy.toml.

A page belongs to every category whose terms occur a fair number of times in its main text, relative
to its main category; a single mention (one proposal, one regulation) gets its one strongest category.

Every occurrence counts. Counting sentences instead (a sentence that names a category's terms three
times counted once) gave a category to every subject a page touched in passing: a page about the
subject names its terms again and again, a list of sectors names each once. Against a second analyst
who labelled 30 pages blind, counting occurrences agrees at F1 0.87 where counting sentences agreed at
0.84 (bench/category_agreement.py), and it is better on 11 of the 16 studied sets."""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

SLUGS = (
    "model_development",
    "data_sharing",
    "skills_development",
    "safety_governance",
    "infrastructure",
    "industry_application",
)
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "taxonomy.toml"

# A page category needs this many occurrences of its terms, and this share of the main category's. Set
# on the evaluation set (bench/extraction_quality.py) with round numbers, not fitted to the last digit.
MIN_OCCURRENCES = 2
RELATIVE_SHARE = 0.15


_LATIN_WORD = re.compile(r"[a-z0-9][a-z0-9+&\-]*")
_HAN = re.compile(r"[\u3400-\u9fff]")
_TWO_LATIN_LETTERS = re.compile(r"[A-Za-z]{2}")


@dataclass(frozen=True)
class Taxonomy:
    """Terms per slug: Chinese ones match as substrings (one plain pattern per slug, which the regex
    engine scans fast), the others as whole words or word sequences, case-insensitively (looked up in
    a set of the sentence's word n-grams: a case-insensitive alternation tried at every character of
    a Chinese page costs ten times more)."""

    chinese: Mapping[str, re.Pattern[str]]
    latin: Mapping[str, frozenset[tuple[str, ...]]]
    longest: int
    gram_slugs: Mapping[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    # First word of the terms -> the lengths of the terms it starts: most words of a sentence start
    # no term, and one set lookup rules them out.
    gram_lengths: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def from_terms(cls, terms: Mapping[str, Iterable[str]]) -> Taxonomy:
        chinese: dict[str, re.Pattern[str]] = {}
        latin: dict[str, frozenset[tuple[str, ...]]] = {}
        longest = 1
        for slug, words in terms.items():
            words = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
            cjk = [re.escape(w) for w in words if _HAN.search(w)]
            if cjk:
                chinese[slug] = re.compile("|".join(cjk))
            grams = {tuple(_LATIN_WORD.findall(w.lower())) for w in words if not _HAN.search(w)}
            grams.discard(())
            latin[slug] = frozenset(grams)
            longest = max([longest, *(len(g) for g in grams)])
        gram_slugs: dict[tuple[str, ...], tuple[str, ...]] = {}
        for slug, slug_grams in latin.items():
            for gram in slug_grams:
                gram_slugs[gram] = (*gram_slugs.get(gram, ()), slug)
        lengths: dict[str, set[int]] = {}
        for gram in gram_slugs:
            lengths.setdefault(gram[0], set()).add(len(gram))
        gram_lengths = {word: tuple(sorted(n)) for word, n in lengths.items()}
        return cls(chinese, latin, longest, gram_slugs, gram_lengths)

    @property
    def slugs(self) -> list[str]:
        return list(dict.fromkeys([*self.chinese, *self.latin]))

    def _latin_hits(self, text: str) -> dict[str, int]:
        words = _LATIN_WORD.findall(text.lower())
        hits = dict.fromkeys(self.latin, 0)
        gram_lengths = self.gram_lengths
        for i, word in enumerate(words):
            for n in gram_lengths.get(word, ()):
                for slug in self.gram_slugs.get(tuple(words[i : i + n]), ()):
                    hits[slug] += 1
        return hits

    def page_categories(self, text: str) -> list[str]:
        """The page's categories, strongest first."""
        counts = self.scores(text)
        top = max(counts.values(), default=0)
        if top < MIN_OCCURRENCES:
            return []
        threshold = max(MIN_OCCURRENCES, RELATIVE_SHARE * top)
        chosen = [slug for slug, n in counts.items() if n >= threshold]
        return sorted(chosen, key=lambda slug: (-counts[slug], SLUGS.index(slug) if slug in SLUGS else 99))

    def scores(self, text: str) -> dict[str, int]:
        """Term occurrences per category in a short text."""
        scores = dict.fromkeys(self.slugs, 0)
        if _HAN.search(text):  # every Chinese term has a Han character: an English text skips six scans
            for slug, pattern in self.chinese.items():
                scores[slug] += len(pattern.findall(text))
        if _TWO_LATIN_LETTERS.search(text):
            for slug, n in self._latin_hits(text).items():
                scores[slug] += n
        return scores

    def best(self, text: str, default: str | None = None) -> str | None:
        """The single category of a short text (a proposal's summary, a regulation's title): the slug
        with the most term occurrences, ties going to the earlier slug in SLUGS order."""
        scores = self.scores(text)
        top = max(scores.values(), default=0)
        if top == 0:
            return default
        for slug in (*SLUGS, *scores):
            if scores.get(slug) == top:
                return slug
        return default


def _read_terms(path: Path) -> dict[str, list[str]]:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    terms: dict[str, list[str]] = {}
    for slug, table in data.items():
        if not isinstance(table, dict):
            continue
        terms[slug] = [*table.get("zh", []), *table.get("en", [])]
    return terms


@functools.lru_cache(maxsize=8)
def load_taxonomy(*extra: Path) -> Taxonomy:
    """The bundled taxonomy, extended by the terms of any further files with the same layout (a user's
    own terms are added to the bundled ones, never replace them)."""
    terms = _read_terms(DEFAULT_PATH)
    for path in extra:
        for slug, words in _read_terms(Path(path)).items():
            terms.setdefault(slug, []).extend(words)
    unknown = set(terms) - set(SLUGS)
    if unknown:
        log.warning("taxonomy categories outside DESIGN.md's slugs: %s", ", ".join(sorted(unknown)))
    return Taxonomy.from_terms(terms)

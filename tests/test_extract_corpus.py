"""Every real HTML page of the shared corpus (/work/shared/corpus) extracts without error, with a title,
a non-trivial main text and no replacement characters."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from crawler.extract import extract_page

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)


def decode_html(raw: bytes) -> str:
    """The page's meta charset (gb2312 and gbk read as GB18030, their superset), falling back to UTF-8
    (pages that declare gb2312 and were re-saved as UTF-8) and then to GB18030 (no declaration)."""
    match = _META_CHARSET.search(raw[:4096])
    declared = match.group(1).decode("ascii").lower() if match else None
    if declared in ("gb2312", "gbk", "x-gbk", "cp936"):
        declared = "gb18030"
    for encoding in [e for e in (declared, "utf-8", "gb18030") if e]:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", "replace")


def corpus_pages() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.glob("*.html"))


@pytest.fixture(autouse=True)
def corpus_present() -> None:
    if not CORPUS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the shared corpus is missing at {CORPUS}")
        pytest.skip(f"the shared corpus is not here ({CORPUS})")


@pytest.mark.parametrize("path", corpus_pages(), ids=lambda p: p.name)
def test_real_page_extracts(path: Path) -> None:
    result = extract_page(decode_html(path.read_bytes()))
    assert result.title, "no title"
    assert len(result.text) >= 50, f"main text too short: {result.text!r}"
    assert "\ufffd" not in result.text
    assert "\ufffd" not in result.title
    assert result.language in ("zh", "en")
    result.to_json()


def test_the_corpus_has_pages() -> None:
    assert len(corpus_pages()) >= 10

"""The extractor's entry point: one page in, everything the archive needs out (main text, metadata,
relevance, categories, regulation and proposal mentions), as a pure function of the page."""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crawler.extract.dom import parse_html
from crawler.extract.metadata import build_metadata, read_head
from crawler.extract.proposals import find_proposals
from crawler.extract.regulations import find_regulations
from crawler.extract.relevance import is_relevant
from crawler.extract.script import Restorer, is_traditional, to_simplified
from crawler.extract.taxonomy import load_taxonomy
from crawler.extract.text import MainText, Paragraph, extract_main_text
from crawler.extract.textutil import cjk_ratio
from storage.mentions import MentionRecord

log = logging.getLogger(__name__)

# Share of Chinese words above which a page is Chinese. An English translation quoting Chinese titles
# stays far below; a Chinese page with English names far above.
_CHINESE_SHARE = 0.5


@dataclass(frozen=True)
class PageExtraction:
    url: str | None
    title: str | None  # the document's name, site suffix removed
    published: datetime.date | None
    language: str | None  # "zh" | "en"
    relevant: bool  # is the MAIN TEXT about AI / AI policy (navigation never counts)
    text: str  # main text, boilerplate removed, paragraphs separated by "\n"
    categories: list[str]  # page categories (the six slugs of DESIGN.md)
    mentions: list[MentionRecord]
    issuer: str | None = None
    doc_number: str | None = None  # normalised to 〔〕 form, e.g. 国发〔2025〕11号

    def to_json(self) -> dict[str, Any]:
        """The `aiplus extract --json` object of DESIGN.md, plus issuer and doc_number."""
        return {
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "relevant": self.relevant,
            "text": self.text,
            "categories": list(self.categories),
            "mentions": [m.to_dict() for m in self.mentions],
            "issuer": self.issuer,
            "doc_number": self.doc_number,
        }


def extract_page(
    html: str,
    url: str | None = None,
    *,
    content_selector: str | None = None,
    exclude: Sequence[str] = (),
    language: str | None = None,
) -> PageExtraction:
    """Extract one page. `html` is decoded text; `content_selector` and `exclude` are the source's
    optional CSS selectors (main-text container; elements to drop); `language` overrides detection.

    Never raises on broken markup: what cannot be read is left empty."""
    root = parse_html(html or "")
    head = read_head(root, html or "", url)
    main = extract_main_text(root, content_selector, exclude)
    return assemble(head, main, url, language)


def assemble(head: dict[str, Any], main: MainText, url: str | None, language: str | None) -> PageExtraction:
    """Everything after the main text: metadata, relevance, categories, mentions. Separate so that a
    benchmark can feed another main-text extractor's output through the same steps."""
    text = main.text
    lang = language or _language(text, head)
    meta = build_metadata(head, text, lang)
    # The rules read a traditional Chinese page through a simplified copy (crawler/extract/script.py);
    # what they find is read back from the page as written.
    read, read_meta, restorer = main, meta, None
    if lang == "zh" and is_traditional(text):
        read = MainText([Paragraph(to_simplified(p.text), p.heading) for p in main.paragraphs], main.method)
        read_meta = dataclasses.replace(meta, title=to_simplified(meta.title) if meta.title else meta.title)
        restorer = Restorer(text, read.text)
    relevant = is_relevant(read.text, read_meta.title)
    categories = load_taxonomy().page_categories(read.text) if relevant else []
    mentions = _mentions(read, read_meta, url)
    if restorer is not None:
        mentions = [restorer.mention(m) for m in mentions]
    return PageExtraction(
        url=url,
        title=meta.title,
        published=meta.published,
        language=lang,
        relevant=relevant,
        text=text,
        categories=categories,
        mentions=mentions,
        issuer=meta.issuer,
        doc_number=meta.doc_number,
    )


def _language(text: str, head: dict[str, Any]) -> str | None:
    sample = text[:5000] or str(head.get("title") or "")
    if sample.strip():
        return "zh" if cjk_ratio(sample) >= _CHINESE_SHARE else "en"
    lang = head.get("html_lang") or ""
    if lang.startswith("zh"):
        return "zh"
    if lang.startswith("en"):
        return "en"
    return None


def _mentions(main: MainText, meta: Any, url: str | None) -> list[MentionRecord]:
    try:
        regulations = find_regulations(main.paragraphs, meta)
        proposals = find_proposals(main.paragraphs, meta)
    except Exception:  # a bug in one rule must not lose the page: log it, keep the text
        log.exception("mention extraction failed for %s", url or "<page>")
        return []
    return [*regulations, *proposals]

"""Page extraction: main text, metadata, relevance, categories, and regulation and proposal mentions,
as pure functions of a page (no network)."""

from crawler.extract.page import PageExtraction, extract_page

__all__ = ["PageExtraction", "extract_page"]

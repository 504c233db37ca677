"""Spiders, one per source kind; importing this package registers them all."""

from crawler.spiders import feed, html, json_list, sitemap
from crawler.spiders.base import KnownDocument, SourceSpider

__all__ = ["KnownDocument", "SourceSpider", "feed", "html", "json_list", "sitemap"]

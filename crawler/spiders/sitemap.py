"""Sitemaps: sitemap indexes are followed; a page whose <lastmod> is not newer than the archive's
last fetch of it is not fetched again this run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from scrapy.http import Response
from scrapy.selector import Selector

from crawler.spiders.base import SourceSpider, canonical_url


class SitemapSpider(SourceSpider):
    """A sitemap or sitemap index (XML), with `lastmod`."""

    kind = "sitemap"

    def list_links(self, response: Response, depth: int) -> Iterator[tuple[str, bool]]:
        selector = Selector(text=response.text, type="xml")
        selector.remove_namespaces()
        for loc in selector.xpath("//sitemap/loc/text()").getall():
            yield response.urljoin(loc.strip()), True
        for entry in selector.xpath("//url"):
            loc = (entry.xpath("loc/text()").get() or "").strip()
            if not loc:
                continue
            url = canonical_url(response.urljoin(loc))
            lastmod = parse_lastmod(entry.xpath("lastmod/text()").get())
            known = self.context.known.get(url)
            if known is not None and lastmod is not None and lastmod <= known.last_seen:
                self.listed.add(url)
                self.requested.add(url)  # not modified since we last saw it: no revisit either
                self.context.count("unchanged", url)
                continue
            yield url, False


def parse_lastmod(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

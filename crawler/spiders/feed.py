"""RSS and Atom feeds: every item's link is an article (filtered by `follow` when given)."""

from __future__ import annotations

from collections.abc import Iterator

from scrapy.http import Response
from scrapy.selector import Selector

from crawler.spiders.base import SourceSpider


class FeedSpider(SourceSpider):
    """An RSS 2.0, RSS 1.0 or Atom feed."""

    kind = "feed"

    def list_links(self, response: Response, depth: int) -> Iterator[tuple[str, bool]]:
        selector = Selector(text=response.text, type="xml")
        selector.remove_namespaces()
        links = selector.xpath("//item/link/text() | //item/guid[not(@isPermaLink='false')]/text()").getall()
        links += selector.xpath("//entry/link[not(@rel) or @rel='alternate']/@href").getall()
        seen = set()
        for link in links:
            link = link.strip()
            if link and link not in seen:
                seen.add(link)
                yield response.urljoin(link), False

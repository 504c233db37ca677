"""HTML list pages: article links chosen by the source's `follow` patterns, pagination followed."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from urllib.parse import urlparse

from scrapy.http import Response

from crawler.spiders.base import NEXT_PAGE_TEXT, SourceSpider


class HtmlListSpider(SourceSpider):
    """List pages with pagination; article URLs are the links matching `follow`.

    A link is taken for another list page when it is not an article and lives in the same folder as
    a start URL (index_1.htm, index_2.htm ...) or its text says "next page" (下一页, Next, »).
    """

    kind = "html"

    def list_links(self, response: Response, depth: int) -> Iterator[tuple[str, bool]]:
        if not hasattr(response, "css"):
            return
        list_folders = {_folder(u) for u in self.source.start_urls}
        for anchor in response.css("a[href]"):
            href = anchor.attrib.get("href", "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "#")):
                continue
            url = response.urljoin(href)
            if self.is_article(url) and self.follow:
                yield url, False
                continue
            text = " ".join(anchor.css("::text").getall())
            if NEXT_PAGE_TEXT.match(text) or _folder(url) in list_folders:
                yield url, True


def _folder(url: str) -> str:
    parsed = urlparse(url)
    path = parsed.path if parsed.path.endswith("/") else posixpath.dirname(parsed.path) + "/"
    return f"{parsed.hostname}:{parsed.port}{path}"

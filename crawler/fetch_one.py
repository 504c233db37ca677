"""Fetching a single page for `aiplus extract URL`, through Scrapy, so even a one-off fetch obeys
robots.txt, sends the configured user agent, and follows redirects like a crawl does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

from crawler.scrapy_settings import scrapy_settings
from crawler.settings import CrawlSettings


@dataclass
class FetchedPage:
    url: str
    status: int
    body: bytes
    content_type: str | None


class FetchOneError(Exception):
    """The page could not be fetched."""


class _OneShot(scrapy.Spider):
    name = "aiplus-fetch"

    def __init__(self, url: str, result: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url = url
        self.result = result

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.url, callback=self.got, errback=self.failed, dont_filter=True)

    def got(self, response: scrapy.http.Response) -> None:
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
        self.result["page"] = FetchedPage(response.url, response.status, response.body, content_type)

    def failed(self, failure: Any) -> None:
        self.result["error"] = str(failure.value) or type(failure.value).__name__


def fetch_one(url: str, crawl: CrawlSettings) -> FetchedPage:
    """Fetch one URL (once per process: Twisted's reactor does not restart)."""
    result: dict[str, Any] = {}
    settings = scrapy_settings(crawl)
    settings.pop("ITEM_PIPELINES")
    process = CrawlerProcess(settings, install_root_handler=False)
    process.crawl(_OneShot, url=url, result=result)
    process.start()
    if "page" not in result:
        raise FetchOneError(
            f"cannot fetch {url}: {result.get('error', 'no response (forbidden by robots.txt?)')}"
        )
    return result["page"]

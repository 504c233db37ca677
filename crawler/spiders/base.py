"""The spider every source kind shares: article requests (conditional for pages the archive knows),
revisits of known pages the list no longer shows, and error accounting.

A kind (html, feed, sitemap, json) only says how to read its list pages: `parse_list` yields article
URLs and further list pages. Kinds register themselves by name, so an unknown kind fails when the
configuration loads.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urldefrag, urlparse

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.items import FetchedItem
from crawler.run_context import RunContext

log = logging.getLogger(__name__)

NEXT_PAGE_TEXT = re.compile(r"^\s*(下一页|下页|后页|next( page)?|older( posts)?|›|»|>)\s*$", re.IGNORECASE)
TEXT_TYPES = ("text/html", "application/xhtml", "text/plain", "application/xml", "text/xml")


@dataclass(frozen=True)
class KnownDocument:
    url: str
    etag: str | None
    last_modified: str | None
    last_seen: datetime
    text_sha256: str | None = None  # the comparison key of its current version


def canonical_url(url: str) -> str:
    return urldefrag(url)[0]


class SourceSpider(scrapy.Spider):
    """Crawls one configured source for one run."""

    kind: ClassVar[str]
    registry: ClassVar[dict[str, type[SourceSpider]]] = {}
    name = "aiplus"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            SourceSpider.registry[cls.kind] = cls

    def __init__(self, context: RunContext, **kwargs: Any) -> None:
        super().__init__(name=f"{context.source.kind}:{context.source.name}", **kwargs)
        self.context = context
        self.source = context.source
        self.follow = [re.compile(p) for p in self.source.follow]
        self.allowed_domains = self.source.allowed_domains or sorted(
            {urlparse(u).hostname or "" for u in self.source.start_urls}
        )
        self.requested: set[str] = set()  # article URLs asked for this run
        self.requested_lists: set[str] = set()
        self.listed: set[str] = set()
        self.article_requests = 0
        self._revisits_scheduled = False

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    # -- requests ------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        for url in self.source.start_urls:
            request = self.list_request(url, depth=0)
            if request is not None:
                yield request

    def list_request(self, url: str, depth: int) -> scrapy.Request | None:
        url = canonical_url(url)
        if url in self.requested_lists:
            return None  # pagers link every list page from every list page
        self.requested_lists.add(url)
        return scrapy.Request(
            url,
            callback=self.parse_list,
            errback=self.on_list_error,
            cb_kwargs={"depth": depth},
            meta={"aiplus_role": "list"},
            priority=10,  # lists first: they decide what the run fetches
        )

    def article_request(self, url: str, *, revisit: bool = False) -> scrapy.Request | None:
        url = canonical_url(url)
        if url in self.requested:
            return None
        if self.article_requests >= self.source.max_pages:
            self.context.note_limit(self.source.max_pages)
            return None
        self.requested.add(url)
        self.article_requests += 1
        headers = {}
        known = self.context.known.get(url)
        if known is not None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_article_error,
            headers=headers,
            meta={"aiplus_role": "article", "handle_httpstatus_list": [304, 404, 410], "revisit": revisit},
            dont_filter=True,  # our own `requested` set does it, cheaper than Scrapy's fingerprints
        )

    def is_article(self, url: str) -> bool:
        return any(p.search(url) for p in self.follow) if self.follow else True

    def in_scope(self, url: str) -> bool:
        host = urlparse(url).hostname or ""
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    # -- callbacks -----------------------------------------------------------------------------

    def parse_list(self, response: Response, depth: int) -> Iterator[scrapy.Request]:
        self.context.count("lists")
        for url, is_list in self.list_links(response, depth):
            url = canonical_url(url)
            if not self.in_scope(url):
                continue
            if is_list:
                if depth < self.source.max_depth and (request := self.list_request(url, depth + 1)):
                    yield request
            elif self.is_article(url):
                self.listed.add(url)
                request = self.article_request(url)
                if request is not None:
                    yield request

    def list_links(self, response: Response, depth: int) -> Iterator[tuple[str, bool]]:
        """(url, is another list page) pairs found on a list page. Each kind defines it."""
        raise NotImplementedError

    def parse_article(self, response: Response) -> Iterator[FetchedItem]:
        url = canonical_url(response.url)
        now = datetime.now(UTC)
        headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, values in response.headers.items()
            for v in values
        ]
        if response.status == 304:
            yield FetchedItem(url, self.source.name, "not_modified", 304, now, headers)
            return
        if response.status in (404, 410):
            request_url = canonical_url(response.request.url) if response.request else url
            yield FetchedItem(request_url, self.source.name, "gone", response.status, now, headers)
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        if content_type and not content_type.lower().startswith(TEXT_TYPES):
            self.context.skip(url, f"not a text page ({content_type.split(';')[0]})")
            return
        ip = str(response.ip_address) if response.ip_address else None
        yield FetchedItem(
            url, self.source.name, "page", response.status, now, headers, response.body, content_type, ip
        )

    # -- revisits ------------------------------------------------------------------------------

    def on_idle(self, spider: scrapy.Spider) -> None:
        """When the lists are done, revisit known pages they no longer show: a page edited in place
        or taken down is caught even when its list has moved on."""
        if spider is not self or self._revisits_scheduled:
            return
        self._revisits_scheduled = True
        stale_first = sorted(
            (doc for url, doc in self.context.known.items() if url not in self.requested),
            key=lambda doc: doc.last_seen,
        )
        scheduled = 0
        for doc in stale_first:
            request = self.article_request(doc.url, revisit=True)
            if request is None:
                continue
            engine = self.crawler.engine
            assert engine is not None  # the spider is running, so its engine is
            engine.crawl(request)
            scheduled += 1
        self.context.unlisted = [url for url in self.context.known if url not in self.listed]
        if scheduled:
            log.info("%s: revisiting %d known pages not in the list", self.source.name, scheduled)
            raise DontCloseSpider

    # -- errors --------------------------------------------------------------------------------

    def on_list_error(self, failure: Failure) -> None:
        self.context.fail(
            failure.request.url if hasattr(failure, "request") else "?",
            describe_failure(failure),
            list_page=True,
        )

    def on_article_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            self.context.skip(url, "forbidden by robots.txt")
            return
        self.context.fail(url, describe_failure(failure))


def describe_failure(failure: Failure) -> str:
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

    value = failure.value
    if failure.check(HttpError):
        return f"HTTP {value.response.status}"
    if failure.check(TimeoutError, TCPTimedOutError):
        return "timed out"
    if failure.check(DNSLookupError):
        return "DNS lookup failed"
    message = str(value) or type(value).__name__
    if "maxsize" in message.lower() or "Cancelling download" in message:
        return "response larger than the size cap"
    return f"{type(value).__name__}: {message}"[:300]

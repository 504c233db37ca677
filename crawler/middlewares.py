"""Downloader middlewares: retries wait before going out again, doubling each time, so a server that
answered 500 or timed out gets a moment to recover instead of an immediate second hit; and article
requests wait while too many fetched pages wait for a recording worker (crawler/backlog.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Request


class RetryBackoffMiddleware:
    """Delays a retried request by AIPLUS_RETRY_BACKOFF * 2**(try - 1) seconds."""

    def __init__(self, backoff: float) -> None:
        self.backoff = backoff

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryBackoffMiddleware:
        return cls(crawler.settings.getfloat("AIPLUS_RETRY_BACKOFF", 2.0))

    async def process_request(self, request: Request, spider: Any) -> None:
        tries = request.meta.get("retry_times", 0)
        if tries and self.backoff > 0:
            await asyncio.sleep(min(60.0, self.backoff * 2 ** (tries - 1)))


class RecordingBacklogMiddleware:
    """Holds an article request back while the recording backlog is full; lists go through (they
    decide what the run fetches and cost the workers nothing)."""

    async def process_request(self, request: Request, spider: Any) -> None:
        context = getattr(spider, "context", None)
        if context is not None and request.meta.get("aiplus_role") == "article":
            await context.backlog.room()

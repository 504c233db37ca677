"""The recording backlog: article requests wait while too many fetched pages wait for a worker, so a
recrawl answered with 304s (which Scrapy's byte-based back-pressure barely counts) keeps the crawl
process small."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from scrapy import Request

from crawler.backlog import RecordingBacklog, backlog_for
from crawler.middlewares import RecordingBacklogMiddleware


def test_room_waits_while_full_and_resumes_at_the_low_mark():
    async def scenario() -> list[str]:
        backlog = RecordingBacklog(high=4, low=2)
        events: list[str] = []
        for _ in range(4):
            backlog.started()
        assert backlog.full

        async def fetch(name: str) -> None:
            await backlog.room()
            events.append(name)

        waiting = [asyncio.create_task(fetch(f"request {n}")) for n in range(3)]
        await asyncio.sleep(0)
        assert events == []  # full: nobody goes
        backlog.finished()  # 3 pending: above the low mark, still waiting
        await asyncio.sleep(0)
        assert events == []
        backlog.finished()  # 2 pending: the low mark, everyone may go
        await asyncio.gather(*waiting)
        return events

    assert asyncio.run(scenario()) == ["request 0", "request 1", "request 2"]


def test_room_is_immediate_below_the_high_mark():
    async def scenario() -> bool:
        backlog = RecordingBacklog(high=2)
        backlog.started()
        await asyncio.wait_for(backlog.room(), timeout=1)
        return True

    assert asyncio.run(scenario())


def test_sizes():
    assert backlog_for(2).high == 16 and backlog_for(8).high == 64
    with pytest.raises(ValueError):
        RecordingBacklog(high=0)


def test_middleware_holds_articles_and_lets_lists_through():
    async def scenario() -> tuple[bool, bool]:
        backlog = RecordingBacklog(high=1)
        backlog.started()
        spider = SimpleNamespace(context=SimpleNamespace(backlog=backlog))
        middleware = RecordingBacklogMiddleware()
        listing = Request("http://127.0.0.1/list.htm", meta={"aiplus_role": "list"})
        article = Request("http://127.0.0.1/a/1.htm", meta={"aiplus_role": "article"})
        await asyncio.wait_for(middleware.process_request(listing, spider), timeout=1)
        held = asyncio.create_task(middleware.process_request(article, spider))
        await asyncio.sleep(0.01)
        was_held = not held.done()
        backlog.finished()
        await asyncio.wait_for(held, timeout=1)
        return was_held, held.done()

    assert asyncio.run(scenario()) == (True, True)

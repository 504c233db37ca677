"""How many fetched pages may wait for a recording worker before the crawl stops fetching more.

Scrapy holds back downloads by the bytes of responses being processed (SCRAPER_SLOT_MAX_ACTIVE_SIZE,
5 MB), counting each response as at least 1 KB. A recrawl answered with 304s has almost no bytes, so
thousands of responses could queue for the recording workers, and the crawl process grew by 14 KB a page
(60 MB over 3,000 pages). The backlog counts pages instead: article requests wait in the downloader
while it is full, which fills Scrapy's download slots and pauses the engine the ordinary way.

All of it runs on the reactor's thread (the pipeline and the downloader middlewares both do), so no lock
is needed.
"""

from __future__ import annotations

import asyncio


class RecordingBacklog:
    """Pages handed to recording workers and not yet recorded, with room to wait for.

    `high` is the most that may wait; once full, room() returns only when the backlog has fallen to
    `low`, so requests go out in bursts rather than one per recorded page.
    """

    def __init__(self, high: int, low: int | None = None) -> None:
        if high < 1:
            raise ValueError("the backlog must hold at least one page")
        self.high = high
        self.low = high // 2 if low is None else low
        self.pending = 0
        self._waiting: list[asyncio.Future[None]] = []

    def started(self) -> None:
        self.pending += 1

    def finished(self) -> None:
        self.pending -= 1
        if self.pending <= self.low and self._waiting:
            waiting, self._waiting = self._waiting, []
            for future in waiting:
                if not future.done():
                    future.set_result(None)

    @property
    def full(self) -> bool:
        return self.pending >= self.high

    async def room(self) -> None:
        """Return when another page may be fetched."""
        while self.full:
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiting.append(future)
            await future


def backlog_for(workers: int) -> RecordingBacklog:
    """Enough waiting pages that no worker ever waits for one (a worker takes 5 to 30 ms a page and a
    local server answers in 1 ms), few enough that their bodies stay a few megabytes."""
    return RecordingBacklog(high=max(16, 8 * workers))

"""The item pipeline: hands each fetched response to a recording worker process and counts the
outcome. The work itself (decode, extract, archive, record) is in crawler/recording.py."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from crawler.items import FetchedItem
from crawler.recording import RecordingResult, record_fetched
from crawler.run_context import RunContext

log = logging.getLogger(__name__)


class ArchivePipeline:
    """Records every fetched article in the archive; the spider's `context` says where.

    Awaiting the worker's answer keeps Scrapy's back-pressure: while pages wait to be recorded,
    the engine stops taking new responses, so memory stays bounded however fast the site answers.
    """

    async def process_item(self, item: FetchedItem, spider: Any) -> FetchedItem:
        context: RunContext = spider.context
        context.backlog.started()
        try:
            known = context.known.get(item.url)
            known_key = (known.text_sha256 or "") if known is not None else None
            future = context.recorder.submit(record_fetched, item, context.target, known_key)
            result: RecordingResult = await asyncio.wrap_future(future)
        except Exception as exc:  # the worker process died: count it and carry on
            context.fail(item.url, f"recording worker failed: {type(exc).__name__}: {exc}")
            return item
        finally:
            context.backlog.finished()
        if result.error:
            context.fail(item.url, result.error)
        else:
            context.count(result.outcome, item.url)
        return item

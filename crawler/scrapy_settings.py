"""Scrapy settings built from the [crawl] configuration: polite by default (robots.txt, a per-domain
delay, AutoThrottle, retries with backoff, a timeout and a size cap per response)."""

from __future__ import annotations

from typing import Any

from crawler.settings import CrawlSettings


def scrapy_settings(crawl: CrawlSettings, *, sources: int = 1, log_level: str = "WARNING") -> dict[str, Any]:
    return {
        "BOT_NAME": "aiplus-monitor",
        # The pipeline awaits recording workers through asyncio.
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency,
        "CONCURRENT_REQUESTS": max(16, crawl.concurrency * sources),
        "DOWNLOAD_DELAY": crawl.download_delay,
        "RANDOMIZE_DOWNLOAD_DELAY": True,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay, 1.0),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": max(1.0, crawl.concurrency / 4),
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DOWNLOAD_MAXSIZE": crawl.max_response_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "AIPLUS_RETRY_BACKOFF": crawl.retry_backoff,
        "REDIRECT_MAX_TIMES": 10,
        # Scrapy runs one cooperative task per allowed concurrent item for every response; our
        # article responses carry one item each, and 100 tasks a response cost a third of the CPU.
        "CONCURRENT_ITEMS": 8,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "LOG_ENABLED": True,
        "ITEM_PIPELINES": {"crawler.pipelines.ArchivePipeline": 300},
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.middlewares.RecordingBacklogMiddleware": 50,  # before anything else counts it
            "crawler.middlewares.RetryBackoffMiddleware": 560,
            # Byte counts per request and response for Scrapy's stats, which the crawl never reads:
            # rebuilding each request's raw HTTP form costs more than the rest of the chain.
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
        },
        # Depth is kept by the spiders themselves (list pages carry theirs in cb_kwargs).
        "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.depth.DepthMiddleware": None},
        # Our spiders keep their own set of requested URLs; Scrapy's fingerprinting of every link
        # costs a third of the crawl's speed and is not needed.
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        "MEMUSAGE_ENABLED": False,
        "STATS_DUMP": False,
        "LOGSTATS_INTERVAL": 0,
    }

"""The crawler's settings types: what [crawl] and each [[source]] of the configuration become."""

from __future__ import annotations

from dataclasses import dataclass, field

SOURCE_KINDS = ("html", "feed", "sitemap", "json")


@dataclass(frozen=True)
class CrawlSettings:
    """Politeness and limits for every crawl. Government sites are slow and touchy: start polite."""

    user_agent: str = "aiplus-monitor/0.1 (+https://example.org/aiplus-monitor)"
    obey_robots: bool = True
    concurrency: int = 8  # concurrent requests per domain
    download_delay: float = 0.5  # seconds between requests to one domain
    autothrottle: bool = True
    timeout: float = 30.0  # seconds per request
    retries: int = 2
    retry_backoff: float = 2.0  # seconds before the first retry, doubling for each further one
    max_response_bytes: int = 20 * 1024 * 1024
    recording_workers: int = 0  # processes that extract and record pages; 0: one per core


@dataclass(frozen=True)
class SourceSettings:
    """One configured site or feed (a [[source]] table)."""

    name: str
    start_urls: list[str]
    kind: str = "html"
    follow: list[str] = field(default_factory=list)  # article URL patterns (regular expressions)
    content: str | None = None  # CSS selector of the main text
    exclude: list[str] = field(default_factory=list)  # CSS selectors removed before extraction
    ignore: list[str] = field(default_factory=list)  # text patterns ignored when comparing versions
    schedule: str | None = None  # cron, in the scheduler's time zone
    language: str | None = None
    max_pages: int = 500
    max_depth: int = 3
    allowed_domains: list[str] = field(default_factory=list)
    # A known page missing from the source's lists this many runs in a row is flagged removed
    # (0: never; lists that roll over, like gov.cn's 最新政策, drop old pages that are still there).
    gone_after_unlisted_runs: int = 0
    enabled: bool = True

"""JSON lists of article links, as gov.cn's 最新政策 page is filled from ZUIXINZHENGCE.json.

Any JSON shape is accepted: every string value under a key that names a link (url, link, href,
URL, LINK ...) is an article candidate, filtered by `follow` when given.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawler.spiders.base import SourceSpider

LINK_KEYS = {"url", "link", "href", "docurl", "linkurl", "pageurl"}


class JsonListSpider(SourceSpider):
    """A JSON document listing articles."""

    kind = "json"

    def list_links(self, response: Response, depth: int) -> Iterator[tuple[str, bool]]:
        encoding = getattr(response, "encoding", None) or "utf-8"
        try:
            data = json.loads(response.body.decode(encoding, errors="replace").lstrip("\ufeff"))
        except ValueError as exc:
            self.context.fail(response.url, f"not valid JSON: {exc}", list_page=True)
            return
        for value in _link_values(data):
            yield response.urljoin(value), False


def _link_values(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and key.lower() in LINK_KEYS:
                yield value.strip()
            else:
                yield from _link_values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _link_values(value)

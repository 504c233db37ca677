"""The bundled sample site: its server, its two states and its answer key agree with each other.

Everything runs against 127.0.0.1; nothing reaches the internet.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib.resources import files
from urllib.parse import urljoin, urlsplit

import pytest

from crawler.sample_site import SampleSite, available_states, load_expected, sources_toml

GBK_PAGE = "/govcn/zhengce/content/2017-07/20/content_5211996.htm"
STATIC_PAGE = "/govcn/zhengce/content/202508/content_7037861.htm"  # no {{clock}} placeholder
CLOCK_PAGE = "/news-zh/tech/2024/03-06/10175012.shtml"

# No proxy, whatever the environment says: these requests must stay on 127.0.0.1.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Response:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=10) as resp:
            return Response(resp.status, dict(resp.headers.items()), resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return Response(err.code, dict(err.headers.items()), err.read())


def text_of(resp: Response) -> str:
    match = re.search(r"charset=([\w-]+)", resp.headers.get("Content-Type", ""))
    charset = (match.group(1) if match else "utf-8").lower()
    return resp.body.decode("gb18030" if charset in ("gb2312", "gbk") else charset)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "link", "area"):
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def links_in(resp: Response, url: str) -> list[str]:
    """Absolute URLs a list page, feed, sitemap or JSON list points to."""
    ctype = resp.headers.get("Content-Type", "")
    text = text_of(resp)
    if "json" in ctype:
        found = [item["URL"] for item in json.loads(text)]
    elif "xml" in ctype:
        found = re.findall(r"<(?:loc|link)>\s*([^<\s]+)\s*</", text)
        found += re.findall(r'<atom:link[^>]*href="([^"]+)"', text)
    else:
        parser = _Links()
        parser.feed(text)
        found = parser.hrefs
    out = []
    for href in found:
        href = href.strip()
        if href and not href.startswith(("javascript:", "#", "mailto:")):
            out.append(urljoin(url, href))
    return out


def internal(site: SampleSite, url: str) -> bool:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == site.base_url


@pytest.fixture
def site() -> Iterator[SampleSite]:
    with SampleSite(state=1) as running:
        yield running


@pytest.fixture(scope="module")
def expected() -> dict:
    return load_expected()


def sources(site: SampleSite) -> list[dict]:
    return tomllib.loads(sources_toml(site.base_url))["source"]


def crawl_lists(site: SampleSite) -> tuple[set[str], set[str]]:
    """Visit every list page, feed, sitemap and JSON list the sources name (sitemap indexes too).

    Returns (every internal URL they link to, the article paths matched by the sources' `follow`).
    """
    links: set[str] = set()
    articles: set[str] = set()
    for source in sources(site):
        follow = [re.compile(p) for p in source["follow"]]
        todo = list(source["start_urls"])
        seen: set[str] = set()
        while todo:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            resp = fetch(url)
            assert resp.status == 200, f"{source['name']}: start/list {url} gave {resp.status}"
            for link in links_in(resp, url):
                if not internal(site, link):
                    continue
                links.add(link)
                path = urlsplit(link).path
                if any(p.search(link) for p in follow):
                    articles.add(path)
                elif source["kind"] == "sitemap" and path.endswith(".xml") and path != urlsplit(url).path:
                    todo.append(link)  # a sitemap index points to urlsets
    return links, articles


def test_states_shipped() -> None:
    assert available_states() == [1, 2]
    assert json.loads(files("crawler.sample_site").joinpath("headers.json").read_text(encoding="utf-8"))


def test_base_url_and_unknown_state() -> None:
    with SampleSite(state=2) as running:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", running.base_url)
        assert running.state == 2
        with pytest.raises(ValueError):
            running.set_state(9)
    with pytest.raises(ValueError):
        SampleSite(state=0)


def test_every_list_link_resolves(site: SampleSite, expected: dict) -> None:
    links, articles = crawl_lists(site)
    assert len(links) > 40
    for link in sorted(links):
        resp = fetch(link)
        assert resp.status == 200, f"{link} gave {resp.status}"
    # The sources reach exactly the articles the answer key knows about.
    assert articles == set(expected["relevant_state1"]) | set(expected["not_relevant"])


def test_every_page_link_resolves_in_both_states(site: SampleSite) -> None:
    """Navigation, sidebars and related links too: no page links to a page its state lacks."""
    root = files("crawler.sample_site")
    checked: dict[str, int] = {}
    for state in site.states:
        site.set_state(state)
        checked.clear()
        stack = [(root.joinpath(f"state{state}"), "")]
        pages = []
        while stack:
            node, prefix = stack.pop()
            for child in node.iterdir():
                if child.is_dir():
                    stack.append((child, f"{prefix}/{child.name}"))
                elif child.name.endswith((".htm", ".html", ".shtml", ".xml", ".json")):
                    pages.append(f"{prefix}/{child.name}")
        assert pages
        for path in pages:
            url = site.url(path)
            resp = fetch(url)
            assert resp.status == 200, f"state {state}: {path} gave {resp.status}"
            for link in links_in(resp, url):
                if internal(site, link):
                    if link not in checked:
                        checked[link] = fetch(link, method="HEAD").status
                    assert checked[link] == 200, f"state {state}: {path} links to {link} ({checked[link]})"


def test_gbk_page_served_as_gb2312(site: SampleSite) -> None:
    resp = fetch(site.url(GBK_PAGE))
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/html; charset=gb2312"
    text = resp.body.decode("gb18030")
    assert "新一代人工智能发展规划" in text and "国发〔2017〕35号" in text
    with pytest.raises(UnicodeDecodeError):
        resp.body.decode("gb2312")  # GBK-only characters (喆) behind the gb2312 label
    for path in load_expected()["gbk_pages"]:
        assert "gb2312" in fetch(site.url(path)).headers["Content-Type"]


def test_content_types(site: SampleSite) -> None:
    assert fetch(site.url(STATIC_PAGE)).headers["Content-Type"] == "text/html; charset=utf-8"
    assert fetch(site.url("/govcn/zhengce/zuixin/ZUIXINZHENGCE.json")).headers["Content-Type"] == (
        "application/json; charset=utf-8"
    )
    assert (
        fetch(site.url("/news-en/rss/latest_rss.xml"))
        .headers["Content-Type"]
        .startswith("application/rss+xml")
    )
    assert (
        fetch(site.url("/news-zh/sitemap_index.xml")).headers["Content-Type"]
        == "application/xml; charset=utf-8"
    )
    robots = fetch(site.url("/robots.txt"))
    assert robots.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert f"Sitemap: {site.base_url}/news-zh/sitemap_index.xml" in robots.body.decode()


def test_conditional_requests(site: SampleSite) -> None:
    url = site.url(STATIC_PAGE)
    first = fetch(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = fetch(url, {"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    assert fetch(url, {"If-None-Match": '"something-else"'}).status == 200
    assert fetch(url, {"If-Modified-Since": modified}).status == 304
    earlier = email.utils.format_datetime(
        email.utils.parsedate_to_datetime(modified).replace(year=2020), usegmt=True
    )
    assert fetch(url, {"If-Modified-Since": earlier}).status == 200
    # If-None-Match decides when both are sent
    assert fetch(url, {"If-None-Match": '"x"', "If-Modified-Since": modified}).status == 200


def test_conditional_requests_across_states(site: SampleSite, expected: dict) -> None:
    changed = expected["changed"][0]["path"]
    unchanged = GBK_PAGE
    before = {p: fetch(site.url(p)).headers for p in (changed, unchanged, STATIC_PAGE)}
    site.set_state(2)
    for path, check in ((changed, 200), (unchanged, 304)):
        assert fetch(site.url(path), {"If-None-Match": before[path]["ETag"]}).status == check, path
        assert fetch(site.url(path), {"If-Modified-Since": before[path]["Last-Modified"]}).status == check, (
            path
        )
    # a noise-only change is still a change of bytes: HTTP cannot tell, the crawler's normaliser must
    assert fetch(site.url(STATIC_PAGE), {"If-None-Match": before[STATIC_PAGE]["ETag"]}).status == 200


def test_not_found_and_folders(site: SampleSite) -> None:
    missing = fetch(site.url("/govcn/zhengce/content/202508/content_1.htm"))
    assert missing.status == 404 and missing.headers["Content-Type"].startswith("text/html")
    assert b"Not Found" in missing.body
    assert fetch(site.url("/govcn/../../server.py")).status == 404
    folder = fetch(site.url("/govcn/zhengce/zuixin/"))
    assert folder.status == 200 and "最新政策" in text_of(folder)
    assert text_of(folder) == text_of(fetch(site.url("/govcn/zhengce/zuixin/index.htm")))
    assert fetch(site.url("/npc/c2/c30834/")).status == 200  # index.html
    # a folder without its slash redirects (urllib follows it)
    assert fetch(site.url("/news-en")).status == 200
    assert fetch(site.url("/news-en/"), method="HEAD").body == b""


def test_state2_new_and_removed(site: SampleSite, expected: dict) -> None:
    site.set_state(2)
    for path in expected["removed"]:
        assert fetch(site.url(path)).status == 404, path
    for path in expected["new"]:
        assert fetch(site.url(path)).status == 200, path
    links, articles = crawl_lists(site)
    for link in links:
        assert fetch(link, method="HEAD").status == 200, link
    in_state1 = set(expected["relevant_state1"]) | set(expected["not_relevant"])
    assert articles == (in_state1 - set(expected["removed"])) | set(expected["new"])


def test_expected_paths_exist_in_their_states(site: SampleSite, expected: dict) -> None:
    def bodies(path: str) -> tuple[Response, Response]:
        site.set_state(1)
        one = fetch(site.url(path))
        site.set_state(2)
        two = fetch(site.url(path))
        return one, two

    for path in expected["new"]:
        one, two = bodies(path)
        assert (one.status, two.status) == (404, 200), path
    for path in expected["removed"]:
        one, two = bodies(path)
        assert (one.status, two.status) == (200, 404), path
    for path in expected["noise_only"]:
        one, two = bodies(path)
        assert one.status == two.status == 200 and one.body != two.body, path
    for change in expected["changed"]:
        one, two = bodies(change["path"])
        assert one.status == two.status == 200, change["path"]
        assert change["must_contain"] not in text_of(one), change["path"]
        assert change["must_contain"] in text_of(two), change["path"]
        assert change["what"]
    for path in expected["relevant_state1"] + expected["not_relevant"]:
        site.set_state(1)
        assert fetch(site.url(path)).status == 200, path
    assert not set(expected["relevant_state1"]) & set(expected["not_relevant"])
    listed = set(expected["new"]) | set(expected["removed"]) | set(expected["noise_only"])
    listed |= {c["path"] for c in expected["changed"]}
    assert len(listed) == len(expected["new"]) + len(expected["removed"]) + len(expected["noise_only"]) + len(
        expected["changed"]
    ), "a path is listed under two kinds of change"


def test_unlisted_articles_are_identical_in_both_states(site: SampleSite, expected: dict) -> None:
    listed = set(expected["new"]) | set(expected["removed"]) | set(expected["noise_only"])
    listed |= {c["path"] for c in expected["changed"]}
    for path in expected["relevant_state1"] + expected["not_relevant"]:
        if path in listed:
            continue
        site.set_state(1)
        one = fetch(site.url(path))
        site.set_state(2)
        two = fetch(site.url(path))
        strip = re.compile(rb"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")  # the {{clock}} placeholder
        assert strip.sub(b"", one.body) == strip.sub(b"", two.body), path


def test_clock_placeholder_changes_between_requests(site: SampleSite) -> None:
    first = fetch(site.url(CLOCK_PAGE))
    time.sleep(1.1)
    second = fetch(site.url(CLOCK_PAGE))
    assert first.status == second.status == 200
    assert b"{{clock}}" not in first.body
    assert first.body != second.body
    assert first.headers["ETag"] != second.headers["ETag"]
    assert re.search(rb"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", first.body)


def test_base_placeholder_filled(site: SampleSite) -> None:
    data = json.loads(fetch(site.url("/govcn/zhengce/zuixin/ZUIXINZHENGCE.json")).body)
    assert data and all(item["URL"].startswith(site.base_url + "/govcn/") for item in data)
    assert {"TITLE", "URL", "DOCRELPUBTIME"} <= set(data[0])
    feed = fetch(site.url("/news-en/rss/latest_rss.xml")).body.decode()
    assert "{{base}}" not in feed and f"<link>{site.base_url}/news-en/a/" in feed

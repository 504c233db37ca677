"""Benchmark: crawling a generated site of article pages served by nginx on 127.0.0.1.

In one run it measures, on the same site and machine:
  1. the baseline: a plain Scrapy spider that follows the links and skips the ones it has seen with a
     set of its own, and does nothing with the pages;
  2. the full `aiplus crawl` pipeline (fetch, decode, extract, archive as WARC, change detection);
  3. a recrawl of the unchanged site by `aiplus crawl`;
and prints pages/s for each, the ratios (goals: full pipeline >= 0.5 of the baseline, aiming at 0.7;
recrawl >= 2x the first crawl) and each crawl's peak memory (goal: under 400 MB).

    python bench/crawl_speed.py                       # 5,000 pages of ~20 KB, half Chinese, half English
    python bench/crawl_speed.py --pages 1000          # a quicker look
    python bench/crawl_speed.py --text-share 0.85     # text-dense pages, as versions before session 5 made
    python bench/crawl_speed.py --content synthetic   # the dense synthetic pages of the first version

Each page is ~20 KB, of which --text-share (0.3 by default) is the article's text and the rest what
real pages carry around it: head scripts and styles, a navigation bar, breadcrumbs, a share bar,
related and most-read lists, a footer. On the real article pages of ../shared/corpus the text is a
median 6% of the page (upper quartile 14%), so 0.3 gives the extractor more text than most real pages
do. Until session 5 the pages were 85% text: that made a 20 KB page carry the text of a ~150 KB real
one, and measured text processing against a baseline that only parses markup.

Page text (--content real, the default) is made of sentences of real-style policy pages: the labelled
evaluation pages, the sample site, and the real texts of ../shared/corpus when it is there. Every
paragraph is a new draw of 2-5 sentences of one language, so no two pages share a paragraph and a
page carries mentions at the density real pages do. --content synthetic repeats seven sentences, each
a regulation or a proposal, which is far denser in mentions than any real page (kept for comparison).

Needs nginx (Debian: apt-get install nginx-light).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PER_LIST = 50

# The share of an article page's bytes that is its main text. On the 16 real article pages of
# ../shared/corpus the extracted text is 0.1% to 47% of the page's bytes: median 6%, upper quartile
# 14%. 0.3 is twice that upper quartile, so the extractor gets more text per page than on most real
# pages; --text-share 0.85 gives the text-dense pages of the earlier versions of this benchmark.
TEXT_SHARE = 0.3

CHROME_HEAD = (
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="keywords" content="政策,文件,解读">'
    '<meta name="description" content="政策文件库"><link rel="stylesheet" href="/css/common.css">'
    '<link rel="stylesheet" href="/css/article.css"><link rel="icon" href="/favicon.ico">'
    "<style>.nav a{margin:0 6px;color:#fff}.side{float:right;width:300px}.box h3{font-size:16px}"
    ".box li{line-height:28px;overflow:hidden;white-space:nowrap}.footer{text-align:center;color:#666}</style>"
    "<script>var _hmt=_hmt||[];(function(){var hm=document.createElement('script');"
    "hm.src='/js/hm.js?a1b2c3';var s=document.getElementsByTagName('script')[0];"
    "s.parentNode.insertBefore(hm,s);})();var pageConfig={channel:'policy',type:'article',share:true,"
    "comments:false,fontSizes:[14,16,18],print:function(){window.print()}};</script>"
)
CHROME_NAV = "".join(
    f' <a href="/{slug}/">{label}</a>'
    for slug, label in (
        ("yw", "要闻"),
        ("zc", "政策"),
        ("jd", "解读"),
        ("hd", "互动"),
        ("fw", "服务"),
        ("sj", "数据"),
        ("gb", "国务院公报"),
        ("zt", "专题"),
        ("sp", "视频"),
        ("tp", "图片"),
        ("en", "English"),
        ("kj", "科技"),
        ("cj", "财经"),
        ("sh", "社会"),
        ("jy", "教育"),
        ("ws", "卫生"),
        ("ny", "能源"),
        ("jt", "交通"),
        ("nl", "农业"),
        ("hb", "环保"),
        ("whly", "文旅"),
        ("ty", "体育"),
        ("dfzf", "地方"),
    )
)
CHROME_FOOTER = (
    '<p><a href="/about/">关于本站</a> | <a href="/map/">网站地图</a> | <a href="/contact/">联系我们</a>'
    ' | <a href="/privacy/">隐私政策</a> | <a href="/help/">使用帮助</a> | <a href="/jc/">纠错</a></p>'
    "<p>主办单位：测试站编辑部　承办单位：测试站信息中心　地址：北京市东城区测试路1号　邮编：100000</p>"
    "<p>网站标识码 bm00000001　京公网安备 11000000000001号</p>"
)

ZH = [
    "深入实施“人工智能+”行动，推动人工智能与经济社会各行业各领域广泛深度融合。",
    "加快构建数据基础制度，推进公共数据资源开发利用，促进数据要素合规高效流通。",
    "强化算力统筹调度，建设全国一体化算力网，提升智能算力供给能力和使用效率。",
    "支持基础大模型研发，鼓励开源开放，完善模型评测和安全评估体系建设。",
    "加强人工智能安全治理，落实《生成式人工智能服务管理暂行办法》等规定要求。",
    "推动人工智能在制造、能源、交通、医疗、教育等重点领域规模化应用。",
    "全国人大代表、小米集团董事长雷军建议，加快完善人工智能深度合成内容标识制度。",
]
EN = [
    "The State Council issued guidelines to deepen the AI Plus initiative across industries.",
    "Providers of generative AI services must label synthetic content and file their algorithms.",
    "Lei Jun, founder of Xiaomi and an NPC deputy, proposed tougher rules on deepfake content.",
    "Deputies called for national computing power networks and open public data platforms.",
    "The Cyberspace Administration of China released measures for labeling AI-generated content.",
    "Analysts said the plan sets targets for the adoption of intelligent agents by 2027 and 2030.",
]


def article_html(
    number: int,
    rng: random.Random,
    size: int,
    pools: dict[str, list[str]] | None = None,
    text_share: float = TEXT_SHARE,
) -> str:
    """One article page of about `size` bytes, of which about `text_share` is the article's text and
    the rest what real pages carry around it: scripts and styles, a navigation bar, breadcrumbs, a
    share bar, related and most-read lists, a footer with ICP lines. Link titles in that chrome are
    drawn from the same policy sentences as the text, so the boilerplate remover has real work."""
    chinese = number % 2 == 0
    if pools is None:
        sentences = ZH if chinese else EN
        per_paragraph = (4, 4)
    else:
        sentences = pools["zh" if chinese else "en"]
        per_paragraph = (2, 5)
    paragraphs: list[str] = []
    text_bytes = 0
    while text_bytes < size * text_share:
        count = rng.randint(*per_paragraph)
        paragraph = (" " if not chinese else "").join(rng.choice(sentences) for _ in range(count))
        paragraphs.append(paragraph)
        text_bytes += len(paragraph.encode("utf-8"))
    title = (
        f"关于推进人工智能+试点工作的通知（第{number}号）"
        if chinese
        else f"AI Plus policy briefing no. {number}"
    )
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    related = "".join(f"<li><a href='/a/{(number + k) % 5000}.htm'>相关 {k}</a></li>" for k in range(1, 6))
    page = textwrap.dedent(
        f"""\
        <!DOCTYPE html><html lang="{"zh-CN" if chinese else "en"}"><head><meta charset="utf-8">
        <title>{title}_测试站</title><meta name="publishdate" content="2026-0{1 + number % 9}-1{number % 9}">
        {CHROME_HEAD}</head>
        <body><div class="nav"><a href="/">首页</a> <a href="/list/index.htm">政策</a> <a href="/ai/">人工智能</a>{CHROME_NAV}</div>
        <div class="crumb"><a href="/">首页</a> &gt; <a href="/list/index.htm">政策</a> &gt; 正文</div>
        <div class="main"><h1>{title}</h1><div class="info">发布时间：2026-01-15 浏览次数：{rng.randint(1, 9999)}</div>
        <div id="content">{body}</div>
        <div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a> 【打印】【关闭】</div></div>
        <div class="side"><ul>{related}</ul>SIDEBAR</div>
        <div class="footer">{CHROME_FOOTER}版权所有 测试站 京ICP备00000000号</div>
        <script src="/js/stat.js"></script></body></html>
        """
    )
    # The most-read lists grow until the page reaches its size, as a real page's chrome varies.
    lists: list[str] = []
    filled = len(page.encode("utf-8"))
    while filled < size:
        items: list[str] = []
        for _ in range(10):
            words = rng.choice(sentences)
            label = words[: rng.randint(12, 22)] if chinese else " ".join(words.split()[: rng.randint(6, 11)])
            items.append(
                f"<li><span class='n'>{len(items) + 1}</span><a href='/news/{rng.randint(1, 10**6)}.htm' title=''>{html.escape(label)}</a><em>01-1{rng.randint(0, 9)}</em></li>"
            )
        block = f"<div class='box'><h3>{'热点排行' if chinese else 'Most read'}</h3><ul>{''.join(items)}</ul></div>"
        lists.append(block)
        filled += len(block.encode("utf-8"))
    return page.replace("SIDEBAR", "".join(lists), 1)


def sentence_pools() -> dict[str, list[str]]:
    """Sentences of real-style pages by language: the main text of the labelled evaluation pages and
    the sample site (read with the project's own extractor), and the corpus texts when present."""
    sys.path.insert(0, str(REPO))
    from crawler.decoding import decode_body
    from crawler.extract import extract_page
    from crawler.extract.textutil import cjk_ratio, split_sentences

    texts: list[str] = []
    pages = [
        *sorted((REPO / "tests" / "fixtures" / "extraction_eval").glob("*.html")),
        *sorted((REPO / "tests" / "fixtures" / "extraction_dev").glob("*.html")),
        *sorted((REPO / "crawler" / "sample_site").rglob("*.htm*")),
    ]
    for path in pages:
        texts.append(extract_page(decode_body(path.read_bytes(), None).text).text)
    corpus = REPO.parent / "shared" / "corpus"
    for path in [*sorted(corpus.glob("*.md")), *sorted(corpus.glob("*.txt"))]:
        if path.name not in ("README.md", "PAGE_STRUCTURE.md", "FACTS.md"):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    pools: dict[str, list[str]] = {"zh": [], "en": []}
    for text in texts:
        for line in text.splitlines():
            if line.startswith(("#", "---", "title:", "url:", "source:", "date:")):
                continue
            for span in split_sentences(line.strip()):
                if len(span.text) >= 12:
                    pools["zh" if cjk_ratio(span.text) >= 0.5 else "en"].append(span.text)
    return pools


def generate_site(
    root: Path, pages: int, size: int, content: str = "real", text_share: float = TEXT_SHARE
) -> None:
    rng = random.Random(7)
    pools = sentence_pools() if content == "real" else None
    (root / "a").mkdir(parents=True)
    (root / "list").mkdir()
    for number in range(pages):
        (root / "a" / f"{number}.htm").write_text(
            article_html(number, rng, size, pools, text_share), encoding="utf-8"
        )
    lists = (pages + PER_LIST - 1) // PER_LIST
    pager = " ".join(f"<a href='/list/index_{n}.htm'>{n + 1}</a>" for n in range(lists))
    for n in range(lists):
        links = "".join(
            f"<li><a href='/a/{k}.htm'>第{k}号</a></li>"
            for k in range(n * PER_LIST, min(pages, (n + 1) * PER_LIST))
        )
        html = f"<html><body><ul>{links}</ul><div class='pager'>{pager}</div></body></html>"
        (root / "list" / f"index_{n}.htm").write_text(html, encoding="utf-8")
    shutil.copy(root / "list" / "index_0.htm", root / "list" / "index.htm")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_nginx(root: Path, work: Path, port: int) -> subprocess.Popen[bytes]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit("nginx not found: apt-get install nginx-light")
    conf = work / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(
        f"""{user}
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ text/html htm html; }}
    default_type text/html;
    charset utf-8;
    sendfile on;
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    server {{ listen 127.0.0.1:{port}; root {root}; etag on; }}
}}
"""
    )
    process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(work)])
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit(f"nginx did not start: {(work / 'nginx-error.log').read_text()}")


# Peak memory is the process's own high-water mark (VmHWM): getrusage's ru_maxrss survives exec on
# Linux and so reports the larger of this process and whatever forked it.
PEAK_MB = """
def peak_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

BASELINE_SPIDER = (
    PEAK_MB
    + """
import sys, time, json
import scrapy
from scrapy.crawler import CrawlerProcess

BASE = sys.argv[1]
seen = set()
fetched = [0]

class Baseline(scrapy.Spider):
    name = "baseline"
    async def start(self):
        seen.add(BASE + "/list/index.htm")
        yield scrapy.Request(BASE + "/list/index.htm", dont_filter=True)
    def parse(self, response):
        if "/a/" in response.url:
            fetched[0] += 1
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if url not in seen and ("/a/" in url or "/list/" in url):
                seen.add(url)
                yield scrapy.Request(url, dont_filter=True)

process = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "ROBOTSTXT_OBEY": False, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False, "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter"})
process.crawl(Baseline)
started = time.perf_counter()
process.start()
elapsed = time.perf_counter() - started
print(json.dumps({"pages": fetched[0], "seconds": elapsed,
                  "peak_mb": peak_mb()}))
"""
)

AIPLUS_CRAWL = (
    PEAK_MB
    + """
import json, sys, time
from aiplus.cli import cli
started = time.perf_counter()
try:
    cli(["--config", sys.argv[1], "crawl", "--json"], standalone_mode=False)
finally:
    import resource
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": peak_mb(),
                      "cpu_crawl": own.ru_utime + own.ru_stime,
                      "cpu_workers": children.ru_utime + children.ru_stime}), file=sys.stderr)
"""
)


def run_json(code: str, *args: str) -> tuple[dict, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"benchmark child failed:\n{result.stderr[-3000:]}")
    return json.loads(
        result.stdout.strip().splitlines()[-1]
        if code is BASELINE_SPIDER
        else result.stderr.strip().splitlines()[-1]
    ), result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--size", type=int, default=20_000, help="bytes per article page")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=0, help="recording worker processes (default: one per core)"
    )
    parser.add_argument(
        "--content", choices=("real", "synthetic"), default="real", help="what the article pages say"
    )
    parser.add_argument(
        "--text-share",
        type=float,
        default=TEXT_SHARE,
        help=f"share of each page's bytes that is article text (default {TEXT_SHARE})",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="aiplus-crawlbench-"))
    site = work / "site"
    generate_site(site, args.pages, args.size, args.content, args.text_share)
    average = sum(p.stat().st_size for p in (site / "a").iterdir()) / args.pages
    port = free_port()
    nginx = start_nginx(site, work, port)
    base = f"http://127.0.0.1:{port}"
    try:
        config = work / "aiplus.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite:///{work / "aiplus.db"}"\narchive_dir = "{work / "archive"}"\n\n'
            f"[crawl]\nobey_robots = false\nconcurrency = {args.concurrency}\ndownload_delay = 0\n"
            f"autothrottle = false\nrecording_workers = {args.workers}\n\n"
            f'[[source]]\nname = "bench"\nkind = "html"\nstart_urls = ["{base}/list/index.htm"]\n'
            f"follow = ['/a/\\d+\\.htm$']\nmax_pages = {args.pages + 10}\nmax_depth = 2\n",
            encoding="utf-8",
        )
        baseline, _ = run_json(BASELINE_SPIDER, base)
        first, first_out = run_json(AIPLUS_CRAWL, str(config))
        second, second_out = run_json(AIPLUS_CRAWL, str(config))
        first_counts = json.loads(first_out)[0]["counts"]
        second_counts = json.loads(second_out)[0]["counts"]
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    def speed(run: dict, pages: int) -> float:
        return pages / run["seconds"]

    base_speed = speed(baseline, baseline["pages"])
    first_speed = speed(first, first_counts["fetched"])
    second_speed = speed(second, second_counts["fetched"])
    print(
        f"Crawling {args.pages:,} pages of ~{average / 1024:.0f} KB (half Chinese, half English, {args.content} text"
        f" making {args.text_share:.0%} of each page)"
        " from nginx on 127.0.0.1"
    )
    print(f"{'run':<34}{'pages':>7}{'pages/s':>10}{'seconds':>9}{'peak MB':>9}")
    print(
        f"{'baseline (plain Scrapy)':<34}{baseline['pages']:>7}{base_speed:>10.0f}{baseline['seconds']:>9.1f}{baseline['peak_mb']:>9.0f}"
    )
    print(
        f"{'aiplus crawl, first':<34}{first_counts['fetched']:>7}{first_speed:>10.0f}{first['seconds']:>9.1f}{first['peak_mb']:>9.0f}"
    )
    print(
        f"{'aiplus crawl, unchanged recrawl':<34}{second_counts['fetched']:>7}{second_speed:>10.0f}{second['seconds']:>9.1f}{second['peak_mb']:>9.0f}"
    )
    for label, run, counts in (("first crawl", first, first_counts), ("recrawl", second, second_counts)):
        pages = max(counts["fetched"], 1)
        print(
            f"{label} CPU per page: crawl process {run['cpu_crawl'] / pages * 1000:.1f} ms,"
            f" recording workers {run['cpu_workers'] / pages * 1000:.1f} ms"
        )
    print(f"first crawl / baseline: {first_speed / base_speed:.2f} (goal >= 0.5, aiming at 0.7)")
    print(f"recrawl / first crawl:  {second_speed / first_speed:.2f} (goal >= 2)")
    print(f"first crawl counts: {first_counts}")
    print(f"recrawl counts:     {second_counts}")


if __name__ == "__main__":
    main()

"""Extraction speed: pages per second of extract_page on ~20 KB pages, side by side with
trafilatura.extract on the same pages in the same run.

    python3 bench/extraction_speed.py [--rounds 5] [--size 20000]

The pages are the labelled evaluation pages and the real corpus pages (/work/shared/corpus), each
brought to about --size bytes: smaller pages get copies of their own paragraphs appended inside the
container that holds them (so the page stays one article), larger ones are used as they are when they
are at most twice the size. Both extractors get the same decoded text, and take turns pass by pass
(the machine is shared: a change of load must not fall on one of them only). trafilatura is only
needed for its column; install it with `pip install trafilatura lxml_html_clean`.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction_quality import EVAL_DIR, decode_html  # noqa: E402
from lxml import html as lxml_html  # noqa: E402

from crawler.extract import extract_page, textutil  # noqa: E402
from crawler.extract.dom import Element, parse_html  # noqa: E402
from crawler.extract.text import extract_main_text  # noqa: E402

CORPUS_DIR = ROOT.parent / "shared" / "corpus"


def grow(page: str, size: int) -> str:
    """The page with its own paragraphs repeated inside their container until it has about `size`
    characters of markup."""
    if len(page.encode("utf-8")) >= size:
        return page
    root = parse_html(page)
    if root is None:
        return page
    parents: dict[Element, int] = {}
    for paragraph in root.iter("p"):
        parent = paragraph.getparent()
        if parent is not None:
            parents[parent] = parents.get(parent, 0) + 1
    if not parents:
        return page
    container = max(parents, key=lambda el: parents[el])
    originals = [el for el in container if el.tag == "p"]
    grown = lxml_html.tostring(root, encoding="unicode")
    while len(grown.encode("utf-8")) < size:
        for paragraph in originals:
            container.append(copy.deepcopy(paragraph))
        grown = lxml_html.tostring(root, encoding="unicode")
    return grown


def build_pages(size: int) -> list[str]:
    pages = []
    for path in sorted(EVAL_DIR.glob("*.html")):
        pages.append(grow(decode_html(path.read_bytes()), size))
    if CORPUS_DIR.is_dir():
        for path in sorted(CORPUS_DIR.glob("*.html")):
            text = decode_html(path.read_bytes())
            if len(text.encode("utf-8")) <= 2 * size:
                pages.append(grow(text, size))
    return pages


def pages_per_second(
    functions: dict[str, Callable[[str], object]], pages: list[str], rounds: int
) -> dict[str, float]:
    """Pages per second of each function, the median of `rounds` passes over the pages. The functions
    take turns pass by pass, so that a change in the machine's load (it is shared) falls on all of
    them alike rather than on whichever ran last."""
    for function in functions.values():
        for page in pages:  # warm-up: imports, compiled patterns, jieba's dictionary
            function(page)
    timings: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            start = time.perf_counter()
            for page in pages:
                function(page)
            timings[name].append(time.perf_counter() - start)
    return {name: len(pages) / statistics.median(times) for name, times in timings.items()}


def cold_extract_page(page: str) -> object:
    """extract_page with the per-text caches emptied first: the benchmark repeats the same pages, a
    crawl does not, so nothing may be carried over from the previous round."""
    textutil.split_sentences.cache_clear()
    textutil.match_form.cache_clear()
    return extract_page(page)


def _row(label: str, rate: float) -> None:
    print(f"  {label:<40} {rate:8.1f} pages/s  {1000 / rate:6.2f} ms/page")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=20_000, help="target page size in bytes")
    args = parser.parse_args(argv)
    pages = build_pages(args.size)
    sizes = [len(p.encode("utf-8")) for p in pages]
    print(
        f"{len(pages)} pages, median {statistics.median(sizes) / 1000:.1f} KB, one core, {args.rounds} rounds"
    )

    functions: dict[str, Callable[[str], object]] = {
        "ours": cold_extract_page,
        "text": lambda page: extract_main_text(parse_html(page)),
    }
    try:
        import trafilatura
    except ImportError:
        have_trafilatura = False
    else:
        have_trafilatura = True
        functions["theirs"] = lambda page: trafilatura.extract(page)
        functions["theirs_meta"] = lambda page: trafilatura.bare_extraction(page, with_metadata=True)
    rate = pages_per_second(functions, pages, args.rounds)
    _row("extract_page (text, metadata, mentions)", rate["ours"])
    _row("main text only (parse + boilerplate)", rate["text"])
    if not have_trafilatura:
        print("  trafilatura not installed: pip install trafilatura lxml_html_clean")
        return 0
    _row("trafilatura.extract (text only)", rate["theirs"])
    _row("trafilatura.bare_extraction + metadata", rate["theirs_meta"])
    print(f"  ratio extract_page / trafilatura.extract          {rate['ours'] / rate['theirs']:5.2f}x")
    print(f"  ratio main text / trafilatura.extract             {rate['text'] / rate['theirs']:5.2f}x")
    print(f"  ratio extract_page / trafilatura with metadata    {rate['ours'] / rate['theirs_meta']:5.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

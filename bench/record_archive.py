"""Benchmark: recording fetches into a fresh SQLite archive.

Three passes over the same N synthetic pages (default 50,000): all new, then all unchanged, then 5%
changed. Prints pages/s for each pass, and for each pass the ratio of the last 10,000 pages' cost to
the first 10,000's (goal: at most 1.3, the cost per page must not grow with the archive); and the
unchanged pass's speed against the all-new pass's (goal: at least 3x).

    python bench/record_archive.py              # 50,000 pages
    python bench/record_archive.py --pages 5000 # a quick look
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import Database, DatabaseSettings, FetchedPage, MentionRecord, record_page

SENTENCES = [
    "深入实施“人工智能+”行动，推动人工智能与经济社会各行业各领域广泛深度融合。",
    "加快构建数据基础制度，推进公共数据资源开发利用，促进数据要素合规高效流通。",
    "强化算力统筹调度，建设全国一体化算力网，提升智能算力供给能力。",
    "支持基础大模型研发，鼓励开源开放，完善模型评测和安全评估体系。",
    "加强人工智能安全治理，落实生成式人工智能服务管理暂行办法等规定。",
    "推动人工智能在制造、能源、交通、医疗、教育等重点领域规模化应用。",
    "实施人工智能人才培养计划，推进人工智能通识教育，提升全民数字素养与技能。",
    "The State Council issued opinions on deepening the AI+ action across industries.",
    "Providers of generative AI services must label synthetic content and file algorithms.",
    "Deputies proposed building national computing power networks and open data platforms.",
]
REGULATIONS = [
    "生成式人工智能服务管理暂行办法",
    "人工智能生成合成内容标识办法",
    "互联网信息服务算法推荐管理规定",
]
WINDOW = 10_000


def make_text(rng: random.Random, number: int, size: int) -> str:
    lines = [f"关于推进第{number}批人工智能+试点工作的通知"]
    while sum(len(line) for line in lines) < size:
        lines.append(
            " ".join(rng.choice(SENTENCES) for _ in range(3)) + f"（第{number}号，{rng.randint(1, 999)}）"
        )
    lines.append(f"浏览次数：{rng.randint(1, 99999)}")  # noise: differs on every fetch
    return "\n".join(lines)


def make_page(number: int, text: str, fetched_at: datetime) -> FetchedPage:
    mentions = [
        MentionRecord(
            kind="regulation", title=REGULATIONS[number % 3], status="final", category="safety_governance"
        )
    ]
    return FetchedPage(
        url=f"https://www.gov.cn/zhengce/content/2025{number % 12 + 1:02d}/content_{number}.htm",
        source=f"source-{number % 20}",
        text=text,
        title=f"第{number}号通知",
        fetched_at=fetched_at,
        mentions=mentions,
        categories=["industry_application"],
    )


def run_pass(db: Database, pages: list[FetchedPage], batch: int) -> tuple[float, list[float], dict[str, int]]:
    """Record the pages in transactions of `batch` pages; returns total seconds, per-page seconds,
    and the outcome counts."""
    per_page: list[float] = []
    outcomes: dict[str, int] = {}
    started = time.perf_counter()
    for start in range(0, len(pages), batch):
        chunk = pages[start : start + batch]
        t0 = time.perf_counter()
        with db.transaction() as session:
            for fetched in chunk:
                status = record_page(session, fetched).status
                outcomes[status] = outcomes.get(status, 0) + 1
        per_page.extend([(time.perf_counter() - t0) / len(chunk)] * len(chunk))
    return time.perf_counter() - started, per_page, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=50_000)
    parser.add_argument("--size", type=int, default=3000, help="characters of text per page")
    parser.add_argument("--batch", type=int, default=50, help="pages per transaction")
    parser.add_argument("--changed", type=float, default=0.05, help="share changed in the third pass")
    args = parser.parse_args()

    rng = random.Random(42)
    texts = [make_text(rng, n, args.size) for n in range(args.pages)]
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    window = min(WINDOW, args.pages // 3)

    with tempfile.TemporaryDirectory(prefix="aiplus-bench-") as folder:
        db = Database.open(DatabaseSettings(url=f"sqlite:///{folder}/aiplus.db"))
        passes = []
        # Pass 1: all new.
        pages = [make_page(n, texts[n], t0) for n in range(args.pages)]
        passes.append(("all new", *run_pass(db, pages, args.batch)))
        # Pass 2: the same content, only the view counter differs.
        pages = [
            make_page(n, texts[n].replace("浏览次数：", "浏览次数：1"), t0 + timedelta(hours=6))
            for n in range(args.pages)
        ]
        passes.append(("all unchanged", *run_pass(db, pages, args.batch)))
        # Pass 3: a share of pages gets a new sentence.
        changed = set(rng.sample(range(args.pages), int(args.pages * args.changed)))
        pages = [
            make_page(
                n, texts[n] + ("\n补充：新增一条支持措施。" if n in changed else ""), t0 + timedelta(hours=12)
            )
            for n in range(args.pages)
        ]
        passes.append((f"{args.changed:.0%} changed", *run_pass(db, pages, args.batch)))
        size_mb = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
        db.dispose()

    print(
        f"Recording {args.pages:,} pages of ~{args.size:,} characters, {args.batch} per transaction (SQLite)"
    )
    print(f"{'pass':<16}{'pages/s':>10}{'seconds':>10}   last {window:,} / first {window:,} cost   outcomes")
    speeds = {}
    for name, seconds, per_page, outcomes in passes:
        speed = args.pages / seconds
        speeds[name] = speed
        growth = sum(per_page[-window:]) / sum(per_page[:window])
        print(f"{name:<16}{speed:>10,.0f}{seconds:>10.1f}   {growth:>10.2f} (goal <= 1.3)        {outcomes}")
    new_speed = speeds["all new"]
    print(f"unchanged / new speed: {speeds['all unchanged'] / new_speed:.1f}x (goal >= 3)")
    print(f"archive size: {size_mb:,.0f} MB")


if __name__ == "__main__":
    main()

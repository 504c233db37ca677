"""Benchmark: querying a large archive.

Generates an archive of N documents (default 100,000; about 60% Chinese, 40% English, 3 KB of text
each, with proposal and regulation mentions), written with bulk inserts (index terms included) rather
than record_page, which would take an hour. Then prints median and 95th-percentile latency of:

  * a two-character Chinese search, a four-character one, and an English phrase (storage.search:
    ranked, 20 results, snippets), each against a LIKE scan of the same version table in the same run
    (goal: the search at least 20 times faster);
  * a mention query by actor (with the Chinese/English alias), and a regulation timeline;
and the time and peak memory (the child process's maximum RSS) of exporting every table as JSON Lines
(goal: under 200 MB).

    python bench/archive_queries.py                   # 100,000 documents, SQLite
    python bench/archive_queries.py --docs 10000      # a quick look
    python bench/archive_queries.py --url postgresql+psycopg://user@host/emptydb
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text, update

from storage import Database, DatabaseSettings
from storage.export import TABLES, export_table
from storage.fulltext import pg_tsvector_literal, terms
from storage.mention_queries import AliasTable, find_mentions
from storage.mentions import MentionRecord
from storage.models import Change, Document, Mention, Source, Version
from storage.regulation_queries import RegulationCatalog, regulation_timeline
from storage.search import search

DATA = Path(__file__).resolve().parents[1] / "crawler" / "extract" / "data"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 2000

# The searched words go into a known share of pages; the rest of the text is drawn from a synthetic
# vocabulary that does not contain them.
ZH_TOPICS = [
    ("安全", 0.10, "加强人工智能安全治理，压实平台安全责任。"),
    ("数据要素", 0.03, "加快培育数据要素市场，促进数据要素合规高效流通。"),
]
EN_TOPICS = [
    (
        "generative artificial intelligence",
        0.05,
        "Providers of generative artificial intelligence services must label synthetic content.",
    ),
]
CATEGORIES = [
    "model_development",
    "data_sharing",
    "skills_development",
    "safety_governance",
    "infrastructure",
    "industry_application",
]


def load_toml(name: str) -> dict[str, Any]:
    try:
        with open(DATA / name, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


class Generator:
    """Deterministic pages, mentions and index terms."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        # Common CJK characters, minus the ones of the searched words (so filler never forms them).
        banned = set("安全数据要素")
        chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3500) if chr(c) not in banned]
        self.zh_words = ["".join(rng.choices(chars, k=rng.choice((2, 2, 2, 3, 4)))) for _ in range(20_000)]
        syllables = [a + b for a in "bcdfghjklmnprstvwz" for b in ("a", "e", "i", "o", "u", "ai", "ou", "ee")]
        common = ["the", "of", "and", "to", "in", "for", "on", "with", "by", "is", "are", "be", "as", "that"]
        invented = ["".join(rng.choices(syllables, k=rng.choice((1, 2, 2, 3)))) for _ in range(8_000)]
        self.en_words = common + [
            w for w in invented if w not in ("generative", "artificial", "intelligence")
        ]
        self.zh_cum = self._zipf(len(self.zh_words))
        self.en_cum = self._zipf(len(self.en_words))
        regulations = load_toml("regulations.toml").get("regulation", [])
        self.regulations = [r for r in regulations if r.get("id") and r.get("zh")] or [
            {"id": "cn-genai-interim-measures-2023", "zh": "生成式人工智能服务管理暂行办法"}
        ]
        self.regulation_cum = self._zipf(len(self.regulations))
        persons = load_toml("persons.toml").get("person", []) or [{"zh": "雷军", "en": "Lei Jun"}]
        self.persons = [p for p in persons if p.get("zh")]
        self.actors_zh = [p["zh"] for p in self.persons] + [
            "".join(rng.choices(chars, k=rng.choice((2, 3)))) for _ in range(600)
        ]

    @staticmethod
    def _zipf(n: int) -> list[float]:
        total, cum = 0.0, []
        for rank in range(1, n + 1):
            total += 1 / rank
            cum.append(total)
        return cum

    def chinese(self, number: int) -> str:
        rng, lines, size = self.rng, [f"关于第{number}号人工智能+试点工作的通知"], 0
        for _, share, sentence in ZH_TOPICS:
            if rng.random() < share:
                lines.append(sentence)
        while size < 1000:
            words = rng.choices(self.zh_words, cum_weights=self.zh_cum, k=rng.randint(6, 14))
            sentence = "".join(words) + rng.choice("。。，；")
            lines.append(sentence)
            size += len(sentence)
        rng.shuffle(lines)
        return "\n".join("".join(lines[i : i + 6]) for i in range(0, len(lines), 6))

    def english(self, number: int) -> str:
        rng, parts, size = self.rng, [f"Notice No. {number} on AI Plus pilots."], 0
        for _, share, sentence in EN_TOPICS:
            if rng.random() < share:
                parts.append(sentence)
        while size < 3000:
            words = rng.choices(self.en_words, cum_weights=self.en_cum, k=rng.randint(8, 20))
            sentence = " ".join(words).capitalize() + "."
            parts.append(sentence)
            size += len(sentence) + 1
        rng.shuffle(parts)
        return "\n".join(" ".join(parts[i : i + 5]) for i in range(0, len(parts), 5))

    def mentions(self, english: bool, day: date) -> list[MentionRecord]:
        rng, found = self.rng, []
        if rng.random() < 0.25:
            for entry in rng.choices(self.regulations, cum_weights=self.regulation_cum, k=rng.randint(1, 3)):
                status = "final" if day >= date(2024, 7, 1) or rng.random() < 0.3 else "draft"
                name = (entry.get("en") or entry["zh"]) if english else entry["zh"]
                snippet = f"依据《{name}》开展工作" if not english else f"under the {name}"
                if status == "final" and rng.random() < 0.1:
                    snippet += (
                        "，自2025年9月1日起施行"
                        if not english
                        else ", which takes effect on September 1, 2025"
                    )
                found.append(
                    MentionRecord(
                        kind="regulation",
                        title=name,
                        canonical_id=entry["id"],
                        status=status,
                        category=entry.get("category"),
                        snippet=snippet,
                    )
                )
        if rng.random() < 0.06:
            # Known proposers (persons.toml) make a third of the proposals, as on real 两会 pages.
            actor = rng.choice(self.persons)["zh"] if rng.random() < 0.3 else rng.choice(self.actors_zh)
            person = next((p for p in self.persons if p["zh"] == actor), None)
            if english and person and person.get("en"):
                actor = person["en"]
            found.append(
                MentionRecord(
                    kind="proposal",
                    actor=actor,
                    organization=person.get("organization") if person else None,
                    summary=f"建议推进第{rng.randint(1, 50)}项试点",
                    category=rng.choice(CATEGORIES),
                )
            )
        return found


def generate(db: Database, count: int, seed: int) -> None:
    """Bulk-insert `count` documents with one version, a change and mentions each, and index them."""
    gen = Generator(seed)
    sqlite = db.is_sqlite
    with db.transaction() as session:
        sources = [Source(name=f"source-{n}", kind="html", settings={}) for n in range(20)]
        session.add_all(sources)
        session.flush()
        source_ids = [s.id for s in sources]
    mention_id = 0
    for start in range(1, count + 1, BATCH):
        numbers = range(start, min(count, start + BATCH - 1) + 1)
        documents, versions, mentions, changes, index = [], [], [], [], []
        for n in numbers:
            english = n % 5 in (1, 3)
            body = gen.english(n) if english else gen.chinese(n)
            title = f"Notice No. {n}" if english else f"第{n}号通知"
            published = date(2023, 1, 1) + timedelta(days=gen.rng.randrange(1000))
            fetched = T0 + timedelta(seconds=n)
            documents.append(
                {
                    "id": n,
                    "url": f"https://www.example.gov.cn/{n % 97}/content_{n}.htm",
                    "source_id": source_ids[n % 20],
                    "first_seen": fetched,
                    "last_seen": fetched,
                    "last_changed": fetched,
                }
            )
            versions.append(
                {
                    "id": n,
                    "document_id": n,
                    "seq": 1,
                    "fetched_at": fetched,
                    "text": body,
                    "text_sha256": f"{n:064x}",
                    "title": title,
                    "published": published,
                    "language": "en" if english else "zh",
                    "categories": f" {gen.rng.choice(CATEGORIES)} ",
                }
            )
            found = gen.mentions(english, published)
            for position, m in enumerate(found):
                mention_id += 1
                mentions.append(
                    {
                        "id": mention_id,
                        "version_id": n,
                        "key": m.key,
                        "position": position,
                        **{f: getattr(m, f) for f in ("kind", "title", "canonical_id", "status", "actor")},
                        **{f: getattr(m, f) for f in ("organization", "summary", "category", "snippet")},
                    }
                )
            changes.append(
                {
                    "id": n,
                    "document_id": n,
                    "kind": "new",
                    "detected_at": fetched,
                    "new_version_id": n,
                    "diff": "",
                    "mentions_added": [m.to_dict() for m in found],
                    "mentions_removed": [],
                    "status_changes": [],
                }
            )
            if sqlite:
                index.append({"id": n, "title": " ".join(terms(title)), "body": " ".join(terms(body))})
            else:
                index.append({"id": n, "terms": pg_tsvector_literal(title, body)})
        with db.transaction() as session:
            session.execute(insert(Document), documents)
            session.execute(insert(Version), versions)
            session.execute(
                update(Document)
                .where(Document.id.between(numbers[0], numbers[-1]))
                .values(current_version_id=Document.id)
            )
            if mentions:
                session.execute(insert(Mention), mentions)
            session.execute(insert(Change), changes)
            if sqlite:
                session.execute(
                    text("INSERT INTO search_index (rowid, title, body) VALUES (:id, :title, :body)"), index
                )
            else:
                session.execute(
                    text(
                        "INSERT INTO search_index (document_id, terms) VALUES (:id, CAST(:terms AS tsvector))"
                    ),
                    index,
                )
        print(f"\r  generated {numbers[-1]:,} / {count:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    if sqlite:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    else:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")


def timed(work: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    work()  # warm-up: the page cache, SQLAlchemy's statement cache
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return times, result


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:,.1f}"


def like_scan(db: Database, word: str) -> Callable[[], int]:
    """The same question without the index: every current version whose text contains the word."""
    sqlite = db.is_sqlite
    operator = "LIKE" if sqlite else "ILIKE"  # SQLite's LIKE ignores ASCII case, as the index does

    def work() -> int:
        with db.session() as session:
            return len(
                session.execute(
                    text(
                        "SELECT document.id FROM document "
                        "JOIN version ON version.id = document.current_version_id "
                        f"WHERE version.text {operator} :pattern"
                    ),
                    {"pattern": f"%{word}%"},
                ).all()
            )

    return work


def export_child(url: str, target: str) -> None:
    started = time.perf_counter()
    db = Database.open(DatabaseSettings(url=url), upgrade=False)
    counts = {}
    with db.session() as session, open(target, "w", encoding="utf-8") as out:
        for table in TABLES:
            counts[table] = export_table(session, table, out, format="jsonl", tag=table)
    db.dispose()
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": counts}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query")
    parser.add_argument("--like-runs", type=int, default=5, help="timed runs per LIKE scan")
    parser.add_argument("--url", help="an empty database to use instead of a temporary SQLite file")
    parser.add_argument(
        "--reuse", action="store_true", help="the database at --url is already generated: only query it"
    )
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--export-to", default=os.devnull, help="where the export goes (default: nowhere)")
    parser.add_argument("--export-child", nargs=2, metavar=("URL", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child(*args.export_child)
        return

    with tempfile.TemporaryDirectory(prefix="aiplus-bench-") as folder:
        url = args.url or f"sqlite:///{folder}/aiplus.db"
        db = Database.open(DatabaseSettings(url=url))
        started = time.perf_counter()
        if not args.reuse:
            generate(db, args.docs, args.seed)
        generation = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6 if not args.url else None
        report(db, url, args, generation, size)
        db.dispose()


def report(db: Database, url: str, args: argparse.Namespace, generation: float, size: float | None) -> None:
    backend = "SQLite" if db.is_sqlite else "PostgreSQL"
    print(f"Archive of {args.docs:,} documents on {backend}: generated in {generation:,.0f} s", end="")
    print(f", {size:,.0f} MB on disk" if size else "")
    print(f"\n{'query':<44}{'median ms':>11}{'p95 ms':>9}{'rows':>8}{'LIKE ms':>10}{'speed-up':>10}")

    def line(label: str, times: list[float], rows: int, like: list[float] | None = None) -> None:
        median = statistics.median(times)
        out = f"{label:<44}{ms(median):>11}{ms(p95(times)):>9}{rows:>8,}"
        if like is not None:
            like_median = statistics.median(like)
            speedup = like_median / median
            out += f"{ms(like_median):>10}{speedup:>9.0f}x {'ok' if speedup >= 20 else 'BELOW GOAL (20x)'}"
        print(out)

    def searcher(query: str, **filters: Any) -> Callable[[], Any]:
        def work() -> Any:
            with db.session() as session:
                return search(session, query, limit=20, **filters)

        return work

    for label, query, word in (
        ("search, two Chinese characters: 安全", "安全", "安全"),
        ("search, four Chinese characters: 数据要素", "数据要素", "数据要素"),
        ('search, English phrase: "generative AI ..."', '"generative artificial intelligence"', None),
    ):
        times, results = timed(searcher(query), args.runs)
        like_word = word or "generative artificial intelligence"
        like_times, matches = timed(like_scan(db, like_word), args.like_runs)
        line(f"{label}", times, len(results), like_times)
        print(f"{'':<6}(LIKE finds {matches:,} pages)")

    # Not a goal of the issue, for the record: a filter makes the index join every match to its page.
    times, results = timed(searcher("安全", since=date(2025, 1, 1)), args.runs)
    line("search 安全 --since 2025 (filtered)", times, len(results))

    people = AliasTable([[p["zh"], p.get("en") or ""] for p in load_toml("persons.toml").get("person", [])])
    actor = "雷军"

    def mentions_by_actor() -> list[dict[str, Any]]:
        with db.session() as session:
            return list(find_mentions(session, actors=[actor], aliases=people))

    times, rows = timed(mentions_by_actor, args.runs)
    line(f"mentions --actor {actor} (and its alias)", times, len(rows))

    catalog = RegulationCatalog.from_rows(load_toml("regulations.toml").get("regulation", []))
    gen = Generator(args.seed)
    regulation_id = gen.regulations[min(4, len(gen.regulations) - 1)]["id"]

    def timeline() -> Any:
        with db.session() as session:
            return regulation_timeline(session, regulation_id, catalog)

    times, result = timed(timeline, args.runs)
    line(f"regulation timeline ({len(result.pages):,} citing pages)", times, len(result.pages))
    print(f"{'':<6}({regulation_id}: draft {result.draft.date if result.draft else None}, "
          f"final {result.final.date if result.final else None}, "
          f"effective {result.effective.date if result.effective else None})")  # fmt: skip

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    child = subprocess.run(
        [sys.executable, __file__, "--export-child", url, args.export_to],
        capture_output=True,
        text=True,
        check=True,
    )
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    outcome = json.loads(child.stdout)
    rows = sum(outcome["rows"].values())
    verdict = "ok" if peak_mb < 200 else "ABOVE GOAL (200 MB)"
    print(
        f"\nexport of every table as JSON Lines: {outcome['seconds']:,.1f} s, {rows:,} rows "
        f"({', '.join(f'{k} {v:,}' for k, v in outcome['rows'].items())}); "
        f"peak memory {peak_mb:,.0f} MB {verdict}"
    )
    if before and before / 1024 > peak_mb:  # pragma: no cover - no other child ran before
        print(f"(an earlier child process peaked at {before / 1024:,.0f} MB)")


if __name__ == "__main__":
    main()

"""A separate process that records synthetic pages into an archive, for the concurrency and crash
tests. Usage: python record_worker.py DB_URL --prefix P --count N [--batch B] [--hang-mid-transaction]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime

from storage import Database, DatabaseSettings, FetchedPage, MentionRecord, record_page


def synthetic_page(prefix: str, number: int, revision: int = 0) -> FetchedPage:
    text = (
        f"第{number}号文件 关于推进人工智能+{prefix}的通知\n"
        f"各有关单位：为深入实施“人工智能+”行动，现就第{number}项工作通知如下。\n"
        f"一、加强数据安全和算力基础设施建设。修订{revision}。"
    )
    mention = MentionRecord(kind="regulation", title="生成式人工智能服务管理暂行办法", status="final")
    return FetchedPage(
        url=f"https://example.gov.cn/{prefix}/content_{number}.htm",
        source=f"worker-{prefix}",
        text=text,
        title=f"通知 {number}",
        fetched_at=datetime.now(UTC),
        mentions=[mention],
        categories=["safety_governance"],
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--prefix", default="w")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--revision", type=int, default=0)
    parser.add_argument("--hang-mid-transaction", action="store_true")
    args = parser.parse_args()
    db = Database.open(DatabaseSettings(url=args.url))
    numbers = list(range(args.count))
    for start in range(0, args.count, args.batch):
        chunk = numbers[start : start + args.batch]

        def work(session, chunk=chunk):
            for number in chunk:
                record_page(session, synthetic_page(args.prefix, number, args.revision))

        if args.hang_mid_transaction and start > 0:
            # Commit one batch first, then stop inside an open transaction and wait to be killed.
            with db.transaction() as session:
                work(session)
                session.flush()
                print("mid-transaction", flush=True)
                time.sleep(120)
            return 3
        db.write(work)
    print("done", flush=True)
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How far two analysts agree on page categories, and how far the extractor agrees with each.

    python3 bench/category_agreement.py

The second analyst's categories are in tests/fixtures/category_second_labeller/ (30 pages of the dev
sets, labelled blind); the first analyst's are the pages' own labels. F1 counts each (page, category)
pair once, as bench/extraction_quality.py does.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction_quality import decode_html  # noqa: E402

from crawler.extract import extract_page  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SECOND = FIXTURES / "category_second_labeller" / "categories.json"


def f1(pairs: Iterable[tuple[Iterable[str], Iterable[str]]]) -> tuple[float, float, float]:
    """F1, precision and recall of the first of each pair against the second."""
    tp = fp = fn = 0
    for got, gold in pairs:
        got_set, gold_set = set(got), set(gold)
        tp += len(got_set & gold_set)
        fp += len(got_set - gold_set)
        fn += len(gold_set - got_set)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return score, precision, recall


def agreement() -> dict[str, tuple[float, float, float]]:
    second: dict[str, list[str]] = json.loads(SECOND.read_text(encoding="utf-8"))
    first_vs_second, ours_vs_first, ours_vs_second = [], [], []
    for page, theirs in second.items():
        path = FIXTURES / page
        label = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        ours = extract_page(decode_html(path.read_bytes()), label.get("url")).categories
        first = label.get("categories") or []
        first_vs_second.append((theirs, first))
        ours_vs_first.append((ours, first))
        ours_vs_second.append((ours, theirs))
    return {
        "second analyst against the first": f1(first_vs_second),
        "extractor against the first analyst": f1(ours_vs_first),
        "extractor against the second analyst": f1(ours_vs_second),
    }


def main() -> int:
    pages = len(json.loads(SECOND.read_text(encoding="utf-8")))
    print(f"Page categories on {pages} dev pages labelled by two analysts")
    for label, (score, precision, recall) in agreement().items():
        print(f"  {label:<40} F1 {score:.3f}  P {precision:.3f}  R {recall:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

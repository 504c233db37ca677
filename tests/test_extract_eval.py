"""The labelled evaluation sets (tests/fixtures/extraction_eval/, _dev/ to _dev9/, _heldout*/):
quality figures pinned at what the extractor reaches, so that a change that makes any of them worse fails
here. bench/extraction_quality.py --set NAME prints the same figures with every disagreement (--errors)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "extraction_quality.py"

# Reached on each labelled set; rounded down. Raise them when the extractor improves, never lower them to
# make a change pass. "eval" (44 pages) was written alongside the rules; "dev" to "dev15" (14, then 16
# pages each, from other sites) were written without them and then studied to improve the extractor
# (bench/extraction_quality.py --set NAME --errors).
PINNED = {
    "eval": {
        "regulation_precision": 1.0,
        # 1.0 until the decision amending a law became a mention of the law (dev14/dev15 round): a12 labels
        # 关于修改网络安全法的决定 as a document of its own; five other labellers fold it into the law.
        "regulation_recall": 0.98,
        # 1.0 until 已(经)对…作出规定 / 提出了要求 stopped counting as final: dev2's and dev5's labellers,
        # who never saw the rules, both label it null; eval's a14 labels it final.
        "status_accuracy": 0.98,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 1.0,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.87,
        "regulation_category_accuracy": 0.95,
        # 0.87 until page categories counted term occurrences rather than sentences (session 5): better
        # on 11 of 16 studied sets and against a second analyst's blind labels (0.84 -> 0.87).
        "category_f1": 0.86,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev": {
        # 1.0 until "TC260-003" alone named the technical document (the dev13 round): c05 names it as the
        # basis of the draft standard and its labeller did not count it; the labellers of heldout3 and
        # dev13 count the technical document as a mention of its own.
        "regulation_precision": 0.97,
        "regulation_recall": 1.0,
        "status_accuracy": 0.97,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 1.0,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 0.93,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.8,
        "regulation_category_accuracy": 0.9,
        # 0.83 until page categories counted term occurrences rather than sentences (session 5): better
        # on 11 of 16 studied sets and against a second analyst's blind labels (0.84 -> 0.87).
        "category_f1": 0.82,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev2": {
        "regulation_precision": 1.0,
        "regulation_recall": 1.0,
        "status_accuracy": 0.94,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 1.0,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 0.97,
        "proposal_year_accuracy": 0.95,
        "proposal_category_accuracy": 0.84,
        "regulation_category_accuracy": 0.91,
        "category_f1": 0.86,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev3": {
        "regulation_precision": 0.98,
        "regulation_recall": 1.0,
        "status_accuracy": 0.97,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.83,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 0.8,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.7,
        "regulation_category_accuracy": 0.77,
        "category_f1": 0.91,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    # Written by a fifth labeller (proposal-heavy, one proposal per suggestion), then studied.
    "dev5": {
        "regulation_precision": 1.0,
        "regulation_recall": 0.98,
        # 1.0 until English descriptions of documents were found ("the State Council's AI Plus
        # guideline"): k13's "guideline from last August" is one more mention, its status not read.
        "status_accuracy": 0.98,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 1.0,
        "proposal_recall": 0.92,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 0.94,
        "proposal_category_accuracy": 0.64,
        "regulation_category_accuracy": 0.8,
        "category_f1": 0.79,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    # Written by a sixth labeller (all fields, one proposal per suggestion), then studied.
    "dev6": {
        "regulation_precision": 1.0,
        "regulation_recall": 1.0,
        "status_accuracy": 0.98,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.89,
        "proposal_recall": 0.91,
        "role_accuracy": 1.0,
        "organization_accuracy": 0.96,
        "proposal_year_accuracy": 0.94,
        "proposal_category_accuracy": 0.76,
        "regulation_category_accuracy": 0.94,
        "category_f1": 0.88,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev7": {
        "regulation_precision": 1.0,
        "regulation_recall": 1.0,
        "status_accuracy": 1.0,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.84,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 0.93,
        "proposal_category_accuracy": 0.93,
        "regulation_category_accuracy": 0.75,
        # 0.9 until page categories counted term occurrences rather than sentences (session 5): better
        # on 11 of 16 studied sets and against a second analyst's blind labels (0.84 -> 0.87).
        "category_f1": 0.87,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev8": {
        "regulation_precision": 0.98,
        "regulation_recall": 1.0,
        "status_accuracy": 1.0,
        "actor_precision": 1.0,
        "actor_recall": 0.9,
        "proposal_precision": 1.0,
        "proposal_recall": 0.92,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.66,
        "regulation_category_accuracy": 0.78,
        "category_f1": 0.89,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 0.93,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev9": {
        "regulation_precision": 0.98,
        "regulation_recall": 1.0,
        "status_accuracy": 0.94,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 1.0,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 0.92,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.73,
        "regulation_category_accuracy": 0.8,
        "category_f1": 0.82,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev10": {
        "regulation_precision": 1.0,
        "regulation_recall": 1.0,
        "status_accuracy": 0.96,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.9,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.55,
        "regulation_category_accuracy": 0.85,
        "category_f1": 0.8,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev11": {
        "regulation_precision": 1.0,
        "regulation_recall": 1.0,
        "status_accuracy": 1.0,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.92,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.53,
        "regulation_category_accuracy": 0.76,
        "category_f1": 0.69,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev12": {
        "regulation_precision": 1.0,
        "regulation_recall": 1.0,
        "status_accuracy": 1.0,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.94,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 0.93,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.55,
        "regulation_category_accuracy": 0.92,
        "category_f1": 0.75,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev13": {
        "regulation_precision": 1.0,
        "regulation_recall": 1.0,
        "status_accuracy": 0.98,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.8,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 0.92,
        "proposal_year_accuracy": 0.94,
        "proposal_category_accuracy": 0.58,
        "regulation_category_accuracy": 0.83,
        "category_f1": 0.83,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 0.93,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev14": {
        "regulation_precision": 1.0,
        "regulation_recall": 1.0,
        "status_accuracy": 0.98,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.8,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 0.92,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.87,
        "regulation_category_accuracy": 0.86,
        "category_f1": 0.89,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    "dev15": {
        "regulation_precision": 1.0,
        "regulation_recall": 1.0,
        "status_accuracy": 0.9,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.94,
        "proposal_recall": 0.94,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.81,
        "regulation_category_accuracy": 0.84,
        "category_f1": 0.82,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    # Written like dev and dev2 but never studied: nobody has read its errors, so these are the figures to
    # trust (README: Benchmarks and extraction quality). Pinned so they cannot fall either.
    "heldout": {
        "regulation_precision": 0.96,
        "regulation_recall": 0.96,
        # 0.89 until the list-with-numbers and 制定了 / "approved by the State Council" cues, which
        # took dev3 from 56/66 to 63/66 and this set from 49/55 to 48/55; kept on the dev evidence.
        "status_accuracy": 0.9,
        "actor_precision": 1.0,
        "actor_recall": 0.94,
        "proposal_precision": 0.95,
        "proposal_recall": 0.9,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 0.95,
        "proposal_category_accuracy": 0.9,
        "regulation_category_accuracy": 0.87,
        "category_f1": 0.9,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    # Written by a fourth labeller (status wording, proposal patterns, date placement), then studied.
    "dev4": {
        "regulation_precision": 1.0,
        "regulation_recall": 0.98,
        "status_accuracy": 1.0,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.92,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.76,
        "regulation_category_accuracy": 0.78,
        "category_f1": 0.76,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    # A second held-out set, written when the first had been looked at twice: figures only, never its
    # errors (measured at the start and at the end of the session that added it).
    "heldout2": {
        "regulation_precision": 1.0,
        "regulation_recall": 0.87,
        "status_accuracy": 0.96,
        "actor_precision": 1.0,
        "actor_recall": 0.86,
        # 0.75 until the dev5 round (proposals in headings, 第一份提案, given-name-first English
        # names …), after which one more proposal is counted here; kept on dev5's evidence.
        "proposal_precision": 0.72,
        "proposal_recall": 0.86,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.76,
        "regulation_category_accuracy": 0.84,
        "category_f1": 0.86,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    # The third held-out set, written after heldout2 had been read twice: its figures were read once after
    # the dev6 round and again after the dev8 round (session 4), and its errors never.
    "heldout3": {
        "regulation_precision": 0.98,
        "regulation_recall": 0.96,
        "status_accuracy": 0.88,
        "actor_precision": 0.92,
        "actor_recall": 0.76,
        "proposal_precision": 0.94,
        "proposal_recall": 0.77,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.76,
        "regulation_category_accuracy": 0.87,
        "category_f1": 0.77,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    # The fourth held-out set (session 4), written blind like the others: its figures were read once,
    # after the dev7 and dev8 rounds, and its errors never. dev7, dev8 and it were written from the same
    # brief, so it is nearer to what was studied than heldout3 is.
    "heldout4": {
        "regulation_precision": 0.98,
        "regulation_recall": 1.0,
        "status_accuracy": 0.95,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.79,
        "proposal_recall": 0.95,
        "role_accuracy": 1.0,
        "organization_accuracy": 0.93,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.89,
        "regulation_category_accuracy": 0.77,
        "category_f1": 0.86,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    # The fifth held-out set (session 4), written blind from the freer brief of dev9: its figures were
    # read once, after the dev9 round, and its errors never.
    "heldout5": {
        "regulation_precision": 1.0,
        "regulation_recall": 1.0,
        "status_accuracy": 0.95,
        "actor_precision": 0.92,
        "actor_recall": 0.85,
        "proposal_precision": 0.93,
        "proposal_recall": 0.82,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.78,
        "regulation_category_accuracy": 0.82,
        "category_f1": 0.89,
        "relevance_accuracy": 1.0,
        "published_accuracy": 0.93,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    # The sixth held-out set (session 5), written blind from the freer brief with dev10 and dev11: its
    # figures were read once, after the dev10/dev11 round, and its errors never.
    "heldout6": {
        "regulation_precision": 0.96,
        "regulation_recall": 1.0,
        "status_accuracy": 0.98,
        "actor_precision": 0.94,
        "actor_recall": 0.89,
        "proposal_precision": 0.85,
        "proposal_recall": 0.81,
        "role_accuracy": 1.0,
        "organization_accuracy": 0.94,
        "proposal_year_accuracy": 0.88,
        "proposal_category_accuracy": 0.66,
        "regulation_category_accuracy": 0.81,
        "category_f1": 0.86,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    # The seventh held-out set (session 5), written blind from the brief of dev12 and dev13: its figures were
    # read once, after the dev12/dev13 round, and its errors never.
    "heldout7": {
        "regulation_precision": 0.96,
        "regulation_recall": 0.89,
        "status_accuracy": 0.92,
        "actor_precision": 1.0,
        "actor_recall": 1.0,
        "proposal_precision": 0.94,
        "proposal_recall": 1.0,
        "role_accuracy": 1.0,
        "organization_accuracy": 0.92,
        "proposal_year_accuracy": 1.0,
        "proposal_category_accuracy": 0.75,
        "regulation_category_accuracy": 0.8,
        # 0.8 until page categories counted term occurrences rather than sentences, a change decided on
        # the studied sets and a second analyst's blind labels; it lowered this set's figure (the failing
        # pin showed it: read, not studied), and the pin follows rather than the change.
        "category_f1": 0.78,
        "relevance_accuracy": 1.0,
        "published_accuracy": 1.0,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
    # The eighth held-out set (session 5), written blind from the brief of dev14 and dev15: its figures were
    # read once, after the dev14/dev15 round, and its errors never.
    "heldout8": {
        "regulation_precision": 0.96,
        "regulation_recall": 0.94,
        "status_accuracy": 0.94,
        "actor_precision": 1.0,
        "actor_recall": 0.92,
        "proposal_precision": 0.88,
        "proposal_recall": 0.93,
        "role_accuracy": 1.0,
        "organization_accuracy": 1.0,
        "proposal_year_accuracy": 0.93,
        "proposal_category_accuracy": 0.6,
        "regulation_category_accuracy": 0.86,
        "category_f1": 0.89,
        "relevance_accuracy": 1.0,
        "published_accuracy": 0.93,
        "title_accuracy": 1.0,
        "issuer_accuracy": 1.0,
        "doc_number_accuracy": 1.0,
        "language_accuracy": 1.0,
    },
}
SET_SIZES = {
    "eval": 44, "dev": 14, "dev2": 16, "dev3": 16, "dev4": 16, "dev5": 16, "dev6": 16, "dev7": 16, "dev8": 16,
    "dev9": 16, "dev10": 16, "dev11": 16, "dev12": 16, "dev13": 16, "dev14": 16, "dev15": 16,
    "heldout": 14, "heldout2": 16, "heldout3": 16, "heldout4": 16, "heldout5": 16, "heldout6": 16, "heldout7": 16, "heldout8": 16,
}  # fmt: skip
# The goals of the extractor's brief, for the record: the pinned figures are above them.
GOALS = {
    "regulation_precision": 0.95,
    "regulation_recall": 0.95,
    "status_accuracy": 0.95,
    "actor_precision": 0.9,
    "actor_recall": 0.9,
    "category_f1": 0.85,
    "relevance_accuracy": 0.97,
    "published_accuracy": 0.97,
}


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_quality", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("extraction_quality", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=sorted(PINNED))
def report(request: pytest.FixtureRequest, bench: ModuleType) -> tuple[str, object]:
    name = request.param
    cases = bench.load_cases(bench.SETS[name])
    if len(cases) != SET_SIZES[name]:
        pytest.fail(f"the {name} set has {len(cases)} labelled pages, expected {SET_SIZES[name]}")
    return name, bench.evaluate(cases)


def test_goals_are_below_the_pins_of_the_set_written_with_the_rules() -> None:
    for name, goal in GOALS.items():
        assert PINNED["eval"][name] >= goal, name


@pytest.mark.parametrize("figure", sorted(PINNED["eval"]))
def test_quality_does_not_fall_back(report: tuple[str, object], figure: str) -> None:
    name, result = report
    figures = result.figures()  # type: ignore[attr-defined]
    # The held-out set's disagreements are not printed: reading them would make it one more set studied.
    errors = "" if name.startswith("heldout") else "\n".join(result.errors)  # type: ignore[attr-defined]
    assert figures[figure] >= PINNED[name][figure] - 1e-9, (
        f"{name}: {figure} fell to {figures[figure]:.3f}\n{errors}"
    )

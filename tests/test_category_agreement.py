"""The second analyst's categories (tests/fixtures/category_second_labeller/): every page they name
exists with a label, and the extractor's agreement with each analyst is pinned so it cannot fall."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "category_agreement.py"
SECOND = ROOT / "tests" / "fixtures" / "category_second_labeller" / "categories.json"
SLUGS = {
    "model_development",
    "data_sharing",
    "skills_development",
    "safety_governance",
    "infrastructure",
    "industry_application",
}


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("category_agreement", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_second_labelling_names_labelled_pages_and_known_categories() -> None:
    second = json.loads(SECOND.read_text(encoding="utf-8"))
    assert len(second) == 30
    for page, categories in second.items():
        path = ROOT / "tests" / "fixtures" / page
        assert path.exists() and path.with_suffix(".json").exists(), page
        assert set(categories) <= SLUGS, page


def test_agreement_does_not_fall(bench: ModuleType) -> None:
    figures = bench.agreement()
    assert figures["second analyst against the first"][0] == pytest.approx(0.930, abs=0.001)  # fixed data
    # Reached in session 5; raise them when categories improve.
    assert figures["extractor against the first analyst"][0] >= 0.81
    assert figures["extractor against the second analyst"][0] >= 0.87

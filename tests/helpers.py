"""Small builders shared by the tests."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from storage import FetchedPage

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
T0 = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)


def corpus_file(name: str) -> Path:
    """A file of the real-page corpus beside the repository (shared/corpus)."""
    path = CORPUS / name
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"corpus file {path} is missing")
        pytest.skip(f"corpus file {path} is missing")
    return path


def page(url: str, text: str, *, at: int = 0, source: str = "test-source", **fields: Any) -> FetchedPage:
    """A fetched page, `at` hours after T0."""
    return FetchedPage(url=url, source=source, text=text, fetched_at=T0 + timedelta(hours=at), **fields)

"""The versioned archive: models, engine, migrations, change detection and archive queries.

This package imports none of the project's other packages: the crawler, digests and CLI build on it.
"""

from storage.database import Database, DatabaseLocked, StorageError
from storage.mentions import MentionRecord
from storage.normalize import TextNormalizer
from storage.recording import (
    FetchedPage,
    PreparedText,
    RecordOutcome,
    mark_gone,
    record_not_modified,
    record_page,
)
from storage.settings import DatabaseSettings

__all__ = [
    "Database",
    "DatabaseLocked",
    "DatabaseSettings",
    "FetchedPage",
    "MentionRecord",
    "PreparedText",
    "RecordOutcome",
    "StorageError",
    "TextNormalizer",
    "mark_gone",
    "record_not_modified",
    "record_page",
]

"""jieba word segmentation, loaded once and only when needed: building its dictionary costs half a
second, and segmenting a whole page costs ~15 ms, so only short candidate strings are ever cut."""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

_lock = threading.Lock()
_posseg: Any = None


def _load() -> Any:
    global _posseg
    if _posseg is None:
        with _lock:
            if _posseg is None:
                import jieba
                import jieba.posseg

                # jieba logs its dictionary loading to stderr through its own handler.
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _posseg = jieba.posseg
    return _posseg


def person_names(text: str) -> list[str]:
    """Words jieba tags as personal names (nr) in a short text, in order."""
    posseg = _load()
    return [pair.word for pair in posseg.cut(text) if pair.flag == "nr"]

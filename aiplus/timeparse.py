"""Reading the WHEN of --since / --until: ISO dates and date-times (with or without a UTC offset) and
relative spans such as 7d, 24h, 30m, 2w, today, yesterday."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

_RELATIVE = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(text: str, now: datetime | None = None) -> datetime:
    """An aware datetime for WHEN. Times without an offset are read in the machine's local time zone.

    >>> parse_when("2025-08-26T09:00:00+08:00").isoformat()
    '2025-08-26T01:00:00+00:00'
    """
    now = now or datetime.now(UTC)
    value = text.strip()
    relative = _RELATIVE.match(value)
    if relative:
        amount, unit = int(relative.group(1)), _UNITS[relative.group(2).lower()]
        return now - timedelta(**{unit: amount})
    if value.lower() in ("today", "yesterday"):
        local_midnight = datetime.combine(now.astimezone().date(), time()).astimezone()
        if value.lower() == "yesterday":
            local_midnight -= timedelta(days=1)
        return local_midnight.astimezone(UTC)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            parsed = datetime.combine(date.fromisoformat(value), time())
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        raise ValueError(
            f"cannot read the time {text!r}: use an ISO date (2026-11-01), a date-time "
            "(2026-11-01T08:00, optionally with +08:00), or a span such as 7d or 24h"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()  # local time zone
    return parsed.astimezone(UTC)

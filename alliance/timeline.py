"""Months of the timeline slider: index i ↔ the i-th month from the first deal's month."""

from __future__ import annotations

import datetime as dt

from .viewstate import month_end, month_start


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from `first`'s month to `last`'s month, inclusive."""
    months, cursor = [], month_start(first)
    while cursor <= last:
        months.append(cursor)
        cursor = (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def month_index(months: list[dt.date], day: dt.date) -> int:
    """Index of the month containing `day`, clamped to the slider's range."""
    target = month_start(day)
    if target <= months[0]:
        return 0
    if target >= months[-1]:
        return len(months) - 1
    return months.index(target)


def window(months: list[dt.date], lo: int, hi: int) -> tuple[dt.date, dt.date]:
    """Dates covered by slider positions lo..hi (whole months)."""
    lo, hi = sorted((max(0, min(lo, len(months) - 1)), max(0, min(hi, len(months) - 1))))
    return months[lo], month_end(months[hi])

"""Query-string filters shared by the list pages (date range, agent, category)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import Depends, Query

from csguard.http.deps import SettingsDep
from csguard.services.dashboard import Window, local_today

DEFAULT_DAYS = 7
MAX_DAYS = 92


@dataclass(frozen=True, slots=True)
class DateRange:
    first: date
    last: date
    timezone: str
    error: str = ""

    @property
    def window(self) -> Window:
        return Window.days(self.first, self.last, self.timezone)


def _parse(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def recent_days(timezone: str, days: int = DEFAULT_DAYS) -> DateRange:
    """The last ``days`` local days, today included."""
    today = local_today(timezone)
    return DateRange(today - timedelta(days=days - 1), today, timezone)


def date_range(start: str, end: str, timezone: str) -> DateRange:
    """The requested local days (inclusive); the last 7 days when absent, with a notice when invalid."""
    default = recent_days(timezone)
    today = default.last
    if not start and not end:
        return default
    first = _parse(start) if start else default.first
    last = _parse(end) if end else today
    if first is None or last is None:
        return DateRange(default.first, default.last, timezone, "日期格式应为 YYYY-MM-DD，已显示最近 7 天。")
    if first > last:
        first, last = last, first
    if (last - first).days >= MAX_DAYS:
        first = last - timedelta(days=MAX_DAYS - 1)
        return DateRange(first, last, timezone, f"一次最多查看 {MAX_DAYS} 天，已截取最后 {MAX_DAYS} 天。")
    return DateRange(first, last, timezone)


DateText = Annotated[str, Query(max_length=20)]


def requested_period(settings: SettingsDep, start: DateText = "", end: DateText = "") -> DateRange:
    """The ``start``/``end`` query parameters as local days in the shop's time zone."""
    return date_range(start, end, settings.timezone)


# The date range a list page shows, from its query string.
Period = Annotated[DateRange, Depends(requested_period)]

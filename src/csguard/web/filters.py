"""Query-string filters shared by the list pages (date range, agent, category)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from csguard.services.dashboard import Window, local_today
from csguard.settings import get_settings

DEFAULT_DAYS = 7
MAX_DAYS = 92


@dataclass(frozen=True, slots=True)
class DateRange:
    first: date
    last: date
    error: str = ""

    @property
    def window(self) -> Window:
        return Window.days(self.first, self.last, get_settings().timezone)


def _parse(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def date_range(start: str, end: str) -> DateRange:
    """The requested local days (inclusive); the last 7 days when absent, with a notice when invalid."""
    today = local_today(get_settings().timezone)
    default = DateRange(today - timedelta(days=DEFAULT_DAYS - 1), today)
    if not start and not end:
        return default
    first = _parse(start) if start else default.first
    last = _parse(end) if end else today
    if first is None or last is None:
        return DateRange(default.first, default.last, "日期格式应为 YYYY-MM-DD，已显示最近 7 天。")
    if first > last:
        first, last = last, first
    if (last - first).days >= MAX_DAYS:
        first = last - timedelta(days=MAX_DAYS - 1)
        return DateRange(first, last, f"一次最多查看 {MAX_DAYS} 天，已截取最后 {MAX_DAYS} 天。")
    return DateRange(first, last)

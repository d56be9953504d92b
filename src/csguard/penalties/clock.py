"""Injectable clocks so every time-dependent rule (expiry, countdowns, deadlines) is testable."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to; tests walk it through a penalty's life."""

    def __init__(self, start: datetime) -> None:
        self._now = ensure_aware(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, moment: datetime) -> None:
        self._now = ensure_aware(moment)


def ensure_aware(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC: mixing naive and aware times would raise deep inside comparisons."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def format_countdown(remaining: timedelta | None) -> str:
    """Chinese countdown text shown next to every end time and deadline."""
    if remaining is None:
        return "永久"
    seconds = int(remaining.total_seconds())
    if seconds <= 0:
        return "已到期"
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    if days:
        return f"{days}天{hours}小时"
    if hours:
        return f"{hours}小时{minutes}分钟"
    return f"{max(minutes, 1)}分钟"


def local_moment(moment: datetime, timezone: str) -> datetime:
    """``moment`` on the shop's wall clock: stored times are UTC, sellers and reviewers read local time."""
    return ensure_aware(moment).astimezone(ZoneInfo(timezone))


def format_local(moment: datetime, timezone: str, *, seconds: bool = False) -> str:
    """Plain Chinese local time for documents a seller sends (``2026年12月4日 10:01``), never ISO."""
    local = local_moment(moment, timezone)
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{format_day(local.date())} {clock}"


def format_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def add_working_days(day: date, days: int) -> date:
    """``days`` working days (Monday to Friday) after ``day``; public holidays are not known here."""
    current = day
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current

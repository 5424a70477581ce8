"""When scheduled runs happen: a fixed interval (`90s`, `15m`, `6h`, `1d`) or a cron expression.

The cron matcher takes the five classic fields (minute hour day-of-month month day-of-week) with
`*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`, and names (`mon`, `jan`).
As in Vixie cron, when both day fields are restricted a day matches if either one does.
Times are UTC, like every other time seedcheck writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
NAMES = {
    **{d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))},
    **{m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                   "sep", "oct", "nov", "dec"), 1)},
}
# (name, lowest, highest) of each field
FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12),
          ("day of week", 0, 7))
SEARCH_DAYS = 366 * 5   # Feb 29 on a Monday can be years away; further means never


class ScheduleError(Exception):
    """An interval or cron expression that cannot be read."""


def parse_interval(text: str) -> timedelta:
    """`90s`, `15m`, `6h`, `1d` (a bare number is seconds)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match:
        raise ScheduleError(f"{text!r} is not an interval such as 90s, 15m, 6h or 1d")
    seconds = float(match[1]) * UNITS[match[2] or "s"]
    if seconds <= 0:
        raise ScheduleError(f"{text!r}: the interval must be longer than zero")
    return timedelta(seconds=seconds)


def _values(part: str, low: int, high: int, name: str) -> set[int]:
    def number(token: str) -> int:
        value = NAMES.get(token.lower()) if not token.isdigit() else int(token)
        if value is None or not low <= value <= high:
            raise ScheduleError(f"{token!r} is not a {name} ({low}-{high})")
        return value

    found: set[int] = set()
    for item in part.split(","):
        span, _, step = item.partition("/")
        if (step and not step.isdigit()) or step == "0":
            raise ScheduleError(f"{item!r}: the step of a {name} must be a positive number")
        if span == "*":
            start, end = low, high
        elif "-" in span:
            first, _, last = span.partition("-")
            start, end = number(first), number(last)
        else:
            start = number(span)
            end = high if step else start
        if start > end:
            raise ScheduleError(f"{item!r}: the range of a {name} runs backwards")
        found.update(range(start, end + 1, int(step or 1)))
    return found


@dataclass(frozen=True)
class Cron:
    expression: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]      # 0 = Sunday (7 is read as Sunday too)
    any_day: bool                 # day of month is `*`
    any_weekday: bool             # day of week is `*`

    @classmethod
    def parse(cls, expression: str) -> Cron:
        parts = expression.split()
        if len(parts) != 5:
            raise ScheduleError(f"{expression!r}: a cron expression has 5 fields "
                                "(minute hour day-of-month month day-of-week)")
        sets = [frozenset(_values(p, low, high, name))
                for p, (name, low, high) in zip(parts, FIELDS, strict=True)]
        weekdays = frozenset(d % 7 for d in sets[4])
        return cls(expression, sets[0], sets[1], sets[2], sets[3], weekdays,
                   parts[2].startswith("*"), parts[4].startswith("*"))

    def _day_matches(self, when: datetime) -> bool:
        if when.month not in self.months:
            return False
        by_date = when.day in self.days
        by_weekday = (when.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return by_date and by_weekday
        return by_date or by_weekday

    def next_after(self, when: datetime) -> datetime:
        """The first matching minute strictly after `when` (UTC)."""
        moment = when.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
        for _ in range(SEARCH_DAYS):
            if self._day_matches(moment):
                for hour in sorted(h for h in self.hours if h >= moment.hour):
                    start = moment.minute if hour == moment.hour else 0
                    minute = next((m for m in sorted(self.minutes) if m >= start), None)
                    if minute is not None:
                        return moment.replace(hour=hour, minute=minute)
            moment = (moment + timedelta(days=1)).replace(hour=0, minute=0)
        raise ScheduleError(f"{self.expression!r} never matches")


@dataclass(frozen=True)
class Timing:
    """Either an interval (first run at once, then on every multiple of it) or a cron."""

    interval: timedelta | None = None
    cron: Cron | None = None
    once: bool = False                    # a single run, now (`--runs 1` with no timing)

    def next_run(self, start: datetime, now: datetime) -> datetime:
        """When the next run starts: a tick missed while a run went on is skipped, not queued."""
        if self.once:
            return now
        if self.cron is not None:
            return self.cron.next_after(now)
        assert self.interval is not None
        ticks = (now - start) // self.interval + 1
        return start + ticks * self.interval

    def describe(self) -> str:
        if self.once:
            return "one run, now"
        if self.cron is not None:
            return f"cron {self.cron.expression!r} (UTC)"
        return f"every {self.interval}"


def timing(every: str | None, cron: str | None, runs: int | None = None) -> Timing:
    """The Timing of `--every` or `--cron` (exactly one of them; neither for a single run)."""
    if every is None and cron is None and runs == 1:
        return Timing(once=True)
    if (every is None) == (cron is None):
        raise ScheduleError("give either --every INTERVAL or --cron EXPRESSION "
                            "(or neither, with --runs 1)")
    if every is not None:
        return Timing(interval=parse_interval(every))
    return Timing(cron=Cron.parse(cron or ""))

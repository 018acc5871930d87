"""Benchmark: "N working days before" through panels.rules.WorkingCalendar against a bare
loop over a frozenset of the same holidays, in the same run.

No database is needed. It prints both figures and their ratio (the goal in issue 20 is
the calendar within 2x of the bare loop):

    .venv/bin/python bench/rules.py            # a million calls, N=5
    BENCH_CALLS=200000 BENCH_N=10 .venv/bin/python bench/rules.py

The bare loop is what the rule means and nothing more: step back one day at a time from
the day before, count the weekdays that are neither a bank holiday nor a closure day.
Both see the same dates (a spread of meeting dates over five years) and must agree on
every answer; the script checks that before it prints.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panelhub.settings.local")

import django  # noqa: E402

django.setup()

import holidays  # noqa: E402

from panels.models import Nation  # noqa: E402
from panels.rules import WorkingCalendar  # noqa: E402

CALLS = int(os.environ.get("BENCH_CALLS", 1_000_000))
N = int(os.environ.get("BENCH_N", 5))
REPEATS = int(os.environ.get("BENCH_REPEATS", 3))
FIRST_YEAR, YEARS = 2024, 5
# Christmas closure days, as seed_scale gives every organisation.
CLOSURES = frozenset(
    datetime.date(year, 12, day)
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)
    for day in (27, 28, 29)
)
GOAL_RATIO = 2.0


def meeting_dates() -> list[datetime.date]:
    """A spread of dates to ask about: every day of the middle three years, cycled."""
    first = datetime.date(FIRST_YEAR + 1, 1, 1)
    days = [first + datetime.timedelta(days=i) for i in range(3 * 365)]
    return [days[i % len(days)] for i in range(CALLS)]


def bare_loop(dates: list[datetime.date], closed: frozenset, n: int) -> list[datetime.date]:
    one_day = datetime.timedelta(days=1)
    out = []
    append = out.append
    for day in dates:
        found = 0
        while found < n:
            day -= one_day
            if day.weekday() < 5 and day not in closed:
                found += 1
        append(day)
    return out


def calendar_loop(dates: list[datetime.date], calendar: WorkingCalendar, n: int) -> list:
    before = calendar.working_days_before
    return [before(day, n) for day in dates]


def best_of(fn, *args) -> tuple[float, list]:
    best, result = float("inf"), None
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> int:
    dates = meeting_dates()
    bank = frozenset(
        holidays.country_holidays(
            "GB", subdiv=Nation.ENGLAND, years=range(FIRST_YEAR, FIRST_YEAR + YEARS)
        ).keys()
    )
    calendar = WorkingCalendar(nation=Nation.ENGLAND, closures=CLOSURES)
    calendar.working_days_before(dates[0], N)  # fill the holiday cache outside the timing
    bare_s, bare = best_of(bare_loop, dates, bank | CLOSURES, N)
    cal_s, cal = best_of(calendar_loop, dates, calendar, N)
    if bare != cal:
        wrong = next(i for i, (a, b) in enumerate(zip(bare, cal, strict=True)) if a != b)
        print(f"FAILED: the two disagree for {dates[wrong]}: {bare[wrong]} vs {cal[wrong]}")
        return 1
    ratio = cal_s / bare_s
    print(f'"{N} working days before", {CALLS:,} calls, best of {REPEATS} runs each:')
    print(f"  WorkingCalendar.working_days_before: {cal_s:.2f} s")
    print(f"  bare loop over a frozenset:          {bare_s:.2f} s")
    print(f"  ratio: {ratio:.1f}x (goal: within {GOAL_RATIO:.0f}x)")
    print("MEETS GOAL" if ratio <= GOAL_RATIO else "ABOVE GOAL")
    return 0


if __name__ == "__main__":
    sys.exit(main())

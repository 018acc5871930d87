"""What members reads from the app above it, through narrow functions the site layer plugs in.

members sits below meetings: meetings asks members for seats and voters, so members never
imports meetings. A member's money for a year (remuneration subject to attendance, IVH
vouchers for attending and reading the papers) and the papers-read register need facts
from meetings' registers; members asks for them through ``meeting_registers()``, and the
site layer connects meetings' selectors at start-up (``home.apps.HomeConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet


@dataclass(frozen=True)
class MeetingRegisters:
    """The meetings facts members reads, each a keyword-only function."""

    # held_meetings(*, org, panel_ids, year): the panels' meetings held in the year.
    held_meetings: Callable[..., QuerySet]
    # present_pairs(*, org, meetings, membership_ids): {(meeting_id, membership_id)} for the
    # seats present (in person or virtually) at those meetings.
    present_pairs: Callable[..., set[tuple[int, int]]]
    # present_membership_ids(*, meeting): the ids of the seats present at one meeting.
    present_membership_ids: Callable[..., QuerySet]
    # is_held(meeting): whether the meeting has been held.
    is_held: Callable[[Any], bool]
    # meeting_by_id(*, org, meeting_id): the organisation's meeting, or the one 404.
    meeting_by_id: Callable[..., Any]


_registers: MeetingRegisters | None = None


def connect_meeting_registers(registers: MeetingRegisters) -> None:
    """Called once by the site layer when the apps are ready."""
    global _registers
    _registers = registers


def meeting_registers() -> MeetingRegisters:
    if _registers is None:
        raise ImproperlyConfigured(
            "members reads attendance from the meetings app through members.ports; the "
            "site layer connects it in home.apps.HomeConfig.ready() (is 'home' in "
            "INSTALLED_APPS?)."
        )
    return _registers

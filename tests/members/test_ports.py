"""members reads meetings' registers through members.ports, which the site layer connects
at start-up (members never imports meetings)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from members import ports


def test_the_site_layer_connects_meetings_registers():
    from meetings import selectors as meeting_selectors

    registers = ports.meeting_registers()
    assert registers.held_meetings is meeting_selectors.held_meetings_of_panels
    assert registers.present_pairs is meeting_selectors.present_pairs
    assert registers.present_membership_ids is meeting_selectors.present_membership_ids
    assert registers.is_held is meeting_selectors.meeting_is_held
    assert registers.meeting_by_id is meeting_selectors.access_meeting_by_id


def test_unconnected_registers_say_where_they_are_connected(monkeypatch):
    monkeypatch.setattr(ports, "_registers", None)
    with pytest.raises(ImproperlyConfigured, match=r"home\.apps\.HomeConfig\.ready"):
        ports.meeting_registers()

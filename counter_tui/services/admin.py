"""Provides ``load_admin``: what the admin screen lists (staff, counters, units, services), in
one call on the database thread."""

from __future__ import annotations

from dataclasses import dataclass

from counter_tui.services.counters import CounterInfo
from counter_tui.services.staff import StaffInfo


@dataclass(frozen=True)
class AdminData:
    staff: list[StaffInfo]
    counters: list[CounterInfo]
    units: list[str]
    services: list[tuple[str, str]]


def load_admin(office_id: int, *, actor_id: int | None = None) -> AdminData:
    """``actor_id``: the admin signed in at the admin screen (services.permissions)."""
    from counter_tui.services.catalog import list_services, list_units
    from counter_tui.services.counters import list_counters
    from counter_tui.services.permissions import authorize
    from counter_tui.services.staff import list_staff

    authorize(actor_id, "list_staff", office_id=office_id)

    return AdminData(
        list_staff(office_id),
        list_counters(office_id),
        list_units(office_id),
        [(s.code, s.name_th) for s in list_services(office_id)],
    )

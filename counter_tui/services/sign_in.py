"""Provides ``load_sign_in``: the sign-in screen's data read through the services (peewee), on
any backend; ``services.startup.quick_start`` reads the same without peewee when it can.

The sign-in screen imports this before its first frame: peewee and the services are imported
inside the function, on the database thread, not here."""

from __future__ import annotations

from counter_tui.services.startup import CounterChoice, SignInData


def load_sign_in(office_id: int) -> SignInData:
    """Three small reads through the services (the database bound to the models)."""
    from counter_tui.services.counters import list_counters
    from counter_tui.services.office import has_admin, office_name

    return SignInData(
        office_name(office_id),
        has_admin(office_id),
        [CounterChoice(c.id, c.name, c.unit) for c in list_counters(office_id)],
    )

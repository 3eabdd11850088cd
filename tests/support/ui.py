"""Driving the app in Pilot tests: the app on a test database with the fixed (or a movable)
clock, waiting for its workers, signing in by keys, and the small office of the snapshot tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from support.actors import add_admin, admin_id
from support.clock import FIXED_NOW


async def settle(pilot) -> None:
    """Wait for the app's workers and the messages they post (Pilot tests). A refresh superseded
    by a newer one (exclusive workers) is cancelled on purpose: that is not a failure."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()


async def press(pilot, *keys: str) -> None:
    """Press ``keys`` as a user would, then wait for what they set off (``settle``)."""
    await pilot.press(*keys)
    await settle(pilot)


def counter_app(db_url: str, tmp_path: Path, clock=None, counter: str | None = None):
    """The app on ``db_url`` with its config in ``tmp_path``, at ``counter`` if given, on
    ``clock`` (default: always FIXED_NOW)."""
    from counter_tui.app import make_app
    from counter_tui.config import Settings

    settings = Settings(config_path=tmp_path / "config.toml", database_url=db_url, counter=counter)
    return make_app(settings, clock=clock or (lambda: FIXED_NOW))


async def sign_in(pilot, name: str, pin: str, counter_index: int) -> None:
    """Sign in as ``name`` with ``pin`` at the ``counter_index``-th counter of the list."""
    from textual.widgets import Input

    # Pilot.press drops Thai combining marks (a terminal sends them): the name is set as text.
    pilot.app.screen.query_one("#name", Input).value = name
    await pilot.press("enter")  # to the counter list
    for _ in range(counter_index):
        await pilot.press("down")
    await pilot.press("enter")  # chosen: to the PIN
    await pilot.press(*pin, "enter")
    await settle(pilot)


def snapshot_db(tmp_path: Path) -> str:
    """A SQLite office for snapshots: an admin (PIN 9999), สมชาย ใจดี (1234) at ช่อง 1 and
    สมหญิง รักงาน (5678) at ช่อง 2, five tickets issued in the last half hour, one of them
    called at ช่อง 2. Returns its URL (the models are left unbound)."""
    from counter_tui.db import models as m
    from counter_tui.services import counters as ct
    from counter_tui.services import queue as q
    from counter_tui.services import staff as st
    from counter_tui.services.office import connect

    url = f"sqlite:///{tmp_path / 'snap.db'}"
    database, office = connect(url, FIXED_NOW)
    add_admin(office.id)
    somchai = st.add_staff(
        office.id, "สมชาย ใจดี", "officer", "1234", FIXED_NOW, actor_id=admin_id(office.id)
    )
    somying = st.add_staff(
        office.id, "สมหญิง รักงาน", "officer", "5678", FIXED_NOW, actor_id=admin_id(office.id)
    )
    c1 = ct.add_counter(
        office.id,
        "ช่อง 1",
        "กองคลัง",
        ["SIGNBOARD_TAX", "LAND_BUILDING_TAX"],
        FIXED_NOW,
        actor_id=admin_id(office.id),
    )
    c2 = ct.add_counter(
        office.id,
        "ช่อง 2",
        "สำนักปลัด",
        ["ELDERLY_ALLOWANCE_REG", "SIGNBOARD_TAX"],
        FIXED_NOW,
        actor_id=admin_id(office.id),
    )
    ct.open_counter(office.id, c1.id, somchai.id, FIXED_NOW)
    ct.open_counter(office.id, c2.id, somying.id, FIXED_NOW)
    for minutes, code, priority in (
        (-30, "SIGNBOARD_TAX", None),
        (-25, "LAND_BUILDING_TAX", None),
        (-20, "ELDERLY_ALLOWANCE_REG", "elderly"),
        (-12, "SIGNBOARD_TAX", None),
        (-5, "LAND_BUILDING_TAX", None),
    ):
        q.issue_ticket(office.id, code, FIXED_NOW + timedelta(minutes=minutes), priority=priority)
    q.call_next(office.id, c2.id, somying.id, FIXED_NOW - timedelta(minutes=10))
    database.close()
    m.database_proxy.initialize(None)
    return url

"""The app starts and shows the office's services in Thai, marked as a sample."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXED_NOW
from textual.widgets import DataTable, Static

from counter_tui.app import make_app
from counter_tui.config import Settings


def _app(db_url: str, tmp_path: Path):
    settings = Settings(config_path=tmp_path / "config.toml", database_url=db_url)
    return make_app(settings, clock=lambda: FIXED_NOW)


async def _loaded(pilot) -> None:
    """Past the sign-in screen to the service list (what an admin sees after signing in)."""
    from counter_tui.screens.home import HomeScreen

    await pilot.app.workers.wait_for_complete()
    if not isinstance(pilot.app.screen, HomeScreen):
        await pilot.app.push_screen(HomeScreen())
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_app_starts_on_a_fresh_database_and_lists_services(db_url, tmp_path):
    app = _app(db_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _loaded(pilot)
        table = app.screen.query_one("#services", DataTable)
        assert table.row_count >= 10
        row = table.get_row("SIGNBOARD_TAX")
        assert row[1] == "การชำระภาษีป้าย" and row[3] == "5 นาที"
        aids = table.get_row("AIDS_PATIENT_ALLOWANCE")
        assert aids[3] == "ไม่ระบุ"
        sample = app.screen.query_one("#sample", Static)
        assert sample.display and "ตัวอย่าง" in str(sample.render())
        await pilot.press("r")
        await _loaded(pilot)
        assert table.row_count >= 10


def test_home_screen_snapshot(snap_compare, tmp_path):
    app = _app(f"sqlite:///{tmp_path / 'counter.db'}", tmp_path)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_loaded)

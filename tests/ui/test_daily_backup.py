"""The app started from the command line backs the database up once a day, on the database
thread, shortly after its start (issue 11 item 10); the tests' apps do not."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import FIXED_NOW

from counter_tui import app as app_module
from counter_tui.app import make_app
from counter_tui.config import Settings


async def _run(url: str, tmp_path: Path, daily_jobs: bool) -> list[str]:
    settings = Settings(config_path=tmp_path / "config.toml", database_url=url)
    app = make_app(settings, clock=lambda: FIXED_NOW, daily_jobs=daily_jobs)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            await asyncio.sleep(0.05)
            await pilot.app.workers.wait_for_complete()
            if any(n.title == "สำรองข้อมูล" for n in app._notifications):
                break
        return [n.message for n in app._notifications]


async def test_the_days_first_start_backs_up_once(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "DAILY_JOBS_AFTER", 0.05)
    url = f"sqlite:///{tmp_path / 'data' / 'counter.db'}"
    folder = tmp_path / "data" / "backups"
    assert await _run(url, tmp_path, daily_jobs=False) == []
    assert not folder.exists()
    shown = await _run(url, tmp_path, daily_jobs=True)
    (made,) = folder.iterdir()
    assert made.name == "counter-2026-11-24T10-00-00.sqlite"
    assert any(str(made) in message for message in shown)
    await _run(url, tmp_path, daily_jobs=True)  # a second start the same day: nothing more
    assert list(folder.iterdir()) == [made]

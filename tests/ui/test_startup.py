"""The start of the app: the sign-in data read straight from a ready SQLite file (peewee loads
after the first frame, on the database thread), the same data as through the services, and the
full open whenever the file is not ready for that."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from conftest import REPO

from counter_tui.services.sign_in import load_sign_in
from counter_tui.services.startup import quick_start

NOW = datetime(2026, 11, 24, 3, tzinfo=UTC)


@pytest.fixture
def ready_db(tmp_path):
    """A demo database, opened once the full way (migrated, bootstrapped), then closed."""
    from support.actors import admin_id

    from counter_tui.db import models as m
    from counter_tui.services.demo import generate_demo
    from counter_tui.services.office import add_office, connect

    url = f"sqlite:///{tmp_path / 'counter.db'}"
    db, office = connect(url, NOW)
    generate_demo(3, 5, NOW, visits_per_day=10)
    add_office("north", "อบต.เหนือ", NOW, actor_id=admin_id(office.id))  # the demo's admin
    expected = {
        code: load_sign_in(o.id)
        for code, o in (("main", office), ("north", m.Office.get(m.Office.code == "north")))
    }
    db.close()
    m.database_proxy.initialize(None)
    return url, office, expected


def test_a_ready_file_gives_what_the_services_give(ready_db):
    url, office, expected = ready_db
    got_office, data = quick_start(url, None)
    assert (got_office.id, got_office.code) == (office.id, office.code)  # the demo renames it
    assert got_office.name == data.office_name and data == expected["main"]
    assert len(data.counters) >= 3 and data.has_admin
    north, data = quick_start(url, "north")
    assert north.code == "north" and data == expected["north"]


def test_anything_not_ready_goes_the_full_way(ready_db, tmp_path):
    url, _, _ = ready_db
    assert quick_start(url, "no-such-office") is None
    assert quick_start(f"sqlite:///{tmp_path / 'missing.db'}", None) is None
    assert quick_start("postgresql://postgres@127.0.0.1:5432/test", None) is None
    assert quick_start("sqlite:///:memory:", None) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert quick_start(f"sqlite:///{junk}", None) is None
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:  # an older database: a migration still to apply
        conn.execute("DELETE FROM schema_migration WHERE name LIKE '0006%'")
    assert quick_start(url, None) is None


START = r"""
import sys
from textual.app import App
from counter_tui import app as appmod
from counter_tui.screens import sign_in
from counter_tui.services.startup import quick_start

shown = sign_in.SignInScreen.show

def on_shown(self, data):
    shown(self, data)
    app = self.app
    print('PEEWEE_AT_FIRST_FRAME', 'peewee' in sys.modules, flush=True)
    async def then():
        from counter_tui.services.counters import list_counters
        counters = await app.db.run(list_counters, app.db.office.id)
        print('COUNTERS', len(counters), len(data.counters), flush=True)
        app.exit()
    app.call_after_refresh(lambda: app.run_worker(then()))

sign_in.SignInScreen.show = on_shown
appmod.CounterApp.run = lambda self, *a, **k: App.run(self, headless=True, size=(120, 40))
from counter_tui.cli import main
sys.exit(main(['--database', sys.argv[1]]))
"""


def test_the_app_starts_without_peewee_and_its_database_thread_opens_later(ready_db, tmp_path):
    url, _, expected = ready_db
    config = tmp_path / "config.toml"
    config.write_text("# defaults\n")
    result = subprocess.run(
        [sys.executable, "-c", START, url],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={"COUNTER_TUI_CONFIG": str(config), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "PEEWEE_AT_FIRST_FRAME False" in result.stdout
    n = len(expected["main"].counters)
    assert f"COUNTERS {n} {n}" in result.stdout

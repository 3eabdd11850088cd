"""Layering rules, checked: the import contracts hold (import-linter), and core/services/db never
load Textual when imported (which the contracts cannot see)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

PROBE = """
import sys, pkgutil, importlib
import counter_tui
assert 'peewee' not in sys.modules and 'textual' not in sys.modules, 'package root is heavy'
for pkg in ('core', 'db', 'services'):
    mod = importlib.import_module('counter_tui.' + pkg)
    for info in pkgutil.walk_packages(mod.__path__, mod.__name__ + '.'):
        importlib.import_module(info.name)
bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'escpos', 'fpdf'))
print(','.join(bad))
"""


def test_core_services_and_db_load_without_textual():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_import_contracts_hold():
    """The layering (core stdlib-only, services without Textual, screens without peewee or db/,
    no cycle, no upward import) is import-linter's contracts in pyproject.toml."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr


def test_package_root_imports_nothing_heavy():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, counter_tui; print(len([m for m in sys.modules "
            "if m.startswith(('textual','peewee','rich','qrcode','PIL'))]))",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.stdout.strip() == "0", result.stderr


# The app's start through the CLI's entry point, as `counter-tui --database URL` runs it (headless,
# like bench/run.py): once the sign-in screen shows, the database thread reads it through the
# services (peewee), the queue and report services are imported, and the drivers are listed.
APP_PROBE = """
import sys
from textual.app import App
from counter_tui import app as appmod, cli
from counter_tui.screens import sign_in

shown = sign_in.SignInScreen.show

def on_shown(self, data):
    shown(self, data)
    app = self.app
    async def then():
        from counter_tui.services.sign_in import load_sign_in
        import counter_tui.services.queue, counter_tui.services.reports
        await app.db.run(load_sign_in, app.db.office.id)
        print('DRIVERS', sorted({m.split('.')[0] for m in sys.modules
                                 if m.startswith(('psycopg', 'playhouse'))}), flush=True)
        app.exit()
    app.run_worker(then())

sign_in.SignInScreen.show = on_shown
appmod.CounterApp.run = lambda self, *a, **k: App.run(self, headless=True, size=(100, 30))
sys.exit(cli.main(['--database', sys.argv[1]]))
"""

# A command through the CLI's entry point.
COMMAND_PROBE = """
import sys
from counter_tui import cli
code = cli.main(['--database', sys.argv[1], 'catalog', 'list'])
print('DRIVERS', sorted({m.split('.')[0] for m in sys.modules
                         if m.startswith(('psycopg', 'playhouse'))}), flush=True)
sys.exit(code)
"""


def _drivers(probe: str, url: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", probe, url], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split("DRIVERS", 1)[1]


def test_sqlite_start_never_loads_postgresql_drivers(tmp_path):
    """peewee imports psycopg at module level when installed (~85 ms more and 17 MiB at every
    start); the CLI's entry point (counter_tui._lazy_drivers) keeps it out until a PostgreSQL
    URL is opened: for a command, and for the app on a new and on a ready database."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    for probe in (COMMAND_PROBE, APP_PROBE, APP_PROBE):  # a new database, then a ready one
        # playhouse.migrations only on the first open (to migrate); never a driver
        assert "psycopg" not in _drivers(probe, url)


def test_importing_the_package_installs_no_import_hook():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, counter_tui, counter_tui.services.office; "
            "print([type(f).__name__ for f in sys.meta_path if 'counter_tui' in type(f).__module__])",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.postgres
def test_postgresql_start_loads_psycopg_lazily_and_works(pg_schema_url):
    assert "psycopg" in _drivers(COMMAND_PROBE, pg_schema_url)
    assert "psycopg" in _drivers(APP_PROBE, pg_schema_url)

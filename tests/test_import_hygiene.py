"""Layering rules, checked: core/services/db never load Textual; screens never touch peewee."""

from __future__ import annotations

import re
import subprocess
import sys

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
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_core_imports_only_the_stdlib():
    allowed = set(sys.stdlib_module_names) | {"counter_tui"}
    for path in (REPO / "counter_tui" / "core").glob("*.py"):
        for match in re.finditer(r"^\s*(?:from\s+(\w+)[\w.]*\s+import|import\s+(\w+))",
                                 path.read_text(), re.M):
            name = match.group(1) or match.group(2)
            assert name in allowed, f"{path.name} imports {name}"
        assert "counter_tui.db" not in path.read_text() and "counter_tui.services" not in \
            path.read_text(), path.name


def test_screens_and_widgets_never_import_peewee_or_db():
    for folder in ("screens", "widgets"):
        for path in (REPO / "counter_tui" / folder).glob("*.py"):
            text = path.read_text()
            assert not re.search(r"^\s*(from|import)\s+(peewee|playhouse)", text, re.M), path
            assert "counter_tui.db" not in text, path


def test_package_root_imports_nothing_heavy():
    result = subprocess.run(
        [sys.executable, "-c", "import sys, counter_tui; print(len([m for m in sys.modules "
         "if m.startswith(('textual','peewee','rich','qrcode','PIL'))]))"],
        capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.stdout.strip() == "0", result.stderr


DRIVERS_PROBE = """
import sys
from datetime import datetime, timezone
from counter_tui.services.office import connect
from counter_tui.screens.sign_in import load_sign_in
import counter_tui.cli, counter_tui.services.queue, counter_tui.services.reports
db, office = connect(sys.argv[1], datetime(2026, 11, 24, 3, tzinfo=timezone.utc))
load_sign_in(office.id)
print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(('psycopg', 'playhouse'))}))
"""


def test_sqlite_start_never_loads_postgresql_drivers(tmp_path):
    """peewee imports psycopg at module level when installed (~120 ms, several MiB at every
    start); counter_tui._lazy_drivers keeps it out until a PostgreSQL URL is opened."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    result = subprocess.run([sys.executable, "-c", DRIVERS_PROBE, url], capture_output=True,
                            text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    # playhouse.migrations only on the first open (to migrate); never a driver
    assert "psycopg" not in result.stdout, result.stdout


@pytest.mark.postgres
def test_postgresql_start_loads_psycopg_lazily_and_works(pg_schema_url):
    result = subprocess.run([sys.executable, "-c", DRIVERS_PROBE, pg_schema_url],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "psycopg" in result.stdout

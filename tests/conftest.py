"""Shared fixtures: isolated user folders, a fixed clock, and a database on both backends.

``db_url`` is parametrised over SQLite (a temp file: ``:memory:`` is per connection, hence per
thread) and PostgreSQL (a fresh schema per test in the database named by
COUNTER_TUI_TEST_PG_URL; skipped only when that variable is absent). With
COUNTER_TUI_FORBID_SKIPS=1 (CI) any skipped test fails the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.clock import FIXED_NOW  # noqa: F401  (here for the tests that import it)
from support.databases import PG_ENV, pg_schema
from support.ui import settle  # noqa: F401  (here for the tests that import it)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory, monkeypatch):
    """Never read or write the real user's config or data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("COUNTER_TUI_DATABASE_URL", raising=False)
    monkeypatch.delenv("COUNTER_TUI_CONFIG", raising=False)
    return home


@pytest.fixture
def pg_schema_url():
    """A URL whose search_path is a fresh schema, dropped after the test."""
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} is not set")
    with pg_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'counter.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def db(db_url):
    """A migrated, bootstrapped database bound to the models; yields the office."""
    from counter_tui.db.models import database_proxy
    from counter_tui.services.office import connect

    database, office = connect(db_url, FIXED_NOW)
    yield office
    database.close()
    database_proxy.initialize(None)


def run_cli(
    *args: str, input: str | None = None, env: dict | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run ``python -m counter_tui ARGS`` in a subprocess, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "counter_tui", *args],
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=REPO,
    )


@pytest.fixture
def cli():
    return run_cli


def pytest_collection_modifyitems(config, items):
    """A test that needs PostgreSQL says so: one that asks for a PostgreSQL schema without the
    ``postgres`` marker stops the run, so ``-m postgres`` / ``-m "not postgres"`` select right."""
    unmarked = [
        item.nodeid
        for item in items
        if "pg_schema_url" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("postgres") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests use PostgreSQL (pg_schema_url) without "
            "@pytest.mark.postgres: " + ", ".join(unmarked)
        )


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("COUNTER_TUI_FORBID_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"COUNTER_TUI_FORBID_SKIPS: {len(skipped)} test(s) were skipped; "
            "CI runs everything (is PostgreSQL reachable?)",
            red=True,
        )
        session.exitstatus = 1

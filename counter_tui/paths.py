"""Provides the per-user folders (platformdirs) and the default database URL.

Nothing here touches the filesystem at import time; folders are created when asked for.
"""

from __future__ import annotations

from pathlib import Path

APP_NAME = "counter-tui"


def config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    return config_dir() / "config.toml"


def default_database_path() -> Path:
    return data_dir() / "counter.db"


def default_database_url() -> str:
    return f"sqlite:///{default_database_path()}"

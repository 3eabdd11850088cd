"""Provides ``Settings``: what belongs to one machine or user, read from a TOML file.

Office-wide settings (office name, survey links, hours, queue policy …) live in the database so
every counter sees the same; this file holds only the database URL, the language, this terminal's
default counter and office, the theme and key remaps.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

from counter_tui.errors import ConfigError
from counter_tui.paths import default_config_path, default_database_url

LANGUAGES = ("th", "en")


@dataclass(frozen=True)
class Settings:
    config_path: Path
    """The config file in use (it need not exist)."""
    database_url: str | None = None
    """From the file; ``--database`` and COUNTER_TUI_DATABASE_URL come first."""
    language: str = "th"
    """``th`` (default) or ``en``."""
    counter: str | None = None
    """This terminal's default counter name."""
    office: str | None = None
    """The office code in a shared (district) database; default: the first office."""
    theme: str | None = None
    """A Textual theme name, e.g. ``textual-light`` for a bright counter."""
    keys: dict[str, str] = field(default_factory=dict)
    """Key remaps: binding id -> key(s), e.g. ``call-next = "f5,n"``."""

    def with_database(self, url: str | None) -> Settings:
        return replace(self, database_url=url)

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()


_KEYS = {
    "database_url": str,
    "language": str,
    "counter": str,
    "office": str,
    "theme": str,
    "keys": dict,
}


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if (
            stripped.startswith(f"{key} ")
            or stripped.startswith(f"{key}=")
            or stripped == f"[{key}]"
        ):
            return number
    return 1


def load_settings(
    path: str | os.PathLike[str] | None = None, database_url: str | None = None
) -> Settings:
    """Read the config. ``path``: --config, else COUNTER_TUI_CONFIG, else the user config file.

    ``database_url``: --database, else COUNTER_TUI_DATABASE_URL, else the file's, else SQLite in
    the user data folder.
    """
    explicit = path or os.environ.get("COUNTER_TUI_CONFIG") or None
    config_path = Path(explicit) if explicit else default_config_path()
    values: dict[str, object] = {}
    if config_path.exists():
        try:
            raw = config_path.read_bytes()
            text = raw.decode("utf-8")
            values = tomllib.loads(text)
        except UnicodeDecodeError:
            raise ConfigError(
                f"{config_path}: the file is not UTF-8 text; save it as UTF-8."
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"{config_path}: not valid TOML ({exc}); fix the line it names."
            ) from None
        except OSError as exc:
            raise ConfigError(f"{config_path}: cannot be read ({exc.strerror}).") from None
        for key, value in values.items():
            line = _line_of(text, key)
            if key not in _KEYS:
                hint = ""
                if key in ("survey", "office_name", "opening_hours", "holidays"):
                    hint = " Office-wide settings live in the database: use 'counter-tui settings set'."
                raise ConfigError(
                    f"{config_path}:{line}: unknown key '{key}'; known keys: "
                    f"{', '.join(sorted(_KEYS))}.{hint}"
                )
            if not isinstance(value, _KEYS[key]):
                raise ConfigError(
                    f"{config_path}:{line}: '{key}' must be a "
                    f"{'table' if _KEYS[key] is dict else 'string'}."
                )
        if values.get("language", "th") not in LANGUAGES:
            raise ConfigError(
                f"{config_path}:{_line_of(text, 'language')}: 'language' must be "
                f'"th" or "en", not {values["language"]!r}.'
            )
        for binding, keys in dict(cast("dict[str, object]", values.get("keys", {}))).items():
            if not isinstance(keys, str) or not keys.strip():
                raise ConfigError(
                    f'{config_path}: keys.{binding} must be a non-empty string such as "f5,n".'
                )
    elif explicit:
        raise ConfigError(f"config file {config_path} does not exist; create it or drop --config.")
    url = database_url or os.environ.get("COUNTER_TUI_DATABASE_URL") or values.get("database_url")
    return Settings(
        config_path=config_path,
        database_url=str(url) if url else None,
        language=str(values.get("language", "th")),
        counter=values.get("counter"),  # type: ignore[arg-type]
        office=values.get("office"),  # type: ignore[arg-type]
        theme=values.get("theme"),  # type: ignore[arg-type]
        keys=dict(cast("dict[str, str]", values.get("keys", {}))),  # checked above
    )

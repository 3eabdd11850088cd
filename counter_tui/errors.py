"""Provides ``UserError``: bad input or an unusable environment, told to the user in plain words.

The CLI prints ``counter-tui: error: <message>`` and exits non-zero; the app shows it in a
dialog. Never a traceback for these.
"""


class UserError(Exception):
    """Something the user can fix; the message says what is wrong and what to do."""

    exit_code = 1


class ConfigError(UserError):
    """The TOML config file is unreadable or holds a bad or unknown key."""

    exit_code = 2


class NoPrinter(UserError):
    """The counter has no printer set: nothing to print on (a ticket printed on issue is then
    skipped quietly; a print asked for by a key is told)."""

"""Provides ``python -m counter_tui``."""

from counter_tui.cli import main

raise SystemExit(main())

"""Provides ``ReadOnlyTable``: a DataTable the officer reads but never focuses, so Enter and the
plain-letter keys stay with the screen that owns them (a focused DataTable takes Enter)."""

from textual.widgets import DataTable


class ReadOnlyTable(DataTable, can_focus=False):
    pass

"""ReadOnlyTable.sync_rows and ReadOnlyTable's own rendering, against plain DataTable.

The reference is a DataTable (made unfocusable like ReadOnlyTable, so that both get the same
styles) reloaded the way the screens used to: ``clear()`` then ``add_row`` for every row. After
each of a long run of reloads (rows called away, issued, jumping ahead, cells changing and
growing wider, the order shuffled, nothing changed at all) both must hold the same rows, keys
and cells in the same order, have the same column widths, virtual size and scrollbars, and draw
exactly the same lines, styles and mouse metadata included.
"""

from __future__ import annotations

import random
import re
import tomllib

from conftest import REPO
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable

from counter_tui.widgets import tables
from counter_tui.widgets.tables import ReadOnlyTable

COLUMNS = ("pos", "number", "service", "priority", "wait")
SERVICES = (
    "ภาษีป้าย",
    "ภาษีที่ดินและสิ่งปลูกสร้าง",
    "ขอข้อมูลข่าวสารของราชการ",
    "การลงทะเบียนและยื่นคำขอรับเงินเบี้ยยังชีพผู้สูงอายุ",
    "Tax [bold]x[/]",
    "ป้าย",
)


class Reference(DataTable, can_focus=False):
    """Plain DataTable rendering, unfocusable like ReadOnlyTable."""


class Pair(App):
    CSS = """
    Horizontal { height: 14; }
    #ours, #reference { width: 1fr; height: 14; }
    """

    def __init__(self, zebra_stripes: bool, cursor_type: str = "none") -> None:
        super().__init__()
        self.options = {"zebra_stripes": zebra_stripes, "cursor_type": cursor_type}

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield ReadOnlyTable(id="ours", **self.options)
            yield Reference(id="reference", **self.options)

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            for key in COLUMNS:
                table.add_column(key.upper(), key=key)


def _cells(rng: random.Random, key: int, wait: int) -> list:
    priority = rng.choice(["", "", "", "ผู้สูงอายุ 60 ปีขึ้นไป", "ผู้พิการ"])
    return ["", f"E{key:03d}", rng.choice(SERVICES), priority, f"{wait // 60}:{wait % 60:02d}"]


def _scenario(seed: int, steps: int):
    """Successive reloads: lists of (key, cells)."""
    rng = random.Random(seed)
    rows = {key: _cells(rng, key, rng.randrange(3600)) for key in range(8)}
    order = list(rows)
    next_key = 8
    for step in range(steps):
        kind = rng.random()
        if kind < 0.1:
            pass  # a reload that changes nothing
        else:
            for key in list(order):  # tickets called away, at the front or anywhere
                if rng.random() < (0.3 if key == order[0] else 0.08):
                    order.remove(key)
            for _ in range(rng.choice([0, 0, 1, 1, 2, 4])):  # tickets issued
                rows[next_key] = _cells(rng, next_key, 0)
                if rng.random() < 0.3:  # with a priority: ahead of others
                    order.insert(rng.randrange(min(3, len(order)) + 1), next_key)
                else:
                    order.append(next_key)
                next_key += 1
            for key in order:  # waits grow; sometimes a service or a wider text changes
                cells = rows[key]
                minutes, seconds = map(int, cells[4].split(":"))
                wait = minutes * 60 + seconds + rng.choice([0, 1, 3, 600])
                cells[4] = f"{wait // 60}:{wait % 60:02d}"
                if rng.random() < 0.05:
                    cells[2] = rng.choice(SERVICES)
                if rng.random() < 0.03:
                    cells[1] = cells[1] + " ⇐"
            if kind > 0.9:
                rng.shuffle(order)
            if step % 11 == 10:  # a long queue, past the table's height, and back
                for _ in range(20):
                    rows[next_key] = _cells(rng, next_key, 0)
                    order.append(next_key)
                    next_key += 1
            if step % 11 == 0 and len(order) > 12:
                del order[4:]
        yield [
            (str(key), [str(position), *rows[key][1:]])
            for position, key in enumerate(order, start=1)
        ]


def _shown(table: DataTable) -> list[tuple[str, list]]:
    keys = [
        table.coordinate_to_cell_key(Coordinate(index, 0)).row_key
        for index in range(table.row_count)
    ]
    return [(key.value, table.get_row(key)) for key in keys]


def _drawn(table: DataTable) -> list[list[tuple[str, object]]]:
    """Every cell of every line the table draws, with its style (meta included)."""
    lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [
        [(character, segment.style) for segment in line for character in segment.text]
        for line in lines
    ]


async def _check_scenario(zebra_stripes: bool, seed: int) -> None:
    app = Pair(zebra_stripes)
    async with app.run_test(size=(120, 20)) as pilot:
        ours = app.query_one("#ours", ReadOnlyTable)
        reference = app.query_one("#reference", Reference)
        await pilot.pause()
        assert ours.size == reference.size
        previous = None
        for step, rows in enumerate(_scenario(seed, 60)):
            changed = ours.sync_rows(rows)
            reference.clear()
            for key, cells in rows:
                reference.add_row(*cells, key=key)
            await pilot.pause()
            assert _shown(ours) == [(key, list(cells)) for key, cells in rows], step
            assert _shown(ours) == _shown(reference), step
            assert [c.content_width for c in ours.ordered_columns] == [
                c.content_width for c in reference.ordered_columns
            ], step
            assert ours.virtual_size == reference.virtual_size, step
            assert (ours.show_vertical_scrollbar, ours.show_horizontal_scrollbar) == (
                reference.show_vertical_scrollbar,
                reference.show_horizontal_scrollbar,
            ), step
            if ours.show_vertical_scrollbar:
                assert (
                    ours.vertical_scrollbar.window_virtual_size,
                    ours.vertical_scrollbar.window_size,
                ) == (
                    reference.vertical_scrollbar.window_virtual_size,
                    reference.vertical_scrollbar.window_size,
                ), step
            assert _drawn(ours) == _drawn(reference), step
            if not changed:
                assert step == 0 or rows == previous, step
            previous = rows


async def test_sync_rows_matches_a_rebuilt_data_table_with_zebra_stripes():
    await _check_scenario(True, seed=1)


async def test_sync_rows_matches_a_rebuilt_data_table_without_stripes():
    await _check_scenario(False, seed=2)


async def test_a_reload_that_changes_nothing_repaints_nothing():
    app = Pair(True)
    async with app.run_test(size=(120, 20)) as pilot:
        ours = app.query_one("#ours", ReadOnlyTable)
        rows = [
            ("1", ["1", "E001", "ภาษีป้าย", "", "0:10"]),
            ("2", ["2", "E002", "ภาษีป้าย", "", "0:05"]),
        ]
        assert ours.sync_rows(rows) is True
        await pilot.pause()
        count = ours._update_count
        assert ours.sync_rows([(key, list(cells)) for key, cells in rows]) is False
        assert ours._update_count == count
        # One cell changed: the table changes, only that row is repainted.
        assert ours.sync_rows([rows[0], ("2", ["2", "E002", "ภาษีป้าย", "", "0:06"])]) is True
        assert ours.get_cell("2", "wait") == "0:06"
        assert ours._styles_cache._dirty_lines == {2}  # header, row 1, row 2


async def test_the_cursor_stays_on_its_row():
    app = Pair(False, cursor_type="row")
    async with app.run_test(size=(120, 20)) as pilot:
        ours = app.query_one("#ours", ReadOnlyTable)
        ours.sync_rows([(str(k), [str(k), f"E{k:03d}"]) for k in range(1, 6)])
        await pilot.pause()
        ours.move_cursor(row=2)  # E003
        await pilot.pause()
        # E001 called, two tickets ahead of everyone, E006 at the end.
        ours.sync_rows([(str(k), [str(k), f"E{k:03d}"]) for k in (8, 7, 2, 3, 4, 5, 6)])
        await pilot.pause()
        assert ours.cursor_row == 3
        assert ours.coordinate_to_cell_key(ours.cursor_coordinate).row_key.value == "3"
        # Its row gone: the cursor stays where it was, on the row now there.
        ours.sync_rows([(str(k), [str(k), f"E{k:03d}"]) for k in (8, 7, 2, 4)])
        await pilot.pause()
        assert ours.cursor_row == 3
        assert ours.coordinate_to_cell_key(ours.cursor_coordinate).row_key.value == "4"
        ours.sync_rows([(str(k), [str(k), f"E{k:03d}"]) for k in (8,)])
        await pilot.pause()
        assert ours.cursor_row == 0


# --- the Textual it is written against --------------------------------------------------------

RECHECK = (
    "counter_tui/widgets/tables.py uses Textual's private API, written against Textual "
    f"{tables.TEXTUAL_VERSION}. Re-check what the comment above TEXTUAL_VERSION there lists "
    "(COPIED, PRIVATE_METHODS, PRIVATE_ATTRIBUTES, PRIVATE_IMPORTS) against the new "
    "textual/widgets/_data_table.py and widget.py, run this file, then move "
    "TEXTUAL_VERSION and the pin in pyproject.toml together. What differs: "
)


def test_textual_is_the_release_tables_py_was_written_against():
    problems = tables.textual_private_api_problems()
    assert not problems, RECHECK + "; ".join(problems)


def test_pyproject_pins_that_release_exactly():
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    textual = [d for d in dependencies if re.match(r"textual\b(?!-)", d)]
    assert textual == [f"textual=={tables.TEXTUAL_VERSION}"], (
        RECHECK + f"pyproject.toml has {textual}"
    )


def test_the_check_names_a_changed_release_and_a_missing_private_name(monkeypatch):
    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "version", lambda name: "9.0.0")
    monkeypatch.delattr(DataTable, "_get_offsets")
    monkeypatch.setattr(DataTable, "_render_cell", lambda self, row_index, column_index: None)
    problems = tables.textual_private_api_problems()
    assert problems[0] == (
        f"Textual 9.0.0 is installed, tables.py is written against {tables.TEXTUAL_VERSION}"
    )
    assert "DataTable._get_offsets is gone" in problems
    assert any(
        p.startswith("DataTable._render_cell now takes ('self', 'row_index', 'column_index')")
        for p in problems
    )
    assert len(problems) == 3

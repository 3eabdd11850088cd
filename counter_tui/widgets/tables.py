"""Provides ``ReadOnlyTable``: a DataTable the officer reads but never focuses, so Enter and the
plain-letter keys stay with the screen that owns them (a focused DataTable takes Enter).

``ReadOnlyTable.sync_rows`` brings the table to a new list of rows by key, touching only what
changed, for screens that reload the same table every few seconds: a reload that changes
nothing repaints nothing, and one that changes a few cells keeps every other row as it was,
the cursor and the scroll position included (``clear`` and ``add_row`` reset both).

The table also keeps rendered cells by value rather than by DataTable's table-wide update
counter, which any change bumps, dropping every cached cell: after a reload only the cells
whose text, width or style really changed are rendered again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain
from typing import cast

from rich.cells import cell_len
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from textual._segment_tools import line_crop
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.cache import LRUCache
from textual.color import Color
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.render import measure
from textual.renderables.styled import Styled
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets._data_table import _EMPTY_TEXT, default_cell_formatter
from textual.widgets.data_table import CellKey, CellType, DuplicateKey, Row, RowKey

# --- Textual's private API used here: one list ---------------------------------------------
#
# ReadOnlyTable updates DataTable's internals directly (sync_rows) and replaces its rendering
# with copies of DataTable's own methods, so it is written against one Textual release exactly:
# pyproject.toml pins textual==TEXTUAL_VERSION and tests/ui/test_read_only_table.py fails when
# the installed Textual differs or any name below is gone. (Rebuilding this on DataTable's
# public API -- remove_row/add_row/update_cell, clear and add_row when the order changes --
# gives up the per-value cell cache and redraws every cell on each reload: about twice the time
# per queue reload, over the F5 budget of bench/README.md.)
#
# Before moving the pin, re-check against the new textual/widgets/_data_table.py and widget.py:
# - COPIED: ours must still match what the new DataTable/Widget methods do (upstream rewrote
#   DataTable's rendering in 8.0); the test's comparison with a plain DataTable (same lines,
#   styles and mouse metadata after a long run of reloads) is the check that they draw alike;
# - PRIVATE_METHODS: still there with these parameters (the overridden ones are still called by
#   DataTable, else ours silently stop being used);
# - PRIVATE_ATTRIBUTES: still there and still meaning what sync_rows assumes (_data's rows are
#   dicts in column order, _row_locations maps row keys to indexes, _update_count keys every
#   render cache, _updated_cells/_new_rows are measured on idle);
# - PRIVATE_IMPORTS: still importable.
TEXTUAL_VERSION = "8.2.8"
COPIED: tuple[str, ...] = (
    "DataTable.render_line",  # ReadOnlyTable.render_line
    "DataTable._render_line",  # ReadOnlyTable._render_line
    "DataTable._render_line_in_row",  # ReadOnlyTable._render_line_in_row
    "DataTable._render_cell",  # ReadOnlyTable._value_cell, for cells holding plain values
    "Widget._scroll_update",  # ReadOnlyTable._update_scrollbars
)
PRIVATE_IMPORTS: tuple[tuple[str, str], ...] = (
    ("textual._segment_tools", "line_crop"),
    ("textual._two_way_dict", "TwoWayDict"),
    ("textual.widgets._data_table", "_EMPTY_TEXT"),
    ("textual.widgets._data_table", "default_cell_formatter"),
)
# name -> its parameters, as read by inspect.signature
PRIVATE_METHODS: dict[str, tuple[str, ...]] = {
    "_render_line": ("self", "y", "x1", "x2", "base_style"),  # overridden
    "_render_line_in_row": (
        "self",
        "row_key",
        "line_no",
        "base_style",
        "cursor_location",
        "hover_location",
    ),  # overridden
    "_render_cell": ("self", "row_index", "column_index", "base_style", "width", "cursor", "hover"),
    "_get_styles_to_render_cell": (
        "self",
        "is_header_cell",
        "is_row_label_cell",
        "is_fixed_style_cell",
        "hover",
        "cursor",
        "show_cursor",
        "show_hover_cursor",
        "has_css_foreground_priority",
        "has_css_background_priority",
    ),
    "_get_offsets": ("self", "y"),
    "_refresh_scrollbars": ("self",),
    "_scroll_update": ("self", "virtual_size"),  # copied into _update_scrollbars
}
PRIVATE_ATTRIBUTES: tuple[str, ...] = (
    "_data",
    "_row_locations",
    "_updated_cells",
    "_new_rows",
    "_update_count",
    "_require_update_dimensions",
    "_line_cache",
    "_row_render_cache",
    "_header_row_key",
    "_row_label_column_width",
    "_labelled_row_exists",
    "_show_hover_cursor",
    "_pseudo_class_state",
    "_scrollbar_changes",
)


def textual_private_api_problems() -> list[str]:
    """What no longer matches the Textual this module was written against (empty when all
    does): the installed version, and each private name above."""
    import importlib
    import inspect
    from importlib.metadata import version

    problems = []
    installed = version("textual")
    if installed != TEXTUAL_VERSION:
        problems.append(
            f"Textual {installed} is installed, tables.py is written against {TEXTUAL_VERSION}"
        )
    for module_name, name in PRIVATE_IMPORTS:
        try:
            getattr(importlib.import_module(module_name), name)
        except (ImportError, AttributeError):
            problems.append(f"{module_name}.{name} is gone")
    for name, parameters in PRIVATE_METHODS.items():
        method = getattr(DataTable, name, None)
        if method is None:
            problems.append(f"DataTable.{name} is gone")
        elif tuple(inspect.signature(method).parameters) != parameters:
            problems.append(
                f"DataTable.{name} now takes "
                f"{tuple(inspect.signature(method).parameters)}, not {parameters}"
            )
    table: DataTable[object] = DataTable()
    problems += [
        f"DataTable().{name} is gone" for name in PRIVATE_ATTRIBUTES if not hasattr(table, name)
    ]
    problems += [
        f"TwoWayDict.{name} is gone" for name in ("get", "get_key") if not hasattr(TwoWayDict, name)
    ]
    return problems


# Values cached by value; anything else (a Rich renderable, possibly mutable) is left to
# DataTable's own cache.
_VALUE_TYPES = (str, int, float)


def _plain_width(value: CellType) -> int | None:
    """The width of a one-line cell of plain text, or None when it takes the formatter
    (markup, several lines, not a string)."""
    if isinstance(value, str) and "[" not in value and "\n" not in value:
        return cell_len(value)
    if value is None:
        return 0
    return None


class ReadOnlyTable(DataTable, can_focus=False):
    def __init__(self, *args, **kwargs) -> None:
        self._cell_cache: LRUCache[tuple, list[list[Segment]]] = LRUCache(4000)
        # (row, column, style) -> that style with the cell's position (mouse metadata) added
        self._placed: LRUCache[tuple[int, int, Style | None], Style] = LRUCache(8000)
        self._pass: _Pass | None = None
        self._virtual_size_changed = False
        super().__init__(*args, **kwargs)

    # --- updating by key ---------------------------------------------------------------------

    def sync_rows(self, rows: Iterable[tuple[str, Sequence[CellType]]]) -> bool:
        """Make the table show exactly ``rows``, (key, cells) pairs, in that order.

        Rows whose key went away are removed, new keys are added (one line high, as by
        ``add_row``), and only cells whose value changed are replaced; the order is rebuilt only
        when it differs. When only cells changed, only their rows are repainted. The cursor
        stays on its row's key while that row exists, and the scroll position stays. Columns
        widen to fit wider values and never narrow (as with ``clear`` and ``add_row``).
        Returns whether anything changed: when nothing did, nothing is repainted.
        """
        wanted = rows if isinstance(rows, list) else list(rows)
        keys = [key for key, _ in wanted]
        keep = set(keys)
        if len(keep) != len(keys):
            raise DuplicateKey("sync_rows: a row key appears twice")
        columns = self.ordered_columns
        column_keys = [column.key for column in columns]
        n_columns = len(column_keys)
        data = self._data
        locations = self._row_locations
        # every index below len(locations) has its row (the stubs allow None)
        old_order = cast(
            list[RowKey], [locations.get_key(index) for index in range(len(locations))]
        )
        known = {key.value: key for key in old_order}
        cursor_row, cursor_column = self.cursor_coordinate
        cursor_key = old_order[cursor_row] if 0 <= cursor_row < len(old_order) else None
        # A row's cells are kept in a dict in column order (add_row, add_column and remove_column
        # keep it so): rows are compared as tuples of their values, in that order.
        in_order = all(list(data[key]) == column_keys for key in old_order[:1])

        structural = False  # rows added, removed or moved, or a column widened
        changed_rows: list[RowKey] = []  # rows left in place whose cells changed
        maybe_wider: list[CellKey] = []
        key: RowKey | None
        for key in old_order:
            if key.value not in keep:
                for column_key in data[key]:
                    self._updated_cells.discard(CellKey(key, column_key))
                self._new_rows.discard(key)
                del self.rows[key]
                del data[key]
                structural = True
        new_order: list[RowKey] = []
        for value, cells in wanted:
            if len(cells) > n_columns:
                raise ValueError("More values provided than there are columns.")
            cells = tuple(cells) + (None,) * (n_columns - len(cells))
            key = known.get(value)
            if key is None:
                key = RowKey(value)
                data[key] = dict(zip(column_keys, cells))
                self.rows[key] = Row(key, 1, None, False)
                self._new_rows.add(key)
                structural = True
                new_order.append(key)
                continue
            new_order.append(key)
            old = data[key]
            previous = tuple(old.values()) if in_order else tuple(old[k] for k in column_keys)
            if previous == cells and tuple(map(type, previous)) == tuple(map(type, cells)):
                continue
            for index, (before, after) in enumerate(zip(previous, cells)):
                if before is after or (type(before) is type(after) and before == after):
                    continue
                column = columns[index]
                old[column.key] = after
                if isinstance(after, str) and 2 * len(after) <= column.content_width:
                    continue  # no wider than its column: a character is at most two cells
                cell_width = _plain_width(after)
                if cell_width is None or cell_width > column.content_width:
                    maybe_wider.append(CellKey(key, column.key))
            changed_rows.append(key)

        if keys != [key.value for key in old_order]:
            self._row_locations = TwoWayDict({key: index for index, key in enumerate(new_order)})
            structural = True
        if not structural and not changed_rows:
            return False

        console = self.app.console
        for cell_key in maybe_wider:
            # Only cells wider than their column go to DataTable's measuring on idle: a
            # narrower one would make it measure the whole column again.
            value = data[cell_key.row_key][cell_key.column_key]
            width = _plain_width(value)
            if width is None:
                width = measure(console, default_cell_formatter(value, wrap=False, height=1), 1)
            if width > self.columns[cell_key.column_key].content_width:
                self._updated_cells.add(cell_key)
                structural = True
        self._update_count += 1
        if not structural and all(row.height == 1 for row in self.rows.values()):
            # The same rows in the same places, each one line high, and only some cells
            # changed: repaint just those rows (those in view).
            window = self.window_region
            header = self.header_height if self.show_header else 0
            width = max(self.size.width, self.virtual_size.width)
            scroll_x, scroll_y = self.scroll_offset
            regions = [
                Region(-scroll_x, y - scroll_y, width, 1)
                for y in (header + cast(int, self._row_locations.get(key)) for key in changed_rows)
                if window.y <= y < window.bottom
            ]
            if regions:
                self.refresh(*regions)
            return True
        self._require_update_dimensions = True  # virtual size and widths, on idle
        if cursor_key is not None and cursor_key in self._row_locations:
            # The cursor's row is still there: the cursor moves with it, quietly (the same row
            # stays highlighted, and the view is not scrolled to it).
            self.set_reactive(
                DataTable.cursor_coordinate,
                Coordinate(cast(int, self._row_locations.get(cursor_key)), cursor_column),
            )
        else:
            self.cursor_coordinate = self.cursor_coordinate  # clamped, as by remove_row
        # Sized by its content (height: auto), the table needs a layout when its row count
        # changes; with a set height a repaint does (the virtual size follows on idle).
        height = self.styles.height
        self.refresh(layout=len(new_order) != len(old_order) and (height is None or height.is_auto))
        self.check_idle()
        return True

    # --- rendering ---------------------------------------------------------------------------
    #
    # DataTable keys every render cache by its update counter, which any change bumps: after a
    # reload every visible cell is rendered again, and every line looks up the same styles and
    # settings again (several walk up the DOM). The methods below are DataTable's rendering
    # (TEXTUAL_VERSION; see COPIED above) with that work done once per pass (_Pass: one
    # render_lines call), and the cells holding plain values (str, int, float) rendered once
    # per value and look, then placed: given their row and column, the mouse metadata DataTable
    # puts on every cell.
    # tests/ui/test_read_only_table.py compares what they draw with DataTable's own drawing.

    def notify_style_update(self) -> None:
        self._cell_cache.clear()
        super().notify_style_update()

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        # Runs just before the layout that Widget.virtual_size (a layout reactive) asks for on
        # every change: see refresh.
        self._virtual_size_changed = True

    def refresh(
        self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False
    ):
        if layout and self._virtual_size_changed:
            self._virtual_size_changed = False
            height, width = self.styles.height, self.styles.width
            if (
                self.is_mounted
                and self.size
                and height is not None
                and not height.is_auto
                and (width is None or not width.is_auto)
            ):
                # The table's size is set, not taken from its rows: a new row count or column
                # width changes only its scrollbars, which this sets as a layout of the screen
                # would (a scrollbar appearing or going asks for that layout by itself).
                self._update_scrollbars(self.virtual_size)
                layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _update_scrollbars(self, virtual_size: Size) -> None:
        """Widget._scroll_update (what a layout does for a scrolling widget whose virtual size
        changed), without repainting scrollbars whose window did not change: their reactives
        repaint those that did."""
        self._scrollbar_changes.clear()
        self._refresh_scrollbars()
        width, height = self.container_size
        if self.show_vertical_scrollbar and self.styles.scrollbar_size_vertical:
            self.vertical_scrollbar.window_virtual_size = virtual_size.height
            self.vertical_scrollbar.window_size = height - self.scrollbar_size_horizontal
        if self.show_horizontal_scrollbar and self.styles.scrollbar_size_horizontal:
            self.horizontal_scrollbar.window_virtual_size = virtual_size.width
            self.horizontal_scrollbar.window_size = width - self.scrollbar_size_vertical
        self.scroll_x = self.validate_scroll_x(self.scroll_x)
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pseudo_class_state = self.get_pseudo_class_state()  # as DataTable does
        self._pass = _Pass(self)
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def _current_pass(self) -> _Pass:
        return self._pass if self._pass is not None else _Pass(self)

    def render_line(self, y: int) -> Strip:
        p = self._current_pass()
        if y >= p.fixed_rows_height:
            y += p.scroll_y
        return self._render_line(y, p.scroll_x, p.scroll_x + p.width, p.base_style)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        p = self._current_pass()
        width = p.width
        try:
            row_key, y_offset_in_row = self._get_offsets(y)
        except LookupError:
            return Strip.blank(width, base_style)
        cache_key = (
            y,
            x1,
            x2,
            width,
            p.cursor,
            p.hover,
            base_style,
            p.cursor_type,
            p.show_hover_cursor,
            p.update_count,
            p.pseudo_state,
        )
        if cache_key in self._line_cache:
            return self._line_cache[cache_key]
        fixed, scrollable = self._render_line_in_row(
            row_key, y_offset_in_row, base_style, cursor_location=p.cursor, hover_location=p.hover
        )
        fixed_line: list[Segment] = list(chain.from_iterable(fixed)) if fixed else []
        scrollable_line: list[Segment] = list(chain.from_iterable(scrollable))
        segments = fixed_line + line_crop(scrollable_line, x1 + p.fixed_width, x2, width)
        if sum(segment.cell_length for segment in segments) == width:  # nothing to adjust
            strip = Strip(Segment.simplify(segments), width)
        else:
            strip = Strip(segments).adjust_cell_length(width, base_style).simplify()
        self._line_cache[cache_key] = strip
        return strip

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ):
        p = self._current_pass()
        cursor_type = p.cursor_type
        cache_key = (
            row_key,
            line_no,
            base_style,
            cursor_location,
            hover_location,
            cursor_type,
            p.show_cursor,
            p.show_hover_cursor,
            p.update_count,
            p.pseudo_state,
        )
        if cache_key in self._row_render_cache:
            return self._row_render_cache[cache_key]

        render_cell = self._render_cell
        header_style = p.header_style
        row_index = (
            cast(int, self._row_locations.get(row_key)) if row_key in self._row_locations else -1
        )

        def highlight(location: Coordinate, column_index: int) -> bool:
            if cursor_type == "cell":
                return location.row == row_index and location.column == column_index
            if cursor_type == "row":
                return location.row == row_index
            if cursor_type == "column":
                return location.column == column_index
            return False

        fixed_row = []
        if p.row_labels:
            fixed_row.append(
                render_cell(
                    row_index,
                    -1,
                    header_style,
                    width=p.label_width,
                    cursor=highlight(cursor_location, -1),
                    hover=highlight(hover_location, -1),
                )[line_no]
            )
        if p.fixed_columns:
            if row_key is self._header_row_key:
                fixed_style = header_style
            else:
                fixed_style = p.component_style("datatable--fixed") + Style.from_meta(
                    {"fixed": True}
                )
            for column_index in range(p.fixed_columns):
                fixed_row.append(
                    render_cell(
                        row_index,
                        column_index,
                        fixed_style,
                        p.widths[column_index],
                        cursor=highlight(cursor_location, column_index),
                        hover=highlight(hover_location, column_index),
                    )[line_no]
                )

        if row_index == -1:
            row_style = header_style
        elif row_index < p.fixed_rows:
            row_style = p.component_style("datatable--fixed")
        elif p.zebra_stripes:
            row_style = p.component_style(
                "datatable--odd-row" if row_index % 2 else "datatable--even-row"
            )
        else:
            row_style = base_style

        row = self.rows.get(row_key) if row_index >= 0 else None
        values = self._data.get(row_key) if row is not None else None
        if row is None or values is None or row.auto_height or row.height <= 0:
            row = values = None  # not a plain row: each cell by DataTable._render_cell
        scrollable_row = []
        for column_index, column in enumerate(p.columns):
            cursor = highlight(cursor_location, column_index)
            hover = highlight(hover_location, column_index)
            value = values.get(column.key) if values is not None else None
            if row is not None and isinstance(value, _VALUE_TYPES):
                lines = self._value_cell(
                    p,
                    value,
                    row.height,
                    row_index < p.fixed_rows or column_index < p.fixed_columns,
                    row_style,
                    p.widths[column_index],
                    cursor,
                    hover,
                    row_index,
                    column_index,
                )
            else:
                lines = render_cell(
                    row_index,
                    column_index,
                    row_style,
                    p.widths[column_index],
                    cursor=cursor,
                    hover=hover,
                )
            scrollable_row.append(lines[line_no])

        remaining_space = max(0, p.width - p.table_width)
        if cursor_type == "row":
            extend_style, _ = self._get_styles_to_render_cell(
                row_index == -1,
                False,
                False,
                hover_location.row == row_index,
                row_index == cursor_location.row,
                p.show_cursor,
                p.show_hover_cursor,
                False,
                False,
            )
            extend_style = row_style + extend_style
        else:
            extend_style = p.extend_style(row_style)
        extend_style += Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
        scrollable_row.append([Segment(" " * remaining_space, extend_style)])

        row_pair = (fixed_row, scrollable_row)
        self._row_render_cache[cache_key] = row_pair
        return row_pair

    def _value_cell(
        self,
        p: _Pass,
        value: str | int | float,
        height: int,
        fixed: bool,
        style: Style,
        width: int,
        cursor: bool,
        hover: bool,
        row_index: int,
        column_index: int,
    ) -> list[list[Segment]]:
        """DataTable._render_cell for a cell holding a plain value, from a cache keyed by the
        value and the cell's look; the position goes on last (DataTable puts it first: the same
        styles, with their metadata merged in another order)."""
        key = (
            type(value),
            value,
            height,
            fixed,
            style,
            width,
            cursor,
            hover,
            p.show_hover_cursor,
            p.look,
        )
        lines = self._cell_cache.get(key)
        if lines is None:
            cell = default_cell_formatter(value, wrap=height != 1, height=height) or _EMPTY_TEXT
            show_cursor, _state, padding, foreground, background = p.look
            component_style, post_style = self._get_styles_to_render_cell(
                False,
                False,
                fixed,
                hover,
                cursor,
                show_cursor,
                p.show_hover_cursor,
                foreground == "css",
                background == "css",
            )
            options = self.app.console_options.update_dimensions(width, height)
            if height == 1:
                options = options.update(no_wrap=True)
            lines = [
                list(Segment.simplify(line))
                for line in self.app.console.render_lines(
                    Styled(
                        Padding(cell, (0, padding)),
                        pre_style=style + component_style,
                        post_style=post_style,
                    ),
                    options,
                )
            ]
            self._cell_cache[key] = lines
        placed = self._placed
        result = []
        for line in lines:
            placed_line = []
            for text, segment_style, control in line:
                if control:
                    placed_line.append(Segment(text, None, control))
                    continue
                place_key = (row_index, column_index, segment_style)
                placed_style = placed.get(place_key)
                if placed_style is None:
                    place = Style.from_meta({"row": row_index, "column": column_index})
                    placed_style = placed[place_key] = (
                        place + segment_style if segment_style else place
                    )
                placed_line.append(Segment(text, placed_style))
            result.append(placed_line)
        return result


class _Pass:
    """What every line of one render_lines pass of a ReadOnlyTable shares, read once."""

    def __init__(self, table: ReadOnlyTable) -> None:
        self.table = table
        self.width = table.size.width
        self.scroll_x, self.scroll_y = table.scroll_offset
        fixed_rows = self.fixed_rows = table.fixed_rows
        height = sum(
            table.get_row_height(cast(RowKey, table._row_locations.get_key(index)))
            for index in range(fixed_rows)
        )
        if table.show_header:
            height += table.get_row_height(table._header_row_key)
        self.fixed_rows_height = height
        self.base_style = table.rich_style
        self.header_style = table.get_component_styles("datatable--header").rich_style
        self.background = table.background_colors[1]
        self.columns = table.ordered_columns
        self.widths = [column.get_render_width(table) for column in self.columns]
        self.fixed_columns = table.fixed_columns
        self.fixed_width = sum(self.widths[: self.fixed_columns])
        self.label_width = table._row_label_column_width
        self.table_width = sum(self.widths[self.fixed_columns :]) + self.label_width
        self.row_labels = table._labelled_row_exists and table.show_row_labels
        self.zebra_stripes = table.zebra_stripes
        self.cursor_type = table.cursor_type
        self.show_cursor = table.show_cursor
        self.show_hover_cursor = table._show_hover_cursor
        self.cursor = table.cursor_coordinate
        self.hover = table.hover_coordinate
        self.update_count = table._update_count
        self.pseudo_state = table._pseudo_class_state
        self.look = (
            self.show_cursor,
            self.pseudo_state,
            table.cell_padding,
            table.cursor_foreground_priority,
            table.cursor_background_priority,
        )
        self._styles: dict = {}

    def component_style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.table.get_component_styles(name).rich_style
        return style

    def extend_style(self, row_style: Style) -> Style:
        """DataTable's style for the space right of the last column (no row cursor)."""
        key = ("extend", row_style)
        style = self._styles.get(key)
        if style is None:
            if row_style.bgcolor is not None:
                faded = Color.from_rich_color(row_style.bgcolor).blend(self.background, factor=0.25)
                style = Style.from_color(color=row_style.color, bgcolor=faded.rich_color)
            else:
                style = Style.from_color(row_style.color, row_style.bgcolor)
            self._styles[key] = style
        return style


class ScrollingTable(ReadOnlyTable, can_focus=True, inherit_bindings=False):
    """A ``ReadOnlyTable`` the keyboard can scroll: Tab focuses it, the arrows, Page Up/Down,
    Home and End scroll it. It binds nothing else: Enter and the letter keys stay with the
    screen (a DataTable binds Enter to select), and without a cursor there is nothing to pick."""

    BINDINGS = [
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("left", "cursor_left", show=False),
        Binding("right", "cursor_right", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "scroll_home", show=False),
        Binding("end", "scroll_end", show=False),
    ]

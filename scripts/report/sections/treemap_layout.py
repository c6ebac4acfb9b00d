"""Where plotly will draw each box of a treemap, so that each box gets the text it can hold.

Why compute it here: plotly never wraps a treemap label; it shrinks the text
block we give it until it fits its box, and hides it below the minimum size
(``uniformtext``). A label wrapped at a fixed width (15 characters, four
lines, then the amount and the share) fitted small square boxes but not wide
flat ones, so most boxes, even large ones, showed nothing. Knowing each box's
size, a label can be wrapped to the box's width and cut to its height.

plotly.js lays a treemap out with d3-hierarchy: children sorted by value,
largest first, then d3's "squarify" tiling (ratio 1, plotly's default) with
the paddings of the trace. :func:`layout` repeats that computation for a
panel of a given size in pixels. The page is read at several widths (screen,
print, phone); :func:`smallest_boxes` lays the boxes out for each size the
caller wants the labels to fit and keeps each box's smallest width and height.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

# Text metrics of the chart font at 12 px, rounded up so that a fitted text fits.
CHAR_WIDTH = 6.0
LINE_HEIGHT = 15.6  # plotly's line spacing, 1.3 em
TEXT_MARGIN = 8.0


@dataclass
class Box:
    """A node of the tree and, once laid out, its rectangle in pixels."""

    id: str
    value: float
    children: list[Box] = field(default_factory=list)
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0

    @property
    def total(self) -> float:
        """Own value plus the children's (plotly's ``branchvalues`` "remainder")."""
        return self.value + sum(child.total for child in self.children)

    def walk(self) -> list[Box]:
        return [self, *(box for child in self.children for box in child.walk())]


@dataclass(frozen=True)
class Padding:
    """The trace's paddings: between siblings, and around a parent's children."""

    inner: float
    top: float
    side: float


def _dice(row: Sequence[Box], x0: float, y0: float, x1: float, y1: float) -> None:
    """Lay a row out side by side, each box as wide as its share of the row."""
    total = sum(box.total for box in row)
    scale = (x1 - x0) / total if total else 0.0
    for box in row:
        box.y0, box.y1 = y0, y1
        box.x0, x0 = x0, x0 + box.total * scale
        box.x1 = x0


def _slice(row: Sequence[Box], x0: float, y0: float, x1: float, y1: float) -> None:
    """Lay a row out one above the other, each box as tall as its share of the row."""
    total = sum(box.total for box in row)
    scale = (y1 - y0) / total if total else 0.0
    for box in row:
        box.x0, box.x1 = x0, x1
        box.y0, y0 = y0, y0 + box.total * scale
        box.y1 = y0


def _squarify(nodes: Sequence[Box], x0: float, y0: float, x1: float, y1: float) -> None:
    """d3-hierarchy's treemapSquarify with ratio 1: rows kept while their aspect improves."""
    value = sum(node.total for node in nodes)
    i0 = i1 = 0
    count = len(nodes)
    while i0 < count:
        dx, dy = x1 - x0, y1 - y0
        total = nodes[i1].total
        i1 += 1
        while not total and i1 < count:
            total = nodes[i1].total
            i1 += 1
        low = high = total
        alpha = max(dy / dx, dx / dy) / value if dx > 0 and dy > 0 and value else 0.0
        beta = total * total * alpha
        best = max(high / beta, beta / low) if beta and low else float("inf")
        while i1 < count:
            node_value = nodes[i1].total
            total += node_value
            low, high = min(low, node_value), max(high, node_value)
            beta = total * total * alpha
            ratio = max(high / beta, beta / low) if beta and low else float("inf")
            if ratio > best:
                total -= node_value
                break
            best = ratio
            i1 += 1
        row = nodes[i0:i1]
        if dx < dy:
            y_end = y0 + dy * total / value if value else y1
            _dice(row, x0, y0, x1, y_end)
            y0 = y_end
        else:
            x_end = x0 + dx * total / value if value else x1
            _slice(row, x0, y0, x_end, y1)
            x0 = x_end
        value -= total
        i0 = i1


def layout(root: Box, width: float, height: float, pad: Padding) -> None:
    """Position every box of ``root`` in a ``width`` x ``height`` panel, as d3 would."""
    root.x0, root.y0, root.x1, root.y1 = 0.0, 0.0, width, height
    _position(root, 0.0, pad)


def _position(node: Box, outer: float, pad: Padding) -> None:
    x0, y0, x1, y1 = node.x0 + outer, node.y0 + outer, node.x1 - outer, node.y1 - outer
    if x1 < x0:
        x0 = x1 = (x0 + x1) / 2
    if y1 < y0:
        y0 = y1 = (y0 + y1) / 2
    node.x0, node.y0, node.x1, node.y1 = x0, y0, x1, y1
    if not node.children:
        return
    half = pad.inner / 2
    x0, y0 = x0 + pad.side - half, y0 + pad.top - half
    x1, y1 = x1 - pad.side + half, y1 - pad.side + half
    if x1 < x0:
        x0 = x1 = (x0 + x1) / 2
    if y1 < y0:
        y0 = y1 = (y0 + y1) / 2
    node.children.sort(key=lambda child: -child.total)  # plotly's sort: largest first
    _squarify(node.children, x0, y0, x1, y1)
    for child in node.children:
        _position(child, half, pad)


def smallest_boxes(
    root: Box, sizes: Sequence[tuple[float, float]], pad: Padding
) -> dict[str, tuple[float, float]]:
    """Each box's smallest width and height over the panel ``sizes`` (width, height)."""
    found: dict[str, tuple[float, float]] = {}
    for width, height in sizes:
        layout(root, width, height, pad)
        for box in root.walk():
            size = (box.x1 - box.x0, box.y1 - box.y0)
            before = found.get(box.id, size)
            found[box.id] = (min(before[0], size[0]), min(before[1], size[1]))
    return found


def _fits(lines: Sequence[str], columns: int) -> bool:
    return all(len(line) <= columns for line in lines)


def tile_text(label: str, values: Sequence[str], width: float, height: float) -> list[str]:
    """The lines a box of ``width`` x ``height`` px can show: label wrapped, then values.

    The label is wrapped to the box's width and, when the box is short, cut
    with an ellipsis; the values (amount, share) come under it while there
    is room, first on a line each, then on one line. A box too small for a
    readable word of its label shows nothing (its figures are in the table
    and in the tooltip).
    """
    columns = int((width - TEXT_MARGIN) // CHAR_WIDTH)
    rows = int((height - TEXT_MARGIN) // LINE_HEIGHT)
    if columns < 6 or rows < 1:
        return []
    value_options = [list(values), [" · ".join(values)], values[:1], []]
    for value_lines in value_options:
        if len(value_lines) > rows - 1 or not _fits(value_lines, columns):
            continue  # no room left for a line of label
        label_lines = wrap_to(label, columns, rows - len(value_lines))
        if label_lines:
            return [*label_lines, *value_lines]
    return []


def wrap_to(label: str, columns: int, rows: int) -> list[str]:
    """``label`` in at most ``rows`` lines of ``columns`` characters, the last cut with "…"."""
    if rows < 1 or columns < 4:
        return []
    lines = textwrap.wrap(label, width=columns, break_long_words=False) or [""]
    if len(lines) <= rows and _fits(lines, columns):
        return lines
    head: list[str] = []
    for line in lines[: rows - 1]:
        if len(line) > columns:
            break
        head.append(line)
    last = _cut(" ".join(lines[len(head) :]), columns)
    return [*head, last] if last else head


def _cut(text: str, columns: int) -> str:
    """``text`` cut to ``columns`` characters with "…": after a word when that keeps most
    of the line, else within a word ("Produits métallurgi…" says more than "Produits …")."""
    if len(text) <= columns:
        return text
    words = textwrap.shorten(text, width=columns, placeholder=" …")
    chars = text[: columns - 1].rstrip(" ,;:'’-") + "…"
    cut = words if len(words) >= 0.6 * columns else chars
    return cut if len(cut) >= 4 else ""

"""Server-rendered SVG charts: geometry here, drawing in templates.

No JavaScript and no inline style (the Content-Security-Policy forbids both):
bars are coloured by CSS classes from static/css/dashboard.css. Coordinates
are pre-formatted strings so that the Vietnamese locale never writes "12,5".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 130
BAR_HEIGHT = 18
GAP = 8


def _f(x: float) -> str:
    return f"{x:.1f}"


@dataclass
class Bar:
    label: str
    text: str
    css: str
    y: str
    text_y: str
    width: str
    value_x: str


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = 0
    label_x: str = _f(LABEL_WIDTH - 6)
    bar_x: str = str(LABEL_WIDTH)
    bar_height: str = str(BAR_HEIGHT)


def bar_chart(
    title: str,
    items: Sequence[tuple[str, int, str]],
    *,
    money: bool = False,
) -> BarChart:
    """Horizontal bars for (label, value, css class) items, longest = full width."""
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = max([value for _label, value, _css in items] + [1])
    bars = []
    for i, (label, value, css) in enumerate(items):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = room * max(value, 0) / top
        text = number_format(value, force_grouping=True)
        bars.append(
            Bar(
                label=label,
                text=f"{text} đ" if money else text,
                css=css,
                y=_f(y),
                text_y=_f(y + BAR_HEIGHT - 4),
                width=_f(width),
                value_x=_f(LABEL_WIDTH + width + 6),
            )
        )
    return BarChart(
        title=title, bars=bars, height=GAP + len(items) * (BAR_HEIGHT + GAP)
    )


@dataclass
class Tile:
    label: str
    text: str
    css: str
    x: str
    y: str


@dataclass
class TileGroup:
    label: str
    tiles: list[Tile]
    height: int


TILE = 22
TILES_PER_ROW = 24


def tile_group(label: str, items: Sequence[tuple[str, str, int]]) -> TileGroup:
    """A grid of squares, one per (label, text, level 0-4) commune."""
    tiles = []
    for i, (name, text, level) in enumerate(items):
        row, col = divmod(i, TILES_PER_ROW)
        tiles.append(
            Tile(
                label=name,
                text=text,
                css=f"kc-tile kc-tile-{level}",
                x=str(col * TILE),
                y=str(row * TILE),
            )
        )
    rows = (len(items) + TILES_PER_ROW - 1) // TILES_PER_ROW
    return TileGroup(label=label, tiles=tiles, height=max(rows, 1) * TILE)

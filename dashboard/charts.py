"""Server-rendered SVG charts: geometry and drawing here.

No JavaScript and no inline style (the Content-Security-Policy forbids both):
bars are coloured by CSS classes from static/css/dashboard.css. Coordinates
are pre-formatted strings so that the Vietnamese locale never writes "12,5".
The charts draw themselves (`svg`) rather than through a template: the
board's hundred-odd bars cost more in template nodes than the rest of the
page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 130
BAR_HEIGHT = 18
GAP = 8


def esc(value: object) -> str:
    """What the template's autoescape writes for `value` (Django's
    conditional_escape, without its lazy-string wrapper: a few hundred
    values a page)."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


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

    def svg(self) -> SafeString:
        title = esc(self.title)
        bars = "".join(
            f"""
  <text x="{self.label_x}" y="{esc(b.text_y)}" text-anchor="end" \
class="kc-chart-label">{esc(Truncator(b.label).chars(34))}</text>
  <rect x="{self.bar_x}" y="{esc(b.y)}" width="{esc(b.width)}" \
height="{self.bar_height}" class="kc-bar {esc(b.css)}"><title>{esc(b.label)}: \
{esc(b.text)}</title></rect>
  <text x="{esc(b.value_x)}" y="{esc(b.text_y)}" class="kc-chart-value">\
{esc(b.text)}</text>
  """
            for b in self.bars
        )
        return mark_safe(  # every value above is escaped
            f"""<figure class="kc-chart mb-2">
<svg xmlns="http://www.w3.org/2000/svg" class="kc-chart-svg" \
viewBox="0 0 {self.width} {self.height}" width="100%" role="img" \
aria-label="{title}">
  <title>{title}</title>
  {bars}
</svg>
<figcaption class="visually-hidden">\
{esc(_("The same numbers are in the table below."))}</figcaption>
</figure>
"""
        )


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


# --- columns over the years -------------------------------------------------------

COLUMN_WIDTH = 640
# kc-series-0 … kc-series-9 in static/css/dashboard.css
SERIES_COLOURS = 10
PLOT_TOP = 18  # room for the totals printed above stacked columns
PLOT_HEIGHT = 170
AXIS_HEIGHT = 20


@dataclass
class Column:
    x: str
    y: str
    width: str
    height: str
    css: str
    title: str


@dataclass
class AxisLabel:
    x: str
    text: str


@dataclass
class LegendItem:
    label: str
    css: str


@dataclass
class ColumnChart:
    title: str
    columns: list[Column]
    labels: list[AxisLabel]
    totals: list[AxisLabel]
    legend: list[LegendItem]
    width: int = COLUMN_WIDTH
    height: int = PLOT_TOP + PLOT_HEIGHT + AXIS_HEIGHT
    baseline: str = _f(PLOT_TOP + PLOT_HEIGHT)
    label_y: str = _f(PLOT_TOP + PLOT_HEIGHT + AXIS_HEIGHT - 5)
    total_y: str = _f(PLOT_TOP - 5)

    def svg(self) -> SafeString:
        title = esc(self.title)
        columns = "".join(
            f"""<rect x="{esc(c.x)}" y="{esc(c.y)}" width="{esc(c.width)}" \
height="{esc(c.height)}" class="kc-bar {esc(c.css)}"><title>{esc(c.title)}</title>\
</rect>
  """
            for c in self.columns
        )
        labels = "".join(
            f"""<text x="{esc(a.x)}" y="{self.label_y}" text-anchor="middle" \
class="kc-chart-label">{esc(a.text)}</text>
  """
            for a in self.labels
        )
        totals = "".join(
            f"""<text x="{esc(a.x)}" y="{self.total_y}" text-anchor="middle" \
class="kc-chart-value">{esc(a.text)}</text>
  """
            for a in self.totals
        )
        legend = "".join(
            f"""<span class="text-nowrap me-3"><span class="kc-legend \
{esc(item.css)}"></span> {esc(item.label)}</span>"""
            for item in self.legend
        )
        return mark_safe(  # every value above is escaped
            f"""<figure class="kc-chart mb-2">
<div class="small fw-semibold mb-1" aria-hidden="true">{title}</div>
<svg xmlns="http://www.w3.org/2000/svg" class="kc-chart-svg" \
viewBox="0 0 {self.width} {self.height}" width="100%" role="img" \
aria-label="{title}">
  <title>{title}</title>
  <line x1="0" x2="{self.width}" y1="{self.baseline}" y2="{self.baseline}" \
class="kc-axis"/>
  {columns}{labels}{totals}
</svg>
<figcaption class="small">{legend}</figcaption>
</figure>
"""
        )


def column_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],
    *,
    stacked: bool = False,
    money: bool = False,
) -> ColumnChart:
    """Vertical columns per category (a year) for (label, css class, values)
    series: side by side, or stacked with the total printed above. The
    tallest column (or stack) is the plot's full height."""

    def text(value: int) -> str:
        shown = number_format(value, force_grouping=True)
        return f"{shown} đ" if money else shown

    count = len(categories)
    group = COLUMN_WIDTH / max(count, 1)
    per_group = 1 if stacked else max(len(series), 1)
    bar = group * 0.8 / per_group
    sums = [sum(values[i] for _l, _c, values in series) for i in range(count)]
    peaks = [max([v[i] for _l, _c, v in series], default=0) for i in range(count)]
    top = max([*(sums if stacked else peaks), 1])
    columns, labels, totals = [], [], []
    for i, category in enumerate(categories):
        left = i * group + group * 0.1
        base = PLOT_TOP + PLOT_HEIGHT
        for j, (label, css, values) in enumerate(series):
            value = max(values[i], 0)
            height = PLOT_HEIGHT * value / top
            x = left if stacked else left + j * bar
            y = (base - height) if stacked else PLOT_TOP + PLOT_HEIGHT - height
            if stacked:
                base -= height
            columns.append(
                Column(
                    x=_f(x),
                    y=_f(y),
                    width=_f(bar - (0 if stacked else 1)),
                    height=_f(height),
                    css=css,
                    title=f"{category} · {label}: {text(value)}",
                )
            )
        middle = _f(left + group * 0.4)
        labels.append(AxisLabel(x=middle, text=category))
        if stacked:
            totals.append(AxisLabel(x=middle, text=text(sums[i])))
    return ColumnChart(
        title=title,
        columns=columns,
        labels=labels,
        totals=totals,
        legend=[LegendItem(label, css) for label, css, _values in series],
    )

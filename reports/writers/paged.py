"""What the paged formats (PDF and Word) print of a table's columns.

A page is 260 mm wide; Excel is not paged. A wide report (the disbursement
report has 19 columns, 13 of them money) would leave its project titles a
column of a few words a line, and every project several lines high. So the
paged formats print:

- the columns marked `paged` (a column the rows' grouping repeats, the
  source under each source's heading, stays in Excel only);
- a two-row header where adjacent columns share a `group` ("Giải ngân" over
  "Tạm ứng", "Thanh toán"...), each under its `short` header;
- headers without their unit, "(đồng)": the unit line above the table states
  it once ("Đơn vị tính: đồng" or "triệu đồng");
- when the figures leave no readable room for a long text marked `own_line`
  (a project's title beside 13 money columns in đồng), that text on a line of
  its own above the row's figures, spanning the table from its place
  (`lines=True`, chosen by the PDF writer): its header joins the header of
  the column before it ("Mã / Đề án");
- a column marked `stack` in the cell of the column before it, after its
  separator (the end date under the start date, the contract under the
  decision), its header after that column's ("Ngày bắt đầu / Ngày kết
  thúc"): the progress report's 23 columns are 17 on paper.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reports.exporters.base import DATE, INT, MONEY, PERCENT, TEXT
from reports.writers.head import OfficialHead

FIXED = (MONEY, INT, DATE, PERCENT)
# Between a line of its own and what is stacked on it (it is one line).
LINE_SEPARATOR = " — "

# "(đồng)" or "(triệu đồng)" at the end of a header.
_UNIT = re.compile(r"\s*\((?:triệu )?đồng\)\s*$")


@dataclass(frozen=True)
class HeaderCell:
    text: str
    span: int = 1  # columns
    rows: int = 1  # 2: down both header rows (a column without a group)


@dataclass(frozen=True)
class PagedTable:
    # Indices of the exporter's columns that are printed, in order.
    shown: list[int]
    # The first header row; with groups, `second` holds the short headers
    # under them, left to right.
    first: list[HeaderCell]
    second: list[str]
    # Per printed column, the header printed right above its values.
    headers: list[str]
    # The column printed on a line of its own (`lines`), and how many printed
    # columns precede it there.
    line: int | None = None
    lead: int = 0
    # Per printed column, the columns stacked in its cell after the first
    # (their index and separator).
    stacked: list[list[tuple[int, str]]] = field(default_factory=list)
    # The columns stacked on the line of its own (a column stacked right
    # after it), and their separator there.
    on_line: list[tuple[int, str]] = field(default_factory=list)

    def line_text(self, values: Sequence[Any]) -> str:
        """The text of a row's line of its own, stacked values after it."""
        if self.line is None:
            return ""
        text = values[self.line]
        for j, separator in self.on_line:
            if values[j]:
                text = f"{text}{separator}{values[j]}" if text else values[j]
        return text

    def pick(self, values: Sequence[Any]) -> list[Any]:
        """The printed cells of a row of formatted values (strings): stacked
        values joined to their cell's, empty ones left out."""
        if not any(self.stacked):
            return [values[i] for i in self.shown]
        # `values` are strings here (pdf.format_value).
        cells = []
        for i, under in zip(self.shown, self.stacked, strict=True):
            text = values[i]
            for j, separator in under:
                if values[j]:
                    text = f"{text}{separator}{values[j]}" if text else values[j]
            cells.append(text)
        return cells

    def parts(self, values: Sequence[Any]) -> list[list[Any]]:
        """Per printed column, the values of the columns it holds."""
        stacked = self.stacked or [[] for _i in self.shown]
        return [
            [values[i], *(values[j] for j, _sep in under)]
            for i, under in zip(self.shown, stacked, strict=True)
        ]

    def columns(self, columns: Sequence[Any]) -> list[Any]:
        """The printed columns: a cell holding stacked columns prints as its
        first column's type when all are figures or dates (one line each,
        never wrapped), else as text; its weight is the largest."""
        printed = []
        for held in self.parts(columns):
            first = held[0]
            if len(held) > 1:
                kind = first.type if all(c.type in FIXED for c in held) else TEXT
                first = replace(
                    first, type=kind, total=False, width=max(c.width for c in held)
                )
            printed.append(first)
        return printed


def without_unit(text: str) -> str:
    return _UNIT.sub("", text)


def paged_table(
    columns: Sequence[Any], head: OfficialHead, *, lines: bool = False
) -> PagedTable:
    line = (
        next((i for i, c in enumerate(columns) if c.own_line and c.paged), None)
        if lines
        else None
    )
    shown: list[int] = []
    stacked: list[list[tuple[int, str]]] = []
    on_line: list[tuple[int, str]] = []
    for i, column in enumerate(columns):
        if not column.paged or i == line:
            continue
        # Stacked on the line of its own when it follows it right after,
        # else in the cell before.
        after_line = line is not None and i > line and (not shown or shown[-1] < line)
        if column.stack and after_line and (on_line or i == line + 1):
            on_line.append((i, LINE_SEPARATOR))
        elif column.stack and shown and not after_line:
            stacked[-1].append((i, column.stack))
        else:
            shown.append(i)
            stacked.append([])
    grouped = any(columns[i].group for i in shown)
    headers = []
    first: list[HeaderCell] = []
    second: list[str] = []
    for i, under in zip(shown, stacked, strict=True):
        column = columns[i]
        joined = "".join(
            " / " + without_unit(str(columns[j].short or columns[j].header))
            for j, _sep in under
        )
        if column.group:
            text = without_unit(str(column.short or column.header)) + joined
            second.append(text)
            group = str(column.group)
            if first and first[-1].rows == 1 and first[-1].text == group:
                last = first.pop()
                first.append(HeaderCell(group, last.span + 1))
            else:
                first.append(HeaderCell(group))
        else:
            text = (
                without_unit(head.header(str(column.short or column.header))) + joined
            )
            first.append(HeaderCell(text, rows=2 if grouped else 1))
        headers.append(text)
    lead = 0
    if line is not None:
        lead = sum(1 for i in shown if i < line)
        if lead and not any(columns[i].group for i in shown[:lead]):
            joined = " / ".join(
                [
                    headers[lead - 1],
                    str(columns[line].header),
                    *(str(columns[j].short or columns[j].header) for j, _s in on_line),
                ]
            )
            headers[lead - 1] = joined
            first[lead - 1] = HeaderCell(
                joined, first[lead - 1].span, first[lead - 1].rows
            )
    return PagedTable(
        shown=shown,
        first=first,
        second=second,
        headers=headers,
        line=line,
        lead=lead,
        stacked=stacked,
        on_line=on_line,
    )

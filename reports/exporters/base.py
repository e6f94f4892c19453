"""The exporter contract: one small class per report, consumed by every writer.

Taken from Pretix's exporters: an exporter knows *what* is in a report (its
columns, then its rows, yielded once from the database); the writers in
`reports.writers` know *how* a report looks in Excel, PDF or Word. A writer
asks for `iter_rows()` exactly once, then for `totals()`.

Every kind of report, the project dossier included, is a registered class
with the same entry point: `produce(job=..., folder=..., head=..., progress=...)`
writes the job's files into a folder and returns them by format. The job
service (reports.services) knows no kind of report: it asks the registry for
the class, gives it the job and stores what comes back. Tabular reports
inherit `produce` from `Exporter` (one fresh exporter per format, so rows are
read once per file); the dossier (reports.exporters.dossier) writes its PDF
and then the ZIP that carries it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from projects.models import Source
from reports import readahead
from reports.periods import Period
from reports.queries import period_fundings, planned_without_jit

if TYPE_CHECKING:
    from reports.writers.head import OfficialHead

TEXT = "text"
MONEY = "money"  # whole đồng
INT = "int"  # counts: projects, workers, trainees
DATE = "date"
PERCENT = "percent"  # a fraction: 0.455 is shown as 45,5 %
COLUMN_TYPES = (TEXT, MONEY, INT, DATE, PERCENT)
NUMERIC_TYPES = (MONEY, INT)
# Printed left-aligned in Word (dates); numbers and percentages go right.
FIXED_TYPES_FOR_WORD = (DATE,)


@dataclass(frozen=True)
class Column:
    header: str | Promise
    type: str = TEXT
    width: int = 15  # in Excel character units; the PDF uses it as a weight
    # Summed in the totals row (money and counts only).
    total: bool = False
    # The paged formats (PDF, Word) print a wide table with a two-row header:
    # adjacent columns of one `group` share a cell above their `short`
    # headers ("Giải ngân" over "Tạm ứng", "Thanh toán"...). Excel, which is
    # not paged, keeps the full `header`.
    group: str | Promise = ""
    short: str | Promise = ""
    # False: left out of the PDF and Word, where it would repeat what the
    # rows' grouping says (the source, under each source's heading).
    paged: bool = True
    # A long text (a project's title) that the PDF prints on a line of its
    # own, spanning the table from its place, above the row's figures, when
    # the figures leave it no readable room (a wide report in đồng).
    own_line: bool = False
    # Not "": the paged formats print the value in the cell of the column
    # before it, after this separator ("\n": on a line of its own), and its
    # header after that column's, " / " between: the end date under the
    # start date, the contract under the decision. One column fewer on a
    # page where every column costs the title its room; Excel keeps both.
    stack: str = ""

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"Unknown column type {self.type!r}")
        if self.total and self.type not in NUMERIC_TYPES:
            raise ValueError("Only money and count columns can be totalled")


Row = tuple[Any, ...]


class Subtotal(tuple):
    """A row that sums the rows above it (per source, per content...).

    Yield `Subtotal((...))` among ordinary rows: the writers print it bold,
    and it is left out of the totals row, which sums detail rows only.
    """

    __slots__ = ()


ProgressCallback = Callable[[int, int | None], None]
# What `produce` reports: the job's progress in percent (0-99).
JobProgress = Callable[[int], None]


class ReportError(Exception):
    """A report cannot be produced for a reason the user can act on."""


class Report:
    """What every registered kind of report offers the job service."""

    kind: ClassVar[str]
    title: ClassVar[str | Promise]
    # The files it makes, in the order they are made.
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "pdf", "docx")
    # The register series its number comes from (reports.models.DocumentSeries).
    series: ClassVar[str] = "report"
    # The download name's first part, Vietnamese without accents.
    file_stem: ClassVar[str] = "bao-cao"
    # About one project (job parameter project_id) rather than a period.
    per_project: ClassVar[bool] = False

    @classmethod
    def produce(
        cls, *, job: Any, folder: Path, head: OfficialHead, progress: JobProgress
    ) -> dict[str, Path]:
        raise NotImplementedError


class Exporter(Report):
    """Base of every tabular report. Subclasses set the class attributes and
    `rows()`.

    `rows()` is a generator over the database (use `.iterator()`), so a report
    of 100,000 rows never sits in memory. `count()` is an estimate used only
    for the progress bar.
    """

    columns: ClassVar[Sequence[Column]]
    # Text put in the first text column of the totals row.
    totals_label: ClassVar[str | Promise | None] = None
    # `rows()` reads the database: read it ahead of the writer, in a thread
    # with its own connection where that is right (reports.readahead).
    read_ahead: ClassVar[bool] = True

    @classmethod
    def produce(
        cls, *, job: Any, folder: Path, head: OfficialHead, progress: JobProgress
    ) -> dict[str, Path]:
        """Each asked format from a fresh exporter, its share of the bar each."""
        from reports.writers import WRITERS

        formats = [f for f in job.formats if f in WRITERS]
        if not formats:
            raise ReportError(_("no file format was asked for."))
        period = job.period  # raises ValidationError with a Vietnamese message
        share = 100 / len(formats)
        files = {}
        for index, fmt in enumerate(formats):
            base = index * share

            def on_progress(done: int, expected: int | None, base=base) -> None:
                if expected:
                    progress(int(base + share * min(done, expected) / expected * 0.95))

            exporter = cls(
                period=period,
                source=job.source,
                programme_id=job.parameters.get("programme_id"),
                on_progress=on_progress,
            )
            path = Path(folder) / f"report.{fmt}"
            WRITERS[fmt](exporter, path, head=head)
            files[fmt] = path
        return files

    def __init__(
        self,
        *,
        period: Period,
        source: str = "",
        programme_id: int | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.period = period
        self.source = source
        self.programme_id = programme_id
        self.on_progress = on_progress
        self._sums: list[int | Decimal] = [0] * len(self.columns)
        self._consumed = False

    # --- what subclasses write ------------------------------------------------

    def rows(self) -> Iterator[Row]:
        raise NotImplementedError

    def count(self) -> int | None:
        return None

    # --- what writers call ----------------------------------------------------

    def iter_rows(self) -> Iterator[Row]:
        """`rows()`, checked, summed for the totals row and reported as progress."""
        if self._consumed:
            # Rows come from the database once; a second writer needs a new
            # exporter, so that totals never count a row twice.
            raise RuntimeError("An exporter's rows can be read only once")
        self._consumed = True
        # The database's part in a thread of its own where that is right
        # (reports.readahead): the writer need not wait for its queries.
        threaded = self.read_ahead and readahead.can_read_ahead()
        read = readahead.read_ahead(self._read) if threaded else self._read()
        yield from self._checked_rows(read)

    def _read(self) -> Iterator[Any]:
        """What a report reads from the database: the number of rows the
        progress bar expects (None without one), then the rows."""
        with planned_without_jit():
            yield self.count() if self.on_progress else None
            yield from self.rows()

    def _checked_rows(self, read: Iterator[Any]) -> Iterator[Row]:
        width = len(self.columns)
        summed = [i for i, c in enumerate(self.columns) if c.total]
        expected = next(read)
        step = max(1, (expected or 0) // 50) if expected else 500
        done = 0
        for row in read:
            if len(row) != width:
                raise ValueError(
                    f"{type(self).__name__} yielded {len(row)} values for "
                    f"{width} columns"
                )
            if not isinstance(row, Subtotal):
                for i in summed:
                    if row[i] is not None:
                        self._sums[i] += row[i]
            done += 1
            if self.on_progress and done % step == 0:
                self.on_progress(done, expected)
            yield row
        if self.on_progress:
            self.on_progress(done, done)

    def totals(self) -> Row | None:
        """The totals row, once rows are consumed; None when nothing is totalled."""
        if not any(c.total for c in self.columns):
            return None
        label = str(self.totals_label or _("Total"))
        values: list[Any] = []
        placed = False
        for column, value in zip(self.columns, self._sums, strict=True):
            if column.total:
                values.append(value)
            elif not placed and column.type == TEXT:
                values.append(label)
                placed = True
            else:
                values.append(None)
        return tuple(values)

    @property
    def subtitle(self) -> str:
        """The line under the title: period and, if chosen, source."""
        parts = [self.period.label]
        if self.source in Source.values:
            parts.append(str(Source(self.source).label))
        return " · ".join(parts)


class PeriodProjectsExporter(Exporter):
    """A report on the projects of a period: the progress, disbursement and
    yearly summary reports share one membership rule (period_fundings)."""

    def fundings(self):
        """The period's funding rows, of the chosen source and programme."""
        return period_fundings(
            period=self.period, source=self.source, programme_id=self.programme_id
        )


def as_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    """Dates in reports are calendar days in Vietnam's time zone."""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date() if timezone.is_aware(value) else value
    return value

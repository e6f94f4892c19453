"""The words and dates the progress report's rows repeat
(reports/exporters/progress.py), translated and formatted once per report."""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.translation import gettext

from projects.models import Source, Status, source_short


class RowText:
    """The words and dates a report's rows repeat, translated and formatted
    once per report rather than once per row (gettext and date_format look
    the language and the formats up on every call): a few labels, and the
    days met so far — at most one entry per calendar day, whatever the
    number of projects."""

    def __init__(self) -> None:
        self.statuses = {value: str(label) for value, label in Status.choices}
        self.sources = {value: source_short(value) for value in Source.values}
        self.carried_heading = gettext("Carried-over projects")
        self.outputs = (
            gettext("Machines"),
            gettext("Trainees"),
            gettext("Products"),
        )
        self.carried_over = gettext("Carried over from the %(year)s plan")
        self.overdue = gettext("Overdue by %(days)s days")
        self.adjustment = gettext("Adjustment waiting for decision")
        self.cancelled = gettext("Cancelled: %(reason)s")
        self.rejected = gettext("Rejected: %(reason)s")
        self._format = get_format("SHORT_DATE_FORMAT")
        self._days: dict[dt.date, str] = {}

    def status(self, value: str) -> str:
        return self.statuses.get(value, value)

    def source(self, value: str) -> str:
        return self.sources.get(value) or source_short(value)

    def day(self, value: dt.date) -> str:
        text = self._days.get(value)
        if text is None:
            text = self._days[value] = dateformat.format(value, self._format)
        return text

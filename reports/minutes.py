"""The appraisal council's minutes (biên bản họp hội đồng): their number in
the centre's register and their PDF.

The council lives in the appraisal app, below reports; appraisal never
imports reports. Reports gives the council its minutes number by registering
`minutes_register` in appraisal.services.MINUTES_NUMBERING (reports.apps),
and prints the minutes here, with the letterhead of every official PDF
(reports.writers.pdf) and the council's own signature blocks (the chair and
the secretary). The PDF is made on request, not through a report job: it is
one or two pages read from a few rows, and a council that is still open
prints a draft ("DỰ THẢO", no number).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from appraisal.models import Council, Function
from appraisal.services import council_results
from reports.models import DocumentSeries, OfficialSettings, RegisterEntry
from reports.writers.head import OfficialHead, official_head
from reports.writers.pdf import html_to_pdf, render_document

TEMPLATE = "reports/pdf/council_minutes.html"


def minutes_register(*, council: Council, by: Any, on: dt.date) -> str:
    """The next number of the minutes series for the year ("3/BB-TTKC"),
    taken under the settings row's lock like every number of the register."""
    with transaction.atomic():
        OfficialSettings.current()
        official = OfficialSettings.objects.select_for_update().get(pk=1)
        symbol = official.symbol_of(DocumentSeries.MINUTES)
        last = (
            RegisterEntry.objects.filter(year=on.year, symbol=symbol)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        entry = RegisterEntry.objects.create(
            year=on.year,
            series=DocumentSeries.MINUTES,
            symbol=symbol,
            number=(last or 0) + 1,
            issued_on=on,
            issued_by=by,
            subject=str(council)[:300],
        )
    return entry.reference


def minutes_head(council: Council) -> OfficialHead:
    """The centre's letterhead with the minutes' number and date once the
    session is closed, and the council's signers instead of the centre's."""
    members = list(council.members.select_related("user"))
    named = {m.function: m.display_name for m in members}
    head = official_head(
        series=DocumentSeries.MINUTES,
        number=council.minutes_no,
        issued_on=council.minutes_date,
    )
    return dataclasses.replace(
        head,
        recipients=[],
        preparer_title="THƯ KÝ",
        preparer_name=named.get(Function.SECRETARY, ""),
        signer_title="CHỦ TỊCH HỘI ĐỒNG",
        signer_name=named.get(Function.CHAIR, ""),
    )


def minutes_context(council: Council) -> dict[str, Any]:
    results = council_results(council)
    return {
        "title": "BIÊN BẢN HỌP HỘI ĐỒNG",
        "subtitle": council.name,
        "council": council,
        "members": list(council.members.select_related("user")),
        "criteria": list(council.criteria_set.criteria.all()),
        "results": results,
    }


def minutes_pdf(council: Council, out: IO[bytes] | str | Path) -> None:
    html = render_document(
        TEMPLATE, minutes_context(council), head=minutes_head(council)
    )
    html_to_pdf(html, str(out) if isinstance(out, Path) else out)


def minutes_file_name(council: Council) -> str:
    return f"bien-ban-hoi-dong-{council.pk}.pdf"

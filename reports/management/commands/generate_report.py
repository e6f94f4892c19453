"""Produce one report from the command line, through the same job code path.

    python manage.py generate_report establishments --period 2025-Q3 \\
        --format xlsx --output /tmp/co-so.xlsx

The job is recorded in the history like any other (requested by nobody).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.exporters import available_kinds
from reports.models import FundingSource, ReportFormat, ReportJob
from reports.services import report_generate, report_parameters


class Command(BaseCommand):
    help = "Produce a report (Excel or PDF) and write it to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=available_kinds(), help="Report kind.")
        parser.add_argument(
            "--period",
            required=True,
            help="2018, 2018-H1, 2018-Q3 or 2018-07.",
        )
        parser.add_argument(
            "--source", choices=FundingSource.values, default="", help="Funding source."
        )
        parser.add_argument("--programme", type=int, help="Programme id.")
        parser.add_argument(
            "--format", choices=ReportFormat.values, default=ReportFormat.XLSX
        )
        parser.add_argument("--output", required=True, help="File to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Thư mục không tồn tại: {output.parent}")
        fmt = options["format"]
        try:
            parameters = report_parameters(
                period=options["period"],
                source=options["source"],
                programme_id=options["programme"],
                formats=[fmt],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

        job = ReportJob.objects.create(kind=options["kind"], parameters=parameters)
        job = report_generate(job=job)
        if job.status != ReportJob.Status.DONE:
            raise CommandError(job.error)
        source = job.file_for(fmt)
        with source.open("rb") as src, output.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        self.stdout.write(f"{output} ({output.stat().st_size} bytes, job {job.pk})")

"""Report 5, the project dossier, through the same contract as every report.

Not a table: its PDF is laid out by reports.dossier.DossierReport, and its ZIP
carries that PDF with every file of the project. Its number comes from the
dossier series of the register (its own symbol, e.g. "HS-TTKC").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.models import ReportKind

from . import register
from .base import JobProgress, Report, ReportError


@register
class DossierExporter(Report):
    kind = ReportKind.DOSSIER
    title = gettext_lazy("Project dossier")
    formats = ("pdf", "zip")
    series = "dossier"
    file_stem = "ho-so-de-an"
    per_project = True

    @classmethod
    def produce(
        cls, *, job: Any, folder: Path, head: Any, progress: JobProgress
    ) -> dict[str, Path]:
        from reports.dossier import DossierMissing, DossierReport

        try:
            report = DossierReport.load(project_id=job.project_id)
        except DossierMissing as exc:
            raise ReportError(_("the project no longer exists.")) from exc
        formats = job.formats
        if not formats:
            raise ReportError(_("a project dossier is a PDF or a ZIP archive."))
        progress(10)
        pdf_path = Path(folder) / report.pdf_name
        report.write_pdf(pdf_path, head=head)
        progress(50)
        files = {}
        if "pdf" in formats:
            files["pdf"] = pdf_path
        if "zip" in formats:
            shown = [50]

            def on_progress(done: int, expected: int) -> None:
                # A step every 10 % at most: the bar moves, the queries stay few.
                value = 50 + 45 * done // max(expected, 1)
                if value >= shown[0] + 10:
                    shown[0] = value
                    progress(value)

            zip_path = Path(folder) / "dossier.zip"
            report.write_zip(zip_path, pdf_path=pdf_path, on_progress=on_progress)
            files["zip"] = zip_path
        return files

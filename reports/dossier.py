"""Report 5: the dossier of one project for auditors (hồ sơ đề án).

Not a table, so not a tabular Exporter (reports.exporters.dossier runs it
through the same contract): `DossierReport` loads everything about one
project in a fixed number of queries (however many disbursements, serials or
documents it has), renders it through the one PDF renderer with the letterhead
every report shares (templates/reports/pdf/dossier.html extends base.html), and
packs that PDF with every file of the project into a ZIP.

The PDF is A4 portrait, unlike the landscape tabular reports: it is read as a
document, mostly label/value blocks and tables of five to eight columns, and
is filed in the same binder as the portrait decisions, contracts and minutes.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import EligibilityRule
from projects.models import (
    Acceptance,
    Attachment,
    Disbursement,
    ExecutionPhoto,
    Project,
)
from projects.models.decisions import support_versions, timeline
from reports.models import ReportKind, ascii_name
from reports.queries import TWO_LEVEL_ADMINISTRATION
from reports.writers.head import OfficialHead, official_head
from reports.writers.pdf import html_to_pdf, render_document

logger = logging.getLogger(__name__)

TEMPLATE = "reports/pdf/dossier.html"
DOCUMENTS_FOLDER = "tai-lieu"
PHOTOS_FOLDER = "anh"
# Long enough for any real document title, short enough for Windows paths.
MAX_STEM = 80
COPY_CHUNK = 1024 * 1024

ProgressCallback = Callable[[int, int], None]


class DossierMissing(Exception):
    """The project of a dossier job no longer exists."""


# --- names inside the ZIP ---------------------------------------------------------

# Characters that Windows, macOS or unzip tools refuse or read as structure.
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def safe_stem(text: str, fallback: str) -> str:
    """One harmless path component from a name someone typed or uploaded.

    NFC (so the name is the same whatever keyboard typed it), without
    slashes, control or reserved characters, never empty, "." or "..".
    """
    text = unicodedata.normalize("NFC", text or "")
    text = _FORBIDDEN.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" ._")
    text = text[:MAX_STEM].rstrip(" ._")
    if not text or text.upper() in _WINDOWS_RESERVED:
        return fallback
    return text


def _extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""


def _zip_time(moment: dt.datetime | None) -> tuple[int, int, int, int, int, int]:
    local = timezone.localtime(moment) if moment else timezone.localtime()
    # The ZIP format cannot date a file before 1980.
    local = max(local.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    return (local.year, local.month, local.day, local.hour, local.minute, local.second)


@dataclass(frozen=True)
class DossierFile:
    """One file of the project, as listed in the PDF and stored in the ZIP."""

    arcname: str
    file: FieldFile
    kind: str
    original_name: str
    about: str
    size: int | None
    uploaded_at: dt.datetime
    uploaded_by: str
    present: bool


def _person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _present(file: FieldFile) -> bool:
    try:
        return bool(file.name) and file.storage.exists(file.name)
    except OSError:
        return False


# --- the report -------------------------------------------------------------------


class DossierReport:
    kind = ReportKind.DOSSIER

    def __init__(self, project: Project) -> None:
        self.project = project
        self.fundings = list(
            project.fundings.select_related("plan__programme")
            .with_money()
            .order_by("source")
        )
        self.beneficiaries = list(
            project.beneficiaries.select_related(
                "commune__province", "craft_village"
            ).order_by("name", "pk")
        )
        self.equipment = list(
            project.equipment.select_related("establishment")
            .prefetch_related("serials")
            .order_by("pk")
        )
        self.decisions = list(project.decisions.select_related("recorded_by"))
        # The steps, and the decisions taken outside them (carry-forward).
        self.transitions = timeline(project, self.decisions)
        # Eligibility as the decree stood when the project was decided (or
        # submitted): a 2018 dossier cites the 2018 text, not today's.
        self.eligibility_day = (
            project.decision_date or project.submitted_on or timezone.localdate()
        )
        self.eligibility_rule = EligibilityRule.in_force(self.eligibility_day)
        self.adjustments = list(
            project.adjustments.select_related(
                "requested_by", "decided_by", "decision"
            ).order_by("requested_at", "pk")
        )
        # Records voided as entered by mistake are not part of the file.
        self.inspections = list(
            project.inspections.live().select_related("recorded_by")
        )
        self.progress_updates = list(
            project.progress_updates.live().select_related("by").order_by("date", "pk")
        )
        self.disbursements: list[Disbursement] = list(
            project.disbursements.live()
            .select_related("funding", "recorded_by")
            .order_by("date", "pk")
        )
        self.attachments: list[Attachment] = list(
            project.attachments.select_related("uploaded_by")
        )
        self.photos: list[ExecutionPhoto] = list(
            project.photos.select_related("uploaded_by", "equipment", "inspection")
        )
        try:
            self.acceptance: Acceptance | None = project.acceptance
        except ObjectDoesNotExist:
            self.acceptance = None
        self.files = self._files()

    @classmethod
    def load(cls, *, project_id: int | None) -> DossierReport:
        project = (
            Project.objects.select_related(
                "content",
                "commune__province",
                "created_by",
                "acceptance__recorded_by",
            )
            .filter(pk=project_id)
            .first()
            if project_id
            else None
        )
        if project is None:
            raise DossierMissing(project_id)
        return cls(project)

    @property
    def title(self) -> str:
        return str(ReportKind.DOSSIER.label)

    @property
    def pdf_name(self) -> str:
        return f"ho-so-de-an-{ascii_name(self.project.code)}.pdf"

    # --- files ------------------------------------------------------------------

    def _files(self) -> list[DossierFile]:
        """Every file of the project under a unique, safe name in the ZIP.

        Numbered within their folder, so two documents both called
        "Biên bản.pdf" stay two files; the extension is the one the upload
        check found in the bytes, not the one the uploader typed.
        """
        files = []
        for number, a in enumerate(self.attachments, start=1):
            stem = safe_stem(
                PurePosixPath(a.original_name.replace("\\", "/")).stem,
                fallback=DOCUMENTS_FOLDER,
            )
            files.append(
                DossierFile(
                    arcname=f"{DOCUMENTS_FOLDER}/{number:02d}-{stem}{a.extension}",
                    file=a.file,
                    kind=a.get_kind_display(),
                    original_name=unicodedata.normalize("NFC", a.original_name),
                    about="",
                    size=a.size,
                    uploaded_at=a.uploaded_at,
                    uploaded_by=_person(a.uploaded_by),
                    present=_present(a.file),
                )
            )
        for number, p in enumerate(self.photos, start=1):
            stem = safe_stem(p.caption, fallback=PHOTOS_FOLDER)
            if p.equipment_id:
                about = p.equipment.item
            elif p.inspection_id:
                about = _("Inspection of %(date)s") % {
                    "date": p.inspection.planned_date.strftime("%d/%m/%Y")
                }
            else:
                about = ""
            present = _present(p.image)
            files.append(
                DossierFile(
                    arcname=f"{PHOTOS_FOLDER}/{number:02d}-{stem}"
                    f"{_extension(p.image.name)}",
                    file=p.image,
                    kind=_("Photo"),
                    original_name=p.caption,
                    about=about,
                    size=p.image.size if present else None,
                    uploaded_at=p.uploaded_at,
                    uploaded_by=_person(p.uploaded_by),
                    present=present,
                )
            )
        for f in files:
            if not f.present:
                logger.warning("Dossier of %s: file %s missing", self.project.code, f)
        return files

    # --- what the PDF prints ------------------------------------------------------

    def budget(self) -> dict[str, Any]:
        """Per source: requested, approved, settled, and the money moved, as
        the money read-model defines it (projects.models.measures): net
        disbursed, still to pay (nothing once settled or cancelled) and what
        went back to the plan."""
        rows = [
            {
                "funding": f,
                "paid": f.disbursed_amount,
                "advanced": f.advanced_total,
                "due": f.due_total,
                "left": f.to_pay_amount,
                "released": f.released_amount,
            }
            for f in self.fundings
        ]

        def total(key: str) -> int | None:
            values = [getattr(f, key) for f in self.fundings]
            known = [v for v in values if v is not None]
            return sum(known) if known else None

        return {
            "rows": rows,
            "requested": total("requested"),
            "approved": total("approved"),
            "settled": total("settled"),
            **{
                key: sum(r[key] for r in rows)
                for key in ("paid", "advanced", "due", "left", "released")
            },
        }

    def disbursement_rows(self) -> list[tuple[Disbursement, int]]:
        """Each disbursement with the net amount paid up to it."""
        running = 0
        rows = []
        for d in self.disbursements:
            running += d.signed_amount
            rows.append((d, running))
        return rows

    def contributions(self) -> list[tuple[str, int, int | None, int | None]]:
        """(source, planned, contributed, contributed - planned) of the
        beneficiary's own money; contributed is None until the acceptance
        records it."""
        p, a = self.project, self.acceptance
        rows = [
            (
                _("Counterpart funds"),
                p.counterpart,
                a.counterpart_contributed if a else None,
            ),
            (
                _("Other sources"),
                p.other_sources,
                a.other_sources_contributed if a else None,
            ),
        ]
        return [
            (label, planned, done, None if done is None else done - planned)
            for label, planned, done in rows
        ]

    def impact(self) -> list[tuple[str, Any, Any, str]]:
        """(measure, before, after, format) for the acceptance section."""
        p, a = self.project, self.acceptance
        if a is None:
            return []
        return [
            (_("Jobs"), p.baseline_jobs, a.jobs_after, "int"),
            (_("Yearly revenue"), p.baseline_revenue, a.revenue_after, "money"),
            (_("Productivity"), p.baseline_productivity, a.productivity_after, "dec"),
            (
                _("Energy use (kWh/year)"),
                p.baseline_energy_kwh,
                a.energy_after_kwh,
                "int",
            ),
        ]

    def context(self) -> dict[str, Any]:
        p = self.project
        return {
            "title": self.title,
            "subtitle": f"{p.code} · {p.title}",
            "project": p,
            "fundings": self.fundings,
            "programmes": sorted(
                {f"{f.plan.programme} · {f.plan}" for f in self.fundings}
            ),
            "budget": self.budget(),
            "beneficiaries": [
                (e, e.eligibility(self.eligibility_day, rule=self.eligibility_rule))
                for e in self.beneficiaries
            ],
            "eligibility_rule": self.eligibility_rule,
            # Records before the two-level administration keep the district.
            "show_legacy_address": self.eligibility_day < TWO_LEVEL_ADMINISTRATION,
            "equipment": self.equipment,
            "equipment_total": sum(e.total for e in self.equipment),
            "equipment_supported": sum(e.supported for e in self.equipment),
            "transitions": self.transitions,
            "adjustments": self.adjustments,
            # Decisions with their authority; every version of the support.
            "decisions": self.decisions,
            "support_versions": support_versions(self.project),
            "inspections": self.inspections,
            "progress_updates": self.progress_updates,
            "acceptance": self.acceptance,
            "outputs": (
                [
                    (
                        _("Machines"),
                        p.target_machines,
                        self.acceptance.machines_achieved,
                    ),
                    (
                        _("Trainees"),
                        p.target_trainees,
                        self.acceptance.trainees_achieved,
                    ),
                    (
                        _("Products"),
                        p.target_products,
                        self.acceptance.products_achieved,
                    ),
                ]
                if self.acceptance
                else []
            ),
            "impact": self.impact(),
            "contributions": self.contributions(),
            "disbursements": self.disbursement_rows(),
            "files": self.files,
            "pdf_name": self.pdf_name,
        }

    # --- writing ----------------------------------------------------------------

    def write_pdf(self, out: str | Path, *, head: OfficialHead | None = None) -> None:
        head = head or official_head(series="dossier")
        html = render_document(TEMPLATE, self.context(), head=head)
        html_to_pdf(html, str(out))

    def write_zip(
        self,
        out: str | Path,
        *,
        pdf_path: str | Path,
        on_progress: ProgressCallback | None = None,
    ) -> list[str]:
        """The PDF and every file still in storage, copied chunk by chunk (a
        project's scans never sit in memory). Returns the names written."""
        present = [f for f in self.files if f.present]
        names = [self.pdf_name]
        with zipfile.ZipFile(
            out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
        ) as archive:
            archive.write(pdf_path, self.pdf_name)
            for done, item in enumerate(present, start=1):
                info = zipfile.ZipInfo(
                    item.arcname, date_time=_zip_time(item.uploaded_at)
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                with item.file.open("rb") as src, archive.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, COPY_CHUNK)
                names.append(item.arcname)
                if on_progress:
                    on_progress(done, len(present))
        return names

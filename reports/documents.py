"""Word documents from templates an administrator can replace.

Each document has a key; its template is the file the administrator uploaded
for that key (reports.models.DocumentTemplate, in the admin), else the one
shipped in reports/docx_templates/<key>.docx. Templates are docxtpl (Jinja in
Word): `{{ head.number_line }}`, `{%p for line in head.recipients %}`... The
variables each document receives are listed in DOCUMENTS and in
reports/docx_templates/README.md.

The papers filled from a project's record (tờ trình, draft approval decision,
contract, acceptance and liquidation minutes) print only facts recorded on the
project; what the record does not hold (a decision number not yet recorded, a
signer) is left as a dotted line to fill by hand, never invented.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

SHIPPED = Path(__file__).resolve().parent / "docx_templates"
BLANK = "…………"


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: Any
    file_stem: str


REPORT_TEMPLATE = "bao-cao"
PAPERS = {
    p.key: p
    for p in (
        DocumentKind("to-trinh", _("Submission (tờ trình / đề nghị)"), "to-trinh"),
        DocumentKind(
            "quyet-dinh",
            _("Approval decision (draft for the authority)"),
            "du-thao-quyet-dinh",
        ),
        DocumentKind("hop-dong", _("Contract"), "hop-dong"),
        DocumentKind("nghiem-thu", _("Acceptance minutes"), "bien-ban-nghiem-thu"),
        DocumentKind("thanh-ly", _("Liquidation minutes"), "bien-ban-thanh-ly"),
    )
}
TEMPLATE_KEYS = [REPORT_TEMPLATE, *PAPERS]


def template_source(key: str) -> Any:
    """The uploaded template for `key`, else the shipped one (a path)."""
    from reports.models import DocumentTemplate

    uploaded = DocumentTemplate.objects.filter(key=key).first()
    if uploaded is not None and uploaded.file:
        with uploaded.file.open("rb") as f:
            return io.BytesIO(f.read())
    return SHIPPED / f"{key}.docx"


def render(
    key: str,
    context: dict[str, Any],
    out: Any,
    *,
    blocks: dict[str, str] | None = None,
) -> None:
    """Render the template `key` into `out`. `blocks` are WordprocessingML
    strings (a report's table) put in place of the paragraph that holds
    `{{ name }}` alone, in the rendered XML before it is parsed: Jinja never
    reads them and the document is parsed once, so a table of 5,000 rows
    costs its XML and little more."""
    from docxtpl import DocxTemplate

    markers = {name: f"KC-BLOCK-{name}" for name in blocks or {}}

    class Template(DocxTemplate):
        def build_xml(self, context: Any, jinja_env: Any = None) -> str:
            xml = super().build_xml(context, jinja_env)
            for name, marker in markers.items():
                paragraph = re.compile(
                    r"<w:p[ >](?:(?!</w:p>).)*?"
                    + re.escape(marker)
                    + r"(?:(?!</w:p>).)*?</w:p>",
                    re.S,
                )
                xml = paragraph.sub(lambda _m, n=name: blocks[n], xml, count=1)
            return xml

    template = Template(template_source(key))
    template.render(context | markers, autoescape=True)
    template.save(out)


# --- the papers of a project --------------------------------------------------------


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else BLANK


def _money(value: int | None) -> str:
    if value is None:
        return BLANK
    return f"{value:,}".replace(",", ".")


# The record whose date decides which legal basis a paper cites: a
# submission cites the rules in force when it was submitted; the decision and
# what follows from it, those in force on the decision's date. Until a date is
# recorded, the next one back, then today (a draft prepared now).
BASIS_DAYS = {
    "to-trinh": ("submitted_on",),
    "quyet-dinh": ("decision_date", "submitted_on"),
    "hop-dong": ("decision_date", "submitted_on"),
    "nghiem-thu": ("decision_date", "submitted_on"),
    "thanh-ly": ("decision_date", "submitted_on"),
}


def basis_day(project: Any, key: str) -> dt.date:
    from django.utils import timezone

    for field in BASIS_DAYS.get(key, ("decision_date", "submitted_on")):
        day = getattr(project, field, None)
        if day is not None:
            return day
    return timezone.localdate()


def legal_bases(project: Any, day: dt.date) -> list[str]:
    """The legal basis of the project's support in force on `day`: for each
    of its funding sources, the support rule of its content and variant that
    the rule checks apply on that day (projects.rule_check.find_rule, dated
    rows with valid_from / valid_to), so a 2017 paper cites the 2014 joint
    circular and a 2026 one the texts in force in 2026. Each text once; a row
    not yet verified against its text says so ("chưa xác minh"); [BLANK]
    when no row holds a basis, to be written by hand."""
    from projects.rule_check import find_rule

    if not project.content_id:
        return [BLANK]
    kinds = {e.kind for e in project.beneficiaries.all()}
    found: list[str] = []
    for source in sorted({f.source for f in project.fundings.all()}):
        rule = find_rule(
            content_id=project.content_id,
            variant=project.support_variant,
            source=source,
            day=day,
            kinds=kinds,
        )
        if rule is None or not rule.legal_basis:
            continue
        text = rule.legal_basis
        if not rule.verified:
            text = f"{text} (chưa xác minh)"
        if text not in found:
            found.append(text)
    return found or [BLANK]


def paper_context(project: Any, head: Any, *, key: str = "") -> dict[str, Any]:
    """The facts of one project, as recorded, for its papers."""
    from projects.models import Source

    fundings = list(
        project.fundings.select_related("plan__programme")
        .with_money()
        .order_by("source")
    )
    beneficiaries = list(
        project.beneficiaries.select_related("commune__province").order_by("name", "pk")
    )
    try:
        acceptance = project.acceptance
    except ObjectDoesNotExist:
        acceptance = None
    sources = dict(Source.choices)
    approved = [f.approved for f in fundings if f.approved is not None]
    settled = [f.settled for f in fundings if f.settled is not None]
    return {
        "head": head,
        "project": project,
        "code": project.code,
        "title": project.title,
        "content": str(project.content) if project.content_id else BLANK,
        "implementing_unit": project.implementing_unit or BLANK,
        "partner_unit": project.partner_unit or BLANK,
        "place": (
            f"{project.commune.name}, {project.commune.province.name}"
            if project.commune_id
            else BLANK
        ),
        "start_date": _day(project.start_date),
        "end_date": _day(project.end_date),
        "objectives": project.objectives or BLANK,
        "submitted_on": _day(project.submitted_on),
        "decision_no": project.decision_no or BLANK,
        "decision_date": _day(project.decision_date),
        "contract_no": project.contract_no or BLANK,
        "contract_date": _day(project.contract_date),
        "acceptance_no": project.acceptance_minutes_no or BLANK,
        "acceptance_date": _day(project.acceptance_date),
        "settled_on": _day(project.settled_on),
        "beneficiaries": [
            {
                "name": e.name,
                "address": e.commune.name if e.commune_id else "",
            }
            for e in beneficiaries
        ],
        "fundings": [
            {
                "source": str(sources.get(f.source, f.source)),
                "plan": str(f.plan),
                "requested": _money(f.requested),
                "approved": _money(f.approved),
                "disbursed": _money(f.disbursed_amount),
                "settled": _money(f.settled),
            }
            for f in fundings
        ],
        "requested_total": _money(sum(f.requested or 0 for f in fundings)),
        "approved_total": _money(sum(approved)) if approved else BLANK,
        "disbursed_total": _money(sum(f.disbursed_amount for f in fundings)),
        "settled_total": _money(sum(settled)) if settled else BLANK,
        "targets": [
            ("Máy móc, thiết bị", project.target_machines),
            ("Học viên", project.target_trainees),
            ("Sản phẩm", project.target_products),
        ],
        "achieved": (
            [
                (
                    "Máy móc, thiết bị",
                    project.target_machines,
                    acceptance.machines_achieved,
                ),
                ("Học viên", project.target_trainees, acceptance.trainees_achieved),
                ("Sản phẩm", project.target_products, acceptance.products_achieved),
            ]
            if acceptance
            else []
        ),
        "legal_basis_day": _day(basis_day(project, key)),
        "legal_bases": legal_bases(project, basis_day(project, key)),
        "blank": BLANK,
    }


def write_paper(key: str, project: Any, out: Any) -> None:
    from reports.writers.docx import document_context
    from reports.writers.head import official_head

    head = official_head(series="paper")
    paper = PAPERS[key]
    context = document_context(head, title=str(paper.label), subtitle=project.code)
    render(key, context | paper_context(project, head, key=key), out)

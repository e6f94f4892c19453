"""The national exchange file: a province's projects for a period, in one
JSON layout (docs/exchange.schema.json, described in docs/api.md), and the
import that reads it into another instance (a national one aggregating the
provinces' files, or an empty database).

Which projects a period holds is the reports' rule
(reports.queries.period_projects); each funding row carries its money as at
the period's end from the read-model (reports.queries.with_money →
measures.fundings_money_at). The file names records by natural keys (project
codes, plan source and year, commune codes, content numbers, sector codes,
and `ref` numbers given to establishments in a fixed order), never by
database ids, and lists everything in a fixed order: exporting, importing
into an empty database and exporting again gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from enterprises.models import Commune, Establishment, Province, Sector
from enterprises.xlsx import neutralise
from projects.models import (
    Acceptance,
    ActivityContent,
    CarryForward,
    Disbursement,
    EquipmentInvestment,
    Plan,
    Programme,
    Project,
    ProjectFunding,
    Refused,
    Status,
    year_totals,
)
from reports.periods import Period
from reports.queries import period_projects, status_at, with_money

FORMAT = "khuyencong-exchange"
VERSION = 1

ESTABLISHMENT_FIELDS = (
    "name",
    "kind",
    "tax_code",
    "business_registration_no",
    "representative_name",
    "street",
    "legacy_address",
    "founded_year",
    "workers_total",
    "workers_women",
    "workers_ethnic_minority",
    "women_owned",
    "ethnic_minority_owned",
    "main_products",
)
PROJECT_FIELDS = (
    "code",
    "title",
    "status",
    "support_variant",
    "implementing_unit",
    "partner_unit",
    "partner_capacity",
    "is_group",
    "objectives",
    "start_date",
    "end_date",
    "total_cost",
    "support_requested",
    "counterpart",
    "other_sources",
    "target_machines",
    "target_trainees",
    "target_products",
    "baseline_jobs",
    "submitted_on",
    "appraisal_opinion",
    "decision_no",
    "decision_date",
    "rejection_reason",
    "contract_no",
    "contract_date",
    "acceptance_date",
    "acceptance_minutes_no",
    "settled_on",
    "settlement_due_on",
    "cancellation_reason",
)
DATE_FIELDS = {
    "start_date",
    "end_date",
    "submitted_on",
    "decision_date",
    "contract_date",
    "acceptance_date",
    "settled_on",
    "settlement_due_on",
}
EQUIPMENT_FIELDS = (
    "item",
    "specification",
    "maker_origin",
    "supplier_name",
    "supplier_tax_code",
    "quantity",
    "unit_price",
    "total",
    "supported",
    "invoice_no",
    "invoice_date",
    "contract_no",
    "installation_date",
)
ACCEPTANCE_FIELDS = Acceptance.OUTPUT_FIELDS
MONEY_AT_END = (
    ("approved_amount", "approved"),
    ("advanced", "advanced"),
    ("paid", "paid"),
    ("refunded", "refunded"),
    ("disbursed", "disbursed"),
    ("disbursed_in_period", "disbursed_in_period"),
    ("settled_amount", "settled"),
    ("released_amount", "released"),
    ("to_pay_amount", "to_pay"),
)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _record(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _json_value(getattr(obj, name)) for name in names}


def _programme_key(programme: Programme) -> str:
    return f"{programme.source}-{programme.start_year}-{programme.end_year}"


# --- export -----------------------------------------------------------------------


def exchange_export(*, period: Period, province_code: int | None = None) -> dict:
    """The exchange document of `period` (a dict ready for json.dumps)."""
    code = province_code or settings.HOME_PROVINCE_CODE
    province = Province.objects.filter(pk=code).first()
    projects = list(
        Project.objects.filter(pk__in=period_projects(period=period).values("pk"))
        .select_related("content", "commune")
        .prefetch_related("beneficiaries")
        .order_by("code")
    )
    ids = [p.pk for p in projects]
    fundings = list(
        with_money(
            ProjectFunding.objects.filter(project__in=ids).annotate(
                status_at_end=status_at(period.end)
            ),
            period=period,
        )
        .select_related("plan__programme")
        .order_by("project_id", "source")
    )
    plans = {f.plan for f in fundings}
    carry = list(
        CarryForward.objects.filter(project__in=ids).select_related("plan")
    ) + list(
        CarryForward.objects.filter(
            plan__in=[p.pk for p in plans], project__isnull=True
        ).select_related("plan")
    )
    plans |= {c.plan for c in carry}
    programmes = {p.programme for p in plans}

    establishments = sorted(
        {e for p in projects for e in p.beneficiaries.all()},
        key=lambda e: (
            e.commune_id,
            e.name,
            e.tax_code,
            e.business_registration_no,
            e.representative_name,
            e.pk,
        ),
    )
    sectors: dict[int, list[str]] = defaultdict(list)
    for est_id, sector_code in Establishment.sectors.through.objects.filter(
        establishment__in=[e.pk for e in establishments]
    ).values_list("establishment_id", "sector__code"):
        sectors[est_id].append(sector_code)
    refs = {e.pk: f"CS-{n:05d}" for n, e in enumerate(establishments, start=1)}

    by_project: dict[int, list] = defaultdict(list)
    for f in fundings:
        by_project[f.project_id].append(f)
    money_out: dict[int, list] = defaultdict(list)
    # Voided rows (entered by mistake) are not exchanged.
    rows = Disbursement.objects.live().filter(project__in=ids)
    for d in rows.select_related("funding"):
        money_out[d.project_id].append(
            {
                "source": d.funding.source,
                "kind": d.kind,
                "state": d.state,
                "amount": d.amount,
                "date": d.date.isoformat(),
                "voucher_no": d.voucher_no,
                "note": d.note,
            }
        )
    machines: dict[int, list] = defaultdict(list)
    for e in EquipmentInvestment.objects.filter(project__in=ids).prefetch_related(
        "serials"
    ):
        machines[e.project_id].append(
            {
                **_record(e, EQUIPMENT_FIELDS),
                "establishment": refs.get(e.establishment_id),
                "serials": sorted(s.serial for s in e.serials.all()),
            }
        )
    acceptances = {
        a.project_id: _record(a, ACCEPTANCE_FIELDS)
        for a in Acceptance.objects.filter(project__in=ids)
    }
    project_carry: dict[int, list] = defaultdict(list)
    plan_carry = []
    for c in carry:
        row = {
            "source": c.plan.source,
            "year": c.plan.year,
            "decision_no": c.decision_no,
            "decision_date": c.decision_date.isoformat(),
            "amount": c.amount,
            "note": c.note,
        }
        if c.project_id:
            project_carry[c.project_id].append(row)
        else:
            plan_carry.append(row)

    def ordered(rows: list[dict]) -> list[dict]:
        return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))

    return {
        "format": FORMAT,
        "version": VERSION,
        "province": {"code": code, "name": province.name if province else ""},
        "period": {
            "code": period.code,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "programmes": sorted(
            (
                {
                    "key": _programme_key(p),
                    **_record(
                        p,
                        (
                            "source",
                            "name",
                            "start_year",
                            "end_year",
                            "decision_no",
                            "decision_date",
                        ),
                    ),
                }
                for p in programmes
            ),
            key=lambda r: r["key"],
        ),
        "plans": sorted(
            (
                {
                    "programme": _programme_key(p.programme),
                    "source": p.source,
                    **_record(p, ("year", "allocated", "decision_no", "decision_date")),
                }
                for p in plans
            ),
            key=lambda r: (r["source"], r["year"]),
        ),
        "carry_forwards": ordered(plan_carry),
        "establishments": [
            {
                "ref": refs[e.pk],
                **_record(e, ESTABLISHMENT_FIELDS),
                "commune": e.commune_id,
                "sectors": sorted(sectors.get(e.pk, [])),
            }
            for e in establishments
        ],
        "projects": [
            {
                **_record(p, PROJECT_FIELDS),
                "content": p.content.code,
                "commune": p.commune_id,
                "beneficiaries": sorted(refs[e.pk] for e in p.beneficiaries.all()),
                "fundings": [
                    {
                        "source": f.source,
                        "year": f.plan.year,
                        "requested": f.requested,
                        "approved_support": f.approved,
                        "settled_support": f.settled,
                        "as_at_period_end": {
                            label: getattr(f, name) for name, label in MONEY_AT_END
                        },
                    }
                    for f in by_project[p.pk]
                ],
                "carry_forwards": ordered(project_carry[p.pk]),
                "disbursements": ordered(money_out[p.pk]),
                "equipment": ordered(machines[p.pk]),
                "acceptance": acceptances.get(p.pk),
            }
            for p in projects
        ],
    }


def exchange_json(data: dict) -> str:
    """The document as its file: UTF-8 JSON, keys sorted, two-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def exchange_xlsx(data: dict) -> bytes:
    """The same document as a workbook: one sheet per list, one row per item
    (nested lists flattened to their own sheets with the project code)."""
    workbook = Workbook(write_only=True)

    def sheet(title: str, rows: list[dict]) -> None:
        ws = workbook.create_sheet(title)
        nested = {
            key
            for row in rows
            for key, value in row.items()
            if isinstance(value, dict | list)
        }
        columns = list(dict.fromkeys(k for row in rows for k in row if k not in nested))
        ws.append(columns)
        for row in rows:
            ws.append(
                [
                    neutralise(v) if isinstance(v, str) else v
                    for v in (row.get(c) for c in columns)
                ]
            )

    projects = data["projects"]
    sheet("projects", projects)
    sheet(
        "fundings",
        [
            {"project": p["code"], **f, **f["as_at_period_end"]}
            for p in projects
            for f in p["fundings"]
        ],
    )
    sheet(
        "beneficiaries",
        [
            {"project": p["code"], "establishment": r}
            for p in projects
            for r in p["beneficiaries"]
        ],
    )
    sheet(
        "disbursements",
        [{"project": p["code"], **d} for p in projects for d in p["disbursements"]],
    )
    sheet(
        "equipment",
        [{"project": p["code"], **e} for p in projects for e in p["equipment"]],
    )
    sheet("establishments", data["establishments"])
    sheet("plans", data["plans"])
    sheet("programmes", data["programmes"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- import -----------------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _values(row: dict, names: tuple[str, ...]) -> dict[str, Any]:
    return {
        n: (_date(row[n]) if n in DATE_FIELDS or n.endswith("_date") else row[n])
        for n in names
        if n in row
    }


@transaction.atomic
def exchange_import(*, data: dict, by: Any) -> dict[str, int]:
    """Read an exchange document into this database (records it has are
    matched by their keys: plans by source and year, establishments by tax
    code, projects by code — a project already present is refused). Money
    rows go through Disbursement.save(), machines through
    EquipmentInvestment.store(), as any other write. Returns counts."""
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        raise Refused(_("This is not a version 1 exchange file."))
    programmes = {}
    for row in data["programmes"]:
        programme, _created = Programme.objects.get_or_create(
            source=row["source"],
            start_year=row["start_year"],
            end_year=row["end_year"],
            defaults=_values(row, ("name", "decision_no", "decision_date")),
        )
        programmes[row["key"]] = programme
    plans = {}
    for row in data["plans"]:
        plan, _created = Plan.objects.get_or_create(
            programme=programmes[row["programme"]],
            year=row["year"],
            defaults=_values(row, ("allocated", "decision_no", "decision_date")),
        )
        plans[(row["source"], row["year"])] = plan
    for row in data["carry_forwards"]:
        CarryForward.objects.get_or_create(
            plan=plans[(row["source"], row["year"])],
            project=None,
            decision_no=row["decision_no"],
            defaults={
                "decision_date": _date(row["decision_date"]),
                "amount": row["amount"],
                "note": row["note"],
                "recorded_by": by,
            },
        )
    communes = set(Commune.objects.values_list("pk", flat=True))
    sectors = dict(Sector.objects.values_list("code", "pk"))
    establishments: dict[str, Establishment] = {}
    for row in data["establishments"]:
        if row["commune"] not in communes:
            raise Refused(
                _("Unknown commune code %(code)s.") % {"code": row["commune"]}
            )
        existing = (
            Establishment.objects.filter(tax_code=row["tax_code"]).first()
            if row["tax_code"]
            else None
        )
        if existing is None:
            existing = Establishment(
                **_values(row, ESTABLISHMENT_FIELDS), commune_id=row["commune"]
            )
            existing.refresh_search_text()
            existing._history_user = by
            existing.save()
            existing.sectors.set([sectors[c] for c in row["sectors"] if c in sectors])
        establishments[row["ref"]] = existing
    contents = dict(ActivityContent.objects.values_list("code", "pk"))
    imported = 0
    for row in data["projects"]:
        if Project.objects.filter(code=row["code"]).exists():
            raise Refused(
                _("Project %(code)s is already in this database.")
                % {"code": row["code"]}
            )
        if row["content"] not in contents:
            raise Refused(
                _("Unknown activity content %(code)s.") % {"code": row["content"]}
            )
        _import_project(row, plans, establishments, contents, by)
        imported += 1
    return {"projects": imported, "establishments": len(establishments)}


def _import_project(row, plans, establishments, contents, by) -> Project:
    final = row["status"]
    fields = _values(row, PROJECT_FIELDS)
    disbursements = row["disbursements"]
    # Money, machines and results are recorded while the project runs, as
    # the portal records them; the final status is set afterwards.
    working = final
    if disbursements or row["equipment"] or row["acceptance"]:
        settling = any(d["kind"] == "settlement" for d in disbursements)
        working = Status.ACCEPTED if settling else Status.IN_PROGRESS
    fields.update(
        status=working, settled_on=None if working != final else row["settled_on"]
    )
    project = Project(
        **fields,
        content_id=contents[row["content"]],
        commune_id=row["commune"],
        created_by=by,
    )
    project._history_user = by
    project.save()
    project.beneficiaries.set([establishments[r].pk for r in row["beneficiaries"]])
    fundings = {}
    for f in row["fundings"]:
        fundings[f["source"]] = ProjectFunding.objects.create(
            project=project,
            plan=plans[(f["source"], f["year"])],
            source=f["source"],
            requested=f["requested"],
            approved=f["approved_support"],
            settled=f["settled_support"],
        )
    for c in row["carry_forwards"]:
        CarryForward.objects.create(
            plan=plans[(c["source"], c["year"])],
            project=project,
            decision_no=c["decision_no"],
            decision_date=_date(c["decision_date"]),
            amount=c["amount"],
            note=c["note"],
            recorded_by=by,
        )
    for d in disbursements:
        Disbursement(
            funding=fundings[d["source"]],
            kind=d["kind"],
            state=d["state"],
            amount=d["amount"],
            date=_date(d["date"]),
            voucher_no=d["voucher_no"],
            note=d["note"],
            recorded_by=by,
        ).save()
    for e in row["equipment"]:
        values = _values(e, EQUIPMENT_FIELDS)
        values.pop("total", None)
        EquipmentInvestment(
            project=project,
            establishment=establishments[e["establishment"]],
            recorded_by=by,
            **values,
        ).store(serials=e["serials"], by=by)
    if row["acceptance"] is not None:
        Acceptance(
            project=project,
            recorded_by=by,
            **_values(row["acceptance"], ACCEPTANCE_FIELDS),
        ).save()
    if working != final:
        project.status = final
        project.settled_on = _date(row["settled_on"])
        project.save(update_fields=["status", "settled_on"])
    # Written around the frame: the dashboard's year totals follow here.
    year_totals.refresh([project.pk])
    return project

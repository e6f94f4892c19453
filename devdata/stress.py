"""Synthetic data at scale for the benchmark and `seed_demo --scale N` (issue 8).

`seed_scale(n=N)` gives N projects and the registry around them: 10 N
establishments (one sector each), one or two funding rows per project, one to
three beneficiaries, about 4.5 N disbursements, a timeline entry per sent
project and an acceptance per accepted one. Everything is derived from the
row number, so two runs at the same N give the same rows.

The rows hold the invariants the models hold: codes unique and taken after the
code counters (which are moved past them), the parts of a sent project add up,
approved <= requested, advances within the content's share, paid <= approved
per funding row, and a settled row's `settled` equals what was paid.

The rows are written in bulk without the model layer (Disbursement.save()
locks and checks one row at a time, which would take hours): COPY on
PostgreSQL, bulk_create elsewhere (where auto_now_add stamps created_at with
the time of the run instead of the derived date). Settled projects are written
as accepted and settled after their money is in, because the database refuses
money rows of a settled project (migration 0053).

Reusable: the stress rows are owned by one user and marked; the same N again
does nothing, another N replaces them.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from enterprises.models import (
    Commune,
    Establishment,
    EstablishmentKind,
    Sector,
    SupportedTotal,
    SupportedYear,
)
from enterprises.roles import GROUP_NAMES, Role
from enterprises.text import fold
from projects.models import (
    Acceptance,
    ActivityContent,
    CountedBeneficiary,
    Disbursement,
    DisbursementKind,
    Plan,
    Programme,
    Project,
    ProjectCodeCounter,
    ProjectFunding,
    ProjectYear,
    Source,
    Status,
    Transition,
    YearTotal,
)
from projects.models.year_ends import store_year_ends

STRESS_USER = "stress-seed"
STRESS_NOTE = "stress-seed"  # Establishment.notes of the synthetic registry
STRESS_PROGRAMME = "Chương trình khuyến công (dữ liệu thử tải)"
ESTABLISHMENTS_PER_PROJECT = 10
YEARS = (2022, 2023, 2024, 2025, 2026)
BATCH = 50_000

# One status per project, from its number: a mix of a mature portal, with
# most money in running, accepted and settled projects.
_STATUS_CUTS = [
    (5, Status.DRAFT),
    (9, Status.SUBMITTED),
    (11, Status.RETURNED),
    (14, Status.APPRAISED),
    (24, Status.APPROVED),
    (27, Status.REJECTED),
    (57, Status.IN_PROGRESS),
    (72, Status.ACCEPTED),
    (97, Status.SETTLED),
    (100, Status.CANCELLED),
]
COMMITTED = {Status.APPROVED, Status.IN_PROGRESS, Status.ACCEPTED, Status.SETTLED}
PAYING = {Status.IN_PROGRESS, Status.ACCEPTED, Status.SETTLED}
SENT = set(Status) - {Status.DRAFT}

WORDS = {
    "kinds": [
        ("Hợp tác xã", EstablishmentKind.COOPERATIVE),
        ("Công ty TNHH", EstablishmentKind.SMALL_ENTERPRISE),
        ("Hộ kinh doanh", EstablishmentKind.HOUSEHOLD),
        ("Tổ hợp tác", EstablishmentKind.COOPERATIVE_GROUP),
        ("Doanh nghiệp tư nhân", EstablishmentKind.SMALL_ENTERPRISE),
    ],
    "trades": [
        "mây tre đan",
        "chế biến nông sản",
        "dệt thổ cẩm",
        "mộc dân dụng",
        "gốm sứ",
        "chế biến hải sản",
        "cơ khí nhỏ",
        "thêu ren",
        "nước mắm",
        "đá mỹ nghệ",
    ],
    "people": [
        "Nguyễn Thị Lan",
        "Lê Văn Hùng",
        "Trần Thị Mai",
        "Phạm Văn Đức",
        "Hoàng Thị Hoa",
        "Vũ Văn Nam",
        "Đỗ Thị Hương",
        "Bùi Văn Tuấn",
    ],
    "titles": [
        "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong",
        "Xây dựng mô hình trình diễn kỹ thuật sản xuất",
        "Đào tạo nghề, truyền nghề",
        "Hỗ trợ xây dựng thương hiệu sản phẩm",
        "Tư vấn cải tiến sản xuất sạch hơn cho",
    ],
}


def _status(i: int) -> str:
    r = (i * 37) % 100
    return next(status for cut, status in _STATUS_CUTS if r < cut)


# --- writing rows ----------------------------------------------------------------


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class _Writer:
    """Rows of one model as dicts of attnames: COPY on PostgreSQL, bulk_create
    elsewhere. Fields a row leaves out take their model default."""

    def __init__(self, model: type[models.Model], now: dt.datetime) -> None:
        self.model = model
        self.fields = model._meta.concrete_fields
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default():
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif isinstance(f, models.CharField | models.TextField):
                self.defaults[f.attname] = ""
        self.count = 0

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                self._flush(batch)
                batch = []
        if batch:
            self._flush(batch)
        return self.count

    def _flush(self, batch: list[dict[str, Any]]) -> None:
        self.count += len(batch)
        names = [f.attname for f in self.fields]
        if connection.vendor == "postgresql":
            defaults = self.defaults
            buffer = io.StringIO()
            for row in batch:
                buffer.write(
                    "\t".join(
                        _copy_value(row[k] if k in row else defaults[k]) for k in names
                    )
                )
                buffer.write("\n")
            buffer.seek(0)
            columns = ", ".join(
                connection.ops.quote_name(f.column) for f in self.fields
            )
            table = connection.ops.quote_name(self.model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    f"COPY {table} ({columns}) FROM STDIN", buffer
                )
        else:
            self.model.objects.bulk_create(
                [self.model(**{**self.defaults, **row}) for row in batch],
                batch_size=2000,
            )


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _reset_sequences(*model_list: type[models.Model]) -> None:
    sql = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


# --- the data ----------------------------------------------------------------------


class _Scale:
    """What every generator needs: ids, reference rows, the clock."""

    def __init__(self, n: int, user: User) -> None:
        self.n = n
        self.user = user
        self.now = timezone.now()
        self.communes = list(
            Commune.objects.in_province(settings.HOME_PROVINCE_CODE)
            .order_by("code")
            .values_list("code", flat=True)
        )
        self.sectors = list(Sector.objects.order_by("pk").values_list("pk", flat=True))
        self.contents = list(
            ActivityContent.objects.filter(is_active=True)
            .order_by("code")
            .values_list("pk", flat=True)
        )
        self.plans = _plans()
        self.establishment_base = _next_id(Establishment)
        self.project_base = _next_id(Project)
        self.funding_base = _next_id(ProjectFunding)
        # The first free code number of each (source, year), after real ones.
        self.code_start = {
            (c.source, c.year): c.last_number + 1
            for c in ProjectCodeCounter.objects.all()
        }

    def establishment_id(self, j: int) -> int:
        return self.establishment_base + j

    def sources(self, i: int) -> list[str]:
        if i % 10 == 3:
            return [Source.LOCAL, Source.NATIONAL]
        if i % 4 == 0:
            return [Source.NATIONAL]
        return [Source.LOCAL]

    def year(self, i: int) -> int:
        return YEARS[i % len(YEARS)]


def _plans() -> dict[tuple[str, int], int]:
    plans = {}
    for source in Source:
        programme, _created = Programme.objects.get_or_create(
            source=source,
            name=f"{STRESS_PROGRAMME} {source.value}",
            defaults={"start_year": YEARS[0], "end_year": YEARS[-1]},
        )
        for year in YEARS:
            plan, _created = Plan.objects.get_or_create(
                programme=programme, year=year, defaults={"allocated": 0}
            )
            plans[(source.value, year)] = plan.pk
    return plans


def _establishments(s: _Scale) -> Iterator[dict[str, Any]]:
    kinds, trades, people = WORDS["kinds"], WORDS["trades"], WORDS["people"]
    for j in range(s.n * ESTABLISHMENTS_PER_PROJECT):
        prefix, kind = kinds[j % len(kinds)]
        name = f"{prefix} {trades[(j // 5) % len(trades)]} số {j + 1}"
        tax_code = f"39{j:08d}"
        person = people[(j // 3) % len(people)]
        workers = 5 + j % 60
        yield {
            "id": s.establishment_id(j),
            "name": name,
            "kind": kind,
            "tax_code": tax_code,
            "representative_name": person,
            "commune_id": s.communes[j % len(s.communes)],
            "workers_total": workers,
            "workers_women": workers // 2,
            "women_owned": j % 3 == 0,
            "ethnic_minority_owned": j % 7 == 0,
            "founded_year": 1990 + j % 35,
            "notes": STRESS_NOTE,
            "search_text": fold(f"{name} {tax_code} {person}"),
        }


def _establishment_sectors(s: _Scale) -> Iterator[dict[str, Any]]:
    through_id = _next_id(Establishment.sectors.through)
    for j in range(s.n * ESTABLISHMENTS_PER_PROJECT):
        yield {
            "id": through_id + j,
            "establishment_id": s.establishment_id(j),
            "sector_id": s.sectors[(j // 5) % len(s.sectors)],
        }


def _amounts(i: int) -> int:
    """Support requested per funding row: 50 to 440 million đồng."""
    return 50_000_000 + (i % 40) * 10_000_000


class _Projects:
    """Projects and everything hanging from them, generated in one pass so
    that ids and amounts agree; each table is then written from its list."""

    def __init__(self, s: _Scale, start: int, stop: int) -> None:
        self.projects: list[dict[str, Any]] = []
        self.fundings: list[dict[str, Any]] = []
        self.beneficiaries: list[dict[str, Any]] = []
        self.disbursements: list[dict[str, Any]] = []
        self.transitions: list[dict[str, Any]] = []
        self.acceptances: list[dict[str, Any]] = []
        self.settled: list[int] = []
        self.approved_by_plan: dict[int, int] = {}
        self.last_code: dict[tuple[str, int], int] = {}
        for i in range(start, stop):
            self._project(s, i)

    def _project(self, s: _Scale, i: int) -> None:
        pid = s.project_base + i
        status = _status(i)
        year = s.year(i)
        sources = s.sources(i)
        code_source = sources[-1]  # national when any support is national
        # Codes per (source, year) in project order, after the real ones.
        key = (code_source, year)
        number = s.code_start.get(key, 1) + i // len(YEARS)
        self.last_code[key] = max(self.last_code.get(key, 0), number)
        requested = _amounts(i)
        support = requested * len(sources)
        counterpart = support
        other = 10_000_000 if i % 5 == 0 else 0
        created = dt.datetime(year, 1, 2, 8, tzinfo=dt.UTC) + dt.timedelta(
            seconds=(i * 7919) % (330 * 86400)
        )
        start_date = created.date() + dt.timedelta(days=30)
        end_date = start_date + dt.timedelta(days=180 + i % 180)
        contract = start_date if status in PAYING else None
        beneficiaries = 1 + i % 3
        first = i * ESTABLISHMENTS_PER_PROJECT
        commune = s.communes[first % len(s.communes)]
        written_status = Status.ACCEPTED if status == Status.SETTLED else status
        title = WORDS["titles"][i % len(WORDS["titles"])]
        trade = WORDS["trades"][(first // 5) % len(WORDS["trades"])]
        row = {
            "id": pid,
            "code": f"{code_source}-{year}-{number:03d}",
            "title": f"{title} {trade} (đề án thử tải {i + 1})",
            "content_id": s.contents[i % len(s.contents)],
            "commune_id": commune,
            "is_group": beneficiaries > 1,
            "implementing_unit": "Trung tâm Khuyến công",
            "start_date": start_date,
            "end_date": end_date,
            "total_cost": support + counterpart + other,
            "support_requested": support,
            "counterpart": counterpart,
            "other_sources": other,
            "target_machines": 1 + i % 4,
            "target_trainees": 10 * (i % 5),
            "target_products": 100 + i % 900,
            "baseline_jobs": 5 + i % 30,
            "status": written_status,
            "created_by_id": s.user.pk,
            "created_at": created,
            "updated_at": created,
        }
        if status in SENT:
            row["submitted_on"] = created.date() + dt.timedelta(days=3)
            self.transitions.append(
                {
                    "project_id": pid,
                    "action": "submit",
                    "from_status": Status.DRAFT,
                    "to_status": Status.SUBMITTED,
                    "actor_id": s.user.pk,
                    "at": created + dt.timedelta(days=3),
                }
            )
        if status in COMMITTED:
            row["decision_no"] = f"{i + 1}/QĐ-KC"
            row["decision_date"] = created.date() + dt.timedelta(days=20)
        if contract:
            row["contract_no"] = f"{i + 1}/HĐ-KC"
            row["contract_date"] = contract
        if status in (Status.ACCEPTED, Status.SETTLED):
            row["acceptance_date"] = end_date
            row["acceptance_minutes_no"] = f"{i + 1}/BB-NT"
            self.acceptances.append(
                {
                    "project_id": pid,
                    "machines_achieved": 1 + i % 4,
                    "trainees_achieved": 10 * (i % 5),
                    "products_achieved": 100 + i % 900,
                    "jobs_after": 6 + i % 30,
                    "recorded_by_id": s.user.pk,
                }
            )
        if status == Status.SETTLED:
            row["settled_on"] = end_date + dt.timedelta(days=30)
            self.settled.append(pid)
        if status == Status.REJECTED:
            row["rejection_reason"] = "Không đủ điều kiện (dữ liệu thử tải)."
        if status == Status.CANCELLED:
            row["cancellation_reason"] = "Cơ sở rút đề nghị (dữ liệu thử tải)."
        self.projects.append(row)

        for b in range(beneficiaries):
            self.beneficiaries.append(
                {
                    "project_id": pid,
                    "establishment_id": s.establishment_id(first + 3 * b),
                }
            )

        # Disbursements: 4 to 9 per paying project, shared among its sources.
        rows_left = 4 + i % 6 if status in PAYING else 0
        for index, source in enumerate(sources):
            fid = s.funding_base + 2 * i + index
            approved = requested * 9 // 10 if status in COMMITTED else None
            plan = s.plans[(source, year)]
            if approved is not None:
                self.approved_by_plan[plan] = (
                    self.approved_by_plan.get(plan, 0) + approved
                )
            m = rows_left // (len(sources) - index)
            rows_left -= m
            totals = self._money(
                pid, fid, approved or 0, m, status, contract, s.user.pk, year
            )
            paid = totals["advanced_total"] + totals["paid_total"]
            self.fundings.append(
                {
                    "id": fid,
                    "project_id": pid,
                    "plan_id": plan,
                    "source": source,
                    "requested": requested,
                    "approved": approved,
                    "settled": paid if status == Status.SETTLED else None,
                    # The totals the disbursement gate would have stored
                    # (checked against the rows by the trigger at commit).
                    **totals,
                }
            )

    def _money(
        self,
        pid: int,
        fid: int,
        approved: int,
        m: int,
        status: str,
        contract: dt.date | None,
        user_id: int,
        plan_year: int,
    ) -> dict[str, int]:
        """m rows on one funding row: an advance of 20 %, payments of 8 %
        each, and for a settled project a settlement payment up to approved;
        returns the funding row's stored totals."""
        paid = 0
        totals = dict.fromkeys(
            (
                "advanced_total",
                "paid_total",
                "refunded_total",
                "due_total",
                "carried_total",
            ),
            0,
        )
        for k in range(m):
            if k == 0:
                kind, amount = DisbursementKind.ADVANCE, approved // 5
            elif status == Status.SETTLED and k == m - 1:
                kind, amount = DisbursementKind.SETTLEMENT, approved - paid
            else:
                kind, amount = DisbursementKind.PAYMENT, approved * 8 // 100
            if amount <= 0:
                continue
            paid += amount
            day = contract + dt.timedelta(days=15 * (k + 1))
            if kind == DisbursementKind.ADVANCE:
                totals["advanced_total"] += amount
            else:
                totals["paid_total"] += amount
            if day.year > plan_year:
                totals["carried_total"] += amount
            self.disbursements.append(
                {
                    "project_id": pid,
                    "funding_id": fid,
                    "kind": kind,
                    "amount": amount,
                    "date": day,
                    "voucher_no": f"UNC-{fid}-{k + 1}",
                    "recorded_by_id": user_id,
                }
            )
        return totals


def _with_ids(model: type[models.Model], rows: list[dict[str, Any]]) -> list[dict]:
    base = _next_id(model)
    for offset, row in enumerate(rows):
        row["id"] = base + offset
    return rows


def _stress_user() -> User:
    user, _created = User.objects.get_or_create(
        username=STRESS_USER,
        defaults={"first_name": "Dữ liệu", "last_name": "thử tải", "is_active": False},
    )
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.STAFF]))
    return user


def stress_counts() -> dict[str, int]:
    """How many stress rows exist, table by table."""
    projects = Project.objects.filter(created_by__username=STRESS_USER)
    return {
        "establishments": Establishment.objects.filter(notes=STRESS_NOTE).count(),
        "projects": projects.count(),
        "fundings": ProjectFunding.objects.filter(project__in=projects).count(),
        "beneficiaries": Project.beneficiaries.through.objects.filter(
            project__in=projects
        ).count(),
        "disbursements": Disbursement.objects.filter(project__in=projects).count(),
    }


def _remove(stdout: TextIO) -> None:
    """Delete earlier stress rows (another scale), bypassing the model layer
    as the seeding does; settled projects are reopened first so that the
    database lets their money rows go."""
    projects = Project.objects.filter(created_by__username=STRESS_USER)
    ids = projects.values("pk")
    projects.filter(status=Status.SETTLED).update(status=Status.ACCEPTED)
    for model in (Disbursement, Acceptance, Transition):
        model.objects.filter(project__in=ids)._raw_delete(connection.alias)
    Project.beneficiaries.through.objects.filter(project__in=ids)._raw_delete(
        connection.alias
    )
    ProjectFunding.objects.filter(project__in=ids)._raw_delete(connection.alias)
    projects._raw_delete(connection.alias)
    establishments = Establishment.objects.filter(notes=STRESS_NOTE)
    Establishment.sectors.through.objects.filter(
        establishment__in=establishments.values("pk")
    )._raw_delete(connection.alias)
    establishments._raw_delete(connection.alias)
    stdout.write("Removed the earlier stress data (another scale).\n")


def seed_scale(*, n: int, stdout: TextIO) -> None:
    """Make the database hold exactly the stress set of scale n (n projects)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    started = time.perf_counter()
    with transaction.atomic():
        user = _stress_user()
        have = stress_counts()
        wanted = n * ESTABLISHMENTS_PER_PROJECT
        if have["projects"] == n and have["establishments"] == wanted:
            stdout.write(
                f"Stress data at scale {n:,} already present "
                f"({have['establishments']:,} establishments, "
                f"{have['projects']:,} projects, "
                f"{have['disbursements']:,} disbursements): nothing to do.\n"
            )
            return
        if have["projects"] or have["establishments"]:
            _remove(stdout)
        s = _Scale(n, user)

        def step(label: str, count: int, since: float) -> None:
            stdout.write(
                f"  {label}: {count:,} ({time.perf_counter() - since:.1f} s)\n"
            )

        stdout.write(f"Seeding stress data at scale {n:,} ...\n")
        t = time.perf_counter()
        establishments = _Writer(Establishment, s.now).write(_establishments(s))
        step("establishments", establishments, t)
        t = time.perf_counter()
        count = _Writer(Establishment.sectors.through, s.now).write(
            _establishment_sectors(s)
        )
        step("establishment sectors", count, t)

        totals = {"projects": 0, "fundings": 0, "beneficiaries": 0}
        totals.update({"disbursements": 0, "transitions": 0, "acceptances": 0})
        approved_by_plan: dict[int, int] = {}
        last_code: dict[tuple[str, int], int] = {}
        settled: list[int] = []
        writers = {
            "projects": _Writer(Project, s.now),
            "fundings": _Writer(ProjectFunding, s.now),
            "beneficiaries": _Writer(Project.beneficiaries.through, s.now),
            "disbursements": _Writer(Disbursement, s.now),
            "transitions": _Writer(Transition, s.now),
            "acceptances": _Writer(Acceptance, s.now),
        }
        models_of = {
            "beneficiaries": Project.beneficiaries.through,
            "disbursements": Disbursement,
            "transitions": Transition,
            "acceptances": Acceptance,
        }
        t = time.perf_counter()
        for start in range(0, n, BATCH // 5):
            part = _Projects(s, start, min(n, start + BATCH // 5))
            for name, writer in writers.items():
                rows = getattr(part, name)
                if name in models_of:
                    rows = _with_ids(models_of[name], rows)
                writer.write(rows)
            for plan, amount in part.approved_by_plan.items():
                approved_by_plan[plan] = approved_by_plan.get(plan, 0) + amount
            for key, number in part.last_code.items():
                last_code[key] = max(last_code.get(key, 0), number)
            settled += part.settled
        for name, writer in writers.items():
            totals[name] = writer.count
        step(
            "projects, fundings, beneficiaries, disbursements, timeline, acceptances",
            sum(totals.values()),
            t,
        )

        # Now that the money is in, close the settled projects.
        for chunk in range(0, len(settled), 10_000):
            Project.objects.filter(pk__in=settled[chunk : chunk + 10_000]).update(
                status=Status.SETTLED
            )
        # Plans allocate what their projects were approved, and a tenth more.
        for plan, amount in approved_by_plan.items():
            Plan.objects.filter(pk=plan).update(allocated=amount + amount // 10)
        for (source, year), number in last_code.items():
            counter, _created = ProjectCodeCounter.objects.get_or_create(
                source=source, year=year
            )
            if counter.last_number < number:
                counter.last_number = number
                counter.save(update_fields=["last_number"])
        # The timelines were written around the transition frame: their
        # statuses at year end are stored here (projects.models.year_ends),
        # and with them the dashboard's year totals are recomputed from the
        # rows written in bulk (projects.models.year_totals.rebuild).
        store_year_ends()
        _reset_sequences(
            Establishment,
            Establishment.sectors.through,
            Project,
            ProjectFunding,
            Project.beneficiaries.through,
            Disbursement,
            Transition,
            Acceptance,
        )
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner, and the visibility map that lets
        # count(*) read an index only, as autovacuum leaves a live database.
        with connection.cursor() as cursor:
            for model in (
                Establishment,
                Establishment.sectors.through,
                Project,
                ProjectFunding,
                Project.beneficiaries.through,
                Disbursement,
                Transition,
                Acceptance,
                ProjectYear,
                YearTotal,
                CountedBeneficiary,
                SupportedYear,
                SupportedTotal,
            ):
                table = connection.ops.quote_name(model._meta.db_table)
                # VACUUM cannot run inside a transaction (a test's, say).
                vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                cursor.execute(f"{vacuum} {table}")
    stdout.write(
        f"Seeded {totals['projects']:,} projects, {establishments:,} establishments, "
        f"{totals['fundings']:,} funding rows, {totals['beneficiaries']:,} "
        f"beneficiary links, {totals['disbursements']:,} disbursements, "
        f"{totals['transitions']:,} timeline entries and "
        f"{totals['acceptances']:,} acceptances "
        f"in {time.perf_counter() - started:.0f} s.\n"
    )

"""factory_boy factories: one per main model, each making one valid row.

A factory makes a record in its simplest reachable state. Where the portal
writes a record through a service or a guarded model method (a draft through
`project_save_draft`, a machine through `EquipmentInvestment.store`, money
through `Disbursement.save`'s checks, acceptance outputs through
`Acceptance.store`), the factory goes through it too, so that a factory never
makes a row the portal would refuse. States that take several steps
(approved, running, settled...) are built in tests/builders.py.

Reference data loaded by the migrations (communes, sectors, activity
contents, support rules, role groups) is looked up, never invented.
"""

from __future__ import annotations

import datetime as dt
import io

import factory
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from enterprises.models import Commune, Establishment, EstablishmentKind, Sector
from enterprises.roles import GROUP_NAMES, Role
from notifications.models import Notification, NotificationKind
from projects import services
from projects.models import (
    Acceptance,
    ActivityContent,
    Disbursement,
    DisbursementKind,
    EquipmentInvestment,
    ExecutionPhoto,
    Inspection,
    Plan,
    Programme,
    ProgressUpdate,
    Project,
    ProjectFunding,
    Source,
)
from reports.models import ReportJob, ReportSchedule
from reports.periods import Frequency

# Dates the factories and builders agree on: a 2026 plan decided in January;
# projects run from April to November; `builders.advance` signs the contract
# on 1 April, so money and machines are dated after it.
YEAR = 2026
CONTRACT_DAY = dt.date(2026, 4, 1)
PAYMENT_DAY = dt.date(2026, 5, 10)


# --- people -----------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    """A user with password "pw-<username>", in the group of `role` if given."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@kc.test")
    role = None

    @classmethod
    def _create(cls, model_class, *args, role=None, **kwargs):
        username = kwargs.pop("username")
        user = model_class.objects.create_user(
            username, password="pw-" + username, **kwargs
        )
        if role:
            user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
        return user


def make_user(username: str, role: str | None, **extra) -> User:
    """The named user of `role` (None: logged in, holding no role)."""
    return UserFactory(username=username, role=role, **extra)


def staff_user() -> User:
    """The centre's staff member of the `staff` fixture."""
    return make_user("staff", Role.STAFF, first_name="Lê Thị", last_name="Hoa")


def reviewer_user() -> User:
    """The Sở's reviewer of the `reviewer` fixture."""
    return make_user(
        "reviewer", Role.REVIEWER, first_name="Nguyễn Văn", last_name="Minh"
    )


def make_applicant(username: str, establishment: Establishment | None) -> User:
    """An establishment's account, e-mail confirmed and, when `establishment`
    is given, verified by the centre for it."""
    from django.utils import timezone

    from applicants.models import ApplicantLink

    user = UserFactory(username=username, role=Role.APPLICANT)
    code = "0000000000"
    if establishment is not None:
        code = establishment.tax_code or establishment.business_registration_no
    ApplicantLink.objects.create(
        user=user,
        establishment=establishment,
        claimed_code=code,
        claimed_name=establishment.name if establishment else "Cơ sở",
        phone="0912345678",
        email_confirmed_at=timezone.now(),
        verified_at=timezone.now() if establishment else None,
    )
    return user


def pdf(name: str = "giay-phep.pdf") -> SimpleUploadedFile:
    """A small upload whose bytes are a PDF."""
    body = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


# --- reference data and the registry ----------------------------------------------


def home_commune(index: int = 0) -> Commune:
    """The index-th commune (by official code) of the home province."""
    return Commune.objects.in_province(settings.HOME_PROVINCE_CODE).order_by("code")[
        index
    ]


def content(code: int = 4) -> ActivityContent:
    """A seeded activity content (4: advanced machinery, 1: training)."""
    return ActivityContent.objects.get(code=code)


def sector(code: str = "thu-cong-my-nghe") -> Sector:
    return Sector.objects.get(code=code)


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cơ sở sản xuất số {n}")
    kind = EstablishmentKind.SMALL_ENTERPRISE
    # Far from the small numbers tests write by hand ("28{n:08d}").
    tax_code = factory.Sequence(lambda n: f"28{90_000_000 + n:08d}")
    representative_name = "Lê Văn Bình"
    commune = factory.LazyFunction(home_commune)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The registry's forms and import fill the search text; so does this.
        obj = model_class(*args, **kwargs)
        obj.refresh_search_text()
        obj.save()
        return obj

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)


# --- programmes and plans -----------------------------------------------------------


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """The 2026–2030 programme of a source (one per source and first year)."""

    class Meta:
        model = Programme
        django_get_or_create = ("source", "start_year")

    source = Source.LOCAL
    start_year = 2026
    name = factory.LazyAttribute(lambda p: "Chương trình khuyến công " + p.source)
    end_year = 2030
    decision_no = "2646/QĐ-BCT"
    decision_date = dt.date(2025, 12, 1)


class PlanFactory(factory.django.DjangoModelFactory):
    """A programme's plan for a year (one per programme and year)."""

    class Meta:
        model = Plan
        django_get_or_create = ("programme", "year")

    class Params:
        source = Source.LOCAL

    programme = factory.SubFactory(
        ProgrammeFactory, source=factory.SelfAttribute("..source")
    )
    year = YEAR
    allocated = 2_000_000_000
    decision_no = factory.LazyAttribute(lambda p: f"{p.year}/QĐ-UBND")
    decision_date = factory.LazyAttribute(lambda p: dt.date(p.year, 1, 15))


# --- projects -----------------------------------------------------------------------


class ProjectFactory(factory.django.DjangoModelFactory):
    """A draft, written by staff through `project_save_draft`.

    `fundings` maps plans to requested support (default: 120 M đ from the
    local plan); `beneficiaries` defaults to one new establishment. The total
    cost is support + counterpart + other sources unless given.
    """

    class Meta:
        model = Project

    title = "Hỗ trợ máy chế biến gỗ"
    content = factory.LazyFunction(content)
    implementing_unit = "Trung tâm Khuyến công Thanh Hóa"
    start_date = dt.date(2026, 4, 1)
    end_date = dt.date(2026, 11, 30)
    counterpart = 180_000_000
    other_sources = 0
    total_cost = None
    created_by = factory.SubFactory(UserFactory, role=Role.STAFF)
    fundings = factory.LazyFunction(lambda: {PlanFactory(): 120_000_000})
    beneficiaries = factory.LazyFunction(lambda: [EstablishmentFactory()])

    @classmethod
    def _create(cls, model_class, *args, created_by, fundings, beneficiaries, **kwargs):
        if kwargs["total_cost"] is None:
            kwargs["total_cost"] = (
                sum(fundings.values()) + kwargs["counterpart"] + kwargs["other_sources"]
            )
        return services.project_save_draft(
            project=model_class(*args, **kwargs),
            by=created_by,
            fundings=list(fundings.items()),
            beneficiaries=beneficiaries,
        )


class ProjectFundingFactory(factory.django.DjangoModelFactory):
    """One more source on a draft, saved as the draft form saves it."""

    class Meta:
        model = ProjectFunding

    project = factory.SubFactory(ProjectFactory)
    plan = factory.SubFactory(PlanFactory, source=Source.NATIONAL)
    requested = 80_000_000

    @classmethod
    def _create(cls, model_class, *args, project, plan, requested, **kwargs):
        fundings = {f.plan: f.requested for f in project.fundings.all()}
        fundings[plan] = requested
        project.total_cost += requested
        services.project_save_draft(
            project=project,
            by=project.created_by,
            fundings=list(fundings.items()),
            beneficiaries=list(project.beneficiaries.all()),
        )
        return project.fundings.get(source=plan.programme.source)


# --- execution: money, machines, inspections, progress, acceptance, photos ----------


class DisbursementFactory(factory.django.DjangoModelFactory):
    """Money on one funding row of a running `project`, through the checks of
    `Disbursement.save` (paid within approved, advance within its share...).
    `source` picks the row of a two-source project."""

    class Meta:
        model = Disbursement

    kind = DisbursementKind.PAYMENT
    amount = 10_000_000
    date = PAYMENT_DAY
    voucher_no = "PC-01"
    project = None
    source = None
    recorded_by = None

    @classmethod
    def _create(cls, model_class, *args, project, source, recorded_by, **kwargs):
        if "funding" not in kwargs:
            fundings = project.fundings.all()
            kwargs["funding"] = (
                fundings.get(source=source) if source else fundings.get()
            )
        funding = kwargs["funding"]
        row = model_class(
            *args, recorded_by=recorded_by or funding.project.created_by, **kwargs
        )
        row.save()
        return row


class EquipmentInvestmentFactory(factory.django.DjangoModelFactory):
    """A machine for a beneficiary of a running `project`, stored with its
    serials through `EquipmentInvestment.store` (the double-support check)."""

    class Meta:
        model = EquipmentInvestment

    project = None
    establishment = factory.LazyAttribute(lambda m: m.project.beneficiaries.first())
    item = "Máy bào gỗ 4 mặt"
    supplier_name = "Công ty TNHH Cơ khí Việt"
    supplier_tax_code = "2800123456"
    quantity = 1
    unit_price = 200_000_000
    supported = 100_000_000
    invoice_no = factory.Sequence(lambda n: f"{n + 123:08d}")
    invoice_date = dt.date(2026, 5, 2)
    recorded_by = factory.LazyAttribute(lambda m: m.project.created_by)
    serials = factory.Sequence(lambda n: [f"SN-{n:03d}"])

    @classmethod
    def _create(cls, model_class, *args, serials, **kwargs):
        row = model_class(*args, **kwargs)
        return row.store(serials=serials, by=kwargs["recorded_by"])


class InspectionFactory(factory.django.DjangoModelFactory):
    """A planned inspection of `project` (give actual_date once it is done)."""

    class Meta:
        model = Inspection

    project = None
    planned_date = dt.date(2026, 6, 10)
    recorded_by = factory.LazyAttribute(lambda i: i.project.created_by)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    project = None
    date = dt.date(2026, 7, 20)
    progress_percent = 60
    by = factory.LazyAttribute(lambda u: u.project.created_by)


class AcceptanceFactory(factory.django.DjangoModelFactory):
    """The outputs of an accepted `project`, through `Acceptance.store`."""

    class Meta:
        model = Acceptance

    project = None
    recorded_by = factory.LazyAttribute(lambda a: a.project.created_by)

    @classmethod
    def _create(cls, model_class, *args, project, recorded_by, **outputs):
        return model_class.of(project).store(by=recorded_by, outputs=outputs)


def png(name: str = "may.png", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    """A small, real PNG upload."""
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class ExecutionPhotoFactory(factory.django.DjangoModelFactory):
    """A photo of `project` (attach it to `equipment` or `inspection`)."""

    class Meta:
        model = ExecutionPhoto

    project = None
    image = factory.LazyFunction(png)
    caption = "Máy đã lắp đặt"
    uploaded_by = factory.LazyAttribute(lambda p: p.project.created_by)


# --- reports and notifications ------------------------------------------------------


class ReportJobFactory(factory.django.DjangoModelFactory):
    """A queued report request (run it with reports.services.report_generate)."""

    class Meta:
        model = ReportJob

    kind = "progress"
    parameters = factory.LazyFunction(lambda: {"period": str(YEAR)})


class ReportScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSchedule

    kind = "progress"
    frequency = Frequency.QUARTERLY


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread inbox item of `user`."""

    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory, role=Role.STAFF)
    kind = NotificationKind.SUBMITTED
    title = factory.Sequence(lambda n: f"Đề án KCĐP-2026-{n:03d} đã được gửi")
    link = "/"

"""Report 5: one project's dossier for auditors, a PDF and a ZIP of it with
every file of the project.

Who may do what:
- staff, managers and admins ask for a dossier from the project page and
  download its PDF and ZIP;
- reviewers and users without a role may neither ask nor download;
- someone holding the report permissions but unable to see the project (no
  role) never reaches its dossier: its documents are the project's.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from enterprises.models import Commune, EstablishmentKind
from projects import services
from projects.models import (
    ExecutionPhoto,
    Inspection,
    ProgressUpdate,
    Project,
    Source,
    Status,
)
from reports.dossier import safe_stem
from reports.models import ReportJob
from reports.services import (
    dossier_parameters,
    dossier_request,
    report_generate,
    report_request,
)
from reports.tasks import generate
from tests.builders import (
    advance,
    decision,
    machine,
    make_establishment,
    make_plan,
    make_project,
    pay,
)
from tests.factories import make_user, png
from tests.readers import pdf_fonts, pdf_text
from tests.reports.callbacks import enqueued

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process")]

PDF_BYTES = b"%PDF-1.4\n% bien ban nghiem thu\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Typed on a keyboard that sends decomposed letters (NFD).
DECOMPOSED = unicodedata.normalize("NFD", "Biên bản nghiệm thu.pdf")
VOUCHERS = ["UT-01/2026", "PC-02/2026", "PC-03/2026"]


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type)


def build_project(staff, reviewer, *, payments: int = 0) -> Project:
    """A local machinery project, accepted, with two beneficiaries, equipment,
    an inspection with a photo, a progress update, an adjustment, three (or
    more) disbursements and four documents; all through the real services."""
    communes = list(Commune.objects.in_province(38).order_by("code")[:2])
    household = make_establishment(communes[0], "Cơ sở mộc Hoằng Hóa")
    cooperative = make_establishment(
        communes[1],
        "Hợp tác xã cơ khí Quảng Xương",
        kind=EstablishmentKind.COOPERATIVE,
        tax_code="2800999111",
        business_registration_no="HTX-7",
    )
    project = make_project(
        staff,
        {make_plan(Source.LOCAL): 120_000_000},
        beneficiaries=[household, cooperative],
        title="Hỗ trợ ứng dụng máy chế biến gỗ",
        partner_unit="Trường Cao đẳng nghề Thanh Hóa",
        commune=communes[0],
        target_machines=2,
    )
    services.project_attach(
        project=project,
        by=staff,
        kind="proposal",
        upload=upload("Thuyết minh đề án.pdf", PDF_BYTES + b"1"),
    )
    advance(project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    services.project_request_adjustment(
        project=project,
        by=staff,
        reason="Chậm giao máy",
        changes={"end_date": dt.date(2026, 12, 20)},
    )
    services.project_decide_adjustment(
        project=project,
        by=reviewer,
        approve=True,
        comment="Đồng ý gia hạn",
        **decision(project, "adjustment"),
    )
    # Equipment support within the 120,000,000 đ approved (issue 13).
    machine(
        project,
        staff,
        serials=("SN-001", "sn 002"),
        establishment=household,
        supported=60_000_000,
    )
    machine(
        project,
        staff,
        serials=("QX-77",),
        establishment=cooperative,
        item="Máy cưa vòng CNC",
        invoice_no="00000456",
        supported=40_000_000,
    )
    inspection = Inspection.objects.create(
        project=project,
        planned_date=dt.date(2026, 6, 1),
        actual_date=dt.date(2026, 6, 3),
        inspectors="Nguyễn Văn Minh",
        findings="Máy đã lắp đặt, chạy thử đạt.",
        progress_percent=60,
        recorded_by=staff,
    )
    photo = ExecutionPhoto(
        project=project,
        inspection=inspection,
        uploaded_by=staff,
        caption="Máy bào / lắp đặt",
    )
    photo.image.save("hien-truong.png", png(), save=False)
    photo.save()
    ProgressUpdate.objects.create(
        project=project,
        date=dt.date(2026, 7, 1),
        progress_percent=80,
        note="Đã đào tạo vận hành",
        by=staff,
    )
    pay(project, staff, 30_000_000, kind="advance", voucher_no=VOUCHERS[0])
    pay(project, staff, 40_000_000, voucher_no=VOUCHERS[1])
    for i in range(payments):
        pay(project, staff, 100_000, voucher_no=f"PC-X{i:02d}")
    for name, content in [
        # Same name twice, a path in the name, decomposed letters.
        ("Hợp đồng.pdf", PDF_BYTES + b"2"),
        ("Hợp đồng.pdf", PDF_BYTES + b"3"),
        ("..\\..\\Windows\\hóa đơn.pdf", PDF_BYTES + b"4"),
        (DECOMPOSED, PDF_BYTES + b"5"),
    ]:
        services.project_attach(
            project=project, by=staff, kind="contract", upload=upload(name, content)
        )
    services.project_accept(
        project=project,
        by=staff,
        acceptance_date=dt.date(2026, 11, 20),
        minutes_no="12/BB-NT",
        outputs={
            "machines_achieved": 2,
            "jobs_after": 14,
            "lessons_learned": "Cần khảo sát nhà xưởng trước",
        },
    )
    pay(project, staff, 20_000_000, voucher_no=VOUCHERS[2], date=dt.date(2026, 11, 25))
    return project


@pytest.fixture
def project(staff, reviewer) -> Project:
    return build_project(staff, reviewer)


@pytest.fixture
def done(project, manager) -> ReportJob:
    job = dossier_request(project=project, requested_by=manager)
    job = report_generate(job=job)
    assert job.status == ReportJob.Status.DONE, job.error
    return job


def download(client, job: ReportJob, fmt: str) -> bytes:
    response = client.get(reverse("reports:download", args=[job.pk, fmt]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def words(pdf: Path | str) -> str:
    """The PDF's text, NFC, with table cells' line breaks as plain spaces."""
    return " ".join(unicodedata.normalize("NFC", pdf_text(pdf)).split())


def saved(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


# --- the PDF ----------------------------------------------------------------------


def test_the_pdf_holds_every_part_of_the_project(
    as_user, manager, done, project, tmp_path
):
    pdf = saved(tmp_path, "ho-so.pdf", download(as_user(manager), done, "pdf"))
    text = words(pdf)
    for expected in [
        "HỒ SƠ ĐỀ ÁN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ CÔNG THƯƠNG THANH HÓA",
        # Not issued yet: a draft of the dossier series, no number.
        "DỰ THẢO",
        "Số: ..../HS-TTKC",
        "Thanh Hóa, ngày",
        project.code,
        "Hỗ trợ ứng dụng máy chế biến gỗ",
        "Trường Cao đẳng nghề Thanh Hóa",
        # beneficiaries, with tax code and eligibility
        "Hợp tác xã cơ khí Quảng Xương",
        "2800999111",
        "đủ điều kiện",
        # equipment serials as typed, invoices
        "SN-001",
        "sn 002",
        "QX-77",
        "00000456",
        # the approval decision with its authority and signer (issue 14)
        "Ủy ban nhân dân tỉnh",
        "CHỦ TỊCH",
        # timeline, adjustment, inspection, progress, acceptance
        "Đồng ý gia hạn",
        "Chậm giao máy",
        # the adjustment's decision with its authority, the support versions
        "15/QĐ-UBND",
        "Ủy ban nhân dân tỉnh",
        "Các lần duyệt kinh phí hỗ trợ",
        "Máy đã lắp đặt, chạy thử đạt.",
        "Đã đào tạo vận hành",
        "12/BB-NT",
        "Cần khảo sát nhà xưởng trước",
        # money: approved, and the running total after the last payment
        "120.000.000 đ",
        "90.000.000 đ",
        # documents, under their names in the ZIP
        "Thuyết minh đề án.pdf",
        "tai-lieu/05-Biên bản nghiệm thu.pdf",
        "Trang 1/",
    ]:
        assert expected in text, expected
    for voucher in VOUCHERS:
        assert voucher in text, voucher


def test_the_pdf_is_a4_portrait_with_its_fonts_embedded(done, tmp_path):
    path = Path(done.pdf_file.path)
    info = subprocess.run(
        ["pdfinfo", str(path)], check=True, capture_output=True, text=True
    ).stdout
    assert "595.276 x 841.89 pts (A4)" in info  # portrait: width < height
    fonts = pdf_fonts(path)
    assert fonts
    assert all("LiberationSerif" in row[0] for row in fonts), fonts
    # pdffonts columns: ... emb sub uni object ID; "yes" embedded.
    assert all(row[-5] == "yes" for row in fonts), fonts


# --- the ZIP ----------------------------------------------------------------------


def test_the_zip_holds_the_pdf_and_every_file_byte_identical(
    as_user, manager, done, project
):
    archive = zipfile.ZipFile(io.BytesIO(download(as_user(manager), done, "zip")))
    names = archive.namelist()
    assert archive.testzip() is None
    pdf_name = f"ho-so-de-an-{project.code.replace('Đ', 'D')}.pdf"
    assert names[0] == pdf_name
    assert archive.read(pdf_name) == Path(done.pdf_file.path).read_bytes()

    expected = [a.file.read() for a in project.attachments.order_by("uploaded_at")]
    expected += [p.image.read() for p in project.photos.all()]
    assert [archive.read(n) for n in names[1:]] == expected
    assert names[1:] == [
        "tai-lieu/01-Thuyết minh đề án.pdf",
        "tai-lieu/02-Hợp đồng.pdf",
        "tai-lieu/03-Hợp đồng.pdf",
        "tai-lieu/04-hóa đơn.pdf",
        "tai-lieu/05-Biên bản nghiệm thu.pdf",
        "anh/01-Máy bào _ lắp đặt.png",
    ]
    for name in names:
        assert unicodedata.is_normalized("NFC", name)
        assert not name.startswith("/") and "\\" not in name
        assert ".." not in name.split("/")
    assert len({n.casefold() for n in names}) == len(names)


def test_a_file_gone_from_storage_is_named_missing_not_silently_dropped(
    as_user, manager, project, tmp_path
):
    gone = project.attachments.get(original_name="Thuyết minh đề án.pdf")
    gone.file.storage.delete(gone.file.name)
    job = report_generate(job=dossier_request(project=project, requested_by=manager))
    assert job.status == ReportJob.Status.DONE, job.error
    archive = zipfile.ZipFile(io.BytesIO(download(as_user(manager), job, "zip")))
    assert not any("Thuyết minh" in n for n in archive.namelist())
    assert "Tệp không còn trong kho lưu trữ" in words(job.pdf_file.path)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("..", "x"),
        ("   ", "x"),
        ("CON", "x"),
        ('bảng "giá"?:*', "bảng _giá"),
        (unicodedata.normalize("NFD", "Hợp đồng"), "Hợp đồng"),
        ("a" * 200, "a" * 80),
    ],
)
def test_names_inside_the_zip_are_safe(raw, safe):
    assert safe_stem(raw, fallback="x") == safe


# --- the job path, pages and permissions ---------------------------------------


def test_staff_ask_from_the_project_page_and_follow_the_job(
    as_user, staff, project, django_capture_on_commit_callbacks
):
    client = as_user(staff)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="dossier"' in page
    assert "Hồ sơ đề án (PDF + ZIP)" in page

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("reports:dossier", args=[project.pk]))
    assert enqueued(callbacks) == 1  # enqueued once the row is committed
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:detail", args=[job.pk])
    assert job.kind == "dossier"
    assert job.requested_by == staff
    assert job.parameters == {"project_id": project.pk, "project_code": project.code}
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.formats == ["pdf", "zip"]
    assert not job.xlsx_file

    html = client.get(response.url).content.decode()
    assert project.title in html
    assert reverse("reports:download", args=[job.pk, "pdf"]) in html
    assert reverse("reports:download", args=[job.pk, "zip"]) in html
    assert reverse("reports:download", args=[job.pk, "xlsx"]) not in html
    history = client.get(reverse("reports:history")).content.decode()
    assert project.code in history
    assert reverse("reports:download", args=[job.pk, "zip"]) in history

    inbox = client.get(reverse("dashboard:inbox")).content.decode()
    assert project.code in inbox


def test_a_running_dossier_shows_its_progress(as_user, staff, project):
    job = dossier_request(project=project, requested_by=staff)
    html = as_user(staff).get(reverse("reports:detail", args=[job.pk])).content
    assert b'data-testid="job-progress"' in html
    status = as_user(staff).get(reverse("reports:status", args=[job.pk])).json()
    assert status["finished"] is False


def test_reviewers_see_no_button_and_may_not_ask_but_download(
    as_user, reviewer, project, done
):
    """The Sở's reviewers read and download every report and request none: a
    project they can see has its dossier's files open to them, but no button
    and no way to ask for one."""
    client = as_user(reviewer)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="dossier"' not in page
    assert client.post(reverse("reports:dossier", args=[project.pk])).status_code == 403
    for fmt in ("pdf", "zip"):
        url = reverse("reports:download", args=[done.pk, fmt])
        assert client.get(url).status_code == 200
    assert ReportJob.objects.count() == 1


def test_anonymous_users_are_sent_to_the_login(client, project, done):
    response = client.post(reverse("reports:dossier", args=[project.pk]))
    assert response.status_code == 302
    assert "/dang-nhap/" in response.url
    response = client.get(reverse("reports:download", args=[done.pk, "zip"]))
    assert response.status_code == 302
    assert "/dang-nhap/" in response.url


def test_report_permissions_without_sight_of_the_project_reach_nothing(
    client, project, done, staff, reviewer
):
    """The reports' pages ask the one permission policy, which reads roles:
    permissions given by hand to a user without a role open nothing. And a
    role that reads reports but may not see a project (a reviewer, a draft)
    reaches neither the dossier nor the job's pages."""
    outsider = make_user("outsider", None)
    outsider.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reports",
            codename__in=["view_reportjob", "add_reportjob"],
        )
    )
    client.force_login(outsider)
    assert client.post(reverse("reports:dossier", args=[project.pk])).status_code == 403
    assert client.get(reverse("reports:detail", args=[done.pk])).status_code == 403

    plan = project.fundings.first().plan
    draft = make_project(staff, {plan: 10_000_000}, title="Bản nháp")
    hidden = report_generate(job=dossier_request(project=draft, requested_by=staff))
    client.force_login(reviewer)
    for url in [
        reverse("reports:detail", args=[hidden.pk]),
        reverse("reports:status", args=[hidden.pk]),
        reverse("reports:download", args=[hidden.pk, "pdf"]),
        reverse("reports:download", args=[hidden.pk, "zip"]),
    ]:
        assert client.get(url).status_code == 404, url
    # The same role reads the dossier of a project it sees, and any table.
    assert client.get(reverse("reports:detail", args=[done.pk])).status_code == 200
    table = report_generate(
        job=report_request(
            kind="establishments",
            parameters={"period": "2026", "formats": ["xlsx"]},
        )
    )
    url = reverse("reports:download", args=[table.pk, "xlsx"])
    assert client.get(url).status_code == 200


def test_the_generic_form_does_not_offer_the_dossier(as_user, manager):
    client = as_user(manager)
    html = client.get(reverse("reports:request")).content.decode()
    assert 'value="dossier"' not in html
    response = client.post(
        reverse("reports:request"), {"kind": "dossier", "period": "2026"}
    )
    assert response.status_code == 200
    assert not ReportJob.objects.exists()


def test_a_dossier_of_a_deleted_project_fails_readably(manager):
    job = report_request(
        kind="dossier",
        parameters={"project_id": 987654, "project_code": "KCĐP-2026-999"},
        requested_by=manager,
    )
    job = report_generate(job=job)
    assert job.status == ReportJob.Status.FAILED
    assert "đề án không còn tồn tại" in job.error


def test_a_dossier_asked_as_excel_fails_readably(project, manager):
    job = report_request(
        kind="dossier",
        parameters={"project_id": project.pk, "formats": ["xlsx"]},
        requested_by=manager,
    )
    job = report_generate(job=job)
    assert job.status == ReportJob.Status.FAILED
    assert "là tệp PDF hoặc tệp nén ZIP" in job.error
    assert not job.xlsx_file


# --- cost ---------------------------------------------------------------------------

# Job: savepoint, lock, mark running, release (4); progress at 10, 50 and
# every tenth of the ZIP (5 at most, whatever the number of files); the two
# files saved on the row (2); done (1). Dossier: the project with content,
# commune, creator and acceptance; fundings; beneficiaries; equipment;
# serials; timeline; the eligibility rule of the decision date; adjustments;
# inspections; progress updates; disbursements; documents; photos with their
# record (13); what documents print, the official settings row (1). The adjustment
# changes a date only, so naming communes or establishments costs nothing.
# The decisions, and the versions of the approved support (the funding rows'
# history and the decisions the versions name): 3.
DOSSIER_QUERIES = 29


@pytest.mark.parametrize("payments", [0, 15])
def test_the_query_count_does_not_grow_with_disbursements(
    staff, reviewer, manager, payments, django_assert_num_queries
):
    project = build_project(staff, reviewer, payments=payments)
    job = dossier_request(project=project, requested_by=manager)
    with django_assert_num_queries(DOSSIER_QUERIES):
        job = report_generate(job=job)
    assert job.status == ReportJob.Status.DONE, job.error
    assert project.disbursements.count() == 3 + payments


# --- with a broker: a real Celery worker -------------------------------------------


@pytest.fixture
def through_the_broker():
    """Undo `in_process` for one test: the task goes to Redis and a worker."""
    conf = generate.app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = False
    yield
    conf.task_always_eager = saved


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)  # reference data: post_migrate after flush
def test_a_real_worker_produces_the_dossier(
    worker_queue,
    start_worker,
    wait_for_job,
    through_the_broker,
    staff,
    reviewer,
):
    project = build_project(staff, reviewer)
    job = ReportJob.objects.create(
        kind="dossier", parameters=dossier_parameters(project=project)
    )
    start_worker()
    generate.apply_async(args=[job.pk], queue=worker_queue)
    job = wait_for_job(job)
    assert job.status == ReportJob.Status.DONE, job.error
    assert project.code in words(job.pdf_file.path)
    names = zipfile.ZipFile(job.zip_file.path).namelist()
    assert len(names) == 1 + 5 + 1


# --- the command line -------------------------------------------------------------


def test_the_command_writes_a_dossier_zip_and_pdf(project, tmp_path):
    out = tmp_path / "ho-so.zip"
    call_command(
        "generate_report", "dossier", "--project", str(project.pk),
        "--format", "zip", "--output", str(out),
    )  # fmt: skip
    names = zipfile.ZipFile(out).namelist()
    assert len(names) == 1 + 5 + 1
    job = ReportJob.objects.get()
    assert job.parameters["formats"] == ["zip"]
    assert job.zip_file and not job.pdf_file

    pdf = tmp_path / "ho-so.pdf"
    call_command(
        "generate_report", "dossier", "--project", str(project.pk),
        "--format", "pdf", "--output", str(pdf),
    )  # fmt: skip
    assert project.code in pdf_text(pdf)


def test_the_command_refuses_a_dossier_without_project_or_as_excel(project, tmp_path):
    out = str(tmp_path / "x")
    with pytest.raises(CommandError, match="cần --project"):
        call_command("generate_report", "dossier", "--output", out)
    with pytest.raises(CommandError, match="Không có đề án"):
        call_command(
            "generate_report", "dossier", "--project", "999999", "--output", out
        )
    with pytest.raises(CommandError, match="xlsx không dùng"):
        call_command(
            "generate_report", "dossier", "--project", str(project.pk),
            "--format", "xlsx", "--output", out,
        )  # fmt: skip
    assert not ReportJob.objects.exists()

"""An establishment follows the project made from its request: the steps in
plain words, who acts next, deadlines, the centre's papers, the money
received and the inspections; never another establishment's project."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from applicants.models import RequestStatus
from projects import services
from projects.lifecycle import deciding_authority
from tests.builders import approve_and_pay, support_request
from tests.factories import InspectionFactory, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_project(coso_a, staff, reviewer, local_plan):
    item = support_request(
        coso_a, status=RequestStatus.ACCEPTED, staff=staff, plan=local_plan
    )
    project = approve_and_pay(item.project, staff=staff, reviewer=reviewer)
    InspectionFactory(
        project=project, planned_date=dt.date(2026, 7, 1), recorded_by=staff
    )
    return project


def test_the_establishment_sees_its_project_step_by_step(client, coso_a, paid_project):
    client.force_login(coso_a)
    page = client.get(reverse("applicants:project", args=[paid_project.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    # Where it stands, in plain words, and who acts next.
    assert "Hợp đồng đã ký" in html
    # Each step of the local route explained, the decision left to the body
    # the route names (not the ministry: this is a local project).
    assert "Sở đã tiếp nhận hồ sơ đầy đủ; hội đồng xét chọn sẽ chấm điểm" in html
    assert "Hội đồng xét chọn đã chấm điểm đề án; Sở sẽ thẩm định" in html
    body = deciding_authority(paid_project).name
    assert f"Đề án đã được thẩm định; chờ {body} quyết định phê duyệt." in html
    assert "Bộ Công Thương" not in html
    assert "Chuyên viên Trung tâm" in html
    # The decision, its PDF, the money and the inspection.
    assert 'data-decision="approval"' in html
    assert f"Quyết định số 123/QĐ ngày 20/03/2026 ({body})" in html
    assert "quyet-dinh-phe-duyet.pdf" in html
    assert "40.000.000" in html
    assert "Dự kiến ngày 01/07/2026" in html
    paper = paid_project.attachments.get()
    download = client.get(
        reverse("applicants:project_document", args=[paid_project.pk, paper.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_every_decision_on_the_project_is_listed(
    client, coso_a, reviewer, paid_project
):
    services.project_cancel(
        project=paid_project,
        by=reviewer,
        reason="Cơ sở ngừng sản xuất",
        decision_no="9/QĐ-HUY",
        decision_date=dt.date(2026, 9, 1),
    )
    client.force_login(coso_a)
    html = client.get(
        reverse("applicants:project", args=[paid_project.pk])
    ).content.decode()
    assert 'data-decision="approval"' in html
    assert 'data-decision="cancellation"' in html
    assert "Quyết định số 9/QĐ-HUY ngày 01/09/2026" in html
    assert "Đề án đã bị hủy." in html


def test_the_centres_internal_papers_are_not_served(
    client, coso_a, staff, paid_project
):
    proposal = services.project_attach(
        project=paid_project, by=staff, kind="proposal", upload=pdf("to-trinh.pdf")
    )
    client.force_login(coso_a)
    page = client.get(reverse("applicants:project", args=[paid_project.pk]))
    assert "to-trinh.pdf" not in page.content.decode()
    url = reverse("applicants:project_document", args=[paid_project.pk, proposal.pk])
    assert client.get(url).status_code == 404


def test_another_establishment_never_opens_the_project(client, coso_b, paid_project):
    paper = paid_project.attachments.get()
    client.force_login(coso_b)
    for url in (
        reverse("applicants:project", args=[paid_project.pk]),
        reverse("applicants:project_document", args=[paid_project.pk, paper.pk]),
    ):
        assert client.get(url).status_code == 404, url
    mine = client.get(reverse("applicants:projects")).content.decode()
    assert paid_project.code not in mine


def test_the_project_page_pins_its_queries(
    client, coso_a, paid_project, django_assert_num_queries
):
    client.force_login(coso_a)
    url = reverse("applicants:project", args=[paid_project.pk])
    client.get(url)
    # 16: with the route (and its steps), which names the deciding body,
    # and the decisions.
    with django_assert_num_queries(16):
        client.get(url)

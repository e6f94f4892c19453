"""One search for every list: accents, case, đ and decomposed text forgiven
(issue 17), the same on SQLite and PostgreSQL (CI runs this on PostgreSQL).
"""

from __future__ import annotations

import unicodedata

import pytest

from enterprises.models import Commune, Establishment
from enterprises.text import search
from projects.models import Project, Source
from reports.models import ReportJob
from tests.builders import make_establishment, make_plan, make_project
from tests.factories import PlanFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

# (typed, finds "Đông Sơn, Thanh Hóa")
FORGIVEN = [
    "thanh hoa",
    "Thanh Hóa",
    "THANH HÓA",
    "dong son",
    "Đông",
    "đông",
    "ĐÔNG SƠN",
    unicodedata.normalize("NFD", "Thanh Hóa"),
    "hoa dong",  # words in any order
]
MISSED = ["thanh hoai", "dongson", "Nghệ An"]


@pytest.fixture
def rows(staff):
    commune = Commune.objects.filter(province_id=38).first()
    wanted = make_establishment(commune, name="Cơ sở mây tre Đông Sơn, Thanh Hóa")
    other = make_establishment(
        commune, name="Hợp tác xã gốm Bát Tràng", business_registration_no="HKD-2"
    )
    for e in (wanted, other):
        e.refresh_search_text()
        e.save()
    plan = make_plan(Source.LOCAL)
    project = make_project(
        staff, {plan: 100_000_000}, title="Máy dệt cho Đông Sơn, Thanh Hóa"
    )
    make_project(staff, {plan: 100_000_000}, title="Lò gốm Bát Tràng")
    # Stored decomposed, as a paste from a PDF might have been before the
    # form middleware: still found.
    decomposed = make_project(staff, {plan: 100_000_000}, title="Lò sấy")
    Project.objects.filter(pk=decomposed.pk).update(
        title=unicodedata.normalize("NFD", "Lò sấy Đông Sơn, Thanh Hóa")
    )
    return {"establishment": wanted, "projects": {project.pk, decomposed.pk}}


@pytest.mark.parametrize("typed", FORGIVEN)
def test_the_search_function_forgives_accents_case_and_nfd(rows, typed):
    found = search(Project.objects.all(), typed, "code", "title")
    assert set(found.values_list("pk", flat=True)) == rows["projects"]
    assert list(Establishment.objects.search(typed)) == [rows["establishment"]]


@pytest.mark.parametrize("typed", MISSED)
def test_the_search_function_finds_nothing_else(rows, typed):
    assert not search(Project.objects.all(), typed, "code", "title").exists()
    assert not Establishment.objects.search(typed).exists()


@pytest.mark.parametrize("typed", FORGIVEN)
def test_every_list_page_forgives(rows, as_user, staff, typed):
    client = as_user(staff)
    projects = client.get("/de-an/", {"q": typed}).content.decode()
    assert (
        projects.count("Đông Sơn, Thanh Hóa")
        + projects.count(unicodedata.normalize("NFD", "Đông Sơn, Thanh Hóa"))
        == 2
    )
    assert "Bát Tràng" not in projects
    establishments = client.get("/co-so/", {"q": typed}).content.decode()
    assert "Cơ sở mây tre Đông Sơn, Thanh Hóa" in establishments
    assert "Bát Tràng" not in establishments


def test_a_project_is_found_by_its_code_in_lower_case(rows, as_user, staff):
    code = Project.objects.get(pk=min(rows["projects"])).code
    page = as_user(staff).get("/de-an/", {"q": code.lower()}).content.decode()
    assert code in page


@pytest.mark.parametrize("typed", ["thanh hoa", "THANH HÓA", "hoa"])
def test_the_plan_list_forgives(as_user, manager, typed):
    wanted = ProgrammeFactory(
        source=Source.LOCAL, name="Chương trình khuyến công tỉnh Thanh Hóa"
    )
    PlanFactory(programme=wanted, decision_no="15/QĐ-UBND")
    PlanFactory(source=Source.NATIONAL, decision_no="99/QĐ-BCT")
    page = as_user(manager).get("/ke-hoach/", {"q": typed}).content.decode()
    assert "15/QĐ-UBND" in page and "99/QĐ-BCT" not in page


def test_the_plan_list_finds_a_source_by_its_name_or_code(as_user, manager):
    PlanFactory(source=Source.LOCAL, decision_no="15/QĐ-UBND")
    PlanFactory(source=Source.NATIONAL, decision_no="99/QĐ-BCT")
    client = as_user(manager)
    for typed in ("dia phuong", "kcdp"):
        page = client.get("/ke-hoach/", {"q": typed}).content.decode()
        assert "15/QĐ-UBND" in page and "99/QĐ-BCT" not in page


@pytest.mark.parametrize("typed", ["dong", "Đông", "nguyen dong", "tong ket"])
def test_the_report_history_forgives(as_user, manager, typed):
    manager.first_name, manager.last_name = "Nguyễn Văn", "Đông"
    manager.save()
    ReportJob.objects.create(
        kind="yearly_summary", parameters={"year": 2026}, requested_by=manager
    )
    other = ReportJob.objects.create(kind="establishments", parameters={})
    page = as_user(manager).get("/bao-cao/lich-su/", {"q": typed})
    jobs = list(page.context["page"].object_list)
    assert len(jobs) == 1 and jobs[0] != other

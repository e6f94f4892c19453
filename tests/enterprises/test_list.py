"""The establishment list: search, filters, sorting, pages, export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.models import Establishment, EstablishmentKind, Region, Sector
from enterprises.services import COLUMNS, establishment_import
from tests.factories import EstablishmentFactory, home_commune

pytestmark = pytest.mark.django_db

LIST = reverse("enterprises:establishment_list")
EXPORT = reverse("enterprises:establishment_export")


def names(response) -> list[str]:
    return [e.name for e in response.context["page"].object_list]


def bulk(n: int, sector: Sector) -> None:
    """n establishments with a sector each, quickly."""
    communes = [home_commune(i) for i in range(5)]
    objs = []
    for i in range(n):
        est = Establishment(
            name=f"Cơ sở {i:04d}",
            kind=EstablishmentKind.HOUSEHOLD,
            business_registration_no=f"HKD{i:05d}",
            representative_name="Lê Văn Bình",
            commune=communes[i % 5],
        )
        est.refresh_search_text()
        objs.append(est)
    Establishment.objects.bulk_create(objs)
    through = Establishment.sectors.through
    through.objects.bulk_create(
        through(establishment_id=e.pk, sector_id=sector.pk)
        for e in Establishment.objects.all()
    )


@pytest.mark.parametrize("rows", [25, 250])
def test_the_list_costs_the_same_queries_for_25_or_250_rows(
    rows, staff, as_user, sector, django_assert_num_queries
):
    bulk(rows, sector)
    client = as_user(staff)
    # session, user, user's groups (roles: the permission policy reads them),
    # the chosen sector, sectors and home communes for the filter form, count,
    # page, sectors of the page.
    with django_assert_num_queries(11):  # 9 + the to-do and unread badges
        response = client.get(LIST, {"sector": sector.pk, "order": "-workers"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


def test_the_commune_filter_offers_only_the_home_provinces_communes(staff, as_user):
    response = as_user(staff).get(LIST)
    field = response.context["filter"].form.fields["commune"]
    assert field.queryset.count() == 166
    assert response.content.decode().count("<option") < 300


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("thanh hoa", "Hợp tác xã mây tre Thanh Hóa"),
        ("THANH HÓA", "Hợp tác xã mây tre Thanh Hóa"),
        ("dong", "Cơ sở rèn Đông Sơn"),
        ("Đông sơn", "Cơ sở rèn Đông Sơn"),
        ("2801234567", "Cơ sở rèn Đông Sơn"),
        ("nguyen thi", "Hợp tác xã mây tre Thanh Hóa"),
    ],
)
def test_it_searches_without_accents(query, found, staff, as_user):
    EstablishmentFactory(
        name="Hợp tác xã mây tre Thanh Hóa", representative_name="Nguyễn Thị Lan"
    )
    EstablishmentFactory(name="Cơ sở rèn Đông Sơn", tax_code="2801234567")
    EstablishmentFactory(name="Công ty gốm Bát Tràng")
    response = as_user(staff).get(LIST, {"q": query})
    assert names(response) == [found]


def test_it_filters_by_kind_sector_commune_region_and_women_owned(
    staff, as_user, sector
):
    coastal = home_commune(3)
    coastal.region = Region.COASTAL
    coastal.save()
    a = EstablishmentFactory(name="A", women_owned=True, commune=coastal)
    a.sectors.add(sector)
    EstablishmentFactory(
        name="B",
        kind=EstablishmentKind.COOPERATIVE,
        commune=home_commune(1),
    )
    client = as_user(staff)
    assert names(client.get(LIST, {"kind": "cooperative"})) == ["B"]
    assert names(client.get(LIST, {"sector": sector.pk})) == ["A"]
    assert names(client.get(LIST, {"commune": coastal.pk})) == ["A"]
    assert names(client.get(LIST, {"region": "coastal"})) == ["A"]
    assert names(client.get(LIST, {"women_owned": "true"})) == ["A"]
    assert names(client.get(LIST, {"women_owned": "false"})) == ["B"]
    assert names(client.get(LIST, {"commune": 99999999})) == ["A", "B"]


def test_it_sorts_and_paginates(staff, as_user, sector):
    bulk(120, sector)
    client = as_user(staff)
    first = client.get(LIST, {"order": "-name"})
    assert names(first)[0] == "Cơ sở 0119"
    assert len(names(first)) == 50
    third = client.get(LIST, {"order": "-name", "page": 3})
    assert names(third)[-1] == "Cơ sở 0000"
    assert "order=-name&amp;page=2" in third.content.decode()


def test_every_role_may_read_the_registry_but_not_a_user_without_role(
    staff, reviewer, manager, admin_user, nobody, client
):
    detail = reverse(
        "enterprises:establishment_detail", args=[EstablishmentFactory().pk]
    )
    for user in (staff, reviewer, manager, admin_user):
        client.force_login(user)
        assert client.get(LIST).status_code == 200
        assert client.get(EXPORT).status_code == 200
        assert client.get(detail).status_code == 200
    client.force_login(nobody)
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert client.get(detail).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in (LIST, EXPORT, reverse("enterprises:establishment_create")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_navigation_links_to_the_registry(reviewer, as_user):
    response = as_user(reviewer).get(reverse("home"))
    assert f'href="{LIST}"' in response.content.decode()


def test_the_export_follows_the_filters_and_keeps_numbers_numeric(
    staff, as_user, sector
):
    a = EstablishmentFactory(
        name="Cơ sở rèn Đông Sơn",
        workers_total=12,
        workers_women=3,
        yearly_revenue=1_350_000_000,
        founded_year=2001,
    )
    a.sectors.add(sector)
    EstablishmentFactory(name="Công ty gốm")
    response = as_user(staff).get(EXPORT, {"q": "dong son"})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(c.title for c in COLUMNS)
    assert len(rows) == 2
    record = dict(zip([c.field for c in COLUMNS], rows[1], strict=True))
    assert record["name"] == "Cơ sở rèn Đông Sơn"
    assert record["workers_total"] == 12 and isinstance(record["workers_total"], int)
    assert record["yearly_revenue"] == 1_350_000_000
    assert isinstance(record["yearly_revenue"], int)
    assert record["founded_year"] == 2001
    assert record["sectors"] == sector.name


def test_the_export_neutralises_formulas_and_imports_back_unchanged(
    staff, as_user, sector
):
    a = EstablishmentFactory(
        name="=cmd|' /C calc'!A0",
        notes="+84 912 345 678",
        street="@SUM(A1)",
        workers_total=5,
        yearly_revenue=900_000_000,
    )
    a.sectors.add(sector)
    EstablishmentFactory(
        name="Hộ kinh doanh Lê Văn Tám",
        kind=EstablishmentKind.HOUSEHOLD,
        tax_code="",
        business_registration_no="28A8012345",
        women_owned=True,
    )
    content = as_user(staff).get(EXPORT).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [c for r in sheet.iter_rows() for c in r]
    assert not [c for c in cells if c.data_type == "f"]
    assert "'=cmd|' /C calc'!A0" in [c.value for c in cells]

    before = {e.pk: (e.name, e.notes, e.street) for e in Establishment.objects.all()}
    result = establishment_import(file=io.BytesIO(content))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    after = {e.pk: (e.name, e.notes, e.street) for e in Establishment.objects.all()}
    assert after == before


# --- a count that stops at a cap (issue 8) -----------------------------------------


def test_a_search_beyond_the_cap_says_more_than_and_pages_up_to_it(
    staff, as_user, sector, monkeypatch
):
    monkeypatch.setattr("enterprises.views.COUNT_CAP", 100)
    bulk(120, sector)
    client = as_user(staff)
    response = client.get(LIST, {"q": "co so", "order": "name"})
    paginator = response.context["page"].paginator
    assert paginator.capped and paginator.count == 100 and paginator.num_pages == 2
    html = response.content.decode()
    assert "Hơn 100 cơ sở" in html
    assert "Trang 1/hơn 2" in html
    # The last page reachable is the cap's, and says why there is no next one.
    last = client.get(LIST, {"q": "co so", "order": "name", "page": 9})
    assert last.context["page"].number == 2
    assert names(last) == [f"Cơ sở {i:04d}" for i in range(50, 100)]
    assert 'data-testid="capped"' in last.content.decode()
    assert "page=3" not in last.content.decode()
    # At or under the cap the count is exact, with no "more than".
    narrow = client.get(LIST, {"q": "co so 008"})
    assert not narrow.context["page"].paginator.capped
    assert narrow.context["page"].paginator.count == 11
    assert "Hơn 11" not in narrow.content.decode()


def test_the_whole_registry_is_counted_up_to_the_cap_too(
    staff, as_user, sector, monkeypatch
):
    # A million establishments unfiltered cost what a broad search costs.
    monkeypatch.setattr("enterprises.views.COUNT_CAP", 100)
    bulk(120, sector)
    response = as_user(staff).get(LIST)
    paginator = response.context["page"].paginator
    assert paginator.capped and paginator.count == 100
    assert "Hơn 100 cơ sở" in response.content.decode()
    monkeypatch.setattr("enterprises.views.COUNT_CAP", 120)
    paginator = as_user(staff).get(LIST).context["page"].paginator
    assert not paginator.capped and paginator.count == 120


def test_a_broad_search_in_no_chosen_order_lists_newest_first_and_says_so(
    staff, as_user, sector, monkeypatch
):
    monkeypatch.setattr("enterprises.views.COUNT_CAP", 100)
    bulk(120, sector)
    client = as_user(staff)
    broad = client.get(LIST, {"q": "co so"})
    assert names(broad) == [f"Cơ sở {i:04d}" for i in range(119, 69, -1)]
    html = broad.content.decode()
    assert 'data-testid="broad-search"' in html
    assert '<option value="-created" selected>' in html
    # Page 2 follows the same order; the export too, as on screen.
    second = client.get(LIST, {"q": "co so", "page": 2})
    assert names(second) == [f"Cơ sở {i:04d}" for i in range(69, 19, -1)]
    sheet = load_workbook(
        io.BytesIO(client.get(EXPORT, {"q": "co so"}).content)
    ).worksheets[0]
    exported = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert exported[:2] == ["Cơ sở 0119", "Cơ sở 0118"] and len(exported) == 120
    # An order the user chose is kept; a narrow search is sorted by name.
    by_name = client.get(LIST, {"q": "co so", "order": "name"})
    assert names(by_name)[0] == "Cơ sở 0000"
    assert 'data-testid="broad-search"' not in by_name.content.decode()
    narrow = client.get(LIST, {"q": "co so 008"})
    assert names(narrow)[:2] == ["Cơ sở 0008", "Cơ sở 0080"]


@pytest.mark.parametrize("params", [{"q": "co so"}, {"q": "co so 01"}, {}])
def test_capped_or_not_the_list_costs_the_same_queries(
    params, staff, as_user, sector, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("enterprises.views.COUNT_CAP", 100)
    bulk(120, sector)
    client = as_user(staff)
    client.get(LIST, params)
    # session, user, roles (the permission policy reads them), to-do and
    # unread badges, sectors and communes of the form, count, page, page's
    # sectors
    with django_assert_num_queries(10):
        assert client.get(LIST, params).status_code == 200


def test_registration_order_is_the_primary_keys(staff, as_user, sector):
    bulk(3, sector)
    client = as_user(staff)
    assert names(client.get(LIST, {"order": "created"})) == [
        "Cơ sở 0000",
        "Cơ sở 0001",
        "Cơ sở 0002",
    ]
    assert names(client.get(LIST, {"order": "-created"}))[0] == "Cơ sở 0002"

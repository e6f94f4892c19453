"""The public transparency page: who sees what.

Anonymous visitors (and anyone else) see approved-and-later projects only,
with the fields an administrator has not withheld; the CSV and XLSX of what
is filtered carry exactly the same; drafts and projects with the Sở never
appear.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from public.models import WithheldField, Withholding
from tests.builders import M

pytestmark = pytest.mark.django_db

URL = "/cong-khai/"
SECRETS = ("Bản nháp chưa gửi", "Đề án đang chờ", "Dự án không công bố")


def page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def csv_rows(client, **params) -> list[list[str]]:
    response = client.get(reverse("public:csv"), params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(client, **params) -> list[tuple]:
    response = client.get(reverse("public:xlsx"), params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_it_is_open_without_login_and_in_vietnamese(client, world):
    html = page(client)
    assert 'lang="vi"' in html
    assert "Đăng nhập" in html  # the staff sign-in link, no staff menu
    assert 'id="main-nav"' not in html
    assert world.approved.title in html
    assert world.approved.code in html


def test_drafts_and_unapproved_projects_never_appear(client, world):
    html = page(client)
    for title in SECRETS:
        assert title not in html
    for code in (world.draft.code, world.submitted.code, world.hidden.code):
        assert code not in html
    flat = str(csv_rows(client)) + str(xlsx_rows(client))
    for text in (*SECRETS, world.draft.code, world.hidden.code):
        assert text not in flat


def test_withheld_fields_never_appear_on_the_page_or_in_downloads(client, world):
    html = page(client)
    assert world.partly.code in html
    assert "Máy dệt chiếu cói" in html
    assert world.secret.name not in html
    assert "2807654321" not in html
    assert "Không công bố" in html
    downloads = str(csv_rows(client)) + str(xlsx_rows(client))
    assert world.secret.name not in downloads
    assert "2807654321" not in downloads
    # Its approved support (90 M) shows nowhere, not even in the total.
    row = next(r for r in csv_rows(client) if r[0] == world.partly.code)
    assert row[8] == ""
    assert not re.search(r"(?<![\d.])90\.000\.000", html)


def test_household_businesses_are_published_by_name_and_commune_only(client, world):
    world.household.tax_code = "2809999999"
    world.household.save()
    cache.clear()
    html = page(client)
    assert world.household.name in html
    assert world.household.commune.name in html
    assert "2809999999" not in html
    assert world.household.representative_name not in html
    # An enterprise's registered tax code is public.
    assert world.enterprise.tax_code in html


def test_money_comes_from_the_read_model_and_results_from_acceptance(client, world):
    rows = {r[0]: r for r in csv_rows(client)[1:]}
    assert rows[world.approved.code][8] == str(70 * M)
    assert rows[world.accepted.code][12] == "2"  # machines achieved
    assert rows[world.accepted.code][15] == "25"  # jobs after
    html = page(client)
    # approved 70 M + accepted 120 M (the withheld 90 M is left out)
    assert "190.000.000" in html


def test_filters_and_accent_insensitive_search(client, world):
    html = page(client, q="may say nong san")
    assert world.approved.code in html
    assert world.accepted.code not in html
    html = page(client, commune=world.household.commune_id)
    assert world.approved.code in html
    assert world.accepted.code not in html
    html = page(client, region="lowland")
    assert world.accepted.code in html
    assert world.approved.code not in html
    assert world.accepted.code in str(csv_rows(client, region="lowland"))
    assert world.approved.code not in str(csv_rows(client, region="lowland"))
    assert world.approved.code in page(client, year=2026, source="KCDP")
    assert world.approved.code not in page(client, year=2025)


def test_a_filter_on_a_withheld_field_does_not_reveal_it(client, world):
    Withholding.objects.create(
        project=world.approved, field=WithheldField.COMMUNE, reason="Lý do"
    )
    Withholding.objects.create(
        project=world.accepted, field=WithheldField.TITLE, reason="Lý do"
    )
    cache.clear()
    assert world.approved.code not in page(client, commune=world.household.commune_id)
    assert world.accepted.code not in page(client, q="che bien go")
    assert world.accepted.code in page(client, q=world.accepted.code)
    assert "Hỗ trợ máy chế biến gỗ" not in page(client)


def test_downloads_are_formula_safe(client, world):
    world.approved.title = '=HYPERLINK("http://x")'
    world.approved.save()
    cache.clear()
    row = next(r for r in csv_rows(client) if r[0] == world.approved.code)
    assert row[5].startswith("'=")
    row = next(r for r in xlsx_rows(client) if r[0] == world.approved.code)
    assert row[5].startswith("'=")


def test_a_warm_page_costs_no_query(client, world, django_assert_num_queries, settings):
    settings.KC_PUBLIC_CACHE_SECONDS = 3600
    cache.clear()
    # The page (test_query_pins.PUBLIC_QUERIES), then nothing.
    with django_assert_num_queries(13):
        page(client)
    with django_assert_num_queries(0):
        page(client)


def test_the_query_count_does_not_grow_with_the_page(
    client, world, staff, reviewer, django_assert_num_queries, settings
):
    settings.KC_PUBLIC_CACHE_SECONDS = 0
    with django_assert_num_queries(13):
        page(client)
    from projects.models import Source
    from tests.builders import make_plan, running

    plan = make_plan(Source.LOCAL, year=2026)
    for _ in range(3):
        running(staff, reviewer, plan, world.enterprise, 10 * M)
    with django_assert_num_queries(13):
        page(client)


def test_a_write_retires_the_cached_page(
    client, world, django_capture_on_commit_callbacks, settings
):
    settings.KC_PUBLIC_CACHE_SECONDS = 3600
    assert world.partly.code in page(client)
    with django_capture_on_commit_callbacks(execute=True):
        Withholding.objects.create(
            project=world.partly, field=WithheldField.PROJECT, reason="Thanh tra"
        )
    assert world.partly.code not in page(client)


def test_tiles_count_only_what_is_published(client, world):
    html = page(client)
    assert 'data-testid="public-tiles"' in html
    # The coastal commune's only project has its support withheld: no money
    # and no project count shows through the tile's region row.
    coastal = html.split('data-key="coastal"')[1].split("</tr>")[0]
    assert not re.search(r"(?<![\d.])90\.000\.000", coastal)


def test_the_public_api_publishes_the_same_and_nothing_withheld(
    client, world, django_assert_num_queries
):
    response = client.get("/api/v1/public/projects/")
    assert response.status_code == 200
    text = response.content.decode()
    for secret in (*SECRETS, world.draft.code, world.hidden.code, world.secret.name):
        assert secret not in text
    rows = {r["code"]: r for r in response.json()["results"]}
    assert set(rows) == {world.approved.code, world.accepted.code, world.partly.code}
    partly = rows[world.partly.code]
    assert partly["beneficiaries"] is None
    assert partly["approved"] is None
    assert partly["fundings"][0]["approved"] is None
    assert partly["withheld"] == ["beneficiaries", "support"]
    assert rows[world.approved.code]["approved"] == 70 * M
    assert rows[world.approved.code]["beneficiaries"][0]["tax_code"] == ""
    # Filters as on the page; one page costs the same whatever its size.
    response = client.get("/api/v1/public/projects/", {"q": "may say"})
    assert [r["code"] for r in response.json()["results"]] == [world.approved.code]
    for size in (1, 3):
        with django_assert_num_queries(6):
            client.get("/api/v1/public/projects/", {"page_size": size})

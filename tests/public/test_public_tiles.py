"""The public page's tiles by commune follow the filters, as the table and the
downloads do: one selection of projects for everything the page shows."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

URL = "/cong-khai/"


def region_projects(client, **params) -> dict[str, int]:
    """The tiles' region table: projects counted per region."""
    response = client.get(URL, params)
    assert response.status_code == 200
    tiles = response.content.decode().split('data-testid="public-tiles"')[1]
    rows = re.findall(
        r'<tr data-key="(\w+)"><td>[^<]*</td><td class="num">\d+</td>'
        r'<td class="num">(\d+)</td>',
        tiles.split("</table>")[0],
    )
    return {region: int(count) for region, count in rows}


@pytest.mark.parametrize("cache_seconds", [0, 3600])
def test_the_tiles_count_what_the_filters_select(
    client, world, settings, cache_seconds
):
    # Cached or not: each set of filters has its own tiles.
    settings.KC_PUBLIC_CACHE_SECONDS = cache_seconds
    everything = region_projects(client)
    assert everything["mountain"] == 1  # the approved project
    assert everything["lowland"] == 1  # the accepted one
    assert everything["coastal"] == 0  # its support is withheld: not counted

    searched = region_projects(client, q="may say nong san")
    assert (searched["mountain"], searched["lowland"]) == (1, 0)
    in_region = region_projects(client, region="lowland")
    assert (in_region["mountain"], in_region["lowland"]) == (0, 1)
    in_commune = region_projects(client, commune=world.household.commune_id)
    assert (in_commune["mountain"], in_commune["lowland"]) == (1, 0)
    by_content = region_projects(client, content=world.accepted.content_id)
    assert by_content["lowland"] == 1
    assert by_content["mountain"] == (
        1 if world.approved.content_id == world.accepted.content_id else 0
    )
    assert sum(region_projects(client, source="KCQG").values()) == 0
    assert region_projects(client, year=2026, source="KCDP") == everything


def test_a_filtered_past_year_widens_the_tiles_window(client, world, settings):
    settings.KC_PUBLIC_CACHE_SECONDS = 0
    html = client.get(URL, {"year": 2019}).content.decode()
    assert "Hỗ trợ theo xã, phường từ năm 2019" in html
    assert sum(region_projects(client, year=2019).values()) == 0

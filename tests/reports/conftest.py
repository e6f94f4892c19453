"""Fixtures for the report tests: a handful of establishments across regions."""

from __future__ import annotations

import pytest

from enterprises.models import (
    Commune,
    Establishment,
    EstablishmentKind,
    Province,
    Sector,
)
from reports.tasks import generate


def three_communes() -> list[Commune]:
    """Three Thanh Hóa communes; created when a transactional test has flushed
    the units the migrations load."""
    province, _ = Province.objects.get_or_create(
        code=38,
        defaults={
            "name": "Thanh Hóa",
            "division_type": "tỉnh",
            "codename": "thanh_hoa",
        },
    )
    communes = list(Commune.objects.in_province(38).order_by("code")[:3])
    for code, name in [
        (90001, "Xã Nga Sơn"),
        (90002, "Xã Hoằng Hóa"),
        (90003, "Phường Sầm Sơn"),
    ]:
        if len(communes) >= 3:
            break
        commune, _ = Commune.objects.get_or_create(
            code=code,
            defaults={
                "province": province,
                "name": name,
                "division_type": "xã",
                "codename": name,
            },
        )
        communes.append(commune)
    return communes


def make_establishments(n: int) -> list[Establishment]:
    communes = three_communes()
    regions = ["mountain", "lowland", "coastal"]
    for commune, region in zip(communes, regions, strict=True):
        commune.region = region
        commune.save(update_fields=["region"])
    weaving, _ = Sector.objects.get_or_create(name="Dệt may", defaults={"code": "DET"})
    food, _ = Sector.objects.get_or_create(
        name="Chế biến nông sản", defaults={"code": "CB"}
    )
    kinds = [EstablishmentKind.COOPERATIVE, EstablishmentKind.SMALL_ENTERPRISE]
    made = []
    for i in range(n):
        e = Establishment.objects.create(
            name=f"Hợp tác xã Mây tre đan Nga Sơn {i}",
            kind=kinds[i % 2],
            tax_code=f"28{i:08d}",
            representative_name="Lê Thị Hoa",
            commune=communes[i % 3],
            workers_total=10 + i,
            workers_women=i % 7,
            women_owned=i % 3 == 0,
        )
        e.sectors.add(weaving if i % 2 else food)
        made.append(e)
    return made


@pytest.fixture
def in_process():
    """Run tasks in-process whatever the environment, as `make run` does: the
    tests that use it are about the job's code path, not about the broker."""
    conf = generate.app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture
def establishments(db) -> list[Establishment]:
    return make_establishments(25)

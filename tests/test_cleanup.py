"""The suite's end of a transactional test (tests/cleanup.py) leaves what
Django's flush leaves: as many rows in every table (the reference data put
back, everything else empty), the role groups with the same permissions;
whether it left the reference data in place or, a test having changed it,
put it back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from enterprises.models import Commune
from projects.models import Source

from .builders import make_establishment, make_plan, settled
from .cleanup import django_tables, flush, may_delete_everything
from .factories import home_commune, reviewer_user, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


def rows_per_table() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in django_tables():
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def groups() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        }
        for group in Group.objects.prefetch_related("permissions__content_type")
    }


def written() -> None:
    """Rows in most tables, a settled project among them."""
    plan = make_plan(Source.LOCAL)
    establishment = make_establishment(home_commune())
    settled(staff_user(), reviewer_user(), plan, establishment)


def test_the_suites_cleanup_leaves_what_djangos_flush_leaves():
    if not may_delete_everything("default"):
        pytest.skip("Django's own flush ends transactional tests here")
    written()
    call_command("flush", interactive=False, verbosity=0)
    by_django, groups_by_django = rows_per_table(), groups()
    assert any(by_django.values())  # the reference data is back

    # Django's flush gave the reference rows new ids: the cleanup's first
    # pass puts them back too.
    written()
    flush()
    assert rows_per_table() == by_django
    assert groups() == groups_by_django

    # Nothing changed them since: they stay, with their ids.
    communes = dict(Commune.objects.values_list("pk", "code"))
    written()
    flush()
    assert rows_per_table() == by_django
    assert groups() == groups_by_django
    assert dict(Commune.objects.values_list("pk", "code")) == communes


def test_reference_data_a_test_changed_is_put_back():
    if not may_delete_everything("default"):
        pytest.skip("Django's own flush ends transactional tests here")
    flush()
    by_flush, groups_by_flush = rows_per_table(), groups()
    commune = home_commune()
    region = commune.region
    written()
    Commune.objects.filter(pk=commune.pk).update(region="changed")
    Group.objects.get(name=next(iter(groups_by_flush))).permissions.clear()

    flush()
    assert rows_per_table() == by_flush
    assert groups() == groups_by_flush
    assert home_commune().region == region


def test_the_guards_refuse_to_delete_settled_money_so_the_cleanup_lifts_them():
    """Deleting a settled project's payments is refused while the project is
    there (projects_refuse_settled_money), whichever table comes first in the
    cleanup: it switches the triggers off, and ends this test."""
    if connection.vendor != "postgresql":
        pytest.skip("the guard is PostgreSQL's trigger; SQLite relies on the models")
    written()
    with (
        pytest.raises(DatabaseError, match="settled"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM projects_disbursement")

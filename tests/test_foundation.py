"""The shell every other feature stands on: locale, roles, login, health."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from enterprises.admin_units import load_admin_units
from enterprises.models import Commune, Province
from enterprises.roles import GROUP_NAMES, ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db


# --- locale ---------------------------------------------------------------


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_it_groups_thousands_with_dots_in_vietnamese():
    with translation.override("vi"):
        assert render("{{ n }}", n=1234567) == "1.234.567"
        assert render("{% load kc %}{{ n|money }}", n=1350000000) == "1.350.000.000 đ"


def test_it_groups_thousands_with_commas_in_english():
    with translation.override("en"):
        assert render("{{ n }}", n=1234567) == "1,234,567"


class DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_it_reads_dates_day_first(language):
    with translation.override(language):
        form = DateForm({"day": "05/03/2025"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == dt.date(2025, 3, 5)


def test_it_still_accepts_iso_dates_from_date_inputs():
    with translation.override("vi"):
        form = DateForm({"day": "2025-03-05"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == dt.date(2025, 3, 5)


def test_it_shows_times_in_hanoi_time():
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    noon_utc = dt.datetime(2025, 3, 5, 5, 0, tzinfo=dt.UTC)
    local = timezone.localtime(noon_utc)
    assert local.hour == 12
    assert local.utcoffset() == dt.timedelta(hours=7)
    assert local.tzinfo == zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    with translation.override("vi"):
        assert render("{{ t|date:'SHORT_DATETIME_FORMAT' }}", t=noon_utc) == (
            "12:00 05/03/2025"
        )


def test_it_translates_the_login_page_to_vietnamese(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body
    assert "Mật khẩu" in body


# --- login and roles --------------------------------------------------------


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_logs_in_and_out_with_a_password(client, staff):
    response = client.post(
        reverse("login"), {"username": "staff", "password": "pw-staff"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_refused_in_vietnamese(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": "x"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


@pytest.mark.parametrize(
    ("fixture", "label"),
    [
        ("staff", "Chuyên viên Trung tâm"),
        ("reviewer", "Thẩm định viên"),
        ("manager", "Lãnh đạo"),
        ("admin_user", "Quản trị viên"),
    ],
)
def test_each_role_sees_its_home_page(request, as_user, fixture, label):
    client = as_user(request.getfixturevalue(fixture))
    body = client.get("/").content.decode()
    assert f"<strong>{label}</strong>" in body


def test_only_the_administrator_sees_the_administration_link(
    as_user, staff, admin_user
):
    admin_url = reverse("admin:index")
    assert admin_url not in as_user(staff).get("/").content.decode()
    assert admin_url in as_user(admin_user).get("/").content.decode()


def test_a_user_without_role_is_told_so(as_user, nobody):
    body = as_user(nobody).get("/").content.decode()
    assert "chưa được phân vai trò" in body


def test_password_change_page_is_vietnamese(as_user, staff):
    client = as_user(staff)
    body = client.get(reverse("password_change")).content.decode()
    assert "Mật khẩu cũ" in body
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-staff",
            "new_password1": "Khuyen-cong-2026!",
            "new_password2": "Khuyen-cong-2026!",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Khuyen-cong-2026!")


def test_role_groups_exist_with_their_permissions():
    for role, name in GROUP_NAMES.items():
        group = Group.objects.get(name=name)
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert granted == set(ROLE_PERMISSIONS[role]), role


def test_every_listed_permission_exists():
    existing = {
        f"{app}.{code}"
        for app, code in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    listed = {p for perms in ROLE_PERMISSIONS.values() for p in perms}
    assert listed - existing == set()


def test_reviewer_cannot_add_establishments_but_staff_can(staff, reviewer):
    assert staff.has_perm("enterprises.add_establishment")
    assert not reviewer.has_perm("enterprises.add_establishment")
    assert Role.REVIEWER.label


# --- administrative units -------------------------------------------------


def test_thanh_hoa_has_166_communes_after_setup():
    assert Province.objects.count() == 34
    thanh_hoa = Province.objects.get(code=38)
    assert thanh_hoa.name == "Thanh Hóa"
    communes = Commune.objects.filter(province=thanh_hoa)
    assert communes.count() == 166
    assert communes.filter(division_type="phường").count() == 19


def test_loading_units_twice_creates_nothing_and_keeps_regions():
    before = Commune.objects.count()
    commune = Commune.objects.filter(province_id=38).first()
    commune.region = "mountain"
    commune.save()
    result = load_admin_units()
    assert (result.provinces_created, result.communes_created) == (0, 0)
    assert Commune.objects.count() == before
    commune.refresh_from_db()
    assert commune.region == "mountain"


def test_loading_units_repairs_a_renamed_commune():
    commune = Commune.objects.filter(province_id=38).first()
    official = commune.name
    Commune.objects.filter(pk=commune.pk).update(name="Tên sai")
    result = load_admin_units()
    assert result.communes_updated == 1
    commune.refresh_from_db()
    assert commune.name == official


# --- health ---------------------------------------------------------------


def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    data = response.json()
    assert data["database"] == "ok"
    expected = "ok" if settings.CELERY_BROKER_URL else "in-process"
    assert data["broker"] == expected


def test_healthz_fails_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"


def test_heartbeat_task_runs_in_process_without_a_broker(client, settings):
    from reports.tasks import heartbeat

    heartbeat.apply(kwargs={"worker": "test-worker"})
    assert client.get(reverse("healthz")).json()["worker_last_seen"]


@pytest.mark.django_db(transaction=True)
def test_reference_data_survives_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert Commune.objects.filter(province_id=38).count() == 166
    assert Group.objects.filter(name__in=GROUP_NAMES.values()).count() == len(
        GROUP_NAMES
    )


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


# --- login throttling -----------------------------------------------------


def test_it_locks_a_username_after_five_failures_from_one_address(client, staff):
    for _ in range(5):
        client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "staff", "password": "pw-staff"}
    )
    assert response.status_code == 429
    assert "Đăng nhập tạm thời bị khóa" in response.content.decode()
    # Another address is not locked out with the same username.
    response = client.post(
        reverse("login"),
        {"username": "staff", "password": "pw-staff"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 302


def test_it_takes_the_client_address_from_trusted_proxies_only(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged = "6.6.6.6, 203.0.113.7"  # the client wrote 6.6.6.6 itself
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "staff", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=forged,
        )
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [
        "203.0.113.7"
    ]
    # A different forged prefix does not escape the lock on the real address.
    response = client.post(
        reverse("login"),
        {"username": "staff", "password": "pw-staff"},
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7",
    )
    assert response.status_code == 429


@pytest.mark.django_db(transaction=True)
def test_seeded_reference_tables_survive_a_flush():
    from enterprises.models import Sector
    from projects.models import ActivityContent, SupportRule

    call_command("flush", interactive=False, verbosity=0)
    assert Sector.objects.count() >= 8
    assert ActivityContent.objects.count() == 11
    assert SupportRule.objects.exists()

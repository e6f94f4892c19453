"""Every amount of đồng, in every form, the admin and imports, is read by
enterprises.money.parse_amount (issue 13, point 1): the fields, the pages
without JavaScript, and the admin.

Who may see what: staff write projects; the administrator keeps plans in the
admin."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from enterprises.money import MoneyField, MoneyFormField, MoneyInput
from projects.models import Plan, Project
from tests.builders import make_plan
from tests.factories import content

pytestmark = pytest.mark.django_db

OUR_APPS = {"enterprises", "projects", "reports", "dashboard", "notifications"}


def test_every_amount_column_is_a_money_field():
    """A BigIntegerField of ours holds đồng (sizes and ids aside), so it must
    be a MoneyField: its forms then read 250.000.000 as 250 million."""
    plain = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.concrete_fields
        if isinstance(field, models.BigIntegerField)
        # The history tables' copy of a row's id.
        and field.name != "id"
        # The dashboard's year totals (projects.models.year_totals) and
        # supported establishments' counts (enterprises.models.supported):
        # sums and counts kept by the services, never typed in a form.
        and model._meta.model_name not in {"projectyear", "yeartotal", "supportedtotal"}
        and not isinstance(
            field, MoneyField | models.PositiveBigIntegerField | models.BigAutoField
        )
    ]
    assert plain == []


def test_a_money_column_gives_the_money_field_even_where_a_number_box_is_asked():
    field = Plan._meta.get_field("allocated")
    for form_field in (
        field.formfield(),
        # What the admin asks for a BigIntegerField.
        field.formfield(widget=models.BigIntegerField().formfield().widget),
    ):
        assert isinstance(form_field, MoneyFormField)
        assert isinstance(form_field.widget, MoneyInput)
        assert (form_field.min_value, form_field.max_value) == (0, 999_999_999_999_999)


def draft(**amounts) -> dict:
    return {
        "title": "Hỗ trợ máy sấy nông sản",
        "content": content().pk,
        "implementing_unit": "Trung tâm Khuyến công",
        "start_date": "01/04/2026",
        "end_date": "30/11/2026",
        "target_machines": "1",
        "target_trainees": "0",
        "target_products": "0",
        "baseline_jobs": "0",
        "fundings-TOTAL_FORMS": "2",
        "fundings-INITIAL_FORMS": "0",
        "fundings-MIN_NUM_FORMS": "0",
        "fundings-MAX_NUM_FORMS": "2",
        **amounts,
    }


def test_the_project_form_saves_amounts_typed_the_vietnamese_way_without_javascript(
    as_user, staff
):
    plan = make_plan("KCDP")
    response = as_user(staff).post(
        reverse("projects:create"),
        draft(
            total_cost="620.000.000",
            counterpart="370 000 000",
            other_sources="0",
            **{"fundings-0-plan": plan.pk, "fundings-0-requested": "250.000.000"},
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get()
    assert (project.total_cost, project.counterpart) == (620_000_000, 370_000_000)
    assert project.fundings.get().requested == 250_000_000
    page = as_user(staff).get(project.get_absolute_url()).content.decode()
    assert "250.000.000 đ" in page
    assert "620.000.000 đ" in page


def test_the_project_form_refuses_a_decimal_next_to_the_field(as_user, staff):
    plan = make_plan("KCDP")
    response = as_user(staff).post(
        reverse("projects:create"),
        draft(
            total_cost="abc",
            counterpart="250,5",
            other_sources="0",
            **{"fundings-0-plan": plan.pk, "fundings-0-requested": "2.50.000"},
        ),
    )
    assert response.status_code == 200
    assert Project.objects.count() == 0
    assert response.context["form"].errors == {
        "total_cost": ["Nhập số tiền bằng chữ số, ví dụ 250.000.000."],
        "counterpart": [
            "Không phải số đồng nguyên: đồng không có phần thập phân, và dấu phẩy "
            "không phải dấu tách hàng nghìn. Tách hàng nghìn bằng dấu chấm: "
            "250.000.000."
        ],
    }
    assert response.context["fundings"].errors[0] == {
        "requested": [
            "Các chữ số chưa được tách thành nhóm ba chữ số. Viết ví dụ 2.500.000 "
            "hoặc 2500000."
        ]
    }
    page = response.content.decode()
    assert 'value="250,5"' in page  # shown as typed, to be corrected


def test_the_admin_reads_a_plan_budget_typed_the_vietnamese_way(client, admin_user):
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    programme = make_plan("KCDP").programme
    response = client.post(
        reverse("admin:projects_plan_add"),
        {
            "programme": programme.pk,
            "year": "2027",
            "allocated": "2.500.000.000",
            "decision_no": "15/QĐ-UBND",
            "decision_date": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Plan.objects.get(year=2027).allocated == 2_500_000_000
    page = client.get(reverse("admin:projects_plan_add")).content.decode()
    assert 'data-money=""' in page
    assert "js/money-input.js" in page

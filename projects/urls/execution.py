"""URLs of execution and money pages (issue 5), namespace "money"."""

from django.urls import path

from ..views import execution, money

app_name = "money"

urlpatterns = [
    path("thuc-hien/", execution.execution_list, name="list"),
    path("de-an/<int:pk>/thuc-hien/", execution.project_execution, name="project"),
    path("de-an/<int:pk>/lich-su-thay-doi/", execution.project_history, name="history"),
    path(
        "de-an/<int:pk>/thiet-bi/them/", execution.equipment_form, name="equipment_add"
    ),
    path(
        "de-an/<int:pk>/thiet-bi/<int:equipment_pk>/sua/",
        execution.equipment_form,
        name="equipment_edit",
    ),
    path(
        "de-an/<int:pk>/thiet-bi/<int:equipment_pk>/xoa/",
        execution.equipment_delete,
        name="equipment_delete",
    ),
    path(
        "de-an/<int:pk>/giai-ngan/them/",
        money.disbursement_form,
        name="disbursement_add",
    ),
    path(
        "de-an/<int:pk>/giai-ngan/<int:disbursement_pk>/sua/",
        money.disbursement_form,
        name="disbursement_edit",
    ),
    path(
        "de-an/<int:pk>/giai-ngan/<int:disbursement_pk>/xoa/",
        money.disbursement_delete,
        name="disbursement_delete",
    ),
    path(
        "de-an/<int:pk>/giai-ngan/<int:disbursement_pk>/hoan-tra/",
        money.refund_confirm,
        name="refund_confirm",
    ),
    path(
        "de-an/<int:pk>/kiem-tra/them/",
        execution.inspection_form,
        name="inspection_add",
    ),
    path(
        "de-an/<int:pk>/kiem-tra/<int:inspection_pk>/sua/",
        execution.inspection_form,
        name="inspection_edit",
    ),
    path("de-an/<int:pk>/tien-do/them/", execution.progress_form, name="progress_add"),
    # Voiding a record entered by mistake (POST, with the reason).
    path(
        "de-an/<int:pk>/giai-ngan/<int:record_pk>/huy-bo/",
        execution.record_void,
        {"record": "disbursement"},
        name="disbursement_void",
    ),
    path(
        "de-an/<int:pk>/kiem-tra/<int:record_pk>/huy-bo/",
        execution.record_void,
        {"record": "inspection"},
        name="inspection_void",
    ),
    path(
        "de-an/<int:pk>/tien-do/<int:record_pk>/huy-bo/",
        execution.record_void,
        {"record": "progress"},
        name="progress_void",
    ),
    path("de-an/<int:pk>/nghiem-thu/", execution.acceptance_form, name="acceptance"),
    path("de-an/<int:pk>/anh/them/", execution.photo_add, name="photo_add"),
    path("de-an/<int:pk>/anh/<int:photo_pk>/", execution.photo_file, name="photo"),
    path(
        "de-an/<int:pk>/anh/<int:photo_pk>/xoa/",
        execution.photo_delete,
        name="photo_delete",
    ),
    path("ngan-sach/", money.budget, name="budget"),
    path("kiem-tra-qua-han/", execution.overdue_inspections, name="overdue"),
    path(
        "co-so/<int:pk>/thiet-bi/",
        execution.establishment_equipment,
        name="establishment_equipment",
    ),
]

"""URLs of execution and money pages (issue 5), namespace "money"."""

from django.urls import path

from . import views_money as views

app_name = "money"

urlpatterns = [
    path("thuc-hien/", views.execution_list, name="list"),
    path("de-an/<int:pk>/thuc-hien/", views.project_execution, name="project"),
    path("de-an/<int:pk>/lich-su-thay-doi/", views.project_history, name="history"),
    path("de-an/<int:pk>/thiet-bi/them/", views.equipment_form, name="equipment_add"),
    path(
        "de-an/<int:pk>/thiet-bi/<int:equipment_pk>/sua/",
        views.equipment_form,
        name="equipment_edit",
    ),
    path(
        "de-an/<int:pk>/thiet-bi/<int:equipment_pk>/xoa/",
        views.equipment_delete,
        name="equipment_delete",
    ),
    path(
        "de-an/<int:pk>/giai-ngan/them/",
        views.disbursement_form,
        name="disbursement_add",
    ),
    path(
        "de-an/<int:pk>/giai-ngan/<int:disbursement_pk>/sua/",
        views.disbursement_form,
        name="disbursement_edit",
    ),
    path(
        "de-an/<int:pk>/giai-ngan/<int:disbursement_pk>/xoa/",
        views.disbursement_delete,
        name="disbursement_delete",
    ),
    path(
        "de-an/<int:pk>/giai-ngan/<int:disbursement_pk>/hoan-tra/",
        views.refund_confirm,
        name="refund_confirm",
    ),
    path("de-an/<int:pk>/kiem-tra/them/", views.inspection_form, name="inspection_add"),
    path(
        "de-an/<int:pk>/kiem-tra/<int:inspection_pk>/sua/",
        views.inspection_form,
        name="inspection_edit",
    ),
    path("de-an/<int:pk>/tien-do/them/", views.progress_form, name="progress_add"),
    path("de-an/<int:pk>/nghiem-thu/", views.acceptance_form, name="acceptance"),
    path("de-an/<int:pk>/anh/them/", views.photo_add, name="photo_add"),
    path("de-an/<int:pk>/anh/<int:photo_pk>/", views.photo_file, name="photo"),
    path(
        "de-an/<int:pk>/anh/<int:photo_pk>/xoa/",
        views.photo_delete,
        name="photo_delete",
    ),
    path("ngan-sach/", views.budget, name="budget"),
    path("kiem-tra-qua-han/", views.overdue_inspections, name="overdue"),
    path(
        "co-so/<int:pk>/thiet-bi/",
        views.establishment_equipment,
        name="establishment_equipment",
    ),
]

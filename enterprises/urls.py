from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("co-so/", views.establishment_list, name="establishment_list"),
    path("co-so/them/", views.establishment_create, name="establishment_create"),
    path("co-so/<int:pk>/", views.establishment_detail, name="establishment_detail"),
    path(
        "co-so/<int:pk>/sua/", views.establishment_update, name="establishment_update"
    ),
    path(
        "co-so/nhap-excel/",
        views.establishment_import_view,
        name="establishment_import",
    ),
    path("co-so/nhap-excel/<int:pk>/", views.import_job_view, name="import_job"),
    path(
        "co-so/nhap-excel/<int:pk>/trang-thai/",
        views.import_job_status,
        name="import_job_status",
    ),
    path(
        "co-so/mau-nhap.xlsx",
        views.establishment_import_template_view,
        name="establishment_import_template",
    ),
    path(
        "co-so/xuat.xlsx", views.establishment_export_view, name="establishment_export"
    ),
]

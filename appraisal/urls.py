from django.urls import path

from . import views

app_name = "appraisal"

urlpatterns = [
    path("hoi-dong/", views.council_list, name="list"),
    path("hoi-dong/tao/", views.council_create, name="create"),
    path("hoi-dong/<int:pk>/", views.council_detail, name="detail"),
    path("hoi-dong/<int:pk>/de-an/", views.council_add_project, name="add_project"),
    path("hoi-dong/<int:pk>/thanh-vien/", views.council_add_member, name="add_member"),
    path(
        "hoi-dong/<int:pk>/cham-diem/<int:member_pk>/<int:project_pk>/",
        views.sheet,
        name="sheet",
    ),
    path("hoi-dong/<int:pk>/ket-thuc/", views.council_close, name="close"),
    path("hoi-dong/de-an/<int:project_pk>/", views.project_council, name="project"),
]
